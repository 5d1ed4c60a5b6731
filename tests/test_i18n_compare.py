"""The comparison, the call list and the guide in Spanish (?lang=es or the browser's
Accept-Language), with program data left as the source wrote it, and English unchanged."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from finder import guide
from finder.questions import questions

SPANISH = {"Accept-Language": "es-MX,es;q=0.9"}


def page(client, url: str, status: int = 200, headers=None) -> str:
    response = client.get(url, headers=headers or {})
    assert response.status_code == status, response.text[:500]
    assert "Set-Cookie" not in response.headers
    return response.text


def text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def html_lang(html: str) -> str:
    return re.search(r'<html lang="(\w+)"', html).group(1)


def compare_url(*ids: str, path: str = "/compare", **params) -> str:
    pairs = [("compare", i) for i in ids] + list(params.items())
    return path + "?" + "&".join(f"{k}={v}" for k, v in pairs)


def local_links(html: str) -> list[str]:
    """The page's own links (not the header's language switch, static files or anchors)."""
    tags = [t for t in re.findall(r"<a\b[^>]*>", html) if "hreflang" not in t]
    hrefs = [unescape(h) for t in tags for h in re.findall(r'href="(/[^"]*)"', t)]
    return [h for h in hrefs if not h.startswith("/static/")]


@pytest.fixture
def two(add_program):
    a = add_program(
        name="Harbor House Recovery",
        street="12 Wharf Street",
        payments=["medicaid", "sliding_fee"],
        sliding_fee_schedule="100:0;150:25;200:75",
        rates={"outpatient": 20000},
        phones=[("main", "617-555-0101", "")],
    )
    b = add_program(name="Hillside Clinic", payments=["cash"], medications=["buprenorphine"])
    return a, b


# ---- the comparison ----


@pytest.mark.parametrize("how", ["url", "header"])
def test_the_comparison_in_spanish(client, two, how):
    url = compare_url(*two, near="02139", coverage="medicaid")
    html = page(client, url + "&lang=es") if how == "url" else page(client, url, headers=SPANISH)
    assert html_lang(html) == "es"
    words = text(html)
    for spanish in (
        "Comparar programas",
        "2 programas, uno al lado del otro.",
        "Las distancias se miden desde",
        "Los cálculos aproximados son para 90 días a partir de hoy",
        "No son Estimados de Buena Fe: pida uno al programa.",
        "Hacer una lista de llamadas para imprimir",
        "Distancia",
        "millas",
        "Dirección",
        "Costo aproximado de 90 días",
        "90 días de",
        "No hay precio publicado: pregunte al programa.",
        ": no consta",
        "Quitar",
        "Volver a los resultados de su búsqueda",
        "Confirme siempre con el programa los servicios, el seguro médico y los precios.",
    ):
        assert spanish in words, spanish
    for english in ("Compare programs", "side by side", "Estimated 90-day cost", "not reported"):
        assert english not in words, english
    # Program data as the source wrote it, marked so that no page translator changes it.
    assert '<span translate="no">Harbor House Recovery</span>' in html
    assert '<span translate="no">Hillside Clinic</span>' in html
    assert re.search(r'<address translate="no">\s*12 Wharf Street<br>', html)
    assert "617-555-0101" in html
    assert "$" in words and "US$" not in words


def test_the_comparisons_links_carry_a_chosen_language(client, two):
    html = page(client, compare_url(*two, near="02139", coverage="medicaid", lang="es"))
    links = local_links(html)
    for wanted in ("/compare/calls?", "/search?", "/facilities/", "/guide?"):
        assert any(h.startswith(wanted) for h in links), wanted
    for href in links:
        if href.startswith(("/compare", "/search", "/facilities/", "/guide")):
            assert parse_qs(urlsplit(href).query).get("lang") == ["es"], href
    removes = [unescape(h) for h in re.findall(r'<a class="remove" href="([^"]+)"', html)]
    assert removes and all("lang=es" in h for h in removes)
    assert '<a href="/guide?lang=es#signs">la guía</a>' in html


def test_the_comparisons_links_carry_no_language_from_the_browser(client, two):
    html = page(client, compare_url(*two, near="02139"), headers=SPANISH)
    assert html_lang(html) == "es"
    assert not [h for h in local_links(html) if "lang=" in h]


def test_the_comparisons_problems_in_spanish(client, add_program):
    ids = [add_program() for _ in range(6)]
    words = text(page(client, compare_url(*ids, lang="es"), status=400))
    assert "Puede comparar como máximo 5 programas a la vez, y este enlace incluye 6." in words
    words = text(page(client, compare_url(ids[0], "gone", lang="es"), status=404))
    assert "Uno de estos programas no está en el directorio" in words
    assert "Seguir sin ese programa" in words
    html = page(client, "/compare?lang=es")
    words = text(html)
    assert "Todavía no ha elegido nada. Para comparar programas:" in words
    assert "Marque Comparar en hasta cinco de los resultados." in words
    assert '<a href="/?lang=es">Busque programas</a> cerca de usted.' in html


def test_the_comparison_in_english_is_unchanged(client, two):
    html = page(client, compare_url(*two, near="02139", coverage="medicaid"))
    assert html_lang(html) == "en"
    words = text(html)
    assert "2 programs side by side." in words
    assert "Takes Medicaid. 90 days of standard outpatient: about $0" in words
    assert "They are not Good Faith Estimates: ask the program for one." in words
    assert "“Not reported” means the listing does not say, not “no”." in words
    assert not [h for h in local_links(html) if "lang=" in h]
    assert '<a href="/guide#signs">the guide</a>' in html


# ---- the call list ----


@pytest.mark.parametrize("how", ["url", "header"])
def test_the_call_list_in_spanish(client, two, how):
    url = compare_url(*two, path="/compare/calls", coverage="medicaid")
    html = page(client, url + "&lang=es") if how == "url" else page(client, url, headers=SPANISH)
    assert html_lang(html) == "es"
    words = text(html)
    for spanish in (
        "Lista de llamadas",
        "Llame a cada programa y anote lo que le digan.",
        "Imprimir esta lista",
        "Volver a la comparación",
        "Para compartir esta lista, envíe la dirección de esta página",
        "¿Hay lista de espera? ¿Cuándo podría empezar?",
        "¿Cuánto me costarían 90 días?",
        "¿Qué pasa después del alta?",
        "Notas (con quién hablé, cuándo, qué debo llevar):",
        "Nuestro cálculo aproximado:",
        "Línea Nacional de Ayuda de SAMHSA",
        "En una sobredosis, llame al 911 y dé naloxona.",
    ):
        assert spanish in words, spanish
    assert "Is there a waitlist?" not in words and "Call list" not in words
    assert '1. <span translate="no">Harbor House Recovery</span>' in html
    assert '2. <span translate="no">Hillside Clinic</span>' in html
    assert html.count("tel:+18006624357") == 2
    # The plan question names the coverage by our label for it.
    second = re.findall(r'<section class="call-program">(.*?)</section>', html, re.S)[1]
    assert "¿Aceptan mi plan (" in text(second) and "dentro de la red?" in text(second)


def test_the_call_lists_links_carry_a_chosen_language(client, two):
    html = page(client, compare_url(*two, path="/compare/calls", coverage="medicaid", lang="es"))
    back = [h for h in local_links(html) if h.startswith("/compare?")]
    assert back and parse_qs(urlsplit(back[0]).query)["lang"] == ["es"]
    assert not [h for h in local_links(html) if h.startswith("/compare") and "lang=es" not in h]


def test_the_call_list_in_english_is_unchanged(client, two):
    html = page(client, compare_url(*two, path="/compare/calls", coverage="medicaid"))
    words = text(html)
    assert "Call each program and write down what they say." in words
    assert "Is there a waitlist? How soon could I start?" in words
    assert "Notes (who I spoke to, when, what to bring):" in words
    assert "If you need help now: the free, confidential SAMHSA National Helpline" in words
    assert not [h for h in local_links(html) if "lang=" in h]


def test_questions_outside_a_request_stay_english():
    class Listing:
        sliding_fee_schedule = ""

        def tokens(self, kind):
            return []

        def rate(self, item):
            return None

    assert "Is there a waitlist? How soon could I start?" in questions(Listing())


def test_questions_in_a_spanish_request(app):
    class Listing:
        sliding_fee_schedule = ""

        def tokens(self, kind):
            return ["cash"] if kind == "payment" else []

        def rate(self, item):
            return None

    with app.test_request_context("/?lang=es"):
        asked = questions(Listing(), "medicaid")
    assert "¿Hay lista de espera? ¿Cuándo podría empezar?" in asked
    assert any(q.startswith("¿Aceptan mi plan (") for q in asked)
    assert not any("%(" in q for q in asked)


# ---- the guide ----


@pytest.mark.parametrize("how", ["url", "header"])
def test_the_guide_in_spanish(client, how):
    html = (
        page(client, "/guide?lang=es") if how == "url" else page(client, "/guide", headers=SPANISH)
    )
    assert html_lang(html) == "es"
    words = text(html)
    for spanish in (
        "Una guía en palabras sencillas",
        "Si alguien puede estar sufriendo una sobredosis",
        "Llame al 911 . No deje sola a la persona.",
        "Dele naloxona (Narcan) si la tiene.",
        "Desintoxicación",
        "Medicamentos para el trastorno por consumo de opioides",
        "metadona, buprenorfina y naltrexona",
        "Por qué al menos 90 días",
        "Deducible",
        "Coseguro y copagos",
        "(por ejemplo, un 20%)",
        "Máximo de gastos de su bolsillo",
        "Dentro de la red",
        "pautas federales de pobreza",
        "Señales de un tratamiento de calidad",
        "Fuentes",
        "consultado el 30 de noviembre de 2026",
        "Buscar un programa que ofrezca desintoxicación",
    ):
        assert spanish in words, spanish
    for english in ("A plain-words guide", "Sources", "Give naloxone", "accessed 2026"):
        assert english not in words, english
    # The sources' names and titles, and the organisations the guide cites, stay as they are.
    for name in ("Centers for Disease Control and Prevention (CDC)", "(NIDA Notes)", "HRSA"):
        assert name in words, name
    for source in guide.sources().values():
        assert source.title.replace("&", "&amp;") in html or source.title in words


def test_the_guides_links_carry_a_chosen_language(client):
    html = page(client, "/guide?lang=es")
    links = local_links(html)
    assert len(links) >= 7
    for href in links:
        assert parse_qs(urlsplit(href).query).get("lang") == ["es"], href
    detox = next(h for h in links if "care=" in h)
    assert "care=detox_inpatient" in detox and "lang=es" in detox


def test_the_guide_in_english_is_unchanged(client):
    html = page(client, "/guide")
    assert html_lang(html) == "en"
    words = text(html)
    for english in (
        "A plain-words guide",
        "Call 911 . Do not leave the person alone.",
        "a percentage (20%, say)",
        "accessed 2026-11-30",
        "August 31, 2017 (page last reviewed)",
        "Read in a stored copy of this CDC page; CDC has since moved its overdose pages.",
        "That is why finder estimates the cost of 90 days, not of a week or a month.",
    ):
        assert english in words, english
    assert not [h for h in local_links(html) if "lang=" in h]


def test_every_worded_date_and_note_of_the_sources_is_marked_for_translation():
    marked = set(guide.WORDS)
    for source in guide.sources().values():
        for value in (source.date, source.note):
            if re.search(r"[A-Za-z]", value):
                assert value in marked, (source.key, value)
