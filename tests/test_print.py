"""Printing and the results map in a real browser (Debian's Chromium): what lands on paper from
the list to print or share and from a program's page, and the map on a 360-pixel phone."""

import shutil
import subprocess

import pytest
from browsing import needs_chromium, open_page, served
from geopy.distance import great_circle

from finder.db import db
from finder.models import Program, ProgramPhone

pytestmark = needs_chromium
PDFTOTEXT = shutil.which("pdftotext")
CAMBRIDGE = (42.3647, -71.1042)
HELPLINE = "1-800-662-4357"
LIST = "/search/list?near=02139&radius=10&payment=medicaid&coverage=medicaid"


def program(id, name, miles, bearing, street, phones=(), **fields):
    point = great_circle(miles=miles).destination(CAMBRIDGE, bearing)
    made = Program(
        id=id, name=name, street=street, city="Cambridge", state="MA", zip="02139",
        latitude=point.latitude, longitude=point.longitude, source="finder", **fields,
    )  # fmt: skip
    made.set_tokens("care", ["outpatient"])
    made.set_tokens("payment", ["medicaid"])
    made.phones = [
        ProgramPhone(position=i, kind=kind, number=number, label=label)
        for i, (kind, number, label) in enumerate(phones)
    ]
    return made


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    def prepare():
        db.session.add_all(
            [
                program(
                    "harbor-light", "Harbor Light Recovery", 1.0, 0, "1 Main St",
                    phones=[("main", "617-555-0123", ""),
                            ("intake", "617-555-0124 x12", "Intake for adolescents"),
                            ("hotline", "1-800-555-0125", "Night line")],
                ),
                program(
                    "riverbend", "Riverbend Clinic", 2.0, 90, "22 River Rd",
                    phone="617-555-0200", intake_phone="617-555-0201",
                ),
            ]
        )  # fmt: skip
        db.session.commit()

    with served(tmp_path_factory.mktemp("print"), prepare) as base:
        yield base


@pytest.fixture
def open_phone(browser, site):
    """Opens a path on a 360-pixel phone (JavaScript off unless asked); `page.blocked` lists
    any request to another site."""
    pages = []

    def open_(path, javascript=False):
        page = open_page(browser, site, javascript=javascript)
        pages.append(page)
        page.goto(site + path)
        return page

    yield open_
    for page in pages:
        page.context.close()


def printed_text(page, tmp_path) -> str | None:
    """The words of the page printed to PDF (None where poppler's pdftotext is missing)."""
    pdf = tmp_path / "printed.pdf"
    page.pdf(path=str(pdf), format="Letter")
    if PDFTOTEXT is None:
        return None
    return subprocess.run(
        [PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def on_paper(page, text: str) -> bool:
    """Whether text is shown when the page is laid out for print."""
    page.emulate_media(media="print")
    return page.get_by_text(text, exact=False).first.is_visible()


LISTED = [
    HELPLINE, "988", "1 Main St", "22 River Rd", "Cambridge, MA 02139",
    "617-555-0123", "617-555-0124 x12", "Intake for adolescents", "Night line",
    "1-800-555-0125", "617-555-0200", "617-555-0201",
]  # fmt: skip


def test_the_printed_list_keeps_the_helpline_addresses_and_every_phone(open_phone, tmp_path):
    page = open_phone(LIST)
    printed = printed_text(page, tmp_path)
    if printed is not None:
        for words in [*LISTED, "Payment accepted: Medicaid", "Takes Medicaid", "1. Harbor"]:
            assert words in printed, words
    for words in LISTED:
        assert on_paper(page, words), words
    # The banner prints as black text on white, phone links as plain black text.
    banner = page.locator("aside.safety")
    assert banner.evaluate("e => getComputedStyle(e).color") == "rgb(0, 0, 0)"
    assert banner.evaluate("e => getComputedStyle(e).backgroundColor") in (
        "rgba(0, 0, 0, 0)",
        "rgb(255, 255, 255)",
    )
    phone = page.get_by_role("link", name="617-555-0123")
    assert phone.evaluate("e => getComputedStyle(e).color") == "rgb(0, 0, 0)"
    assert not page.locator("header.site nav[aria-label='Main']").is_visible()
    assert page.locator("figure.result-map svg").is_visible()
    assert page.blocked == []


def test_a_program_page_prints_its_helpline_address_and_phones(open_phone, tmp_path):
    page = open_phone("/facilities/harbor-light")
    printed = printed_text(page, tmp_path)
    words = [HELPLINE, "1 Main St", "Cambridge, MA 02139", "617-555-0123", "Night line"]
    if printed is not None:
        for w in words:
            assert w in printed, w
        assert "Open in your map app" not in printed
    for w in words:
        assert on_paper(page, w), w
    assert not page.get_by_text("Open in your map app").is_visible()


def test_the_results_page_prints_the_map_and_no_search_form(open_phone, tmp_path):
    page = open_phone("/search?near=02139&radius=10")
    printed = printed_text(page, tmp_path)
    if printed is not None:
        assert HELPLINE in printed and "Change the search" not in printed
    page.emulate_media(media="print")
    assert page.locator("figure.result-map svg").is_visible()
    assert not page.locator("form.search").is_visible()
    assert all(not h.is_visible() for h in page.locator("h2.again").all())
    assert not page.get_by_text("Print or share this list").is_visible()


def test_the_map_is_readable_on_a_phone_and_numbered_like_the_list(open_phone):
    page = open_phone("/search?near=02139&radius=10")
    svg = page.locator("figure.result-map svg")
    width = svg.bounding_box()["width"]
    view_width = float(svg.get_attribute("viewBox").split()[2])
    # Numbers are drawn 13 units high: at least 12 pixels at this width.
    assert 13 * width / view_width >= 12
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    numbers = svg.locator("g.map-marker text").all_text_contents()
    assert sorted(numbers, key=int) == ["1", "2"]
    names = page.locator("li.result h2").all_inner_texts()
    described = page.locator("#map-text li").all_inner_texts()
    assert [d.split(", ")[0] for d in described] == [f"{i}: {n}" for i, n in enumerate(names, 1)]
    assert page.blocked == []


def test_the_print_button_needs_javascript(open_phone):
    without = open_phone(LIST)
    assert not without.get_by_role("button", name="Print this list").is_visible()
    with_js = open_phone(LIST, javascript=True)
    with_js.evaluate("window.print = () => { window.printed = true; }")
    button = with_js.get_by_role("button", name="Print this list")
    assert button.is_visible()
    button.click()
    assert with_js.evaluate("window.printed") is True
