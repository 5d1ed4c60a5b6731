"""POST /api/estimate with TRICARE and with Medicare's days already used (issue 15): the
answers computed by hand, each naming its sources."""

import re
from html import unescape

import pytest

RESIDENTIAL_30 = [{"level": "residential_short", "days": 30}]
HOSPITAL_90 = [{"level": "hospital_inpatient", "days": 90}]
FAMILY = {"type": "tricare", "tricare_group": "select_group_a_adfm"}


def post(client, **body):
    return client.post("/api/estimate", json={"start_date": "2026-03-02", **body})


def answer_at(client, program, **body):
    response = post(client, facility_id=program, **body)
    assert response.status_code == 200, response.json
    return response.json


def labels(answer):
    return {source["label"]: source for source in answer["sources"]}


@pytest.fixture
def residential(add_program):
    """Short-term residential care at $500 a day, taking TRICARE."""
    return add_program(
        care_levels=["residential_short", "outpatient"],
        payments=["tricare", "cash"],
        rates={"residential_short": 50_000, "outpatient": 20_000},
    )


def test_a_family_member_pays_the_daily_inpatient_cost_share(client, residential):
    answer = answer_at(client, residential, phases=RESIDENTIAL_30, insurance=FAMILY)
    # 30 x $24.50 = $735, more than $25 an admission; TRICARE pays 30 x 500 - 735.
    assert answer["you_pay"] == 735.0
    assert answer["insurance_pays"] == 15000.0 - 735.0
    assert answer["coverage_used"]["type"] == "tricare"
    day = labels(answer)[
        "TRICARE Select Group A, active-duty family member: inpatient mental health cost-share a day"
    ]
    assert day["status"] == "UNVERIFIED"
    assert "TRICARE: its own cost-shares and catastrophic cap" in labels(answer)
    assert any("$24.50 a day or $25.00 an admission" in note for note in answer["assumptions"])


def test_the_catastrophic_cap_holds_a_long_stay_to_1000(client, residential):
    answer = answer_at(
        client, residential, phases=[{"level": "residential_short", "days": 90}], insurance=FAMILY
    )
    assert answer["you_pay"] == 1000.0  # 90 x 24.50 = 2,205, capped at $1,000 (2026)
    assert "TRICARE catastrophic cap, active-duty family, a calendar year" in labels(answer)


def test_an_active_duty_service_member_pays_nothing(client, residential):
    insurance = {"type": "tricare", "tricare_group": "active_duty"}
    answer = answer_at(client, residential, phases=RESIDENTIAL_30, insurance=insurance)
    assert (answer["you_pay"], answer["range"]["high"]) == (0.0, 0.0)
    assert "TRICARE: active-duty service members' cost-share" in labels(answer)


def test_a_non_participating_provider_s_balance_bill_is_only_in_the_range_s_top(
    client, residential
):
    insurance = {**FAMILY, "in_network": False}
    answer = answer_at(client, residential, phases=RESIDENTIAL_30, insurance=insurance)
    # 735 in cost-shares; up to 15% of 30 x 500 = 2,250 more: the top is 2,985.
    assert answer["you_pay"] == 735.0 and answer["balance_billed"] == 0.0
    assert (answer["range"]["low"], answer["range"]["high"]) == (735.0, 2985.0)


def test_tricare_at_a_program_that_does_not_take_it_is_self_pay(client, add_program):
    program = add_program(
        care_levels=["residential_short"], payments=["cash"], rates={"residential_short": 50_000}
    )
    answer = answer_at(client, program, phases=RESIDENTIAL_30, insurance=FAMILY)
    assert answer["coverage_used"]["type"] == "self_pay" and answer["you_pay"] == 15000.0


@pytest.mark.parametrize(
    "level, words, otp",
    [
        ("intensive_outpatient", "intensive outpatient care", False),
        ("opioid_treatment_program", "opioid treatment program care", True),
    ],
)
def test_a_family_member_s_outpatient_care_is_null_with_the_reason(client, level, words, otp):
    phases = [{"level": level, "days": 90, "rate": 300}]
    response = post(client, phases=phases, insurance=FAMILY)
    assert response.status_code == 200
    answer = response.json
    assert answer["you_pay"] is None and answer["range"] is None
    assert answer["not_estimated"].startswith(
        f"TRICARE's cost-share for {words} for an active-duty family member in TRICARE Select, "
        "Group A is not in finder's data, so this is not estimated"
    )
    assert "TRICARE: its own cost-shares and catastrophic cap" in labels(answer)
    assert ("TRICARE: opioid treatment programs" in labels(answer)) == otp
    assert ("one outpatient cost-share a week" in answer["not_estimated"]) == otp


def test_an_active_duty_member_s_outpatient_care_costs_nothing(client):
    phases = [{"level": "intensive_outpatient", "days": 90, "rate": 300}]
    insurance = {"type": "tricare", "tricare_group": "active_duty"}
    answer = post(client, phases=phases, insurance=insurance).json
    assert answer["not_estimated"] is None and answer["you_pay"] == 0.0


@pytest.mark.parametrize(
    "insurance, field",
    [
        ({"type": "tricare"}, "insurance.tricare_group"),
        ({"type": "tricare", "tricare_group": "retiree"}, "insurance.tricare_group"),
    ],
)
def test_a_tricare_group_missing_or_unknown_is_a_400(client, insurance, field):
    response = post(client, phases=RESIDENTIAL_30, insurance=insurance)
    assert response.status_code == 400 and response.json["field"] == field


# ---- Medicare's days already used ----


@pytest.fixture
def hospital(add_program):
    """Hospital inpatient care at $2,000 a day, taking Medicare."""

    def add(**fields):
        return add_program(
            care_levels=["hospital_inpatient"],
            payments=["medicare"],
            rates={"hospital_inpatient": 200_000},
            **fields,
        )

    return add


def test_medicare_reserve_days_used_leave_days_uncovered(client, hospital):
    program = hospital()
    insurance = {"type": "medicare", "reserve_days_used": 50}
    phases = [{"level": "hospital_inpatient", "days": 120}]
    answer = answer_at(client, program, phases=phases, insurance=insurance)
    # 1,736 + 30 x 434 (days 61-90) + 10 x 868 (the 10 reserve days left) + 20 x 2,000.
    assert answer["you_pay"] == 1736 + 30 * 434 + 10 * 868 + 20 * 2000 == 63436
    assert any(
        "You have used 50 of your 60 lifetime reserve days" in note
        for note in answer["assumptions"]
    )


def test_a_psychiatric_hospital_listing_applies_the_190_day_limit(client, hospital):
    program = hospital(facility_types=["psychiatric_hospital"])
    insurance = {"type": "medicare", "psychiatric_days_used": 150}
    answer = answer_at(client, program, phases=HOSPITAL_90, insurance=insurance)
    # 40 days left of 190: the deductible 1,736, then days 41-90 yours: 50 x 2,000.
    assert answer["you_pay"] == 1736 + 50 * 2000 == 101736
    limit = labels(answer)["Medicare: 190-day lifetime limit in psychiatric hospitals"]
    assert limit["status"] == "SECONDARY"


def test_psychiatric_hospital_given_in_the_body_applies_the_limit(client):
    body = {
        "phases": [{"level": "hospital_inpatient", "days": 90, "rate": 2000}],
        "insurance": {
            "type": "medicare",
            "psychiatric_hospital": True,
            "psychiatric_days_used": 150,
        },
    }
    answer = post(client, **body).json
    assert answer["you_pay"] == 101736.0


def test_benefit_period_days_used_skip_the_deductible(client, hospital):
    program = hospital()
    insurance = {"type": "medicare", "benefit_period_days_used": 50}
    answer = answer_at(
        client, program, phases=[{"level": "hospital_inpatient", "days": 30}], insurance=insurance
    )
    assert answer["you_pay"] == 20 * 434  # days 51-60 $0, days 61-80 at 434, no deductible
    assert any("deductible is taken as already paid" in note for note in answer["assumptions"])


# ---- search with coverage=tricare: an active-duty family member in Select Group A ----


def search(client, **params):
    response = client.get("/api/facilities", query_string={"near": "02139", **params})
    assert response.status_code == 200, response.json
    return response.json


def test_search_prices_tricare_by_its_own_rules_and_says_what_it_assumes(client, add_program):
    program = add_program(
        care_levels=["residential_long"], payments=["tricare"], rates={"residential_long": 50_000}
    )
    answer = search(client, coverage="tricare")
    assert answer["estimate_assumes"] == (
        "TRICARE estimates assume an active-duty family member in TRICARE Select, Group A, "
        "under TRICARE's own cost-shares and catastrophic cap."
    )
    found = {r["id"]: r for r in answer["results"]}[program]
    # 90 days x 24.50 = 2,205, capped at the family's $1,000 a calendar year: whatever today
    # is, 90 days reach the cap in one calendar year or the other (at most $1,000 + $1,000).
    assert found["accepts_coverage"] is True and found["estimate"]["self_pay"] is False
    assert 1000.0 <= found["estimate"]["you_pay"] <= 2000.0


def test_search_s_tricare_outpatient_result_has_no_estimate_with_the_reason(client, add_program):
    taken = add_program(payments=["tricare"], rates={"outpatient": 20_000})
    cash = add_program(payments=["cash"], rates={"outpatient": 20_000})
    answer = search(client, coverage="tricare", sort="cost")
    found = {r["id"]: r for r in answer["results"]}
    estimate = found[taken]["estimate"]
    assert estimate["level"] == "outpatient" and "you_pay" not in estimate
    assert estimate["not_estimated"].startswith(
        "TRICARE's cost-share for outpatient care for an active-duty family member in TRICARE "
        "Select, Group A is not in finder's data, so this is not estimated"
    )
    assert found[taken]["cost_ranked"] is False  # no estimate: not ranked by cost
    # A program that does not take TRICARE is priced as self-pay: 13 weeks x $200.
    assert found[cash]["estimate"] == {"you_pay": 2600.0, "level": "outpatient", "self_pay": True}


def test_search_without_tricare_assumes_nothing(client, add_program):
    add_program(payments=["medicaid"], rates={"outpatient": 20_000})
    assert search(client, coverage="medicaid")["estimate_assumes"] is None


def test_the_results_page_says_what_tricare_assumes_and_why_a_card_has_no_estimate(
    client, add_program
):
    add_program(payments=["tricare"], rates={"outpatient": 20_000})
    page = client.get("/search", query_string={"near": "02139", "coverage": "tricare"}).text
    assert (
        "TRICARE estimates assume an active-duty family member in TRICARE Select, Group A, "
        "under TRICARE&#39;s own cost-shares and catastrophic cap." in page
    )
    assert (
        "No estimate: TRICARE's cost-share for standard outpatient is not in our data. Ask "
        "TRICARE or the program." in page
    )


def test_the_comparison_says_why_a_tricare_outpatient_column_has_no_estimate(client, add_program):
    taken = add_program(payments=["tricare"], rates={"outpatient": 20_000})
    html = client.get(f"/compare?compare={taken}&coverage=tricare").text
    words = " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
    assert "TRICARE estimates assume an active-duty family member in TRICARE Select" in words
    assert (
        "Takes TRICARE / military insurance. No estimate: TRICARE's cost-share for standard "
        "outpatient is not in our data. Ask TRICARE or the program." in words
    )
