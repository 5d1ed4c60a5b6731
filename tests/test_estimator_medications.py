"""Medications as they are billed (issue 15): extended-release naltrexone per 28-day dose,
opioid treatment program bundles that already include the medication, and buprenorphine under
a plan as pharmacy fills at the person's copay. Worked examples computed by hand."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from finder.estimator import (
    EstimateError,
    EstimateRequest,
    Household,
    Insurance,
    Phase,
    ProgramRate,
    estimate,
    estimate_totals,
)

START = date(2026, 1, 5)  # a Monday, one plan year for 90 days
OTP = "opioid_treatment_program"
PLAN = Insurance(
    "commercial", deductible_cents=100_000, coinsurance=Decimal("0.2"), oop_max_cents=500_000
)


def both(request: EstimateRequest):
    """The estimate, checked against the run-by-run totals search results use."""
    answer = estimate(request)
    totals = estimate_totals(request)
    assert (totals.total_charges, totals.insurance_pays, totals.you_pay, totals.range) == (
        answer.total_charges,
        answer.insurance_pays,
        answer.you_pay,
        answer.range,
    )
    return answer


def says(answer, words: str) -> bool:
    return any(words in note for note in answer.assumptions)


# ---- extended-release naltrexone: one dose every 28 days ----


def test_ninety_days_of_the_injection_self_pay_are_four_doses_at_the_monthly_figure():
    answer = both(EstimateRequest(START, (Phase("outpatient", 90, 0),), medication="naltrexone_xr"))
    doses = [line for line in answer.lines if line.item == "naltrexone_xr"]
    # Doses on days 0, 28, 56 and 84 of the 90: 4 x $1,176.50 = $4,706.00.
    assert [line.on for line in doses] == [START + timedelta(days=d) for d in (0, 28, 56, 84)]
    assert [line.charge for line in doses] == [117_650] * 4
    assert answer.you_pay == 470_600
    priced = answer.prices[-1]
    assert (priced.item, priced.unit, priced.rate, priced.basis) == (
        "naltrexone_xr",
        "dose",
        117_650,
        "national",
    )
    assert says(answer, "is one dose every 28 days")
    assert says(answer, "4 doses in 90 days")
    assert says(answer, "one figure, $1,176.50 per dose (its source gives no range")
    dosing = [source for source in answer.sources if "one dose every 28 days" in source.label]
    assert len(dosing) == 1 and dosing[0].status == "UNVERIFIED"
    assert "Vivitrol" in dosing[0].citation and "check the label text" in dosing[0].citation


def test_a_programs_published_injection_rate_is_per_dose():
    request = EstimateRequest(
        START,
        (Phase("outpatient", 90, 0),),
        medication="naltrexone_xr",
        program_rates=(ProgramRate("naltrexone_xr", 100_000),),
    )
    # 4 doses x $1,000.00 = $4,000.00
    assert both(request).you_pay == 400_000


# ---- opioid treatment program bundles include the medication and the visits ----


def test_methadone_at_a_program_with_its_own_otp_rate_is_not_charged_on_top():
    request = EstimateRequest(
        START,
        (Phase(OTP, 90),),
        medication="methadone",
        program_rates=(ProgramRate(OTP, 20_000),),
    )
    answer = both(request)
    # 13 started weeks (days 0, 7, ..., 84) x $200 = $2,600; no methadone line on top.
    assert answer.you_pay == answer.total_charges == 260_000
    assert not [line for line in answer.lines if line.item == "methadone"]
    assert [price.item for price in answer.prices] == [OTP]
    assert says(answer, "methadone is not charged on its own")


def test_an_otp_without_a_rate_of_its_own_is_priced_at_the_methadone_bundle():
    answer = both(EstimateRequest(START, (Phase(OTP, 90),), medication="methadone"))
    # 13 weeks x $126 (NIDA's methadone bundle) = $1,638, once, not twice.
    assert answer.you_pay == 163_800
    assert len(answer.lines) == 13
    (priced,) = answer.prices
    assert (priced.item, priced.unit, priced.rate, priced.basis) == (
        OTP,
        "week",
        12_600,
        "national",
    )
    assert says(answer, "it has no rate of its own (given or published), so it is priced at the "
                        "methadone bundle")  # fmt: skip
    assert any("methadone" in source.label for source in answer.sources)


def test_the_bundle_is_the_medication_rate_given_before_the_published_one():
    request = EstimateRequest(
        START,
        (Phase(OTP, 90),),
        medication="buprenorphine",
        medication_rate_cents=15_000,
        program_rates=(ProgramRate("buprenorphine", 9_000),),
    )
    # 13 weeks x $150 (the rate given) = $1,950
    assert both(request).you_pay == 195_000
    published = replace(request, medication_rate_cents=None)
    # 13 weeks x $90 (the program's published buprenorphine rate) = $1,170
    assert both(published).you_pay == 117_000


def test_methadone_before_the_otp_is_charged_weekly_and_not_during_it():
    request = EstimateRequest(
        START, (Phase("residential_short", 30, 50_000), Phase(OTP, 60)), medication="methadone"
    )
    answer = both(request)
    methadone = [line for line in answer.lines if line.item == "methadone"]
    # Residential 30 x $500 = $15,000; methadone in those 30 days: 5 started weeks x $126 = $630;
    # the OTP's 60 days: 9 started weeks x $126 (the bundle) = $1,134. $16,764 in all.
    assert [line.on for line in methadone] == [START + timedelta(days=d) for d in range(0, 30, 7)]
    assert answer.you_pay == 1_500_000 + 63_000 + 113_400
    assert says(
        answer, "Methadone is charged once for each started 7-day week of the other 30 days"
    )


def test_an_otp_without_a_rate_and_without_a_bundled_medication_still_asks_for_its_rate():
    for medication in (None, "naltrexone_xr"):
        with pytest.raises(EstimateError) as error:
            estimate(EstimateRequest(START, (Phase(OTP, 90),), medication=medication))
        assert error.value.field == "phases[0].rate"


def test_injections_at_an_otp_are_charged_on_top_and_the_answer_says_to_ask():
    request = EstimateRequest(START, (Phase(OTP, 90, 20_000),), medication="naltrexone_xr")
    answer = both(request)
    # 13 weeks x $200 + 4 doses x $1,176.50 = $2,600 + $4,706 = $7,306
    assert answer.you_pay == 260_000 + 470_600
    assert says(answer, "ask the program whether its price includes the injection")


# ---- buprenorphine under a plan: the pharmacy benefit ----


def outpatient_buprenorphine(insurance, **more) -> EstimateRequest:
    return EstimateRequest(
        START,
        (Phase("outpatient", 90, 20_000),),
        medication="buprenorphine",
        insurance=insurance,
        **more,
    )


def test_buprenorphine_in_outpatient_care_costs_the_pharmacy_copay_per_fill():
    answer = both(outpatient_buprenorphine(replace(PLAN, pharmacy_copay_cents=1_500)))
    # Outpatient: 13 weeks x $200 = $2,600; the $1,000 deductible, then 20% of $1,600 = $320:
    # $1,320 through the plan. Buprenorphine: 3 fills (days 0, 30, 60) x $15 = $45, yours.
    assert answer.you_pay == 132_000 + 4_500
    assert answer.insurance_pays == 128_000
    assert answer.total_charges == 260_000 + 4_500
    fills = [line for line in answer.lines if line.item == "buprenorphine"]
    assert [(line.on, line.charge, line.you_pay, line.insurance_pays) for line in fills] == [
        (START + timedelta(days=d), 1_500, 1_500, 0) for d in (0, 30, 60)
    ]
    assert ("buprenorphine", "fill", 1_500, "request") in [
        (price.item, price.unit, price.rate, price.basis) for price in answer.prices
    ]
    assert says(
        answer, "usually billed to your plan's pharmacy benefit, not the medical deductible"
    )
    assert says(answer, "3 fills of 30 days for the whole program, at the pharmacy copay you "
                        "gave, $15.00 each: $45.00, all yours")  # fmt: skip
    assert says(answer, "what the plan pays the pharmacy is not known")


def test_without_a_pharmacy_copay_buprenorphine_is_left_out_and_the_answer_says_so():
    answer = both(outpatient_buprenorphine(PLAN))
    # The outpatient care alone: $1,320 (above); no buprenorphine line, no price of it.
    assert answer.you_pay == 132_000
    assert not [line for line in answer.lines if line.item == "buprenorphine"]
    assert [price.item for price in answer.prices] == ["outpatient"]
    assert says(answer, "Its cost is not included in this estimate")


def test_pharmacy_copays_do_not_count_toward_the_medical_maximum():
    plan = replace(PLAN, deductible_cents=0, oop_max_cents=10_000, pharmacy_copay_cents=2_000)
    answer = both(outpatient_buprenorphine(plan))
    # 20% of $2,600 = $520, capped at the $100 maximum; 3 fills x $20 = $60 on top: $160.
    assert answer.you_pay == 10_000 + 6_000


@pytest.mark.parametrize(
    "insurance",
    [Insurance("medicaid", pharmacy_copay_cents=300), Insurance("medicare", pharmacy_copay_cents=300)],
)  # fmt: skip
def test_any_insurance_type_sends_buprenorphine_to_the_pharmacy(insurance):
    request = outpatient_buprenorphine(insurance)
    answer = both(request)
    fills = [line for line in answer.lines if line.item == "buprenorphine"]
    # 3 fills x $3 = $9, whatever the medical benefit does with the outpatient weeks.
    assert sum(line.you_pay for line in fills) == 900
    assert all(line.insurance_pays == 0 for line in fills)


def test_self_pay_buprenorphine_keeps_the_weekly_bundle_price():
    answer = both(outpatient_buprenorphine(None))
    # 13 weeks x $200 + 13 weeks x $115 = $2,600 + $1,495 = $4,095
    assert answer.you_pay == 260_000 + 149_500


def test_buprenorphine_at_an_otp_under_a_plan_is_the_bundle_not_a_pharmacy_fill():
    request = EstimateRequest(
        START,
        (Phase(OTP, 90),),
        medication="buprenorphine",
        insurance=replace(PLAN, pharmacy_copay_cents=1_500),
    )
    answer = both(request)
    # 13 weeks x $115 = $1,495, all under the $1,000 deductible then 20%:
    # $1,000 + 20% of $495 (rounded per line) = $1,099; no fill.
    assert (answer.total_charges, answer.you_pay) == (149_500, 109_900)
    assert not [line for line in answer.lines if line.item == "buprenorphine"]
    assert not says(answer, "pharmacy benefit")


def test_fills_are_counted_per_stretch_outside_the_otp():
    request = EstimateRequest(
        START,
        (Phase("outpatient", 20, 20_000), Phase(OTP, 30, 20_000), Phase("outpatient", 40, 20_000)),
        medication="buprenorphine",
        insurance=replace(PLAN, pharmacy_copay_cents=1_000),
    )
    answer = both(request)
    fills = [line.on for line in answer.lines if line.item == "buprenorphine"]
    # Days 0-19: one fill (day 0); days 50-89: two fills (days 50 and 80).
    assert fills == [START, START + timedelta(days=50), START + timedelta(days=80)]


def test_the_sliding_fee_does_not_lower_the_pharmacy_copay():
    request = outpatient_buprenorphine(
        replace(PLAN, pharmacy_copay_cents=1_500),
        household=Household(1, 0, "TX"),
        sliding_scale=True,
    )
    answer = both(request)
    # No income: the default schedule's 0% of each program charge, but the 3 fills x $15 stay.
    assert answer.you_pay == 4_500
    assert says(answer, "The program's sliding fee does not lower the pharmacy copay.")


def test_fills_after_the_authorized_days_are_still_yours():
    request = outpatient_buprenorphine(
        replace(PLAN, pharmacy_copay_cents=1_500, days_authorized=35)
    )
    answer = both(request)
    fills = [line for line in answer.lines if line.item == "buprenorphine"]
    assert len(fills) == 3  # days 0, 30 and 60, the last after the 35 authorized days
    assert says(answer, "Every fill is counted, on the days your plan has not authorized too")
