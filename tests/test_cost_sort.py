"""Cost sort compares like with like: one care level for every estimate on a results page,
only programs that take your coverage ranked by cost, and coinsurance read as people write it."""

import datetime as dt
import html
from decimal import Decimal

import pytest
from geopy.distance import great_circle
from werkzeug.datastructures import MultiDict

from finder import fit as fit_module
from finder import programs
from finder.db import db
from finder.models import Program
from finder.search import SearchError, read_plan_terms, read_query

CAMBRIDGE = (42.3647, -71.1042)


def search(client, **params) -> dict:
    response = client.get("/api/facilities", query_string={"near": "02139", **params})
    assert response.status_code == 200, response.json
    return response.json


def ids(answer: dict) -> list[str]:
    return [r["id"] for r in answer["results"]]


@pytest.fixture(params=["few prices", "many prices"])
def prices_held(request, monkeypatch):
    """Both ways of finding a page's candidates: among every priced program at once (few
    publish a price), or by a box widened until it holds enough of them (many do)."""
    if request.param == "many prices":
        monkeypatch.setattr(programs, "FEW_PRICED", 0)
    return request.param


@pytest.fixture
def at(add_program):
    """A program `miles` east of the search's origin (cash only and outpatient by default)."""

    def add(miles: float, **fields) -> str:
        point = great_circle(miles=miles).destination(CAMBRIDGE, 90)
        return add_program(latitude=point.latitude, longitude=point.longitude, **fields)

    return add


def test_a_medicaid_searcher_never_sees_programs_without_medicaid_ranked_first(
    client, at, prices_held
):
    # A program that does not take Medicaid, nearer and free to a self-payer, used to tie
    # with the programs that do ($0 under Medicaid) and, nearer, come first.
    free_no_medicaid = at(0.5, payments=["cash"], rates={"outpatient": 0})
    cheap_no_medicaid = at(1, payments=["cash"], rates={"outpatient": 5000})
    unpriced_medicaid = at(0.2, payments=["medicaid"])
    medicaid_near = at(2, payments=["medicaid", "cash"], rates={"outpatient": 30000})
    medicaid_far = at(3, payments=["medicaid"], rates={"outpatient": 20000})
    answer = search(client, coverage="medicaid", sort="cost")
    assert ids(answer) == [
        medicaid_near,
        medicaid_far,
        unpriced_medicaid,
        free_no_medicaid,
        cheap_no_medicaid,
    ]
    assert [r["cost_ranked"] for r in answer["results"]] == [True, True, False, False, False]
    assert [r["accepts_coverage"] for r in answer["results"]] == [True, True, True, False, False]
    assert answer["total"] == 5 and answer["estimate_level"] == "outpatient"
    # The ones that follow still show what they would cost you (self-pay), at the same level.
    free = answer["results"][3]["estimate"]
    assert free == {"you_pay": 0.0, "level": "outpatient", "self_pay": True}


def test_a_cheaper_program_that_does_not_take_your_plan_follows_the_ones_that_do(client, at):
    takes_it = at(3, payments=["private_insurance"], rates={"outpatient": 30000})
    cheaper_elsewhere = at(1, payments=["cash"], rates={"outpatient": 5000})
    plan = {"deductible": "0", "coinsurance": "20", "oop_max": "5000"}
    answer = search(client, coverage="private_insurance", sort="cost", **plan)
    assert ids(answer) == [takes_it, cheaper_elsewhere]
    you_pay = [r["estimate"]["you_pay"] for r in answer["results"]]
    assert you_pay == [780.0, 650.0]  # 20% of $3,900; the full $650 as self-pay
    assert [r["cost_ranked"] for r in answer["results"]] == [True, False]


def test_without_a_chosen_level_every_estimate_is_for_the_least_intensive_priced_one(
    app, client, at
):
    # The residential program prices only residential care: another one prices intensive
    # outpatient, the least intensive level any of them prices, so that is the page's level.
    residential = at(
        1,
        care_levels=["outpatient", "residential_long"],
        rates={"residential_long": 50000},
    )
    iop_dear = at(2, care_levels=["intensive_outpatient"], rates={"intensive_outpatient": 90000})
    iop_cheap = at(3, care_levels=["intensive_outpatient"], rates={"intensive_outpatient": 40000})
    answer = search(client, coverage="cash", sort="cost")
    assert answer["estimate_level"] == "intensive_outpatient"
    found = {r["id"]: r for r in answer["results"]}
    assert found[residential]["estimate"] is None  # before: its own residential price
    assert found[iop_cheap]["estimate"] == {
        "you_pay": 5200.0,
        "level": "intensive_outpatient",
        "self_pay": True,  # paying cash
    }
    assert ids(answer) == [iop_cheap, iop_dear, residential]
    with app.test_request_context():
        query = read_query(MultiDict({"near": "02139", "coverage": "cash"}))
        page = programs.programs_near(query, fit_module.fitter(query, dt.date.today()))
    assert page.level == "intensive_outpatient"
    card = next(h.fit for h in page.hits if h.program.id == residential)
    # What the card says: the level named, and that this program publishes no price for it.
    assert (card.level, card.has_estimate) == ("intensive_outpatient", False)


@pytest.mark.parametrize(
    "chosen, level",
    [
        ({"care": "residential_long"}, "residential_long"),
        ({"care": "residential_long,intensive_outpatient"}, "intensive_outpatient"),
        ({"setting": "inpatient"}, "residential_long"),
        ({"care": "residential"}, "residential_long"),
        ({"care": "detox_inpatient"}, None),  # chosen, but nobody prices it
    ],
)
def test_a_chosen_level_is_the_one_every_estimate_is_for(client, at, prices_held, chosen, level):
    at(1, care_levels=["outpatient", "residential_long"], rates={"outpatient": 10000, "residential_long": 50000})  # fmt: skip
    at(2, care_levels=["intensive_outpatient"], rates={"intensive_outpatient": 40000})
    at(3, care_levels=["detox_inpatient", "residential_short"], rates={"residential_short": 60000})
    answer = search(client, coverage="cash", sort="cost", per_page=100, **chosen)
    assert answer["estimate_level"] == level
    for result in answer["results"]:
        assert result["estimate"] is None or result["estimate"]["level"] == level


def test_the_page_level_comes_from_the_priced_candidates_only(client, at, prices_held, monkeypatch):
    monkeypatch.setattr(programs, "COST_SORTED", 1)
    near = at(1, care_levels=["residential_long"], rates={"residential_long": 50000})
    far = at(5, care_levels=["outpatient"], rates={"outpatient": 10000})
    answer = search(client, coverage="cash")
    # The one nearest priced program prices residential care only: the page is about that.
    assert answer["estimate_level"] == "residential_long"
    found = {r["id"]: r["estimate"] for r in answer["results"]}
    assert found[near]["level"] == "residential_long" and found[far] is None


def test_a_card_shows_the_same_estimate_whatever_the_sort(client, at):
    at(1, care_levels=["outpatient", "residential_long"], rates={"outpatient": 10000, "residential_long": 50000})  # fmt: skip
    at(2, care_levels=["residential_long"], rates={"residential_long": 40000})
    at(3, care_levels=["outpatient"], rates={"outpatient": 30000}, payments=["medicaid"])
    at(4, care_levels=["outpatient"])
    at(5, care_levels=["outpatient"], rates={"outpatient": 20000})
    for params in ({"coverage": "cash"}, {"fpg": "126-150"}, {"coverage": "medicaid"}):
        by_distance = search(client, **params, per_page=100)
        by_cost = search(client, **params, sort="cost", per_page=100)
        assert by_distance["estimate_level"] == by_cost["estimate_level"] == "outpatient"
        estimates = {r["id"]: r["estimate"] for r in by_distance["results"]}
        assert estimates == {r["id"]: r["estimate"] for r in by_cost["results"]}
        assert sorted(ids(by_distance)) == sorted(ids(by_cost))
        assert "cost_ranked" not in by_distance["results"][0]


def test_cost_pages_continue_one_another_without_gaps_or_repeats(
    client, at, prices_held, monkeypatch
):
    monkeypatch.setattr(programs, "COST_SORTED", 4)
    prices = [30000, None, 10000, 20000, 10000, None, 5000, 15000, 25000]
    for n, cents in enumerate(prices):
        rates = {} if cents is None else {"outpatient": cents}
        payments = ["medicaid"] if n % 4 == 3 else ["cash"]
        at(1 + n, rates=rates, payments=payments)
    whole = search(client, coverage="cash", sort="cost", per_page=100)
    assert whole["total"] == len(prices) == len(set(ids(whole)))
    flags = [r["cost_ranked"] for r in whole["results"]]
    ranked = flags.count(True)
    # Of the 4 nearest priced (30000, 10000, a non-taker at 20000, 10000) 3 take cash.
    assert flags == [True] * ranked + [False] * (len(prices) - ranked) and ranked == 3
    for per_page in (1, 2, 4):
        paged = []
        for page in range(1, -(-len(prices) // per_page) + 1):
            answer = search(client, coverage="cash", sort="cost", per_page=per_page, page=page)
            assert answer["total"] == len(prices)
            paged += answer["results"]
        assert paged == whole["results"]
    past = search(client, coverage="cash", sort="cost", per_page=4, page=4)
    assert past["results"] == [] and past["total"] == len(prices)


def test_only_the_bounded_candidates_and_the_page_are_estimated(app, at, prices_held, monkeypatch):
    monkeypatch.setattr(programs, "COST_SORTED", 3)
    for n in range(12):
        at(1 + n, rates={"outpatient": 10000 + 1000 * (n % 5)})
    calls = []
    estimated = fit_module._fit_at

    def counted(program, *args):
        calls.append(program.id)
        return estimated(program, *args)

    monkeypatch.setattr(fit_module, "_fit_at", counted)
    for sort, most in (("cost", 3 + 4), ("distance", 4)):
        calls.clear()
        with app.test_request_context():
            query = read_query(
                MultiDict({"near": "02139", "coverage": "cash", "sort": sort, "per_page": "4"})
            )
            page = programs.programs_near(query, fit_module.fitter(query, dt.date.today()))
        assert page.total == 12 and len(page.hits) == 4 and page.level == "outpatient"
        assert 0 < len(calls) <= most


def test_programs_alike_in_price_and_payments_share_one_estimate_in_a_search(
    client, add_program, monkeypatch
):
    # Six programs, two prices: two estimates for the search, not six; a new price adds one.
    for n in range(6):
        add_program(payments=["cash", "medicaid"], rates={"outpatient": 10000 + 5000 * (n % 2)})
    calls = []
    pricing = fit_module.programs_totals

    def counted(request):
        totals = pricing(request)
        return lambda *terms, **named: calls.append(terms) or totals(*terms, **named)

    monkeypatch.setattr(fit_module, "programs_totals", counted)
    found = search(client, coverage="cash")
    assert len(calls) == 2
    # 13 weekly charges of $100 and of $150.
    assert (
        sorted(hit["estimate"]["you_pay"] for hit in found["results"])
        == [1300.0] * 3 + [1950.0] * 3
    )
    add_program(payments=["cash"], rates={"outpatient": 20000})
    search(client, coverage="cash")
    assert len(calls) == 2 + 3


def test_the_api_says_the_level_and_what_was_ranked(client, add_program):
    add_program(rates={"outpatient": 10000})
    plain = search(client)
    assert plain["estimate_level"] is None
    assert "estimate" not in plain["results"][0] and "cost_ranked" not in plain["results"][0]
    ranked = search(client, sort="cost")  # no coverage: nothing to rank by cost
    assert ranked["results"][0]["cost_ranked"] is False and ranked["estimate_level"] is None
    # A coverage the estimate cannot price only says who takes it: no level.
    only_taken = search(client, coverage="sliding_fee", sort="cost")
    assert only_taken["estimate_level"] is None
    assert only_taken["results"][0]["cost_ranked"] is False
    priced = search(client, coverage="cash", sort="cost")
    assert priced["estimate_level"] == "outpatient" and priced["results"][0]["cost_ranked"]


def test_the_compare_page_fit_still_chooses_a_level_per_program(app, add_program):
    program_id = add_program(
        care_levels=["outpatient", "residential_long"], rates={"residential_long": 50000}
    )
    with app.test_request_context():
        program = db.session.get(Program, program_id)
        query = read_query(MultiDict({"near": "02139", "coverage": "cash"}))
        own = fit_module.fit(program, query, dt.date(2026, 11, 30))
        at_page_level = fit_module.fit(program, query, dt.date(2026, 11, 30), "outpatient")
    assert own.level == "residential_long" and own.has_estimate
    assert at_page_level.level == "outpatient" and not at_page_level.has_estimate


@pytest.mark.parametrize(
    "typed, fraction, percent",
    [
        ("20", "0.2", "20"),
        ("20%", "0.2", "20"),
        (" 20 % ", "0.2", "20"),
        ("0.2", "0.2", "20"),
        ("12.5%", "0.125", "12.5"),
        ("0.125", "0.125", "12.5"),
        ("1", "0.01", "1"),  # 1 or more is a percent
        ("0.5%", "0.005", "0.5"),
        ("0", "0", "0"),
        ("100", "1", "100"),
    ],
)
def test_coinsurance_is_read_as_people_write_it(typed, fraction, percent):
    args = MultiDict({"deductible": "0", "coinsurance": typed, "oop_max": "5000"})
    terms = read_plan_terms(args)
    assert terms[1] == Decimal(fraction)
    query = read_query(MultiDict({"near": "42.36,-71.10", **args}))
    assert query.coinsurance_percent == percent


@pytest.mark.parametrize("typed", ["150", "100.5%", "-5", "-0.2", "abc", "20%%", "%20", "NaN"])
def test_coinsurance_outside_0_to_100_percent_is_refused(typed):
    args = MultiDict({"deductible": "0", "coinsurance": typed, "oop_max": "5000"})
    with pytest.raises(SearchError) as refused:
        read_plan_terms(args)
    assert refused.value.field == "coinsurance"


@pytest.mark.parametrize("typed", ["20", "20%", "0.2", " 20 % "])
def test_every_way_of_writing_coinsurance_gives_the_same_estimate(client, add_program, typed):
    program = add_program(payments=["private_insurance"], rates={"outpatient": 20000})
    answer = search(
        client, coverage="private_insurance", deductible="0", coinsurance=typed, oop_max="5000"
    )
    assert answer["results"][0]["id"] == program
    assert answer["results"][0]["estimate"]["you_pay"] == 520.0  # 20% of $2,600
    page = html.unescape(
        client.get(
            "/search",
            query_string={
                "near": "02139",
                "coverage": "private_insurance",
                "deductible": "0",
                "coinsurance": typed,
                "oop_max": "5000",
            },
        ).text
    )
    assert "about $520.00" in page


@pytest.mark.parametrize("typed", ["150", "abc"])
def test_a_bad_coinsurance_is_a_400_naming_the_field(client, typed):
    params = {"near": "02139", "coverage": "private_insurance", "deductible": "0", "oop_max": "1"}
    response = client.get("/api/facilities", query_string={**params, "coinsurance": typed})
    assert response.status_code == 400 and response.json["field"] == "coinsurance"
    assert "percent" in response.json["error"]
    page = client.get("/search", query_string={**params, "coinsurance": typed})
    assert page.status_code == 400 and "Coinsurance" in html.unescape(page.text)


def test_the_search_form_asks_for_a_percent(client):
    page = html.unescape(client.get("/").text)
    assert "Coinsurance (%; 20 means you pay 20%)" in page


def test_the_estimate_api_keeps_its_fraction(client):
    body = {
        "start_date": "2026-01-01",
        "program": "outpatient",
        "insurance": {"type": "commercial", "deductible": 0, "coinsurance": 20, "oop_max": 1},
    }
    response = client.post("/api/estimate", json=body)
    assert response.status_code == 400 and response.json["field"] == "insurance.coinsurance"


def test_a_priced_program_beyond_the_radius_does_not_choose_the_level(client, at, prices_held):
    at(5, care_levels=["residential_long"], rates={"residential_long": 50000})
    at(40, care_levels=["outpatient"], rates={"outpatient": 10000})
    assert search(client, coverage="cash", radius=25)["estimate_level"] == "residential_long"
    assert search(client, coverage="cash", radius=50)["estimate_level"] == "outpatient"
