"""Every public page in Spanish: no English sentence is left on a page a Spanish-speaking
family reads (issue 17). Program data stays as its source wrote it, and so do the titles of
the English documents an estimate cites: both are marked translate="no", which this test (and
a browser's own translator) leaves alone."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import template_rendered

MENTAL_HEALTH = "mental-health-only"
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

# Words that are English and never Spanish: a text with two of them is an English sentence.
ENGLISH = set(
    [
        "the",
        "and",
        "of",
        "your",
        "you",
        "to",
        "with",
        "this",
        "that",
        "what",
        "how",
        "which",
        "will",
        "would",
        "from",
        "about",
        "are",
        "is",
        "for",
        "not",
        "can",
        "may",
        "does",
        "do",
        "has",
        "have",
        "it",
        "its",
        "they",
        "them",
        "their",
        "our",
        "we",
        "who",
        "when",
        "where",
        "there",
        "here",
        "if",
        "or",
        "than",
        "then",
        "be",
        "been",
        "call",
        "find",
        "program",
        "programs",
        "near",
        "miles",
        "cost",
        "costs",
        "pay",
        "paid",
        "insurance",
        "day",
        "days",
        "week",
        "month",
        "year",
        "estimate",
        "help",
        "free",
        "search",
        "results",
        "page",
        "show",
        "shows",
        "more",
        "less",
        "all",
        "any",
        "each",
        "only",
        "also",
        "every",
        "after",
        "before",
        "first",
    ]
)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
SHOWN_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "aria-description")


class Words(HTMLParser):
    """The page's visible words and the attributes people hear or read, outside elements marked
    translate="no" or lang="en", and outside script and style."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # per open element: is its text left out
        self.texts: list[str] = []

    def skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        skip = (
            self.skipping()
            or tag in ("script", "style")
            or attrs.get("translate") == "no"
            or (attrs.get("lang") == "en" and tag != "html")
        )
        if not skip:
            for name in SHOWN_ATTRIBUTES:
                if attrs.get(name):
                    self.texts.append(attrs[name])
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.texts.append(attrs["value"])
        if tag not in VOID:
            self.stack.append(skip)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not self.skipping() and data.strip():
            self.texts.append(" ".join(data.split()))


def english_left(html: str) -> list[str]:
    parser = Words()
    parser.feed(html)
    left = []
    for text in parser.texts:
        if text.startswith(("http://", "https://")):
            continue  # an address shown as such
        words = re.findall(r"[a-z]+", text.lower())
        if sum(word in ENGLISH for word in words) >= 2:
            left.append(text)
    return left


@pytest.fixture
def program_ids(add_program):
    full = add_program(
        name="Harbor Light Recovery",
        street="1 Main St",
        phone="617-555-0123 x351",
        intake_phone="617-555-0199",
        website="https://example.org/harbor",
        care_levels=["outpatient", "intensive_outpatient", "residential_short", "detox_inpatient"],
        payments=["medicaid", "medicare", "private_insurance", "tricare", "sliding_fee", "cash"],
        medications=["buprenorphine", "methadone", "naltrexone_xr"],
        languages=["es"],
        specials=["veterans", "pregnant_postpartum"],
        signs=["accredited", "licensed"],
        carriers=["Acme Health"],
        sliding_fee_schedule="100:0;150:25;200:75",
        rates={"residential_short": (45000, 75000), "outpatient": 15000},
    )
    plain = add_program(name="Plain Clinic", care_levels=["outpatient"], payments=["cash"])
    add_program(id=MENTAL_HEALTH, name="Harbor Psychiatric", substance_use=False, care_levels=[])
    return full, plain


def pages(full: str, plain: str) -> list[tuple[str, str, dict | None]]:
    """(method, url, form) of every public page and state a family can reach."""
    both = f"compare={full}&compare={plain}"
    return [
        ("GET", "/", None),
        ("GET", "/?care=outpatient", None),
        ("GET", "/search?near=02139", None),
        (
            "GET",
            "/search?near=02139&radius=any&payment=medicaid,sliding_fee&coverage=medicaid",
            None,
        ),
        (
            "GET",
            "/search?near=02139&coverage=private_insurance&deductible=1000&coinsurance=20&oop_max=5000&sort=cost",
            None,
        ),
        ("GET", "/search?near=02139&fpg=126-150&coverage=cash", None),
        ("GET", "/search?near=nowhere-at-all", None),
        ("GET", "/search?near=Springfield", None),
        ("GET", "/search?near=02139&radius=abc", None),
        ("GET", "/search?near=99950&radius=5&care=detox_inpatient", None),
        ("GET", "/search/list?near=02139", None),
        ("GET", f"/facilities/{full}", None),
        ("GET", f"/facilities/{plain}", None),
        ("GET", "/facilities/no-such-program", None),
        ("GET", "/no-such-page", None),
        ("GET", f"/facilities/{full}/report", None),
        ("GET", f"/facilities/{full}/report/thanks", None),
        ("GET", f"/compare?{both}", None),
        ("GET", f"/compare?{both}&near=02139&coverage=medicaid", None),
        ("GET", f"/compare/calls?{both}", None),
        ("GET", "/guide", None),
        ("GET", "/estimate", None),
        ("GET", f"/estimate?facility={full}", None),
        ("POST", "/estimate", {"days": "90", "start_date": "2026-03-02"}),
        (
            "POST",
            "/estimate",
            {
                "days": "90",
                "start_date": "2026-03-02",
                "insurance": "commercial",
                "in_network": "yes",
                "deductible": "1500",
                "coinsurance": "20",
                "oop_max": "6000",
            },
        ),
        (
            "POST",
            "/estimate",
            {
                "facility": full,
                "days": "90",
                "start_date": "2026-03-02",
                "household_size": "3",
                "income": "40000",
                "state": "MA",
            },
        ),
        (
            "POST",
            "/estimate",
            {
                "days": "90",
                "insurance": "medicaid",
                "household_size": "2",
                "income": "20000",
                "state": "TX",
            },
        ),
        ("POST", "/estimate", {"days": "60", "insurance": "medicare", "start_date": "2026-03-02"}),
        (
            "POST",
            "/estimate",
            {
                "days": "30",
                "insurance": "tricare",
                "tricare_group": "select_group_a_adfm",
                "in_network": "yes",
            },
        ),
        ("POST", "/estimate", {"days": "abc"}),
        # TRICARE's outpatient cost-share for a family member is not in our data: a reason.
        (
            "POST",
            "/estimate",
            {
                "program": "outpatient",
                "days": "90",
                "start_date": "2026-03-02",
                "insurance": "tricare",
                "tricare_group": "select_group_a_adfm",
                "in_network": "yes",
            },
        ),
        # A mental-health-only program has no substance-use estimate.
        ("GET", f"/estimate?facility={MENTAL_HEALTH}", None),
    ]


def public_templates() -> set[str]:
    """Every page template a visitor can get (not the admin's, not the partials)."""
    return {
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if path.parts[len(TEMPLATES.parts)] != "admin"
        and not path.name.startswith("_")
        and path.name != "base.html"  # the layout of every page
    }


def test_no_english_is_left_on_a_spanish_page(app, client, program_ids):
    full, plain = program_ids
    found = {}
    rendered = set()

    def record(sender, template, context, **extra):
        rendered.add(template.name)

    with template_rendered.connected_to(record, app):
        for method, url, form in pages(full, plain):
            separator = "&" if "?" in url else "?"
            if method == "GET":
                response = client.get(url + separator + "lang=es")
            else:
                response = client.post(url + "?lang=es", data=form)
            assert response.status_code < 500, url
            assert '<html lang="es">' in response.text, (url, response.status_code)
            left = english_left(response.text)
            if left:
                found[f"{method} {url}"] = left
    assert not found, "\n".join(f"{url}: {texts[:8]}" for url, texts in found.items())
    # Every page template was among them.
    assert public_templates() - rendered == set()


def test_the_same_pages_follow_accept_language(client, program_ids):
    full, plain = program_ids
    for method, url, _form in pages(full, plain):
        if method != "GET":
            continue
        response = client.get(url, headers={"Accept-Language": "es-US,es;q=0.9"})
        assert '<html lang="es">' in response.text, url
        assert not english_left(response.text), url


def test_the_checker_finds_english(client, program_ids):
    # A test that cannot fail is a defect: the English page is full of it.
    full, _ = program_ids
    assert english_left(client.get(f"/facilities/{full}").text)
    assert english_left(client.get("/guide").text)


def test_a_spanish_page_calls_the_same_numbers_as_the_english_one(client, program_ids):
    # A translation cannot bring in a phone number: every tel: link is the English page's.
    full, plain = program_ids
    for method, url, form in pages(full, plain):
        separator = "&" if "?" in url else "?"
        if method == "GET":
            english, spanish = client.get(url), client.get(url + separator + "lang=es")
        else:
            english, spanish = client.post(url, data=form), client.post(url + "?lang=es", data=form)
        numbers = re.findall(r'href="(tel:[^"]*)"', english.text)
        assert "tel:+18006624357" in numbers, url
        assert re.findall(r'href="(tel:[^"]*)"', spanish.text) == numbers, url
