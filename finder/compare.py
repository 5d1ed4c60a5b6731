"""Compare up to five programs side by side, print a call list for them, and read the guide.

The selection lives only in the URL (compare=<id>, repeated): no cookie, no session, no account.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, current_app, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from . import guide, programs
from .estimator import FPG_CLASSES
from .fit import coverage_assumption, fitter, prices_level
from .geo import distance_miles
from .i18n import gettext as _
from .questions import questions
from .search import Query, SearchError, read_choice, read_filters, read_plan_terms, read_query
from .signs import quality_signs
from .vocab import PAYMENTS

bp = Blueprint("compare", __name__)

MAX_PROGRAMS = 5


@dataclass(frozen=True)
class Column:
    """One program of a comparison, with what the page and the call list show of it."""

    program: Any  # models.Program
    distance_miles: float | None  # None without `near`
    phones: list
    signs: list
    fit: Any  # finder.fit.Fit, or None without coverage or household
    questions: list[str]
    remove_url: str


def read_selection(args: MultiDict) -> list[str]:
    """The program ids to compare, in the order given, each once; at most five."""
    ids = list(dict.fromkeys(v.strip() for v in args.getlist("compare") if v.strip()))
    if len(ids) > MAX_PROGRAMS:
        raise SearchError(
            "compare",
            _(
                "You can compare at most %(most)s programs at a time, and this link names "
                "%(count)s. Go back and untick some.",
                most=MAX_PROGRAMS,
                count=len(ids),
            ),
        )
    return ids


def read_choices(args: MultiDict) -> Query | None:
    """The person's place, coverage and household, read by the search's own rules. Without
    `near` there is no distance, but coverage and household still give estimates (the query's
    origin is then None and unused). None when the URL gives none of them."""
    if args.get("near", "").strip():
        return read_query(args, current_app.extensions["geocoder"])
    query = Query(
        origin=None,
        near="",
        radius=None,
        filters=read_filters(args),
        coverage=read_choice(args, "coverage", PAYMENTS),
        plan_terms=read_plan_terms(args),
        fpg=read_choice(args, "fpg", FPG_CLASSES),
    )
    return query if query.coverage or query.fpg or query.plan_terms else None


def comparison(ids: list[str], query: Query | None, today: dt.date) -> tuple[list, list[str]]:
    """The columns of the programs found, and the ids that name no active program."""
    fit = fitter(query, today) if query is not None else None
    coverage, fpg = (query.coverage, query.fpg) if query is not None else (None, None)
    found, unknown = [], []
    for program_id in ids:
        program = programs.program(program_id)
        if program is None:
            unknown.append(program_id)
        else:
            found.append(program)
    # Like with like, as on the results page: every estimate at the least intensive level
    # (of those chosen, if any) that one of the programs prices.
    level = None
    if fit:
        level = fit.page_level(
            {lvl for p in found for lvl in fit.levels if p.substance_use and prices_level(p, lvl)}
        )
    columns = []
    for program in found:
        program_id = program.id
        miles = None
        if query is not None and query.origin is not None:
            miles = distance_miles(query.origin, program.latitude, program.longitude)
        columns.append(
            Column(
                program=program,
                distance_miles=miles,
                phones=programs.phones(program),
                signs=quality_signs(program),
                fit=fit(program, level) if fit and program.substance_use else None,
                questions=questions(program, coverage, fpg),
                remove_url=_url_without(program_id),
            )
        )
    return columns, unknown


def _url_without(*program_ids: str) -> str:
    """This page's address with those programs taken out of the comparison."""
    args = request.args.copy()
    args.setlist("compare", [v for v in args.getlist("compare") if v.strip() not in program_ids])
    return url_for(request.endpoint, **args.to_dict(flat=False))


def _page(template: str):
    try:
        ids = read_selection(request.args)
        query = read_choices(request.args)
    except SearchError as exc:
        # A bad place or cost choice need not lose the programs: offer them without choices.
        plain = None
        if exc.field != "compare":
            plain = url_for(request.endpoint, compare=request.args.getlist("compare"))
        return render_template(template, error=exc, columns=[], query=None, rest=plain), 400
    if not ids:
        return render_template(template, columns=[], query=query)
    columns, unknown = comparison(ids, query, dt.date.today())
    if unknown:
        return render_template(
            template, columns=[], query=query, unknown=unknown, rest=_url_without(*unknown)
        ), 404
    assumes = coverage_assumption(query.coverage) if query else None
    return render_template(
        template, columns=columns, query=query, args=request.args, assumes=assumes
    )


@bp.get("/compare")
def compare():
    return _page("compare/compare.html")


@bp.get("/compare/calls")
def calls():
    return _page("compare/calls.html")


@bp.get("/guide", endpoint="guide")
def guide_page():
    return render_template("compare/guide.html", sources=guide.sources())
