"""The list to print or share (/search/list) and the results map on /search: what a family
sees, from the URL alone."""

import datetime as dt
import html
import re

import pytest
from geopy.distance import great_circle

CAMBRIDGE = (42.3647, -71.1042)


def point_at(miles, bearing):
    p = great_circle(miles=miles).destination(CAMBRIDGE, bearing)
    return {"latitude": p.latitude, "longitude": p.longitude}


def text_of(response) -> str:
    """The page's words, without tags, entities decoded and spaces collapsed."""
    words = re.sub(r"<[^>]+>", " ", response.text)
    return re.sub(r"\s+", " ", html.unescape(words))


@pytest.fixture
def listed(add_program):
    """Three programs north, east and south of Cambridge; the first with its own list of
    phones, the others with only a main and an intake number."""
    return [
        add_program(
            name="Harbor Light Recovery",
            street="1 Main St",
            city="Somerville",
            zip="02143",
            payments=["medicaid", "cash"],
            phones=[
                ("main", "617-555-0123", ""),
                ("intake", "617-555-0124 x12", "Intake for adolescents"),
                ("hotline", "1-800-555-0125", "Night line"),
            ],
            **point_at(1.0, 0),
        ),
        add_program(
            name="Riverbend Clinic",
            street="22 River Rd",
            city="Boston",
            zip="02114",
            payments=["cash"],
            phone="617-555-0200",
            intake_phone="617-555-0201",
            **point_at(2.0, 90),
        ),
        add_program(
            name="Southside Center",
            street="9 Elm Ave",
            payments=["medicaid"],
            phone="617-555-0300",
            intake_phone="",
            **point_at(3.0, 180),
        ),
    ]


def test_the_list_shows_each_programs_address_and_every_phone(client, listed):
    response = client.get("/search/list?near=02139&radius=10")
    assert response.status_code == 200
    text = text_of(response)
    for words in [
        "1. Harbor Light Recovery", "1.0 miles away", "1 Main St", "Somerville, MA 02143",
        "Main number: 617-555-0123", "Intake for adolescents: 617-555-0124 x12",
        "Night line: 1-800-555-0125",
        "2. Riverbend Clinic", "22 River Rd", "Boston, MA 02114",
        "Main number: 617-555-0200", "Intake: 617-555-0201",
        "3. Southside Center", "9 Elm Ave", "Main number: 617-555-0300",
    ]:  # fmt: skip
        assert words in text, words
    assert text.index("Harbor Light") < text.index("Riverbend") < text.index("Southside")
    assert 'href="tel:6175550124,12"' in response.text
    assert "Programs 1 to 3 of the 3 found" in text


def test_the_list_says_the_date_the_search_and_the_helpline(client, listed):
    today = dt.date.today()
    url = "/search/list?near=02139&radius=10&payment=medicaid&care=residential,outpatient&telehealth=false&coverage=medicaid&sort=cost"
    text = text_of(client.get(url))
    assert f"Listed on {today:%B} {today.day}, {today.year}" in text
    assert "within 10 miles of 02139 (Cambridge, MA)" in text
    assert "Payment accepted: Medicaid" in text
    assert "Level of care: Residential (any length), Standard outpatient" in text
    assert "Your coverage: Medicaid" in text and "Sorted by what you would pay" in text
    assert "Offers telehealth" not in text  # telehealth=false does not restrict
    assert "1-800-662-4357" in text and "988" in text and "911" in text
    # Only the programs that take Medicaid, each saying so.
    assert "Harbor Light Recovery" in text and "Southside Center" in text
    assert "Riverbend" not in text
    assert text.count("Takes Medicaid") == 2


def test_the_url_alone_reproduces_the_list(client, listed):
    url = "/search/list?near=Cambridge%2C+MA&radius=any&payment=cash"
    first = client.get(url)
    assert "Set-Cookie" not in first.headers
    assert "at any distance from" in text_of(first)
    shared = re.search(r"This link opens the same search: <a href=\"([^\"]+)\"", first.text)
    assert shared is not None
    again = client.get(html.unescape(shared.group(1)))
    assert again.status_code == 200
    assert text_of(again) == text_of(first)
    assert "Harbor Light Recovery" in text_of(again) and "Southside" not in text_of(again)


def test_the_results_page_links_to_its_list(client, listed):
    response = client.get("/search?near=02139&radius=10&per_page=2&page=2")
    link = re.search(r'href="(/search/list\?[^"]+)">Print or share this list', response.text)
    assert link is not None
    listed_page = client.get(html.unescape(link.group(1)))
    text = text_of(listed_page)
    assert "3. Southside Center" in text and "Harbor Light" not in text
    assert "Programs 3 to 3 of the 3 found" in text


def test_a_list_holds_at_most_fifty_programs(client, add_program):
    for i in range(52):
        add_program(name=f"Program {i:02d}", **point_at(0.1 + i * 0.05, 7 * i))
    text = text_of(client.get("/search/list?near=02139&radius=25&per_page=100"))
    assert "Programs 1 to 50 of the 52 found" in text
    assert "50. Program 49" in text and "Program 50" not in text
    text = text_of(client.get("/search/list?near=02139&radius=25&per_page=100&page=2"))
    assert "Programs 101 to" not in text and "past its last program (52 in all)" in text


def test_the_print_button_needs_our_script_and_nothing_is_inline(client, listed):
    page = client.get("/search/list?near=02139&radius=10").text
    assert '<script src="/static/print.js" defer></script>' in page
    assert re.search(r"<button[^>]*data-print[^>]*hidden", page)
    for response in (page, client.get("/search?near=02139&radius=10").text):
        assert " style=" not in response and "<style" not in response
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", response)
        assert not re.search(r"\son[a-z]+=", response)
    script = client.get("/static/print.js")
    assert script.status_code == 200 and b"window.print()" in script.data
    script.close()


@pytest.mark.parametrize(
    "query, field",
    [("near=", "near"), ("near=zzzqqq", "near"), ("near=02139&radius=0", "radius"),
     ("near=02139&payment=gold", "payment")],
)  # fmt: skip
def test_a_bad_search_is_a_400_with_its_message(client, query, field):
    response = client.get(f"/search/list?{query}")
    assert response.status_code == 400
    text = text_of(response)
    assert "Let's fix the search" in text and "1-800-662-4357" in text
    assert field in text.lower() or "zip code" in text.lower()


def test_the_map_numbers_its_markers_like_the_list_and_describes_them(client, listed):
    response = client.get("/search?near=02139&radius=10&per_page=2&page=2")
    page = response.text
    figure = page[page.index('<figure class="result-map">') : page.index("</figure>")]
    assert 'role="img"' in figure and "<title" in figure and 'viewBox="0 0 320 320"' in figure
    assert " style=" not in figure
    numbers = re.findall(r'font-weight="bold" fill="[^"]+">(\d+)</text>', figure)
    assert numbers == ["3"]  # page 2 of two per page: the list's third program
    assert '<ol class="results" start="3">' in page
    described = text_of(client.get("/search?near=02139&radius=10&per_page=2&page=2"))
    assert "3: Southside Center, 3.0 miles south" in described
    assert ">10 mi</text>" in figure and ">5 mi</text>" in figure

    first = client.get("/search?near=02139&radius=10").text
    words = text_of(client.get("/search?near=02139&radius=10"))
    assert "1: Harbor Light Recovery, 1.0 miles north" in words
    assert "2: Riverbend Clinic, 2.0 miles east" in words
    figure = first[first.index('<figure class="result-map">') : first.index("</figure>")]
    assert re.findall(r'font-weight="bold" fill="[^"]+">(\d+)</text>', figure) == ["3", "2", "1"]


def test_no_map_without_results(client, listed):
    assert "result-map" not in client.get("/search?near=90210&radius=5").text
    assert "result-map" not in client.get("/search?near=nowhere-at-all").text


def test_the_list_shows_the_map_too(client, listed):
    page = client.get("/search/list?near=02139&radius=10").text
    assert '<figure class="result-map">' in page
    assert "2: Riverbend Clinic, 2.0 miles east" in text_of(
        client.get("/search/list?near=02139&radius=10")
    )
