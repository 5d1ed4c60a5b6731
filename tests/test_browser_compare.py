"""Compare, the call list and the guide in a real browser (Debian's Chromium) on a 360 px phone."""

import pytest
from browsing import fits_the_screen, needs_chromium, served
from browsing import open_page as phone
from sqlalchemy import select

from finder.db import db
from finder.importer.demo import load_demo_if_empty
from finder.models import Program

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The demo directory served on a thread; yields (base URL, five program ids)."""
    ids = []

    def prepare():
        load_demo_if_empty()
        # The longest names: the widest columns a comparison can get.
        names = select(Program.id).where(Program.substance_use).order_by(Program.name.desc())
        ids.extend(db.session.scalars(names.limit(5)))

    with served(tmp_path_factory.mktemp("browser-compare"), prepare) as base:
        yield base, ids


def query(ids, **params) -> str:
    return "&".join([f"compare={i}" for i in ids] + [f"{k}={v}" for k, v in params.items()])


def test_five_programs_compare_on_a_phone_without_widening_the_page(site, browser):
    base, ids = site
    page = phone(browser, base)
    page.goto(f"{base}/compare?{query(ids, near='02139', coverage='medicaid')}")
    assert page.locator("table.compare thead th").count() == 5
    assert fits_the_screen(page)
    box = page.locator(".compare-wrap")
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")  # the table scrolls in its box
    page.locator("a.remove").first.click()
    page.wait_for_load_state()  # the stylesheet too, before measuring
    assert page.locator("table.compare thead th").count() == 4
    assert ids[0] not in page.url and fits_the_screen(page)
    assert page.blocked == []


def test_the_call_list_fits_a_phone_and_prints_with_the_helpline(site, browser):
    base, ids = site
    page = phone(browser, base)
    page.goto(f"{base}/compare/calls?{query(ids, coverage='private_insurance')}")
    assert page.locator("section.call-program").count() == 5
    assert fits_the_screen(page)
    assert not page.locator("[data-print]").is_visible()  # no script, no button
    page.emulate_media(media="print")
    assert page.locator("aside.safety").is_visible()
    assert page.get_by_role("link", name="1-800-662-4357").first.is_visible()
    assert page.locator(".call-help").is_visible()
    assert not page.locator("header.site nav[aria-label='Main']").is_visible()
    assert fits_the_screen(page)
    assert page.blocked == []


def test_the_print_button_appears_when_scripts_run(site, browser):
    base, ids = site
    page = phone(browser, base, javascript=True)
    page.goto(f"{base}/compare/calls?{query(ids[:2])}")
    assert page.get_by_role("button", name="Print this list").is_visible()


def test_the_guide_fits_a_phone_and_leads_into_search(site, browser):
    base, _ = site
    page = phone(browser, base)
    page.goto(f"{base}/")
    page.get_by_role("link", name="Guide").click()
    page.wait_for_load_state()  # the stylesheet too, before measuring
    assert page.locator("#signs").is_visible() and fits_the_screen(page)
    page.get_by_role("link", name="Find a program that offers medication").click()
    assert page.get_by_label("Methadone").is_checked()
    assert page.blocked == []
