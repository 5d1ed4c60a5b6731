"""The cost estimator: a pure core (standard library only) that says what a program will cost.

Inputs and answers are frozen dataclasses with money in integer cents; invalid input raises
EstimateError, whose `field` names the input. Reference figures live in data/*.csv with their
year and source.
"""

from .episode import (
    CARE_LEVELS,
    DEFAULT_DAYS,
    INPATIENT_LEVELS,
    ITEM_NAMES,
    MAX_DAYS,
    MEDICATIONS,
    MIN_DAYS,
    OUTPATIENT_LEVELS,
    PRESETS,
    STEPPED_MIN_DAYS,
    preset_phases,
)
from .errors import EstimateError, NotEstimated
from .estimate import estimate, estimate_totals, payment_plan, programs_totals
from .explain import CLASS_WORDS, GOOD_FAITH_NOTICE, plain_date
from .insurance import INSURANCE_TYPES
from .model import (
    CostRange,
    CoverageUsed,
    Estimate,
    EstimateRequest,
    Household,
    Insurance,
    LineCost,
    MonthTotals,
    PaymentPlan,
    PeriodTotals,
    Phase,
    PlanTerms,
    PricedItem,
    ProgramRate,
    SlidingClass,
    Source,
    Totals,
)
from .money import cents_to_dollars, dollars_to_cents, format_dollars
from .numbers import to_decimal, whole_number
from .payer import LISTED_AS
from .poverty import PovertyPercent, poverty_percent, state_code
from .reference import (
    AcaLimit,
    NationalPrice,
    aca_oop_limit,
    national_prices,
    states,
    visits_per_week,
)
from .sliding import (
    DEFAULT_SCHEDULE,
    FPG_CLASSES,
    format_sliding_schedule,
    fpg_class,
    parse_sliding_schedule,
    pay_percent,
    pay_percent_range,
)
from .validate import fraction

__all__ = [
    "CLASS_WORDS",
    "CARE_LEVELS",
    "DEFAULT_DAYS",
    "DEFAULT_SCHEDULE",
    "FPG_CLASSES",
    "GOOD_FAITH_NOTICE",
    "INPATIENT_LEVELS",
    "INSURANCE_TYPES",
    "LISTED_AS",
    "ITEM_NAMES",
    "MAX_DAYS",
    "MEDICATIONS",
    "MIN_DAYS",
    "OUTPATIENT_LEVELS",
    "PRESETS",
    "STEPPED_MIN_DAYS",
    "AcaLimit",
    "CostRange",
    "CoverageUsed",
    "Estimate",
    "EstimateError",
    "NotEstimated",
    "EstimateRequest",
    "Household",
    "Insurance",
    "LineCost",
    "MonthTotals",
    "NationalPrice",
    "PaymentPlan",
    "PeriodTotals",
    "Phase",
    "PlanTerms",
    "PovertyPercent",
    "PricedItem",
    "ProgramRate",
    "SlidingClass",
    "Source",
    "Totals",
    "aca_oop_limit",
    "cents_to_dollars",
    "dollars_to_cents",
    "estimate",
    "estimate_totals",
    "format_dollars",
    "format_sliding_schedule",
    "fpg_class",
    "fraction",
    "national_prices",
    "parse_sliding_schedule",
    "pay_percent",
    "pay_percent_range",
    "payment_plan",
    "plain_date",
    "poverty_percent",
    "preset_phases",
    "programs_totals",
    "state_code",
    "states",
    "to_decimal",
    "visits_per_week",
    "whole_number",
]
