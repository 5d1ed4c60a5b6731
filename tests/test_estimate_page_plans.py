"""The estimate page with plans as people have them (issue 14): copays per day, visit and
admission, family amounts, days authorized, and a program that does not take the coverage
chosen. What a person sees on the form and the answer, and what the form sends the API."""

import json
import re
from decimal import Decimal

import pytest
from browsing import axe_problems, fits_the_screen, needs_chromium, open_page, screenshot, served
from test_estimate_web import hidden_fields, page_text
from werkzeug.datastructures import MultiDict

from finder import estimate as estimate_pages
from finder.estimate_inputs import body_from_form
from finder.estimator import EstimateError
from finder.forms import EstimateForm

# An intensive outpatient program with a private plan and every new input filled in.
IOP_PLAN = {
    "program": "iop", "days": "90", "start_date": "2026-03-02", "insurance": "commercial",
    "in_network": "yes", "deductible": "1500", "coinsurance": "20", "oop_max": "6000",
    "family": "y", "copay": "250", "visit_copay": "30", "visits_per_week": "4",
    "admission_copay": "500", "days_authorized": "30", "plan_year_start": "01-01",
}  # fmt: skip


def form_body(data: dict) -> dict:
    form = EstimateForm(MultiDict(data))
    assert form.validate(), form.errors
    return body_from_form(form.data)


def test_the_form_asks_for_copays_as_plans_write_them(client):
    page = client.get("/estimate")
    text = page_text(page)
    for words in (
        "Copays, as your plan lists them (optional)",
        "Copay per day ($) For each day of inpatient, residential or partial hospitalization care.",
        "Copay per visit ($) For each outpatient or intensive outpatient visit.",
        "Visits per week Leave empty for 1 a week in outpatient care, 3 in intensive outpatient.",
        "Copay per admission ($) Once for each inpatient or residential stay.",
        "These are family amounts Tick if the deductible and maximum above are for the whole",
        "Days your plan has authorized Optional. If your plan approved a number of days",
    ):
        assert words in text, words
    # Money opens the keypad with a decimal point, counts the plain number keypad.
    for name, mode in (("copay", "decimal"), ("visit_copay", "decimal"),
                       ("admission_copay", "decimal"), ("visits_per_week", "numeric"),
                       ("days_authorized", "numeric")):  # fmt: skip
        assert re.search(rf'<input[^>]*inputmode="{mode}"[^>]*name="{name}"', page.text), name
    assert re.search(r'<input id="family" name="family" type="checkbox"', page.text)


def test_the_form_sends_each_copay_under_its_own_name(app):
    body = form_body(IOP_PLAN)
    assert body["visits_per_week"] == 4 and body["program"] == "iop" and body["days"] == 90
    assert body["insurance"] == {
        "type": "commercial", "in_network": True, "plan_year_start": "01-01",
        "deductible": Decimal(1500), "deductible_met": None, "oop_max": Decimal(6000),
        "oop_met": None, "coinsurance": Decimal("0.2"), "allowed_fraction": None,
        "family": True, "copay": Decimal(250), "visit_copay": Decimal(30),
        "admission_copay": Decimal(500), "days_authorized": 30,
    }  # fmt: skip


def test_inputs_left_empty_are_not_sent_and_the_family_box_is_for_private_plans_only(app):
    empty = {k: "" for k in ("copay", "visit_copay", "visits_per_week", "admission_copay",
                             "days_authorized")}  # fmt: skip
    body = form_body({**IOP_PLAN, **empty, "family": ""})
    assert "visits_per_week" not in body
    assert body["insurance"]["copay"] is None and body["insurance"]["family"] is False
    assert not {"visit_copay", "admission_copay", "days_authorized"} & set(body["insurance"])
    # Ticked, then Medicaid chosen (the box hides with the private plan's terms): not sent.
    medicaid = form_body({**IOP_PLAN, "insurance": "medicaid"})
    assert medicaid["insurance"]["family"] is False
    assert medicaid["insurance"]["visit_copay"] == Decimal(30)
    assert "insurance" not in form_body({**IOP_PLAN, "insurance": "none"})


def test_the_api_takes_what_the_form_sends(client):
    body = json.loads(json.dumps(form_body(IOP_PLAN), default=float))
    answer = client.post("/api/estimate", json=body)
    assert answer.status_code == 200, answer.json


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"visits_per_week": "9"}, "visits_per_week", "between 1 and 7"),
        ({"visits_per_week": "two"}, "visits_per_week", "Enter a whole number, in digits."),
        ({"days_authorized": "-3"}, "days_authorized", "Enter a whole number, in digits."),
        ({"admission_copay": "-500"}, "admission_copay", "at least 0"),
        ({"visit_copay": "thirty"}, "visit_copay", "Enter a number in digits"),
    ],
)
def test_a_mistake_in_a_new_field_comes_back_beside_it(client, data, field, message):
    page = client.post("/estimate", data={**IOP_PLAN, **data})
    assert page.status_code == 400 and "Please check the fields marked below." in page.text
    error = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', page.text)
    assert error and message in error.group(1)
    assert re.search(rf'<input[^>]*name="{field}"[^>]*value="{re.escape(data[field])}"', page.text)


def test_every_estimator_field_lands_on_a_form_field():
    assert set(EstimateForm.FIELD_FOR.values()) <= {field.name for field in EstimateForm()}


@pytest.mark.parametrize(
    "field, on_form",
    [
        ("insurance.copay", "copay"),
        ("insurance.visit_copay", "visit_copay"),
        ("visits_per_week", "visits_per_week"),
        ("insurance.admission_copay", "admission_copay"),
        ("insurance.family", "family"),
        ("insurance.days_authorized", "days_authorized"),
    ],
)
def test_the_estimators_objection_to_a_new_input_is_shown_on_its_field(
    client, monkeypatch, field, on_form
):
    def objects(request):
        raise EstimateError(field, "The estimator objects to this.")

    monkeypatch.setattr(estimate_pages, "estimate", objects)
    page = client.post("/estimate", data=IOP_PLAN)
    assert page.status_code == 400
    assert f'<p class="error" id="{on_form}-error">The estimator objects to this.</p>' in page.text


def test_the_answer_repeats_the_new_inputs_in_plain_words(client):
    text = page_text(client.post("/estimate", data=IOP_PLAN))
    used = text[text.index("The answers this estimate used") : text.index("Change answers")]
    for words in (
        "in network, family deductible $1,500, family out-of-pocket maximum $6,000,",
        "Copays $250 a day, $30 a visit, $500 an admission",
        "Visits per week 4 visits",
        "Days your plan has authorized 30 of 90",
    ):
        assert words in used, words
    without_visits = page_text(client.post("/estimate", data={**IOP_PLAN, "visits_per_week": ""}))
    assert "Visits per week Not given: 1 in outpatient care, 3 in intensive outpatient" in (
        without_visits
    )
    medicaid = page_text(client.post("/estimate", data={**IOP_PLAN, "insurance": "medicaid"}))
    used = medicaid[medicaid.index("The answers") : medicaid.index("Change answers")]
    assert "Copays $250 a day, $30 a visit, $500 an admission" in used
    assert "family" not in used and "Plan terms" not in used


def test_change_answers_carries_the_new_inputs_back_to_the_form(client):
    answer = client.post("/estimate", data=IOP_PLAN)
    assert answer.status_code == 200
    assert hidden_fields(answer) == IOP_PLAN  # what was sent, nothing more
    hrefs = re.findall(r'(?:href|action)="([^"]*)"', answer.text)
    assert not [h for h in hrefs if "?" in h and "estimate" in h]

    form = client.post("/estimate/change", data=hidden_fields(answer))
    assert form.status_code == 200 and "Please check" not in form.text
    for name in ("copay", "visit_copay", "visits_per_week", "admission_copay", "days_authorized"):
        assert re.search(rf'<input[^>]*name="{name}"[^>]*value="{IOP_PLAN[name]}"', form.text), name
    assert re.search(r'<input checked id="family" name="family" type="checkbox"', form.text)
    # A box left unticked sends nothing, and comes back unticked.
    unticked = client.post("/estimate", data={k: v for k, v in IOP_PLAN.items() if k != "family"})
    assert "family" not in hidden_fields(unticked)
    form = client.post("/estimate/change", data=hidden_fields(unticked)).text
    assert re.search(r'<input id="family" name="family" type="checkbox"', form)


def test_the_form_for_a_program_names_the_payments_its_listing_takes(client, add_program):
    program = add_program(payments=["cash", "medicaid"])
    text = page_text(client.get(f"/estimate?facility={program}"))
    assert "Payments its listing names: Cash or self-pay, Medicaid." in text


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with served(tmp_path_factory.mktemp("estimate-plans")) as base:
        yield base


@needs_chromium
def test_the_plan_fields_show_with_the_coverage_they_belong_to_on_a_phone(site, browser):
    page = open_page(browser, site, javascript=True)
    page.goto(site + "/estimate")
    visit, family, days = (
        page.get_by_label("Copay per visit ($)"),
        page.get_by_label("These are family amounts"),
        page.get_by_label("Days your plan has authorized"),
    )
    assert not (visit.is_visible() or family.is_visible() or days.is_visible())  # no insurance
    page.get_by_label("Medicaid").check()
    assert visit.is_visible() and days.is_visible() and not family.is_visible()
    page.get_by_label("Private insurance, TRICARE or a Marketplace plan").check()
    assert visit.is_visible() and days.is_visible() and family.is_visible()
    assert fits_the_screen(page) and axe_problems(page) == []

    page.get_by_label("Kind of program").select_option("iop")
    for label, value in (("Deductible ($ per plan year)", "1500"), ("Coinsurance", "20"),
                         ("Out-of-pocket maximum ($ per plan year)", "6000"),
                         ("Copay per visit ($)", "30"), ("Visits per week", "4"),
                         ("Days your plan has authorized", "30")):  # fmt: skip
        page.get_by_label(label, exact=label != "Coinsurance").fill(value)
    family.check()
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "estimate-plan-form")
    with page.expect_navigation():
        page.get_by_role("button", name="Estimate").click()
    assert page.locator("h1").inner_text().startswith("You would pay about $")
    page.set_viewport_size({"width": 360, "height": 740})
    assert fits_the_screen(page) and axe_problems(page) == []
    assert "6000" not in page.url and "30" not in page.url
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "estimate-plan-answer")
    with page.expect_navigation():
        page.get_by_role("button", name="Change answers").click()
    assert page.get_by_label("Visits per week").input_value() == "4"
    assert family.is_checked() and days.input_value() == "30"
    assert page.blocked == []
