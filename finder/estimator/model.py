"""The estimator's inputs and answer: frozen dataclasses, money in integer cents."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

# ---- inputs ----


@dataclass(frozen=True)
class Phase:
    """A stretch of one care level; `rate_cents` (per day or week) overrides every other price."""

    level: str
    days: int
    rate_cents: int | None = None


@dataclass(frozen=True)
class ProgramRate:
    """A program's published rate for a care level or medication: one figure or a low-high range."""

    item: str
    low_cents: int
    high_cents: int | None = None


@dataclass(frozen=True)
class PlanTerms:
    """Next plan year's terms; a field left as None keeps this year's value."""

    deductible_cents: int | None = None
    coinsurance: Decimal | None = None
    oop_max_cents: int | None = None
    copay_cents: int | None = None
    allowed_fraction: Decimal | None = None


@dataclass(frozen=True)
class Insurance:
    """Coverage: kind is "commercial", "medicaid" or "medicare" (the API's insurance.type).

    Commercial plans need deductible, coinsurance (0 to 1) and oop_max. Out of network, the
    terms are the plan's out-of-network terms and `allowed_fraction` (0 to 1) of each charge is
    the allowed amount. Medicaid uses only `copay_cents`; Medicare uses only
    `deductible_met_cents` (the Part B deductible already met in the start's calendar year).
    """

    kind: str
    in_network: bool = True
    deductible_cents: int | None = None
    deductible_met_cents: int = 0
    coinsurance: Decimal | None = None
    copay_cents: int = 0
    oop_max_cents: int | None = None
    oop_met_cents: int = 0
    plan_year_start: str = "01-01"
    allowed_fraction: Decimal | None = None
    next_year: PlanTerms | None = None


@dataclass(frozen=True)
class Household:
    size: int
    annual_income_cents: int
    state: str


@dataclass(frozen=True)
class SlidingClass:
    """Pay `pay_percent` of the charge up to and including `upper_percent` of the guideline."""

    upper_percent: Decimal
    pay_percent: Decimal


@dataclass(frozen=True)
class EstimateRequest:
    """What to estimate. Give `household`, or only `fpg_class` (search results) for the sliding fee.

    `sliding_schedule` is the program's own; None means the default schedule when
    `sliding_scale` is true. `payment_months` asks for a payment plan. `listed_medications`
    are the medication tokens of the program's listing (None without a program): a medication
    the listing does not name, or names in another form, is said so in the assumptions.
    """

    start_date: date
    phases: tuple[Phase, ...]
    medication: str | None = None
    medication_rate_cents: int | None = None
    program_rates: tuple[ProgramRate, ...] = ()
    insurance: Insurance | None = None
    household: Household | None = None
    fpg_class: str | None = None
    sliding_scale: bool = False
    sliding_schedule: tuple[SlidingClass, ...] | None = None
    payment_months: int | None = None
    listed_medications: tuple[str, ...] | None = None


# ---- the answer ----


@dataclass(frozen=True)
class Source:
    """Where a figure or rule comes from. `status` is how far it is from the original:
    "" (read at the source), "SECONDARY" (a summary of it), "SECONDARY; low confidence"."""

    label: str
    year: str
    citation: str
    status: str = ""


@dataclass(frozen=True)
class PricedItem:
    """How one phase (or the medication) was priced: rate per unit, its range and basis.

    basis: "request" (the rate given), "program" (published rate) or "national" (reference).
    """

    item: str
    start: date
    days: int
    unit: str
    rate: int
    rate_low: int
    rate_high: int
    basis: str


@dataclass(frozen=True)
class LineCost:
    """One dated charge line and who pays it (cents); `you_pay` includes `balance_bill`."""

    on: date
    item: str
    charge: int
    insurance_pays: int
    you_pay: int
    sliding_discount: int
    balance_bill: int
    plan_year: date


@dataclass(frozen=True)
class PeriodTotals:
    """Totals of one plan year, starting on `start` (calendar years without a commercial plan)."""

    start: date
    charges: int
    insurance_pays: int
    you_pay: int
    sliding_discount: int


@dataclass(frozen=True)
class MonthTotals:
    month: str  # "YYYY-MM"
    charges: int
    insurance_pays: int
    you_pay: int
    sliding_discount: int


@dataclass(frozen=True)
class CostRange:
    low: int
    high: int


@dataclass(frozen=True)
class Totals:
    """The figures of an Estimate without its explanation and breakdowns (estimate_totals)."""

    total_charges: int
    insurance_pays: int
    you_pay: int
    sliding_discount: int
    balance_billed: int
    fpg_percent: Decimal | None
    fpg_class: str | None
    pay_percent: Decimal | None
    range: CostRange


@dataclass(frozen=True)
class PaymentPlan:
    """What you pay spread over `months`; the amounts differ by at most a cent and sum exactly."""

    months: int
    monthly: tuple[int, ...]


@dataclass(frozen=True)
class Estimate:
    """The answer; every amount is integer cents. charges = insurance_pays + you_pay +
    sliding_discount, overall, per line, per plan year and per month."""

    total_charges: int
    insurance_pays: int
    you_pay: int
    sliding_discount: int
    balance_billed: int
    fpg_percent: Decimal | None
    fpg_class: str | None
    pay_percent: Decimal | None
    plan_years: tuple[PeriodTotals, ...]
    months: tuple[MonthTotals, ...]
    range: CostRange
    payment_plan: PaymentPlan | None
    prices: tuple[PricedItem, ...]
    lines: tuple[LineCost, ...]
    assumptions: tuple[str, ...]
    sources: tuple[Source, ...]
    good_faith_notice: str
