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
        ({"start_date": "", "program": "outpatient"}, "start_date"),
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
            {"start_date": "2026-01-01", "program": "outpatient", "insurance": {"type": "commercial", "oop_max": 9200}},
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
    # 13 weekly charges of $200; $20,000 is 125.32% (125.3132..., rounded up) of the 2026 guideline ($15,960): pay 25%.
    assert answer["total_charges"] == 2600.0 and answer["fpg_percent"] == 125.32
    assert answer["you_pay"] == 650.0 and answer["sliding_discount"] == 1950.0
    assert answer["prices"][0]["basis"] == "program"


def test_the_estimate_form_sets_no_cookie_and_has_no_csrf_token(client):
    page = client.get("/estimate")
    assert page.status_code == 200 and "Set-Cookie" not in page.headers
    assert "csrf_token" not in page.text and 'method="post"' in page.text


ACROSS_NEW_YEAR = {
    "program": "inpatient", "days": "90", "start_date": "2025-11-15", "rate": "600",
    "insurance": "commercial", "in_network": "yes", "deductible": "5000",
    "coinsurance": "20", "oop_max": "9200", "plan_year_start": "01-01", "payment_months": "12",
}  # fmt: skip


def page_text(page) -> str:
    """The words of a page as a reader sees them (tags dropped, spaces collapsed)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page.text)).split())


def test_the_answer_page_explains_in_plain_words_with_a_chart(client):
    page = client.post("/estimate", data=ACROSS_NEW_YEAR)
    text = page_text(page)
    assert page.status_code == 200 and "Set-Cookie" not in page.headers
    assert "You would pay about $18,360 " in text
    assert "Insurance would pay $35,640." in text
    assert "crosses into a new plan year" in text
    assert "not a Good Faith Estimate" in text and "No Surprises Act" in text
    assert "$1,530.00 a month" in text
    svg = re.search(r"<svg.*?</svg>", page.text, re.S).group(0)
    assert svg.count('class="bar-you"') == 4 and svg.count('class="bar-insurance"') == 4
    assert [label for label in re.findall(r'class="bar-label"[^>]*>([^<]+)<', svg)] == [
        "Nov", "2025", "Dec", "Jan", "2026", "Feb",
    ]  # fmt: skip
    assert " style=" not in page.text and "<script>" not in page.text  # CSS and JS in files only


def test_the_headline_is_in_whole_dollars_with_its_range_beside_it(client):
    page = client.post(
        "/estimate",
        data={
            "program": "inpatient",
            "days": "90",
            "start_date": "2026-03-01",
            "insurance": "none",
        },
    )
    text = page_text(page)
    # National residential figures: $357 to $758 a day, $557.50 typical.
    assert "You would pay about $50,175 Likely range: $32,130 to $68,220." in text
    assert "$50,175.00" not in text.split("The answers")[0]


def test_a_single_price_is_not_called_a_range(client):
    text = page_text(client.post("/estimate", data=ACROSS_NEW_YEAR))
    assert "A single price, not a range:" in text and "The real bill can still differ." in text
    assert "Likely range" not in text


def test_passing_the_out_of_pocket_maximum_typed_is_explained_beside_the_figure(client):
    text = page_text(client.post("/estimate", data=ACROSS_NEW_YEAR))
    headline = text[text.index("You would pay about") : text.index("A program of 90 days")]
    assert "more than the out-of-pocket maximum you gave" in headline
    assert "crosses the plan year's reset on January 1" in headline
    assert "a second deductible and a second out-of-pocket maximum apply" in headline
    inside_one_year = client.post("/estimate", data={**ACROSS_NEW_YEAR, "start_date": "2026-02-01"})
    assert "more than the out-of-pocket maximum" not in page_text(inside_one_year)


def test_a_balance_bill_is_named_as_what_the_maximum_does_not_cap(client):
    out_of_network = {**ACROSS_NEW_YEAR, "start_date": "2026-02-01", "in_network": "no"}
    text = page_text(client.post("/estimate", data={**out_of_network, "allowed_percent": "60"}))
    assert "which no out-of-pocket maximum caps" in text.split("A program of")[0]


def test_the_answer_repeats_the_answers_it_used_in_plain_words(client):
    data = {**ACROSS_NEW_YEAR, "household_size": "3", "income": "40000", "state": "MA"}
    text = page_text(client.post("/estimate", data={**data, "medication": "buprenorphine"}))
    used = text[text.index("The answers this estimate used") : text.index("Change answers")]
    for words in (
        "Program Long-term residential (inpatient)",
        "Length 90 days from November 15, 2025",
        "Medication Buprenorphine",
        "Price you were quoted $600 per day",
        "Coverage Private insurance or a Marketplace plan",
        "deductible $5,000",
        "out-of-pocket maximum $9,200",
        "coinsurance 20%",
        "plan year starts January 1",
        "Household 3 people, $40,000 a year, Massachusetts",
    ):
        assert words in used


def hidden_fields(page) -> dict:
    form = re.search(r'<form class="change-answers"(.*?)</form>', page.text, re.S).group(0)
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form))


def test_change_answers_posts_back_to_the_filled_form_and_puts_nothing_in_a_link(client):
    data = {**ACROSS_NEW_YEAR, "household_size": "3", "income": "40000", "state": "MA"}
    answer = client.post("/estimate", data={**data, "sliding_scale": "y"})
    assert 'action="/estimate/change" method="post"' in answer.text
    carried = hidden_fields(answer)
    assert carried == {**data, "sliding_scale": "y"}  # what was sent, nothing more
    hrefs = re.findall(r'(?:href|action)="([^"]*)"', answer.text)
    assert not [
        h
        for h in hrefs
        if not h.endswith("?lang=es")
        and ("40000" in h or "9200" in h or "?" in h and "estimate" in h)
    ]

    form = client.post("/estimate/change", data=carried)
    assert form.status_code == 200 and "Set-Cookie" not in form.headers
    assert 'action="/estimate" method="post"' in form.text and "Please check" not in form.text
    for name in ("income", "oop_max", "deductible", "coinsurance", "household_size", "rate"):
        assert re.search(rf'<input[^>]*name="{name}"[^>]*value="{data[name]}"', form.text), name
    assert '<option selected value="inpatient">' in form.text
    assert '<option selected value="MA">' in form.text
    assert re.search(r'<input checked id="insurance-1"[^>]*value="commercial"', form.text)
    assert re.search(r'<input checked id="sliding_scale"', form.text)
    again = client.post("/estimate", data=hidden_fields(answer))
    assert page_text(again) == page_text(answer)


def test_change_answers_keeps_the_program(client, add_program):
    program = add_program(care_levels=["outpatient"], rates={"outpatient": 20000})
    data = {"facility": program, "program": "level:outpatient", "days": "90",
            "start_date": "2026-03-02", "insurance": "none"}  # fmt: skip
    answer = client.post("/estimate", data=data)
    assert hidden_fields(answer)["facility"] == program
    form = client.post("/estimate/change", data=hidden_fields(answer)).text
    assert f'value="{program}"' in form and '<option selected value="level:outpatient">' in form


RAW = re.compile(r"\b[a-z]+_[a-z_]+\b|\(otp\)|\[[A-Z]|per charge line|residential long")


@pytest.mark.parametrize("program", ["inpatient", "outpatient", "iop", "stepped"])
@pytest.mark.parametrize("insurance", ["none", "medicaid", "medicare", "commercial"])
def test_the_answer_has_no_raw_tokens_or_jargon(client, program, insurance):
    data = {"program": program, "days": "90", "start_date": "2025-11-15", "insurance": insurance,
            "medication": "methadone", "household_size": "2", "income": "30000", "state": "MA",
            "sliding_scale": "y"}  # fmt: skip
    page = client.post("/estimate", data=data)
    assert page.status_code == 200
    text = page_text(page)
    words = text[text.index("You would pay") : text.index("Start a new estimate")]
    assert RAW.findall(words) == []
    assert "secondary source" in words and "A secondary source: we read" in words


def test_the_poverty_percentage_is_shown_with_its_class_only_when_it_changes_something(client):
    household = {"program": "outpatient", "days": "90", "start_date": "2026-03-02",
                 "insurance": "none", "household_size": "1", "income": "20000", "state": "MA"}  # fmt: skip
    sliding = page_text(client.post("/estimate", data={**household, "sliding_scale": "y"}))
    # $20,000 is 125.32% (rounded up) of the 2026 guideline ($15,960): the class above 125%, paying 40%.
    assert (
        "Your household income is 125.32% of the federal poverty guideline: the class above "
        "125% and up to 150% of the guideline. Under the sliding fee you would pay 40%"
    ) in sliding
    # In Texas (no Medicaid expansion) income changes nothing without a sliding fee; in
    # Massachusetts an uninsured adult at 125% is likely eligible for Medicaid, and is told so.
    plain = page_text(client.post("/estimate", data={**household, "state": "TX"}))
    assert "125.32" not in plain and "poverty guideline" not in plain.split("Sources")[0]
    assert "Household income changes nothing here" in plain
    expansion = page_text(client.post("/estimate", data=household))
    assert "Household income is 125.32% of the 2026 HHS poverty guideline" in expansion
    assert "Household income changes nothing here" not in expansion
    assert "in Massachusetts, which has adopted the Medicaid expansion, is likely eligible" in (
        expansion
    )


@pytest.mark.parametrize("coinsurance", ["20", "20%", " 20 % ", "0.2"])
def test_coinsurance_is_read_as_people_write_it(client, coinsurance):
    page = client.post("/estimate", data={**ACROSS_NEW_YEAR, "coinsurance": coinsurance})
    assert "You would pay about $18,360 " in page_text(page)


def test_a_coinsurance_that_is_no_percent_comes_back_on_the_form(client):
    page = client.post("/estimate", data={**ACROSS_NEW_YEAR, "coinsurance": "150"})
    assert page.status_code == 400 and "Coinsurance is a percent from 0 to 100" in page.text
    assert 'value="150"' in page.text


def test_a_commercial_plan_without_terms_gets_the_ceiling_range(client):
    without = {
        k: v
        for k, v in ACROSS_NEW_YEAR.items()
        if k not in ("deductible", "coinsurance", "oop_max")
    }
    page = client.post("/estimate", data={**without, "start_date": "2026-02-01", "rate": ""})
    text = page_text(page)
    assert page.status_code == 200
    # National residential figures up to $758 a day: the legal 2026 maximum, $10,600, caps it.
    assert "You would pay at most about $10,600 Somewhere from $0 to $10,600." in text
    assert (
        "You gave no plan terms" in text and "no deductible, coinsurance or maximum given" in text
    )
    answer = post(client, start_date="2026-02-01", program="inpatient",
                  insurance={"type": "commercial"}).json  # fmt: skip
    assert answer["ceiling"] is True
    assert answer["range"] == {"low": 0.0, "high": 10600.0}
    assert answer["assumptions"][0].startswith("You gave no plan terms")
    with_terms = post(client, start_date="2026-02-01", phases=[RESIDENTIAL], insurance=PLAN).json
    assert with_terms["ceiling"] is False


def test_money_fields_open_the_decimal_keyboard(client):
    form = client.get("/estimate").text
    for name in ("rate", "deductible", "deductible_met", "coinsurance", "copay", "oop_max",
                 "oop_met", "allowed_percent", "income"):  # fmt: skip
        assert re.search(rf'<input[^>]*inputmode="decimal"[^>]*name="{name}"', form), name


def test_sources_say_which_are_secondary(client):
    answer = post(client, start_date="2026-03-01", program="inpatient").json
    statuses = {s["label"]: s["status"] for s in answer["sources"]}
    assert statuses["National typical price of long-term residential care, per day"] == "SECONDARY"
    assert statuses["NIDA: how long treatment should last"] == ""


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
