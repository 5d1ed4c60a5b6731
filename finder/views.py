"""The public finder: the search page, results and a program's page."""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from . import i18n, programs, resultmap, signs, vocab
from .db import read_only
from .estimator import EstimateError, parse_sliding_schedule
from .estimator.text import N_
from .fit import coverage_assumption, fitter, household_class
from .forms import PAY_CHOICES, SearchForm, pay_answer, pay_parameters
from .geo import PlaceNotFound, resolve, round_miles
from .i18n import gettext
from .i18n import lazy_gettext as _l
from .search import SearchError, larger_radii, read_query
from .security import csrf

bp = Blueprint("finder", __name__)


def search_form(args: MultiDict | None = None) -> SearchForm:
    # Comma-separated values (as the API allows) tick the same boxes.
    # A results URL carries what "How will you pay?" stands for; a posted form, the choice.
    posted = args is not None
    args = (request.args if args is None else args).copy()
    if not posted:
        pay_answer(args)
    for name in SearchForm.FILTER_NAMES:
        args.setlist(name, [v for raw in args.getlist(name) for v in raw.split(",") if v])
    return SearchForm(args)


@bp.get("/")
def index():
    return render_template("finder/index.html", form=search_form())


@bp.get("/search")
def search():
    form = search_form()
    try:
        query = _read_search()
    except SearchError as exc:
        return render_template("finder/results.html", form=form, error=exc), 400
    page = programs.programs_near(query, fitter(query, dt.date.today()))
    wider = None
    if page.total == 0:
        wider = next(
            ((r, n) for r in larger_radii(query.radius) if (n := programs.count_near(query, r))),
            None,
        )
    return render_template(
        "finder/results.html",
        form=form,
        page=page,
        wider=wider,
        filters=active_filters(request.args, form, page.query),
        assumes=coverage_assumption(query.coverage),
    )


@dataclass(frozen=True)
class Chip:
    """An active filter value, and the same search without it."""

    label: str
    url: str


@dataclass(frozen=True)
class ActiveFilters:
    chips: list[Chip]
    # ("Medicaid", the same search without `payment`) when the payment filter keeps only
    # programs that take the searcher's coverage.
    show_all: tuple[str, str] | None = None


def active_filters(args: MultiDict, form: SearchForm, query) -> ActiveFilters:
    """The search's filter values as removable chips, and the way to also see programs that
    do not take the searcher's coverage."""
    chips = []
    for name in SearchForm.FILTER_NAMES:
        values = [v for raw in args.getlist(name) for v in raw.split(",") if v]
        labels = {c.value: c.label for c in form[name].choices}
        for value in dict.fromkeys(values):
            rest = args.copy()
            rest.setlist(name, [v for v in values if v != value])
            chips.append(Chip(labels.get(value, value), _search_url(rest)))
    if query.telehealth:
        rest = args.copy()
        rest.pop("telehealth")
        chips.append(Chip(form.telehealth.label.text, _search_url(rest)))
    show_all = None
    taken = next((c for c in PAY_CHOICES.values() if c.coverage == query.coverage), None)
    payment = query.filters.get("payment", ())
    if query.coverage and any(v in payment for v in (taken.payment if taken else ())):
        rest = args.copy()
        rest.pop("payment")
        show_all = (taken.takes, _search_url(rest))
    return ActiveFilters(chips, show_all)


def _search_url(args: MultiDict) -> str:
    args.pop("page", None)
    return url_for("finder.search", **args.to_dict(flat=False))


def _read_search():
    """The search in this request's URL (finder.search.read_query); SearchError when bad."""
    return read_query(
        request.args,
        current_app.extensions["geocoder"],
        default_per_page=current_app.config["PER_PAGE"],
    )


@bp.post("/search")
@csrf.exempt
@read_only
def search_household():
    """The search form posts here so that household income never enters a URL: it becomes
    the poverty-guideline class, and the visitor is sent on to the results."""
    args = MultiDict((k, v) for k, v in request.form.items(multi=True) if v.strip())
    pay_parameters(args)
    household = [args.pop(name, "") for name in ("household_size", "income", "state")]
    if household[0] or household[1]:
        try:
            state = household[2] or _state_of(args.get("near", ""))
            args["fpg"] = household_class(household[0], household[1], state, dt.date.today())
        except (SearchError, EstimateError) as exc:
            error = exc if isinstance(exc, SearchError) else SearchError(exc.field, exc.message)
            form = search_form(request.form)
            return render_template("finder/results.html", form=form, error=error), 400
    return redirect(url_for("finder.search", **args.to_dict(flat=False)), 303)


def _state_of(near: str) -> str | None:
    """The state of the place searched, for the household's poverty guideline. A town that
    may be several is asked about first (which Cambridge?), rather than the state."""
    try:
        return resolve(near).state
    except PlaceNotFound as exc:
        if exc.candidates:
            raise SearchError("near", exc.message, exc.candidates) from None
        return None


@bp.get("/facilities/<program_id>")
def facility(program_id: str):
    program = programs.program(program_id)
    if program is None:
        abort(404, N_("There is no program with that id in the directory."))
    return render_template("finder/facility.html", program=program)


# Globals, not context: macros imported without context see them, and an import without
# context keeps the page's ORM objects out of reference cycles (docs/cpython-3.11-crash.md).
bp.add_app_template_global(vocab, "vocab")
bp.add_app_template_global(programs.phones, "phones")
bp.add_app_template_global(signs, "signs")
bp.add_app_template_global(i18n.long_date, "long_date")


@bp.app_context_processor
def page_context():
    return {
        "demo_data_present": _demo_data_present,
        "stale_before": dt.date.today() - dt.timedelta(days=365),
    }


def _demo_data_present() -> bool:
    # An error page about the database being down asks it nothing.
    return not g.get("database_unavailable") and programs.demo_data_present()


@bp.app_template_global()
def rate_unit(item: str) -> str:
    return vocab.RATE_UNITS[item]


# A published price by the unit it is charged in (vocab.RATE_UNITS): one price, and a range.
RATE_WORDS = {
    "day": (_l("%(price)s per day"), _l("%(low)s to %(high)s per day")),
    "week": (_l("%(price)s per week"), _l("%(low)s to %(high)s per week")),
    "dose": (_l("%(price)s per dose"), _l("%(low)s to %(high)s per dose")),
}


@bp.app_template_global()
def rate_price(item: str, low_cents: int, high_cents: int) -> str:
    """ "$450 per day", "$300 to $450 per week": a published price in words."""
    one, span = RATE_WORDS[vocab.RATE_UNITS[item]]
    low = dollars_filter(low_cents)
    if high_cents == low_cents:
        return str(one) % {"price": low}
    return str(span) % {"low": low, "high": dollars_filter(high_cents)}


@bp.app_template_filter("miles")
def miles_filter(miles: float) -> str:
    return str(round_miles(miles))


@bp.app_template_filter("tel")
def tel_filter(phone: str) -> str:
    """A dialable tel: target; an extension becomes a pause-and-dial suffix."""
    number, _, extension = phone.lower().partition("x")
    digits = "".join(c for c in number if c.isdigit())
    ext = "".join(c for c in extension if c.isdigit())
    return digits + (f",{ext}" if ext else "")


@bp.app_template_global()
def map_link(program) -> str:
    """A geo: link to the program's point, labelled with its name; the whole query is
    percent-encoded, so that '&', '#' or parentheses in a name cannot cut it short."""
    point = f"{program.latitude:.6f},{program.longitude:.6f}"
    return f"geo:{point}?q={quote(f'{point}({program.name})', safe='')}"


@bp.app_template_global()
def directions_link(program) -> str:
    """Google Maps' documented cross-platform directions URL to the program: it opens the
    maps app on iOS and Android, the web page elsewhere, and only when tapped. A program
    placed at its ZIP's centre is found by its street address instead, when it has one."""
    if program.location_approximate and program.street:
        destination = f"{program.street}, {program.city}, {program.state} {program.zip}"
    else:
        destination = f"{program.latitude:.6f},{program.longitude:.6f}"
    return "https://www.google.com/maps/dir/?" + urlencode({"api": "1", "destination": destination})


@bp.app_template_filter("dollars")
def dollars_filter(cents: int) -> str:
    from .i18n import money  # the page's locale: "$1,234.56"

    return money(cents, cents=True)


@bp.app_template_filter("sliding")
def sliding_filter(schedule: str) -> str:
    """A program's sliding-fee schedule in words."""
    parts = [
        gettext(
            "up to %(upper)s%% of the poverty guideline pays %(pay)s%%",
            upper=band.upper_percent,
            pay=band.pay_percent,
        )
        for band in parse_sliding_schedule(schedule)
    ]
    return "; ".join([*parts, gettext("above that, the full price")])


@bp.app_template_global()
def result_map(page: programs.ResultPage | None) -> resultmap.ResultMap | None:
    """The map of a results page's programs, numbered as the list numbers them; None for a
    page without any."""
    if not page or not page.hits:
        return None
    q = page.query
    spots = [
        resultmap.Spot(h.program.name, h.program.latitude, h.program.longitude, h.distance_miles)
        for h in page.hits
    ]
    return resultmap.result_map(q.origin, q.radius, spots, (q.page - 1) * q.per_page + 1)


@bp.get("/search/list")
def search_list():
    """A search's programs as a list to print or share: address and every phone of each,
    the filters in words and the date. The URL alone reproduces it."""
    form = search_form()
    try:
        query = _read_search()
    except SearchError as exc:
        return render_template("finder/results.html", form=form, error=exc), 400
    today = dt.date.today()
    page = programs.printable(query, fitter(query, today))
    return render_template(
        "finder/list.html",
        form=form,
        page=page,
        numbers=programs.listing_phones(page),
        today=today,
    )


@bp.app_template_global()
def fpg_words(fpg: str) -> str:
    """A household's poverty-guideline class in words: "101 to 125%", "201% or more"."""
    low, _, high = fpg.partition("-")
    if fpg.endswith("+"):
        return gettext("%(low)s%% or more", low=fpg.removesuffix("+"))
    return gettext("%(low)s to %(high)s%%", low=low, high=high)
