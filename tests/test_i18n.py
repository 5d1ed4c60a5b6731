"""Spanish and English: how a page's language is chosen and carried, and that the Spanish
catalog is complete (every string the source marks is translated, none fuzzy)."""

import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from finder import i18n
from finder.estimator.text import Cents, Day, Join, Text, WholeDollars

ROOT = Path(__file__).resolve().parent.parent
# The gettext keywords scripts/catalog extracts.
KEYWORDS = ("_", "gettext", "ngettext:1,2", "lazy_gettext", "_l", "N_", "Text")
CATALOG = ROOT / "translations" / "es" / "LC_MESSAGES" / "messages.po"


def html_lang(response) -> str:
    return re.search(r'<html lang="(\w+)"', response.get_data(as_text=True)).group(1)


def test_english_without_a_choice(client):
    response = client.get("/")
    assert html_lang(response) == "en"
    assert "Accept-Language" in response.headers["Vary"]
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("header", ["es", "es-MX,es;q=0.9,en;q=0.5", "es-US"])
def test_the_browsers_spanish_is_followed(client, header):
    response = client.get("/", headers={"Accept-Language": header})
    assert html_lang(response) == "es"
    assert "Set-Cookie" not in response.headers
    # Nothing was chosen: links do not carry a language.
    hrefs = re.findall(r'(?:href|action)="([^"]*)"', response.text)
    assert [h for h in hrefs if "lang=" in h] == ["/?lang=en"]


def test_the_url_wins_over_the_browser_and_is_carried_in_links(client):
    response = client.get("/?lang=en", headers={"Accept-Language": "es"})
    assert html_lang(response) == "en"
    response = client.get("/?lang=es", headers={"Accept-Language": "en"})
    assert html_lang(response) == "es"
    text = response.get_data(as_text=True)
    for path in ("/estimate", "/guide"):
        assert f'href="{path}?lang=es"' in text
    # Static files are the same in every language.
    assert re.search(r'href="/static/finder\.css"', text)
    assert "Set-Cookie" not in response.headers


def test_an_unknown_lang_is_ignored(client):
    response = client.get("/?lang=fr", headers={"Accept-Language": "es"})
    assert response.status_code == 200
    assert html_lang(response) == "es"


def test_the_switch_keeps_the_page_and_its_search(client):
    response = client.get("/search?near=02139&radius=25&care=outpatient")
    links = re.findall(r'<a href="([^"]+)" hreflang="es"', response.get_data(as_text=True))
    assert len(links) == 1
    href = links[0].replace("&amp;", "&")
    assert href.startswith("/search?")
    assert "near=02139" in href and "radius=25" in href and "care=outpatient" in href
    assert href.endswith("lang=es")
    spanish = client.get(href)
    assert html_lang(spanish) == "es"
    back = re.findall(r'<a href="([^"]+)" hreflang="en"', spanish.get_data(as_text=True))
    assert back[0].replace("&amp;", "&").endswith("lang=en")
    assert "near=02139" in back[0]


def test_the_search_forms_redirect_carries_the_language(client):
    page = client.get("/?lang=es")
    action = re.search(r'<form[^>]*id="search"[^>]*action="([^"]+)"', page.text)
    if action is None:
        action = re.search(r'<form[^>]*action="([^"]+)"[^>]*id="search"', page.text)
    assert action and "lang=es" in action.group(1)
    response = client.post(
        action.group(1).replace("&amp;", "&"), data={"near": "02139", "radius": "25"}
    )
    assert response.status_code in (302, 303)
    assert "lang=es" in response.headers["Location"]


def test_the_admin_area_stays_english(client):
    response = client.get("/admin/login?lang=es", headers={"Accept-Language": "es"})
    assert html_lang(response) == "en"
    assert 'hreflang="es"' not in response.get_data(as_text=True)


# ---- the estimator's sentences ----


def test_a_text_is_its_english_sentence():
    text = Text(
        "You pay %(amount)s from %(day)s: %(parts)s.",
        amount=Cents(123456),
        day=date(2025, 11, 15),
        parts=Join((Text("a"), Text("b")), Text(", then ")),
    )
    assert text == "You pay $1,234.56 from November 15, 2025: a, then b."
    assert text.msgid == "You pay %(amount)s from %(day)s: %(parts)s."
    assert str(WholeDollars(1483450)) == "$14,835"
    assert str(Day(2026, 1, 2)) == "January 2, 2026"
    assert Text("100% of it") == "100% of it"


def test_money_and_dates_in_spanish(app):
    with app.test_request_context("/?lang=es"):
        assert i18n.money(1483450) == "$14,835"
        assert i18n.money(1483450, cents=True) == "$14,834.50"
        assert i18n.long_date(date(2025, 11, 15)) == "15 de noviembre de 2025"
    with app.test_request_context("/"):
        assert i18n.money(1483450) == "$14,835"
        assert i18n.long_date(date(2025, 11, 15)) == "November 15, 2025"


# ---- the catalog ----


def extracted_ids() -> set[str]:
    """The message ids the source marks today (pybabel extract, as scripts/catalog runs it)."""
    from babel.messages.frontend import CommandLineInterface

    pot = Path(__import__("tempfile").mkdtemp()) / "messages.pot"
    CommandLineInterface().run(
        [
            "pybabel",
            "-q",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "--no-location",
            *[arg for keyword in KEYWORDS for arg in ("-k", keyword)],
            "-o",
            str(pot),
            str(ROOT),
        ]
    )
    with pot.open("rb") as file:
        return {
            message.id if isinstance(message.id, str) else message.id[0]
            for message in read_po(file)
            if message.id
        }


def spanish_catalog():
    with CATALOG.open("rb") as file:
        return read_po(file)


def test_every_marked_string_is_in_the_spanish_catalog():
    catalog = {m.id if isinstance(m.id, str) else m.id[0] for m in spanish_catalog() if m.id}
    missing = sorted(extracted_ids() - catalog)
    assert not missing, f"run scripts/catalog and translate: {missing[:20]}"


def test_the_spanish_catalog_has_no_untranslated_or_fuzzy_entries():
    untranslated, fuzzy = [], []
    for message in spanish_catalog():
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            untranslated.append(message.id)
        if message.fuzzy:
            fuzzy.append(message.id)
    assert not untranslated, f"untranslated: {untranslated[:20]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:20]}"


def test_the_catalog_compiles_and_keeps_every_placeholder():
    catalog = spanish_catalog()
    errors = [
        (message.id, [str(e) for e in message.check(catalog)])
        for message in catalog
        if message.id and list(message.check(catalog))
    ]
    assert not errors


def test_the_compare_form_of_a_results_page_keeps_a_chosen_language(client, add_program):
    add_program(name="Harbor Light Recovery")
    chosen = client.get("/search?near=02139&lang=es").text
    form = re.search(r'<form id="compare-form".*?</form>', chosen, re.S).group(0)
    assert '<input type="hidden" name="lang" value="es">' in form
    # From the browser's language alone, nothing is added.
    followed = client.get("/search?near=02139", headers={"Accept-Language": "es"}).text
    form = re.search(r'<form id="compare-form".*?</form>', followed, re.S).group(0)
    assert 'name="lang"' not in form
