"""The estimate page with plans as people have them (issue 14): copays per day, visit and
admission, family amounts, days authorized, and a program that does not take the coverage
chosen. What a person sees on the form and the answer, and what the form sends the API."""

import html
import json
import re
from decimal import Decimal

import pytest
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

# The visits a week a visit copay is charged on when none are given (estimator/data/visits.csv).
USUAL_VISITS = (
    "Visits per week Not given: the usual, 1 a week in standard outpatient care, 3 a week in "
    "intensive outpatient care"
)


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
        "Visits per week Leave empty for the usual: 1 a week in standard outpatient care, 3 a week "
        "in intensive outpatient care.",
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
    assert USUAL_VISITS in without_visits
    medicaid = page_text(client.post("/estimate", data={**IOP_PLAN, "insurance": "medicaid"}))
    used = medicaid[medicaid.index("The answers") : medicaid.index("Change answers")]
    assert "Copays $250 a day, $30 a visit, $500 an admission" in used
    assert "family" not in used and "Plan terms" not in used


def test_change_answers_carries_the_new_inputs_back_to_the_form(client):
    answer = client.post("/estimate", data=IOP_PLAN)
    assert answer.status_code == 200
    assert hidden_fields(answer) == IOP_PLAN  # what was sent, nothing more
    hrefs = re.findall(r'(?:href|action)="([^"]*)"', answer.text)
    assert not [h for h in hrefs if not h.endswith("?lang=es") and ("?" in h and "estimate" in h)]

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


# ---- the answers, with the estimator's figures ----

PLAN = {"start_date": "2026-03-02", "insurance": "commercial", "in_network": "yes",
        "plan_year_start": "01-01"}  # fmt: skip


def article(page) -> str:
    """The answer's words, from its first sentence."""
    answer = re.search(r'<article class="estimate-result">.*</article>', page.text, re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", answer.group(0))).split())


def outpatient_program(add_program, payments):
    return add_program(payments=payments, care_levels=["outpatient"], rates={"outpatient": 20000})


def test_a_program_that_does_not_list_the_plan_says_so_first_and_prices_self_pay(
    client, add_program
):
    # 90 days of outpatient care at $200 a week: 13 weekly charges, $2,600. The program takes
    # cash only, so the plan is not used: $2,600, all of it yours.
    cash_only = outpatient_program(add_program, ["cash"])
    data = {**PLAN, "program": "level:outpatient", "days": "90", "deductible": "1000",
            "coinsurance": "20", "oop_max": "6000"}  # fmt: skip
    page = client.post("/estimate", data={**data, "facility": cash_only})
    text = article(page)
    assert text.startswith(
        "The program does not list private health insurance among the payments it accepts, so "
        "this is what you would pay without it: the program's self-pay price. "
        "You would pay about $2,600 "
    )
    assert "Insurance would pay" not in text
    used = text[text.index("The answers this estimate used") : text.index("Change answers")]
    assert "Coverage Private insurance or a Marketplace plan" in used
    assert "Estimated as Paying yourself, without insurance" in used
    # Over the $2,000 maximum typed, the page says why: not a plan year's reset, since the
    # plan is not applied at all.
    low_max = article(
        client.post("/estimate", data={**data, "oop_max": "2000", "facility": cash_only})
    )
    assert (
        "Why this is more than the out-of-pocket maximum you gave: the program does not list "
        "your plan, so none of its terms apply, its maximum included: this is the self-pay price."
    ) in low_max
    assert "plan year's reset" not in low_max
    # Where the plan is listed: the $1,000 deductible, then 20% of the other $1,600 ($320).
    listed = outpatient_program(add_program, ["cash", "private_insurance"])
    text = article(client.post("/estimate", data={**data, "facility": listed}))
    assert text.startswith("You would pay about $1,320 ")
    assert "does not list" not in text and "Estimated as" not in text


def test_out_of_network_at_a_program_that_does_not_list_the_plan_says_so_too(client, add_program):
    # The plan allows half of each $200 week ($100), no deductible, 20% coinsurance: $20 of it
    # yours and the $100 balance bill: $120 a week, 13 x $120 = $1,560.
    cash_only = outpatient_program(add_program, ["cash"])
    data = {**PLAN, "facility": cash_only, "program": "level:outpatient", "days": "90",
            "in_network": "no", "allowed_percent": "50", "deductible": "0",
            "coinsurance": "20", "oop_max": "6000"}  # fmt: skip
    text = article(client.post("/estimate", data=data))
    assert text.startswith(
        "The program does not list private health insurance among the payments it accepts, so "
        "this is what you would pay with your plan's out-of-network terms. "
        "You would pay about $1,560 "
    )
    assert "Estimated as" not in text  # out of network is what was chosen


def test_a_plan_without_terms_at_a_program_that_does_not_list_it_is_no_ceiling(client, add_program):
    # Without terms the plan would be a ceiling from $0; here it is not used: self-pay, $2,600.
    cash_only = outpatient_program(add_program, ["cash"])
    data = {**PLAN, "facility": cash_only, "program": "level:outpatient", "days": "90"}
    text = article(client.post("/estimate", data=data))
    assert text.startswith("The program does not list private health insurance")
    assert "You would pay about $2,600 " in text
    assert "at most" not in text and "You gave no plan terms" not in text


def test_medicaid_at_a_program_that_does_not_take_it_is_self_pay_not_zero(client, add_program):
    cash_only = outpatient_program(add_program, ["cash"])
    data = {**PLAN, "insurance": "medicaid", "facility": cash_only,
            "program": "level:outpatient", "days": "90"}  # fmt: skip
    text = article(client.post("/estimate", data=data))
    assert text.startswith("The program does not list Medicaid among the payments it accepts")
    assert "You would pay about $2,600 " in text


def test_days_beyond_the_authorization_have_a_line_of_their_own(client):
    # 30 days of residential care at $500 a day, 20 authorized: $10,000 through the plan,
    # $1,000 deductible + 20% of $9,000 = $2,800. The 10 days after: 10 x $500 = $5,000 as
    # self-pay, in the top of the range ($2,800 + $5,000 = $7,800), not in the $2,800.
    data = {**PLAN, "program": "inpatient", "days": "30", "rate": "500", "deductible": "1000",
            "coinsurance": "20", "oop_max": "10000", "days_authorized": "20"}  # fmt: skip
    page = client.post("/estimate", data=data)
    text = article(page)
    assert text.startswith("You would pay about $2,800 Likely range: $2,800 to $7,800. ")
    assert (
        "10 days after the 20 days your plan has authorized are at risk: if the plan does not "
        "approve them, they would cost $5,000 as self-pay. They are in the top of the range "
        "($7,800), not in the $2,800 above."
    ) in text
    assert re.search(r'<p class="at-risk">10 days after', page.text)
    assert "Days your plan has authorized 20 of 30" in text
    # The charges said are the authorized days', not the whole program's.
    assert "would be charged $10,000 for the 20 days your plan has authorized" in text
    # Authorized for the whole stay: no line, and one price, all 30 days through the plan:
    # $15,000, $1,000 deductible + 20% of $14,000 = $3,800.
    whole = article(client.post("/estimate", data={**data, "days_authorized": "30"}))
    assert "at risk" not in whole.split("The answers")[0]
    assert whole.startswith("You would pay about $3,800 A single price, not a range")
    assert "would be charged $15,000 in all." in whole


def test_a_visit_copay_is_charged_on_each_visit_and_the_day_copay_not_on_weekly_care(client):
    # 90 days of intensive outpatient care at $400 a week (13 weekly charges), a plan with no
    # deductible and no coinsurance: only the copays. $30 a visit at 4 visits a week:
    # 13 x 4 x $30 = $1,560; the $250 per-day copay is not charged on weekly care.
    data = {**PLAN, "program": "iop", "days": "90", "rate": "400", "deductible": "0",
            "coinsurance": "0", "oop_max": "6000", "copay": "250", "visit_copay": "30",
            "visits_per_week": "4"}  # fmt: skip
    assert article(client.post("/estimate", data=data)).startswith("You would pay about $1,560 ")
    # Without visits a week, intensive outpatient's usual 3: 13 x 3 x $30 = $1,170.
    usual = article(client.post("/estimate", data={**data, "visits_per_week": ""}))
    assert usual.startswith("You would pay about $1,170 ")
    assert USUAL_VISITS in usual


def test_an_admission_copay_is_paid_once_a_stay_not_each_day(client):
    # 30 days of residential care at $300 a day, no deductible or coinsurance, $500 a stay:
    # $300 of it on day 1, $200 on day 2, then nothing: $500, not 30 x $500.
    data = {**PLAN, "program": "inpatient", "days": "30", "rate": "300", "deductible": "0",
            "coinsurance": "0", "oop_max": "6000", "admission_copay": "500"}  # fmt: skip
    text = article(client.post("/estimate", data=data))
    assert text.startswith("You would pay about $500 ")
    assert "Copays $500 an admission" in text


def test_one_person_on_a_family_plan_pays_at_most_the_limit_for_one(client):
    # 90 days of residential care at $600 a day: $54,000 in 2026. Deductible $3,000, 20%,
    # maximum $21,200: $3,000 + 20% of $51,000 = $13,200 for one person on a self-only plan.
    # As family amounts, one person pays at most 2026's self-only limit: $10,600.
    data = {**PLAN, "program": "inpatient", "days": "90", "rate": "600", "deductible": "3000",
            "coinsurance": "20", "oop_max": "21200"}  # fmt: skip
    self_only = article(client.post("/estimate", data=data))
    assert self_only.startswith("You would pay about $13,200 ")
    assert "family" not in self_only.split("Change answers")[0]
    family = article(client.post("/estimate", data={**data, "family": "y"}))
    assert family.startswith("You would pay about $10,600 ")
    assert "family deductible $3,000, family out-of-pocket maximum $21,200" in family
