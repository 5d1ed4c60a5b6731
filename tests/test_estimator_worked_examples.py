"""Worked examples checked by hand (costs.md section 2 and the issue's API contract)."""

from datetime import date
from decimal import Decimal

from finder.estimator import (
    EstimateRequest,
    Household,
    Insurance,
    Phase,
    PlanTerms,
    estimate,
    parse_sliding_schedule,
)


def residential(days=90, rate=60000):
    return (Phase("residential_long", days, rate),)


def commercial(**terms):
    plan = {"deductible_cents": 500000, "coinsurance": Decimal("0.2"), "oop_max_cents": 1060000}
    return Insurance("commercial", **{**plan, **terms})


def test_ninety_days_inside_one_plan_year_cost_the_out_of_pocket_maximum():
    # 5,000 + 0.2 x 49,000 = 14,800, capped at the 2026 legal maximum of 10,600.
    for start in (date(2026, 1, 1), date(2026, 3, 1), date(2026, 10, 3)):
        answer = estimate(EstimateRequest(start, residential(), insurance=commercial()))
        assert answer.total_charges == 5400000
        assert answer.you_pay == 1060000
        assert answer.insurance_pays == 4340000
        assert [year.you_pay for year in answer.plan_years] == [1060000]


def test_admission_in_november_pays_two_plan_years_of_cost_sharing():
    # 47 days in 2025: 9,640 capped at 9,200; 43 days in 2026: 5,000 + 0.2 x 20,800 = 9,160.
    insurance = commercial(oop_max_cents=920000, next_year=PlanTerms(oop_max_cents=1060000))
    answer = estimate(EstimateRequest(date(2025, 11, 15), residential(), insurance=insurance))
    assert answer.you_pay == 1836000
    assert [(year.start, year.charges, year.you_pay) for year in answer.plan_years] == [
        (date(2025, 1, 1), 2820000, 920000),
        (date(2026, 1, 1), 2580000, 916000),
    ]
    assert any("new plan year on January 1, 2026" in note for note in answer.assumptions)


def test_visit_copay_is_charged_on_each_visit_of_weekly_care_before_the_deductible():
    # $400 a week, a $10 copay per visit at intensive outpatient's usual 3 visits a week
    # ($30 a week), $1,000 deductible, 20%: weeks 1-2 pay 30 + 370 deductible,
    # week 3 pays 30 + 260 + 0.2 x 110 = 312, weeks 4-13 pay 30 + 0.2 x 370 = 104.
    insurance = commercial(deductible_cents=100000, oop_max_cents=300000, visit_copay_cents=1000)
    phases = (Phase("intensive_outpatient", 90, 40000),)
    answer = estimate(EstimateRequest(date(2026, 3, 2), phases, insurance=insurance))
    assert len(answer.lines) == 13
    assert [line.you_pay for line in answer.lines[:4]] == [40000, 40000, 31200, 10400]
    assert answer.you_pay == 215200
    assert [(month.month, month.you_pay) for month in answer.months] == [
        ("2026-03", 132000),
        ("2026-04", 41600),
        ("2026-05", 41600),
    ]


def test_weekly_outpatient_without_insurance_uses_the_national_figure_per_started_week():
    answer = estimate(EstimateRequest(date(2026, 2, 1), (Phase("outpatient", 90),)))
    assert len(answer.lines) == 13
    assert answer.you_pay == 13 * 15683
    assert answer.range.low == answer.range.high == answer.you_pay
    assert any(source.year == "2017" for source in answer.sources)


def test_deductible_resets_at_a_plan_year_starting_july_first():
    # Plan year 2025-07-01: $500 deductible and $200 of the maximum left, so June costs $200.
    # From 2026-07-01: 15 days x $600: 2,000 + 0.2 x 7,000 = 3,400, capped at 3,000.
    insurance = commercial(
        deductible_cents=200000,
        oop_max_cents=300000,
        deductible_met_cents=150000,
        oop_met_cents=280000,
        plan_year_start="07-01",
    )
    answer = estimate(EstimateRequest(date(2026, 6, 16), residential(30), insurance=insurance))
    assert [(year.start, year.you_pay) for year in answer.plan_years] == [
        (date(2025, 7, 1), 20000),
        (date(2026, 7, 1), 300000),
    ]
    assert answer.you_pay == 320000


def test_out_of_network_balance_bill_is_not_capped_by_the_maximum():
    # $1,000 a day, plan allows 60%: allowed 18,000, balance bill 12,000.
    # Cost share 10,000 + 0.4 x 8,000 = 13,200 (under a 20,000 max), or 5,000 when capped.
    def out_of_network(oop_max):
        insurance = commercial(
            in_network=False,
            deductible_cents=1000000,
            coinsurance=Decimal("0.4"),
            oop_max_cents=oop_max,
            allowed_fraction=Decimal("0.6"),
        )
        return estimate(
            EstimateRequest(date(2026, 3, 1), residential(30, 100000), insurance=insurance)
        )

    answer = out_of_network(2000000)
    assert (answer.you_pay, answer.insurance_pays, answer.balance_billed) == (
        2520000,
        480000,
        1200000,
    )
    capped = out_of_network(500000)
    assert (capped.you_pay, capped.balance_billed) == (1700000, 1200000)
    assert any("balance bill has no cap" in note for note in capped.assumptions)


def test_medicare_opioid_treatment_costs_only_the_part_b_deductible_each_calendar_year():
    # $200 a week from 2025-12-01: five 2025 weeks pay the 2025 deductible ($257), the
    # eight 2026 weeks pay the 2026 deductible ($283); no coinsurance.
    phases = (Phase("opioid_treatment_program", 90, 20000),)
    answer = estimate(EstimateRequest(date(2025, 12, 1), phases, insurance=Insurance("medicare")))
    assert [(year.start.year, year.you_pay) for year in answer.plan_years] == [
        (2025, 25700),
        (2026, 28300),
    ]
    met = Insurance("medicare", deductible_met_cents=10000)
    answer = estimate(EstimateRequest(date(2026, 2, 2), phases, insurance=met))
    assert answer.you_pay == 18300


def test_medicare_outpatient_care_costs_twenty_percent_after_the_part_b_deductible():
    # Week 1: 283 + 0.2 x 117 = 306.40; weeks 2-13: 80 each.
    phases = (Phase("intensive_outpatient", 90, 40000),)
    answer = estimate(EstimateRequest(date(2026, 3, 2), phases, insurance=Insurance("medicare")))
    assert answer.you_pay == 30640 + 12 * 8000


def test_medicare_hospital_days_follow_part_a_by_benefit_period():
    # Deductible 1,736; days 61-90 at 434; days 91-100 lifetime reserve at 868 (2026).
    phases = (Phase("hospital_inpatient", 100, 200000),)
    answer = estimate(EstimateRequest(date(2026, 1, 1), phases, insurance=Insurance("medicare")))
    assert answer.you_pay == 173600 + 30 * 43400 + 10 * 86800


def test_medicare_does_not_cover_non_hospital_residential_care():
    answer = estimate(
        EstimateRequest(date(2026, 1, 5), residential(30, 50000), insurance=Insurance("medicare"))
    )
    assert (answer.you_pay, answer.insurance_pays) == (1500000, 0)
    assert any("does not cover residential" in note for note in answer.assumptions)


def test_medicaid_charges_its_nominal_copay_per_line_and_warns_about_large_facilities():
    insurance = Insurance("medicaid", copay_cents=200)
    answer = estimate(
        EstimateRequest(date(2026, 1, 5), residential(30, 40000), insurance=insurance)
    )
    assert (answer.you_pay, answer.insurance_pays) == (6000, 1194000)
    assert any("more than 16 beds" in note for note in answer.assumptions)
    free = estimate(
        EstimateRequest(date(2026, 1, 5), residential(30, 40000), insurance=Insurance("medicaid"))
    )
    assert free.you_pay == 0


def test_sliding_fee_at_125_percent_pays_a_fifth_of_each_charge():
    # $19,950 is exactly 125% of the 2026 guideline for one person ($15,960).
    household = Household(1, 1995000, "TX")
    phases = (Phase("outpatient", 90, 10000),)
    request = EstimateRequest(date(2026, 2, 1), phases, household=household, sliding_scale=True)
    answer = estimate(request)
    assert answer.fpg_percent == Decimal("125.00")
    assert answer.fpg_class == "101-125"
    assert (answer.you_pay, answer.sliding_discount) == (13 * 2000, 13 * 8000)


def test_insured_person_at_a_sliding_fee_program_pays_the_lower_amount_per_line():
    # 20% of $600 = $120 a day. Plan cost share: 8 x 600 + (200 + 80) + 21 x 120 = 7,600.
    household = Household(1, 1995000, "TX")
    request = EstimateRequest(
        date(2026, 2, 1),
        residential(30),
        insurance=commercial(),
        household=household,
        sliding_scale=True,
    )
    answer = estimate(request)
    assert answer.you_pay == 30 * 12000
    assert answer.sliding_discount == 760000 - 360000
    assert answer.insurance_pays == 1800000 - 760000


def test_income_class_alone_gives_a_range_when_the_schedule_does_not_align():
    # Florida-style classes 120-139 pay 33% and 140-159 pay 50%; class 126-150 spans both.
    florida = parse_sliding_schedule("100:0;119:17;139:33;159:50;179:67;199:83")
    request = EstimateRequest(
        date(2026, 1, 1),
        (Phase("residential_long", 90),),
        fpg_class="126-150",
        sliding_scale=True,
        sliding_schedule=florida,
    )
    answer = estimate(request)
    assert answer.fpg_percent is None
    assert answer.you_pay == 90 * 27875  # half of the national typical $557.50
    assert (answer.range.low, answer.range.high) == (90 * 11781, 90 * 37900)


def test_income_class_alone_is_exact_with_the_default_schedule():
    request = EstimateRequest(
        date(2026, 1, 1), (Phase("outpatient", 7, 10000),), fpg_class="151-175", sliding_scale=True
    )
    answer = estimate(request)
    assert (answer.you_pay, answer.range.low, answer.range.high) == (6000, 6000, 6000)
    assert any("default sliding-fee schedule" in note for note in answer.assumptions)


def test_payment_plan_spreads_what_you_pay_to_the_cent():
    request = EstimateRequest(date(2026, 1, 1), residential(7, 10001), payment_months=6)
    plan = estimate(request).payment_plan
    # 70,007 cents = 6 x 11,667 + 5: the first five months carry a cent more.
    assert plan.monthly == (11668, 11668, 11668, 11668, 11668, 11667)
    assert sum(plan.monthly) == 70007


def test_every_answer_says_it_is_not_a_good_faith_estimate():
    answer = estimate(EstimateRequest(date(2026, 1, 1), residential(30)))
    assert "not a Good Faith Estimate" in answer.good_faith_notice
    assert "No Surprises Act" in answer.good_faith_notice
