"""The search form and the results page as a family uses them (issue 12): "How will you pay?"
near the top, the search box above the list, removable filter chips, and cards with Call,
Directions and Compare."""

import dataclasses
import html
import re
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest

from finder import programs
from finder.views import directions_link

MEDICAID_FIRST = "/search?near=02139&payment=medicaid,sliding_fee&telehealth=true&coverage=medicaid"


def words(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def cards(page: str) -> list[str]:
    return re.findall(r'<li class="result">.*?</li>\s*(?=<li class="result">|</ol>)', page, re.S)


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(html.unescape(url)).query)


@pytest.mark.parametrize(
    "pay, expected",
    [
        ("medicaid", {"payment": ["medicaid"], "coverage": ["medicaid"]}),
        ("medicare", {"payment": ["medicare"], "coverage": ["medicare"]}),
        (
            "private_insurance",
            {"payment": ["private_insurance"], "coverage": ["private_insurance"]},
        ),
        ("tricare", {"payment": ["tricare"], "coverage": ["tricare"]}),
        ("cash", {"payment": ["cash", "sliding_fee"], "coverage": ["cash"]}),
        ("free", {"payment": ["free"]}),
        ("", {}),
    ],
)
def test_how_you_pay_becomes_the_payment_filter_and_the_coverage(client, pay, expected):
    response = client.post("/search", data={"near": "02139", "radius": "10", "pay": pay})
    assert response.status_code == 303
    assert query_of(response.location) == {"near": ["02139"], "radius": ["10"], **expected}


def test_how_you_pay_keeps_the_other_payments_ticked_and_replaces_a_coverage(client):
    response = client.post(
        "/search",
        data={"near": "02139", "pay": "medicaid", "payment": "ihs_tribal", "coverage": "cash"},
    )
    assert query_of(response.location) == {
        "near": ["02139"],
        "payment": ["ihs_tribal", "medicaid"],
        "coverage": ["medicaid"],
    }


def test_also_showing_the_others_sends_the_coverage_without_the_filter(client):
    response = client.post("/search", data={"near": "02139", "pay": "medicaid", "show_all": "y"})
    assert query_of(response.location) == {"near": ["02139"], "coverage": ["medicaid"]}


@pytest.mark.parametrize(
    "url, chosen, show_all",
    [
        ("/search?near=02139&payment=medicaid&coverage=medicaid", "medicaid", False),
        ("/search?near=02139&payment=cash,sliding_fee&coverage=cash", "cash", False),
        ("/search?near=02139&payment=free", "free", False),
        ("/search?near=02139&coverage=tricare", "tricare", True),
        ("/search?near=02139", "", False),
        ("/?near=02139&payment=medicare&coverage=medicare", "medicare", False),
    ],
)
def test_the_form_shows_how_you_pay_again_from_the_results_url(client, url, chosen, show_all):
    page = client.get(url).text
    if url.startswith("/search"):
        selected = re.findall(r'<option selected value="([^"]*)">', page.split('id="pay"')[1])
        assert selected[0] == chosen
    else:
        assert re.search(
            rf'<input checked id="pay-\d" name="pay" type="radio" value="{chosen}">', page
        )
    assert ('checked id="show_all"' in page or 'checked form="search" id="show_all"' in page) == (
        show_all
    )
    # The payment values the choice stands for are not ticked a second time below.
    assert not re.search(
        rf'<input checked [^>]*name="payment" type="checkbox" value="{chosen}"', page
    )


def test_coverage_alone_still_does_not_filter_the_api(client, add_program):
    add_program(payments=["medicaid"])
    add_program(payments=["cash"])
    assert client.get("/api/facilities?near=02139&coverage=medicaid").json["total"] == 2
    assert client.get("/api/facilities?near=02139&payment=medicaid").json["total"] == 1


def test_active_filters_are_chips_that_each_remove_their_value(client, add_program):
    add_program(payments=["medicaid"], telehealth=True)
    page = client.get(MEDICAID_FIRST + "&page=1").text
    chips = re.findall(
        r'<a class="chip" href="([^"]*)"><span class="visually-hidden">Remove filter: </span>'
        r"([^<]*) <span",
        page,
    )
    assert [label for _, label in chips] == [
        "Medicaid",
        "Sliding fee scale",
        "Offers telehealth therapy",
    ]
    without = [query_of(href) for href, _ in chips]
    assert without[0]["payment"] == ["sliding_fee"] and without[0]["coverage"] == ["medicaid"]
    assert without[1]["payment"] == ["medicaid"]
    assert "telehealth" not in without[2] and without[2]["payment"] == ["medicaid,sliding_fee"]
    assert all("page" not in q and q["near"] == ["02139"] for q in without)
    assert "<summary>Filters (3)</summary>" in page


def test_one_click_also_shows_the_programs_that_do_not_take_your_coverage(client, add_program):
    add_program(payments=["medicaid"])
    add_program(payments=["cash"])
    page = client.get("/search?near=02139&payment=medicaid&coverage=medicaid").text
    assert "1 program within" in words(page)
    link = re.search(r'<a href="([^"]*)">Also show programs that don\'t take Medicaid</a>', page)
    assert query_of(link.group(1)) == {"near": ["02139"], "coverage": ["medicaid"]}
    everyone = words(client.get(html.unescape(link.group(1))).text)
    assert "2 programs within" in everyone and "Does not list Medicaid" in everyone
    assert "don't take Medicaid" not in everyone and "Filters (0)" in everyone
    cash = client.get("/search?near=02139&payment=cash,sliding_fee&coverage=cash").text
    assert "Also show programs that don't take self-pay or a sliding fee" in html.unescape(cash)


def test_the_search_form_and_sort_come_before_the_list(client, add_program):
    add_program(payments=["medicaid"], rates={"outpatient": 15000})
    page = client.get("/search?near=02139&payment=medicaid&coverage=medicaid").text
    order = [
        page.index('<form class="search compact" id="search"'),
        page.index("<summary>Filters (1)</summary>"),
        re.search(r"Sorted by\s+<strong", page).start(),
        page.index('<ol class="results"'),
    ]
    assert order == sorted(order)
    assert "Change the search" not in page
    sort = re.search(r'<a href="([^"]*)">what you would pay</a>', page).group(1)
    assert query_of(sort)["sort"] == ["cost"]
    # The filters beside the list belong to the search form at the top.
    assert 'form="search" id="setting-0" name="setting"' in page
    assert '<button type="submit" form="search">Apply filters</button>' in page


def test_a_card_calls_the_main_number_and_gives_directions(client, add_program):
    program_id = add_program(
        street="1 Main St",
        phone="617-555-0123",
        intake_phone="617-555-0199",
        telehealth=True,
        payments=["medicaid"],
    )
    page = client.get("/search?near=02139&coverage=medicaid").text
    (card,) = cards(page)
    assert '<a class="button call" href="tel:6175550123">Call 617-555-0123' in card
    directions = re.search(r'<a class="button directions" href="([^"]*)" rel="([^"]*)">', card)
    assert html.unescape(directions.group(1)) == (
        "https://www.google.com/maps/dir/?api=1&destination=42.364700%2C-71.104200"
    )
    assert {"noreferrer", "noopener"} <= set(directions.group(2).split())
    text = words(card)
    for expected in [
        "1 Main St Cambridge, MA 02139",
        "0.0 miles away",
        "Offers telehealth therapy",
        "Takes Medicaid",
        "Other numbers on the program page",
    ]:
        assert expected in text
    assert f'name="compare" value="{program_id}" form="compare-form"' in card


def test_cards_can_be_chosen_for_the_comparison(client, add_program):
    first, second = add_program(), add_program()
    page = client.get("/search?near=02139&coverage=cash").text
    ticks = re.findall(r'<input type="checkbox" id="([^"]*)" name="compare" value="([^"]*)"', page)
    assert sorted(value for _, value in ticks) == [first, second]
    for box, _ in ticks:
        assert re.search(rf'<label for="{box}">Compare<span class="visually-hidden">', page)
    form = re.search(r'<form id="compare-form"[^>]*>.*?</form>', page, re.S).group(0)
    assert 'action="/compare" method="get"' in form
    assert '<input type="hidden" name="near" value="02139">' in form
    assert '<input type="hidden" name="coverage" value="cash">' in form
    assert "Compare selected (up to 5)" in form
    # The list's own page, for printing or sharing, reproduces the search from its URL.
    share = re.search(r'<a href="([^"]*)">Print or share this list</a>', page).group(1)
    assert urlsplit(html.unescape(share)).path == "/search/list"
    assert query_of(share) == {"near": ["02139"], "coverage": ["cash"]}


def test_a_cost_sort_names_the_level_and_marks_the_cards_it_does_not_rank(
    client, add_program, monkeypatch
):
    ranked = add_program(rates={"outpatient": 15000})
    other = add_program(payments=["medicaid"])
    real = programs.programs_near

    def with_ranks(query, fit):
        page = real(query, fit)
        hits = [dataclasses.replace(h, cost_ranked=h.program.id == ranked) for h in page.hits]
        return dataclasses.replace(page, hits=hits, level="outpatient")

    monkeypatch.setattr(programs, "programs_near", with_ranks)
    page = client.get("/search?near=02139&coverage=cash&sort=cost").text
    assert "Estimates are for 90 days of standard outpatient" in words(page)
    marked = {
        re.search(r'href="/facilities/([^"]+)"', card).group(1): "Not ranked by cost" in card
        for card in cards(page)
    }
    assert marked == {ranked: False, other: True}
    assert (
        "Not ranked by cost: does not take your coverage or has no price for standard outpatient."
        in words(page)
    )


def test_directions_go_to_the_point_or_to_the_address_of_an_approximate_one():
    at = SimpleNamespace(
        latitude=42.3647, longitude=-71.1042, location_approximate=False, street="1 Main St",
        city="Cambridge", state="MA", zip="02139",
    )  # fmt: skip
    assert directions_link(at) == (
        "https://www.google.com/maps/dir/?api=1&destination=42.364700%2C-71.104200"
    )
    approximate = SimpleNamespace(
        **{**vars(at), "location_approximate": True, "street": "1 A&B #2"}
    )
    assert directions_link(approximate) == (
        "https://www.google.com/maps/dir/?api=1&destination=1+A%26B+%232%2C+Cambridge%2C+MA+02139"
    )


@pytest.mark.parametrize(
    "url",
    ["/", "/search?near=02139", MEDICAID_FIRST, "/search?near=nowhere", "/search/list?near=02139"],
)
def test_the_pages_carry_no_inline_style_or_script(client, add_program, url):
    add_program(payments=["medicaid"], telehealth=True)
    page = client.get(url).text
    assert not re.search(r"\sstyle=", page)
    assert not re.search(r"\son[a-z]+=", page)
    assert not re.search(r"<script\b[^>]*>\s*[^<\s]", page)  # every script from a file
    assert "<style" not in page
