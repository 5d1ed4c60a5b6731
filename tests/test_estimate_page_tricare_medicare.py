"""The estimate page with TRICARE's own rules and Medicare's days already used (issue 15):
what a person reads on the answer, computed by hand, with its sources."""

from test_estimate_web import page_text

START = {"days": "30", "start_date": "2026-03-02"}
FAMILY = {"insurance": "tricare", "tricare_group": "select_group_a_adfm", "in_network": "yes"}
UNVERIFIED_DAY = (
    "TRICARE Select Group A, active-duty family member: inpatient mental health cost-share a day "
    "(year of the page not shown; unverified )"
)


def answer(client, **data):
    page = client.post("/estimate", data={**START, **data})
    assert page.status_code == 200, page.text[:500]
    return page_text(page)


def test_a_family_member_pays_the_daily_cost_share_whatever_the_price(client):
    # 30 days of long-term residential care at the national figures ($357 to $758 a day):
    # 30 x $24.50 = $735 at every price, more than $25 an admission.
    text = answer(client, program="inpatient", **FAMILY)
    assert "You would pay about $735 A single price, not a range" in text
    assert "Inpatient and residential care costs $24.50 a day or $25.00 an admission" in text
    assert UNVERIFIED_DAY in text
    assert "TRICARE catastrophic cap, active-duty family, a calendar year (2026)" in text


def test_the_cap_holds_a_long_stay_to_1000_on_the_page(client):
    text = answer(client, program="inpatient", **{**FAMILY, "days": "90"})
    # 90 x 24.50 = 2,205, capped at $1,000; 1,000 / 24.50 = 40.8: day 41 is April 11.
    assert "You would pay about $1,000" in text
    assert "The cap is reached on April 11, 2026: you pay no more cost-shares" in text


def test_an_active_duty_service_member_pays_nothing_on_the_page(client):
    text = answer(client, program="inpatient", **{**FAMILY, "tricare_group": "active_duty"})
    assert "You would pay about $0" in text
    assert "as an active-duty service member you pay no cost-shares" in text


def test_a_non_participating_provider_s_15_percent_is_the_top_of_the_range(client):
    text = answer(client, program="inpatient", **{**FAMILY, "in_network": "no"})
    # $735 in cost-shares; at the high national price, 15% of 30 x $758 = $3,411 more:
    # $735 + $3,411 = $4,146.
    assert "You would pay about $735 Likely range: $735 to $4,146." in text
    assert "it may bill you up to 15% above the TRICARE-allowable charge" in text
    # At the typical price: 15% of $557.50 is $83.63 (rounded), x 30 = $2,508.90.
    assert "up to $2,508.90 at these prices" in text


def test_outpatient_care_for_a_family_member_is_a_reason_not_a_figure(client):
    text = answer(client, program="outpatient", **{**FAMILY, "days": "90"})
    assert "We cannot estimate this cost" in text and "You would pay" not in text
    assert (
        "TRICARE's cost-share for outpatient care for an active-duty family member in TRICARE "
        "Select, Group A is not in finder's data, so this is not estimated" in text
    )
    assert "TRICARE: its own cost-shares and catastrophic cap (2016)" in text


def test_a_psychiatric_hospital_listing_applies_medicare_s_190_days(client, add_program):
    program = add_program(
        care_levels=["hospital_inpatient"],
        payments=["medicare"],
        facility_types=["psychiatric_hospital"],
        rates={"hospital_inpatient": 200_000},
    )
    text = answer(
        client,
        facility=program,
        program="level:hospital_inpatient",
        insurance="medicare",
        psychiatric_days_used="150",
        days="90",
    )
    # 40 days left: the Part A deductible $1,736, then days 41-90 yours: 50 x $2,000.
    assert "You would pay about $101,736" in text
    assert "You have used 150 of them, so 40 are left." in text
    assert (
        "50 hospital days come after the 190-day lifetime limit in psychiatric hospitals and are "
        "not covered: they are yours at the full charge." in text
    )
    assert (
        "Medicare: 190-day lifetime limit in psychiatric hospitals (current; secondary source )"
        in text
    )


def test_reserve_and_benefit_period_days_used_on_the_page(client, add_program):
    program = add_program(
        care_levels=["hospital_inpatient"],
        payments=["medicare"],
        rates={"hospital_inpatient": 200_000},
    )
    text = answer(
        client,
        facility=program,
        program="level:hospital_inpatient",
        insurance="medicare",
        benefit_period_days_used="50",
        reserve_days_used="55",
        days="60",
    )
    # Days 51-60 $0; days 61-90: 30 x $434 = $13,020; days 91-95: the 5 reserve days left,
    # 5 x $868 = $4,340; days 96-110: 15 x $2,000 = $30,000; no deductible: $47,360.
    assert "You would pay about $47,360" in text
    assert "You have used 55 of your 60 lifetime reserve days; this stay uses 5 of the 5 left." in (
        text
    )
    assert "the Part A deductible is taken as already paid in this benefit period" in text
    assert "15 hospital days come after the lifetime reserve days run out" in text
