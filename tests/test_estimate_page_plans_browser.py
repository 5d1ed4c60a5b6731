"""The estimate's plan fields and answers in a real browser (Debian's Chromium) on a phone:
the fields show with the coverage they belong to, the answer says first when the program does
not take the plan, days at risk have their line; each fits 360 px and passes axe."""

import datetime as dt
from urllib.parse import urlsplit

import pytest
from browsing import axe_problems, fits_the_screen, needs_chromium, open_page, screenshot, served

from finder.db import db
from finder.models import Program, ProgramRate

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A finder with one program, which takes cash only and publishes $200 a week."""

    def prepare():
        cash_only = Program(
            id="cash-only", name="Cash Only Counseling", city="Cambridge", state="MA",
            zip="02139", latitude=42.3647, longitude=-71.1042, phone="617-555-0100",
            source="finder", substance_use=True, verified_on=dt.date(2026, 10, 1),
        )  # fmt: skip
        cash_only.set_tokens("care", ["outpatient"])
        cash_only.set_tokens("payment", ["cash"])
        cash_only.rates = [ProgramRate(item="outpatient", low_cents=20000, high_cents=20000)]
        db.session.add(cash_only)
        db.session.commit()

    with served(tmp_path_factory.mktemp("estimate-plans"), prepare) as base:
        yield base


def test_the_plan_fields_show_with_the_coverage_they_belong_to_on_a_phone(site, browser):
    page = open_page(browser, site, javascript=True)
    page.goto(site + "/estimate")
    visit, family, days = (
        page.get_by_label("Copay per visit ($)"),
        page.get_by_label("These are family amounts"),
        page.get_by_label("Days your plan has authorized"),
    )
    met = page.get_by_label("Deductible already met this plan year ($)")
    assert not (visit.is_visible() or family.is_visible() or days.is_visible())  # no insurance
    assert not met.is_visible()
    page.get_by_label("Medicaid").check()
    assert visit.is_visible() and days.is_visible() and not family.is_visible()
    assert not met.is_visible()
    page.get_by_label("Medicare").check()  # its Part B deductible met can be given
    assert met.is_visible() and days.is_visible() and not family.is_visible()
    page.get_by_label("Private insurance or a Marketplace plan").check()
    assert visit.is_visible() and days.is_visible() and family.is_visible() and met.is_visible()
    assert fits_the_screen(page) and axe_problems(page) == []

    page.get_by_label("Kind of program").select_option("iop")
    for label, value in (("Deductible ($ per plan year)", "1500"), ("Coinsurance", "20"),
                         ("Out-of-pocket maximum ($ per plan year)", "6000"),
                         ("Copay per visit ($)", "30"), ("Visits per week", "4"),
                         ("Days your plan has authorized", "30")):  # fmt: skip
        page.get_by_label(label, exact=label != "Coinsurance").fill(value)
    family.check()
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "estimate-plan-form")
    with page.expect_navigation():
        page.get_by_role("button", name="Estimate").click()
    assert page.locator("h1").inner_text().startswith("You would pay about $")
    # 30 of 90 days authorized: the other 60 at risk, in a line of their own.
    assert (
        page.locator("p.at-risk")
        .inner_text()
        .startswith("60 days after the 30 days your plan has authorized are at risk")
    )
    page.set_viewport_size({"width": 360, "height": 740})
    assert fits_the_screen(page) and axe_problems(page) == []
    # The answers never reach the address (its path and query: the server's port may hold "30").
    address = urlsplit(page.url)
    assert "6000" not in address.path + address.query and "30" not in address.path + address.query
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "estimate-plan-answer")
    with page.expect_navigation():
        page.get_by_role("button", name="Change answers").click()
    assert page.get_by_label("Visits per week").input_value() == "4"
    assert family.is_checked() and days.input_value() == "30"
    assert page.blocked == []


def test_the_answer_at_a_program_that_does_not_take_the_plan_says_so_above_the_figure(
    site, browser
):
    page = open_page(browser, site, javascript=True)
    page.goto(site + "/estimate?facility=cash-only")
    page.get_by_label("Private insurance or a Marketplace plan").check()
    page.get_by_label("Deductible ($ per plan year)").fill("1000")
    page.get_by_label("Coinsurance", exact=False).fill("20")
    page.get_by_label("Out-of-pocket maximum ($ per plan year)").fill("6000")
    with page.expect_navigation():
        page.get_by_role("button", name="Estimate").click()
    note, figure = page.locator("p.coverage-note"), page.locator("h1")
    assert note.inner_text().startswith("The program does not list private health insurance")
    # 13 weekly charges of $200, all yours.
    assert figure.inner_text() == "You would pay about $2,600"
    assert note.bounding_box()["y"] < figure.bounding_box()["y"]
    assert fits_the_screen(page) and axe_problems(page) == []
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "estimate-plan-not-listed")
    assert page.blocked == []


def test_tricare_and_medicare_show_their_own_fields_on_a_phone(site, browser):
    page = open_page(browser, site, javascript=True)
    page.goto(site + "/estimate")
    group = page.get_by_role("radio", name="An active-duty service member")
    network = page.get_by_role("radio", name="No, out of network")
    reserve = page.get_by_label("Lifetime reserve days you have already used")
    psychiatric = page.get_by_label("The stay is in a psychiatric hospital")
    pharmacy = page.get_by_label("Pharmacy copay per 30-day fill of buprenorphine ($)")
    deductible = page.get_by_label("Deductible ($ per plan year)")
    assert not any(f.is_visible() for f in (group, network, reserve, psychiatric, pharmacy))
    page.get_by_label("TRICARE", exact=True).check()
    assert group.is_visible() and network.is_visible() and pharmacy.is_visible()
    assert not (reserve.is_visible() or deductible.is_visible())
    assert fits_the_screen(page) and axe_problems(page) == []
    page.get_by_label("Original Medicare").check()
    assert reserve.is_visible() and psychiatric.is_visible() and pharmacy.is_visible()
    assert not (group.is_visible() or network.is_visible() or deductible.is_visible())
    assert fits_the_screen(page) and axe_problems(page) == []
    screenshot(page, "estimate-form-medicare-days")
