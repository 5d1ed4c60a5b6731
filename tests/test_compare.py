"""Compare, the call list and the guide: everything from the URL, nothing stored."""

import csv
import re
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from finder import guide, vocab
from finder.questions import questions

COLUMN = re.compile(r'<th scope="col"><a href="/facilities/([^"]+)">')


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.text[:500]
    assert "Set-Cookie" not in response.headers
    return response.text


def compare_url(*ids: str, path: str = "/compare", **params) -> str:
    pairs = [("compare", i) for i in ids] + list(params.items())
    return path + "?" + "&".join(f"{k}={v}" for k, v in pairs)


def columns(html: str) -> list[str]:
    return COLUMN.findall(html)


def text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_two_programs_side_by_side_from_the_url_alone(client, add_program):
    a = add_program(
        name="Harbor House", phones=[("main", "617-555-0101", ""), ("intake", "617-555-0102", "")]
    )
    b = add_program(name="Hillside Clinic", medications=["buprenorphine"])
    html = page(client, compare_url(a, b))
    assert columns(html) == [a, b]
    words = text(html)
    assert "Harbor House" in words and "Hillside Clinic" in words
    assert "Main number: 617-555-0101" in words and "Intake: 617-555-0102" in words
    assert "Buprenorphine" in words
    assert "Accredited (Joint Commission, CARF, NCQA, COA or HFAP): not reported" in words
    assert "Distance" not in words and "Estimated 90-day cost" not in words
    assert client.get_cookie("session") is None


def test_five_programs_fit_and_a_sixth_is_refused(client, add_program):
    ids = [add_program() for _ in range(6)]
    assert columns(page(client, compare_url(*ids[:5]))) == ids[:5]
    html = page(client, compare_url(*ids), status=400)
    assert "at most 5 programs" in text(html) and "names 6" in text(html)
    assert columns(html) == []


def test_duplicates_collapse_before_counting(client, add_program):
    a, b = add_program(), add_program()
    assert columns(page(client, compare_url(a, b, a, a, b, a))) == [a, b]


def test_an_unknown_program_is_a_404_with_a_way_on(client, add_program):
    a = add_program()
    html = page(client, compare_url(a, "no-such-program"), status=404)
    assert "not in the directory" in text(html)
    onward = unescape(re.search(r'<a href="([^"]+)">Continue without it', html).group(1))
    assert parse_qs(urlsplit(onward).query)["compare"] == [a]
    assert columns(page(client, onward)) == [a]
    page(client, compare_url("Not An Id!"), status=404)


def test_distance_only_with_near(client, add_program):
    here = add_program(latitude=42.3647, longitude=-71.1042)
    boston = add_program(city="Boston", zip="02114", latitude=42.3611, longitude=-71.0682)
    assert "miles" not in text(page(client, compare_url(here, boston)))
    words = text(page(client, compare_url(here, boston, near="02139")))
    assert re.search(r"Distance \d+(\.\d)? miles \d+(\.\d)? miles", words)
    assert "Back to your search results" in words


def test_a_place_that_cannot_be_found_is_a_400(client, add_program):
    a = add_program()
    html = page(client, compare_url(a, near="Nowhereville, ZZ"), status=400)
    assert 'class="error"' in html and columns(html) == []


@pytest.fixture
def priced(add_program):
    """$200 a week outpatient: $2,600 for 90 days; Medicaid and a sliding fee."""
    return add_program(
        payments=["medicaid", "sliding_fee"],
        sliding_fee_schedule="100:0;150:25;200:75",
        rates={"outpatient": 20000},
    )


def test_an_estimate_only_with_coverage_or_household(client, priced, add_program):
    other = add_program(payments=["cash"])
    assert "Estimated 90-day cost" not in text(page(client, compare_url(priced, other)))
    words = text(page(client, compare_url(priced, other, coverage="medicaid")))
    assert "Estimated 90-day cost" in words
    assert "Takes Medicaid. 90 days of standard outpatient: about $0" in words
    assert "Does not list Medicaid. No published price: ask the program." in words
    # A household's class without a place: the estimate still comes, without a distance.
    words = text(page(client, compare_url(priced, fpg="101-125")))
    assert "90 days of standard outpatient, paying yourself: about $650" in words
    assert "Distance" not in words


def test_no_estimate_for_a_mental_health_only_program(client, add_program):
    mh = add_program(substance_use=False, care_levels=[], mental_health_care=["outpatient"])
    words = text(page(client, compare_url(mh, coverage="medicaid")))
    assert "the source lists no substance-use treatment here" in words


def test_bad_cost_parameters_are_a_400(client, priced):
    assert "Unknown coverage" in text(page(client, compare_url(priced, coverage="gold"), 400))
    html = page(client, compare_url(priced, deductible="100"), 400)
    assert "together" in text(html)


def test_each_column_has_a_remove_link_to_the_same_url_without_it(client, add_program):
    a, b, c = add_program(), add_program(), add_program()
    html = page(client, compare_url(a, b, c, near="02139", coverage="medicaid"))
    removes = [unescape(h) for h in re.findall(r'<a class="remove" href="([^"]+)"', html)]
    assert len(removes) == 3
    for removed, href in zip([a, b, c], removes, strict=True):
        query = parse_qs(urlsplit(href).query)
        assert query["compare"] == [i for i in (a, b, c) if i != removed]
        assert query["near"] == ["02139"] and query["coverage"] == ["medicaid"]
        assert columns(page(client, href)) == query["compare"]


def test_nothing_chosen_explains_how_to_pick(client):
    html = page(client, "/compare")
    assert "Tick Compare on up to five" in text(html)
    assert 'href="/"' in html
    assert "Nothing is chosen yet" in text(page(client, "/compare/calls"))


def test_the_compare_page_links_to_the_call_list_with_the_same_choices(client, add_program):
    a = add_program()
    html = page(client, compare_url(a, near="02139", coverage="medicaid"))
    href = unescape(re.search(r'href="(/compare/calls\?[^"]+)"', html).group(1))
    assert parse_qs(urlsplit(href).query) == {
        "near": ["02139"], "coverage": ["medicaid"], "compare": [a],
    }  # fmt: skip


# The call list


def test_the_call_list_tailors_its_questions(client, add_program):
    medicaid = add_program(
        name="Takes Medicaid", payments=["medicaid"], therapies=["family_therapy"]
    )
    cash = add_program(
        name="Cash Only",
        payments=["cash"],
        phones=[("main", "617-555-0110", ""), ("hotline", "1-800-555-0111", "After hours")],
    )
    html = page(client, compare_url(medicaid, cash, path="/compare/calls", coverage="medicaid"))
    first, second = re.findall(r'<section class="call-program">(.*?)</section>', html, re.S)
    first, second = text(first), text(second)
    assert "Takes Medicaid" in first and "Cash Only" in second
    assert "Do you take my plan" not in first
    assert "Do you take my plan (Medicaid), in network?" in second
    assert "How do you involve family?" not in first
    assert "How do you involve family?" in second
    for words in (first, second):
        assert "Is there a waitlist? How soon could I start?" in words
        assert "Do you offer or allow methadone or buprenorphine?" in words
        assert "What happens after discharge?" in words
        assert "What would 90 days cost me?" in words
    assert "Main number: 617-555-0110" in second and "After hours: 1-800-555-0111" in second
    assert html.count('class="answer"') == html.count('class="question"')


def test_the_call_list_prints_with_the_helpline_and_a_print_button_for_scripts(client, add_program):
    a = add_program()
    html = page(client, compare_url(a, path="/compare/calls"))
    assert '<button type="button" data-print hidden>' in html
    assert '<script src="/static/calllist.js" defer></script>' in html
    assert "<script>" not in html and "onclick" not in html and "style=" not in html
    assert html.count("tel:+18006624357") == 2  # the banner and the list's own line
    assert "Do you take my insurance, and are you in network with my plan?" in text(html)


def test_the_print_script_only_shows_and_presses_the_button(app):
    body = (Path(app.static_folder) / "calllist.js").read_text(encoding="utf-8")
    assert 'querySelector("[data-print]")' in body and "window.print()" in body


@dataclass
class Listing:
    values: dict = field(default_factory=dict)
    prices: dict = field(default_factory=dict)
    sliding_fee_schedule: str = ""

    def tokens(self, kind: str) -> list[str]:
        return list(self.values.get(kind, ()))

    def rate(self, item: str):
        return self.prices.get(item)


@pytest.mark.parametrize(
    "values, coverage, asked, not_asked",
    [
        ({"payment": ["medicaid"]}, "medicaid", [], ["Do you take my plan"]),
        ({"payment": ["cash"]}, "medicaid", ["Do you take my plan (Medicaid), in network?"], []),
        ({"payment": ["cash"]}, None, ["Do you take my insurance, and are you in network with my plan?"], []),
        ({"payment": ["private_insurance"]}, "private_insurance",
         ["You list Private health insurance: are you in network with my plan?"], ["Do you take my plan"]),
        ({"payment": ["cash"]}, "sliding_fee", ["You do not list “Sliding fee scale”: do you offer it?"], ["Do you take my plan"]),
        ({"payment": ["sliding_fee"]}, "sliding_fee", [], ["do you offer it?", "Do you take my"]),
        ({"medication": ["naltrexone_xr"]}, None, ["Do you offer or allow methadone or buprenorphine?"], []),
        ({"medication": ["methadone"]}, None, [], ["methadone or buprenorphine"]),
        ({"sign": ["accepts_moud"]}, None, [], ["methadone or buprenorphine"]),
        ({"therapy": ["family_therapy"]}, None, [], ["How do you involve family?"]),
        ({"sign": ["aftercare"]}, None, [], ["What happens after discharge?"]),
    ],
)  # fmt: skip
def test_questions_ask_what_the_listing_does_not_say(values, coverage, asked, not_asked):
    found = questions(Listing(values), coverage)
    assert "Is there a waitlist? How soon could I start?" in found
    for question in asked:
        assert question in found
    for fragment in not_asked:
        assert not any(fragment in q for q in found)


def test_the_price_question_goes_when_a_care_level_has_a_published_price():
    assert "What would 90 days cost me?" in questions(Listing({"care": ["outpatient"]}))
    priced = Listing({"care": ["outpatient"]}, {"outpatient": object()})
    assert "What would 90 days cost me?" not in questions(priced)


def test_an_unpublished_sliding_scale_is_asked_about_only_with_a_household():
    listing = Listing({"payment": ["sliding_fee"]})
    question = "What would I pay on your sliding fee scale, for my household's income?"
    assert question in questions(listing, fpg="126-150")
    assert question not in questions(listing)
    listing.sliding_fee_schedule = "100:0;200:50"
    assert question not in questions(listing, fpg="126-150")


# The guide

SECTION = re.compile(r'<section class="guide-section" id="([^"]+)">(.*?)</section>', re.S)
SOURCE = re.compile(
    r'<li id="([^"]+)"><span class="source-publisher" translate="no">([^<]+)</span>,\s*'
    r'“<a class="source-title" href="([^"]+)" rel="noreferrer noopener" translate="no" lang="en">'
    r"([^<]+)</a>”,\s*"
    r'<span class="source-date">([^<]+)</span>'
)


def test_the_guide_shows_the_banner_and_every_part_cites_its_sources(client):
    html = page(client, "/guide")
    assert "tel:911" in html and "tel:+18006624357" in html and "tel:988" in html
    sections = SECTION.findall(html)
    assert [s for s, _ in sections] == [
        "overdose", "detox", "medications", "programs", "ninety-days", "paying", "signs",
    ]  # fmt: skip
    cited = set()
    known = guide.sources()
    for section, body in sections:
        listed = {
            anchor: (url, title, date) for anchor, _, url, title, date in SOURCE.findall(body)
        }
        assert listed, section
        for url, title, date in listed.values():
            assert url.startswith(("https://", "http://")) and title.strip()
            assert re.search(r"\b(19|20)\d\d\b", date), date
        citations = re.findall(r'<a class="cite" href="#([^"]+)" translate="no">', body)
        assert citations, section
        for anchor in citations:
            assert anchor in listed, (section, anchor)  # each claim's source is listed with it
            cited.add(anchor.removeprefix(section + "-"))
        assert set(citations) == set(listed), section  # and each listed source is cited there
        # Every paragraph or step states something, and names where it comes from.
        for claim in re.findall(r"<(?:p|li|dd)>(.*?)</(?:p|li|dd)>", body, re.S):
            if "Find " in claim or "Estimate what" in claim or "finder" in claim:
                continue
            assert 'class="cite"' in claim, (section, text(claim)[:80])
    assert cited == set(known)  # no source listed in the data that no claim uses


def test_the_guide_names_the_overdose_steps_and_the_signs_groups(client):
    words = text(page(client, "/guide"))
    for step in ("Call 911", "Give naloxone", "Do not try to make them vomit", "recovery position"):
        assert step in words
    for heading in vocab.SIGN_GROUPS.values():
        assert heading in words
    assert "not “no”" in words


def test_the_guide_links_to_other_sites_plainly(client):
    html = page(client, "/guide")
    for tag in re.findall(r"<a [^>]*href=\"https?://[^\"]+\"[^>]*>", html):
        assert 'rel="noreferrer noopener"' in tag
    assert not re.search(r'<(?:img|script|link|iframe)[^>]+(?:src|href)="https?://', html)


def test_the_guide_links_into_search_with_the_filters_ticked(client):
    html = page(client, "/guide")
    links = {unescape(h) for h in re.findall(r'href="(/\?[^"]+)"', html)}
    assert len(links) >= 5
    for link in links:
        form = page(client, link)
        for name, values in parse_qs(urlsplit(link).query).items():
            for value in values:
                assert re.search(
                    rf'checked [^>]*name="{name}" type="checkbox" value="{value}"', form
                ), link


def test_the_sources_file_is_complete():
    with guide.SOURCES_FILE.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows and len({r["key"] for r in rows}) == len(rows)
    for row in rows:
        for column in ("key", "short", "publisher", "title", "url", "date"):
            assert row[column].strip(), (row["key"], column)


def test_the_main_navigation_leads_to_the_guide(client):
    assert '<a href="/guide">Guide</a>' in page(client, "/")


def test_a_bad_choice_keeps_the_programs_within_reach(client, add_program):
    a, b = add_program(), add_program()
    html = page(client, compare_url(a, b, near="02139", fpg="999"), status=400)
    assert "Unknown fpg" in text(html)
    onward = unescape(re.search(r'<a href="([^"]+)">See these programs without', html).group(1))
    assert parse_qs(urlsplit(onward).query) == {"compare": [a, b]}
    assert columns(page(client, onward)) == [a, b]
