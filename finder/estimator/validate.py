"""Checking a request: every invalid input raises EstimateError naming its field."""

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

from .episode import (
    CARE_LEVELS,
    MAX_DAYS,
    MEDICATIONS,
    MIN_DAYS,
    UNPRICED_MEDICATIONS,
    check_days,
)
from .errors import EstimateError
from .insurance import INSURANCE_TYPES
from .medicare import medicare_year
from .model import EstimateRequest, Household, Insurance, Phase, PlanTerms, ProgramRate
from .money import MAX_CENTS
from .numbers import to_decimal
from .poverty import poverty_percent, state_code
from .sliding import FPG_CLASSES, check_schedule
from .text import N_, Cents, Text
from .tricare import TRICARE_GROUPS

MAX_PAYMENT_MONTHS = 60
MAX_VISITS = 7  # visits a week: one a day at most
# Beyond these, dates overflow and no reference figure applies: a typo, not a plan.
EARLIEST_START, LATEST_START = date(1900, 1, 1), date(2100, 12, 31)


def cents(value: object, field: str) -> int:
    """An amount in cents: a whole number from 0 to MAX_CENTS."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise EstimateError(field, Text("%(field)s must be an amount in whole cents.", field=field))
    if value < 0:
        raise EstimateError(field, Text("%(field)s cannot be negative.", field=field))
    if value > MAX_CENTS:
        raise EstimateError(field, Text("%(field)s is too large.", field=field))
    return value


def fraction(value: object, field: str) -> Decimal:
    """A number from 0 to 1 (coinsurance, allowed fraction) as a Decimal."""
    number = to_decimal(value, field)
    if not 0 <= number <= 1:
        raise EstimateError(
            field,
            Text("%(field)s must be from 0 to 1 (for example 0.2 for 20%%).", field=field),
        )
    return number


def _known(value: object, allowed, field: str, unknown: Callable[[str | Text], Text]) -> None:
    """EstimateError unless `value` is one of the `allowed` names (a list or an object, as
    JSON may carry, is not a name); `unknown(shown)` is its message ("Unknown medication
    %(shown)s.")."""
    if not isinstance(value, str) or value not in allowed:
        if isinstance(value, str):
            shown = repr(value)[:80]
        else:
            shown = Text("of type %(type)s", type=type(value).__name__[:72])
        raise EstimateError(field, unknown(shown))


def validated(request: EstimateRequest) -> EstimateRequest:
    """The request with numbers normalised (Decimals, upper-case state), or EstimateError."""
    start = request.start_date
    if not isinstance(start, date) or isinstance(start, datetime):
        raise EstimateError("start_date", N_("The start date must be a date (YYYY-MM-DD)."))
    if not EARLIEST_START <= start <= LATEST_START:
        raise EstimateError(
            "start_date",
            Text(
                "The start date must be between %(first)s and %(last)s.",
                first=EARLIEST_START.year,
                last=LATEST_START.year,
            ),
        )
    phases = _phases(request.phases)
    if request.medication is not None:
        if isinstance(request.medication, str) and request.medication in UNPRICED_MEDICATIONS:
            raise EstimateError("medication", UNPRICED_MEDICATIONS[request.medication])
        _known(
            request.medication,
            MEDICATIONS,
            "medication",
            lambda shown: Text("Unknown medication %(shown)s.", shown=shown),
        )
    if request.medication_rate_cents is not None:
        cents(request.medication_rate_cents, "medication_rate")
    _program_rates(request.program_rates)
    if request.fpg_class is not None:
        _known(
            request.fpg_class,
            FPG_CLASSES,
            "fpg",
            lambda shown: Text("Unknown income class %(shown)s.", shown=shown),
        )
    schedule = _schedule(request.sliding_schedule)
    months = request.payment_months
    if months is not None and (
        isinstance(months, bool)
        or not isinstance(months, int)
        or not 1 <= months <= MAX_PAYMENT_MONTHS
    ):
        raise EstimateError(
            "payment_months",
            Text("A payment plan runs 1 to %(maximum)s months.", maximum=MAX_PAYMENT_MONTHS),
        )
    _visits(request.visits_per_week, "visits_per_week")
    if request.patient_age is not None:
        _whole(request.patient_age, "patient_age", MAX_AGE, N_("The patient's age"))
    if request.program_beds is not None:
        _whole(request.program_beds, "program_beds", 100_000, N_("The program's beds"))
    accepted = _accepted(request.accepted_payments)
    listed = request.listed_medications
    if listed is not None and (
        not isinstance(listed, tuple | list) or not all(isinstance(t, str) for t in listed)
    ):
        raise EstimateError(
            "listed_medications",
            Text("%(field)s must be medication names.", field="listed_medications"),
        )
    return replace(
        request,
        phases=phases,
        listed_medications=None if listed is None else tuple(listed),
        accepted_payments=accepted,
        program_rates=tuple(request.program_rates),
        insurance=_insurance(request.insurance, request.start_date),
        household=_household(request.household, request.start_date),
        sliding_schedule=schedule,
        program_state=None
        if request.program_state is None
        else state_code(request.program_state, "program_state"),
    )


def validated_program_terms(
    program_rates: tuple[ProgramRate, ...],
    sliding_schedule: tuple | None,
    accepted_payments: tuple[str, ...] | None,
) -> dict:
    """A program's part of a request (its rates, sliding fee schedule and the payments it
    accepts) as `validated` leaves it, as replacement values, or EstimateError."""
    _program_rates(program_rates)
    return {
        "program_rates": tuple(program_rates),
        "sliding_schedule": _schedule(sliding_schedule),
        "accepted_payments": _accepted(accepted_payments),
    }


def _program_rates(rates: tuple[ProgramRate, ...]) -> None:
    for index, rate in enumerate(rates):
        _program_rate(rate, f"program_rates[{index}]")


def _schedule(schedule: tuple | None) -> tuple | None:
    return None if schedule is None else check_schedule(tuple(schedule), "sliding_schedule")


def _accepted(accepted: object) -> tuple[str, ...] | None:
    if accepted is None:
        return None
    if not isinstance(accepted, tuple | list) or not all(isinstance(t, str) for t in accepted):
        raise EstimateError(
            "accepted_payments", Text("%(field)s must be payment names.", field="accepted_payments")
        )
    return tuple(accepted)


def _phases(phases: tuple[Phase, ...]) -> tuple[Phase, ...]:
    if not phases:
        raise EstimateError("phases", N_("Give at least one phase of care."))
    for index, phase in enumerate(phases):
        _known(
            phase.level,
            CARE_LEVELS,
            f"phases[{index}].level",
            lambda shown: Text("Unknown care level %(shown)s.", shown=shown),
        )
        days = phase.days
        if isinstance(days, bool) or not isinstance(days, int) or days < 1:
            raise EstimateError(
                f"phases[{index}].days", N_("Each phase must last at least one day.")
            )
        if phase.rate_cents is not None:
            cents(phase.rate_cents, f"phases[{index}].rate")
        _visits(phase.visits_per_week, f"phases[{index}].visits_per_week")
    total = sum(phase.days for phase in phases)
    if not MIN_DAYS <= total <= MAX_DAYS:
        check_days(total, "phases")
    return tuple(phases)


def _visits(visits: object, field: str) -> None:
    if visits is not None and (
        isinstance(visits, bool) or not isinstance(visits, int) or not 1 <= visits <= MAX_VISITS
    ):
        raise EstimateError(
            field,
            Text(
                "Visits per week must be a whole number from 1 to %(maximum)s.",
                maximum=MAX_VISITS,
            ),
        )


def _program_rate(rate: ProgramRate, field: str) -> None:
    _known(
        rate.item,
        {**CARE_LEVELS, **MEDICATIONS},
        f"{field}.item",
        lambda shown: Text("Unknown rate item %(shown)s.", shown=shown),
    )
    cents(rate.low_cents, f"{field}.low")
    if rate.high_cents is not None and cents(rate.high_cents, f"{field}.high") < rate.low_cents:
        raise EstimateError(f"{field}.high", N_("The high rate is below the low rate."))


def _household(household: Household | None, start: date) -> Household | None:
    if household is None:
        return None
    poverty_percent(household.size, household.annual_income_cents, household.state, start)
    return replace(household, state=state_code(household.state))


def _insurance(insurance: Insurance | None, start: date) -> Insurance | None:
    if insurance is None:
        return None
    _known(
        insurance.kind,
        INSURANCE_TYPES,
        "insurance.type",
        lambda shown: Text("Unknown insurance type %(shown)s.", shown=shown),
    )
    if not isinstance(insurance.in_network, bool):
        raise EstimateError("insurance.in_network", _true_or_false("in_network"))
    _month_day(insurance.plan_year_start)
    if not isinstance(insurance.family, bool):
        raise EstimateError("insurance.family", _true_or_false("family"))
    days = insurance.days_authorized
    if days is not None and (
        isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= MAX_DAYS
    ):
        raise EstimateError(
            "insurance.days_authorized",
            Text("Days authorized must be a whole number from 0 to %(maximum)s.", maximum=MAX_DAYS),
        )
    _tricare_and_medicare(insurance)
    defaults = {
        name: 0
        for name in (
            "copay_cents",
            "deductible_met_cents",
            "oop_met_cents",
            "visit_copay_cents",
            "admission_copay_cents",
        )
        if getattr(insurance, name) is None
    }
    insurance = replace(insurance, **defaults, **_terms(insurance, "insurance"))
    for name in ("deductible_met", "oop_met"):
        cents(getattr(insurance, f"{name}_cents"), f"insurance.{name}")
    if insurance.next_year is not None:
        later = _terms(insurance.next_year, "insurance.next_year")
        insurance = replace(insurance, next_year=replace(insurance.next_year, **later))
    if insurance.kind == "commercial":
        _commercial(insurance)
    if insurance.kind == "medicare":
        limit = medicare_year(start.year)[0].part_b_deductible
        if insurance.deductible_met_cents > limit:
            raise EstimateError(
                "insurance.deductible_met",
                Text(
                    "The Part B deductible met is above the deductible (%(deductible)s).",
                    deductible=Cents(limit),
                ),
            )
    return insurance


# Issue 15's whole-number inputs: field -> (highest, its name at the start of a sentence).
DAY_COUNTS = {
    "reserve_days_used": (60, N_("Reserve days used")),  # Medicare's lifetime reserve days
    "benefit_period_days_used": (MAX_DAYS, N_("Benefit period days used")),
    # Medicare's lifetime limit in psychiatric hospitals
    "psychiatric_days_used": (190, N_("Psychiatric days used")),
}
MAX_AGE = 120


def _whole(value: object, field: str, highest: int, what: Text) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= highest:
        raise EstimateError(
            field,
            Text(
                "%(what)s must be a whole number from 0 to %(highest)s.",
                what=what,
                highest=highest,
            ),
        )


def _true_or_false(name: str) -> Text:
    return Text("%(field)s must be true or false.", field=name)


def _tricare_and_medicare(insurance: Insurance) -> None:
    for name, (highest, words) in DAY_COUNTS.items():
        _whole(getattr(insurance, name), f"insurance.{name}", highest, words)
    if not isinstance(insurance.psychiatric_hospital, bool):
        raise EstimateError(
            "insurance.psychiatric_hospital", _true_or_false("psychiatric_hospital")
        )
    if insurance.pharmacy_copay_cents is not None:
        cents(insurance.pharmacy_copay_cents, "insurance.pharmacy_copay")
    if insurance.kind == "tricare":
        group = insurance.tricare_group
        if group is None:
            raise EstimateError(
                "insurance.tricare_group",
                Text("Give the TRICARE group: %(groups)s.", groups=", ".join(TRICARE_GROUPS)),
            )
        _known(
            group,
            TRICARE_GROUPS,
            "insurance.tricare_group",
            lambda shown: Text("Unknown TRICARE group %(shown)s.", shown=shown),
        )
    elif insurance.tricare_group is not None:
        raise EstimateError(
            "insurance.tricare_group",
            Text("%(field)s is for TRICARE only.", field="tricare_group"),
        )


def _terms(terms: Insurance | PlanTerms, field: str) -> dict:
    """Validated plan terms of this year or next, as replacement values."""
    checked = {}
    for name in ("deductible", "oop_max", "copay", "visit_copay", "admission_copay"):
        value = getattr(terms, f"{name}_cents")
        if value is not None:
            checked[f"{name}_cents"] = cents(value, f"{field}.{name}")
    for name in ("coinsurance", "allowed_fraction"):
        value = getattr(terms, name)
        if value is not None:
            checked[name] = fraction(value, f"{field}.{name}")
    return checked


def _commercial(insurance: Insurance) -> None:
    for name in ("deductible_cents", "coinsurance", "oop_max_cents"):
        if getattr(insurance, name) is None:
            field = name.removesuffix("_cents")
            raise EstimateError(
                f"insurance.{field}",
                Text("A commercial plan needs its %(field)s.", field=field),
            )
    if insurance.deductible_met_cents > insurance.deductible_cents:
        raise EstimateError(
            "insurance.deductible_met",
            Text(
                "The deductible met is above the deductible (%(deductible)s).",
                deductible=Cents(insurance.deductible_cents),
            ),
        )
    if insurance.oop_met_cents > insurance.oop_max_cents:
        raise EstimateError(
            "insurance.oop_met",
            Text(
                "The out-of-pocket amount met is above the maximum (%(maximum)s).",
                maximum=Cents(insurance.oop_max_cents),
            ),
        )
    if not insurance.in_network and insurance.allowed_fraction is None:
        raise EstimateError(
            "insurance.allowed_fraction",
            N_("Out of network, give the part of the charge the plan allows (0 to 1)."),
        )


def _month_day(text: object) -> None:
    match = re.fullmatch(r"(\d\d)-(\d\d)", text) if isinstance(text, str) else None
    try:
        date(2001, int(match[1]), int(match[2]))  # a year without 29 February
    except (TypeError, ValueError):
        raise EstimateError(
            "insurance.plan_year_start", N_("The plan year start must be MM-DD.")
        ) from None
