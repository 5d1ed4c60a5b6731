"""Gather an estimate's inputs (a JSON body, a program's published prices) and present the
answer. The arithmetic is all in finder.estimator; nothing here touches money beyond reading
dollars into cents and cents back into dollars."""

import datetime as dt
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
from .models import Program
from .vocab import label

TERM_FIELDS = ("deductible", "coinsurance", "oop_max", "copay", "allowed_fraction")
# The terms a commercial plan needs; without all three the answer is only a ceiling.
PLAN_TERMS = ("deductible", "coinsurance", "oop_max")
CEILING_NOTES = {
    True: (
        "You gave no plan terms (deductible, coinsurance, out-of-pocket maximum), so this is a "
        "ceiling: the most an in-network plan may legally leave you to pay, the ACA "
        "out-of-pocket limit in each plan year. Your plan may leave you much less, down to $0."
    ),
    False: (
        "You gave no plan terms and the program is out of your plan's network, so this is a "
        "ceiling: every charge, as if you had no insurance. Your plan may pay part of it."
    ),
}


def _object(value: object, field: str) -> dict:
    if not isinstance(value, dict):
        raise EstimateError(field, f"{field} must be an object.")
    return value


def _whole(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise EstimateError(field, f"{field} must be a whole number.")
    return value


def _money(body: dict, key: str, field: str) -> int | None:
    value = body.get(key)
    return None if value is None else dollars_to_cents(value, field)


def _date(value: object, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise EstimateError(field, f"{field} must be a date written YYYY-MM-DD.") from None


def _terms(body: dict, field: str) -> dict:
    terms = {
        "deductible_cents": _money(body, "deductible", f"{field}.deductible"),
        "oop_max_cents": _money(body, "oop_max", f"{field}.oop_max"),
        "copay_cents": _money(body, "copay", f"{field}.copay"),
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
    in_network = body.get("in_network", True)
    if not isinstance(in_network, bool):
        raise EstimateError("insurance.in_network", "insurance.in_network must be true or false.")
    if start is not None and without_terms({"insurance": body}):
        return ceiling_plan(start) if in_network else None
    terms = _terms(body, "insurance")
    next_year = None
    if body.get("next_year") is not None:
        next_year = PlanTerms(
            **_terms(_object(body["next_year"], "insurance.next_year"), "insurance.next_year")
        )
    plan_year_start = body.get("plan_year_start", "01-01")
    if not isinstance(plan_year_start, str):
        raise EstimateError("insurance.plan_year_start", "plan_year_start must be MM-DD.")
    return Insurance(
        kind=body.get("type"),
        in_network=in_network,
        deductible_cents=terms["deductible_cents"],
        deductible_met_cents=_money(body, "deductible_met", "insurance.deductible_met") or 0,
        coinsurance=terms["coinsurance"],
        copay_cents=terms["copay_cents"] or 0,
        oop_max_cents=terms["oop_max_cents"],
        oop_met_cents=_money(body, "oop_met", "insurance.oop_met") or 0,
        plan_year_start=plan_year_start,
        allowed_fraction=terms["allowed_fraction"],
        next_year=next_year,
    )


def read_household(body: object) -> Household | None:
    if body is None:
        return None
    body = _object(body, "household")
    income = body.get("annual_income")
    if income is None:
        raise EstimateError("household.annual_income", "Give the household's yearly income.")
    return Household(
        size=_whole(body.get("size"), "household.size"),
        annual_income_cents=dollars_to_cents(income, "household.annual_income"),
        state=body.get("state"),
    )


def read_phases(body: dict) -> tuple[Phase, ...]:
    if body.get("phases") is not None:
        if body.get("program") is not None:
            raise EstimateError("program", "Give either a preset program or phases, not both.")
        phases = body["phases"]
        if not isinstance(phases, list) or not phases:
            raise EstimateError("phases", "phases must be a non-empty list.")
        read = []
        for i, phase in enumerate(phases):
            phase = _object(phase, f"phases[{i}]")
            rate = phase.get("rate")
            read.append(
                Phase(
                    level=phase.get("level"),
                    days=_whole(phase.get("days"), f"phases[{i}].days"),
                    rate_cents=None
                    if rate is None
                    else dollars_to_cents(rate, f"phases[{i}].rate"),
                )
            )
        return tuple(read)
    program = body.get("program")
    if program is None:
        raise EstimateError(
            "program", "Choose a program (inpatient, outpatient, iop, php, stepped) or give phases."
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
    if program is not None:
        check_estimable(program)
    prices = program_prices(program) if program is not None else {}
    sliding = body.get("sliding_scale", prices.get("sliding_scale", False))
    if not isinstance(sliding, bool):
        raise EstimateError("sliding_scale", "sliding_scale must be true or false.")
    months = body.get("payment_months")
    start = _date(body.get("start_date"), "start_date")
    return EstimateRequest(
        start_date=start,
        phases=read_phases(body),
        medication=body.get("medication") or None,
        program_rates=prices.get("program_rates", ()),
        insurance=read_insurance(body.get("insurance"), start),
        household=read_household(body.get("household")),
        sliding_scale=sliding,
        sliding_schedule=prices.get("sliding_schedule"),
        payment_months=None if months is None else _whole(months, "payment_months"),
        listed_medications=None if program is None else tuple(program.tokens("medication")),
    )


def dollars(cents: int) -> float:
    """Cents as a JSON number of dollars (at most two decimals: n/100 prints exactly)."""
    return cents / 100


def _totals(period) -> dict:
    return {
        "charges": dollars(period.charges),
        "insurance_pays": dollars(period.insurance_pays),
        "you_pay": dollars(period.you_pay),
        "sliding_discount": dollars(period.sliding_discount),
    }


def ceiling_note(body: dict) -> str:
    """What a ceiling answer (without_terms) says first among its assumptions."""
    return CEILING_NOTES[body["insurance"].get("in_network", True) is not False]


def as_json(answer: Estimate, program: Program | None, body: dict) -> dict:
    """The API's answer to the request `body`."""
    ceiling = without_terms(body)
    notes = [ceiling_note(body)] if ceiling else []
    return {
        "facility": None if program is None else {"id": program.id, "name": program.name},
        "total_charges": dollars(answer.total_charges),
        "insurance_pays": dollars(answer.insurance_pays),
        "you_pay": dollars(answer.you_pay),
        "sliding_discount": dollars(answer.sliding_discount),
        "balance_billed": dollars(answer.balance_billed),
        "fpg_percent": None if answer.fpg_percent is None else float(answer.fpg_percent),
        "fpg_class": answer.fpg_class,
        "pay_percent": None if answer.pay_percent is None else float(answer.pay_percent),
        "plan_years": [{"start": p.start.isoformat(), **_totals(p)} for p in answer.plan_years],
        "months": [{"month": m.month, **_totals(m)} for m in answer.months],
        "range": {
            "low": 0.0 if ceiling else dollars(answer.range.low),
            "high": dollars(answer.range.high),
        },
        "ceiling": ceiling,
        "payment_plan": None
        if answer.payment_plan is None
        else {
            "months": answer.payment_plan.months,
            "monthly": [dollars(c) for c in answer.payment_plan.monthly],
        },
        "prices": [
            {
                "item": p.item,
                "start": p.start.isoformat(),
                "days": p.days,
                "unit": p.unit,
                "rate": dollars(p.rate),
                "rate_low": dollars(p.rate_low),
                "rate_high": dollars(p.rate_high),
                "basis": p.basis,
            }
            for p in answer.prices
        ],
        "assumptions": [*notes, *answer.assumptions],
        "sources": [
            {"label": s.label, "year": s.year, "citation": s.citation, "status": s.status}
            for s in answer.sources
        ],
        "good_faith_notice": answer.good_faith_notice,
    }


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
                "A quoted price fits one level of care: choose a single kind of program.",
            )
        body["phases"] = [{"level": phases[0].level, "days": days}]
    else:
        body.update(program=program, days=days)
    if data["rate"] is not None:
        body["phases"][0]["rate"] = data["rate"]
    if data["visits_per_week"] is not None:
        body["visits_per_week"] = data["visits_per_week"]
    if data["insurance"] != "none":
        allowed = data["allowed_percent"]
        body["insurance"] = {
            "type": data["insurance"],
            "in_network": data["in_network"] != "no",
            "plan_year_start": data["plan_year_start"] or "01-01",
            **{k: data[k] for k in ("deductible", "deductible_met", "copay", "oop_max", "oop_met")},
            "coinsurance": data["coinsurance"],  # a fraction already (search.read_coinsurance)
            "allowed_fraction": None if allowed is None else allowed / 100,
            # The box sits among a private plan's terms (hidden for the others).
            "family": data["insurance"] == "commercial" and data["family"],
            # Issue 14's inputs only when given: the API reads a missing one as its default.
            **{
                k: data[k]
                for k in ("visit_copay", "admission_copay", "days_authorized")
                if data[k] is not None
            },
        }
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
        (f"level:{level}", f"{label('care', level)} at this program")
        for level in program.tokens("care")
    ]
