"""The answer page, the search card and the comparison for issue 15's medication rules and
smaller truths: what a person reads. Figures computed by hand."""

import html
import re

FORM = {"program": "outpatient", "days": "90", "start_date": "2026-02-02", "insurance": "none"}


def article(page) -> str:
    """The answer's words, from its first sentence."""
    assert page.status_code == 200
    answer = re.search(r'<article class="estimate-result">.*</article>', page.text, re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", answer.group(0))).split())


def test_the_injection_is_four_doses_on_the_page(client):
    text = article(client.post("/estimate", data={**FORM, "medication": "naltrexone_xr"}))
    # Outpatient 13 weeks x $156.83 = $2,038.79; 4 doses x $1,176.50 = $4,706: $6,744.79.
    assert "You would pay about $6,745" in text
    assert "$1,176.50 per dose" in text
    assert "4 doses in 90 days" in text
    # The dosing's source is labelled unverified, and the footnote says what that means.
    assert re.search(r"one dose every 28 days \(label; unverified ?\)", text)
    assert '"unverified" one that was not checked against the original at all' in text


def test_a_single_figure_is_never_a_range_from_x_to_x(client):
    text = article(client.post("/estimate", data=FORM))
    # National outpatient figure, one figure: 13 weeks x $156.83 = $2,038.79.
    assert text.startswith(
        "You would pay about $2,039 A single price, not a range: each price used is one figure "
        "(its source gives no low and high end)"
    )
    assert "$2,039 to $2,039" not in text and "Likely range" not in text
    assert "$156.83 per week, a national reference figure" in text
    assert "(range $156.83 to $156.83)" not in text
    assert "one figure, $156.83 per week (its source gives no range" in text


def test_a_range_of_prices_that_costs_the_same_says_why_it_is_one_figure(client):
    data = {**FORM, "program": "inpatient", "insurance": "commercial", "in_network": "yes",
            "deductible": "1000", "coinsurance": "20", "oop_max": "2000"}  # fmt: skip
    text = article(client.post("/estimate", data=data))
    # National residential prices run $357 to $758 a day; at the low end 90 x $357 = $32,130:
    # $1,000 + 20% of $31,130 = $7,226 is above the $2,000 maximum, so both ends are $2,000.
    assert text.startswith(
        "You would pay about $2,000 A single price, not a range: the prices used have a low "
        "and a high end, but both come to the same amount for you."
    )
    assert "$2,000 to $2,000" not in text


BUPRENORPHINE_PLAN = {
    **FORM,
    "medication": "buprenorphine",
    "insurance": "commercial",
    "in_network": "yes",
    "deductible": "1000",
    "coinsurance": "20",
    "oop_max": "5000",
    "rate": "200",
}


def test_buprenorphine_under_a_plan_costs_the_pharmacy_copay_typed_per_fill(client):
    data = {**BUPRENORPHINE_PLAN, "pharmacy_copay": "15"}
    text = article(client.post("/estimate", data=data))
    # 13 weeks x $200 = $2,600: the $1,000 deductible + 20% of $1,600 = $1,320 through the
    # plan; 3 fills (days 0, 30, 60) x $15 = $45 at the pharmacy: $1,365.
    assert "You would pay about $1,365" in text
    assert "Pharmacy copay $15 a 30-day fill" in text
    assert "$15.00 per 30-day fill, your pharmacy copay" in text
    assert (
        "It is counted as 3 fills of 30 days for the whole program, at the pharmacy copay you "
        "gave, $15.00 each: $45.00, all yours."
    ) in text
    assert "what the plan pays the pharmacy is not known" in text


def test_buprenorphine_under_a_plan_without_a_pharmacy_copay_is_said_to_be_left_out(client):
    text = article(client.post("/estimate", data=BUPRENORPHINE_PLAN))
    # 13 weeks x $200 = $2,600: the $1,000 deductible + 20% of $1,600 = $1,320; no medication.
    assert "You would pay about $1,320" in text
    assert "usually billed to your plan's pharmacy benefit, not the medical deductible" in text
    assert "Its cost is not included in this estimate" in text


def test_a_puerto_rico_household_is_told_which_guideline_is_used(client):
    data = {
        **FORM,
        "rate": "100",
        "days": "7",
        "household_size": "4",
        "income": "41250",
        "state": "PR",
        "sliding_scale": "y",
    }
    text = article(client.post("/estimate", data=data))
    # $41,250 / $33,000 (2026, 48 states: $15,960 + 3 x $5,680) = 125%: 20% of $100 = $20.
    assert "You would pay about $20" in text
    assert "HHS publishes no poverty guideline for Puerto Rico" in text
    assert "the guideline for the 48 contiguous states and DC is used" in text


def test_medicare_s_twenty_percent_is_listed_as_unverified_with_its_citation(client):
    text = article(client.post("/estimate", data={**FORM, "insurance": "medicare"}))
    assert re.search(
        r"Medicare 2026: Part B coinsurance \(2026; unverified ?\): [^.]*costs\.md", text
    )


def test_a_search_card_ceiling_of_zero_is_one_figure(client, add_program):
    # A published price of $0 under a plan without terms: a ceiling from $0 to $0.
    add_program(payments=["private_insurance"], rates={"outpatient": 0})
    page = html.unescape(client.get("/search?near=02139&coverage=private_insurance").text)
    assert re.search(r"standard outpatient:\s+at most \$0\.00", page)
    assert "$0.00 to $0.00" not in page


def test_buprenorphine_with_medicaid_costs_only_the_pharmacy_copay(client):
    data = {**FORM, "medication": "buprenorphine", "insurance": "medicaid", "rate": "200"}
    text = article(client.post("/estimate", data={**data, "pharmacy_copay": "3"}))
    # Medicaid: $0 for the 13 outpatient weeks; 3 fills x $3 = $9 at the pharmacy.
    assert "You would pay about $9" in text
    assert "3 fills of 30 days for the whole program, at the pharmacy copay you gave" in text
