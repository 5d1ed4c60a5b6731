"""Insurance cost sharing line by line in date order: commercial plans and self-pay (Medicaid
is in medicaid.py, Medicare in medicare.py)."""

from dataclasses import dataclass
from datetime import date

from .episode import CARE_LEVELS, INPATIENT_LEVELS, RESIDENTIAL_LEVELS
from .model import Insurance, PlanTerms, Source
from .reference import aca_oop_limit, rule_sources
from .terms import Ceiling, PricedLine, Share, calendar_year_of
from .text import N_, Cents, Text
from .waterfall import Waterfall

__all__ = ["PricedLine", "Share", "calendar_year_of"]  # kept here for medicare.py and estimate.py

INSURANCE_TYPES = ("commercial", "medicaid", "medicare", "tricare")
# Non-hospital residential care, where room and board may not be paid (rules.csv room_and_board).
RESIDENTIAL_CARE = RESIDENTIAL_LEVELS | {"detox_inpatient"}


@dataclass(frozen=True)
class Coverage:
    """A payer's answer for the lines: each line's share, the notes and sources. `ceiling`:
    the most the payer's rules let the program charge you for the lines (Medicaid's federal
    maximum; None: the shares are the most). `high_extra` (cents) is what the payer's rules
    may add on top of what you pay, not in any line (a TRICARE non-participating provider's
    balance bill). Only the range's top includes either."""

    shares: tuple[Share, ...]
    notes: tuple[Text, ...] = ()
    sources: tuple[Source, ...] = ()
    high_extra: int = 0
    ceiling: Ceiling | None = None


def self_pay(lines: list[PricedLine]) -> Coverage:
    """No insurance: every charge is yours."""
    return Coverage(tuple(Share(line.charge, 0, 0, calendar_year_of(line.on)) for line in lines))


def commercial(insurance: Insurance, lines: list[PricedLine], start: date) -> Coverage:
    """The plan waterfall per line (waterfall.Waterfall): copays, then the remaining
    deductible, then coinsurance, capped by the remaining out-of-pocket maximum (on family
    coverage in network, also by the self-only legal limit for the patient); accumulators
    reset each plan year."""
    plan = Waterfall(insurance, start)
    shares = tuple(plan.share(line, plan.year(line.on)) for line in lines)
    met = plan.met
    notes, sources = _commercial_notes(insurance, lines, met), _commercial_sources(insurance, met)
    if any(line.item in RESIDENTIAL_CARE for line in lines):
        notes += (
            N_(
                "Some plans do not pay for room and board in non-hospital residential care "
                "(residential treatment, or inpatient detox outside a hospital): ask your plan "
                "whether it pays for this stay's room and board. This estimate takes the whole "
                "daily charge as care the plan covers."
            ),
        )
        sources += (rule_sources()["room_and_board"],)
    return Coverage(shares, notes, sources)


def _commercial_notes(insurance: Insurance, lines: list[PricedLine], met: dict) -> tuple[Text, ...]:
    notes = [
        N_(
            "Your plan's deductible, coinsurance and out-of-pocket maximum apply to all of this "
            "care together: under the parity law there is no separate deductible for addiction "
            "treatment, and residential care follows the plan's inpatient cost sharing."
        )
    ]
    notes += copay_notes(insurance, lines)
    if insurance.family and insurance.in_network:
        notes.append(
            N_(
                "The deductible and out-of-pocket maximum are your family's. One person never "
                "pays more than the legal limit for one person in a plan year (the embedded "
                "limit), even when the family maximum is higher; this assumes what your family "
                "has already paid was paid for someone else. Plans with an embedded deductible "
                "ask less of one person before they pay: this assumes the whole family "
                "deductible, the most it can be."
            )
        )
    elif insurance.family:
        notes.append(
            N_(
                "The deductible and out-of-pocket maximum are your family's. Plans with an "
                "embedded deductible ask less of one person before they pay: this assumes the "
                "whole family deductible, the most it can be."
            )
        )
    years = sorted(met)
    for year in years[1:]:
        if insurance.next_year:
            notes.append(
                Text(
                    "The stay crosses into a new plan year on %(day)s: the deductible and the "
                    "out-of-pocket maximum start again from zero with next year's terms. "
                    "Starting on another date can change what you pay.",
                    day=year,
                )
            )
        else:
            notes.append(
                Text(
                    "The stay crosses into a new plan year on %(day)s: the deductible and the "
                    "out-of-pocket maximum start again from zero with the same terms. "
                    "Starting on another date can change what you pay.",
                    day=year,
                )
            )
    if len(years) > 1 and any(line.item in INPATIENT_LEVELS for line in lines):
        notes.append(
            N_(
                "Each day is counted in the plan year it falls in; some plans put a whole "
                "inpatient stay in the plan year of admission, and some carry a late-year "
                "deductible over."
            )
        )
    if insurance.in_network:
        for year in years:
            limit = aca_oop_limit(year.year)
            oop_max = insurance.oop_max_cents if year == years[0] else _later_oop(insurance)
            legal = limit.other_cents if insurance.family else limit.self_only_cents
            if oop_max > legal and insurance.family:
                notes.append(
                    Text(
                        "The out-of-pocket maximum you gave (%(given)s) is above the legal "
                        "in-network limit for plan year %(year)s (%(limit)s for a family); "
                        "check it with your plan.",
                        given=Cents(oop_max),
                        year=limit.plan_year,
                        limit=Cents(legal),
                    )
                )
            elif oop_max > legal:
                notes.append(
                    Text(
                        "The out-of-pocket maximum you gave (%(given)s) is above the legal "
                        "in-network limit for plan year %(year)s (%(limit)s for one person); "
                        "check it with your plan.",
                        given=Cents(oop_max),
                        year=limit.plan_year,
                        limit=Cents(legal),
                    )
                )
    else:
        notes.append(
            N_(
                "Out of network: the deductible, coinsurance and maximum used are the plan's "
                "out-of-network terms, applied to the amount the plan allows. The program may bill "
                "you the rest of its charge (a balance bill). That balance bill has no cap, does "
                "not count toward your out-of-pocket maximum, and the No Surprises Act generally "
                "does not protect you from it at a treatment program you choose out of network."
            )
        )
    notes.append(N_("Premiums are not included."))
    return tuple(notes)


def copay_notes(insurance: Insurance, lines: list[PricedLine]) -> list[Text]:
    """What each copay given is charged on, when it applies to some of the care."""
    later = insurance.next_year or PlanTerms()
    given = {
        name: bool(getattr(insurance, f"{name}_cents") or getattr(later, f"{name}_cents"))
        for name in ("copay", "visit_copay", "admission_copay")
    }
    notes = []
    if given["copay"] and any(CARE_LEVELS.get(line.item) == "day" for line in lines):
        notes.append(
            N_(
                "The copay per day is charged on each day of day-priced care (inpatient, "
                "residential, partial hospitalization, outpatient detox)."
            )
        )
    if given["visit_copay"] and any(line.visits for line in lines):
        visits = sum(line.visits for line in lines)
        notes.append(
            Text(
                "The copay per visit is charged on %(visits)s visits of outpatient and intensive "
                "outpatient care (the visits per week you gave, or the usual number for the "
                "level).",
                visits=visits,
            )
        )
    if given["admission_copay"] and any(line.admission is not None for line in lines):
        count = len({line.admission for line in lines if line.admission is not None})
        notes.append(
            Text(
                "The copay per admission is charged once for each of the %(count)s admissions "
                "(an unbroken stay in inpatient or residential care, detox then residential "
                "included), taken from the stay's first charges until paid.",
                count=count,
            )
            if count > 1
            else N_(
                "The copay per admission is charged once for the stay (an unbroken stay in "
                "inpatient or residential care, detox then residential included), taken from "
                "its first charges until paid."
            )
        )
    if any(given.values()):
        notes.append(
            N_(
                "Copays are charged before the deductible, do not count toward it, and count "
                "toward the out-of-pocket maximum."
            )
        )
    return notes


def _later_oop(insurance: Insurance) -> int:
    later = insurance.next_year.oop_max_cents if insurance.next_year else None
    return insurance.oop_max_cents if later is None else later


def _commercial_sources(insurance: Insurance, met: dict) -> tuple[Source, ...]:
    rules = rule_sources()
    if not insurance.in_network:
        return rules["parity"], rules["out_of_network"]
    family = (rules["embedded_oop"],) if insurance.family else ()
    return rules["parity"], *family, *(aca_oop_limit(year.year).source for year in sorted(met))
