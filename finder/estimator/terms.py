"""What the cost-sharing rules share: a priced charge line, one line's share, a plan year's
terms, and the copays a line carries."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from .episode import CARE_LEVELS, INPATIENT_LEVELS, Slot
from .model import EstimateRequest, Insurance
from .reference import visits_per_week


class PricedLine(NamedTuple):
    """A dated charge. `visits`: the visits a visit copay is charged on (outpatient and
    intensive outpatient weeks); `admission`: which admission an inpatient day belongs to."""

    on: date
    item: str
    charge: int
    visits: int = 0
    admission: int | None = None


class Share(NamedTuple):
    """One line's split before any sliding fee: the plan's cost share for you, what the plan
    pays, and the balance bill (charge minus allowed amount, out of network)."""

    cost_share: int
    insurance_pays: int
    balance_bill: int
    plan_year: date


@dataclass(frozen=True)
class Ceiling:
    """The most a payer's rules let a program charge you, where that can be more than the
    cost shares taken (Medicaid: the federal maximum for the household's income): each
    line's most (cents, at least its cost share), and at most `per_month` cents in a calendar
    month (None: no monthly cap)."""

    lines: tuple[int, ...]
    per_month: int | None = None


@dataclass(frozen=True)
class Terms:
    """One plan year's terms, with next year's gaps filled from this year's."""

    deductible: int
    coinsurance: Decimal
    oop_max: int
    copay: int
    allowed_fraction: Decimal | None
    visit_copay: int
    admission_copay: int


def plan_year_of(on: date, month_day: str) -> date:
    """The start of the plan year containing `on`, for plan years starting on "MM-DD"."""
    return plan_year_start(on, int(month_day[:2]), int(month_day[3:]))


def plan_year_start(on: date, month: int, day: int) -> date:
    start = date(on.year, month, day)
    return start if start <= on else date(on.year - 1, month, day)


def calendar_year_of(on: date) -> date:
    return date(on.year, 1, 1)


def year_terms(insurance: Insurance) -> tuple[Terms, Terms]:
    this = Terms(
        insurance.deductible_cents,
        insurance.coinsurance,
        insurance.oop_max_cents,
        insurance.copay_cents,
        insurance.allowed_fraction,
        insurance.visit_copay_cents,
        insurance.admission_copay_cents,
    )
    later = insurance.next_year
    if later is None:
        return this, this

    def keep(value, current):
        return current if value is None else value

    return this, Terms(
        keep(later.deductible_cents, this.deductible),
        keep(later.coinsurance, this.coinsurance),
        keep(later.oop_max_cents, this.oop_max),
        keep(later.copay_cents, this.copay),
        keep(later.allowed_fraction, this.allowed_fraction),
        keep(later.visit_copay_cents, this.visit_copay),
        keep(later.admission_copay_cents, this.admission_copay),
    )


def copays(line: PricedLine, terms: Terms, allowed: int, admissions: dict) -> int:
    """The line's copays, at most its allowed amount: what is left of its admission's copay
    (`admissions` holds what each admission still owes), then the copay per day of day-priced
    care and per visit."""
    admission = 0
    if line.admission is not None:
        owed = admissions.setdefault(line.admission, terms.admission_copay)
        admission = min(owed, allowed)
        admissions[line.admission] = owed - admission
    per_day = terms.copay if CARE_LEVELS.get(line.item) == "day" else 0
    return admission + min(per_day + line.visits * terms.visit_copay, allowed - admission)


def line_facts(request: EstimateRequest, slots: tuple[Slot, ...]) -> tuple[PricedLine, ...]:
    """The dated lines before pricing (charge 0), with the visits a visit copay counts and
    the admission each inpatient day belongs to: one admission is an unbroken run of
    inpatient or residential phases."""
    usual = visits_per_week()
    admissions, admission = [], -1
    for index, phase in enumerate(request.phases):
        inpatient = phase.level in INPATIENT_LEVELS
        if inpatient and (index == 0 or request.phases[index - 1].level not in INPATIENT_LEVELS):
            admission += 1
        admissions.append(admission if inpatient else None)
    lines = []
    for slot in slots:
        visits, stay = 0, None
        if isinstance(slot.phase, int):  # a care level's line, not the medication's
            phase = request.phases[slot.phase]
            stay = admissions[slot.phase]
            if phase.level in usual:
                visits = phase.visits_per_week or request.visits_per_week or usual[phase.level]
        lines.append(PricedLine(slot.on, slot.item, 0, visits, stay))
    return tuple(lines)
