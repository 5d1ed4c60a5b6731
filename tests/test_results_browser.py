"""A parent's journey on a 390-pixel phone in a real browser (Debian's Chromium), with
JavaScript off and on: type the place, choose Medicaid, Search, and the first card's Call
button dials a program that takes Medicaid (issue 12)."""

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from finder import create_app, schema
from finder.db import db
from finder.importer.demo import load_demo_if_empty
from finder.views import tel_filter

playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None and os.environ.get("FINDER_REQUIRE_BROWSER") != "1",
    reason="no Chromium on this machine (apt-get install chromium)",
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("results-browser")
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'finder.sqlite'}",
            "SECRET_KEY_FILE": str(folder / "secret_key"),
        }
    )
    with app.app_context():
        schema.upgrade()
        load_demo_if_empty()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


def open_page(browser, site, width, javascript):
    context = browser.new_context(
        viewport={"width": width, "height": 800}, java_script_enabled=javascript
    )
    page = context.new_page()
    page.blocked = []
    page.on("request", lambda r: None if r.url.startswith(site) else page.blocked.append(r.url))
    return page


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
def test_a_parent_reaches_a_call_button_that_takes_medicaid_in_three_actions(
    site, browser, javascript
):
    page = open_page(browser, site, 390, javascript)
    page.goto(site + "/")
    # The search box is near the top of the phone's screen, under the safety banner.
    assert page.get_by_label("ZIP code or town").bounding_box()["y"] < 400
    page.get_by_label("ZIP code or town").fill("02139")
    page.get_by_role("radio", name="Medicaid").check()  # 1
    page.get_by_role("button", name="Search").click()  # 2
    assert "payment=medicaid" in page.url and "coverage=medicaid" in page.url
    card = page.locator("li.result").first
    call = card.locator("a.call")  # 3: the first card's Call button
    assert call.is_visible() and call.bounding_box()["height"] >= 44
    program_id = card.locator("h2 a").get_attribute("href").rsplit("/", 1)[1]
    listed = page.request.get(f"{site}/api/facilities/{program_id}").json()
    assert call.get_attribute("href") == "tel:" + tel_filter(
        listed["phone"] or listed["intake_phone"]
    )
    assert "medicaid" in listed["payments"]
    assert "Takes Medicaid" in card.inner_text()
    assert (
        card.locator("a.directions")
        .get_attribute("href")
        .startswith("https://www.google.com/maps/dir/?api=1&destination=")
    )
    # Nothing is fetched from another site: the directions open only when tapped.
    assert page.blocked == []
    page.context.close()


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
def test_home_and_results_fit_a_360_pixel_phone(site, browser, javascript):
    page = open_page(browser, site, 360, javascript)
    results = "/search?near=02139&payment=medicaid,sliding_fee&coverage=medicaid&telehealth=true"
    for path in ["/", results]:
        page.goto(site + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
    page.get_by_text("Filters (3)").click()  # opened on a phone, every filter fits too
    assert page.get_by_role("checkbox", name="Outpatient", exact=True).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.context.close()


def test_the_filters_sit_beside_the_list_on_a_wide_screen(site, browser):
    page = open_page(browser, site, 1280, False)
    page.goto(site + "/search?near=02139&payment=medicaid&coverage=medicaid")
    filters = page.get_by_role("checkbox", name="Outpatient", exact=True)
    assert filters.is_visible()  # shown without opening the Filters control
    panel = page.locator("aside.results-filters").bounding_box()
    first = page.locator("li.result").first.bounding_box()
    assert panel["x"] + panel["width"] <= first["x"] and panel["y"] <= first["y"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.context.close()
