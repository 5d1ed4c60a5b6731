"""A parent's journey on a 390-pixel phone in a real browser (Debian's Chromium), with
JavaScript off and on: type the place, choose Medicaid, Search, and the first card's Call
button dials a program that takes Medicaid (issue 12)."""

import pytest
from browsing import fits_the_screen, needs_chromium, open_page, served

from finder.importer.demo import load_demo_if_empty
from finder.views import tel_filter

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with served(tmp_path_factory.mktemp("results-browser"), load_demo_if_empty) as base:
        yield base


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
def test_a_parent_reaches_a_call_button_that_takes_medicaid_in_three_actions(
    site, browser, javascript
):
    page = open_page(browser, site, 390, 800, javascript=javascript)
    page.goto(site + "/")
    # The search box is near the top of the phone's screen, under the safety banner.
    assert page.get_by_label("ZIP code or town").bounding_box()["y"] < 400
    page.get_by_label("ZIP code or town").fill("02139")
    page.get_by_role("radio", name="Medicaid").check()  # 1
    page.get_by_role("button", name="Search").click()  # 2
    page.wait_for_load_state()  # its stylesheet applied before the button is measured
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
    page = open_page(browser, site, 360, 800, javascript=javascript)
    results = "/search?near=02139&payment=medicaid,sliding_fee&coverage=medicaid&telehealth=true"
    for path in ["/", results]:
        page.goto(site + path)
        assert fits_the_screen(page), path
    page.get_by_text("Filters (3)").click()  # opened on a phone, every filter fits too
    assert page.get_by_role("checkbox", name="Outpatient", exact=True).is_visible()
    assert fits_the_screen(page)
    page.context.close()


def test_the_filters_sit_beside_the_list_on_a_wide_screen(site, browser):
    page = open_page(browser, site, 1280, 800, javascript=False)
    page.goto(site + "/search?near=02139&payment=medicaid&coverage=medicaid")
    filters = page.get_by_role("checkbox", name="Outpatient", exact=True)
    assert filters.is_visible()  # shown without opening the Filters control
    panel = page.locator("aside.results-filters").bounding_box()
    first = page.locator("li.result").first.bounding_box()
    assert panel["x"] + panel["width"] <= first["x"] and panel["y"] <= first["y"]
    assert fits_the_screen(page, 1280)
    page.context.close()
