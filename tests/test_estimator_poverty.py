"""Poverty guidelines by year and region, and sliding-fee classes at their boundaries."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from finder.estimator import (
    DEFAULT_SCHEDULE,
    EstimateError,
    EstimateRequest,
    Household,
    Phase,
    estimate,
    format_sliding_schedule,
    fpg_class,
    parse_sliding_schedule,
    pay_percent,
    pay_percent_range,
    poverty_percent,
)

MID_2025, MID_2026 = date(2025, 6, 1), date(2026, 6, 1)


@pytest.mark.parametrize(
    ("on", "state", "size", "guideline_dollars"),
    [
        (MID_2025, "TX", 1, 15650),
        (MID_2025, "DC", 4, 32150),
        (MID_2025, "AK", 1, 19550),
        (MID_2025, "AK", 4, 40190),
        (MID_2025, "HI", 1, 17990),
        (MID_2025, "HI", 4, 36980),
        (MID_2026, "TX", 1, 15960),
        (MID_2026, "ma", 4, 33000),
        (MID_2026, "PR", 4, 33000),
        (MID_2026, "AK", 1, 19950),
        (MID_2026, "AK", 4, 41250),
        (MID_2026, "HI", 1, 18360),
        (MID_2026, "HI", 4, 37950),
        (MID_2026, "TX", 9, 15960 + 8 * 5680),
    ],
)
def test_each_year_and_region_has_its_own_guideline(on, state, size, guideline_dollars):
    assert poverty_percent(size, 0, state, on).guideline_cents == guideline_dollars * 100


@pytest.mark.parametrize(
    ("on", "year", "caveat"),
    [
        (date(2024, 12, 1), 2025, True),
        (date(2025, 1, 14), 2025, True),
        (date(2025, 1, 15), 2025, False),
        (date(2026, 1, 12), 2025, False),
        (date(2026, 1, 13), 2026, False),
        (date(2027, 3, 1), 2026, True),
    ],
)
def test_the_guideline_in_force_on_the_start_date_is_used(on, year, caveat):
    result = poverty_percent(2, 3000000, "OH", on)
    assert result.table.year == year
    assert bool(result.notes) is caveat


def test_dates_before_the_2025_table_say_they_use_it():
    (note,) = poverty_percent(1, 0, "OH", date(2025, 1, 14)).notes
    assert "2025-01-15" in note


def test_reported_percent_rounds_up_to_two_places():
    # 1,597,995 cents / 15,960 = 100.125 exactly; 2,000,000 / 15,960 = 125.3132...
    assert poverty_percent(1, 1597995, "TX", MID_2026).percent == Decimal("100.13")
    assert poverty_percent(1, 2000000, "TX", MID_2026).percent == Decimal("125.32")
    # 1,995,064 / 15,960 = 125.004...%: shown as 125.01%, never as 125.00% (a lower class).
    assert poverty_percent(1, 1995064, "TX", MID_2026).percent == Decimal("125.01")
    # Exactly 125% stays 125.00%: the class "up to and including 125%".
    assert poverty_percent(1, 1995000, "TX", MID_2026).percent == Decimal("125.00")


def test_the_percent_shown_never_contradicts_its_class():
    # 1,596,001 / 15,960 = 100.00006...%: above the guideline, so the class above 100%, and
    # the figure shown says so (100.01%, not 100.00%).
    just_above = poverty_percent(1, 1596001, "TX", MID_2026)
    assert just_above.percent == Decimal("100.01")
    assert fpg_class(just_above.exact) == "101-125"
    assert pay_percent(just_above.exact, DEFAULT_SCHEDULE) == 20


@pytest.mark.parametrize(
    ("percent", "token", "pays"),
    [
        (0, "0-100", 0),
        (100, "0-100", 0),
        (Fraction(10001, 100), "101-125", 20),
        (125, "101-125", 20),
        (Fraction(12501, 100), "126-150", 40),
        (150, "126-150", 40),
        (Fraction(15001, 100), "151-175", 60),
        (175, "151-175", 60),
        (Fraction(17501, 100), "176-200", 80),
        (200, "176-200", 80),
        (Fraction(20001, 100), "201+", 100),
        (900, "201+", 100),
    ],
)
def test_default_sliding_classes_include_their_upper_bound(percent, token, pays):
    assert fpg_class(percent) == token
    assert pay_percent(percent, DEFAULT_SCHEDULE) == pays


def one_week_at_100_dollars(income_cents):
    request = EstimateRequest(
        date(2026, 2, 1),
        (Phase("outpatient", 7, 10000),),
        household=Household(1, income_cents, "TX"),
        sliding_scale=True,
    )
    return estimate(request).you_pay


@pytest.mark.parametrize(
    ("income_cents", "you_pay"),
    [
        (1596000, 0),  # exactly 100% of $15,960
        (1596001, 2000),
        (1995000, 2000),  # 125%
        (1995001, 4000),
        (2394000, 4000),  # 150%
        (2394001, 6000),
        (2793000, 6000),  # 175%
        (2793001, 8000),
        (3192000, 8000),  # 200%
        (3192001, 10000),
    ],
)
def test_a_household_pays_its_sliding_class_share_of_each_charge(income_cents, you_pay):
    assert one_week_at_100_dollars(income_cents) == you_pay


def test_alaska_household_is_measured_against_the_alaska_guideline():
    # $19,950 is 100% of the 2026 Alaska guideline but 125% of the 48-state one.
    request = EstimateRequest(
        date(2026, 2, 1),
        (Phase("outpatient", 7, 10000),),
        household=Household(1, 1995000, "AK"),
        sliding_scale=True,
    )
    answer = estimate(request)
    assert (answer.fpg_percent, answer.you_pay) == (Decimal("100.00"), 0)


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("PR", "Puerto Rico"),
        ("GU", "Guam"),
        ("VI", "U.S. Virgin Islands"),
        ("AS", "American Samoa"),
        ("MP", "Northern Mariana Islands"),
    ],
)
def test_a_territory_uses_the_48_state_guideline_and_says_so(code, name):
    # A household of 4 in 2026: $15,960 + 3 x $5,680 = $33,000 (the 48-state table); an
    # income of $41,250 is 125% of it, the class above 100% and up to 125%: pay 20%.
    request = EstimateRequest(
        date(2026, 2, 2),
        (Phase("outpatient", 7, 10000),),
        household=Household(4, 4_125_000, code),
        sliding_scale=True,
    )
    answer = estimate(request)
    # One week at $100, 20% of it: $20.
    assert (answer.fpg_percent, answer.you_pay) == (Decimal("125.00"), 2000)
    said = (
        f"HHS publishes no poverty guideline for {name} (only for the 48 contiguous states and "
        "DC, Alaska and Hawaii): the guideline for the 48 contiguous states and DC is used."
    )
    assert said in answer.assumptions
    assert any("48 contiguous states and DC ($33,000.00 for a household of 4)" in note
               for note in answer.assumptions)  # fmt: skip
    assert any(source.label == "HHS poverty guideline 2026 (48 contiguous states and DC)"
               for source in answer.sources)  # fmt: skip


def test_a_territory_household_without_a_sliding_fee_is_still_told_which_guideline():
    request = EstimateRequest(
        date(2026, 2, 2), (Phase("outpatient", 7, 10000),), household=Household(4, 4_125_000, "PR")
    )
    answer = estimate(request)
    assert answer.fpg_percent == Decimal("125.00")  # $41,250 / $33,000
    assert any("HHS publishes no poverty guideline for Puerto Rico" in note
               for note in answer.assumptions)  # fmt: skip


def test_a_state_says_nothing_of_territories():
    request = EstimateRequest(
        date(2026, 2, 2),
        (Phase("outpatient", 7, 10000),),
        household=Household(4, 4_125_000, "TX"),
        sliding_scale=True,
    )
    assert not any("HHS publishes no" in note for note in estimate(request).assumptions)


@pytest.mark.parametrize(
    ("token", "low", "high"),
    [
        ("0-100", 0, 0),
        ("101-125", 25, 25),
        ("126-150", 25, 25),
        ("176-200", 75, 75),
        ("201+", 100, 100),
    ],
)
def test_an_aligned_program_schedule_gives_one_pay_percent_per_class(token, low, high):
    cowley = parse_sliding_schedule("100:0;150:25;175:50;200:75")
    assert pay_percent_range(token, cowley) == (low, high)


def test_a_misaligned_program_schedule_gives_a_range_within_a_class():
    florida = parse_sliding_schedule("100:0;119:17;139:33;159:50;179:67;199:83")
    assert pay_percent_range("101-125", florida) == (17, 33)
    assert pay_percent_range("176-200", florida) == (67, 100)


def test_sliding_schedule_text_round_trips():
    text = "100:0;125:20;150:40;175:60;200:80"
    assert parse_sliding_schedule(text) == DEFAULT_SCHEDULE
    assert format_sliding_schedule(parse_sliding_schedule(text)) == text
    assert (
        format_sliding_schedule(parse_sliding_schedule(" 119.5 : 17 ; 200:50.0; "))
        == "119.5:17;200:50"
    )


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "100",
        "100:",
        ":20",
        "abc:10",
        "100:0;90:10",
        "100:120",
        "100:50;125:20",
        "100:-1",
        "-5:0",
    ],
)
def test_malformed_sliding_schedules_are_rejected(text):
    with pytest.raises(EstimateError) as error:
        parse_sliding_schedule(text)
    assert error.value.field == "sliding_fee_schedule"


def test_above_the_last_class_the_full_charge_is_paid():
    assert pay_percent(151, parse_sliding_schedule("150:10")) == 100
