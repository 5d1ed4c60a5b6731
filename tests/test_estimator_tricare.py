"""TRICARE's own rules (issue 15, costs.md 1c and 2.5): active-duty service members pay $0; an
active-duty family member in TRICARE Select Group A pays $24.50 a day or $25 an admission for
inpatient and residential care (whichever is more), capped at $1,000 a calendar year for the
family; a non-participating provider may bill up to 15% above the allowable; other care has no
cost-share in finder's data and is not estimated."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finder.estimator import (
    CARE_LEVELS,
    INPATIENT_LEVELS,
    EstimateRequest,
    Insurance,
    NotEstimated,
    Phase,
    estimate,
    estimate_totals,
)
from finder.estimator.terms import PricedLine
from finder.estimator.tricare import tricare

START = date(2026, 3, 2)
FAMILY = Insurance("tricare", tricare_group="select_group_a_adfm")
ACTIVE = Insurance("tricare", tricare_group="active_duty")


def stay(level, days, rate=50000, insurance=FAMILY, start=START, **request):
    return estimate(
        EstimateRequest(start, (Phase(level, days, rate),), insurance=insurance, **request)
    )


def sources(answer):
    return {source.label: source for source in answer.sources}


def test_thirty_residential_days_cost_the_daily_cost_share():
    answer = stay("residential_short", 30)
    # 30 x 24.50 = 735, more than the 25 an admission.
    assert answer.you_pay == 30 * 2450 == 73500
    assert answer.insurance_pays == 30 * 50000 - 73500
    assert answer.range.low == answer.range.high == 73500
    day = sources(answer)[
        "TRICARE Select Group A, active-duty family member: inpatient mental health cost-share a day"
    ]
    assert day.status == "UNVERIFIED" and day.year == "year of the page not shown"
    assert "TRICARE: its own cost-shares and catastrophic cap" in sources(answer)
    assert any("marked unverified" in note for note in answer.assumptions)


def test_a_one_day_admission_costs_the_admission_cost_share():
    line = PricedLine(START, "detox_inpatient", 50000, 0, 0)
    assert tricare(FAMILY, [line], START).shares[0].cost_share == 2500  # 25 > 1 x 24.50


def test_a_cost_share_is_never_more_than_the_day_s_charge():
    cheap = [PricedLine(START, "residential_short", 1000, 0, 0)] * 3
    # The admission's 25 on day 1 is held to the $10 charge; day 2 brings the stay to
    # 2 x 24.50 = 49 less the 10 paid, held to 10; day 3 the same: 10 + 10 + 10.
    assert [share.cost_share for share in tricare(FAMILY, cheap, START).shares] == [1000] * 3


def test_two_admissions_each_pay_the_more_of_the_day_and_admission_cost_shares():
    # Two one-day admissions: 25 each (25 > 24.50) = 50; one admission of two days: 2 x 24.50.
    two = [PricedLine(START, "residential_short", 50000, 0, 0),
           PricedLine(date(2026, 3, 9), "residential_short", 50000, 0, 1)]  # fmt: skip
    assert sum(share.cost_share for share in tricare(FAMILY, two, START).shares) == 5000
    one = [line._replace(admission=0) for line in two]
    assert sum(share.cost_share for share in tricare(FAMILY, one, START).shares) == 4900


def test_the_catastrophic_cap_stops_the_cost_shares_of_a_long_stay():
    answer = stay("residential_long", 90)
    # 90 x 24.50 = 2,205, capped at the family's 1,000 for 2026; 1,000 / 24.50 = 40.8, so
    # the cap is reached on day 41, April 11, 2026.
    assert answer.you_pay == 100000
    assert (
        "The cap is reached on April 11, 2026: you pay no more cost-shares that calendar year."
        in (answer.assumptions)
    )
    cap = sources(answer)["TRICARE catastrophic cap, active-duty family, a calendar year"]
    assert (cap.year, cap.status) == ("2026", "")


def test_the_cap_starts_again_in_a_new_calendar_year_with_the_2026_figure_said():
    answer = stay("residential_long", 90, start=date(2026, 12, 15))
    # 2026: Dec 15-31, 17 x 24.50 = 416.50; 2027: 73 x 24.50 = 1,788.50, capped at 1,000.
    assert answer.you_pay == 17 * 2450 + 100000 == 141650
    assert [year.you_pay for year in answer.plan_years] == [41650, 100000]
    assert (
        "The 2026 cap is used for 2027 too: other years' caps are not in finder's data."
        in answer.assumptions
    )


@pytest.mark.parametrize("level", sorted(CARE_LEVELS))
def test_an_active_duty_service_member_pays_nothing_at_any_level(level):
    answer = stay(level, 90, insurance=ACTIVE)
    assert answer.you_pay == 0 and answer.range.high == 0
    assert answer.insurance_pays == answer.total_charges
    assert "TRICARE: active-duty service members' cost-share" in sources(answer)


def test_a_non_participating_provider_may_bill_fifteen_percent_more_at_the_top_of_the_range():
    insurance = Insurance("tricare", tricare_group="select_group_a_adfm", in_network=False)
    answer = stay("residential_short", 30, insurance=insurance)
    # You pay the cost-share, 30 x 24.50 = 735; the balance bill, up to 15% of the
    # allowable 30 x 500 = 15,000, is 2,250, only in the range's top: 735 + 2,250 = 2,985.
    assert answer.you_pay == 73500 and answer.balance_billed == 0
    assert (answer.range.low, answer.range.high) == (73500, 298500)
    assert any("up to $2,250.00 at these prices" in note for note in answer.assumptions)
    assert (
        "TRICARE: non-participating providers' balance bill, at most above the allowable charge"
        in (sources(answer))
    )


def test_the_balance_bill_is_not_held_to_the_cap():
    insurance = Insurance("tricare", tricare_group="select_group_a_adfm", in_network=False)
    answer = stay("residential_long", 90, insurance=insurance)
    # The cost-shares are capped at 1,000; the balance bill, 15% of 90 x 500 = 6,750, is not.
    assert (answer.you_pay, answer.range.high) == (100000, 100000 + 675000)


@pytest.mark.parametrize(
    "level, words",
    [
        ("outpatient", "outpatient care"),
        ("intensive_outpatient", "intensive outpatient care"),
        ("partial_hospitalization", "partial hospitalization"),
        ("detox_outpatient", "outpatient detox"),
        ("opioid_treatment_program", "opioid treatment program"),
    ],
)
def test_outpatient_care_for_a_family_member_is_not_estimated_and_says_why(level, words):
    with pytest.raises(NotEstimated) as raised:
        stay(level, 90)
    error = raised.value
    assert error.field == "insurance.tricare_group"
    assert f"TRICARE's cost-share for {words}" in error.message
    assert "is not in finder's data, so this is not estimated" in error.message
    labels = {source.label for source in error.sources}
    assert "TRICARE: its own cost-shares and catastrophic cap" in labels
    assert ("TRICARE: opioid treatment programs" in labels) == (level == "opioid_treatment_program")


def test_medication_for_a_family_member_is_not_estimated():
    with pytest.raises(NotEstimated) as raised:
        stay("residential_short", 30, medication="methadone")
    assert raised.value.field == "medication"
    assert "TRICARE's cost-share for methadone" in raised.value.message


def test_a_stay_that_steps_down_to_outpatient_care_is_not_estimated():
    phases = (Phase("residential_short", 30, 50000), Phase("outpatient", 60, 20000))
    with pytest.raises(NotEstimated):
        estimate(EstimateRequest(START, phases, insurance=FAMILY))


inpatient_phases = st.lists(
    st.builds(
        Phase,
        st.sampled_from(sorted(INPATIENT_LEVELS)),
        st.integers(min_value=1, max_value=120),
        st.integers(min_value=0, max_value=250_000),
    ),
    min_size=1,
    max_size=3,
).filter(lambda found: 7 <= sum(phase.days for phase in found) <= 365)


@settings(max_examples=150, deadline=None)
@given(
    inpatient_phases,
    st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)),
    st.booleans(),
    st.sampled_from(["select_group_a_adfm", "active_duty"]),
)
def test_cost_shares_never_pass_the_cap_and_the_totals_match_the_estimate(
    phases, start, in_network, group
):
    request = EstimateRequest(
        start,
        tuple(phases),
        insurance=Insurance("tricare", tricare_group=group, in_network=in_network),
    )
    answer = estimate(request)
    for year in answer.plan_years:
        assert year.you_pay <= 100000
    assert answer.you_pay <= answer.range.high
    totals = estimate_totals(request)
    assert (totals.you_pay, totals.range, totals.insurance_pays) == (
        answer.you_pay,
        answer.range,
        answer.insurance_pays,
    )
