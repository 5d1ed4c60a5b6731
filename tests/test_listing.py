"""What a listing says on its card, its page and in the API: telehealth, care levels apart from
mental-health care, every phone number with what it is, honest dates, mental-health-only
programs (issue 11)."""

import datetime as dt
import html
import re
from urllib.parse import unquote

import pytest

PHONES = [
    ("main", "617-555-0100", ""),
    ("intake", "617-555-0101 x22", "Intake, second line"),
    ("hotline", "800-555-0102", ""),
]


def words(page: str) -> str:
    """A page's text as a visitor reads it: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def card(page: str, program_id: str) -> str:
    """The words of one result card on a results page."""
    for item in re.findall(
        r'<li class="result">.*?</li>\s*(?=<li class="result">|</ol>)', page, re.S
    ):
        if f'href="/facilities/{program_id}"' in item:
            return words(item)
    raise AssertionError(f"no card for {program_id}")


def result(client, program_id: str) -> dict:
    found = client.get("/api/facilities?near=02139&radius=any&per_page=100").json["results"]
    return next(r for r in found if r["id"] == program_id)


def test_every_result_says_whether_it_offers_telehealth(client, add_program):
    online = add_program(telehealth=True)
    offline = add_program()
    assert result(client, online)["telehealth"] is True
    assert result(client, offline)["telehealth"] is False
    page = client.get("/search?near=02139").text
    assert "Offers telehealth therapy" in card(page, online)
    assert "telehealth" not in card(page, offline).lower()
    assert client.get(f"/api/facilities/{online}").json["telehealth"] is True
    assert "Offers telehealth therapy" in words(client.get(f"/facilities/{online}").text)
    assert "telehealth" not in words(client.get(f"/facilities/{offline}").text).lower()


def test_care_levels_are_substance_use_only_and_mental_health_care_is_its_own_field(
    client, add_program
):
    both = add_program(
        care_levels=["outpatient"], mental_health_care=["hospital_inpatient", "residential"]
    )
    body = result(client, both)
    assert body["care_levels"] == ["outpatient"]
    assert body["mental_health_care"] == ["hospital_inpatient", "residential"]
    text = card(client.get("/search?near=02139").text, both)
    assert "Care Standard outpatient Mental-health care Psychiatric hospital inpatient, " in text
    assert "Mental-health residential" in text
    page = words(client.get(f"/facilities/{both}").text)
    assert "Levels of care Standard outpatient" in page
    assert "Mental-health care Psychiatric hospital inpatient, Mental-health residential" in page
    assert "Hospital inpatient" not in page.replace("Psychiatric hospital inpatient", "")


def test_a_program_without_care_levels_says_they_are_not_listed(client, add_program):
    unlisted = add_program(care_levels=[], mental_health_care=["outpatient"])
    assert result(client, unlisted)["care_levels"] == []
    assert "Care Levels of care not listed" in card(client.get("/search?near=02139").text, unlisted)
    page = words(client.get(f"/facilities/{unlisted}").text)
    assert "Levels of care Levels of care not listed" in page
    assert "Mental-health care Mental-health outpatient" in page


def test_a_program_page_shows_every_number_with_what_it_is(client, add_program):
    program_id = add_program(phone="617-555-0100", intake_phone="617-555-0101 x22", phones=PHONES)
    page = client.get(f"/facilities/{program_id}").text
    numbers = re.findall(r'<li><span class="phone-label">([^<]*)</span> <a href="([^"]*)">', page)
    assert numbers == [
        ("Main number:", "tel:6175550100"),
        ("Intake, second line:", "tel:6175550101,22"),
        ("Hotline:", "tel:8005550102"),
    ]
    assert client.get(f"/api/facilities/{program_id}").json["phones"] == [
        {"number": "617-555-0100", "kind": "main", "label": "Main number"},
        {"number": "617-555-0101 x22", "kind": "intake", "label": "Intake, second line"},
        {"number": "800-555-0102", "kind": "hotline", "label": "Hotline"},
    ]
    # Results keep the two numbers they always had.
    assert result(client, program_id)["phone"] == "617-555-0100"
    assert result(client, program_id)["intake_phone"] == "617-555-0101 x22"
    assert "phones" not in result(client, program_id)


@pytest.mark.parametrize(
    "phone, intake, expected",
    [
        (
            "617-555-0123",
            "617-555-0199",
            [("main", "617-555-0123", "Main number"), ("intake", "617-555-0199", "Intake")],
        ),
        ("617-555-0123", "617-555-0123", [("main", "617-555-0123", "Main number")]),
        ("617-555-0123", "", [("main", "617-555-0123", "Main number")]),
        ("", "617-555-0199", [("intake", "617-555-0199", "Intake")]),
        ("", "", []),
    ],
)
def test_a_program_stored_without_its_phone_list_falls_back_to_its_two_numbers(
    client, add_program, phone, intake, expected
):
    program_id = add_program(phone=phone, intake_phone=intake)
    phones = client.get(f"/api/facilities/{program_id}").json["phones"]
    assert [(p["kind"], p["number"], p["label"]) for p in phones] == expected
    page = client.get(f"/facilities/{program_id}").text
    links = re.findall(
        r'href="tel:([^"]*)"', page.split('class="contact"')[1].split("</section>")[0]
    )
    assert links == ["".join(c for c in number if c.isdigit()) for _, number, _ in expected]
    if not expected:
        assert "No phone number listed." in page


@pytest.mark.parametrize(
    "name",
    [
        "Smith & Wesley House #2 (North)",
        "A&B Recovery",
        "Hope #1",
        "Center (Annex)) q=evil&z=1",
        "Plain Name",
    ],
)
def test_the_map_link_encodes_its_whole_query(client, add_program, name):
    program_id = add_program(name=name, street="12 Elm St. & Main, Apt #3 (rear)")
    page = client.get(f"/facilities/{program_id}").text
    href = html.unescape(re.search(r'<a href="(geo:[^"]*)">Open in your map app', page).group(1))
    point, _, query = href.removeprefix("geo:").partition("?q=")
    assert point == "42.364700,-71.104200"
    assert not set(query) & set("&#() ,?=")
    assert unquote(query) == f"42.364700,-71.104200({name})"


def test_a_verified_listing_says_when_it_was_verified(client, add_program):
    program_id = add_program(verified_on=dt.date(2026, 10, 1), imported_on=dt.date(2026, 11, 2))
    page = words(client.get(f"/facilities/{program_id}").text)
    assert "Last verified October 1, 2026" in page and "Imported" not in page
    body = client.get(f"/api/facilities/{program_id}").json
    assert body["verified_on"] == "2026-10-01" and body["imported_on"] == "2026-11-02"


def test_an_unverified_listing_says_when_it_was_imported_and_that_the_date_is_unknown(
    client, add_program
):
    program_id = add_program(verified_on=None, imported_on=dt.date(2026, 3, 3))
    for page in (
        client.get(f"/facilities/{program_id}").text,
        client.get("/search?near=02139").text,
    ):
        text = words(page)
        assert "Imported March 3, 2026; the source's date is unknown" in text
        assert "Last verified" not in text and "call to confirm" in text
    assert result(client, program_id)["verified_on"] is None
    assert result(client, program_id)["imported_on"] == "2026-03-03"
    detail = client.get(f"/api/facilities/{program_id}").json
    assert detail["verified_on"] is None and detail["imported_on"] == "2026-03-03"


def test_a_listing_with_no_date_at_all_still_shows(client, add_program):
    program_id = add_program(verified_on=None, imported_on=None)
    page = client.get(f"/facilities/{program_id}")
    assert page.status_code == 200
    assert "The source's date is unknown" in words(page.text)
    assert result(client, program_id)["imported_on"] is None
    assert client.get("/search?near=02139&sort=cost&coverage=cash").status_code == 200


@pytest.fixture
def mh_only(add_program):
    return add_program(
        name="Riverside Mental Health Clinic",
        substance_use=False,
        care_levels=[],
        mental_health_care=["outpatient"],
        rates={"outpatient": 15000},
    )


def test_a_mental_health_only_page_says_so_and_offers_no_estimate(client, add_program, mh_only):
    response = client.get(f"/facilities/{mh_only}")
    assert response.status_code == 200
    page = words(response.text)
    assert "The source lists no substance-use treatment at this program" in page
    assert "no cost estimate" in page
    assert "Mental-health care Mental-health outpatient" in page
    assert "/estimate?facility" not in response.text and "Estimate what" not in page
    assert "Levels of care" not in page
    body = client.get(f"/api/facilities/{mh_only}").json
    assert body["substance_use"] is False and body["estimate_available"] is False
    assert body["care_levels"] == [] and body["mental_health_care"] == ["outpatient"]
    substance_use = add_program()
    assert f"/estimate?facility={substance_use}" in client.get(f"/facilities/{substance_use}").text
    assert client.get(f"/api/facilities/{substance_use}").json["estimate_available"] is True


def test_no_estimate_route_estimates_a_mental_health_only_program(client, mh_only):
    form = client.get(f"/estimate?facility={mh_only}")
    assert form.status_code == 400
    assert "no substance-use treatment" in words(form.text) and "<form" not in form.text
    posted = client.post(
        "/estimate",
        data={
            "facility": mh_only,
            "program": "outpatient",
            "days": "90",
            "start_date": "2026-01-05",
            "insurance": "none",
        },
    )
    assert posted.status_code == 400 and "You would pay" not in posted.text
    assert "no substance-use treatment" in words(posted.text)
    api = client.post(
        "/api/estimate",
        json={"facility_id": mh_only, "start_date": "2026-01-05", "program": "outpatient"},
    )
    assert api.status_code == 400 and api.json["field"] == "facility_id"
    assert "no substance-use treatment" in api.json["error"]


def test_the_api_docs_name_every_field_and_filter(client, add_program):
    from pathlib import Path

    from finder.search import FILTERS

    docs = (Path(__file__).resolve().parent.parent / "docs" / "api.md").read_text()
    program_id = add_program(phones=PHONES, telehealth=True)
    fields = set(result(client, program_id)) | set(client.get(f"/api/facilities/{program_id}").json)
    parameters = {*FILTERS, "telehealth", "residential", "naltrexone", "naltrexone_oral"}
    undocumented = sorted(name for name in fields | parameters if f"`{name}`" not in docs)
    assert undocumented == [], undocumented


@pytest.mark.parametrize(
    "phone, intake, expected, others",
    [
        ("617-555-0123", "617-555-0199", "tel:6175550123", True),
        ("", "617-555-0199", "tel:6175550199", False),
        ("617-555-0123", "617-555-0123", "tel:6175550123", False),
        ("", "", None, False),
    ],
)
def test_a_result_card_calls_the_main_number_it_has(
    client, add_program, phone, intake, expected, others
):
    program_id = add_program(phone=phone, intake_phone=intake)
    page = client.get("/search?near=02139").text
    item = re.search(r'<li class="result">.*?</li>', page, re.S).group(0)
    assert 'href="tel:"' not in item
    assert re.findall(r'<a class="button call" href="([^"]*)"', item) == (
        [expected] if expected else []
    )
    if expected:
        assert f"Call {phone or intake}" in card(page, program_id)
    assert ("Other numbers on the program page" in card(page, program_id)) == others


def test_a_program_page_dials_only_its_own_numbers_and_the_help_lines(client, add_program):
    program_id = add_program(phone="617-555-0100", intake_phone="617-555-0199", phones=PHONES)
    help_lines = set(re.findall(r'href="tel:([^"]*)"', client.get("/").text))
    dialled = set(re.findall(r'href="tel:([^"]*)"', client.get(f"/facilities/{program_id}").text))
    # The stored list is what the page shows: the old intake_phone is not added beside it.
    assert dialled - help_lines == {"6175550100", "6175550101,22", "8005550102"}
