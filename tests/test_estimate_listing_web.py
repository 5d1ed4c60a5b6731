"""Estimates true to the listing: residential of unstated length, naltrexone by its form, and
no estimate for a program that offers no substance-use treatment."""

import html

import pytest


def post(client, **body):
    return client.post("/api/estimate", json=body)


def test_a_mental_health_only_program_gets_no_estimate_but_a_clear_400(client, add_program):
    program = add_program(name="Harbor Psychiatric", substance_use=False, care_levels=[])
    answer = post(client, start_date="2026-03-02", program="outpatient", facility_id=program)
    assert answer.status_code == 400 and answer.json["field"] == "facility_id"
    assert "no substance-use treatment" in answer.json["error"]
    assert "no cost estimate" in answer.json["error"]

    form = {"facility": program, "program": "outpatient", "days": "90", "insurance": "none"}
    posted = client.post("/estimate", data={**form, "start_date": "2026-03-02"})
    assert posted.status_code == 400
    text = html.unescape(posted.text)
    assert "no substance-use treatment" in text and "You would pay" not in text


def test_no_estimate_is_read_for_a_mental_health_only_program(app, add_program):
    from finder import programs
    from finder.estimate_inputs import read_request
    from finder.estimator import EstimateError

    program_id = add_program(name="Harbor Psychiatric", substance_use=False, care_levels=[])
    with app.app_context():
        program = programs.program(program_id)
        with pytest.raises(EstimateError) as error:
            read_request({"start_date": "2026-03-02", "program": "outpatient"}, program)
    assert error.value.field == "facility_id"
    assert error.value.message == programs.NO_ESTIMATE


def test_the_old_injection_name_is_a_400_naming_the_new_one(client):
    answer = post(client, start_date="2026-03-02", program="outpatient", medication="naltrexone")
    assert answer.status_code == 400 and answer.json["field"] == "medication"
    assert "naltrexone_xr" in answer.json["error"]
    priced = post(client, start_date="2026-03-02", program="outpatient", medication="naltrexone_xr")
    assert priced.status_code == 200
    assert [p["item"] for p in priced.json["prices"]] == ["outpatient", "naltrexone_xr"]
    assert priced.json["prices"][1]["rate"] == 1176.5


def test_the_injection_at_a_program_listing_naltrexone_of_unknown_form_says_so(client, add_program):
    program = add_program(medications=["naltrexone"], rates={"outpatient": 10000})
    answer = post(
        client,
        start_date="2026-03-02",
        program="outpatient",
        facility_id=program,
        medication="naltrexone_xr",
    ).json
    assert any("without stating the form" in note for note in answer["assumptions"])


def test_residential_of_unstated_length_is_offered_and_explained(client, add_program):
    program = add_program(care_levels=["residential"], rates={"residential": (40000, 60000)})
    form = client.get(f"/estimate?facility={program}").text
    assert '<option selected value="level:residential">' in form
    assert "Residential (length not stated) at this program" in form
    assert 'value="naltrexone_xr"' in form and 'value="naltrexone"' not in form

    page = client.post(
        "/estimate",
        data={
            "facility": program,
            "program": "level:residential",
            "days": "30",
            "start_date": "2026-03-02",
            "insurance": "none",
        },
    )
    text = html.unescape(page.text)
    assert page.status_code == 200
    assert "does not state the length of its residential care" in text
    assert "You would pay about $15,000" in text  # 30 days at the $400-$600 midpoint
    assert "<li>Residential (length not stated), 30 days from March 2, 2026:" in text


def test_search_fit_prices_residential_of_unstated_length(client, add_program):
    add_program(care_levels=["residential"], payments=["cash"], rates={"residential": 50000})
    results = client.get(
        "/api/facilities", query_string={"near": "02139", "coverage": "cash"}
    ).json["results"]
    assert results[0]["estimate"] == {
        "you_pay": 90 * 500.0,
        "level": "residential",
        "self_pay": True,
    }
