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


def docs_examples() -> list:
    """The JSON blocks of the estimate's docs: the request, then its answer (abridged)."""
    return [json.loads(block) for block in re.findall(r"```json\n(.*?)```", estimate_docs(), re.S)]


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
    body, shown = docs_examples()[:2]
    load_demo_program(app, tmp_path, body["facility_id"])
    listing = client.get(f"/api/facilities/{body['facility_id']}").json
    assert "residential_long" in listing["care_levels"]  # the "inpatient" preset
    assert body["medication"] in listing["medications"]
    assert "private_insurance" in listing["payments"]  # the example's commercial plan
    answer = post(client, **body)
    assert answer.status_code == 200
    assert answer.json["prices"][0]["basis"] == "program"  # the program's own $440 a day
    assert answer.json["coverage_used"]["type"] == "commercial"
    # Every figure the docs show in full is the answer's ("..." marks what they abridge).
    full = {key: value for key, value in shown.items() if "..." not in json.dumps(value)}
    assert {key: answer.json[key] for key in full} == full


# ---- the estimator's rules through the API, computed by hand ----

RESIDENTIAL_30 = [{"level": "residential_short", "days": 30}]


def at(client, program_id: str, **body):
    answer = post(client, start_date="2026-03-02", facility_id=program_id, **body)
    assert answer.status_code == 200, answer.json
    return answer.json


def test_a_commercial_plan_at_a_program_without_private_insurance_is_self_pay(client, add_program):
    program = add_program(
        care_levels=["residential_short"],
        payments=["cash", "medicaid"],
        rates={"residential_short": 50_000},
    )
    answer = at(client, program, phases=RESIDENTIAL_30, insurance=PLAN)
    # 30 days x $500 = $15,000, all of it yours: the plan's terms are not used.
    assert answer["coverage_used"]["type"] == "self_pay"
    assert "private health insurance" in answer["coverage_used"]["reason"]
    assert answer["total_charges"] == 15_000.0
    assert answer["you_pay"] == 15_000.0 and answer["insurance_pays"] == 0.0
    assert answer["range"] == {"low": 15_000.0, "high": 15_000.0}
    assert answer["coverage_used"]["reason"] in answer["assumptions"][0]


def test_a_plan_without_terms_at_a_program_without_private_insurance_is_no_ceiling(
    client, add_program
):
    program = add_program(
        care_levels=["residential_short"], payments=["cash"], rates={"residential_short": 50_000}
    )
    answer = at(client, program, phases=RESIDENTIAL_30, insurance={"type": "commercial"})
    # Self-pay at $500 a day for 30 days: $15,000 exactly, not "from $0 up to a maximum".
    assert answer["coverage_used"]["type"] == "self_pay"
    assert answer["ceiling"] is False
    assert answer["range"] == {"low": 15_000.0, "high": 15_000.0}


def test_medicaid_at_a_cash_and_sliding_fee_program_is_the_sliding_fee(client, add_program):
    program = add_program(
        care_levels=["residential_short"],
        payments=["cash", "sliding_fee"],
        rates={"residential_short": 50_000},
        sliding_fee_schedule="100:0;150:25",
    )
    household = {"size": 1, "annual_income": 23_940, "state": "MA"}
    answer = at(
        client, program, phases=RESIDENTIAL_30, insurance={"type": "medicaid"}, household=household
    )
    # $23,940 / $15,960 (2026 guideline, one person) = 150%: the program's 25% class.
    # 30 x $500 = $15,000; you pay 25% = $3,750, the sliding fee takes $11,250.
    assert answer["coverage_used"]["type"] == "self_pay"
    assert "Medicaid" in answer["coverage_used"]["reason"]
    assert answer["you_pay"] == 3_750.0 and answer["sliding_discount"] == 11_250.0
    assert answer["insurance_pays"] == 0.0


def test_a_program_that_lists_the_plan_uses_it(client, add_program):
    program = add_program(
        care_levels=["residential_short"],
        payments=["cash", "private_insurance"],
        rates={"residential_short": 50_000},
    )
    answer = at(client, program, phases=RESIDENTIAL_30, insurance=PLAN)
    # $15,000: deductible $1,000 + 20% of $14,000 = $3,800, under the $5,000 maximum.
    assert answer["coverage_used"]["type"] == "commercial"
    assert answer["you_pay"] == 3_800.0 and answer["insurance_pays"] == 11_200.0


def test_one_patient_on_a_family_plan_pays_at_most_the_self_only_limit(client):
    stay = [{"level": "residential_long", "days": 90, "rate": 600}]
    family = {"type": "commercial", "deductible": 4000, "coinsurance": 0.2, "oop_max": 21_200}
    start = {"start_date": "2026-02-01", "phases": stay}
    # 90 x $600 = $54,000. Deductible $4,000 + 20% of $50,000 = $14,000, under the family
    # maximum of $21,200; one patient's share stops at 2026's self-only limit, $10,600.
    answer = post(client, **start, insurance={**family, "family": True}).json
    assert answer["you_pay"] == 10_600.0 and answer["insurance_pays"] == 43_400.0
    # Read as a self-only plan, the $21,200 maximum is above the legal limit: $14,000.
    assert post(client, **start, insurance=family).json["you_pay"] == 14_000.0


def test_a_copay_per_day_is_charged_each_day_of_day_priced_care(client):
    plan = {**PLAN, "copay": 25}
    answer = post(
        client,
        start_date="2026-03-02",
        phases=[{"level": "residential_short", "days": 30, "rate": 500}],
        insurance=plan,
    ).json
    # Each day: $25 copay, then $475 toward the deductible and 20% coinsurance.
    # Copays 30 x $25 = $750; deductible $1,000; 20% of (30 x $475 - $1,000) = 20% of
    # $13,250 = $2,650. $750 + $1,000 + $2,650 = $4,400, under the $5,000 maximum.
    assert answer["you_pay"] == 4_400.0


def test_a_copay_per_day_is_not_charged_on_weekly_outpatient_care(client):
    weekly = [{"level": "outpatient", "days": 84, "rate": 150}]
    free = {"type": "commercial", "deductible": 0, "coinsurance": 0, "oop_max": 5000}
    answer = post(client, start_date="2026-03-02", phases=weekly, insurance={**free, "copay": 25})
    # 12 weeks x $150 = $1,800, no deductible, no coinsurance, and no per-day copay on weeks.
    assert answer.json["total_charges"] == 1_800.0 and answer.json["you_pay"] == 0.0


def test_a_visit_copay_is_charged_per_visit_of_outpatient_care(client):
    free = {"type": "commercial", "deductible": 0, "coinsurance": 0, "oop_max": 5000}
    weekly = [{"level": "outpatient", "days": 84, "rate": 150, "visits_per_week": 2}]
    answer = post(
        client, start_date="2026-03-02", phases=weekly, insurance={**free, "visit_copay": 30}
    ).json
    # 12 weeks x 2 visits x $30 = $720.
    assert answer["you_pay"] == 720.0 and answer["insurance_pays"] == 1_080.0
    top_level = post(
        client,
        start_date="2026-03-02",
        phases=[{"level": "outpatient", "days": 84, "rate": 150}],
        visits_per_week=3,
        insurance={**free, "visit_copay": 30},
    ).json
    # 12 weeks x 3 visits x $30 = $1,080.
    assert top_level["you_pay"] == 1_080.0


def test_an_admission_copay_is_charged_once_per_admission_not_per_day(client):
    free = {"type": "commercial", "deductible": 0, "coinsurance": 0, "oop_max": 5000}
    stepped = [
        {"level": "detox_inpatient", "days": 5, "rate": 200},
        {"level": "residential_short", "days": 25, "rate": 200},
        {"level": "outpatient", "days": 28, "rate": 100},
        {"level": "residential_short", "days": 10, "rate": 200},
    ]
    answer = post(
        client, start_date="2026-03-02", phases=stepped, insurance={**free, "admission_copay": 500}
    ).json
    # Detox then residential is one admission, the later residential stay a second:
    # $500 twice = $1,000 (each taken from $200 days: $200 + $200 + $100), not $500 a day.
    assert answer["you_pay"] == 1_000.0


def test_days_beyond_authorization_are_at_risk_in_the_range_not_in_you_pay(client):
    stay = [{"level": "residential_short", "days": 30, "rate": 500}]
    answer = post(
        client, start_date="2026-03-02", phases=stay, insurance={**PLAN, "days_authorized": 20}
    ).json
    # Authorized: 20 x $500 = $10,000; deductible $1,000 + 20% of $9,000 = $2,800.
    # At risk: 10 days x $500 = $5,000 as self-pay. High end: $2,800 + $5,000 = $7,800.
    assert answer["total_charges"] == 10_000.0
    assert answer["you_pay"] == 2_800.0
    assert answer["days_at_risk"] == 10 and answer["at_risk"] == 5_000.0
    assert answer["range"] == {"low": 2_800.0, "high": 7_800.0}


def test_a_plan_out_of_network_without_terms_is_the_ceiling_of_every_charge(client, add_program):
    program = add_program(
        care_levels=["residential_short"],
        payments=["cash", "private_insurance"],
        rates={"residential_short": 50_000},
    )
    insurance = {"type": "commercial", "in_network": False}
    answer = at(client, program, phases=RESIDENTIAL_30, insurance=insurance)
    # No out-of-network terms: every charge, 30 x $500 = $15,000, is the ceiling, from $0.
    assert answer["ceiling"] is True and answer["range"] == {"low": 0.0, "high": 15_000.0}
    assert answer["coverage_used"]["type"] == "out_of_network"
    assert answer["coverage_used"]["reason"] == answer["assumptions"][0]
    assert "out of your plan's network" in answer["assumptions"][0]
