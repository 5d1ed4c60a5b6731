"""The estimate pages and API: the contract to the cent, plain words, and privacy."""

import html
import re

import pytest

RESIDENTIAL = {"level": "residential_long", "days": 90, "rate": 600}
PLAN = {"type": "commercial", "deductible": 5000, "coinsurance": 0.2, "oop_max": 10600}


def post(client, **body):
    return client.post("/api/estimate", json=body)


def test_a_stay_inside_one_plan_year_stops_at_the_out_of_pocket_maximum(client):
    answer = post(client, start_date="2026-02-01", phases=[RESIDENTIAL], insurance=PLAN).json
    assert answer["total_charges"] == 54000.0
    assert answer["you_pay"] == 10600.0 and answer["insurance_pays"] == 43400.0
    assert [p["start"] for p in answer["plan_years"]] == ["2026-01-01"]


def test_a_stay_across_new_year_pays_two_deductibles_and_two_maxima(client):
    plan = {**PLAN, "oop_max": 9200, "next_year": {"oop_max": 10600}}
    answer = post(client, start_date="2025-11-15", phases=[RESIDENTIAL], insurance=plan).json
    assert answer["you_pay"] == 18360.0
    years = [(p["start"], p["charges"], p["you_pay"]) for p in answer["plan_years"]]
    assert years == [("2025-01-01", 28200.0, 9200.0), ("2026-01-01", 25800.0, 9160.0)]
    assert [m["month"] for m in answer["months"]] == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert round(sum(m["you_pay"] for m in answer["months"]), 2) == 18360.0
    assert answer["range"] == {"low": 18360.0, "high": 18360.0}
    assert "not a Good Faith Estimate" in answer["good_faith_notice"]


def test_national_figures_give_a_range_with_their_year_and_source(client):
    answer = post(client, start_date="2026-03-01", program="inpatient").json
    assert answer["range"]["low"] < answer["you_pay"] < answer["range"]["high"]
    assert answer["range"] == {"low": 90 * 357.0, "high": 90 * 758.0}
    assert all(s["year"] and s["citation"] for s in answer["sources"])
    assert any("2019-2020" in s["year"] for s in answer["sources"])
    assert answer["prices"][0]["basis"] == "national"


@pytest.mark.parametrize(
    "body, field",
    [
        ({"start_date": "2026-01-01", "program": "php"}, "phases[0].rate"),
        ({"start_date": "2026-01-01", "program": "spa"}, "program"),
        ({"start_date": "2026-13-01", "program": "outpatient"}, "start_date"),
        ({"program": "outpatient"}, "start_date"),
        ({"start_date": "2026-01-01", "program": "outpatient", "days": 0}, "days"),
        ({"start_date": "2026-01-01", "program": "outpatient", "days": -5}, "days"),
        ({"start_date": "2026-01-01", "program": "outpatient", "days": "ninety"}, "days"),
        ({"start_date": "2026-01-01", "phases": [{"level": "yoga", "days": 9}]}, "phases[0].level"),
        (
            {"start_date": "2026-01-01", "program": "outpatient", "insurance": {**PLAN, "coinsurance": 1.5}},
            "insurance.coinsurance",
        ),
        (
            {"start_date": "2026-01-01", "program": "outpatient", "insurance": {**PLAN, "deductible_met": 6000}},
            "insurance.deductible_met",
        ),
        (
            {"start_date": "2026-01-01", "program": "outpatient", "insurance": {"type": "commercial"}},
            "insurance.deductible",
        ),
        (
            {"start_date": "2026-01-01", "program": "outpatient", "household": {"size": 2, "annual_income": -1, "state": "MA"}},
            "household.annual_income",
        ),
        (
            {"start_date": "2026-01-01", "program": "outpatient", "household": {"size": 0, "annual_income": 1, "state": "MA"}},
            "household.size",
        ),
        ({"start_date": "2026-01-01", "program": "outpatient", "insurance": "yes"}, "insurance"),
    ],
)  # fmt: skip
def test_invalid_input_is_a_400_naming_the_field(client, body, field):
    response = client.post("/api/estimate", json=body)
    assert response.status_code == 400
    assert response.json["field"] == field and response.json["error"]


def test_malformed_json_and_unknown_programs(client):
    bad = client.post("/api/estimate", data="{not json", content_type="application/json")
    assert bad.status_code == 400 and bad.json["field"] == "body"
    missing = post(client, start_date="2026-01-01", program="outpatient", facility_id="nope")
    assert missing.status_code == 404 and missing.is_json


def test_a_programs_own_prices_and_sliding_fee_are_used(client, add_program):
    program = add_program(
        payments=["sliding_fee", "cash"],
        sliding_fee_schedule="100:0;150:25;200:75",
        rates={"outpatient": 20000},
    )
    answer = post(
        client,
        start_date="2026-03-02",
        program="outpatient",
        facility_id=program,
        household={"size": 1, "annual_income": 20000, "state": "MA"},
    ).json
    # 13 weekly charges of $200; $20,000 is 125.31% of the 2026 guideline ($15,960): pay 25%.
    assert answer["total_charges"] == 2600.0 and answer["fpg_percent"] == 125.31
    assert answer["you_pay"] == 650.0 and answer["sliding_discount"] == 1950.0
    assert answer["prices"][0]["basis"] == "program"


def test_the_estimate_form_sets_no_cookie_and_has_no_csrf_token(client):
    page = client.get("/estimate")
    assert page.status_code == 200 and "Set-Cookie" not in page.headers
    assert "csrf_token" not in page.text and 'method="post"' in page.text


def test_the_answer_page_explains_in_plain_words_with_a_chart(client):
    form = {
        "program": "inpatient", "days": "90", "start_date": "2025-11-15", "rate": "600",
        "insurance": "commercial", "in_network": "yes", "deductible": "5000",
        "coinsurance": "20", "oop_max": "9200", "plan_year_start": "01-01", "payment_months": "12",
    }  # fmt: skip
    page = client.post("/estimate", data=form)
    text = html.unescape(page.text)
    assert page.status_code == 200 and "Set-Cookie" not in page.headers
    assert "You would pay about $18,360.00" in text
    assert "Insurance would pay $35,640.00" in text
    assert "crosses into a new plan year" in text
    assert "not a Good Faith Estimate" in text and "No Surprises Act" in text
    assert "$1,530.00 a month" in text
    svg = re.search(r"<svg.*?</svg>", text, re.S).group(0)
    assert svg.count('class="bar-you"') == 4 and svg.count('class="bar-insurance"') == 4
    assert " style=" not in text and "<script>" not in text  # CSS and JS in files only


def test_form_mistakes_come_back_on_the_form(client):
    page = client.post(
        "/estimate",
        data={"program": "php", "days": "90", "start_date": "2026-01-05", "insurance": "none"},
    )
    assert page.status_code == 400
    assert "no sourced national price for partial hospitalization" in html.unescape(page.text)
    page = client.post(
        "/estimate",
        data={
            "program": "outpatient",
            "days": "400",
            "start_date": "2026-01-05",
            "insurance": "none",
        },
    )
    assert page.status_code == 400 and "between 7 and 365" in page.text


def test_a_program_page_leads_to_an_estimate_prefilled_for_it(client, add_program):
    program = add_program(
        care_levels=["intensive_outpatient", "outpatient"],
        payments=["sliding_fee"],
        rates={"intensive_outpatient": 50000},
    )
    detail = client.get(f"/facilities/{program}").text
    assert f'href="/estimate?facility={program}"' in detail
    form = client.get(f"/estimate?facility={program}").text
    assert '<option selected value="level:intensive_outpatient">' in form
    assert re.search(r'<input checked id="sliding_scale"[^>]*type="checkbox"', form)
    assert f'value="{program}"' in form and "publishes" in form
