"""POST /api/estimate with Medicaid as it works (issue 15): `range.high` is the federal
maximum for the household's income band, capped at 5% of income a month; what the person
sees about age, the state's expansion decision, the program's beds and room and board, with
the sources named. Worked examples computed by hand.

2026 HHS poverty guideline (48 states): $15,960 for one person, $33,000 for four."""

import pytest

START = "2026-03-02"
MEDICAID = {"type": "medicaid"}
# 4 weeks of outpatient care at $100 a week, 2 visits a week: 8 visits, $400 (all in March).
OUTPATIENT = [{"level": "outpatient", "days": 28, "rate": 100, "visits_per_week": 2}]
# 30 days of short-term residential care, March 2 to 31, at the program's $500 a day: $15,000.
RESIDENTIAL = [{"level": "residential_short", "days": 30}]


def post(client, **body):
    response = client.post("/api/estimate", json={"start_date": START, **body})
    assert response.status_code == 200, response.json
    return response.json


def said(answer) -> str:
    return " ".join(answer["assumptions"])


def sources(answer) -> dict[str, str]:
    return {source["label"]: source["status"] for source in answer["sources"]}


def household(income, size=1, state="CA"):
    return {"size": size, "annual_income": income, "state": state}


@pytest.mark.parametrize(
    "income, state, high",
    [
        # $10,000 / $15,960 = 62.7%: $4 x 8 visits = $32 (the cap, $41.66 a month, is above).
        (10_000, "CA", 32.0),
        # $20,000 / $15,960 = 125.3%: 10% of $400 = $40 (cap $83.33).
        (20_000, "TX", 40.0),
        # $40,000 / $15,960 = 250.6%: 20% of $400 = $80 (cap $166.66).
        (40_000, "CA", 80.0),
    ],
)
def test_outpatient_range_high_is_the_federal_maximum_for_the_income_band(
    client, income, state, high
):
    answer = post(
        client, phases=OUTPATIENT, insurance=MEDICAID, household=household(income, 1, state)
    )
    assert answer["you_pay"] == 0.0 and answer["range"] == {"low": 0.0, "high": high}
    assert answer["coverage_used"]["type"] == "medicaid"
    assert ("Texas has not adopted the Medicaid expansion" in said(answer)) is (state == "TX")
    assert "42 CFR 447.52(b)" in " ".join(s["citation"] for s in answer["sources"])


def test_without_income_the_high_end_is_the_copays_given_and_the_answer_says_so(client):
    # $3 a visit x 8 visits = $24, and no more is known without the household's income.
    answer = post(client, phases=OUTPATIENT, insurance={**MEDICAID, "visit_copay": 3})
    assert answer["you_pay"] == 24.0 and answer["range"]["high"] == 24.0
    assert "depends on your household's income: give your household size and income" in said(answer)


@pytest.mark.parametrize(
    "size, income, high",
    [
        # Household of 4, $30,000 / $33,000 = 90.9%: $75 for the stay (cap $125 a month).
        (4, 30_000, 75.0),
        # One person, $10,000: $75, capped at $10,000 x 5% / 12 = $41.66 for March.
        (1, 10_000, 41.66),
        # Household of 4, $40,000 (121.2%): 10% of $15,000 = $1,500, capped at $166.66.
        (4, 40_000, 166.66),
        # One person, $30,000 (188.0%): 20% of $15,000 = $3,000, capped at $125.
        (1, 30_000, 125.0),
    ],
)
def test_residential_range_high_at_each_band_with_the_monthly_cap(
    client, residential, size, income, high
):
    answer = post(
        client,
        facility_id=residential(beds=14),
        phases=RESIDENTIAL,
        insurance=MEDICAID,
        household=household(income, size),
    )
    assert answer["total_charges"] == 15_000.0 and answer["you_pay"] == 0.0
    assert answer["range"]["high"] == high
    labels = sources(answer)
    assert labels["Medicaid: cap on a family's cost sharing"] == (
        "UNVERIFIED"
    )  # fmt: skip
    assert labels["Room and board in non-hospital residential care"] == "UNVERIFIED"
    assert "Medicaid typically does not pay for room and board" in said(answer)


def test_the_lowest_band_s_base_amounts_are_labelled_unverified(client, residential):
    answer = post(
        client,
        facility_id=residential(beds=14),
        phases=RESIDENTIAL,
        insurance=MEDICAID,
        household=household(30_000, 4),
    )
    label = "Medicaid: the most per inpatient stay, family income at or below 100% of the guideline"
    assert sources(answer)[label] == "UNVERIFIED"
    assert "they rise each October" in said(answer)


@pytest.mark.parametrize(
    "beds, says",
    [
        (14, None),
        (40, "The program has 40 beds, more than 16: Medicaid may not pay for adults aged 21 to 64"),
        (None, "in a residential or hospital facility with more than 16 beds (the IMD exclusion)"),
    ],
)  # fmt: skip
def test_the_imd_caveat_follows_the_program_s_beds(client, residential, beds, says):
    answer = post(
        client, facility_id=residential(beds=beds), phases=RESIDENTIAL, insurance=MEDICAID
    )
    imd = "Medicaid: institutions for mental diseases (IMD exclusion)"
    if says is None:
        assert "IMD" not in said(answer) and imd not in sources(answer)
    else:
        assert says in said(answer) and imd in sources(answer)


def test_under_18_pays_nothing_at_the_api(client, residential):
    answer = post(
        client,
        facility_id=residential(beds=40),
        phases=RESIDENTIAL,
        insurance={**MEDICAID, "admission_copay": 50},
        household=household(30_000, 4),
        patient_age=15,
    )
    assert answer["you_pay"] == 0.0 and answer["range"] == {"low": 0.0, "high": 0.0}
    assert "children under 18: you pay nothing" in said(answer)
    assert "IMD" not in said(answer)
    assert "Medicaid: no cost sharing for children under 18 and other groups" in sources(answer)


def test_without_an_age_the_answer_assumes_an_adult_21_to_64(client):
    answer = post(client, phases=OUTPATIENT, insurance=MEDICAID)
    assert "This assumes the patient is an adult aged 21 to 64" in said(answer)


def test_medicaid_at_a_program_in_a_non_expansion_state_without_household(client, residential):
    # No household: the program's state (Texas) decides.
    answer = post(
        client, facility_id=residential(beds=14, state="TX"), phases=RESIDENTIAL, insurance=MEDICAID
    )
    assert "Texas has not adopted the Medicaid expansion, so Medicaid for adults there depends on an eligibility category" in said(answer)  # fmt: skip
    assert sources(answer)["Medicaid expansion in Texas: not adopted"] == "SECONDARY"
    assert answer["range"]["high"] == 0.0


def test_an_uninsured_adult_at_130_percent_in_an_expansion_state_is_told_how_to_apply(client):
    # $20,748 / $15,960 = 130%: at or below 138% in California, which adopted the expansion.
    answer = post(client, phases=OUTPATIENT, household=household(20_748, 1, "CA"))
    assert answer["coverage_used"]["type"] == "self_pay"
    assert answer["you_pay"] == 400.0  # 4 weeks x $100, self-pay
    assert "is likely eligible for Medicaid" in said(answer)
    assert "contact California's Medicaid agency or apply at HealthCare.gov" in said(answer)
    assert sources(answer)["Medicaid expansion in California: adopted"] == "SECONDARY"


def test_an_uninsured_adult_at_130_percent_in_a_non_expansion_state_is_not_told_so(client):
    answer = post(client, phases=OUTPATIENT, household=household(20_748, 1, "FL"))
    assert "likely eligible" not in said(answer)


def test_medicaid_not_listed_by_the_program_is_not_told_to_apply(client, add_program):
    # The person has Medicaid; the program takes cash only: self-pay, but not "uninsured".
    program = add_program(payments=["cash"], rates={"outpatient": 10_000})
    answer = post(
        client,
        facility_id=program,
        phases=[{"level": "outpatient", "days": 28}],
        insurance=MEDICAID,
        household=household(20_748, 1, "CA"),
    )
    assert answer["coverage_used"]["type"] == "self_pay"
    assert "likely eligible" not in said(answer)


def test_a_commercial_plan_s_residential_answer_says_to_ask_about_room_and_board(
    client, add_program
):
    program = add_program(
        care_levels=["residential_short"],
        payments=["private_insurance"],
        rates={"residential_short": 50_000},
    )
    plan = {"type": "commercial", "deductible": 1000, "coinsurance": 0.2, "oop_max": 5000}
    answer = post(client, facility_id=program, phases=RESIDENTIAL, insurance=plan)
    assert "ask your plan whether it pays for this stay's room and board" in said(answer)
