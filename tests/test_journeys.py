"""Five journeys through finder in a real browser (Debian's Chromium), each with JavaScript on
and off: a parent finding a program, someone insured comparing costs, an estimate form with a
mistake corrected, a problem reported, an admin's import.

Every page and state a journey reaches is looked at (`Journey.look`): axe-core finds no serious
or critical violation, nothing scrolls sideways at 360 px, the browser asked no other site for
anything, and the page is photographed at 390x844 and 1280x800 into screenshots/ (with
JavaScript off at 390x844 only: a wide screen shows nothing more). Those checks are collected
and asserted at the end of each journey, so that one run lists every problem.

"JavaScript off" is a context with JavaScript on and our own scripts not loaded
(`without_our_scripts`): the page is what a browser without JavaScript shows (the CSP allows
no inline script, so our scripts are all static files; no template uses <noscript>), while
axe, which runs in the page, can still look at it. A context with JavaScript disabled would
need every page opened a second time for axe."""

import contextlib
import datetime as dt
import re
from pathlib import Path

import pytest
from browsing import (
    SCREENSHOTS,
    axe_problems,
    fits_the_screen,
    needs_chromium,
    open_page,
    screenshot,
    served,
    without_our_scripts,
)
from flask import current_app
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from finder.db import db
from finder.importer.demo import load_demo_if_empty
from finder.models import Admin, Program, ProgramPhone, ProgramRate, Report

pytestmark = needs_chromium

FIXTURES = Path(__file__).parent / "fixtures" / "journeys"
EMAIL, PASSWORD = "admin@example.org", "correct horse battery staple"
PHONE = {"width": 360, "height": 740}  # the overflow check's width
SHOTS = ({"width": 390, "height": 844}, {"width": 1280, "height": 800})
DOLLARS = r"\$\d[\d,]*(\.\d\d)?"
# axe's serious and critical counts per page and state, written to screenshots/ at the end
# for the before-and-after note.
AXE_COUNTS: dict[str, int] = {}


def nearby(id, name, phone, payments, rates, miles_north):
    """A program in Cambridge, MA, `miles_north` of ZIP 02139's point, with its phone and its
    published prices per week ({level: (low, high)} in cents)."""
    made = Program(
        id=id, name=name, street=f"{id[-1]} Journey Street", city="Cambridge", state="MA",
        zip="02139", latitude=42.3647 + miles_north / 69, longitude=-71.1042, phone=phone,
        source="finder", substance_use=True, verified_on=dt.date(2026, 10, 1),
    )  # fmt: skip
    made.set_tokens("care", ["outpatient", "intensive_outpatient"])
    made.set_tokens("payment", payments)
    made.phones = [ProgramPhone(position=0, kind="main", number=phone, label="")]
    made.rates = [ProgramRate(item=i, low_cents=lo, high_cents=hi) for i, (lo, hi) in rates.items()]
    return made


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The demo directory, three programs near ZIP 02139, and an admin; yields the base URL
    and an engine on the served database, to read what the journeys stored."""
    folder = tmp_path_factory.mktemp("journeys")

    def prepare():
        load_demo_if_empty()
        db.session.add_all(
            [
                nearby("journey-a", "Harbor Light Recovery", "617-555-0123",
                       ["medicaid", "private_insurance"], {"outpatient": (30000, 30000)}, 0.1),
                nearby("journey-b", "Riverbend Clinic", "617-555-0200",
                       ["medicaid", "private_insurance", "cash"],
                       {"outpatient": (15000, 25000)}, 0.3),
                nearby("journey-c", "Elm Street Counseling", "617-555-0300",
                       ["private_insurance"], {"outpatient": (45000, 45000)}, 0.5),
            ]
        )  # fmt: skip
        n = current_app.config["PASSWORD_SCRYPT_N"]
        hashed = generate_password_hash(PASSWORD, method=f"scrypt:{n}:8:1")
        db.session.add(Admin(email=EMAIL, password_hash=hashed))
        db.session.commit()

    with served(folder, prepare) as base:
        engine = create_engine(f"sqlite:///{folder / 'finder.sqlite'}")
        yield base, engine
        engine.dispose()
    SCREENSHOTS.mkdir(exist_ok=True)
    lines = [f"{count}\t{state}" for state, count in sorted(AXE_COUNTS.items())]
    (SCREENSHOTS / "journeys-axe.txt").write_text("\n".join(lines) + "\n")


class Journey:
    """One journey's page, with JavaScript on or off, and the problems its looks found."""

    def __init__(self, page, base: str, mode: str, name: str):
        self.page, self.base, self.mode, self.name = page, base, mode, name
        self.problems: list[str] = []
        self.expected_blocked: list[str] = []
        self.seen: set[str] = set()  # the HTML of each page looked at
        self.step = "start"

    def go(self, path: str):
        self.page.goto(self.base + path)

    def check(self, ok: bool, what: str):
        """A check on what a page shows, collected rather than stopping the journey."""
        if not ok:
            self.problems.append(f"{self.step}: {what}")

    def look(self, step: str):
        """No other site asked, then axe, the width at 360 px and screenshots: this page, this
        state (once: a page the same as one looked at before is the same for them)."""
        page, self.step = self.page, step
        page.wait_for_load_state()  # a click that navigates returns before the new page exists
        others = [url for url in page.blocked if url not in self.expected_blocked]
        self.check(others == [], f"requests to other sites {others}")
        self.check(page.loaded_elsewhere == [], f"loaded from other sites {page.loaded_elsewhere}")
        html = page.content()
        if html in self.seen:  # the same page again (a link to a search already made)
            return
        self.seen.add(html)
        state = f"{self.name}-{step}-{self.mode}"
        page.set_viewport_size(PHONE)
        found = axe_problems(page)
        AXE_COUNTS[state] = len(found)
        self.problems += [f"{step}: axe {problem}" for problem in found]
        if not fits_the_screen(page, PHONE["width"]):
            width = page.evaluate("document.documentElement.scrollWidth")
            self.problems.append(f"{step}: {width} px wide at 360 px")
        # JavaScript off looks the same on a wide screen: photographed on a phone only.
        for size in SHOTS if self.mode == "js-on" else SHOTS[:1]:
            page.set_viewport_size(size)
            screenshot(page, f"journey-{state}")
        page.set_viewport_size(PHONE)

    def done(self):
        assert self.problems == [], "\n".join([f"{self.name} ({self.mode}):", *self.problems])


@pytest.fixture(params=["js-on", "js-off"])
def begin(request, site, browser):
    """Begins a journey (`begin("parent")`) on a 360-pixel phone page whose browser can reach
    no other site: each request elsewhere is aborted (and listed in `page.blocked`);
    `page.loaded_elsewhere` lists any response from elsewhere."""
    base, _ = site
    page = open_page(browser, base, **PHONE, javascript=True)
    page.context.route(
        lambda url: not url.startswith(base + "/"), lambda route: route.abort("blockedbyclient")
    )
    page.loaded_elsewhere = []
    page.on(
        "response",
        lambda r: None if r.url.startswith(base) else page.loaded_elsewhere.append(r.url),
    )
    if request.param == "js-off":
        without_our_scripts(page)
    yield lambda name: Journey(page, base, request.param, name)
    page.context.close()


def text_of(page, selector="main") -> str:
    return page.locator(selector).inner_text()


def search_from_home(j: Journey, place: str, pay: str = "Medicaid"):
    """The home page's search: a place, within 5 miles (a short page: axe reads it faster),
    and how the visitor will pay."""
    j.go("/")
    j.page.get_by_label("ZIP code or town").fill(place)
    j.page.get_by_label("Within").select_option("5")
    j.page.get_by_role("group", name="How will you pay?").get_by_label(pay, exact=True).check()
    j.page.get_by_role("button", name="Search", exact=True).click()


def found_near(j: Journey, place: str, step: str):
    """A results page near `place` with the pay choice kept, looked at."""
    j.look(step)
    assert re.search(rf"\d+ programs? within 5 miles of {place}", text_of(j.page, "h1"))
    assert "coverage=medicaid" in j.page.url and "payment=medicaid" in j.page.url
    assert j.page.locator("li.result").count() > 0


def top(estimate: str) -> int:
    """What a result's estimate sorts by, in cents: its figure, or the top of its range."""
    found = [m.group() for m in re.finditer(DOLLARS, estimate)]
    assert found, estimate
    return round(float(found[-1].lstrip("$").replace(",", "")) * 100)


def test_a_parent_finds_a_program_calls_it_and_prints_the_list(begin, site):
    j = begin("parent")
    page = j.page
    _, engine = site
    j.go("/")
    j.look("home")
    j.check(page.get_by_role("link", name="1-800-662-4357").is_visible(), "helpline shown")

    # The place typed four ways (docs/places.md).
    search_from_home(j, "02139")
    found_near(j, "02139", "results-by-zip")
    search_from_home(j, "Cambridge, MA")
    found_near(j, "Cambridge, MA", "results-by-town")
    search_from_home(j, "cambridge ma")
    found_near(j, "Cambridge, MA", "results-by-town-typed-loosely")

    search_from_home(j, "Cambrige, MA")  # a misspelling: asked, never guessed
    j.look("did-you-mean")
    assert text_of(page, "h1") == "Let's fix the search"
    assert "Did you mean" in text_of(page, "p.error")
    page.locator("p.error").get_by_role("link", name="Cambridge, MA").click()
    found_near(j, "Cambridge, MA", "results-from-did-you-mean")

    search_from_home(j, "Cambridge")  # a town alone in several states: a choice
    j.look("which-cambridge")
    assert "Which one do you mean?" in text_of(page, "p.error")
    page.get_by_role("list", name="Places you may mean").get_by_role(
        "link", name="Cambridge, MA"
    ).click()
    found_near(j, "Cambridge, MA", "results-from-which-cambridge")

    search_from_home(j, "42.37 -71.10")
    found_near(j, "42.3700, -71.1000", "results-by-coordinates")

    # The first result's Call link dials the program's own number; Directions goes to Google
    # Maps only when tapped, telling it nothing of where the visitor came from.
    first = page.locator("li.result").first
    program_id = first.locator("h2 a").get_attribute("href").rsplit("/", 1)[1]
    with Session(engine) as session:
        program = session.get(Program, program_id)
        own_phone, point = program.phone, (program.latitude, program.longitude)
    call = first.locator("a.call")
    href = call.get_attribute("href")
    assert re.sub(r"\D", "", href).removeprefix("1") == re.sub(r"\D", "", own_phone)
    directions = first.get_by_role("link", name=re.compile("^Directions"))
    target = directions.get_attribute("href")
    assert target.startswith("https://www.google.com/maps/dir/?api=1&destination=")
    assert f"{point[0]:.6f}%2C{point[1]:.6f}" in target
    rel = directions.get_attribute("rel").split()
    assert {"noopener", "noreferrer", "external"} <= set(rel)
    assert directions.get_attribute("target") in (None, "_blank")
    results_url = page.url
    with page.expect_request(lambda r: r.url.startswith("https://www.google.com/maps/")) as sent:
        directions.click()
    assert sent.value.url == target and sent.value.is_navigation_request()
    page.wait_for_load_state()
    assert page.blocked == [target] and page.loaded_elsewhere == []  # aborted: nothing came
    j.expected_blocked.append(target)
    # The aborted navigation ends on Chromium's error page, a commit of its own that can come
    # after the load state above and cut off the next navigation: let it come first.
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_url("chrome-error://**", timeout=5000)
    page.goto(results_url)

    # The list to print or share, with the same search.
    # Printing stubbed (before the list's scripts run) to count the calls of its button.
    page.add_init_script(
        "window.print = function () { window.printed = (window.printed || 0) + 1 }"
    )
    page.get_by_role("link", name="Print or share this list").click()
    assert page.url.startswith(j.base + "/search/list?")
    j.look("printable-list")
    assert program.name in text_of(page, "ol.program-list")
    print_button = page.get_by_role("button", name="Print this list")
    if j.mode == "js-on":
        print_button.click()
        assert page.evaluate("window.printed") == 1
    else:  # without its script the button stays hidden: the browser's own Print does it
        assert print_button.is_hidden()
    page.emulate_media(media="print")
    j.check(page.get_by_role("link", name="1-800-662-4357").is_visible(), "helpline on paper")
    j.check(page.get_by_role("link", name="911").is_visible(), "911 on paper")
    j.check(
        page.locator("header.site nav[aria-label='Main']").is_hidden(),
        "the site's menu is not printed",
    )
    j.check(fits_the_screen(page, PHONE["width"]), "the printed list fits 360 px")
    screenshot(page, f"journey-{j.name}-printed-{j.mode}")
    page.emulate_media(media="screen")
    j.done()


def read_estimate_answer(j: Journey):
    """What an answer must say, however it is worded: a dollar headline, a range, what it
    assumes, sources with their years, and that it is not a Good Faith Estimate."""
    page = j.page
    assert re.search(DOLLARS, text_of(page, "h1")), text_of(page, "h1")
    main = text_of(page)
    # A range, or (where every price used is a single figure) the page saying so.
    ranged = re.search(DOLLARS + r"\s*(to|and|-|–)\s*" + DOLLARS, main) is not None
    j.check(ranged or "A single price, not a range" in main, "a range shown, or why there is none")
    j.check(page.get_by_role("heading", name=re.compile("assum", re.I)).count() >= 1, "assumptions")
    sources = page.locator("h2", has_text="Sources").locator(
        "xpath=following-sibling::*[self::ul or self::ol][1]"
    )
    items = sources.locator("li").all_inner_texts()
    j.check(items != [], "sources listed")
    # A year, or the source's own word for having none: a rule in force ("current") or a
    # figure its publisher left undated ("undated"); finder never invents a year.
    dated = re.compile(r"\b(19|20)\d\d\b|\((current|undated)\b")
    undated = [i.split("(")[0] for i in items if not dated.search(i)]
    j.check(undated == [], f"sources without a year: {undated}")
    j.check(re.search(r"not a Good Faith Estimate", main) is not None, "not a Good Faith Estimate")


def test_someone_insured_sorts_by_cost_and_reads_an_estimate(begin):
    j = begin("insured")
    page = j.page
    j.go("/")
    page.get_by_label("ZIP code or town").fill("02139")
    page.get_by_label("Within").select_option("5")
    page.get_by_role("group", name="How will you pay?").get_by_label("Private insurance").check()
    page.get_by_text("Your plan and household").click()
    page.get_by_label("Deductible ($, optional)").fill("1500")
    page.get_by_label("Coinsurance", exact=False).fill("20%")
    page.get_by_label("Out-of-pocket maximum ($)").fill("6000")
    page.get_by_label("Sort by").select_option("cost")
    j.look("home-with-plan-terms")
    page.get_by_role("button", name="Search", exact=True).click()
    j.look("results-by-cost")
    assert "sort=cost" in page.url and "coinsurance=20" in page.url
    assert page.locator("p.sort strong").inner_text() == "what you would pay"
    note = text_of(page, "p.fit-note >> nth=0")
    assert "coinsurance 20%" in note and "$1,500" in note and "$6,000" in note
    # Cheapest first, among the programs ranked by cost (those with an estimate).
    ranked = page.locator("li.result").filter(has_not=page.locator("p.unranked"))
    paid = [top(text) for text in ranked.locator(".estimate").all_inner_texts()]
    assert len(paid) >= 3 and paid == sorted(paid), paid

    # A program that publishes a range of prices, so that the answer has a range to show.
    ranked.get_by_role("link", name="Riverbend Clinic", exact=True).click()
    j.look("program-page")
    assert text_of(page, "h1") == "Riverbend Clinic"
    page.get_by_role("link", name=re.compile("^Estimate what")).click()
    assert "Riverbend Clinic" in text_of(page, "p.lead")
    page.get_by_label("Private insurance or a Marketplace plan").check()
    page.get_by_label("Deductible ($ per plan year)").fill("1500")
    page.get_by_label("Coinsurance", exact=False).fill("20")
    page.get_by_label("Out-of-pocket maximum ($ per plan year)").fill("6000")
    j.look("estimate-form")
    page.get_by_role("button", name="Estimate").click()
    j.look("estimate-answer")
    assert "1500" not in page.url and "6000" not in page.url  # nothing typed in the URL
    read_estimate_answer(j)
    j.done()


def test_an_estimate_form_with_a_mistake_is_corrected(begin):
    j = begin("estimate-mistake")
    page = j.page
    j.go("/estimate")
    # A mistake the browser lets through (its own checks stop 5 days): the stepped program
    # needs at least 60 days.
    page.get_by_label("Kind of program").select_option("stepped")
    days = page.get_by_label("How many days")
    days.fill("30")
    page.get_by_role("button", name="Estimate").click()
    j.look("estimate-form-with-an-error")
    assert page.get_by_role("alert").first.is_visible()  # the summary above the form
    error = page.locator("#days-error")
    assert "60" in error.inner_text()
    assert days.get_attribute("aria-describedby") == "days-error"
    assert days.input_value() == "30"  # what was typed is kept to be corrected
    days.fill("90")
    page.get_by_role("button", name="Estimate").click()
    j.look("estimate-answer")
    assert page.locator("#days-error").count() == 0
    read_estimate_answer(j)
    j.done()


def test_a_visitor_reports_a_problem_with_a_listing(begin, site):
    j = begin("report")
    page = j.page
    _, engine = site
    j.go("/facilities/journey-b")
    j.look("program-page")
    page.get_by_role("link", name="Report a problem with this listing").click()
    j.look("report-form")
    assert text_of(page, "h1") == "Report a problem with this listing"
    page.get_by_role("button", name="Send report").click()  # nothing chosen yet
    j.look("report-form-with-an-error")
    assert "Choose what is wrong." in text_of(page, ".has-error")
    page.get_by_label("The phone number is wrong").check()
    comment = f"The number rings out ({j.mode})"
    page.get_by_label("Anything else we should know?", exact=False).fill(comment)
    page.get_by_role("button", name="Send report").click()
    j.look("report-thanks")
    assert text_of(page, "h1") == "Thank you"
    assert "Riverbend Clinic" in text_of(page)
    assert page.context.cookies() == []  # an anonymous visitor gets no cookie
    with Session(engine) as session:
        stored = session.execute(
            select(Report.program_id, Report.kind).where(Report.comment == comment)
        ).all()
    assert stored == [("journey-b", "wrong_phone")]
    j.done()


def upload_copy(fixture: str, folder: Path, mode: str) -> Path:
    """A fixture file with its keys and names made this run's own, so that the JavaScript-on
    and -off journeys each add their programs."""
    copy = folder / fixture
    text = (FIXTURES / fixture).read_text()
    copy.write_text(re.sub(r"^j-", f"j-{mode}-", text, flags=re.M).replace("Journey ", f"{mode} "))
    return copy


def test_an_admin_imports_a_file(begin, site, tmp_path):
    j = begin("admin-import")
    page = j.page
    _, engine = site
    j.go("/admin/login")
    j.look("login")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    assert page.url == j.base + "/admin/"
    j.look("dashboard")

    page.goto(j.base + "/admin/import")
    j.look("upload")
    page.get_by_label("CSV file").set_input_files(upload_copy("bad_row.csv", tmp_path, j.mode))
    page.get_by_role("button", name="Upload and preview").click()
    assert text_of(page, "h1") == "Preview: bad_row.csv"
    assert "2118x" in text_of(page, "table")  # the bad row's error, by its line
    assert page.get_by_label("Skip the invalid rows", exact=False).count() == 1
    j.look("preview-with-a-bad-row")

    page.goto(j.base + "/admin/import")
    page.get_by_label("CSV file").set_input_files(upload_copy("programs.csv", tmp_path, j.mode))
    page.get_by_role("button", name="Upload and preview").click()
    assert text_of(page, "h1") == "Preview: programs.csv"
    assert f"{j.mode} Harbor Program" in text_of(page)
    j.look("preview")
    apply = page.get_by_role("button", name="Apply this import")
    j.check(apply.count() == 2, f"Apply at the top and the bottom ({apply.count()} found)")
    apply.last.click()
    assert page.url == j.base + "/admin/imports"
    assert "Imported programs.csv: 2 added, 0 changed" in text_of(page)
    j.look("history")
    with Session(engine) as session:
        added = session.execute(
            select(Program.id, Program.name).where(Program.id.like(f"j-{j.mode}-%"))
        ).all()
    assert sorted(added) == [
        (f"j-{j.mode}-one", f"{j.mode} Harbor Program"),
        (f"j-{j.mode}-two", f"{j.mode} River Program"),
    ]
    j.done()
