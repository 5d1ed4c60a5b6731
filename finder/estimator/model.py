"""The estimator's inputs and answer: frozen dataclasses, money in integer cents."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

# ---- inputs ----


@dataclass(frozen=True)
class Phase:
    """A stretch of one care level; `rate_cents` (per day or week) overrides every other price.
    `visits_per_week` (outpatient and intensive outpatient) counts the visits a visit copay
    is charged on; None is the level's default (data/visits.csv)."""

    level: str
    days: int
    rate_cents: int | None = None
    visits_per_week: int | None = None


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
    visit_copay_cents: int | None = None
    admission_copay_cents: int | None = None


@dataclass(frozen=True)
class Insurance:
    """Coverage: kind is "commercial", "medicaid", "medicare" or "tricare" (the API's
    insurance.type).

    Commercial plans need deductible, coinsurance (0 to 1) and oop_max. Out of network, the
    terms are the plan's out-of-network terms and `allowed_fraction` (0 to 1) of each charge is
    the allowed amount. Medicare uses only `deductible_met_cents` (the Part B deductible
    already met in the start's calendar year) and `days_authorized`.

    Copays, each before the deductible and counted toward the out-of-pocket maximum (Medicaid's
    too): `copay_cents` per day of day-priced care; `visit_copay_cents` per visit of outpatient
    and intensive outpatient care (the phase's `visits_per_week`, else the request's, else the
    level's default);
    `admission_copay_cents` once per admission (an unbroken run of inpatient or residential
    care), taken from the admission's charges until paid.

    `family`: the deductible and out-of-pocket maximum are the family's; one patient still pays
    at most the self-only legal limit in a plan year (the ACA's embedded limit).
    `days_authorized`: the days of the episode the plan has authorized (prior authorization or
    utilization review); the days after them are at risk, priced as self-pay (Estimate.at_risk).
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
    family: bool = False
    visit_copay_cents: int = 0
    admission_copay_cents: int = 0
    days_authorized: int | None = None
    # Issue 15's payer rules (each optional; see the modules that read them).
    # TRICARE (tricare.py): the beneficiary group (TRICARE_GROUPS); `in_network` False is a
    # non-participating provider, who may balance-bill up to 15% over the allowable.
    tricare_group: str | None = None
    # Per 30-day fill of buprenorphine billed to the pharmacy benefit at any level other than
    # an opioid treatment program; None: not given, and the medication's cost is left out.
    pharmacy_copay_cents: int | None = None
    # Original Medicare (medicare.py): lifetime reserve days already used, days already spent
    # in the current benefit period, lifetime days already spent in psychiatric hospitals, and
    # whether the hospital stay is in a freestanding psychiatric hospital (190-day limit).
    reserve_days_used: int = 0
    benefit_period_days_used: int = 0
    psychiatric_days_used: int = 0
    psychiatric_hospital: bool = False


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
    `accepted_payments` are the payment tokens of the program's listing (finder.vocab.PAYMENTS;
    None without a program): coverage the program does not list is not used, and the estimate
    is what the person would pay without it (Estimate.coverage_used says which and why).
    `visits_per_week` is every outpatient phase's that does not give its own.
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
    accepted_payments: tuple[str, ...] | None = None
    visits_per_week: int | None = None
    # The patient's age (None: an adult aged 21 to 64 is assumed, and said); the program's
    # beds (None: unknown, as in every SAMHSA listing) and state (None without a program).
    patient_age: int | None = None
    program_beds: int | None = None
    program_state: str | None = None


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
class CoverageUsed:
    """What the estimate assumed pays: `kind` is "commercial", "medicaid", "medicare",
    "tricare", "self_pay" or "out_of_network"; `reason` says why, in one sentence a person can read.
    `replaced`: the program does not list the person's coverage, so it was not used as given
    (the reason is then the answer's first assumption)."""

    kind: str
    reason: str
    replaced: bool = False


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
    coverage_used: CoverageUsed
    days_at_risk: int = 0
    at_risk: int = 0


@dataclass(frozen=True)
class PaymentPlan:
    """What you pay spread over `months`; the amounts differ by at most a cent and sum exactly."""

    months: int
    monthly: tuple[int, ...]


@dataclass(frozen=True)
class Estimate:
    """The answer; every amount is integer cents. charges = insurance_pays + you_pay +
    sliding_discount, overall, per line, per plan year and per month (the authorized days
    only when some days are at risk)."""

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
    coverage_used: CoverageUsed
    # The days after the plan's authorization (Insurance.days_authorized) and what they would
    # cost as self-pay: not in you_pay, lines or the totals above, but in range.high.
    days_at_risk: int = 0
    at_risk: int = 0
