"""Insurance cost sharing line by line in date order: commercial plans, Medicaid, self-pay."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from .episode import INPATIENT_LEVELS
from .explain import plain_date
from .model import Insurance, Source
from .money import cents_times, format_dollars
from .reference import aca_oop_limit, rule_sources

INSURANCE_TYPES = ("commercial", "medicaid", "medicare")


class PricedLine(NamedTuple):
    on: date
    item: str
    charge: int


class Share(NamedTuple):
    """One line's split before any sliding fee: the plan's cost share for you, what the plan
    pays, and the balance bill (charge minus allowed amount, out of network)."""

    cost_share: int
    insurance_pays: int
    balance_bill: int
    plan_year: date


@dataclass(frozen=True)
class Coverage:
    shares: tuple[Share, ...]
    notes: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True)
class _Terms:
    deductible: int
    coinsurance: Decimal
    oop_max: int
    copay: int
    allowed_fraction: Decimal | None


def plan_year_of(on: date, month_day: str) -> date:
    """The start of the plan year containing `on`, for plan years starting on "MM-DD"."""
    return _plan_year_start(on, int(month_day[:2]), int(month_day[3:]))


def _plan_year_start(on: date, month: int, day: int) -> date:
    start = date(on.year, month, day)
    return start if start <= on else date(on.year - 1, month, day)


def calendar_year_of(on: date) -> date:
    return date(on.year, 1, 1)


def self_pay(lines: list[PricedLine]) -> Coverage:
    """No insurance: every charge is yours."""
    return Coverage(tuple(Share(line.charge, 0, 0, calendar_year_of(line.on)) for line in lines))


def _year_terms(insurance: Insurance) -> tuple[_Terms, _Terms]:
    this = _Terms(
        insurance.deductible_cents,
        insurance.coinsurance,
        insurance.oop_max_cents,
        insurance.copay_cents,
        insurance.allowed_fraction,
    )
    later = insurance.next_year
    if later is None:
        return this, this

    def keep(value, current):
        return current if value is None else value

    return this, _Terms(
        keep(later.deductible_cents, this.deductible),
        keep(later.coinsurance, this.coinsurance),
        keep(later.oop_max_cents, this.oop_max),
        keep(later.copay_cents, this.copay),
        keep(later.allowed_fraction, this.allowed_fraction),
    )


def commercial(insurance: Insurance, lines: list[PricedLine], start: date) -> Coverage:
    """The plan waterfall per line: copay, then the remaining deductible, then coinsurance,
    capped by the remaining out-of-pocket maximum; accumulators reset each plan year."""
    first_year = plan_year_of(start, insurance.plan_year_start)
    this_terms, later_terms = _year_terms(insurance)
    met = {first_year: [insurance.deductible_met_cents, insurance.oop_met_cents]}
    month, day = int(insurance.plan_year_start[:2]), int(insurance.plan_year_start[3:])
    shares = []
    for line in lines:
        year = _plan_year_start(line.on, month, day)
        terms = this_terms if year == first_year else later_terms
        deductible_met, oop_met = met.setdefault(year, [0, 0])
        allowed = line.charge
        if not insurance.in_network:
            allowed = cents_times(line.charge, terms.allowed_fraction)
        copay = min(terms.copay, allowed)
        deductible = min(allowed - copay, terms.deductible - deductible_met)
        coinsurance = cents_times(allowed - copay - deductible, terms.coinsurance)
        share = min(copay + deductible + coinsurance, terms.oop_max - oop_met)
        met[year] = [deductible_met + deductible, oop_met + share]
        shares.append(Share(share, allowed - share, line.charge - allowed, year))
    return Coverage(
        tuple(shares), _commercial_notes(insurance, lines, met), _commercial_sources(insurance, met)
    )


def _commercial_notes(insurance: Insurance, lines: list[PricedLine], met: dict) -> tuple[str, ...]:
    notes = [
        "Your plan's deductible, coinsurance and out-of-pocket maximum apply to all of this care "
        "together: under the parity law there is no separate deductible for addiction treatment, "
        "and residential care follows the plan's inpatient cost sharing."
    ]
    if insurance.copay_cents or (insurance.next_year and insurance.next_year.copay_cents):
        notes.append(
            "A copay is charged on every charge line (each day of day-priced care, each week of "
            "weekly care), before the deductible and not counted toward it; it counts toward the "
            "out-of-pocket maximum."
        )
    years = sorted(met)
    for year in years[1:]:
        notes.append(
            f"The stay crosses into a new plan year on {plain_date(year)}: the deductible and the "
            "out-of-pocket maximum start again from zero"
            + (" with next year's terms." if insurance.next_year else " with the same terms.")
            + " Starting on another date can change what you pay."
        )
    if len(years) > 1 and any(line.item in INPATIENT_LEVELS for line in lines):
        notes.append(
            "Each day is counted in the plan year it falls in; some plans put a whole inpatient "
            "stay in the plan year of admission, and some carry a late-year deductible over."
        )
    if insurance.in_network:
        for year in years:
            limit = aca_oop_limit(year.year)
            oop_max = insurance.oop_max_cents if year == years[0] else _later_oop(insurance)
            if oop_max > limit.self_only_cents:
                notes.append(
                    f"The out-of-pocket maximum you gave ({format_dollars(oop_max)}) is above the "
                    f"legal in-network limit for plan year {limit.plan_year} "
                    f"({format_dollars(limit.self_only_cents)} for one person); "
                    "check it with your plan."
                )
    else:
        notes.append(
            "Out of network: the deductible, coinsurance and maximum used are the plan's "
            "out-of-network terms, applied to the amount the plan allows. The program may bill you "
            "the rest of its charge (a balance bill). That balance bill has no cap, does not "
            "count toward your out-of-pocket maximum, and the No Surprises Act generally does "
            "not protect you from it at a treatment program you choose out of network."
        )
    notes.append("Premiums are not included. Prior authorization and day limits are not modelled.")
    return tuple(notes)


def _later_oop(insurance: Insurance) -> int:
    later = insurance.next_year.oop_max_cents if insurance.next_year else None
    return insurance.oop_max_cents if later is None else later


def _commercial_sources(insurance: Insurance, met: dict) -> tuple[Source, ...]:
    rules = rule_sources()
    if not insurance.in_network:
        return rules["parity"], rules["out_of_network"]
    return rules["parity"], *(aca_oop_limit(year.year).source for year in sorted(met))


def medicaid(insurance: Insurance, lines: list[PricedLine]) -> Coverage:
    """Medicaid: $0 or the nominal copay given, per charge line."""
    shares = []
    for line in lines:
        share = min(insurance.copay_cents, line.charge)
        shares.append(Share(share, line.charge - share, 0, calendar_year_of(line.on)))
    copay = format_dollars(insurance.copay_cents)
    notes = [
        f"Medicaid: you pay {copay} for each day, week or month charged; most states charge "
        "nothing for addiction treatment. This assumes the program takes your state's Medicaid "
        "and the care is authorized. The cap of 5% of family income on Medicaid cost sharing is "
        "not applied."
    ]
    sources = []
    if any(line.item in INPATIENT_LEVELS for line in lines):
        notes.append(
            "Medicaid may not pay for adults aged 21 to 64 in a residential or hospital facility "
            "with more than 16 beds (the IMD exclusion) unless your state has a waiver or another "
            "route; ask the program and your state Medicaid office before admission."
        )
        sources.append(rule_sources()["medicaid_imd"])
    return Coverage(tuple(shares), tuple(notes), tuple(sources))
