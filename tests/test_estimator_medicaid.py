"""Medicaid as it works (issue 15): what you pay is the state copays given; the range's high
end is the federal maximum for the household's income band (42 CFR 447.52(b)), at most 5% of
income a month (447.56(f)); children pay nothing; the state's expansion decision, the IMD
exclusion and room and board are said. Worked examples computed by hand.

The 2026 HHS poverty guideline (48 states) is $15,960 for one person plus $5,680 for each
other person (a household of 4: $33,000); every start here is 2026-03-02."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finder.estimator import (
    EstimateRequest,
    Household,
    Insurance,
    Phase,
    SlidingClass,
    estimate,
    estimate_totals,
)
from finder.estimator.reference import medicaid_expansion

START = date(2026, 3, 2)
MEDICAID = Insurance("medicaid")
# 4 weeks of outpatient care at $100 a week, 2 visits a week: 8 visits, $400 (all in March).
OUTPATIENT = (Phase("outpatient", 28, rate_cents=10_000, visits_per_week=2),)
# 30 days of short-term residential care at $500 a day, March 2 to 31: $15,000.
RESIDENTIAL = (Phase("residential_short", 30, rate_cents=50_000),)
# 60 days at $500: March 2 to 31 (30 days) and April 1 to 30 (30 days).
RESIDENTIAL_60 = (Phase("residential_short", 60, rate_cents=50_000),)


def medicaid(phases, income=None, size=1, state="CA", insurance=MEDICAID, **more):
    household = None if income is None else Household(size, income * 100, state)
    request = EstimateRequest(START, phases, insurance=insurance, household=household, **more)
    answer = estimate(request)
    # Search results' totals are the same figures, the range's high end included.
    totals = estimate_totals(request)
    assert (totals.you_pay, totals.range) == (answer.you_pay, answer.range)
    return answer


def text(answer) -> str:
    return " ".join(answer.assumptions)


def labels(answer) -> dict[str, str]:
    return {source.label: source.status for source in answer.sources}


def test_the_expansion_file_has_the_50_states_and_dc_and_no_territory():
    states = medicaid_expansion()
    assert len(states) == 51 and "DC" in states
    assert not {"PR", "GU", "VI", "AS", "MP"} & set(states)
    not_adopted = {code for code, status in states.items() if not status.adopted}
    assert not_adopted == {"AL", "FL", "GA", "KS", "MS", "SC", "TN", "TX", "WI", "WY"}
    assert {status.source.status for status in states.values()} == {"SECONDARY"}
    assert states["WI"].note_source.status == states["GA"].note_source.status == "UNVERIFIED"


@pytest.mark.parametrize(
    "income, size, high, band",
    [
        # $10,000 / $15,960 = 62.7%: $4 a visit x 8 visits = $32; the cap, $10,000 x 5% / 12
        # = $41.66 a month, does not bind.
        (10_000, 1, 32_00, "at or below 100%"),
        # $20,000 / $15,960 = 125.3%: 10% of 4 weeks x $100 = $40 (cap $83.33 a month).
        (20_000, 1, 40_00, "above 100% and up to 150%"),
        # $40,000 / $15,960 = 250.6%: 20% of $400 = $80 (cap $166.66 a month).
        (40_000, 1, 80_00, "above 150%"),
    ],
)
@pytest.mark.parametrize("state", ["CA", "TX"])  # an expansion state and one without
def test_outpatient_care_the_most_is_the_federal_maximum_for_the_income_band(
    income, size, high, band, state
):
    answer = medicaid(OUTPATIENT, income, size, state)
    assert ("Texas has not adopted the Medicaid expansion" in text(answer)) is (state == "TX")
    assert answer.you_pay == 0 and answer.range.low == 0
    assert answer.range.high == high
    assert f"({band} of the poverty guideline)" in text(answer)
    assert "The high end of the range is that most" in text(answer)
    assert "HHS poverty guideline 2026 (48 contiguous states and DC)" in labels(answer)


def test_at_or_below_100_percent_the_base_amounts_are_labelled_unverified_and_rise_in_october():
    answer = medicaid(OUTPATIENT, 10_000)
    sources = labels(answer)
    assert (
        sources["Medicaid: the most per outpatient service, family income at or below 100% of "
                "the guideline"] == "UNVERIFIED"
    )  # fmt: skip
    assert sources["Medicaid: cap on a family's cost sharing"] == (
        "UNVERIFIED"
    )  # fmt: skip
    assert "$4.00 a visit of outpatient care (8 visits" in text(answer)
    assert "they rise each October" in text(answer)
    # The usual visits a week are not used here (2 were given), but the rule counts visits.
    assert "Usual visits a week, outpatient" in sources


def test_percentage_bands_take_the_charge_as_what_medicaid_pays():
    answer = medicaid(OUTPATIENT, 20_000)
    assert "10% of what Medicaid pays for each service" in text(answer)
    assert "takes the program's charge as what Medicaid pays" in text(answer)
    assert labels(answer)[
        "Medicaid: the most per outpatient service, family income above 100% and up to 150% "
        "of the guideline"
    ] == ""  # fmt: skip


@pytest.mark.parametrize(
    "phases, income, size, high",
    [
        # Household of 4, $30,000 / $33,000 = 90.9%: $75 for the stay; the cap, $30,000 x 5%
        # / 12 = $125 a month, does not bind.
        (RESIDENTIAL, 30_000, 4, 75_00),
        # One person, $10,000 (62.7%): $75 for the stay, but the cap is $41.66 a month and
        # the whole stay is in March: $41.66.
        (RESIDENTIAL, 10_000, 1, 41_66),
        # Household of 4, $40,000 / $33,000 = 121.2%: 10% of $15,000 = $1,500, capped at
        # $40,000 x 5% / 12 = $166.66 (rounded down) for March.
        (RESIDENTIAL, 40_000, 4, 166_66),
        # One person, $30,000 / $15,960 = 188.0%: 20% of $15,000 = $3,000, capped at $125.
        (RESIDENTIAL, 30_000, 1, 125_00),
        # The same 60 days: $1,500 in March and $1,500 in April at 10% (household of 4 at
        # 121.2%), each month capped at $166.66: 2 x $166.66 = $333.32.
        (RESIDENTIAL_60, 40_000, 4, 333_32),
    ],
)
@pytest.mark.parametrize("state", ["CA", "TX"])
def test_residential_care_the_stay_s_maximum_is_capped_at_5_percent_of_income_a_month(
    phases, income, size, high, state
):
    answer = medicaid(phases, income, size, state)
    assert ("Texas has not adopted the Medicaid expansion" in text(answer)) is (state == "TX")
    assert answer.you_pay == 0
    assert answer.range.high == high


def test_the_monthly_cap_is_said_with_its_figures():
    answer = medicaid(RESIDENTIAL, 10_000)
    assert "capped at 5% of your family's income: $41.66 a month on $10,000.00 a year" in text(
        answer
    )
    assert "$75.00 for each inpatient or residential stay" in text(answer)
    assert "A residential stay is counted as an inpatient stay" in text(answer)


def test_without_household_income_the_high_end_is_what_you_pay_and_the_answer_says_why():
    answer = medicaid(OUTPATIENT)
    assert answer.range.high == answer.you_pay == 0
    assert "give your household size and income to see it" in text(answer)
    # With a visit copay of $3: 8 visits x $3 = $24 to pay, and no more is known.
    copay = medicaid(OUTPATIENT, insurance=Insurance("medicaid", visit_copay_cents=300))
    assert copay.you_pay == copay.range.high == 24_00


def test_state_copays_are_what_you_pay_and_the_federal_maximum_is_the_high_end():
    # $3 a visit x 8 = $24 to pay; the most at 62.7% is $4 x 8 = $32.
    answer = medicaid(OUTPATIENT, 10_000, insurance=Insurance("medicaid", visit_copay_cents=300))
    assert (answer.you_pay, answer.range.high) == (24_00, 32_00)


def test_copays_above_the_federal_maximum_are_flagged_and_stay_what_you_pay():
    # $5 a visit x 8 = $40, above the $32 federal maximum: the high end is never below it.
    answer = medicaid(OUTPATIENT, 10_000, insurance=Insurance("medicaid", visit_copay_cents=500))
    assert (answer.you_pay, answer.range.high) == (40_00, 40_00)
    assert "The copays you gave add up to more than federal rules let Medicaid charge" in text(
        answer
    )


def test_a_day_of_partial_hospitalization_is_one_visit():
    # 10 days at $200 a day, at 62.7%: 10 x $4 = $40 (the cap, $41.66, does not bind).
    answer = medicaid((Phase("partial_hospitalization", 10, rate_cents=20_000),), 10_000)
    assert answer.range.high == 40_00


def test_a_sliding_fee_that_takes_everything_leaves_nothing_to_charge():
    # The program's sliding fee: pay 0% at or below 100%; at 62.7% every charge is 0.
    free = (SlidingClass(100, 0), SlidingClass(200, 50))
    answer = medicaid(OUTPATIENT, 10_000, sliding_scale=True, sliding_schedule=free)
    assert answer.range.high == 0


def test_a_child_under_18_pays_nothing_whatever_the_state_copays():
    copays = Insurance("medicaid", visit_copay_cents=300, admission_copay_cents=5_000)
    answer = medicaid(RESIDENTIAL, 30_000, insurance=copays, patient_age=16)
    assert (answer.you_pay, answer.range.high) == (0, 0)
    assert "Medicaid charges no cost sharing for children under 18: you pay nothing" in text(answer)
    assert "Medicaid: no cost sharing for children under 18 and other groups" in labels(answer)
    assert "IMD" not in text(answer)  # the exclusion concerns adults 21 to 64


def test_18_to_20_pays_as_an_adult_and_hears_of_the_state_option_to_21():
    answer = medicaid(OUTPATIENT, 10_000, patient_age=19)
    assert answer.range.high == 32_00
    assert "states may extend the exemption for children up to age 21" in text(answer)


def test_without_an_age_an_adult_aged_21_to_64_is_assumed_and_said():
    assert "This assumes the patient is an adult aged 21 to 64" in text(medicaid(OUTPATIENT))
    assert "This assumes the patient is an adult" not in text(medicaid(OUTPATIENT, patient_age=40))


def test_medicaid_in_a_non_expansion_state_says_to_check_the_eligibility_category():
    answer = medicaid(OUTPATIENT, 10_000, state="TX")
    assert "Texas has not adopted the Medicaid expansion" in text(answer)
    assert "depends on an eligibility category (pregnancy, disability, parent of a young child" in (
        text(answer)
    )  # fmt: skip
    assert labels(answer)["Medicaid expansion in Texas: not adopted"] == "SECONDARY"
    # The figures are the same as in an expansion state: $32.
    assert answer.range.high == 32_00


def test_medicaid_in_an_expansion_state_says_nothing_of_categories():
    answer = medicaid(OUTPATIENT, 10_000, state="CA")
    assert "expansion" not in text(answer)


def test_wisconsin_s_note_is_labelled_as_not_checked():
    answer = medicaid(OUTPATIENT, 10_000, state="WI")
    assert "Wisconsin covers adults up to 100% of the poverty guideline" in text(answer)
    assert labels(answer)["Wisconsin's Medicaid for adults"] == "UNVERIFIED"


def test_without_household_the_program_s_state_decides_and_ages_outside_19_to_64_hear_nothing():
    answer = medicaid(OUTPATIENT, program_state="GA")
    assert "Georgia has not adopted the Medicaid expansion" in text(answer)
    assert "Georgia runs a partial program with a work requirement" in text(answer)
    assert "expansion" not in text(medicaid(OUTPATIENT, program_state="GA", patient_age=70))


@pytest.mark.parametrize(
    "beds, says",
    [
        (14, None),
        (16, None),
        (40, "The program has 40 beds, more than 16: Medicaid may not pay"),
        (None, "facility with more than 16 beds (the IMD exclusion)"),
    ],
)
def test_the_imd_caveat_is_hidden_only_where_the_program_has_16_beds_or_fewer(beds, says):
    answer = medicaid(RESIDENTIAL, 30_000, 4, program_beds=beds)
    imd = "Medicaid: institutions for mental diseases (IMD exclusion)"
    if says is None:
        assert "IMD" not in text(answer) and imd not in labels(answer)
    else:
        assert says in text(answer) and imd in labels(answer)
    assert answer.range.high == 75_00  # the beds change what is said, not the figures


def test_the_imd_caveat_concerns_adults_21_to_64_only():
    assert "IMD" not in text(medicaid(RESIDENTIAL, program_beds=40, patient_age=65))
    assert "IMD" in text(medicaid(RESIDENTIAL, program_beds=40, patient_age=21))


def test_room_and_board_in_residential_care_is_said_and_labelled_unverified():
    answer = medicaid(RESIDENTIAL)
    assert "Medicaid typically does not pay for room and board" in text(answer)
    assert labels(answer)["Room and board in non-hospital residential care"] == "UNVERIFIED"
    assert "room and board" not in text(medicaid(OUTPATIENT))


def test_a_commercial_plan_s_residential_answer_says_to_ask_the_plan_about_room_and_board():
    plan = Insurance("commercial", deductible_cents=100_000, coinsurance=0, oop_max_cents=500_000)
    answer = estimate(EstimateRequest(START, RESIDENTIAL, insurance=plan))
    assert "ask your plan whether it pays for this stay's room and board" in text(answer)
    assert labels(answer)["Room and board in non-hospital residential care"] == "UNVERIFIED"


def uninsured(income, state, **more):
    request = EstimateRequest(
        START, OUTPATIENT, household=Household(1, income * 100, state), **more
    )
    return text(estimate(request)), labels(estimate(request))


def test_an_uninsured_adult_at_130_percent_in_an_expansion_state_hears_how_to_apply():
    # $20,748 / $15,960 = 130%, at or below the expansion's 138%.
    said, sources = uninsured(20_748, "CA")
    assert "At your household's income (130.00% of the poverty guideline)" in said
    assert "in California, which has adopted the Medicaid expansion, is likely eligible" in said
    assert "contact California's Medicaid agency or apply at HealthCare.gov" in said
    assert sources["Medicaid expansion in California: adopted"] == "SECONDARY"
    assert "Medicaid: the expansion's income line" in sources


@pytest.mark.parametrize(
    "income, state, more",
    [
        (20_748, "TX", {}),  # not an expansion state
        (23_000, "CA", {}),  # $23,000 / $15,960 = 144.1%, above 138%
        (20_748, "CA", {"patient_age": 17}),
        (20_748, "CA", {"patient_age": 65}),
    ],
)
def test_no_likely_eligible_note_outside_the_expansion_s_reach(income, state, more):
    said, _ = uninsured(income, state, **more)
    assert "likely eligible" not in said


def test_an_opioid_treatment_program_week_is_one_service():
    # 4 weeks at $150 a week, at 62.7%: 4 services x $4 = $16 (the cap, $41.66, is above).
    otp = (Phase("opioid_treatment_program", 28, rate_cents=15_000),)
    assert medicaid(otp, 10_000).range.high == 16_00


def test_the_medication_s_own_lines_are_left_out_of_the_most_and_the_answer_says_so():
    # Outpatient care with methadone: 4 weekly methadone lines at the national $126 ($504)
    # beside the 4 outpatient weeks ($400); the most is the 8 visits' $32 alone.
    answer = medicaid(OUTPATIENT, 10_000, medication="methadone")
    assert answer.total_charges == 904_00
    assert answer.range.high == 32_00
    assert "The most does not include the medication" in text(answer)


def test_detox_then_residential_is_one_stay_and_the_step_down_is_counted_by_visits():
    # Household of 4, $30,000 (90.9%), cap $125 a month. Detox March 2-6 then residential
    # March 7-31: one stay, $75 in March. Intensive outpatient from April 1: 5 started weeks
    # (April 1, 8, 15, 22, 29) x 3 usual visits x $4 = $60 in April. $75 + $60 = $135.
    phases = (
        Phase("detox_inpatient", 5, rate_cents=80_000),
        Phase("residential_short", 25, rate_cents=50_000),
        Phase("intensive_outpatient", 30, rate_cents=40_000),
    )
    answer = medicaid(phases, 30_000, 4)
    assert answer.range.high == 135_00
    assert "$4.00 a visit of outpatient care (15 visits" in text(answer)
    assert "and $75.00 for each inpatient or residential stay" in text(answer)
    assert "Usual visits a week, intensive outpatient" in labels(answer)


LEVELS = ("outpatient", "intensive_outpatient", "partial_hospitalization", "residential_short")


@settings(max_examples=60, deadline=None)
@given(
    phases=st.lists(
        st.builds(
            Phase,
            level=st.sampled_from(LEVELS),
            days=st.integers(7, 60),
            rate_cents=st.integers(0, 200_000),
        ),
        min_size=1,
        max_size=3,
    ),
    size=st.integers(1, 6),
    income=st.integers(0, 150_000),
    visit_copay=st.sampled_from([0, 100, 300, 800]),
    age=st.none() | st.integers(0, 90),
)
def test_the_most_is_never_below_what_you_pay_nor_above_5_percent_a_month(
    phases, size, income, visit_copay, age
):
    insurance = Insurance("medicaid", visit_copay_cents=visit_copay)
    answer = medicaid(tuple(phases), income, size, insurance=insurance, patient_age=age)
    assert answer.range.low <= answer.you_pay <= answer.range.high <= answer.total_charges
    months = len(answer.months)
    per_month = income * 100 * 5 // 1200  # 5% of a month's income, in cents, rounded down
    assert answer.range.high <= max(answer.you_pay, months * per_month)
    if age is not None and age < 18:
        assert answer.range.high == 0


def test_a_pharmacy_copay_is_paid_beside_the_most_for_the_care():
    # Buprenorphine under Medicaid at an outpatient level is a pharmacy fill: one 30-day fill
    # for the 28 days at the $5 copay given. You pay $5; the most is $5 + the visits' $32 = $37.
    insurance = Insurance("medicaid", pharmacy_copay_cents=500)
    answer = medicaid(OUTPATIENT, 10_000, insurance=insurance, medication="buprenorphine")
    assert (answer.you_pay, answer.range.low, answer.range.high) == (5_00, 5_00, 37_00)
