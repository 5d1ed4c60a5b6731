"""Insurance fit on search results: does a program take the searcher's coverage, and what
would 90 days of its care cost them at its published price?"""

import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple

from .estimate_inputs import ceiling_plan, dollars
from .estimator import (
    LISTED_AS,
    EstimateError,
    EstimateRequest,
    Insurance,
    NotEstimated,
    Phase,
    ProgramRate,
    dollars_to_cents,
    fpg_class,
    parse_sliding_schedule,
    poverty_percent,
    programs_totals,
    whole_number,
)
from .estimator.text import Text
from .estimator.tricare import DEFAULT_GROUP, TRICARE_GROUPS
from .i18n import say
from .models import Program
from .search import Query

COMMERCIAL = ("private_insurance",)
ESTIMATED = (*COMMERCIAL, "tricare", "medicaid", "medicare", "cash")
DAYS = 90
# Which care level a result's estimate is for, when several fit: the least intensive first,
# since that is where most people start.
LEVEL_ORDER = (
    "outpatient",
    "intensive_outpatient",
    "opioid_treatment_program",
    "partial_hospitalization",
    "detox_outpatient",
    "residential_long",
    "residential_short",
    "residential",  # length not stated: priced with the residential figures, said in the estimate
    "hospital_inpatient",
    "detox_inpatient",
)


@dataclass(frozen=True)
class Fit:
    """`accepts` is None without a coverage; prices are None where there is none to show.
    `ceiling`: `high` is the legal out-of-pocket maximum, not a computed price."""

    accepts: bool | None
    level: str | None = None
    you_pay: int | None = None
    low: int | None = None
    high: int | None = None
    ceiling: bool = False
    self_pay: bool = False
    # Why the payer's rules give no figure for the level (TRICARE outpatient care), if so.
    not_estimated: str | None = None

    @property
    def has_estimate(self) -> bool:
        return self.you_pay is not None or self.high is not None

    @property
    def cost_key(self) -> tuple[int, int]:
        """Sort key for sort=cost: what you pay (or the top of the range); no estimate last."""
        if not self.has_estimate:
            return (1, 0)
        return (0, self.you_pay if self.you_pay is not None else self.high)

    def as_json(self) -> dict | None:
        if self.not_estimated is not None:
            return {"not_estimated": say(self.not_estimated), "level": self.level}
        if not self.has_estimate:
            return None
        if self.you_pay is not None:
            return {
                "you_pay": dollars(self.you_pay),
                "level": self.level,
                "self_pay": self.self_pay,
            }
        return {
            "low": dollars(self.low),
            "high": dollars(self.high),
            "ceiling": self.ceiling,
            "level": self.level,
            "self_pay": self.self_pay,
        }


def chosen_levels(query: Query) -> tuple[str, ...]:
    """The care levels the searcher chose (care=, setting=), least intensive first; () when
    they chose none. Given both filters, the levels both allow (all of either if none do)."""
    sets = [
        {v for kind, values in either if kind == "care" for v in values}
        for either in query.feature_sets()
        if any(kind == "care" for kind, _ in either)
    ]
    wanted = (set.intersection(*sets) or set.union(*sets)) if sets else set()
    return tuple(lvl for lvl in LEVEL_ORDER if lvl in wanted)


def prices_level(program: Program, level: str) -> bool:
    """Whether a program offers a care level and publishes its price."""
    return level in program.tokens("care") and program.rate(level) is not None


def _level(program: Program, query: Query) -> str | None:
    offered = set(program.tokens("care"))
    wanted = {
        v for either in query.feature_sets() for kind, vs in either if kind == "care" for v in vs
    }
    candidates = [lvl for lvl in LEVEL_ORDER if lvl in offered and (not wanted or lvl in wanted)]
    priced = [lvl for lvl in candidates if program.rate(lvl) is not None]
    return (priced or candidates or [None])[0]


def _insurance(query: "Query | _Asked", start: dt.date) -> tuple[Insurance | None, bool]:
    """The plan to estimate with, and whether the answer is only a ceiling."""
    if query.coverage in COMMERCIAL:
        if query.plan_terms is None:
            return ceiling_plan(start), True
        deductible, coinsurance, oop_max = query.plan_terms
        return (
            Insurance(
                kind="commercial",
                deductible_cents=deductible,
                coinsurance=coinsurance,
                oop_max_cents=oop_max,
            ),
            False,
        )
    if query.coverage == "tricare":
        return Insurance(kind="tricare", tricare_group=DEFAULT_GROUP), False
    if query.coverage in ("medicaid", "medicare"):
        return Insurance(kind=query.coverage), False
    return None, False


def coverage_assumption(coverage: str | None) -> Text | None:
    """What a search's estimates assume about the searcher's coverage beyond its name, in a
    sentence (the results page and the API say it, with finder.i18n.say), or None."""
    if coverage == "tricare":
        group = TRICARE_GROUPS[DEFAULT_GROUP]
        return Text(
            "TRICARE estimates assume %(group)s, under TRICARE's own cost-shares and "
            "catastrophic cap.",
            # The estimator's Text for the group (a plain str is looked up by its words).
            group=group if isinstance(group, Text) else Text(group),
        )
    return None


def estimates(query: Query) -> bool:
    """Whether a search's fit includes a 90-day estimate: a coverage it can price, or a
    household's poverty class with no coverage (as self-pay)."""
    return query.coverage in ESTIMATED or (query.coverage is None and query.fpg is not None)


def fit(program: Program, query: Query, today: dt.date, level: str | None = None) -> Fit:
    """How well a program fits the searcher's coverage and household, with a 90-day estimate
    of the care level `level` (a results page's, finder.programs), or without it of the level
    chosen for this program alone (the least intensive it prices of those the searcher chose)."""
    return _fit_at(program, query, today, level or _level(program, query))


def _fit_at(
    program: Program,
    query: Query,
    today: dt.date,
    level: str | None,
    memo: dict | None = None,
    pricing: dict | None = None,
) -> Fit:
    """The fit with an estimate of `level` (None: no estimate) where the program prices it;
    `memo` holds the fits already worked out for this search, `pricing` its estimates by
    level, their request validated once (Fitter)."""
    payments = program.tokens("payment")
    accepts = None if query.coverage is None else query.coverage in payments
    if not estimates(query):
        return Fit(accepts)
    if level is None or not prices_level(program, level):
        return Fit(accepts, level)
    rate = program.rate(level)
    args = (
        accepts,
        level,
        (rate.low_cents, rate.high_cents),
        "sliding_fee" in payments,
        program.sliding_fee_schedule or None,
        (query.coverage, query.fpg, query.plan_terms),
        today,
    )
    if memo is None:
        return _priced_fit(*args)
    found = memo.get(args)
    if found is None:
        found = memo[args] = _priced_fit(*args, pricing=pricing)
    return found


def _priced_fit(
    accepts: bool | None,
    level: str,
    rate: tuple[int, int | None],
    sliding_fee: bool,
    schedule_text: str | None,
    asked: tuple,
    today: dt.date,
    pricing: dict | None = None,
) -> Fit:
    """The fit of a program that prices `level`. It depends only on these arguments (the
    estimator is pure, and of a program's rates only the level's is priced:
    estimator.prices.item_rate): programs of a search alike in them share it. `pricing`
    (Fitter) keeps what the search's programs share, validated once (programs_totals)."""
    query = _Asked(*asked)
    insurance, ceiling = _insurance(query, today)
    schedule = parse_sliding_schedule(schedule_text) if schedule_text else None
    totals = None if pricing is None else pricing.get(level)
    if totals is None:
        request = EstimateRequest(
            start_date=today,
            phases=(Phase(level, DAYS),),
            insurance=insurance,
            fpg_class=query.fpg,
        )
        totals = programs_totals(request)
        if pricing is not None:
            pricing[level] = totals
    try:
        answer = totals(
            (ProgramRate(level, *rate),),
            sliding_scale=(sliding_fee or schedule is not None) and query.fpg is not None,
            sliding_schedule=schedule,
            # The estimator prices coverage the program does not list as self-pay.
            accepted_payments=(LISTED_AS[insurance.kind],) if accepts and insurance else (),
        )
    except NotEstimated as reason:
        return Fit(accepts, level, not_estimated=reason.message)
    self_pay = answer.coverage_used.kind == "self_pay"
    ceiling = ceiling and not self_pay
    if ceiling:
        return Fit(accepts, level, low=0, high=answer.range.high, ceiling=True, self_pay=self_pay)
    if answer.range.low != answer.range.high:
        return Fit(accepts, level, low=answer.range.low, high=answer.range.high, self_pay=self_pay)
    return Fit(accepts, level, you_pay=answer.you_pay, self_pay=self_pay)


class _Asked(NamedTuple):
    """The parts of a search its fit depends on (search.Query's fields of the same names)."""

    coverage: str | None
    fpg: str | None
    plan_terms: tuple | None


@dataclass(frozen=True)
class Fitter:
    """A search's fit, for finder.programs.programs_near: which care levels a results page's
    estimates may be for, and each program's Fit at the level the page chose."""

    query: Query
    today: dt.date
    # Fits already worked out for this search (_fit_at): many programs of a page share a
    # price, and their estimates are the same to the cent.
    _memo: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    # The search's estimates by level, their request validated once (_priced_fit).
    _pricing: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def estimates(self) -> bool:
        return estimates(self.query)

    @property
    def levels(self) -> tuple[str, ...]:
        """The levels a page may estimate, least intensive first: the chosen ones, or all."""
        return chosen_levels(self.query) or LEVEL_ORDER

    def page_level(self, priced: set[str]) -> str | None:
        """The least intensive of `levels` that a program of the page's candidates prices."""
        return next((lvl for lvl in self.levels if lvl in priced), None)

    def __call__(self, program: Program, level: str | None) -> Fit:
        return _fit_at(program, self.query, self.today, level, self._memo, self._pricing)


def fitter(query: Query, today: dt.date) -> Fitter | None:
    """The fit of a search's results, or None when it asks for no fit."""
    if query.coverage is None and query.fpg is None:
        return None
    return Fitter(query, today)


def household_class(size: str, income: str, state: str | None, on: dt.date) -> str:
    """The poverty-guideline class of a household: the only part of it a results URL carries."""
    try:
        people = whole_number(size, "household_size")
    except EstimateError:
        raise EstimateError(
            "household_size", Text("Enter how many people live in your household.")
        ) from None
    if not state:
        raise EstimateError(
            "state", Text("Choose your state: Alaska and Hawaii have their own guidelines.")
        )
    result = poverty_percent(people, dollars_to_cents(income, "income"), state, on)
    return fpg_class(result.exact)
