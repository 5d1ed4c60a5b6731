"""An estimate's totals without its lines, for search results' many estimates: runs of alike
charge lines are costed at once, to the same cent as line by line (estimate.estimate)."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import partial
from typing import NamedTuple

from .episode import Slot
from .medication import PHARMACY
from .model import EstimateRequest, Insurance
from .money import cents_times
from .terms import PricedLine, Share, copays, plan_year_of, year_terms
from .waterfall import Waterfall


class Run(NamedTuple):
    """`count` consecutive lines alike in everything but their date, the first of them
    `line` (its charge 0 until priced), priced from the phase `phase` (None: medication)."""

    line: PricedLine
    phase: int | None
    count: int
    year: date | None


class Amounts(NamedTuple):
    """One charge line's money (cents), or the sum of many lines'."""

    charge: int = 0
    insurance_pays: int = 0
    you_pay: int = 0  # includes balance_bill
    sliding_discount: int = 0
    balance_bill: int = 0


class Sliding:
    """The sliding fee's cap on your cost share of each charge: `pay` percent of it (None:
    no sliding fee), each product worked out once."""

    def __init__(self, pay: Decimal | None):
        self.fraction = None if pay is None else pay / 100
        self.products: dict[int, int] = {}

    def amounts(self, charge: int, share: Share) -> Amounts:
        """A line's money once the sliding fee has capped your cost share."""
        yours = share.cost_share
        if self.fraction is not None:
            product = self.products.get(charge)
            if product is None:
                product = self.products[charge] = cents_times(charge, self.fraction)
            yours = min(yours, product)
        return Amounts(
            charge,
            share.insurance_pays,
            yours + share.balance_bill,
            share.cost_share - yours,
            share.balance_bill,
        )


def compress(
    slots: tuple[Slot, ...], lines: tuple[PricedLine, ...], year_of: Callable | None
) -> list[Run]:
    """The lines as runs: consecutive lines of one phase, with the same visits, admission and
    plan year (`year_of` a date, None when the year changes nothing)."""
    runs: list[Run] = []
    first, key, count = None, None, 0
    for slot, line in zip(slots, lines, strict=True):
        year = None if year_of is None else year_of(line.on)
        alike = (slot.phase, line.item, line.visits, line.admission, year)
        if alike == key:
            count += 1
            continue
        if count:
            runs.append(Run(first, key[0], count, key[4]))
        first, key, count = line, alike, 1
    if count:
        runs.append(Run(first, key[0], count, key[4]))
    return runs


def run_sums(
    insurance: Insurance | None,
    start: date,
    runs: list[Run],
    price: dict[int | None, int],
    pay: Decimal | None,
) -> Amounts:
    """The totals of the runs' lines priced at `price` (per phase), with the insurance
    (commercial, Medicaid, or None for self-pay) and the sliding fee's pay percent."""
    sliding, total = Sliding(pay), [0, 0, 0, 0, 0]

    def add(many: int, charge: int, share: Share) -> None:
        for index, amount in enumerate(sliding.amounts(charge, share)):
            total[index] += many * amount

    kind = None if insurance is None else insurance.kind
    plan = Waterfall(insurance, start) if kind == "commercial" else None
    terms = year_terms(insurance)[0] if kind == "medicaid" else None
    any_copay = terms is not None and (terms.copay or terms.visit_copay or terms.admission_copay)
    admissions: dict = {}
    for run in runs:
        charge = price[run.phase]
        line = run.line._replace(charge=charge)
        if plan is not None:
            for many, share in plan.shares(line, run.year, run.count):
                add(many, charge, share)
        elif not any_copay:
            paid = 0 if kind == "medicaid" else charge
            add(run.count, charge, Share(paid, charge - paid, 0, run.year))
        else:
            # Medicaid's copays: line by line while the admission's copay is being taken.
            count = run.count
            while count:
                owed = line.admission is not None and admissions.get(
                    line.admission, terms.admission_copay
                )
                share = copays(line, terms, charge, admissions)
                many = 1 if owed else count
                add(many, charge, Share(share, charge - share, 0, run.year))
                count -= many
    return Amounts(*total)


def totals_cost(
    request: EstimateRequest,
    slots: tuple[Slot, ...],
    lines: tuple[PricedLine, ...],
    cutoff: date | None,
) -> Callable:
    """What costs an estimate's totals at a price bound, `cost(rates, bound, pay)`: the sums
    of the authorized lines and the self-pay price of the rest (cents). The lines are
    compressed into runs once, then costed at each bound run by run."""
    insurance, start = request.insurance, request.start_date
    # Pharmacy fills (medication.PHARMACY) are yours whatever the date, at their copay,
    # outside the plan's medical cost sharing and the sliding fee (as estimate._run).
    fills = sum(slot.phase == PHARMACY for slot in slots)
    if fills:
        kept = [pair for pair in zip(slots, lines, strict=True) if pair[0].phase != PHARMACY]
        slots, lines = tuple(slot for slot, _ in kept), tuple(line for _, line in kept)
    year_of = None
    if insurance is not None and insurance.kind == "commercial":
        year_of = partial(plan_year_of, month_day=insurance.plan_year_start)
    before = after = ()
    if cutoff is None:
        before = compress(slots, lines, year_of)
    else:
        parts = {True: ([], []), False: ([], [])}
        for slot, line in zip(slots, lines, strict=True):
            part = parts[line.on < cutoff]
            part[0].append(slot)
            part[1].append(line)
        before = compress(*parts[True], year_of)
        after = compress(*parts[False], None)

    def cost(rates: dict, bound: str, pay: Decimal | None) -> tuple[Amounts, int]:
        price = {phase: rate.at(bound) for phase, rate in rates.items()}
        at_risk = run_sums(None, start, after, price, pay).you_pay if after else 0
        sums = run_sums(insurance, start, before, price, pay)
        if fills:
            copays = fills * price[PHARMACY]
            sums = sums._replace(charge=sums.charge + copays, you_pay=sums.you_pay + copays)
        return sums, at_risk

    return cost
