"""The estimate page with Medicaid as it works (issue 15): the top of the answer says the most
Medicaid may charge at the household's income, and the assumptions and sources say why (age,
the state's expansion decision, the program's beds, room and board). Worked examples computed
by hand; 2026 HHS poverty guideline (48 states): $15,960 for one person, $33,000 for four."""

from test_estimate_page_plans import article

MEDICAID = {"start_date": "2026-03-02", "insurance": "medicaid"}


def post(client, **data):
    page = client.post("/estimate", data={**MEDICAID, **data})
    assert page.status_code == 200
    return article(page)


def stay(program, **data):
    return {"facility": program, "program": "level:residential_short", "days": "30", **data}


def test_the_top_says_the_most_medicaid_may_charge_and_why(client, residential):
    # Household of 4 in Texas, $40,000 / $33,000 = 121.2%: 10% of 30 x $500 = $1,500, capped at
    # $40,000 x 5% / 12 = $166.66 for March: "up to at most $167".
    text = post(
        client,
        **stay(residential(beds=40), household_size="4", income="40000", state="TX"),
    )
    assert "You would pay about $0 From $0 up to at most $167: the most federal rules let Medicaid charge" in text  # fmt: skip
    for words in (
        "(above 100% and up to 150% of the poverty guideline) to 10% of the whole cost of each "
        "inpatient or residential stay. This takes the program's charge as what Medicaid pays",
        "capped at 5% of your family's income: $166.66 a month on $40,000.00 a year",
        "Texas has not adopted the Medicaid expansion",
        "The program has 40 beds, more than 16: Medicaid may not pay",
        "Medicaid typically does not pay for room and board",
        "This assumes the patient is an adult aged 21 to 64",
    ):
        assert words in text, words
    sources = text[text.index("Sources") :]
    assert (
        "Medicaid: cap on a family's cost sharing (current; unverified ): 42 CFR 447.56(f)"
        in sources
    )
    assert (
        "Room and board in non-hospital residential care (current; unverified ): Knowledge, not checked"
        in sources
    )
    assert "Medicaid expansion in Texas: not adopted (Dec 2025; secondary source ): KFF" in (
        sources
    )


def test_at_or_below_100_percent_the_stay_s_75_dollars_and_its_unverified_base(client, residential):
    # Household of 4, $30,000 / $33,000 = 90.9%: $75 for the stay (cap $125 a month).
    text = post(
        client, **stay(residential(beds=14), household_size="4", income="30000", state="CA")
    )
    assert "From $0 up to at most $75:" in text
    assert "they rise each October" in text
    assert "IMD" not in text  # 14 beds
    assert "expansion" not in text  # California adopted it
    assert (
        "Medicaid: the most per inpatient stay, family income at or below 100% of the guideline "
        "(current; unverified ): 42 CFR 447.52(b)"
    ) in text


def test_without_income_there_is_no_range_and_the_page_says_what_would_show_it(client, residential):
    text = post(client, **stay(residential(state="TX")))
    assert "No range to show: what Medicaid charges you does not depend on the program's price" in text  # fmt: skip
    assert "give your household size and income to see it" in text
    # Beds unknown: the IMD caveat stays.
    assert "facility with more than 16 beds (the IMD exclusion)" in text


def test_a_child_under_18_pays_nothing_on_the_page(client, residential):
    text = post(
        client,
        **stay(residential(beds=40), household_size="4", income="40000", state="TX"),
        patient_age="16",
        admission_copay="50",
    )
    assert "You would pay about $0 No range to show" in text
    assert "Medicaid charges no cost sharing for children under 18: you pay nothing" in text
    assert "IMD" not in text


def test_an_uninsured_adult_at_130_percent_in_california_is_told_how_to_apply(client):
    # $20,748 / $15,960 = 130%: within the expansion's 138% in California.
    page = client.post(
        "/estimate",
        data={
            "start_date": "2026-03-02",
            "program": "outpatient",
            "days": "90",
            "insurance": "none",
            "household_size": "1",
            "income": "20748",
            "state": "CA",
        },
    )
    text = article(page)
    assert "is likely eligible for Medicaid" in text
    assert "contact California's Medicaid agency or apply at HealthCare.gov" in text
    assert "Medicaid expansion in California: adopted (Dec 2025; secondary source ): KFF" in (text)
