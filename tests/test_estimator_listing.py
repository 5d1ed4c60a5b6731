"""What a listing leaves open: residential care of unstated length, and naltrexone by its form.

The pure estimator, no fixtures.
"""

from datetime import date

import pytest

from finder.estimator import (
    CARE_LEVELS,
    INPATIENT_LEVELS,
    MEDICATIONS,
    EstimateError,
    EstimateRequest,
    Insurance,
    Phase,
    ProgramRate,
    estimate,
)

START = date(2026, 1, 5)
UNSTATED = "does not state the length of its residential care"


def residential(days=90, rate=None):
    return (Phase("residential", days, rate),)


def test_residential_of_unstated_length_is_day_priced_inpatient_care():
    assert CARE_LEVELS["residential"] == "day"
    assert "residential" in INPATIENT_LEVELS
    answer = estimate(EstimateRequest(START, residential(30, 40000)))
    assert len(answer.lines) == 30 and answer.you_pay == 30 * 40000


def test_residential_of_unstated_length_uses_the_range_spanning_short_and_long_stays():
    answer = estimate(EstimateRequest(START, residential()))
    short = estimate(EstimateRequest(START, (Phase("residential_short", 90),)))
    long = estimate(EstimateRequest(START, (Phase("residential_long", 90),)))
    assert (answer.range.low, answer.you_pay, answer.range.high) == (
        90 * 35700,
        90 * 55750,
        90 * 75800,
    )
    assert answer.range.low == min(short.range.low, long.range.low)
    assert answer.range.high == max(short.range.high, long.range.high)
    assert answer.prices[0].basis == "national"
    assert any(source.year == "2019-2020" for source in answer.sources)
    (note,) = [note for note in answer.assumptions if UNSTATED in note]
    assert "spans both" in note
    assert "90 days of residential care (length not stated)" in answer.assumptions[0]


def test_a_published_residential_rate_is_used_and_the_length_is_still_said_to_be_unstated():
    answer = estimate(
        EstimateRequest(START, residential(10), program_rates=(ProgramRate("residential", 50000),))
    )
    assert answer.you_pay == 10 * 50000 and answer.prices[0].basis == "program"
    (note,) = [note for note in answer.assumptions if UNSTATED in note]
    assert "spans both" not in note


def test_a_known_length_says_nothing_about_an_unstated_one():
    answer = estimate(EstimateRequest(START, (Phase("residential_short", 30),)))
    assert not any(UNSTATED in note for note in answer.assumptions)


def test_medicare_does_not_cover_residential_care_of_unstated_length():
    answer = estimate(
        EstimateRequest(START, residential(30, 50000), insurance=Insurance("medicare"))
    )
    assert (answer.you_pay, answer.insurance_pays) == (30 * 50000, 0)
    assert any("does not cover residential" in note for note in answer.assumptions)
    assert any("non-hospital residential" in source.label for source in answer.sources)


def test_medicaid_warns_about_large_facilities_for_residential_of_unstated_length():
    answer = estimate(
        EstimateRequest(START, residential(30, 50000), insurance=Insurance("medicaid"))
    )
    assert answer.you_pay == 0
    assert any("more than 16 beds" in note for note in answer.assumptions)
    assert any("IMD" in source.label for source in answer.sources)


def test_the_injection_is_naltrexone_xr_at_nidas_monthly_figure_per_dose():
    assert MEDICATIONS == {"methadone": "week", "buprenorphine": "week", "naltrexone_xr": "dose"}
    answer = estimate(
        EstimateRequest(START, (Phase("outpatient", 90, 0),), medication="naltrexone_xr")
    )
    assert answer.you_pay == 4 * 117650  # a dose on days 0, 28, 56 and 84
    assert any(
        "Extended-release naltrexone (injection) is one dose every 28 days" in n
        for n in answer.assumptions
    )


@pytest.mark.parametrize("medication", ["naltrexone", "naltrexone_oral"])
def test_naltrexone_of_unknown_form_or_oral_is_never_priced_as_the_injection(medication):
    with pytest.raises(EstimateError) as error:
        estimate(EstimateRequest(START, (Phase("outpatient", 90, 0),), medication=medication))
    assert error.value.field == "medication"
    assert "naltrexone_xr" in error.value.message


def test_a_stored_rate_under_the_old_name_is_not_a_rate_item():
    request = EstimateRequest(
        START, (Phase("outpatient", 90, 0),), program_rates=(ProgramRate("naltrexone", 1000),)
    )
    with pytest.raises(EstimateError) as error:
        estimate(request)
    assert error.value.field == "program_rates[0].item"


@pytest.mark.parametrize(
    ("listed", "says"),
    [
        (("naltrexone",), "uses naltrexone without stating the form"),
        (("buprenorphine", "naltrexone_oral"), "names oral naltrexone only"),
        (("methadone",), "does not name extended-release naltrexone"),
    ],
)
def test_the_injection_at_a_program_that_does_not_list_it_says_so(listed, says):
    answer = estimate(
        EstimateRequest(
            START,
            (Phase("outpatient", 90, 0),),
            medication="naltrexone_xr",
            listed_medications=listed,
        )
    )
    assert answer.you_pay == 4 * 117650  # 4 doses in 90 days
    assert sum(says in note for note in answer.assumptions) == 1


@pytest.mark.parametrize("listed", [None, ("naltrexone", "naltrexone_xr")])
def test_a_listed_injection_or_no_program_adds_no_listing_note(listed):
    answer = estimate(
        EstimateRequest(
            START,
            (Phase("outpatient", 90, 0),),
            medication="naltrexone_xr",
            listed_medications=listed,
        )
    )
    assert not any("listing" in note for note in answer.assumptions)


def test_listed_medications_must_be_names():
    with pytest.raises(EstimateError) as error:
        estimate(EstimateRequest(START, residential(30, 1), listed_medications=("methadone", 3)))
    assert error.value.field == "listed_medications"
