"""The pages in a real browser (Debian's Chromium) on a 360-pixel phone, JavaScript off."""

import pytest
from browsing import fits_the_screen, needs_chromium, open_page, served

from finder.db import db
from finder.importer.demo import load_demo_if_empty
from finder.models import Program, ProgramPhone

LONG = "Intake for adolescents and young adults, weekdays after the second school bell"

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    def prepare():
        load_demo_if_empty()
        program = Program(
            id="long-phone-labels",
            name="Supercalifragilisticexpialidocious Comprehensive Treatment Services (North)",
            city="Cambridge", state="MA", zip="02139", latitude=42.3647, longitude=-71.1042,
            phone="617-555-0100", source="finder", telehealth=True,
        )  # fmt: skip
        program.set_tokens("mh_care", ["hospital_inpatient", "partial_hospitalization"])
        program.phones = [
            ProgramPhone(position=0, kind="main", number="617-555-0100", label=""),
            ProgramPhone(position=1, kind="intake", number="617-555-0101 x12345", label=LONG),
            ProgramPhone(position=2, kind="hotline", number="1-800-555-0102", label="A" * 60),
        ]
        db.session.add(program)
        db.session.commit()

    with served(tmp_path_factory.mktemp("browser"), prepare) as base:
        yield base


@pytest.fixture(scope="module")
def phone(site, browser):
    """One page on a 360-pixel phone, JavaScript off, for the module's journeys."""
    return open_page(browser, site)


def test_a_family_searches_on_a_phone_and_reaches_a_program(site, phone):
    phone.goto(site + "/")
    assert fits_the_screen(phone)
    assert phone.get_by_role("link", name="1-800-662-4357").is_visible()
    phone.get_by_label("ZIP code or town").fill("02139")
    phone.get_by_label("Within").select_option("10")
    phone.get_by_text("What you need:").click()
    phone.get_by_role("checkbox", name="Medicaid").check()
    phone.get_by_role("checkbox", name="Sliding fee scale").check()
    phone.get_by_role("button", name="Search").click()
    assert "within 10 miles of 02139" in phone.locator("h1").inner_text()
    assert "medicaid" in phone.url and "sliding_fee" in phone.url
    assert fits_the_screen(phone)
    phone.locator("li.result h2 a").first.click()
    assert phone.get_by_text("Before you go").is_visible() and fits_the_screen(phone)
    assert phone.blocked == []


def test_an_estimate_on_a_phone_shows_its_chart(site, phone):
    phone.goto(site + "/estimate")
    phone.get_by_label("Kind of program").select_option("inpatient")
    phone.get_by_label("A price you were quoted", exact=False).fill("600")
    phone.get_by_label("Private insurance or a Marketplace plan").check()
    phone.get_by_label("Deductible ($ per plan year)").fill("5000")
    phone.get_by_label("Coinsurance", exact=False).fill("20")
    phone.get_by_label("Out-of-pocket maximum ($ per plan year)").fill("9200")
    phone.get_by_role("button", name="Estimate").click()
    assert phone.locator("h1").inner_text().startswith("You would pay about $")
    assert phone.locator("svg rect.bar-you").count() >= 3
    assert fits_the_screen(phone)
    assert "income" not in phone.url


def test_long_phone_labels_fit_a_phone_screen(site, phone):
    phone.goto(site + "/facilities/long-phone-labels")
    assert phone.get_by_text(LONG).is_visible()
    assert phone.get_by_role("link", name="617-555-0101 x12345").get_attribute("href") == (
        "tel:6175550101,12345"
    )
    assert phone.get_by_text("Offers telehealth therapy").is_visible()
    assert fits_the_screen(phone)
    phone.goto(site + "/search?near=02139&radius=1&telehealth=true")
    assert phone.locator("li.result").get_by_text("Offers telehealth therapy").first.is_visible()
    assert fits_the_screen(phone)
