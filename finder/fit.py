"""Insurance fit on search results: does a program take the searcher's coverage, and what
would 90 days of its care cost them at its published price?"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from .estimates import dollars, program_prices
from .estimator import (
    EstimateError,
    EstimateRequest,
    Insurance,
    Phase,
    PlanTerms,
    aca_oop_limit,
    dollars_to_cents,
    estimate_totals,
    fpg_class,
    poverty_percent,
    whole_number,
)
from .models import Program
from .search import Query

COMMERCIAL = ("private_insurance", "tricare")
ESTIMATED = (*COMMERCIAL, "medicaid", "medicare", "cash")
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


def _level(program: Program, query: Query) -> str | None:
    offered = set(program.tokens("care"))
    wanted = {
        v for either in query.feature_sets() for kind, vs in either if kind == "care" for v in vs
    }
    candidates = [lvl for lvl in LEVEL_ORDER if lvl in offered and (not wanted or lvl in wanted)]
    priced = [lvl for lvl in candidates if program.rate(lvl) is not None]
    return (priced or candidates or [None])[0]


def _ceiling_plan(start: dt.date) -> Insurance:
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


def _insurance(query: Query, start: dt.date) -> tuple[Insurance | None, bool]:
    """The plan to estimate with, and whether the answer is only a ceiling."""
    if query.coverage in COMMERCIAL:
        if query.plan_terms is None:
            return _ceiling_plan(start), True
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
    if query.coverage in ("medicaid", "medicare"):
        return Insurance(kind=query.coverage), False
    return None, False


def fit(program: Program, query: Query, today: dt.date) -> Fit:
    """How well a program fits the searcher's coverage and household, with a 90-day estimate."""
    accepts = None if query.coverage is None else query.coverage in program.tokens("payment")
    if query.coverage not in ESTIMATED and (query.coverage is not None or query.fpg is None):
        return Fit(accepts)
    level = _level(program, query)
    rate = program.rate(level) if level else None
    if rate is None:
        return Fit(accepts, level)
    insurance, ceiling = _insurance(query, today) if accepts else (None, False)
    prices = program_prices(program)
    answer = estimate_totals(
        EstimateRequest(
            start_date=today,
            phases=(Phase(level, DAYS),),
            program_rates=prices["program_rates"],
            insurance=insurance,
            fpg_class=query.fpg,
            sliding_scale=prices["sliding_scale"] and query.fpg is not None,
            sliding_schedule=prices["sliding_schedule"],
        )
    )
    self_pay = insurance is None
    if ceiling:
        return Fit(accepts, level, low=0, high=answer.range.high, ceiling=True, self_pay=self_pay)
    if answer.range.low != answer.range.high:
        return Fit(accepts, level, low=answer.range.low, high=answer.range.high, self_pay=self_pay)
    return Fit(accepts, level, you_pay=answer.you_pay, self_pay=self_pay)


def fitter(query: Query, today: dt.date):
    """The per-program fit function for a search, or None when it asks for no fit."""
    if query.coverage is None and query.fpg is None:
        return None
    return lambda program: fit(program, query, today)


def household_class(size: str, income: str, state: str | None, on: dt.date) -> str:
    """The poverty-guideline class of a household: the only part of it a results URL carries."""
    try:
        people = whole_number(size, "household_size")
    except EstimateError:
        raise EstimateError(
            "household_size", "Enter how many people live in your household."
        ) from None
    if not state:
        raise EstimateError(
            "state", "Choose your state: Alaska and Hawaii have their own guidelines."
        )
    result = poverty_percent(people, dollars_to_cents(income, "income"), state, on)
    return fpg_class(result.exact)
