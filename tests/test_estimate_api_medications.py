"""POST /api/estimate and the medication rules of issue 15 (28-day doses of the injection, the
opioid treatment program's bundle, buprenorphine's pharmacy copay), one-figure prices, a
territory's poverty guideline and the Part B 20%'s citation. Figures computed by hand."""

START = "2026-01-05"
OTP = "opioid_treatment_program"
PLAN = {"type": "commercial", "deductible": 1000, "coinsurance": 0.2, "oop_max": 5000}


def post(client, **body):
    response = client.post("/api/estimate", json={"start_date": START, **body})
    assert response.status_code == 200, response.json
    return response.json


def said(answer, words: str) -> bool:
    return any(words in note for note in answer["assumptions"])


def test_ninety_days_of_the_injection_are_four_doses(client):
    answer = post(
        client, phases=[{"level": "outpatient", "days": 90, "rate": 0}], medication="naltrexone_xr"
    )
    # 4 doses (days 0, 28, 56, 84) x $1,176.50 = $4,706.00
    assert answer["you_pay"] == 4706.0
    assert answer["prices"][1] == {
        "item": "naltrexone_xr",
        "start": START,
        "days": 90,
        "unit": "dose",
        "rate": 1176.5,
        "rate_low": 1176.5,
        "rate_high": 1176.5,
        "basis": "national",
    }
    assert said(answer, "one dose every 28 days")
    dosing = [s for s in answer["sources"] if "one dose every 28 days" in s["label"]]
    assert [s["status"] for s in dosing] == ["UNVERIFIED"]


def test_a_programs_injection_rate_is_per_dose(client, add_program):
    program = add_program(
        care_levels=["outpatient"],
        medications=["naltrexone_xr"],
        rates={"outpatient": 0, "naltrexone_xr": 100_000},
    )
    answer = post(client, facility_id=program, program="outpatient", medication="naltrexone_xr")
    # 4 doses x $1,000 (the program's published rate per dose) = $4,000
    assert answer["you_pay"] == 4000.0
    assert answer["prices"][1]["unit"] == "dose" and answer["prices"][1]["basis"] == "program"


def test_methadone_at_an_otp_publishing_its_rate_is_not_charged_twice(client, add_program):
    program = add_program(
        care_levels=[OTP], medications=["methadone"], rates={OTP: 20_000, "methadone": 12_000}
    )
    answer = post(
        client, facility_id=program, phases=[{"level": OTP, "days": 90}], medication="methadone"
    )
    # 13 started weeks x $200 (the program's OTP rate); its methadone rate is not added on top.
    assert answer["you_pay"] == answer["total_charges"] == 2600.0
    assert [price["item"] for price in answer["prices"]] == [OTP]
    assert said(answer, "methadone is not charged on its own")


def test_an_otp_without_a_rate_is_priced_at_the_methadone_bundle_not_a_400(client):
    answer = post(client, phases=[{"level": OTP, "days": 90}], medication="methadone")
    # 13 weeks x $126 (NIDA's methadone bundle) = $1,638
    assert answer["you_pay"] == 1638.0
    assert [(p["item"], p["unit"], p["rate"], p["basis"]) for p in answer["prices"]] == [
        (OTP, "week", 126.0, "national")
    ]
    assert said(answer, "so it is priced at the methadone bundle")
    # Without a medication whose bundle it is, there is still no price: a 400 asking for one.
    response = client.post(
        "/api/estimate", json={"start_date": START, "phases": [{"level": OTP, "days": 90}]}
    )
    assert response.status_code == 400 and response.json["field"] == "phases[0].rate"


def test_buprenorphine_in_outpatient_care_under_a_plan_costs_the_pharmacy_copay(client):
    phases = [{"level": "outpatient", "days": 90, "rate": 200}]
    answer = post(
        client,
        phases=phases,
        medication="buprenorphine",
        insurance={**PLAN, "pharmacy_copay": 15},
    )
    # Outpatient 13 weeks x $200 = $2,600: $1,000 deductible + 20% of $1,600 = $1,320.
    # Buprenorphine: 3 fills x $15 = $45 on top, all yours: $1,365.
    assert answer["you_pay"] == 1365.0
    assert answer["insurance_pays"] == 1280.0
    assert answer["total_charges"] == 2645.0
    assert answer["prices"][1]["unit"] == "fill" and answer["prices"][1]["rate"] == 15.0
    assert said(answer, "3 fills of 30 days for the whole program, at the pharmacy copay you gave")
    without = post(client, phases=phases, medication="buprenorphine", insurance=PLAN)
    assert without["you_pay"] == 1320.0
    assert [price["item"] for price in without["prices"]] == ["outpatient"]
    assert said(without, "Its cost is not included in this estimate")


def test_a_national_price_of_one_figure_says_so_and_its_range_has_one_end(client):
    answer = post(client, program="outpatient", days=90)
    # 13 weeks x $156.83 = $2,038.79; the source gives no low or high.
    assert answer["you_pay"] == 2038.79
    assert answer["range"] == {"low": 2038.79, "high": 2038.79}
    (price,) = answer["prices"]
    assert price["rate_low"] == price["rate_high"] == 156.83
    assert said(answer, "one figure, $156.83 per week (its source gives no range")
    assert not any("$156.83 to $156.83" in note for note in answer["assumptions"])


def test_a_puerto_rico_household_is_measured_on_the_48_state_guideline_and_told(client):
    answer = post(
        client,
        start_date="2026-02-02",  # the 2026 guidelines took effect on January 13
        phases=[{"level": "outpatient", "days": 7, "rate": 100}],
        household={"size": 4, "annual_income": 41250, "state": "PR"},
        sliding_scale=True,
    )
    # $41,250 / ($15,960 + 3 x $5,680 = $33,000) = 125%: pay 20% of $100 = $20.
    assert (answer["fpg_percent"], answer["you_pay"]) == (125.0, 20.0)
    assert said(answer, "HHS publishes no poverty guideline for Puerto Rico")


def test_the_part_b_twenty_percent_cites_costs_md_unverified_not_the_otp_page(client):
    answer = post(client, program="outpatient", days=90, insurance={"type": "medicare"})
    (row,) = [s for s in answer["sources"] if s["label"] == "Medicare 2026: Part B coinsurance"]
    assert row["status"] == "UNVERIFIED"
    assert "costs.md section 2.3" in row["citation"]
    assert (
        "cms.gov/medicare/medicare-fee-for-service-payment/opioid-treatment-program"
        not in (row["citation"])
    )
