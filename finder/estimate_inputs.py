"""Gather an estimate's inputs (a JSON body, a program's published prices). The arithmetic is
all in finder.estimator; nothing here touches money beyond reading dollars into cents and cents
back into dollars."""

import dataclasses
import datetime as dt
import difflib
import json
from decimal import Decimal

from . import programs
from .estimator import (
    Estimate,
    EstimateError,
    EstimateRequest,
    Household,
    Insurance,
    Phase,
    PlanTerms,
    ProgramRate,
    aca_oop_limit,
    dollars_to_cents,
    fraction,
    parse_sliding_schedule,
    preset_phases,
)
from .estimator.text import N_, Text
from .i18n import say
from .models import Program
from .vocab import label

# Every key an estimate request may hold, object by object; any other is a 400 naming it (a
# misspelt "deductable" would otherwise be dropped and the estimate go on without it).
# fmt: off
TERM_FIELDS = ["deductible", "coinsurance", "oop_max", "copay", "allowed_fraction",
               "visit_copay", "admission_copay"]
KEYS = {
    "": ["start_date", "program", "days", "phases", "facility_id", "medication", "insurance",
         "household", "sliding_scale", "payment_months", "visits_per_week", "patient_age"],
    "insurance": ["type", "in_network", "deductible_met", "oop_met", "plan_year_start",
                  "next_year", "family", "days_authorized", *TERM_FIELDS, "tricare_group",
                  "pharmacy_copay", "reserve_days_used", "benefit_period_days_used",
                  "psychiatric_days_used", "psychiatric_hospital"],
    "insurance.next_year": TERM_FIELDS,
    "household": ["size", "annual_income", "state"],
    "phases[]": ["level", "days", "rate", "visits_per_week"],
}
# fmt: on
# The terms a commercial plan needs; without all three the answer is only a ceiling.
PLAN_TERMS = ("deductible", "coinsurance", "oop_max")
CEILING_NOTES = {
    True: N_(
        "You gave no plan terms (deductible, coinsurance, out-of-pocket maximum), so this is a "
        "ceiling: the most an in-network plan may legally leave you to pay, the ACA "
        "out-of-pocket limit in each plan year. Your plan may leave you much less, down to $0."
    ),
    False: N_(
        "You gave no plan terms and the program is out of your plan's network, so this is a "
        "ceiling: every charge, as if you had no insurance. Your plan may pay part of it."
    ),
}


def _object(value: object, field: str) -> dict:
    if not isinstance(value, dict):
        raise EstimateError(field, Text("%(field)s must be an object.", field=field))
    return value


def _known_keys(body: dict, where: str, known: list[str]) -> None:
    """EstimateError naming the first key of `body` not in `known`, with the closest known key."""
    for key in body:
        if key not in known:
            field = f"{where}.{key}" if where else key
            close = difflib.get_close_matches(key, known, n=1)
            shown = json.dumps(key[:80], ensure_ascii=False)
            raise EstimateError(field, _no_key(where, shown, close[0] if close else None, known))


def _no_key(where: str, shown: str, close: str | None, known: list[str]) -> Text:
    """ "insurance has no key "deductable". Did you mean "deductible"?" (keys stay English)."""
    if where and close:
        return Text('%(where)s has no key %(key)s. Did you mean "%(close)s"?',
                    where=where, key=shown, close=close)  # fmt: skip
    if where:
        return Text("%(where)s has no key %(key)s. Known keys: %(known)s.",
                    where=where, key=shown, known=", ".join(known))  # fmt: skip
    if close:
        return Text('The body has no key %(key)s. Did you mean "%(close)s"?',
                    key=shown, close=close)  # fmt: skip
    return Text("The body has no key %(key)s. Known keys: %(known)s.",
                key=shown, known=", ".join(known))  # fmt: skip


def _whole(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise EstimateError(field, Text("%(field)s must be a whole number.", field=field))
    return value


def _optional_whole(body: dict, key: str, field: str) -> int | None:
    value = body.get(key)
    return None if value is None else _whole(value, field)


def _flag(body: dict, key: str, default: bool, field: str) -> bool:
    value = body.get(key, default)
    if not isinstance(value, bool):
        raise EstimateError(field, Text("%(field)s must be true or false.", field=field))
    return value


def _money(body: dict, key: str, field: str) -> int | None:
    value = body.get(key)
    return None if value is None else dollars_to_cents(value, field)


def _date(value: object, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise EstimateError(
            field, Text("%(field)s must be a date written YYYY-MM-DD.", field=field)
        ) from None


def _terms(body: dict, field: str) -> dict:
    terms = {
        "deductible_cents": _money(body, "deductible", f"{field}.deductible"),
        "oop_max_cents": _money(body, "oop_max", f"{field}.oop_max"),
        "copay_cents": _money(body, "copay", f"{field}.copay"),
        "visit_copay_cents": _money(body, "visit_copay", f"{field}.visit_copay"),
        "admission_copay_cents": _money(body, "admission_copay", f"{field}.admission_copay"),
        "coinsurance": None,
        "allowed_fraction": None,
    }
    for key in ("coinsurance", "allowed_fraction"):
        if body.get(key) is not None:
            terms[key] = fraction(body[key], f"{field}.{key}")
    return terms


def ceiling_plan(start: dt.date) -> Insurance:
    """A plan as bad as the law allows: you pay everything up to the legal maximum each year."""
    this_year = aca_oop_limit(start.year).self_only_cents
    next_year = aca_oop_limit(start.year + 1).self_only_cents
    return Insurance(
        kind="commercial",
        deductible_cents=this_year,
        coinsurance=Decimal(1),
        oop_max_cents=this_year,
        next_year=PlanTerms(deductible_cents=next_year, oop_max_cents=next_year),
    )


def without_terms(body: object) -> bool:
    """Whether an estimate request names a commercial plan but none of its terms: the answer
    is then only a ceiling (ceiling_plan), from $0 up."""
    insurance = body.get("insurance") if isinstance(body, dict) else None
    return (
        isinstance(insurance, dict)
        and insurance.get("type") == "commercial"
        and all(insurance.get(key) is None for key in PLAN_TERMS)
    )


def read_insurance(body: object, start: dt.date | None = None) -> Insurance | None:
    """The `insurance` object of an estimate request; a commercial plan without terms is read
    as the ceiling plan from `start` (out of network: no insurance, every charge yours)."""
    if body is None:
        return None
    body = _object(body, "insurance")
    _known_keys(body, "insurance", KEYS["insurance"])
    in_network = _flag(body, "in_network", True, "insurance.in_network")
    family = _flag(body, "family", False, "insurance.family")
    days_authorized = _optional_whole(body, "days_authorized", "insurance.days_authorized")
    if start is not None and without_terms({"insurance": body}):
        if not in_network:
            return None
        return dataclasses.replace(ceiling_plan(start), days_authorized=days_authorized)
    terms = _terms(body, "insurance")
    next_year = None
    if body.get("next_year") is not None:
        later = _object(body["next_year"], "insurance.next_year")
        _known_keys(later, "insurance.next_year", KEYS["insurance.next_year"])
        next_year = PlanTerms(**_terms(later, "insurance.next_year"))
    plan_year_start = body.get("plan_year_start", "01-01")
    if not isinstance(plan_year_start, str):
        raise EstimateError("insurance.plan_year_start", N_("plan_year_start must be MM-DD."))
    return Insurance(
        kind=body.get("type"),
        in_network=in_network,
        deductible_cents=terms["deductible_cents"],
        deductible_met_cents=_money(body, "deductible_met", "insurance.deductible_met") or 0,
        coinsurance=terms["coinsurance"],
        copay_cents=terms["copay_cents"] or 0,
        visit_copay_cents=terms["visit_copay_cents"] or 0,
        admission_copay_cents=terms["admission_copay_cents"] or 0,
        oop_max_cents=terms["oop_max_cents"],
        oop_met_cents=_money(body, "oop_met", "insurance.oop_met") or 0,
        plan_year_start=plan_year_start,
        allowed_fraction=terms["allowed_fraction"],
        next_year=next_year,
        family=family,
        days_authorized=days_authorized,
        tricare_group=body.get("tricare_group"),
        pharmacy_copay_cents=_money(body, "pharmacy_copay", "insurance.pharmacy_copay"),
        psychiatric_hospital=_flag(
            body, "psychiatric_hospital", False, "insurance.psychiatric_hospital"
        ),
        **{
            name: _optional_whole(body, name, f"insurance.{name}") or 0
            for name in ("reserve_days_used", "benefit_period_days_used", "psychiatric_days_used")
        },
    )


def read_household(body: object) -> Household | None:
    if body is None:
        return None
    body = _object(body, "household")
    _known_keys(body, "household", KEYS["household"])
    income = body.get("annual_income")
    if income is None:
        raise EstimateError("household.annual_income", N_("Give the household's yearly income."))
    return Household(
        size=_whole(body.get("size"), "household.size"),
        annual_income_cents=dollars_to_cents(income, "household.annual_income"),
        state=body.get("state"),
    )


def read_phases(body: dict) -> tuple[Phase, ...]:
    if body.get("phases") is not None:
        if body.get("program") is not None:
            raise EstimateError("program", N_("Give either a preset program or phases, not both."))
        phases = body["phases"]
        if not isinstance(phases, list) or not phases:
            raise EstimateError("phases", N_("phases must be a non-empty list."))
        read = []
        for i, phase in enumerate(phases):
            phase = _object(phase, f"phases[{i}]")
            _known_keys(phase, f"phases[{i}]", KEYS["phases[]"])
            rate = phase.get("rate")
            read.append(
                Phase(
                    level=phase.get("level"),
                    days=_whole(phase.get("days"), f"phases[{i}].days"),
                    rate_cents=None
                    if rate is None
                    else dollars_to_cents(rate, f"phases[{i}].rate"),
                    visits_per_week=_optional_whole(
                        phase, "visits_per_week", f"phases[{i}].visits_per_week"
                    ),
                )
            )
        return tuple(read)
    program = body.get("program")
    if program is None:
        raise EstimateError(
            "program",
            N_("Choose a program (inpatient, outpatient, iop, php, stepped) or give phases."),
        )
    days = _whole(body.get("days", 90), "days")
    return preset_phases(program, days)


def program_prices(program: Program) -> dict:
    """A program's published rates and sliding-fee schedule, as estimator inputs."""
    schedule = None
    if program.sliding_fee_schedule:
        schedule = parse_sliding_schedule(program.sliding_fee_schedule)
    return {
        "program_rates": tuple(
            ProgramRate(r.item, r.low_cents, r.high_cents) for r in program.rates
        ),
        "sliding_schedule": schedule,
        "sliding_scale": "sliding_fee" in program.tokens("payment") or schedule is not None,
    }


def check_estimable(program: Program) -> Program:
    """The program, or EstimateError("facility_id") when it offers no substance-use treatment
    in its source: a mental-health-only program gets no cost estimate."""
    if not program.substance_use:
        raise EstimateError("facility_id", programs.NO_ESTIMATE)
    return program


def read_request(body: object, program: Program | None) -> EstimateRequest:
    """An EstimateRequest from the JSON body of POST /api/estimate (also what the form builds)."""
    body = _object(body, "body")
    _known_keys(body, "", KEYS[""])
    if program is not None:
        check_estimable(program)
    prices = program_prices(program) if program is not None else {}
    sliding = _flag(body, "sliding_scale", prices.get("sliding_scale", False), "sliding_scale")
    start = dt.date.today()
    if body.get("start_date") is not None:
        start = _date(body["start_date"], "start_date")
    insurance = read_insurance(body.get("insurance"), start)
    if (
        insurance is not None
        and program is not None
        and "psychiatric_hospital" in program.tokens("facility")
    ):  # the listing's PSYH code: Medicare's 190-day lifetime limit applies there
        insurance = dataclasses.replace(insurance, psychiatric_hospital=True)
    return EstimateRequest(
        start_date=start,
        phases=read_phases(body),
        medication=body.get("medication") or None,
        program_rates=prices.get("program_rates", ()),
        insurance=insurance,
        household=read_household(body.get("household")),
        sliding_scale=sliding,
        sliding_schedule=prices.get("sliding_schedule"),
        payment_months=_optional_whole(body, "payment_months", "payment_months"),
        listed_medications=None if program is None else tuple(program.tokens("medication")),
        accepted_payments=None if program is None else tuple(program.tokens("payment")),
        visits_per_week=_optional_whole(body, "visits_per_week", "visits_per_week"),
        patient_age=_optional_whole(body, "patient_age", "patient_age"),
        program_beds=None if program is None else program.beds,
        program_state=None if program is None else program.state,
    )


def dollars(cents: int) -> float:
    """Cents as a JSON number of dollars (at most two decimals: n/100 prints exactly)."""
    return cents / 100


def is_ceiling(body: dict, answer: Estimate) -> bool:
    """Whether the answer is only a ceiling: a commercial plan without terms (without_terms)
    that the estimate used, or said to be out of network (every charge is then the ceiling).
    At a program that does not list the plan the answer is what self-pay costs, not a ceiling."""
    if not without_terms(body):
        return False
    return body["insurance"].get("in_network") is False or answer.coverage_used.kind == "commercial"


def ceiling_note(body: dict) -> str:
    """What a ceiling answer (without_terms) says first among its assumptions."""
    return CEILING_NOTES[body["insurance"].get("in_network", True) is not False]


def body_from_form(data: dict) -> dict:
    """The estimate form's answers in the JSON API's shape, so both go through read_request."""
    days = data["days"]
    program = data["program"]
    body: dict = {"start_date": data["start_date"].isoformat(), "medication": data["medication"]}
    if program.startswith("level:"):
        body["phases"] = [{"level": program.removeprefix("level:"), "days": days}]
    elif data["rate"] is not None:
        phases = preset_phases(program, days)
        if len(phases) > 1:
            raise EstimateError(
                "phases[0].rate",
                N_("A quoted price fits one level of care: choose a single kind of program."),
            )
        body["phases"] = [{"level": phases[0].level, "days": days}]
    else:
        body.update(program=program, days=days)
    if data["rate"] is not None:
        body["phases"][0]["rate"] = data["rate"]
    if data["visits_per_week"] is not None:
        body["visits_per_week"] = data["visits_per_week"]
    kind = data["insurance"]
    if kind != "none":
        allowed = data["allowed_percent"]
        body["insurance"] = {
            "type": kind,
            "in_network": data["in_network"] != "no",
            "plan_year_start": data["plan_year_start"] or "01-01",
            **{k: data[k] for k in ("deductible", "deductible_met", "copay", "oop_max", "oop_met")},
            "coinsurance": data["coinsurance"],  # a fraction already (search.read_coinsurance)
            "allowed_fraction": None if allowed is None else allowed / 100,
            # The box sits among a private plan's terms (hidden for the others).
            "family": kind == "commercial" and data["family"],
            # Later inputs only when given: the API reads a missing one as its default.
            **{
                k: data[k]
                for k in ("visit_copay", "admission_copay", "days_authorized", "pharmacy_copay")
                if data[k] is not None
            },
        }
        if kind == "tricare":
            body["insurance"]["tricare_group"] = data["tricare_group"]
        if kind == "medicare":  # the fields sit in Medicare's box (hidden for the others)
            days = ("reserve_days_used", "benefit_period_days_used", "psychiatric_days_used")
            body["insurance"].update({k: data[k] for k in days if data[k] is not None})
            body["insurance"]["psychiatric_hospital"] = data["psychiatric_hospital"]
    if data["patient_age"] is not None:
        body["patient_age"] = data["patient_age"]
    if data["household_size"] is not None or data["income"] is not None:
        body["household"] = {
            "size": data["household_size"],
            "annual_income": data["income"],
            "state": data["state"] or None,
        }
    body["sliding_scale"] = data["sliding_scale"]
    if data["payment_months"]:
        body["payment_months"] = data["payment_months"]
    return body


def program_choices(program: Program) -> list[tuple[str, str]]:
    """(value, label) for '90 days of <level>' at each care level a program offers."""
    return [
        (f"level:{level}", say(Text("%(care)s at this program", care=label("care", level))))
        for level in program.tokens("care")
    ]
