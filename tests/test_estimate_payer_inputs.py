"""The payer rules' inputs (issue 15) on the estimate form and in the JSON API: TRICARE and its
group, the patient's age, Medicare's days already used and a psychiatric hospital, a pharmacy
copay; and an answer the rules cannot give (NotEstimated), which is a reason, not a figure."""

import pytest
from test_estimate_page_plans import form_body
from test_estimate_web import page_text

from finder.estimate_inputs import read_request
from finder.estimator import EstimateError, estimate

START = {"start_date": "2026-03-02", "program": "outpatient"}
TRICARE_FAMILY = {"type": "tricare", "tricare_group": "select_group_a_adfm"}
MEDICARE_FORM = {
    "program": "inpatient", "days": "30", "start_date": "2026-03-02",
    "insurance": "medicare", "benefit_period_days_used": "10", "reserve_days_used": "20",
    "psychiatric_days_used": "100", "psychiatric_hospital": "y", "patient_age": "70",
    "pharmacy_copay": "15",
}  # fmt: skip


def test_the_api_reads_every_payer_input_into_the_request():
    body = {
        **START,
        "patient_age": 17,
        "insurance": {
            "type": "medicare", "reserve_days_used": 12, "benefit_period_days_used": 5,
            "psychiatric_days_used": 40, "psychiatric_hospital": True, "pharmacy_copay": 15,
        },
    }  # fmt: skip
    request = read_request(body, None)
    insurance = request.insurance
    assert request.patient_age == 17
    assert (insurance.reserve_days_used, insurance.benefit_period_days_used) == (12, 5)
    assert (insurance.psychiatric_days_used, insurance.psychiatric_hospital) == (40, True)
    assert insurance.pharmacy_copay_cents == 1500
    tricare = read_request({**START, "insurance": TRICARE_FAMILY}, None).insurance
    assert (tricare.kind, tricare.tricare_group) == ("tricare", "select_group_a_adfm")


@pytest.mark.parametrize(
    "insurance, top, field",
    [
        ({"type": "tricare"}, {}, "insurance.tricare_group"),
        ({"type": "tricare", "tricare_group": "retiree_prime"}, {}, "insurance.tricare_group"),
        ({"type": "medicaid", "tricare_group": "active_duty"}, {}, "insurance.tricare_group"),
        ({"type": "medicare", "reserve_days_used": 61}, {}, "insurance.reserve_days_used"),
        ({"type": "medicare", "psychiatric_days_used": 191}, {}, "insurance.psychiatric_days_used"),
        ({"type": "medicare", "benefit_period_days_used": -1}, {}, "insurance.benefit_period_days_used"),
        ({"type": "medicare", "psychiatric_hospital": "yes"}, {}, "insurance.psychiatric_hospital"),
        ({"type": "medicaid", "pharmacy_copay": -5}, {}, "insurance.pharmacy_copay"),
        ({"type": "medicaid"}, {"patient_age": 121}, "patient_age"),
        ({"type": "medicaid"}, {"patient_age": "forty"}, "patient_age"),
        ({"type": "medicaid"}, {"patient_age": True}, "patient_age"),
    ],
)  # fmt: skip
def test_a_bad_payer_input_is_a_400_naming_it(client, insurance, top, field):
    response = client.post("/api/estimate", json={**START, **top, "insurance": insurance})
    assert response.status_code == 400
    assert response.json["field"] == field
    assert response.json["error"]


def test_outpatient_care_under_tricare_is_not_estimated_and_says_why(client):
    response = client.post("/api/estimate", json={**START, "insurance": TRICARE_FAMILY})
    assert response.status_code == 200
    answer = response.json
    assert answer["not_estimated"]
    assert answer["coverage_used"] == {"type": "tricare", "reason": answer["not_estimated"]}
    assert answer["assumptions"] == [answer["not_estimated"]]
    for key in ("you_pay", "total_charges", "insurance_pays", "range", "payment_plan"):
        assert answer[key] is None, key
    assert answer["months"] == answer["prices"] == answer["plan_years"] == []
    assert "not a Good Faith Estimate" in answer["good_faith_notice"]
    # An answer with figures says there is nothing missing.
    priced = client.post("/api/estimate", json={**START, "insurance": {"type": "medicaid"}})
    assert priced.json["not_estimated"] is None


def test_the_form_asks_for_tricare_medicare_days_age_and_a_pharmacy_copay(client):
    text = page_text(client.get("/estimate"))
    for words in (
        "TRICARE",
        "Who is the patient? An active-duty family member (TRICARE Select) An active-duty "
        "service member",
        "Medicare days already used (optional)",
        "Lifetime reserve days you have already used",
        "The stay is in a psychiatric hospital A freestanding psychiatric hospital: Medicare "
        "pays for 190 days of it in a lifetime.",
        "Pharmacy copay per 30-day fill of buprenorphine ($)",
        "The patient's age Optional. Medicaid charges children under 18 nothing",
    ):
        assert words in text, words


def test_the_form_sends_the_payer_inputs_the_api_reads():
    body = form_body(MEDICARE_FORM)
    assert body["patient_age"] == 70
    insurance = body["insurance"]
    assert insurance["type"] == "medicare"
    assert (insurance["benefit_period_days_used"], insurance["reserve_days_used"]) == (10, 20)
    assert (insurance["psychiatric_days_used"], insurance["psychiatric_hospital"]) == (100, True)
    assert str(insurance["pharmacy_copay"]) == "15"
    assert "tricare_group" not in insurance
    request = read_request(body, None)
    assert request.insurance.psychiatric_hospital and request.insurance.reserve_days_used == 20
    # Medicare's boxes are hidden for the other coverages, and not sent for them.
    other = form_body({**MEDICARE_FORM, "insurance": "medicaid"})
    assert "reserve_days_used" not in other["insurance"]
    tricare = form_body({**MEDICARE_FORM, "insurance": "tricare", "tricare_group": "active_duty"})
    assert tricare["insurance"]["tricare_group"] == "active_duty"
    assert read_request(tricare, None).insurance.kind == "tricare"


def test_the_answer_repeats_the_payer_answers_it_used(client):
    text = page_text(client.post("/estimate", data={**MEDICARE_FORM, "pharmacy_copay": "15"}))
    assert "The patient's age 70" in text
    assert (
        "Medicare days 10 already in this benefit period; 20 of 60 lifetime reserve days used; "
        "100 of 190 lifetime psychiatric hospital days used; a psychiatric hospital"
    ) in text
    assert "Pharmacy copay $15 a 30-day fill" in text


def test_a_tricare_answer_the_rules_cannot_give_is_a_reason_on_the_page(client):
    data = {
        "program": "outpatient", "days": "90", "start_date": "2026-03-02",
        "insurance": "tricare", "tricare_group": "select_group_a_adfm", "in_network": "yes",
    }  # fmt: skip
    page = client.post("/estimate", data=data)
    assert page.status_code == 200
    text = page_text(page)
    assert "We cannot estimate this cost" in text
    assert "You would pay" not in text
    assert "Change answers" in text and "TRICARE" in text
    # "Change answers" keeps what was chosen.
    again = page_text(client.post("/estimate/change", data=data))
    assert "We cannot estimate" not in again


def test_an_unknown_tricare_group_on_the_form_is_an_error_beside_it(client):
    data = {"program": "outpatient", "days": "90", "start_date": "2026-03-02",
            "insurance": "tricare", "tricare_group": "retiree"}  # fmt: skip
    page = client.post("/estimate", data=data)
    assert page.status_code == 400
    assert "Not a valid choice" in page_text(page)


def test_the_core_refuses_a_tricare_plan_without_a_group():
    with pytest.raises(EstimateError) as error:
        estimate(read_request({**START, "insurance": {"type": "tricare"}}, None))
    assert error.value.field == "insurance.tricare_group"
