"""Medicare's hospital days as the person has used them (issue 15): lifetime reserve days
already used, days already spent in the benefit period, and the 190-day lifetime limit in
psychiatric hospitals. 2026 figures (costs.md 1c): Part A deductible $1,736 a benefit period,
days 61-90 $434 a day, lifetime reserve days $868 a day."""

from datetime import date

import pytest

from finder.estimator import EstimateError, EstimateRequest, Insurance, Phase, estimate

DAY = 200000  # $2,000 a hospital day


def hospital(days, start=date(2026, 1, 5), **used):
    return estimate(
        EstimateRequest(
            start,
            (Phase("hospital_inpatient", days, DAY),),
            insurance=Insurance("medicare", **used),
        )
    )


def sources(answer):
    return {source.label: source for source in answer.sources}


def test_a_hundred_days_with_fifty_reserve_days_used_uses_the_ten_left():
    answer = hospital(100, reserve_days_used=50)
    # 1,736 deductible + 30 x 434 (days 61-90) + 10 x 868 (days 91-100: the 10 reserve days left)
    assert answer.you_pay == 173600 + 30 * 43400 + 10 * 86800 == 2343600
    assert (
        "You have used 50 of your 60 lifetime reserve days; this stay uses 10 of the 10 left."
        in (answer.assumptions)
    )


def test_hospital_days_after_the_reserve_days_run_out_are_yours_at_the_full_charge():
    answer = hospital(120, reserve_days_used=50)
    # 1,736 + 30 x 434 + 10 x 868 (days 91-100) + 20 x 2,000 (days 101-120, not covered)
    assert answer.you_pay == 173600 + 30 * 43400 + 10 * 86800 + 20 * DAY == 6343600
    assert (
        "20 hospital days come after the lifetime reserve days run out and are not covered: "
        "they are yours at the full charge." in answer.assumptions
    )


def test_without_reserve_days_used_the_answer_says_it_assumed_none():
    answer = hospital(100)
    assert answer.you_pay == 173600 + 30 * 43400 + 10 * 86800
    assert any(
        note.startswith("This assumes you have used none of your 60 lifetime reserve days")
        for note in answer.assumptions
    )


def test_a_psychiatric_hospital_covers_only_the_days_left_of_the_190():
    answer = hospital(90, psychiatric_hospital=True, psychiatric_days_used=150)
    # 40 days left of 190: day 1 the deductible 1,736, days 2-40 $0;
    # days 41-90 past the limit: 50 x 2,000 = 100,000, yours.
    assert answer.you_pay == 173600 + 50 * DAY == 10173600
    assert answer.insurance_pays == 90 * DAY - 10173600
    notes = answer.assumptions
    assert any("You have used 150 of them, so 40 are left." in note for note in notes)
    assert (
        "50 hospital days come after the 190-day lifetime limit in psychiatric hospitals and are "
        "not covered: they are yours at the full charge." in notes
    )
    limit = sources(answer)["Medicare: 190-day lifetime limit in psychiatric hospitals"]
    assert limit.status == "SECONDARY" and "costs.md section 1c" in limit.citation


def test_the_psychiatric_limit_counts_nothing_in_a_general_hospital():
    answer = hospital(90, psychiatric_days_used=150)
    assert answer.you_pay == 173600 + 30 * 43400  # days 61-90 at 434, no limit
    assert "Medicare: 190-day lifetime limit in psychiatric hospitals" not in sources(answer)
    assert any("taken to be a general hospital" in note for note in answer.assumptions)


def test_a_psychiatric_limit_already_reached_leaves_every_day_yours():
    answer = hospital(30, psychiatric_hospital=True, psychiatric_days_used=190)
    assert answer.you_pay == 30 * DAY and answer.insurance_pays == 0


def test_days_already_in_the_benefit_period_move_the_stay_along_and_the_deductible_is_paid():
    answer = hospital(30, benefit_period_days_used=50)
    # Days 51-60 $0, days 61-80: 20 x 434 = 8,680; no deductible (paid in this benefit period).
    assert answer.you_pay == 20 * 43400 == 868000
    assert (
        "You have already spent 50 days in this benefit period: the stay's hospital days are "
        "counted from day 51, and the Part A deductible is taken as already paid in this "
        "benefit period." in answer.assumptions
    )


def test_benefit_period_days_and_reserve_days_used_together():
    answer = hospital(60, benefit_period_days_used=80, reserve_days_used=55)
    # Days 81-90: 10 x 434; days 91-95: the 5 reserve days left at 868; days 96-140: 45 x 2,000.
    assert answer.you_pay == 10 * 43400 + 5 * 86800 + 45 * DAY == 9868000


def test_a_benefit_period_ended_by_sixty_days_out_of_hospital_starts_again():
    phases = (Phase("outpatient", 63, 10000), Phase("hospital_inpatient", 10, DAY))
    answer = estimate(
        EstimateRequest(
            date(2026, 1, 5), phases, insurance=Insurance("medicare", benefit_period_days_used=80)
        )
    )
    # Outpatient: 9 weeks of $100, the Part B deductible 283 then 20% of the rest:
    # 283 + 0.2 x (900 - 283) = 406.40. The hospital stay starts 63 days after the care
    # begins, a new benefit period: the Part A deductible 1,736, days 1-10 $0.
    assert answer.you_pay == 40640 + 173600
    assert any("starts a new benefit period" in note for note in answer.assumptions)


@pytest.mark.parametrize(
    "used, field",
    [
        ({"reserve_days_used": 61}, "insurance.reserve_days_used"),
        ({"psychiatric_days_used": 191}, "insurance.psychiatric_days_used"),
        ({"benefit_period_days_used": -1}, "insurance.benefit_period_days_used"),
    ],
)
def test_days_used_out_of_bounds_name_their_field(used, field):
    with pytest.raises(EstimateError) as raised:
        hospital(10, **used)
    assert raised.value.field == field
