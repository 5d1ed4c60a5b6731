"""A commercial plan's cost sharing in date order: copays, the deductible, coinsurance and the
out-of-pocket maximum, with accumulators per plan year. Line by line for an estimate's lines,
or many alike lines at once for its totals alone (runs.py): the same cents either way."""

from collections.abc import Iterator
from datetime import date

from .model import Insurance
from .money import cents_times
from .reference import aca_oop_limit
from .terms import PricedLine, Share, Terms, copays, plan_year_start, year_terms


class Waterfall:
    """One plan's cost sharing over an episode; feed it the lines in date order."""

    def __init__(self, insurance: Insurance, start: date):
        self.insurance = insurance
        self.month, self.day = (
            int(insurance.plan_year_start[:2]),
            int(insurance.plan_year_start[3:]),
        )
        self.first_year = plan_year_start(start, self.month, self.day)
        self.this_terms, self.later_terms = year_terms(insurance)
        # Per plan year: deductible met, out-of-pocket met, and what this patient paid.
        self.met = {self.first_year: [insurance.deductible_met_cents, insurance.oop_met_cents, 0]}
        self.embedded = insurance.family and insurance.in_network
        self.copays = any(
            (terms.copay, terms.visit_copay, terms.admission_copay)
            for terms in (self.this_terms, self.later_terms)
        )
        self.admissions: dict = {}
        # Most lines repeat a charge: cost each (amount, fraction) product once.
        self.products: dict = {}

    def year(self, on: date) -> date:
        """The start of the plan year `on` falls in."""
        return plan_year_start(on, self.month, self.day)

    def _terms(self, year: date) -> Terms:
        return self.this_terms if year == self.first_year else self.later_terms

    def _times(self, cents: int, fraction) -> int:
        key = (cents, fraction)
        product = self.products.get(key)
        if product is None:
            product = self.products[key] = cents_times(cents, fraction)
        return product

    def _allowed(self, line: PricedLine, terms: Terms) -> int:
        if self.insurance.in_network:
            return line.charge
        return self._times(line.charge, terms.allowed_fraction)

    def _room(self, terms: Terms, year: date, oop_met: int, patient_paid: int) -> int:
        room = terms.oop_max - oop_met
        if self.embedded:
            # The amount already met may be other family members': this patient may still
            # pay up to the whole self-only limit.
            room = min(room, aca_oop_limit(year.year).self_only_cents - patient_paid)
        return room

    def share(self, line: PricedLine, year: date) -> Share:
        """One line's cost share: copays, then the remaining deductible, then coinsurance,
        capped by the room left under the out-of-pocket maximum."""
        terms = self._terms(year)
        deductible_met, oop_met, patient_paid = self.met.setdefault(year, [0, 0, 0])
        allowed = self._allowed(line, terms)
        copay = copays(line, terms, allowed, self.admissions) if self.copays else 0
        deductible = min(allowed - copay, terms.deductible - deductible_met)
        coinsurance = self._times(allowed - copay - deductible, terms.coinsurance)
        room = self._room(terms, year, oop_met, patient_paid)
        share = min(copay + deductible + coinsurance, room)
        self.met[year] = [deductible_met + deductible, oop_met + share, patient_paid + share]
        return Share(share, allowed - share, line.charge - allowed, year)

    def shares(self, line: PricedLine, year: date, count: int) -> Iterator[tuple[int, Share]]:
        """The shares of `count` lines alike to `line` (same item, charge, copays and plan
        year), in order, as (how many lines, their share): a stretch whose lines all share
        alike (the whole allowed amount to the deductible, or coinsurance after it, or
        nothing once the maximum is reached) comes at once, the others line by line."""
        while count:
            alike = self._alike(line, year, count)
            if alike is None:
                alike = (1, self.share(line, year))
            yield alike
            count -= alike[0]

    def _alike(self, line: PricedLine, year: date, count: int) -> tuple[int, Share] | None:
        terms = self._terms(year)
        owing = line.admission is not None and self.copays
        if owing and self.admissions.get(line.admission, terms.admission_copay):
            return None  # the admission's copay is still being taken
        deductible_met, oop_met, patient_paid = self.met.setdefault(year, [0, 0, 0])
        allowed = self._allowed(line, terms)
        copay = copays(line, terms, allowed, self.admissions) if self.copays else 0
        base, left = allowed - copay, terms.deductible - deductible_met
        room = self._room(terms, year, oop_met, patient_paid)
        if room <= 0:
            # Nothing more to pay this year; the deductible still counts what it would take.
            share, spent = 0, min(count * base, left)
            many = count
        elif left == 0:
            share, spent = copay + self._times(base, terms.coinsurance), 0
            many = count if share == 0 else min(count, room // share)
        elif 0 < base <= left:
            share = allowed  # the copay and the rest of the allowed amount to the deductible
            many = min(count, left // base, room // share)
            spent = many * base
        else:
            return None
        if not many:
            return None
        paid = many * share
        self.met[year] = [deductible_met + spent, oop_met + paid, patient_paid + paid]
        return many, Share(share, allowed - share, line.charge - allowed, year)
