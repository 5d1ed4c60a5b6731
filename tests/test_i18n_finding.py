"""The pages a family uses to find a program, in Spanish (issue 17): the home page, results, a
program's page, the place error page, the report form and an error page, chosen with ?lang=es
or by the browser's Accept-Language; the English pages unchanged; program data as written;
towns typed with their accents and ñ."""

import re

import pytest

from finder import geo, vocab
from finder.estimator.text import Text

SPANISH = {"Accept-Language": "es-MX,es;q=0.9"}


@pytest.fixture
def program_id(add_program):
    return add_program(
        name="Harbor Light Recovery",
        street="1 Main St",
        phone="617-555-0123",
        intake_phone="617-555-0199",
        care_levels=["outpatient", "residential_short"],
        payments=["medicaid", "sliding_fee"],
        medications=["buprenorphine", "naltrexone_xr"],
        languages=["es"],
        specials=["veterans"],
        carriers=["Acme Health"],
        signs=["carf"],
        sliding_fee_schedule="100:0;150:25;200:75",
        rates={"residential_short": (45000, 75000), "outpatient": 15000},
        telehealth=True,
    )


def words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def spanish(client, url: str, how: str):
    """The page in Spanish, chosen in the URL or by the browser."""
    if how == "url":
        return client.get(url + ("&" if "?" in url else "?") + "lang=es")
    return client.get(url, headers=SPANISH)


def assert_banner_in_spanish(html: str) -> None:
    text = words(html)
    assert "¿Sobredosis? Llame al 911" in text
    assert "naloxona (Narcan)" in text
    assert "Línea Nacional de Ayuda de SAMHSA 1-800-662-4357 (también en español)" in text
    assert "988 (Línea de Prevención del Suicidio y Crisis)" in text
    assert 'href="tel:911"' in html and 'href="tel:+18006624357"' in html
    assert 'href="tel:988"' in html
    assert '<html lang="es">' in html


HOW = pytest.mark.parametrize("how", ["url", "header"])


@HOW
def test_the_home_page_in_spanish(client, how):
    page = spanish(client, "/", how)
    assert page.status_code == 200
    assert_banner_in_spanish(page.text)
    text = words(page.text)
    assert "Buscar un programa de tratamiento para el consumo de sustancias" in text
    assert "Código postal o ciudad" in text and "¿Cómo va a pagar?" in text
    assert "Sin seguro / tarifa según ingresos" in text
    # Our labels for the vocabularies, as patients know them.
    for label in ["Desintoxicación, con internación", "Ambulatorio intensivo", "Metadona",
                  "Naltrexona inyectable (Vivitrol)", "Tarifa según sus ingresos (escala móvil)",
                  "Veteranos", "Hospitalización parcial / tratamiento de día"]:  # fmt: skip
        assert label in text, label
    assert "Overdose?" not in text and "Find a substance-use" not in text
    # "Use my location" has its words from the page (static/locate.js reads them).
    assert 'data-locate="Usar mi ubicación"' in page.text
    assert "Set-Cookie" not in page.headers


def test_the_home_page_in_english_is_unchanged(client):
    page = client.get("/")
    text = words(page.text)
    assert "Overdose? Call 911 , give naloxone (Narcan), stay with them." in text
    assert "Free help 24/7: SAMHSA Helpline 1-800-662-4357 · call or text 988" in text
    assert "Find a substance-use treatment program" in text
    assert "ZIP code or town" in text and "How will you pay?" in text
    assert "Detox (withdrawal management), inpatient" in text
    assert "también" not in text and "Sobredosis" not in text
    # No words for the script on an English page: it has its own English.
    assert "data-locate" not in page.text


@HOW
def test_a_results_page_in_spanish(client, program_id, how):
    page = spanish(client, "/search?near=02139&coverage=medicaid&payment=medicaid", how)
    assert page.status_code == 200
    assert_banner_in_spanish(page.text)
    text = words(page.text)
    assert "1 programa a menos de 25 millas de 02139 (Cambridge, MA)" in text
    assert "Acepta Medicaid" in text
    assert "Llamar al 617-555-0123" in text and "Cómo llegar" in text
    assert "Ambulatorio estándar, Residencial a corto plazo (30 días o menos)" in text
    assert "Buprenorfina, Naltrexona inyectable (Vivitrol)" in text
    assert "Mostrar también los programas que no aceptan Medicaid" in text
    assert "Verificado por última vez el 1 de octubre de 2026" in text
    assert "Mapa de estos programas" in text and "Imprimir o compartir esta lista" in text
    # The program's own data as its source wrote it, marked not to translate.
    assert re.search(
        r'<a href="/facilities/[^"]+" translate="no">Harbor Light Recovery</a>', page.text
    )
    assert '<address translate="no">1 Main St<br>Cambridge, MA 02139</address>' in page.text
    for english in [
        "programs within",
        "Takes Medicaid",
        "Directions",
        "Last verified",
        "miles away",
    ]:
        assert english not in text, english


def test_plurals_and_places_of_a_spanish_results_page(client, add_program):
    add_program(name="Uno")
    add_program(name="Dos", latitude=42.37, longitude=-71.09)
    text = words(client.get("/search?near=02139&radius=any&lang=es").text)
    assert "2 programas a cualquier distancia de 02139 (Cambridge, MA)" in text
    assert "a 0.8 millas al noreste" in text  # the map's words for the list
    empty = words(client.get("/search?near=02139&radius=5&special=veterans&lang=es").text)
    assert "0 programas a menos de 5 millas" in empty
    assert "Ningún programa cumple con todo lo que eligió a esta distancia." in empty


def test_a_results_page_in_english_is_unchanged(client, program_id):
    text = words(client.get("/search?near=02139&coverage=medicaid&payment=medicaid").text)
    assert "1 program within 25 miles of 02139 (Cambridge, MA)" in text
    assert "Takes Medicaid" in text and "Call 617-555-0123" in text
    assert "Standard outpatient, Short-term residential (30 days or less)" in text
    assert "Also show programs that don't take Medicaid" in text
    assert "Last verified October 1, 2026 (source: finder)" in text
    assert "programa" not in text


def test_estimates_notes_in_spanish(client, program_id):
    url = "/search?near=02139&care=outpatient&coverage=cash&fpg=101-125&sort=cost&lang=es"
    text = words(client.get(url).text)
    assert (
        "Tarifas según ingresos para un hogar con ingresos del 101 al 125% de la pauta federal de pobreza."
        in text
    )
    assert "90 días de ambulatorio estándar, con pago por cuenta propia:" in text
    assert "no son Estimados de Buena Fe" in text
    assert "Ordenado por costo entre los" in text
    english = words(client.get(url.replace("&lang=es", "")).text)
    assert (
        "Sliding fees for a household at 101 to 125% of the federal poverty guideline." in english
    )
    assert "201% or more" in words(client.get("/search?near=02139&fpg=201%2B").text)
    assert "del 201% o más" in words(client.get("/search?near=02139&fpg=201%2B&lang=es").text)


@HOW
def test_a_program_page_in_spanish(client, program_id, how):
    page = spanish(client, f"/facilities/{program_id}", how)
    assert page.status_code == 200
    assert_banner_in_spanish(page.text)
    text = words(page.text)
    assert '<h1 translate="no">Harbor Light Recovery</h1>' in page.text
    assert '<dd translate="no">Acme Health</dd>' in page.text
    for expected in [
        "Niveles de atención", "Medicamentos para el trastorno por consumo de opioides",
        "Buprenorfina, Naltrexona inyectable (Vivitrol)", "Medicaid, Tarifa según sus ingresos (escala móvil)",
        "Idiomas Español", "Programas para Veteranos", "Terapias No lo indica",
        "Número principal: 617-555-0123", "Admisión: 617-555-0199",
        "Precios publicados", "$150.00 por semana", "de $450.00 a $750.00 por día",
        "hasta el 150% de la pauta de pobreza paga el 25%", "por encima de eso, el precio completo",
        "Señales de atención de calidad", "Acreditado por CARF", "No se informa",
        "Antes de ir:", "Informar un problema con esta ficha",
    ]:  # fmt: skip
        assert expected in text, expected
    assert 'href="/guide?lang=es#signs"' in page.text or how == "header"
    assert "Levels of care" not in text and "Published prices" not in text


def test_a_program_page_in_english_is_unchanged(client, program_id):
    text = words(client.get(f"/facilities/{program_id}").text)
    for expected in [
        "Levels of care", "Buprenorphine, Naltrexone (extended-release injection)",
        "Main number: 617-555-0123", "$150.00 per week", "$450.00 to $750.00 per day",
        "up to 150% of the poverty guideline pays 25%; up to 200%", "above that, the full price",
        "Signs of quality care", "Accredited by CARF", "Last verified October 1, 2026",
    ]:  # fmt: skip
        assert expected in text, expected


@HOW
def test_the_place_error_page_in_spanish(client, how):
    page = spanish(client, "/search?near=Cambridge", how)
    assert page.status_code == 400
    assert_banner_in_spanish(page.text)
    text = words(page.text)
    assert "Corrijamos la búsqueda" in text
    assert "Hay 13 estados con una ciudad o pueblo llamado Cambridge. ¿Cuál busca?" in text
    assert 'aria-label="Lugares que quizás busca"' in page.text
    assert ">Cambridge, MA</a>" in page.text
    near_miss = spanish(client, "/search?near=Sprinfield,+MA", how)
    assert "No encontramos &#34;Sprinfield, MA&#34;. ¿Quiso decir" in near_miss.text
    # The one town offered is a link inside the sentence.
    assert re.search(r"¿Quiso decir <a href=\"[^\"]+\">Springfield, MA</a>\?", near_miss.text)
    unknown = words(spanish(client, "/search?near=99999", how).text)
    assert (
        "No conocemos el código postal 99999. Pruebe con un código postal de 5 dígitos" in unknown
    )


def test_the_place_error_page_in_english_is_unchanged(client):
    text = words(client.get("/search?near=Cambridge").text)
    assert "Let's fix the search" in text
    assert "13 states have a town called Cambridge. Which one do you mean?" in text
    assert "99999 is not a ZIP code we know. Try a 5-digit ZIP code (02139)" in words(
        client.get("/search?near=99999").text
    )


@HOW
def test_the_report_page_in_spanish(client, program_id, how):
    page = spanish(client, f"/facilities/{program_id}/report", how)
    assert page.status_code == 200
    assert_banner_in_spanish(page.text)
    text = words(page.text)
    for expected in [
        "Informar un problema con esta ficha", "¿Qué está mal en esta ficha?",
        "El número de teléfono está mal", "Otra cosa", "Enviar el informe",
        "Por favor, no incluya nombres ni datos de contacto",
    ]:  # fmt: skip
        assert expected in text, expected
    assert '<p class="lead" translate="no">' in page.text and "Harbor Light Recovery" in text


def test_a_report_refused_in_spanish_and_english(client, program_id):
    url = f"/facilities/{program_id}/report"
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', client.get(url).text).group(1)
    spanish_page = client.post(url + "?lang=es", data={"token": token, "comment": "x" * 1001})
    assert spanish_page.status_code == 400
    text = words(spanish_page.text)
    assert "Elija qué está mal." in text and "Escriba menos de 1000 caracteres." in text
    english = words(client.post(url, data={"token": token, "comment": "x" * 1001}).text)
    assert "Choose what is wrong." in english and "Keep it under 1000 characters." in english


@HOW
def test_a_404_in_spanish(client, how):
    page = spanish(client, "/no-such-page", how)
    assert page.status_code == 404
    assert_banner_in_spanish(page.text)
    text = words(page.text)
    assert "No se encontró la página" in text and "Empezar una nueva búsqueda" in text
    missing = spanish(client, "/facilities/no-such-program", how)
    assert missing.status_code == 404
    assert "No hay ningún programa con ese identificador en el directorio." in words(missing.text)


def test_a_404_in_english_is_unchanged(client):
    text = words(client.get("/no-such-page").text)
    assert "Not Found" in text and "The requested URL was not found on the server." in text
    assert "Start a new search" in text
    missing = words(client.get("/facilities/no-such-program").text)
    assert "There is no program with that id in the directory." in missing


def test_werkzeugs_words_we_translate_are_its_own():
    from werkzeug import exceptions

    from finder.security import HTTP_WORDS

    for error in (exceptions.BadRequest, exceptions.Forbidden, exceptions.NotFound,
                  exceptions.MethodNotAllowed, exceptions.RequestEntityTooLarge,
                  exceptions.TooManyRequests, exceptions.InternalServerError,
                  exceptions.ServiceUnavailable):  # fmt: skip
        assert error().name in HTTP_WORDS and error.description in HTTP_WORDS


def test_the_api_keeps_english_tokens_and_labels(client, program_id):
    body = client.get("/api/facilities?near=02139", headers=SPANISH).json
    assert body["results"][0]["name"] == "Harbor Light Recovery"
    assert body["results"][0]["care_levels"] == ["outpatient", "residential_short"]
    detail = client.get(f"/api/facilities/{program_id}?lang=es", headers=SPANISH)
    text = detail.get_data(as_text=True)
    assert '"label": "Accredited by CARF"' in text or '"label":"Accredited by CARF"' in text
    assert "Acreditado" not in text and "Licensed or accredited" in text
    error = client.get("/api/facilities?near=Cambridge&lang=es").json
    assert error["field"] == "near"


def test_vocabulary_labels_are_marked_and_still_english():
    for kind in ("care", "payment", "medication", "special", "sign"):
        for token, value in vocab.FEATURE_KINDS[kind].items():
            label = vocab.label(kind, token)
            assert isinstance(label, Text), (kind, token)
            assert label == (value[0] if isinstance(value, tuple) else value)
    assert vocab.label("care", "outpatient") == "Standard outpatient"


@pytest.mark.parametrize(
    "typed, label",
    [
        ("Española, NM", "Espanola, NM"),
        ("Espanola, NM", "Espanola, NM"),
        ("española nm", "Espanola, NM"),
        ("Peñasco, NM", "Penasco, NM"),
        ("Peñasco", "Penasco, NM"),
        ("Cañon City, CO", "Canon City, CO"),
        ("CAÑON CITY, Colorado", "Canon City, CO"),
        ("Espan\u0303ola, NM", "Espanola, NM"),  # ñ typed as n and a combining tilde
    ],
)
def test_towns_with_accents_and_enye_resolve(typed, label):
    assert geo.resolve(typed).label == label


@pytest.mark.parametrize(
    "typed, label",
    [
        ("Nueva York", "New York, NY"),
        ("Nueva York, NY", "New York, NY"),
        ("Nueva York, Nueva York", "New York, NY"),
        ("Nueva Orleans", "New Orleans, LA"),
        ("Filadelfia, Pensilvania", "Philadelphia, PA"),
        ("Albuquerque, Nuevo México", "Albuquerque, NM"),
        ("Española, Nuevo México", "Espanola, NM"),
        ("Charlotte, Carolina del Norte", "Charlotte, NC"),
        ("Charleston, Virginia Occidental", "Charleston, WV"),
    ],
)
def test_places_typed_with_their_spanish_names(typed, label):
    assert geo.resolve(typed).label == label


def test_a_spanish_state_name_alone_asks_for_a_town():
    with pytest.raises(geo.PlaceNotFound) as error:
        geo.resolve("Carolina del Norte")
    assert "Town, NC" in error.value.message
    # "Filadelfia" alone is one of five Philadelphias: the visitor picks, as in English.
    with pytest.raises(geo.PlaceNotFound) as error:
        geo.resolve("Filadelfia")
    assert "Philadelphia, PA" in error.value.candidates


@pytest.mark.parametrize("near", ["Española, NM", "Peñasco, NM", "Cañon City, CO"])
def test_a_search_by_an_accented_town(client, near):
    for url in (f"/search?near={near}", f"/search?near={near}&lang=es"):
        page = client.get(url)
        assert page.status_code == 200, url
    assert "a menos de 25 millas de" in words(client.get(f"/search?near={near}&lang=es").text)
    assert client.get(f"/api/facilities?near={near}").status_code == 200
