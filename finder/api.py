"""The JSON API: the same search as the pages, one program by id, and the cost estimate."""

import datetime as dt

from flask import Blueprint, abort, current_app, jsonify, request

from . import programs, signs, vocab
from .db import read_only
from .edge import json_body
from .estimate_inputs import ceiling_note, dollars, is_ceiling, read_request
from .estimator import (
    GOOD_FAITH_NOTICE,
    CoverageUsed,
    Estimate,
    EstimateError,
    NotEstimated,
    estimate,
)
from .fit import coverage_assumption, fitter
from .geo import round_miles
from .i18n import gettext as _
from .i18n import say
from .models import Program
from .search import SearchError, read_query
from .security import csrf

bp = Blueprint("api", __name__, url_prefix="/api")


def _date(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def summary(program: Program, miles: float | None = None) -> dict:
    """What a search result says about a program."""

    data = {
        "id": program.id,
        "name": program.name,
        "street": program.street,
        "city": program.city,
        "state": program.state,
        "zip": program.zip,
        "latitude": program.latitude,
        "longitude": program.longitude,
        "location_approximate": program.location_approximate,
        "phone": program.phone,
        "intake_phone": program.intake_phone,
        "website": program.website,
        "care_levels": program.tokens("care"),
        "mental_health_care": program.tokens("mh_care"),
        "telehealth": program.telehealth,
        "payments": program.tokens("payment"),
        "medications": program.tokens("medication"),
        "ages": program.tokens("age"),
        "languages": program.tokens("language"),
        "special_programs": program.tokens("special"),
        "verified_on": _date(program.verified_on),
        "imported_on": _date(program.imported_on),
        "source": program.source,
        "demo": program.is_demo,
    }
    if miles is not None:
        data = {"id": data.pop("id"), "distance_miles": float(round_miles(miles)), **data}
    return data


def detail(program: Program) -> dict:
    """Everything the directory knows about a program."""
    return {
        **summary(program),
        "name2": program.name2,
        "street2": program.street2,
        "phones": [
            {"number": p.number, "kind": p.kind, "label": p.label} for p in programs.phones(program)
        ],
        "substance_use": program.substance_use,
        # A mental-health-only program has no substance-use care to price.
        "estimate_available": program.substance_use,
        "carriers": program.tokens("carrier"),
        "therapies": program.tokens("therapy"),
        "beds": program.beds,
        "rates": {
            r.item: {"low": dollars(r.low_cents), "high": dollars(r.high_cents)}
            for r in program.rates
        },
        "sliding_fee_schedule": program.sliding_fee_schedule or None,
        "quality_signs": quality_signs(program),
    }


def quality_signs(program: Program) -> dict:
    """Every quality sign: reported or not (not reported is unknown, never "no"), with what it
    rests on, and the source and date the listing is as of."""
    day, which = signs.source_date(program)
    return {
        "source": program.source,
        "date": _date(day),
        "date_field": which,
        "signs": {
            token: {
                "reported": bool(found := signs.facts(program, token)),
                "label": label,
                "group": group,
                "group_label": vocab.SIGN_GROUPS[group],
                "facts": [
                    {"kind": kind, "token": value, "label": vocab.label(kind, value)}
                    for kind, value in found
                ],
            }
            for token, (label, group, _) in vocab.SIGNS.items()
        },
    }


def result(hit) -> dict:
    data = summary(hit.program, hit.distance_miles)
    if hit.fit is not None:
        data["accepts_coverage"] = hit.fit.accepts
        data["estimate"] = hit.fit.as_json()
    if hit.cost_ranked is not None:
        data["cost_ranked"] = hit.cost_ranked
    return data


@bp.get("/facilities")
def facilities():
    try:
        query = read_query(request.args, current_app.extensions["geocoder"])
    except SearchError as exc:
        candidates = {"candidates": list(exc.candidates)} if exc.candidates else {}
        return jsonify(error=say(exc.message), field=exc.field, **candidates), 400
    page = programs.programs_near(query, fitter(query, dt.date.today()))
    return jsonify(
        origin={
            "lat": query.origin.latitude,
            "lon": query.origin.longitude,
            "label": query.origin.label,
        },
        radius=query.radius if query.radius is not None else "any",
        total=page.total,
        page=query.page,
        per_page=query.per_page,
        estimate_level=page.level,
        estimate_assumes=say(coverage_assumption(query.coverage)) or None,
        results=[result(hit) for hit in page.hits],
    )


@bp.get("/facilities/<program_id>")
def facility(program_id: str):
    program = programs.program(program_id)
    if program is None:
        abort(404, _("There is no program with that id."))
    return jsonify(detail(program))


@bp.post("/estimate")
@csrf.exempt
@read_only
def estimate_cost():
    """What a program would cost; see docs/api.md. Changes nothing, so it needs no CSRF token."""
    body = json_body()
    if not isinstance(body, dict):
        return jsonify(error=_("The body must be a JSON object."), field="body"), 400
    program, facility_id = None, body.get("facility_id")
    if facility_id is not None:
        if isinstance(facility_id, bool) or not isinstance(facility_id, str | int):
            return jsonify(error=_("facility_id must be a program's id."), field="facility_id"), 400
        program = programs.program(str(facility_id))
        if program is None:
            return jsonify(error=_("There is no program with that id."), field="facility_id"), 404
    try:
        answer = estimate(read_request(body, program))
    except NotEstimated as exc:
        return jsonify(not_estimated_json(exc, program, body))
    except EstimateError as exc:
        return jsonify(error=say(exc.message), field=exc.field), 400
    return jsonify(as_json(answer, program, body))


def _totals(period) -> dict:
    return {
        "charges": dollars(period.charges),
        "insurance_pays": dollars(period.insurance_pays),
        "you_pay": dollars(period.you_pay),
        "sliding_discount": dollars(period.sliding_discount),
    }


def as_json(answer: Estimate, program: Program | None, body: dict) -> dict:
    """The API's answer to the request `body`."""
    ceiling = is_ceiling(body, answer)
    notes = [ceiling_note(body)] if ceiling else []
    coverage = answer.coverage_used
    if ceiling and body["insurance"].get("in_network") is False:
        # Read as no insurance (every charge yours), but the person has a plan: say which.
        coverage = CoverageUsed("out_of_network", notes[0])
    return {
        "facility": None if program is None else {"id": program.id, "name": program.name},
        "total_charges": dollars(answer.total_charges),
        "insurance_pays": dollars(answer.insurance_pays),
        "you_pay": dollars(answer.you_pay),
        "sliding_discount": dollars(answer.sliding_discount),
        "balance_billed": dollars(answer.balance_billed),
        "coverage_used": {"type": coverage.kind, "reason": say(coverage.reason)},
        "days_at_risk": answer.days_at_risk,
        "at_risk": dollars(answer.at_risk),
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
        "assumptions": [say(note) for note in [*notes, *answer.assumptions]],
        "sources": [
            {"label": s.label, "year": s.year, "citation": s.citation, "status": s.status}
            for s in answer.sources
        ],
        "good_faith_notice": say(answer.good_faith_notice),
        "not_estimated": None,
    }


# The answer's keys that hold money or figures: null when the rules give no estimate.
NULL_WHEN_NOT_ESTIMATED = (
    "total_charges", "insurance_pays", "you_pay", "sliding_discount", "balance_billed",
    "at_risk", "days_at_risk", "fpg_percent", "fpg_class", "pay_percent", "range",
    "ceiling", "payment_plan",
)  # fmt: skip


def not_estimated_json(exc: NotEstimated, program: Program | None, body: dict) -> dict:
    """The answer when the rules cannot price a valid request (NotEstimated): every figure
    null, `not_estimated` and the coverage's reason saying why, with the sources."""
    return {
        "facility": None if program is None else {"id": program.id, "name": program.name},
        **dict.fromkeys(NULL_WHEN_NOT_ESTIMATED),
        "coverage_used": {"type": body["insurance"]["type"], "reason": say(exc.message)},
        "plan_years": [],
        "months": [],
        "prices": [],
        "assumptions": [say(exc.message)],
        "sources": [
            {"label": s.label, "year": s.year, "citation": s.citation, "status": s.status}
            for s in exc.sources
        ],
        "good_faith_notice": say(GOOD_FAITH_NOTICE),
        "not_estimated": say(exc.message),
    }
