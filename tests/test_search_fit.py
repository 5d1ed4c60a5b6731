"""Insurance fit on search: who takes your coverage, and what 90 days would cost you there."""

import html
import re

import pytest


def results(client, **params):
    response = client.get("/api/facilities", query_string={"near": "02139", **params})
    assert response.status_code == 200, response.json
    return {r["id"]: r for r in response.json["results"]}


@pytest.fixture
def outpatient(add_program):
    """13 weekly charges of $200 for 90 days: $2,600."""
    return add_program(
        payments=["medicaid", "private_insurance", "cash", "sliding_fee"],
        rates={"outpatient": 20000},
    )


def test_coverage_says_who_takes_it(client, outpatient, add_program):
    other = add_program(payments=["cash"])
    found = results(client, coverage="medicaid")
    assert found[outpatient]["accepts_coverage"] is True
    assert found[other]["accepts_coverage"] is False
    assert found[outpatient]["estimate"] == {
        "you_pay": 0.0,
        "level": "outpatient",
        "self_pay": False,
    }
    assert found[other]["estimate"] is None  # no published price


def test_private_insurance_without_terms_is_a_range_up_to_a_ceiling(client, outpatient):
    estimate = results(client, coverage="private_insurance")[outpatient]["estimate"]
    # The legal maximum is far above $2,600, so the ceiling is the charges themselves.
    assert estimate == {
        "low": 0.0, "high": 2600.0, "ceiling": True, "level": "outpatient", "self_pay": False,
    }  # fmt: skip


def test_private_insurance_with_terms_is_one_figure(client, outpatient):
    found = results(client, coverage="tricare", deductible="0", coinsurance="0.2", oop_max="5000")
    assert found[outpatient]["accepts_coverage"] is False  # takes private insurance, not TRICARE
    assert found[outpatient]["estimate"]["you_pay"] == 2600.0  # so: self-pay, full price
    assert found[outpatient]["estimate"]["self_pay"] is True
    found = results(
        client, coverage="private_insurance", deductible="0", coinsurance="0.2", oop_max="5000"
    )
    assert found[outpatient]["estimate"]["you_pay"] == 520.0


@pytest.mark.parametrize(
    "fpg, you_pay", [("0-100", 0.0), ("101-125", 650.0), ("126-150", 650.0), ("176-200", 1950.0), ("201+", 2600.0)]
)  # fmt: skip
def test_the_poverty_class_sets_the_sliding_fee(client, add_program, fpg, you_pay):
    program = add_program(
        payments=["sliding_fee"],
        sliding_fee_schedule="100:0;150:25;200:75",
        rates={"outpatient": 20000},
    )
    assert results(client, fpg=fpg)[program]["estimate"]["you_pay"] == you_pay


def test_a_schedule_that_splits_the_class_gives_a_range(client, add_program):
    program = add_program(
        payments=["sliding_fee"],
        sliding_fee_schedule="100:0;140:30;200:60",
        rates={"outpatient": 20000},
    )
    estimate = results(client, fpg="126-150")[program]["estimate"]
    assert (estimate["low"], estimate["high"]) == (780.0, 1560.0)


def test_other_payment_kinds_only_say_whether_they_are_taken(client, outpatient):
    found = results(client, coverage="sliding_fee", fpg="0-100")[outpatient]
    assert found["accepts_coverage"] is True and found["estimate"] is None


def test_sort_by_cost_puts_the_cheapest_first_and_unpriced_last(client, add_program):
    from geopy.distance import great_circle

    far = great_circle(miles=8).destination((42.3647, -71.1042), 90)
    cheap_far = add_program(
        payments=["cash"],
        rates={"outpatient": 10000},
        latitude=far.latitude,
        longitude=far.longitude,
    )
    dear_near = add_program(payments=["cash"], rates={"outpatient": 30000})
    unpriced = add_program(payments=["cash"])
    ids = list(results(client, coverage="cash", sort="cost"))
    assert ids == [cheap_far, dear_near, unpriced]
    assert list(results(client, coverage="cash")) == [dear_near, unpriced, cheap_far]
    bad = client.get("/api/facilities?near=02139&sort=price")
    assert bad.status_code == 400 and bad.json["field"] == "sort"


@pytest.mark.parametrize(
    "params, field",
    [
        ({"coverage": "gold"}, "coverage"),
        ({"fpg": "50-60"}, "fpg"),
        ({"coverage": "private_insurance", "deductible": "100"}, "coinsurance"),
        ({"coverage": "private_insurance", "deductible": "1", "coinsurance": "150", "oop_max": "3"}, "coinsurance"),
        ({"coverage": "private_insurance", "deductible": "-1", "coinsurance": "0.2", "oop_max": "3"}, "deductible"),
    ],
)  # fmt: skip
def test_bad_coverage_parameters_are_400s(client, params, field):
    response = client.get("/api/facilities", query_string={"near": "02139", **params})
    assert response.status_code == 400 and response.json["field"] == field


def test_income_is_posted_once_and_only_its_class_reaches_the_url(client, outpatient):
    response = client.post(
        "/search",
        data={"near": "02139", "radius": "10", "household_size": "1", "income": "20000", "coverage": "cash"},
    )  # fmt: skip
    assert response.status_code == 303 and "Set-Cookie" not in response.headers
    location = response.headers["Location"]
    assert "fpg=126-150" in location and "20000" not in location and "income" not in location
    assert "household" not in location
    page = html.unescape(client.get(location).text)
    assert "126 to 150% of the federal poverty guideline" in page
    api = results(client, coverage="cash", fpg="126-150")[outpatient]["estimate"]
    assert f"about ${api['you_pay']:,.2f}" in page  # the default schedule: pay 40%
    assert api["you_pay"] == 1040.0


def test_a_household_needs_a_state_when_the_place_has_none(client):
    response = client.post(
        "/search", data={"near": "42.36,-71.10", "household_size": "2", "income": "30000"}
    )
    assert response.status_code == 400 and "Choose your state" in response.text


def test_a_plan_the_program_does_not_list_is_priced_as_self_pay_with_its_sliding_fee(
    client, add_program
):
    # $200 a week for 13 weeks = $2,600. The program takes cash and a sliding fee, not private
    # insurance: with the plan's terms the estimate is still the self-pay price, not the plan's
    # $520; with the class above 125% and up to 150% (default schedule: pay 40%), $1,040.
    program = add_program(payments=["cash", "sliding_fee"], rates={"outpatient": 20000})
    terms = {"deductible": "0", "coinsurance": "0.2", "oop_max": "5000"}
    found = results(client, coverage="private_insurance", **terms)[program]
    assert found["accepts_coverage"] is False
    assert found["estimate"] == {"you_pay": 2600.0, "level": "outpatient", "self_pay": True}
    found = results(client, coverage="medicaid", fpg="126-150")[program]
    assert found["estimate"] == {"you_pay": 1040.0, "level": "outpatient", "self_pay": True}
    # Without terms there is no ceiling to show: the self-pay price is the answer.
    found = results(client, coverage="private_insurance")[program]
    assert found["estimate"] == {"you_pay": 2600.0, "level": "outpatient", "self_pay": True}


def test_html_shows_the_same_fit_as_the_api(client, outpatient, add_program):
    add_program(payments=["cash"], rates={"outpatient": 15000})
    page = html.unescape(client.get("/search?near=02139&coverage=medicaid").text)
    assert page.count("Takes Medicaid") == 1 and page.count("Does not list Medicaid") == 1
    assert re.search(r"standard outpatient:\s+about \$0\.00", page)
    assert re.search(r"standard outpatient, paying yourself:\s+about \$1,950\.00", page)


def test_sort_by_cost_ranks_the_nearest_priced_programs_then_the_rest_by_distance(
    client, add_program, monkeypatch
):
    from geopy.distance import great_circle

    from finder import programs

    monkeypatch.setattr(programs, "COST_SORTED", 2)

    def at(miles, **fields):
        p = great_circle(miles=miles).destination((42.3647, -71.1042), 90)
        return add_program(payments=["cash"], latitude=p.latitude, longitude=p.longitude, **fields)

    near_dear = at(1, rates={"outpatient": 30000})
    unpriced = at(2)
    mid_cheap = at(3, rates={"outpatient": 20000})
    far_cheapest = at(4, rates={"outpatient": 10000})  # beyond the two nearest priced
    ids = list(results(client, coverage="cash", sort="cost"))
    assert ids == [mid_cheap, near_dear, unpriced, far_cheapest]
    second = client.get(
        "/api/facilities",
        query_string={
            "near": "02139",
            "coverage": "cash",
            "sort": "cost",
            "per_page": 3,
            "page": 2,
        },
    ).json
    assert [r["id"] for r in second["results"]] == [far_cheapest] and second["total"] == 4
    assert second["results"][0]["estimate"]["you_pay"] == 1300.0
    page = client.get("/search?near=02139&coverage=cash&sort=cost").get_data(as_text=True)
    assert "Sorted by cost among the 2 nearest programs that publish a price" in page
