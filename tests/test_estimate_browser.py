"""The estimate in a real browser (Debian's Chromium) on a 360-pixel phone: the form, the answer
and the form again from "Change answers", each without sideways scrolling or serious axe-core
problems, with chart labels a person can read."""

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

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with served(tmp_path_factory.mktemp("estimate-browser")) as base:
        yield base


def smallest_chart_label_px(page) -> float:
    """The height in CSS pixels of the chart's smallest label as drawn (the SVG is scaled)."""
    return page.evaluate(
        """() => {
          const svg = document.querySelector('figure.chart svg');
          const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
          return Math.min(...[...svg.querySelectorAll('text.bar-label')].map(
            t => parseFloat(getComputedStyle(t).fontSize) * scale));
        }"""
    )


def fill_the_form(page):
    page.get_by_label("Kind of program").select_option("inpatient")
    page.get_by_label("Start date").fill("2025-11-15")
    page.get_by_label("A price you were quoted", exact=False).fill("600")
    page.get_by_label("Private insurance or a Marketplace plan").check()
    page.get_by_label("Deductible ($ per plan year)").fill("5000")
    page.get_by_label("Coinsurance", exact=False).fill("20%")
    page.get_by_label("Out-of-pocket maximum ($ per plan year)").fill("9200")
    page.get_by_label("People in your household").fill("3")
    page.get_by_label("Household income per year ($)").fill("40000")
    page.get_by_label("State you live in").select_option("MA")


def press(page, button: str):
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()


@pytest.mark.parametrize("javascript", [False, True], ids=["javascript off", "javascript on"])
def test_the_estimate_answer_reads_on_a_phone(site, browser, javascript):
    page = open_page(browser, site, javascript=True)
    if not javascript:
        without_our_scripts(page)
    page.goto(site + "/estimate")
    assert fits_the_screen(page) and axe_problems(page) == []
    fill_the_form(page)
    press(page, "Estimate")

    assert page.locator("h1").inner_text() == "You would pay about $18,360"
    assert "reset on January 1" in page.locator(".over-maximum").inner_text()
    assert fits_the_screen(page), page.evaluate("document.documentElement.scrollWidth")
    assert smallest_chart_label_px(page) >= 12
    assert axe_problems(page) == []
    assert "40000" not in page.url and "9200" not in page.url
    screenshot(page, f"estimate-answer-js-{'on' if javascript else 'off'}")

    press(page, "Change answers")
    assert page.url == site + "/estimate/change"
    assert page.get_by_label("Household income per year ($)").input_value() == "40000"
    assert page.get_by_label("Coinsurance", exact=False).input_value() == "20%"
    assert page.get_by_label("Start date").input_value() == "2025-11-15"
    assert page.get_by_label("Kind of program").input_value() == "inpatient"
    assert fits_the_screen(page) and axe_problems(page) == []
    page.get_by_label("Out-of-pocket maximum ($ per plan year)").fill("10000")
    press(page, "Estimate")
    assert page.locator("h1").inner_text().startswith("You would pay about $")
    assert page.blocked == []


@pytest.mark.parametrize("size", [(390, 844), (1280, 800)])
def test_screenshots_of_the_answer(site, browser, size):
    page = open_page(browser, site, width=size[0], height=size[1], javascript=True)
    page.goto(site + "/estimate")
    fill_the_form(page)
    press(page, "Estimate")
    assert fits_the_screen(page, size[0]) and smallest_chart_label_px(page) >= 12
    screenshot(page, "estimate-answer")
