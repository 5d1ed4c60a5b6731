"""Places as people type them: a town alone, with its state in any spelling, a ZIP with a town,
coordinates with a space, accents; a town of several states or a misspelt one is offered as a
choice, never picked for the visitor; and "Use my location" asks the browser, nobody else."""

import collections
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import zipcodes
from browsing import fits_the_screen, needs_chromium, open_page, served
from flask import render_template_string

from finder import geo, towns
from finder.search import SearchError

BOSTON_02108 = "02108 (Boston, MA)"


def zip_counts(city: str) -> collections.Counter:
    """How many ZIP codes each state's town of that name has, from the package itself."""
    return collections.Counter(
        z["state"]
        for z in zipcodes.filter_by(city=city)
        if z["lat"] and (float(z["lat"]), float(z["long"])) != (0.0, 0.0)
    )


def not_found(text: str, geocoder=None) -> geo.PlaceNotFound:
    with pytest.raises(geo.PlaceNotFound) as caught:
        geo.resolve(text, geocoder)
    return caught.value


class NoGeocoder:
    """A street-address geocoder that must not be asked: the town table answers, or the
    visitor chooses."""

    def geocode(self, *args, **kwargs):
        pytest.fail("a town name reached the online geocoder")


@pytest.mark.parametrize(
    "typed, label",
    [
        ("Boston MA", "Boston, MA"),
        ("Boston, Massachusetts", "Boston, MA"),
        ("boston ma", "Boston, MA"),
        ("  BOSTON ,  Ma. ", "Boston, MA"),
        ("Boston massachusetts", "Boston, MA"),
        ("Boston, MA, USA", "Boston, MA"),
        ("02108 Boston", BOSTON_02108),
        ("02108, Boston MA", BOSTON_02108),
        ("Boston, MA 02108", BOSTON_02108),
        ("02108 Springfield", BOSTON_02108),  # the ZIP says where; the town is not read
        ("021081234", BOSTON_02108),
        ("02108-1234", BOSTON_02108),
        ("42.36 -71.06", "42.3600, -71.0600"),
        ("42.36, -71.06", "42.3600, -71.0600"),
        ("42.36,-71.06", "42.3600, -71.0600"),
        ("Española, NM", "Espanola, NM"),
        ("ESPAÑOLA nm", "Espanola, NM"),
        ("espanola, new mexico", "Espanola, NM"),
        ("Española", "Espanola, NM"),  # one state has one: straight to it
        ("Albuquerque", "Albuquerque, NM"),
        ("Peñasco, NM", "Penasco, NM"),
        ("St. Paul, MN", "Saint Paul, MN"),
        ("Saint Paul MN", "Saint Paul, MN"),
        ("Washington, D.C.", "Washington, DC"),
        ("washington dc", "Washington, DC"),
        ("Winston-Salem, NC", "Winston Salem, NC"),
        ("Coeur d'Alene, Idaho", "Coeur D Alene, ID"),
        ("McLean, VA", "Mc Lean, VA"),
        ("Salt Lake City UT", "Salt Lake City, UT"),
        ("Portland or", "Portland, OR"),
        ("Indiana PA", "Indiana, PA"),
        ("Fort Washington, PA", "Fort Washington, PA"),
        ("New York", "New York, NY"),
    ],
)
def test_every_way_people_type_a_place_finds_it_offline(typed, label):
    place = geo.resolve(typed, NoGeocoder())
    assert place.label == label


def test_a_town_alone_is_the_same_point_as_the_town_with_its_state():
    assert geo.resolve("Española") == geo.resolve("Espanola, NM")
    assert geo.resolve("Boston MA") == geo.resolve("Boston, MA")
    assert geo.resolve("02108 Boston") == geo.resolve("02108")


def test_a_town_in_several_states_lists_them_most_zip_codes_first_and_picks_none():
    counts = zip_counts("Cambridge")
    error = not_found("Cambridge", NoGeocoder())
    assert len(counts) == 13
    assert error.candidates[0] == "Cambridge, MA" and len(error.candidates) == 10
    states = [c.removeprefix("Cambridge, ") for c in error.candidates]
    assert set(states) <= set(counts) and len(set(states)) == 10
    assert [counts[s] for s in states] == sorted((counts[s] for s in states), reverse=True)
    # The three left off have no more ZIP codes than any listed.
    assert max(counts[s] for s in set(counts) - set(states)) <= min(counts[s] for s in states)
    assert "13 states have a town called Cambridge" in str(error)
    assert "add its state" in str(error)


def test_a_name_in_two_states_offers_both_and_nothing_else():
    error = not_found("kansas city")
    assert error.candidates == ("Kansas City, MO", "Kansas City, KS")
    assert str(error) == "2 states have a town called Kansas City. Which one do you mean?"


@pytest.mark.parametrize(
    "typed, offered",
    [
        ("Sprinfield, MA", "Springfield, MA"),
        ("sprinfield ma", "Springfield, MA"),
        ("Bostin, MA", "Boston, MA"),
        ("Salen, Massachusetts", "Salem, MA"),
        ("Cambrige, MA", "Cambridge, MA"),
        ("Albuquerqe", "Albuquerque, NM"),
    ],
)
def test_a_near_miss_is_offered_never_used(typed, offered):
    error = not_found(typed, NoGeocoder())
    assert error.candidates == (offered,)
    assert str(error) == f'We could not find "{typed}". Did you mean {offered}?'


def test_a_misspelt_town_alone_offers_each_state_of_the_name_it_was_probably_meant_to_be():
    error = not_found("Worcestor")
    assert set(error.candidates) == {f"Worcester, {s}" for s in zip_counts("Worcester")}
    assert error.candidates[0] == "Worcester, MA"
    assert str(error) == 'We could not find "Worcestor". Did you mean one of these?'


def test_a_town_in_the_wrong_state_offers_the_states_that_have_it():
    error = not_found("Kansas City, NE")
    assert error.candidates == ("Kansas City, MO", "Kansas City, KS")


@pytest.mark.parametrize(
    "typed", ["Xyzzyq", "Atlantis, ZZ", "Cambridge, England", "ab", "Mx", "!!!", "a" * 5000]
)
def test_a_place_that_is_nowhere_near_a_town_lists_the_accepted_forms(typed):
    error = not_found(typed)
    assert error.candidates == ()
    assert "5-digit ZIP code" in str(error) and '"Cambridge"' in str(error)


@pytest.mark.parametrize("typed, code", [("MA", "MA"), ("Massachusetts", "MA"), ("texas", "TX")])
def test_a_state_alone_asks_for_a_town_and_guesses_none(typed, code):
    error = not_found(typed, NoGeocoder())
    assert error.candidates == ()
    assert (
        str(error)
        == f'"{typed}" is a state: put a town before it ("Town, {code}"), or type a ZIP code.'
    )


def test_a_state_name_that_is_also_a_towns_name_is_the_town():
    error = not_found("Virginia")
    assert error.candidates[0] == "Virginia, MN" and "Virginia, VA" not in error.candidates


def test_a_street_address_still_reaches_the_geocoder_when_one_is_set():
    class Found:
        def geocode(self, text, **kwargs):
            return type("Location", (), {"latitude": 1.0, "longitude": 2.0, "address": text})

    assert geo.resolve("12 Oak Street Boston MA", Found()).latitude == 1.0
    # A town of several states is asked about, not handed to the geocoder to pick one.
    with pytest.raises(geo.PlaceNotFound) as caught:
        geo.resolve("Cambridge", Found())
    assert caught.value.candidates[0] == "Cambridge, MA"


@pytest.mark.parametrize(
    "typed, folded",
    [("Española", "espanola"), ("PEÑASCO", "penasco"), ("Coeur d’Alene", "coeur d alene")],
)
def test_accents_case_and_punctuation_fold_away(typed, folded):
    assert towns.fold(typed) == folded


def test_state_names_and_codes_are_read_and_nothing_else():
    assert towns.state_code("Massachusetts") == towns.state_code("ma") == "MA"
    assert towns.state_code("D.C.") == towns.state_code("District of Columbia") == "DC"
    assert towns.state_code("ZZ") is None and towns.state_code("England") is None
    assert towns.split_state("Salt Lake City, Utah") == ("salt lake city", "UT")
    assert towns.split_state("Cambridge") == ("cambridge", None)
    assert towns.split_state("Cambridge, England") is None


def test_the_town_names_states_are_kept_in_the_table_file(table_folder, monkeypatch):
    built = not_found("Cambridge").candidates
    geo._table.cache_clear()
    monkeypatch.setattr(geo.zipcodes, "list_all", lambda: pytest.fail("read the package again"))
    assert not_found("Cambridge").candidates == built
    assert geo.resolve("Española").label == "Espanola, NM"
    (written,) = table_folder.glob("zip-centroids-*.tsv")
    assert written.name.endswith("-v5.tsv")
    assert "\ncambridge\tMA " in written.read_text()


# The web: the same answers on the page and in the API.


def api(client, **params):
    return client.get("/api/facilities", query_string=params)


@pytest.mark.parametrize(
    "near, label",
    [
        ("Boston MA", "Boston, MA"),
        ("Boston, Massachusetts", "Boston, MA"),
        ("02108 Boston", BOSTON_02108),
        ("021081234", BOSTON_02108),
        ("42.36 -71.06", "42.3600, -71.0600"),
        ("Española, NM", "Espanola, NM"),
    ],
)
def test_the_api_and_the_page_search_from_every_form(client, add_program, near, label):
    add_program(latitude=35.99, longitude=-106.08)  # Española
    response = api(client, near=near, radius="any")
    assert response.status_code == 200
    assert response.get_json()["origin"]["label"] == label
    assert response.get_json()["total"] == 1
    page = client.get("/search", query_string={"near": near, "radius": "any"})
    assert page.status_code == 200
    assert f"at any distance from {label}" in page.text


def test_the_api_answers_an_ambiguous_town_with_its_candidates(client):
    response = api(client, near="Cambridge")
    assert response.status_code == 400
    body = response.get_json()
    assert body["field"] == "near"
    assert body["candidates"] == list(not_found("Cambridge").candidates)
    assert body["candidates"][0] == "Cambridge, MA"
    assert "13 states have a town called Cambridge" in body["error"]


def test_the_api_offers_a_near_miss_and_runs_no_search(client, add_program):
    add_program()  # in Cambridge, MA
    response = api(client, near="Sprinfield, MA")
    assert response.status_code == 400
    assert response.get_json() == {
        "error": 'We could not find "Sprinfield, MA". Did you mean Springfield, MA?',
        "field": "near",
        "candidates": ["Springfield, MA"],
    }


def test_other_bad_input_carries_no_candidates(client):
    for params in ({"near": "Xyzzyq"}, {"near": "02139", "radius": "abc"}):
        body = api(client, **params).get_json()
        assert "candidates" not in body and body["error"]


def links(text: str) -> dict[str, dict[str, list[str]]]:
    """Each search link on the page, by its text: its query parameters."""
    found = re.findall(r'<a href="(/search\?[^"]*)">([^<]+)</a>', text)
    return {label: parse_qs(urlsplit(href.replace("&amp;", "&")).query) for href, label in found}


def test_the_page_links_each_town_to_the_same_search_there(client, add_program):
    program_id = add_program()  # in Cambridge, MA
    params = {"near": "Cambridge", "radius": "10", "payment": ["medicaid", "cash"], "page": "2"}
    page = client.get("/search", query_string=params)
    assert page.status_code == 400
    assert "13 states have a town called Cambridge. Which one do you mean?" in page.text
    offered = links(page.text)
    assert list(offered)[:2] == ["Cambridge, MA", "Cambridge, IA"] and len(offered) == 10
    for town, query in offered.items():
        assert query == {"near": [town], "radius": ["10"], "payment": ["medicaid", "cash"]}
    chosen = client.get("/search", query_string=offered["Cambridge, MA"])
    assert chosen.status_code == 200
    assert "within 10 miles of Cambridge, MA" in chosen.text
    assert f"/facilities/{program_id}" in chosen.text


def test_the_page_asks_did_you_mean_with_a_link(client):
    page = client.get("/search", query_string={"near": "Sprinfield, MA", "age": "teens"})
    assert page.status_code == 400
    found = re.search(r'Did you mean <a href="(/search\?[^"]*)">Springfield, MA</a>\?', page.text)
    assert found, page.text
    query = parse_qs(urlsplit(found.group(1).replace("&amp;", "&")).query)
    assert query == {"near": ["Springfield, MA"], "age": ["teens"]}
    assert "Sprinfield, MA" in page.text  # what was typed stays in the box to correct


def test_a_posted_search_keeps_the_households_class_never_its_income(client):
    form = {"near": "Cambridge", "household_size": "3", "income": "41000", "state": "MA"}
    posted = client.post("/search", data=form)
    assert posted.status_code == 303
    page = client.get(posted.headers["Location"])
    assert page.status_code == 400
    for query in links(page.text).values():
        assert "fpg" in query and "income" not in query and "household_size" not in query


def test_the_place_error_of_a_posted_form_links_without_the_household(app):
    form = {"near": "Cambridge", "radius": "25", "household_size": "3", "income": "41000"}
    error = SearchError("near", "Which one?", ("Cambridge, MA", "Cambridge, MD"))
    with app.test_request_context("/search", method="POST", data=form):
        html = render_template_string("{% include 'finder/_place_error.html' %}", error=error)
    offered = links(html)
    assert offered == {
        "Cambridge, MA": {"near": ["Cambridge, MA"], "radius": ["25"]},
        "Cambridge, MD": {"near": ["Cambridge, MD"], "radius": ["25"]},
    }
    assert "41000" not in html


# "Use my location": our own script, allowed geolocation by this origin only.


def test_geolocation_is_allowed_to_this_site_alone(client):
    policy = client.get("/").headers["Permissions-Policy"]
    assert set(policy.split(", ")) == {"geolocation=(self)", "camera=()", "microphone=()"}


def test_the_location_script_is_ours_referenced_and_the_button_only_exists_with_it(client):
    page = client.get("/").text
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert '<script src="/static/locate.js" defer>' in scripts
    assert all(" src=" in tag for tag in scripts)
    assert re.search(r"<script\b[^>]*>\s*[^<\s]", page) is None  # no script body
    assert "Use my location" not in page  # the script adds the button; no script, no button
    with client.get("/static/locate.js") as script:
        assert script.status_code == 200
        assert "javascript" in script.headers["Content-Type"]
        assert "getCurrentPosition" in script.text and "toFixed(4)" in script.text
        assert "http" not in script.text  # asks the browser, never a third party


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with served(tmp_path_factory.mktemp("places")) as base:
        yield base


@needs_chromium
def test_use_my_location_fills_in_the_browsers_coordinates(site, browser):
    page = open_page(
        browser,
        site,
        javascript=True,
        permissions=["geolocation"],
        geolocation={"latitude": 42.360081, "longitude": -71.058884},
    )
    problems = page.blocked
    page.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and not m.location["url"].endswith("/favicon.ico")
            else None
        ),
    )
    page.goto(site + "/")
    page.get_by_role("button", name="Use my location").click()
    near = page.locator("form.search input[name=near]")
    page.wait_for_function("document.querySelector('form.search input[name=near]').value")
    assert near.input_value() == "42.3601, -71.0589"
    assert "Press Search" in page.get_by_role("status").inner_text()
    page.get_by_role("button", name="Search", exact=True).click()
    assert "0 programs within 25 miles of 42.3601, -71.0589" in page.inner_text("h1")
    assert fits_the_screen(page)
    assert problems == []
    page.context.close()


@needs_chromium
def test_a_refused_location_says_so_and_leaves_the_box_alone(site, browser):
    page = open_page(browser, site, javascript=True)
    page.goto(site + "/")
    page.locator("form.search input[name=near]").fill("02139")
    page.get_by_role("button", name="Use my location").click()
    status = page.get_by_role("status")
    status.filter(has_text="did not allow").wait_for()
    assert page.locator("form.search input[name=near]").input_value() == "02139"
    page.context.close()


def test_a_household_search_in_a_town_of_several_states_asks_which_town(client):
    # Income turns into a guideline class by the state: for "Cambridge" (13 states) the page
    # asks which Cambridge rather than for the state.
    form = {"near": "Cambridge", "household_size": "3", "income": "40000"}
    page = client.post("/search", data=form)
    assert page.status_code == 400
    assert "Cambridge, MA" in page.text and "Choose your state" not in page.text
    assert "40000" not in page.text.split("<form")[0]
