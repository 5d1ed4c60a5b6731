"""Every page and state of finder in Chromium on a 360-pixel phone, JavaScript on and off: no
serious or critical axe-core violation, nothing scrolls sideways, no request to another site,
call links a thumb can hit (44 px), a focus ring a keyboard user can see; and screenshots of
each page at 390x844 and 1280x800 for people to look at (screenshots/, ignored by git)."""

import datetime as dt
from pathlib import Path

import pytest
from browsing import (
    axe_problems,
    fits_the_screen,
    needs_chromium,
    open_page,
    screenshot,
    served,
    without_our_scripts,
)
from test_admin import make_admin

from finder.db import db
from finder.importer import import_file, jobs
from finder.importer.demo import load_demo_if_empty
from finder.models import ImportJob, Program, ProgramPhone, Report

pytestmark = needs_chromium

PREVIEW_CSV = Path(__file__).parent / "fixtures" / "import" / "preview_phone.csv"
LONG_NAME = "Supercalifragilisticexpialidocious Comprehensive Treatment Services (North)"
LONG_URL = "https://www.example.org/programs/adolescent-and-family-recovery/" + "intake-" * 12
EMAIL = "family-support-coordinator.northeast-region@example-treatment-directory.org"
PASSWORD = "correct horse battery staple"
IDS = "compare=demo-0001&compare=demo-0002&compare=long-phone-labels"
PLAN = "coverage=private_insurance&deductible=1000&coinsurance=20&oop_max=5000"

# name -> path of the public pages (GET), in the order a family meets them.
PUBLIC = {
    "home": "/",
    "results": "/search?near=02139",
    "results-filters": "/search?near=02139&care=outpatient&payment=medicaid&coverage=medicaid",
    "results-cost": f"/search?near=02139&{PLAN}&sort=cost",
    "results-place-error": "/search?near=Cambridge",
    "results-bad-number": "/search?near=02139&deductible=sNaN&coinsurance=20&oop_max=5000",
    "list": "/search/list?near=02139&payment=medicaid",
    "program": "/facilities/demo-0001",
    "program-long": "/facilities/long-phone-labels",
    "compare": f"/compare?{IDS}&near=02139&coverage=medicaid",
    "calls": f"/compare/calls?{IDS}",
    "guide": "/guide",
    "report": "/facilities/long-phone-labels/report",
    "report-thanks": "/facilities/long-phone-labels/report/thanks",
    "not-found": "/facilities/no-such-program",
    "bad-request": "/guide?topic=%00",
    "admin-login": "/admin/login",
}
# The admin's pages, logged in; "preview" is the answer to an upload.
ADMIN = {
    "admin-dashboard": "/admin/",
    "admin-imports": "/admin/imports",
    "admin-import": "/admin/imports/1",
    "admin-upload": "/admin/import",
    "admin-preview": None,
    "admin-job": "/admin/import/jobs/1",
    "admin-reports": "/admin/reports",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with served(tmp_path_factory.mktemp("pages"), prepare_directory) as base:
        yield base


def prepare_directory():
    from flask import current_app

    load_demo_if_empty()
    program = Program(
        id="long-phone-labels", name=LONG_NAME, city="Cambridge", state="MA", zip="02139",
        latitude=42.3647, longitude=-71.1042, phone="617-555-0100", source="finder",
        telehealth=True, website=LONG_URL,
    )  # fmt: skip
    program.phones = [
        ProgramPhone(position=0, kind="main", number="617-555-0100", label=""),
        ProgramPhone(position=1, kind="intake", number="617-555-0101 x12345", label="A" * 60),
    ]
    db.session.add(program)
    db.session.add(Report(program_id="long-phone-labels", kind="other", comment="W" * 300))
    db.session.commit()
    make_admin(current_app._get_current_object(), EMAIL, PASSWORD)
    import_file(PREVIEW_CSV, actor=EMAIL, skip_invalid=True, verified_on=dt.date(2026, 1, 5))
    job = jobs.enqueue("preview", "0" * 64, EMAIL, filename="directory.csv")
    db.session.get(ImportJob, job.id).state = "failed"
    db.session.get(ImportJob, job.id).error = "The kept upload " + "0" * 64 + " is gone."
    db.session.commit()


def phone_page(browser, site, javascript: bool):
    page = open_page(browser, site, javascript=True)
    return page if javascript else without_our_scripts(page)


@pytest.fixture(scope="module")
def phones(browser, site):
    """A visitor's 360-pixel phone, JavaScript on and off."""
    return {js: phone_page(browser, site, js) for js in (True, False)}


@pytest.fixture(scope="module")
def admin_phones(browser, site):
    """The admin's phone, logged in, JavaScript on and off."""
    return {js: log_in(phone_page(browser, site, js), site) for js in (True, False)}


def log_in(page, site: str):
    page.goto(site + "/admin/login")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    assert page.url.rstrip("/").endswith("/admin")
    return page


def visit(page, site: str, name: str) -> None:
    if name == "admin-preview":
        page.goto(site + "/admin/import")
        page.get_by_label("CSV file").set_input_files(PREVIEW_CSV)
        page.get_by_role("button", name="Upload").click()
        assert page.locator("h1").inner_text() == "Preview: preview_phone.csv"
    else:
        page.goto(site + {**PUBLIC, **ADMIN}[name])


# The visible tel: links (on the banner, cards, program pages, lists) less than 44 px tall or
# wide, with their sizes: one round trip for the page.
SMALL_CALL_LINKS = """() => [...document.querySelectorAll("a[href^='tel:']")]
  .map(a => [a.textContent.trim(), a.getBoundingClientRect()])
  .filter(([, box]) => box.width && box.height && (box.width < 44 || box.height < 44))
  .map(([text, box]) => `${text}: ${Math.round(box.width)}x${Math.round(box.height)}`)"""


def small_call_links(page) -> list[str]:
    return page.evaluate(SMALL_CALL_LINKS)


def check(page) -> None:
    assert axe_problems(page) == []
    assert fits_the_screen(page, 360), page.evaluate("document.documentElement.scrollWidth")
    assert small_call_links(page) == []
    assert page.blocked == []


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("name", PUBLIC)
def test_public_pages_pass_on_a_phone(site, phones, name, javascript):
    page = phones[javascript]
    visit(page, site, name)
    check(page)


@pytest.mark.parametrize("name", [name for name in PUBLIC if not name.startswith("admin")])
def test_public_pages_pass_on_a_phone_in_spanish(site, phones, name):
    # Spanish runs about a fifth longer than English: the same checks, with lang=es.
    page = phones[True]
    path = PUBLIC[name]
    page.goto(site + path + ("&" if "?" in path else "?") + "lang=es")
    assert page.locator("html").get_attribute("lang") == "es"
    check(page)
    screenshot(page, f"{name}-es")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("name", ADMIN)
def test_admin_pages_pass_on_a_phone(site, admin_phones, name, javascript):
    page = admin_phones[javascript]
    visit(page, site, name)
    check(page)


FOCUSED = """() => {
  const e = document.activeElement, s = getComputedStyle(e);
  return {kind: e.tagName.toLowerCase() + (e.type ? `[${e.type}]` : ""),
          closed: e.tagName === "SUMMARY" && !e.parentElement.open,
          banner: !!e.closest(".safety"),
          ring: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`};
}"""
DARK_RING, WHITE_RING = "solid 3px rgb(26, 26, 26)", "solid 3px rgb(255, 255, 255)"


def tab_through(page) -> dict[str, str]:
    """Tab from the top of the page to its end, opening each folded group with Enter: the
    ring of each kind of control focused. Each ring is the 3-pixel one, white on the banner."""
    rings = {}
    for _ in range(200):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["kind"] == "body":  # past the last control
            return rings
        assert focused["ring"] == (WHITE_RING if focused["banner"] else DARK_RING), focused
        rings[focused["kind"]] = focused["ring"]
        if focused["closed"]:
            page.keyboard.press("Enter")
    return rings


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_keyboard_focus_ring_shows_on_every_kind_of_control(site, phones, javascript):
    page = phones[javascript]
    visit(page, site, "home")
    rings = tab_through(page)
    visit(page, site, "results-filters")
    rings |= tab_through(page)
    kinds = {"a", "button[submit]", "input[text]", "input[checkbox]", "input[radio]", "summary"}
    assert kinds - set(rings) == set()
    assert {"select[select-one]", "a"} <= set(rings)


def test_the_demo_notice_is_in_the_header_and_money_brings_up_a_decimal_keypad(site, phones):
    page = phones[False]
    visit(page, site, "home")
    assert page.get_by_role("banner").get_by_role("note", name="Demo data").is_visible()
    for label in ("Deductible", "Coinsurance", "Out-of-pocket maximum", "Household income"):
        assert page.get_by_label(label, exact=False).get_attribute("inputmode") == "decimal"
    assert page.get_by_label("People in your household").get_attribute("inputmode") == "numeric"
    assert page.get_by_label("ZIP code or town").get_attribute("inputmode") is None  # or a town


def test_the_favicon_is_ours_cached_and_sets_no_cookie(site, phones):
    page = phones[True]
    page.goto(site + "/")
    assert page.locator("link[rel=icon]").get_attribute("href") == "/favicon.ico"
    response = page.goto(site + "/favicon.ico")
    assert response.status == 200 and response.headers["content-type"] == "image/vnd.microsoft.icon"
    assert response.body()[:4] == b"\0\0\1\0" and len(response.body()) < 10_000
    assert "set-cookie" not in response.headers and response.headers["etag"]
    assert "no-store" not in response.headers["cache-control"]
    assert page.context.cookies() == []


@pytest.mark.parametrize("javascript, which", [(True, 0), (False, -1)], ids=["top", "bottom"])
def test_the_preview_applies_from_its_top_or_its_bottom(site, admin_phones, javascript, which):
    page = admin_phones[javascript]
    visit(page, site, "admin-preview")
    apply = page.get_by_role("button", name="Apply this import")
    assert apply.count() == 2
    errors = page.get_by_role("region", name="Errors", exact=True)
    assert apply.first.bounding_box()["y"] < errors.bounding_box()["y"]
    assert apply.last.bounding_box()["y"] > errors.bounding_box()["y"]
    page.get_by_label("Skip the invalid rows", exact=False).check()
    apply.nth(which).click()
    assert page.url.endswith("/admin/imports")
    assert "Imported preview_phone.csv" in page.get_by_role("status").first.inner_text()


@pytest.mark.parametrize("width, height", [(390, 844), (1280, 800)])
def test_screenshots_of_every_page(site, browser, width, height):
    """Every page as people see it, for them to look at (screenshots/<page>-<size>.png)."""
    page = open_page(browser, site, width, height, javascript=True)
    names = [*PUBLIC, "estimate-form", "estimate-result", *ADMIN]
    for name in names:
        if name == "admin-dashboard":
            log_in(page, site)
        if name == "estimate-form":
            page.goto(site + "/estimate")
        elif name == "estimate-result":
            page.get_by_role("button", name="Estimate").click()
        else:
            visit(page, site, name)
        assert screenshot(page, name).stat().st_size > 0
        assert fits_the_screen(page, width), name
    assert page.blocked == []
