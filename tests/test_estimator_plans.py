"""Worked examples, checked by hand, of estimates that respect the program and the plan:
what the program accepts, family plans, copays as plans write them, days authorized."""

from datetime import date
from decimal import Decimal

import pytest

from finder.estimator import (
    EstimateError,
    EstimateRequest,
    Insurance,
    Phase,
    aca_oop_limit,
    estimate,
    estimate_totals,
)

MARCH = date(2026, 3, 2)


def plan(**terms):
    """An in-network plan: $1,000 deductible, 20%, $10,000 out-of-pocket maximum."""
    base = {"deductible_cents": 100000, "coinsurance": Decimal("0.2"), "oop_max_cents": 1000000}
    return Insurance("commercial", **{**base, **terms})


def free_plan(**copays):
    """A plan that charges nothing but the copays given."""
    return plan(deductible_cents=0, coinsurance=Decimal(0), **copays)


def outpatient_weeks(weeks=4, rate=20000, **extra):
    return (Phase("outpatient", 7 * weeks, rate, **extra),)


# ---- the program's own payments ----


def test_a_plan_the_program_does_not_list_is_priced_as_self_pay_and_said_first():
    # 4 weeks of outpatient care at $200 a week: $800, all of it yours.
    answer = estimate(
        EstimateRequest(
            MARCH,
            outpatient_weeks(),
            insurance=plan(),
            accepted_payments=("cash", "medicaid"),
        )
    )
    assert (answer.total_charges, answer.insurance_pays, answer.you_pay) == (80000, 0, 80000)
    assert answer.coverage_used.kind == "self_pay" and answer.coverage_used.replaced
    assert answer.assumptions[0] == answer.coverage_used.reason
    assert answer.coverage_used.reason.startswith(
        "The program does not list private health insurance among the payments it accepts"
    )


def test_medicaid_at_a_cash_and_sliding_fee_program_pays_the_sliding_fee_not_zero():
    # The default schedule's class above 100% and up to 125% pays 20%: 20% of $800 = $160.
    request = EstimateRequest(
        MARCH,
        outpatient_weeks(),
        insurance=Insurance("medicaid"),
        fpg_class="101-125",
        sliding_scale=True,
        accepted_payments=("cash", "sliding_fee"),
    )
    answer = estimate(request)
    assert (answer.you_pay, answer.sliding_discount, answer.insurance_pays) == (16000, 64000, 0)
    assert answer.coverage_used.kind == "self_pay"
    assert "less its sliding fee" in answer.coverage_used.reason
    assert estimate_totals(request).you_pay == 16000


def test_a_plan_with_out_of_network_terms_is_used_out_of_network_where_not_listed():
    # The plan allows half of $200 = $100 a week, no deductible, 20% coinsurance: you pay $20
    # of it, and the program may bill the other $100 (balance bill): $120 a week, $480 in all.
    answer = estimate(
        EstimateRequest(
            MARCH,
            outpatient_weeks(),
            insurance=plan(in_network=False, deductible_cents=0, allowed_fraction=Decimal("0.5")),
            accepted_payments=("cash",),
        )
    )
    assert (answer.insurance_pays, answer.you_pay, answer.balance_billed) == (32000, 48000, 40000)
    assert answer.coverage_used.kind == "out_of_network"
    assert answer.assumptions[0] == answer.coverage_used.reason


def test_a_program_that_lists_the_plan_is_priced_with_it():
    # $800 under the $1,000 deductible: all of it yours, but through the plan.
    answer = estimate(
        EstimateRequest(
            MARCH, outpatient_weeks(), insurance=plan(), accepted_payments=("private_insurance",)
        )
    )
    assert answer.coverage_used.kind == "commercial" and not answer.coverage_used.replaced
    assert answer.you_pay == 80000 and answer.plan_years[0].you_pay == 80000
    assert answer.assumptions[0] != answer.coverage_used.reason


def test_without_a_program_the_plan_is_assumed_to_be_taken():
    answer = estimate(EstimateRequest(MARCH, outpatient_weeks(), insurance=Insurance("medicaid")))
    assert answer.coverage_used.kind == "medicaid" and answer.you_pay == 0
    assert "No program was chosen" in answer.coverage_used.reason


# ---- family coverage ----


def family_stay(family):
    # 90 days of long-term residential care at $600 = $54,000 in plan year 2026. Family
    # deductible $3,000, 20%, family maximum $21,200: 3,000 + 0.2 x 51,000 = $13,200.
    insurance = plan(deductible_cents=300000, oop_max_cents=2120000, family=family)
    return estimate(
        EstimateRequest(MARCH, (Phase("residential_long", 90, 60000),), insurance=insurance)
    )


def test_one_patient_on_a_family_plan_pays_at_most_the_self_only_limit():
    # The embedded limit: one person pays at most $10,600 (2026's self-only limit), not the
    # $13,200 that the family maximum alone would allow ($2,600 too much).
    assert family_stay(family=False).you_pay == 1320000
    answer = family_stay(family=True)
    assert answer.you_pay == 1060000 == aca_oop_limit(2026).self_only_cents
    assert any("embedded limit" in note for note in answer.assumptions)
    assert any(source.label.startswith("Embedded") for source in answer.sources)


def test_a_family_maximum_is_compared_with_the_family_legal_limit():
    # $21,200 is exactly 2026's family limit: no warning. As self-only it is above $10,600.
    assert not any("above the legal" in note for note in family_stay(True).assumptions)
    assert any("above the legal" in note for note in family_stay(False).assumptions)


def test_plan_years_starting_in_2024_use_the_2024_limit():
    limit = aca_oop_limit(2024)
    assert (limit.self_only_cents, limit.other_cents) == (945000, 1890000)
    assert limit.source.status == "SECONDARY"
    # A family plan starting in 2024: one person pays at most $9,450, not 2025's $9,200.
    insurance = plan(deductible_cents=300000, oop_max_cents=1890000, family=True)
    answer = estimate(
        EstimateRequest(
            date(2024, 3, 4), (Phase("residential_long", 90, 60000),), insurance=insurance
        )
    )
    assert answer.you_pay == 945000


# ---- copays as plans write them ----


def test_copay_per_day_is_charged_on_each_day_of_day_priced_care():
    # 10 days at $500, $100 a day copay, $1,000 deductible, 20%:
    # day 1: 100 + 400 deductible = 500; day 2: 100 + 400 = 500 (deductible met);
    # day 3: 100 + 200 + 0.2 x 200 = 340; days 4-10: 100 + 0.2 x 400 = 180 each, 1,260.
    answer = estimate(
        EstimateRequest(
            MARCH, (Phase("residential_short", 10, 50000),), insurance=plan(copay_cents=10000)
        )
    )
    assert [line.you_pay for line in answer.lines[:4]] == [50000, 50000, 34000, 18000]
    assert answer.you_pay == 50000 + 50000 + 34000 + 7 * 18000 == 260000


def test_copay_per_day_is_not_charged_on_weekly_care_or_medication():
    # A $100 per-day copay, nothing else: weekly outpatient care and its buprenorphine cost $0.
    answer = estimate(
        EstimateRequest(
            MARCH,
            outpatient_weeks(),
            medication="buprenorphine",
            insurance=free_plan(copay_cents=10000),
        )
    )
    assert answer.you_pay == 0


def test_visit_copay_is_charged_per_visit_at_the_visits_given():
    # $25 a visit, 2 visits a week, 13 weekly charges of 90 days of outpatient care: $650.
    phases = (Phase("outpatient", 90, 20000),)
    insurance = free_plan(visit_copay_cents=2500)
    answer = estimate(EstimateRequest(MARCH, phases, insurance=insurance, visits_per_week=2))
    assert answer.you_pay == 13 * 2 * 2500 == 65000
    # The phase's own figure wins; without either, outpatient's usual visit a week: $325.
    phases = (Phase("outpatient", 90, 20000, visits_per_week=3),)
    answer = estimate(EstimateRequest(MARCH, phases, insurance=insurance, visits_per_week=2))
    assert answer.you_pay == 13 * 3 * 2500
    answer = estimate(
        EstimateRequest(MARCH, (Phase("outpatient", 90, 20000),), insurance=insurance)
    )
    assert answer.you_pay == 13 * 2500
    assert any(source.label.startswith("Usual visits a week") for source in answer.sources)


def test_visit_copay_is_not_charged_on_day_priced_care():
    answer = estimate(
        EstimateRequest(
            MARCH,
            (Phase("partial_hospitalization", 20, 30000),),
            insurance=free_plan(visit_copay_cents=2500),
        )
    )
    assert answer.you_pay == 0


def test_admission_copay_is_charged_once_for_a_stepped_stay():
    # 5 days of inpatient detox then 25 of short-term residential care: one admission, $500
    # once, not $500 a day; the 30 days of intensive outpatient care after it add nothing.
    stepped = (
        Phase("detox_inpatient", 5, 80000),
        Phase("residential_short", 25, 60000),
        Phase("intensive_outpatient", 30, 40000),
    )
    answer = estimate(
        EstimateRequest(MARCH, stepped, insurance=free_plan(admission_copay_cents=50000))
    )
    assert answer.you_pay == 50000
    assert answer.lines[0].you_pay == 50000


def test_admission_copay_is_taken_from_the_admission_charges_until_paid():
    # $300 a day against a $500 admission copay: $300 on day 1, $200 on day 2, then nothing.
    answer = estimate(
        EstimateRequest(
            MARCH,
            (Phase("detox_inpatient", 7, 30000),),
            insurance=free_plan(admission_copay_cents=50000),
        )
    )
    assert [line.you_pay for line in answer.lines[:3]] == [30000, 20000, 0]
    assert answer.you_pay == 50000


def test_each_admission_pays_its_own_copay():
    # Residential, then outpatient, then residential again: two admissions, $1,000.
    phases = (
        Phase("residential_short", 10, 60000),
        Phase("outpatient", 14, 20000),
        Phase("residential_short", 10, 60000),
    )
    answer = estimate(
        EstimateRequest(MARCH, phases, insurance=free_plan(admission_copay_cents=50000))
    )
    assert answer.you_pay == 100000
    assert any("each of the 2 admissions" in note for note in answer.assumptions)


def test_an_admission_crossing_the_plan_year_pays_its_copay_once():
    answer = estimate(
        EstimateRequest(
            date(2025, 12, 20),
            (Phase("residential_long", 30, 60000),),
            insurance=free_plan(admission_copay_cents=50000),
        )
    )
    assert len(answer.plan_years) == 2 and answer.you_pay == 50000


def test_medicaid_copays_follow_the_same_rules():
    # $2 a day of residential care for 10 days, $4 a visit for 2 weeks at 1 visit: $28.
    phases = (Phase("residential_short", 10, 60000), Phase("outpatient", 14, 20000))
    insurance = Insurance("medicaid", copay_cents=200, visit_copay_cents=400)
    answer = estimate(EstimateRequest(MARCH, phases, insurance=insurance))
    assert answer.you_pay == 10 * 200 + 2 * 400 == 2800


# ---- days the plan pays for ----


def test_days_beyond_authorization_are_at_risk_and_in_the_top_of_the_range():
    # 30 days at $500, 20 authorized: $10,000 through the plan, 1,000 + 0.2 x 9,000 = $2,800.
    # The 10 days after: $5,000 as self-pay, at risk, in range.high but not in you_pay.
    answer = estimate(
        EstimateRequest(
            MARCH,
            (Phase("residential_long", 30, 50000),),
            insurance=plan(days_authorized=20),
        )
    )
    assert (answer.total_charges, answer.you_pay) == (1000000, 280000)
    assert (answer.days_at_risk, answer.at_risk) == (10, 500000)
    assert (answer.range.low, answer.range.high) == (280000, 780000)
    assert len(answer.lines) == 20
    assert any("The 10 days after them (from March 22, 2026)" in n for n in answer.assumptions)


def test_at_risk_days_get_the_program_sliding_fee():
    # Medicaid authorizes 14 of 28 days of outpatient care at $200 a week: 2 weeks at $0, and
    # 2 weeks at risk, as self-pay less the default sliding fee of the class above 150% and
    # up to 175% (pay 60%): 0.6 x $400 = $240.
    answer = estimate(
        EstimateRequest(
            MARCH,
            outpatient_weeks(),
            insurance=Insurance("medicaid", days_authorized=14),
            fpg_class="151-175",
            sliding_scale=True,
        )
    )
    assert (answer.you_pay, answer.days_at_risk, answer.at_risk) == (0, 14, 24000)


def test_authorization_covering_the_whole_stay_leaves_nothing_at_risk():
    answer = estimate(
        EstimateRequest(MARCH, outpatient_weeks(), insurance=plan(days_authorized=90))
    )
    assert (answer.days_at_risk, answer.at_risk) == (0, 0)
    assert "Your plan has authorized 90 days: the whole stay." in answer.assumptions


@pytest.mark.parametrize(
    ("insurance", "field"),
    [
        (plan(days_authorized=-1), "insurance.days_authorized"),
        (plan(days_authorized=True), "insurance.days_authorized"),
        (plan(visit_copay_cents=-5), "insurance.visit_copay"),
        (plan(admission_copay_cents="500"), "insurance.admission_copay"),
        (plan(family="yes"), "insurance.family"),
    ],
)
def test_invalid_plan_terms_name_their_field(insurance, field):
    with pytest.raises(EstimateError) as raised:
        estimate(EstimateRequest(MARCH, outpatient_weeks(), insurance=insurance))
    assert raised.value.field == field


def test_visits_per_week_beyond_one_a_day_are_refused():
    with pytest.raises(EstimateError) as raised:
        estimate(EstimateRequest(MARCH, outpatient_weeks(visits_per_week=8)))
    assert raised.value.field == "phases[0].visits_per_week"
