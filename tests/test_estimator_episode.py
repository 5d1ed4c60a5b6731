"""The episode and its prices: presets, charge lines, and where each price comes from."""

from datetime import date, timedelta

import pytest

from finder.estimator import (
    CARE_LEVELS,
    INPATIENT_LEVELS,
    OUTPATIENT_LEVELS,
    EstimateRequest,
    Phase,
    ProgramRate,
    estimate,
    national_prices,
    preset_phases,
)

START = date(2026, 1, 5)


def lines(phases, medication=None):
    return estimate(EstimateRequest(START, phases, medication=medication)).lines


def test_presets_default_to_ninety_days():
    assert preset_phases("inpatient") == (Phase("residential_long", 90),)
    assert preset_phases("outpatient") == (Phase("outpatient", 90),)
    assert preset_phases("iop", 30) == (Phase("intensive_outpatient", 30),)
    assert preset_phases("php", 365) == (Phase("partial_hospitalization", 365),)


def test_stepped_care_is_detox_residential_iop_then_outpatient():
    assert preset_phases("stepped") == (
        Phase("detox_inpatient", 5),
        Phase("residential_short", 25),
        Phase("intensive_outpatient", 30),
        Phase("outpatient", 30),
    )
    assert [phase.level for phase in preset_phases("stepped", 60)] == [
        "detox_inpatient",
        "residential_short",
        "intensive_outpatient",
    ]


def test_inpatient_and_outpatient_levels_cover_every_care_level():
    assert set(CARE_LEVELS) == INPATIENT_LEVELS | OUTPATIENT_LEVELS
    assert not INPATIENT_LEVELS & OUTPATIENT_LEVELS


@pytest.mark.parametrize(("days", "weeks"), [(7, 1), (8, 2), (90, 13), (91, 13), (92, 14)])
def test_weekly_care_charges_one_line_per_started_week(days, weeks):
    charged = lines((Phase("outpatient", days, 10000),))
    assert len(charged) == weeks
    assert [line.on for line in charged] == [START + timedelta(days=7 * n) for n in range(weeks)]


def test_daily_care_charges_one_line_per_day():
    assert len(lines((Phase("residential_short", 30, 10000),))) == 30


def test_stepped_lines_follow_each_other_without_a_gap():
    charged = lines(preset_phases("stepped"))
    # 5 + 25 daily lines, then 30 days of IOP (5 weeks) and 30 of outpatient (5 weeks).
    assert len(charged) == 30 + 5 + 5
    assert charged[30].on == START + timedelta(days=30)
    assert charged[35].on == START + timedelta(days=60)


@pytest.mark.parametrize(
    ("medication", "days", "count", "each"),
    [
        ("methadone", 90, 13, 12600),
        ("buprenorphine", 90, 13, 11500),
        # One dose every 28 days: days 0, 28 and 56 in 84 days; day 84 starts a fourth.
        ("naltrexone_xr", 84, 3, 117650),
        ("naltrexone_xr", 90, 4, 117650),
    ],
)
def test_medication_adds_its_own_lines_at_the_nida_figures(medication, days, count, each):
    charged = [
        line
        for line in lines((Phase("outpatient", days, 0),), medication)
        if line.item == medication
    ]
    assert len(charged) == count
    assert {line.charge for line in charged} == {each}


def test_methadone_says_twelve_months_is_the_minimum():
    answer = estimate(EstimateRequest(START, (Phase("outpatient", 90, 0),), medication="methadone"))
    assert any("12 months is considered the minimum" in note for note in answer.assumptions)


def test_national_residential_figures_give_the_low_typical_high_range():
    answer = estimate(EstimateRequest(START, preset_phases("inpatient")))
    assert (answer.range.low, answer.you_pay, answer.range.high) == (
        90 * 35700,
        90 * 55750,
        90 * 75800,
    )
    assert answer.prices[0].basis == "national"
    assert any(
        source.status == "SECONDARY" and "long-term residential care" in source.label
        for source in answer.sources
    )


def test_the_programs_published_range_is_used_before_national_figures():
    request = EstimateRequest(
        START,
        preset_phases("inpatient", 10),
        program_rates=(ProgramRate("residential_long", 40000, 60001),),
    )
    answer = estimate(request)
    assert (answer.range.low, answer.you_pay, answer.range.high) == (400000, 500010, 600010)
    assert answer.prices[0].basis == "program"
    assert not any("National" in source.label for source in answer.sources)


def test_a_rate_in_the_request_overrides_the_programs_rate():
    request = EstimateRequest(
        START,
        (Phase("residential_long", 10, 30000),),
        program_rates=(ProgramRate("residential_long", 40000, 60000),),
    )
    answer = estimate(request)
    assert answer.you_pay == answer.range.low == answer.range.high == 300000
    assert answer.prices[0].basis == "request"


def test_a_program_medication_rate_replaces_the_national_one():
    request = EstimateRequest(
        START,
        (Phase("outpatient", 14, 0),),
        medication="buprenorphine",
        program_rates=(ProgramRate("buprenorphine", 9000),),
    )
    assert estimate(request).you_pay == 2 * 9000


def test_only_sourced_national_figures_exist():
    assert set(national_prices()) == {
        "residential",
        "residential_short",
        "residential_long",
        "detox_inpatient",
        "intensive_outpatient",
        "outpatient",
        "methadone",
        "buprenorphine",
        "naltrexone_xr",
    }
