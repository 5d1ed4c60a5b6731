"""Rules that must hold for every input (hypothesis)."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from finder.estimator import (
    CARE_LEVELS,
    FPG_CLASSES,
    MEDICATIONS,
    EstimateError,
    EstimateRequest,
    Household,
    Insurance,
    Phase,
    PlanTerms,
    ProgramRate,
    SlidingClass,
    aca_oop_limit,
    estimate,
    estimate_totals,
    format_sliding_schedule,
    parse_sliding_schedule,
    programs_totals,
)

cents = st.integers(min_value=0, max_value=300_000)
coinsurance = st.integers(min_value=0, max_value=100).map(lambda n: Decimal(n) / 100)
fractions = st.integers(min_value=0, max_value=1000).map(lambda n: Decimal(n) / 1000)
month_days = st.builds(
    lambda month, day: f"{month:02d}-{day:02d}",
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=1, max_value=28),
)
phases = (
    st.lists(
        st.builds(
            Phase,
            st.sampled_from(sorted(CARE_LEVELS)),
            st.integers(min_value=1, max_value=200),
            st.integers(min_value=0, max_value=250_000),
            st.none() | st.integers(min_value=1, max_value=7),
        ),
        min_size=1,
        max_size=4,
    )
    .map(tuple)
    .filter(lambda found: 7 <= sum(phase.days for phase in found) <= 365)
)


authorized_days = st.none() | st.integers(min_value=0, max_value=365)
# Buprenorphine's pharmacy copay per 30-day fill, under any plan (None: its cost left out).
pharmacy_copays = st.none() | st.integers(min_value=0, max_value=10_000)


@st.composite
def commercial_plans(draw, in_network=None):
    deductible = draw(st.integers(min_value=0, max_value=1_000_000))
    oop_max = draw(st.integers(min_value=0, max_value=2_000_000))
    network = draw(st.booleans()) if in_network is None else in_network
    next_year = draw(
        st.none()
        | st.builds(
            PlanTerms,
            st.none() | st.integers(min_value=0, max_value=1_000_000),
            st.none() | coinsurance,
            st.none() | st.integers(min_value=0, max_value=2_000_000),
            st.none() | st.integers(min_value=0, max_value=10_000),
            st.none(),
            st.none() | st.integers(min_value=0, max_value=10_000),
            st.none() | st.integers(min_value=0, max_value=100_000),
        )
    )
    return Insurance(
        "commercial",
        in_network=network,
        deductible_cents=deductible,
        deductible_met_cents=draw(st.integers(min_value=0, max_value=deductible)),
        coinsurance=draw(coinsurance),
        copay_cents=draw(st.integers(min_value=0, max_value=10_000)),
        oop_max_cents=oop_max,
        oop_met_cents=draw(st.integers(min_value=0, max_value=oop_max)),
        plan_year_start=draw(month_days),
        allowed_fraction=None if network else draw(fractions),
        next_year=next_year,
        family=draw(st.booleans()),
        visit_copay_cents=draw(st.integers(min_value=0, max_value=10_000)),
        admission_copay_cents=draw(st.integers(min_value=0, max_value=100_000)),
        days_authorized=draw(authorized_days),
        pharmacy_copay_cents=draw(pharmacy_copays),
    )


insurances = st.one_of(
    st.none(),
    commercial_plans(),
    st.builds(
        Insurance,
        st.just("medicaid"),
        copay_cents=st.integers(min_value=0, max_value=500),
        visit_copay_cents=st.integers(min_value=0, max_value=500),
        admission_copay_cents=st.integers(min_value=0, max_value=10_000),
        days_authorized=authorized_days,
        pharmacy_copay_cents=pharmacy_copays,
    ),
    st.builds(
        Insurance,
        st.just("medicare"),
        deductible_met_cents=st.integers(0, 25_700),
        reserve_days_used=st.integers(0, 60),
        benefit_period_days_used=st.integers(0, 365),
        psychiatric_days_used=st.integers(0, 190),
        psychiatric_hospital=st.booleans(),
        pharmacy_copay_cents=pharmacy_copays,
    ),
)
schedules = st.lists(
    st.tuples(st.integers(min_value=1, max_value=400), st.integers(min_value=0, max_value=100)),
    min_size=1,
    max_size=8,
).map(
    lambda pairs: tuple(
        SlidingClass(Decimal(upper), Decimal(pay))
        for upper, pay in zip(
            sorted({upper for upper, _ in pairs}), sorted(pay for _, pay in pairs), strict=False
        )
    )
)
households = st.builds(
    Household,
    st.integers(min_value=1, max_value=10),
    st.integers(min_value=0, max_value=20_000_000),
    st.sampled_from(["TX", "AK", "HI", "NY"]),
)
start_dates = st.dates(min_value=date(2024, 6, 1), max_value=date(2027, 12, 31))


@st.composite
def requests(draw, insurance=insurances, sliding=None):
    with_sliding = draw(st.booleans()) if sliding is None else sliding
    return EstimateRequest(
        start_date=draw(start_dates),
        phases=draw(phases),
        medication=draw(st.none() | st.sampled_from(sorted(MEDICATIONS))),
        insurance=draw(insurance),
        household=draw(st.none() | households),
        fpg_class=draw(st.none() | st.sampled_from(sorted(FPG_CLASSES))),
        sliding_scale=with_sliding,
        sliding_schedule=draw(st.none() | schedules),
        payment_months=draw(st.none() | st.integers(min_value=1, max_value=60)),
        accepted_payments=draw(st.none() | st.lists(st.sampled_from(PAYMENTS)).map(tuple)),
        visits_per_week=draw(st.none() | st.integers(min_value=1, max_value=7)),
        # Medicaid's rules turn on the age (children pay nothing; estimate._runs_suffice).
        patient_age=draw(st.none() | st.integers(min_value=0, max_value=120)),
    )


PAYMENTS = ("cash", "private_insurance", "medicaid", "medicare", "sliding_fee")
AMOUNTS = ("charges", "insurance_pays", "you_pay", "sliding_discount")


@settings(max_examples=300, deadline=None)
@given(requests())
def test_nothing_is_negative_and_you_never_pay_more_than_the_charges(request):
    answer = estimate(request)
    for line in answer.lines:
        assert min(line.charge, line.insurance_pays, line.you_pay, line.sliding_discount) >= 0
        assert line.balance_bill <= line.you_pay <= line.charge
        assert line.charge == line.insurance_pays + line.you_pay + line.sliding_discount
    assert 0 <= answer.you_pay <= answer.total_charges
    assert answer.total_charges == answer.insurance_pays + answer.you_pay + answer.sliding_discount
    assert 0 <= answer.range.low <= answer.you_pay <= answer.range.high - answer.at_risk
    assert answer.at_risk >= 0
    assert 0 <= answer.days_at_risk <= sum(phase.days for phase in request.phases)
    assert answer.days_at_risk or not answer.at_risk


@settings(max_examples=300, deadline=None)
@given(requests())
def test_coverage_the_program_does_not_list_pays_nothing_in_network(request):
    answer = estimate(request)
    listed = {"commercial": "private_insurance", "medicaid": "medicaid", "medicare": "medicare"}
    plan, accepted = request.insurance, request.accepted_payments
    if plan is None or accepted is None or listed[plan.kind] in accepted:
        return
    if plan.kind == "commercial" and not plan.in_network:
        assert answer.coverage_used.kind == "out_of_network"
    else:
        assert answer.coverage_used.kind == "self_pay"
        assert answer.insurance_pays == 0
        assert answer.assumptions[0] == answer.coverage_used.reason


def medical_you_pay(answer, year) -> int:
    """What you pay in a plan year less buprenorphine's pharmacy copays, which are outside
    the plan's medical out-of-pocket maximum (under a plan its lines are all pharmacy fills)."""
    fills = sum(
        line.you_pay
        for line in answer.lines
        if line.item == "buprenorphine" and line.plan_year == year.start
    )
    return year.you_pay - fills


@settings(max_examples=300, deadline=None)
@given(requests(insurance=commercial_plans(in_network=True).map(lambda p: replace(p, family=True))))
def test_one_patient_on_a_family_plan_never_pays_more_than_the_self_only_limit(request):
    answer = estimate(replace(request, accepted_payments=None))
    for year in answer.plan_years:
        assert medical_you_pay(answer, year) <= aca_oop_limit(year.start.year).self_only_cents


@settings(max_examples=300, deadline=None)
@given(requests())
def test_months_and_plan_years_add_up_to_the_totals_to_the_cent(request):
    answer = estimate(request)
    totals = (answer.total_charges, answer.insurance_pays, answer.you_pay, answer.sliding_discount)
    for periods in (answer.months, answer.plan_years):
        assert tuple(sum(getattr(p, name) for p in periods) for name in AMOUNTS) == totals
    if answer.payment_plan:
        assert sum(answer.payment_plan.monthly) == answer.you_pay
        assert max(answer.payment_plan.monthly) - min(answer.payment_plan.monthly) <= 1


@settings(max_examples=300, deadline=None)
@given(requests(insurance=commercial_plans(in_network=True)))
def test_out_of_pocket_maximum_holds_in_every_plan_year_in_network(request):
    plan = request.insurance
    answer = estimate(replace(request, accepted_payments=None))  # the program takes the plan
    for index, year in enumerate(answer.plan_years):
        if index == 0:
            assert medical_you_pay(answer, year) <= plan.oop_max_cents - plan.oop_met_cents
        else:
            later = plan.next_year.oop_max_cents if plan.next_year else None
            assert medical_you_pay(answer, year) <= (plan.oop_max_cents if later is None else later)


@settings(max_examples=200, deadline=None)
@given(requests(insurance=commercial_plans(), sliding=False), coinsurance, coinsurance)
def test_more_coinsurance_never_costs_less(request, first, second):
    # Without a sliding fee: with one, an earlier-met maximum can lower later sliding amounts.
    lower, higher = sorted((first, second))
    plan = request.insurance
    cheaper = estimate(replace(request, insurance=replace(plan, coinsurance=lower)))
    dearer = estimate(replace(request, insurance=replace(plan, coinsurance=higher)))
    assert cheaper.you_pay <= dearer.you_pay


@settings(max_examples=200, deadline=None)
@given(schedules)
def test_any_valid_schedule_round_trips_through_its_text(schedule):
    assert parse_sliding_schedule(format_sliding_schedule(schedule)) == schedule


# Search results price with the program's published rates (one figure or a range) and the
# national reference where it has none, often from a start late in the year.
program_rates = st.lists(
    st.builds(
        lambda item, low, extra: ProgramRate(item, low, None if extra is None else low + extra),
        st.sampled_from(sorted({*CARE_LEVELS, *MEDICATIONS})),
        st.integers(min_value=0, max_value=250_000),
        st.none() | st.integers(min_value=0, max_value=100_000),
    ),
    max_size=4,
    unique_by=lambda rate: rate.item,
).map(tuple)
unrated_phases = phases.map(lambda found: tuple(Phase(p.level, p.days) for p in found))
late_starts = st.builds(
    date,
    st.integers(min_value=2024, max_value=2027),
    st.integers(min_value=10, max_value=12),
    st.integers(min_value=1, max_value=31 - 3),
)


@st.composite
def program_requests(draw):
    request = draw(requests())
    return replace(
        request,
        start_date=draw(late_starts | start_dates),
        phases=draw(unrated_phases | phases),
        program_rates=draw(program_rates),
    )


# Medication around opioid treatment programs: phases often an OTP without a rate of its own
# (priced at the medication's bundle), buprenorphine under a plan as pharmacy fills.
otp_phases = (
    st.lists(
        st.builds(
            Phase,
            st.sampled_from(["opioid_treatment_program", "outpatient", "residential_short"]),
            st.integers(min_value=1, max_value=120),
            st.none() | st.integers(min_value=0, max_value=250_000),
        ),
        min_size=1,
        max_size=4,
    )
    .map(tuple)
    .filter(lambda found: 7 <= sum(phase.days for phase in found) <= 365)
)


@st.composite
def medication_requests(draw):
    request = draw(requests())
    return replace(
        request,
        phases=draw(otp_phases),
        medication=draw(st.sampled_from(sorted(MEDICATIONS))),
        medication_rate_cents=draw(st.none() | st.integers(min_value=0, max_value=200_000)),
        program_rates=draw(program_rates),
    )


def _figures(answer):
    return (
        answer.total_charges,
        answer.insurance_pays,
        answer.you_pay,
        answer.sliding_discount,
        answer.balance_billed,
        answer.fpg_percent,
        answer.fpg_class,
        answer.pay_percent,
        answer.range,
        answer.coverage_used,
        answer.days_at_risk,
        answer.at_risk,
    )


@settings(max_examples=500, deadline=None)
@given(requests() | program_requests() | medication_requests())
def test_totals_alone_are_the_full_estimate_s_figures_to_the_cent(request):
    try:
        answer = estimate(request)
    except EstimateError as error:
        try:
            estimate_totals(request)
        except EstimateError as same:
            assert (same.field, str(same)) == (error.field, str(error))
        else:
            raise AssertionError("estimate_totals accepted what estimate refused") from None
        return
    assert _figures(estimate_totals(request)) == _figures(answer)


@settings(max_examples=300, deadline=None)
@given(medication_requests())
def test_no_opioid_treatment_program_day_carries_methadone_or_buprenorphine_on_top(request):
    try:
        answer = estimate(request)
    except EstimateError:
        return
    otp_days, day = set(), request.start_date
    for phase in request.phases:
        span = {day + timedelta(days=offset) for offset in range(phase.days)}
        if phase.level == "opioid_treatment_program":
            otp_days |= span
        day += timedelta(days=phase.days)
    if request.medication in ("methadone", "buprenorphine"):
        on_top = [line for line in answer.lines if line.item == request.medication]
        assert not [line for line in on_top if line.on in otp_days]


PROGRAM_TERMS = ("program_rates", "sliding_scale", "sliding_schedule", "accepted_payments")


@settings(max_examples=500, deadline=None)
@given(requests() | program_requests() | medication_requests())
def test_a_search_s_totals_are_each_program_s_own_totals_to_the_cent(request):
    """programs_totals validates the request once, then prices each program's terms: the
    same figures as estimate_totals of the request with those terms."""
    terms = {name: getattr(request, name) for name in PROGRAM_TERMS}
    shared = replace(request, program_rates=(), sliding_scale=False, sliding_schedule=None,
                     accepted_payments=None)  # fmt: skip
    try:
        alone = _figures(estimate_totals(request))
    except EstimateError as error:
        try:
            programs_totals(shared)(**terms)
        except EstimateError as same:
            assert type(same) is type(error)
        else:
            raise AssertionError("programs_totals accepted what estimate_totals refused") from None
        return
    assert _figures(programs_totals(shared)(**terms)) == alone
