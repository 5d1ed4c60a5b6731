"""POST /api/estimate and plans as people have them (issue 14): every key checked, the new
inputs (family plans, copays per day, visit and admission, days authorized, visits per week)
read into the estimator's request, and what the program accepts deciding the coverage used."""

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from finder.estimate_inputs import KEYS, read_request
from finder.estimator import Insurance, Phase, PlanTerms
from finder.importer import import_file

START = {"start_date": "2026-03-02", "program": "outpatient"}
PLAN = {"type": "commercial", "deductible": 1000, "coinsurance": 0.2, "oop_max": 5000}


def post(client, **body):
    return client.post("/api/estimate", json=body)


@pytest.mark.parametrize(
    "body, field, suggestion",
    [
        ({**START, "start_day": "2026-03-02"}, "start_day", '"start_date"'),
        ({**START, "facility": "demo-0001"}, "facility", '"facility_id"'),
        ({**START, "insurance": {**PLAN, "deductable": 500}}, "insurance.deductable", '"deductible"'),
        ({**START, "insurance": {**PLAN, "famly": True}}, "insurance.famly", '"family"'),
        ({**START, "insurance": {**PLAN, "next_year": {"oop_maximum": 9}}}, "insurance.next_year.oop_maximum", '"oop_max"'),
        ({**START, "household": {"size": 2, "annual_income": 30000, "state": "MA", "sise": 3}}, "household.sise", '"size"'),
        (
            {"start_date": "2026-03-02", "phases": [{"level": "outpatient", "days": 30}, {"level": "outpatient", "days": 60, "visits_per_wek": 2}]},
            "phases[1].visits_per_wek",
            '"visits_per_week"',
        ),
    ],
)  # fmt: skip
def test_an_unknown_key_at_any_level_is_a_400_naming_it_as_written(client, body, field, suggestion):
    response = post(client, **body)
    assert response.status_code == 400
    assert response.json["field"] == field
    assert f"Did you mean {suggestion}?" in response.json["error"]


def test_an_unknown_key_like_no_known_one_lists_the_keys_it_may_be(client):
    response = post(client, **START, household={"size": 2, "annual_income": 1, "zzz": 1})
    assert response.status_code == 400 and response.json["field"] == "household.zzz"
    assert response.json["error"] == (
        'household has no key "zzz". Known keys: size, annual_income, state.'
    )


def test_a_misspelt_key_is_named_before_the_term_it_leaves_missing(client):
    # Without the check, "deductable" would be dropped and the plan read as lacking its
    # deductible (or, with no terms at all, as the ceiling plan).
    insurance = {"type": "commercial", "deductable": 500, "coinsurance": 0.2, "oop_max": 5000}
    response = post(client, **START, insurance=insurance)
    assert response.status_code == 400 and response.json["field"] == "insurance.deductable"


def test_start_date_left_out_is_today(client):
    answer = post(client, program="outpatient").json
    today = dt.date.today()
    assert answer["prices"][0]["start"] == today.isoformat()
    assert answer["months"][0]["month"] == today.strftime("%Y-%m")
    assert read_request({"program": "outpatient", "start_date": None}, None).start_date == today


def test_every_new_plan_input_reaches_the_estimators_request():
    body = {
        "start_date": "2026-03-02",
        "visits_per_week": 2,
        "phases": [
            {"level": "residential_short", "days": 20},
            {"level": "intensive_outpatient", "days": 30, "visits_per_week": 4},
            {"level": "outpatient", "days": 40},
        ],
        "insurance": {
            **PLAN,
            "family": True,
            "copay": 25,
            "visit_copay": "30.50",
            "admission_copay": 500,
            "days_authorized": 14,
            "next_year": {"visit_copay": 35, "admission_copay": 600},
        },
    }
    request = read_request(body, None)
    assert request.visits_per_week == 2
    assert request.phases == (
        Phase("residential_short", 20),
        Phase("intensive_outpatient", 30, visits_per_week=4),
        Phase("outpatient", 40),
    )
    assert request.insurance == Insurance(
        kind="commercial",
        deductible_cents=100_000,
        coinsurance=Decimal("0.2"),
        oop_max_cents=500_000,
        family=True,
        copay_cents=2_500,
        visit_copay_cents=3_050,
        admission_copay_cents=50_000,
        days_authorized=14,
        next_year=PlanTerms(visit_copay_cents=3_500, admission_copay_cents=60_000),
    )
    assert request.accepted_payments is None  # no program: nothing to check coverage against


def test_the_new_inputs_left_out_keep_the_old_reading():
    request = read_request({**START, "insurance": PLAN}, None)
    assert request.visits_per_week is None and request.phases[0].visits_per_week is None
    insurance = request.insurance
    assert (insurance.family, insurance.days_authorized) == (False, None)
    assert (insurance.visit_copay_cents, insurance.admission_copay_cents) == (0, 0)


def test_days_authorized_holds_on_a_plan_given_without_terms():
    # A commercial plan without terms is read as the ceiling plan; the days the plan
    # authorized still bound what it pays for.
    insurance = {"type": "commercial", "days_authorized": 30}
    assert read_request({**START, "insurance": insurance}, None).insurance.days_authorized == 30


@pytest.mark.parametrize(
    "body, field",
    [
        ({**START, "visits_per_week": 2.5}, "visits_per_week"),
        ({**START, "visits_per_week": "3"}, "visits_per_week"),
        ({"start_date": "2026-03-02", "phases": [{"level": "outpatient", "days": 90, "visits_per_week": True}]}, "phases[0].visits_per_week"),
        ({**START, "insurance": {**PLAN, "family": "yes"}}, "insurance.family"),
        ({**START, "insurance": {**PLAN, "family": 1}}, "insurance.family"),
        ({**START, "insurance": {**PLAN, "days_authorized": "30"}}, "insurance.days_authorized"),
        ({**START, "insurance": {**PLAN, "days_authorized": 7.5}}, "insurance.days_authorized"),
        ({**START, "insurance": {**PLAN, "visit_copay": "thirty"}}, "insurance.visit_copay"),
        ({**START, "insurance": {**PLAN, "admission_copay": -500}}, "insurance.admission_copay"),
        ({**START, "insurance": {**PLAN, "next_year": {"visit_copay": [30]}}}, "insurance.next_year.visit_copay"),
        ({**START, "insurance": {**PLAN, "next_year": {"admission_copay": -1}}}, "insurance.next_year.admission_copay"),
    ],
)  # fmt: skip
def test_new_inputs_of_the_wrong_type_are_a_400_naming_them(client, body, field):
    response = post(client, **body)
    assert response.status_code == 400
    assert response.json["field"] == field and response.json["error"]


def test_a_programs_payments_go_to_the_estimator(app, add_program):
    from finder import programs

    program_id = add_program(payments=["cash", "medicaid", "sliding_fee"])
    with app.app_context():
        request = read_request(START, programs.program(program_id))
    assert request.accepted_payments == ("cash", "medicaid", "sliding_fee")


def test_the_answer_says_the_coverage_used_and_the_days_at_risk(client):
    answer = post(client, **START, insurance=PLAN).json
    assert set(answer["coverage_used"]) == {"type", "reason"}
    assert answer["days_at_risk"] == 0 and answer["at_risk"] == 0.0


def estimate_docs() -> str:
    docs = (Path(__file__).resolve().parent.parent / "docs" / "api.md").read_text()
    return docs[docs.index("## `POST /api/estimate`") :]


def docs_example() -> dict:
    return json.loads(re.search(r"```json\n(.*?)```", estimate_docs(), re.S).group(1))


def load_demo_program(app, tmp_path, key: str) -> None:
    """One row of the demo directory (data/programs.csv), imported as init-db would."""
    lines = Path(app.config["DEMO_DATA"]).read_text().splitlines()
    row = next(line for line in lines if line.startswith(f"{key},"))
    path = tmp_path / "one.csv"
    path.write_text(f"{lines[0]}\n{row}\n")
    with app.app_context():
        import_file(path, fmt="native", actor="test")


def test_the_docs_name_every_key_the_api_reads_and_answers(client):
    docs = estimate_docs()
    keys = {key for known in KEYS.values() for key in known}
    answer = post(client, **START).json
    undocumented = sorted(key for key in keys | set(answer) if f"`{key}`" not in docs)
    assert undocumented == []


def test_the_docs_example_asks_a_demo_program_for_care_it_offers_with_a_plan_it_takes(
    app, client, tmp_path
):
    body = docs_example()
    load_demo_program(app, tmp_path, body["facility_id"])
    listing = client.get(f"/api/facilities/{body['facility_id']}").json
    assert "residential_long" in listing["care_levels"]  # the "inpatient" preset
    assert body["medication"] in listing["medications"]
    assert "private_insurance" in listing["payments"]  # the example's commercial plan
    answer = post(client, **body)
    assert answer.status_code == 200
    assert answer.json["prices"][0]["basis"] == "program"  # the program's own $440 a day
