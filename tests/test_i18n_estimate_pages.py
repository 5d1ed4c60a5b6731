"""The estimate pages and the JSON API in Spanish: the form's labels, choices and messages,
the answer page's money ("$18,360", never "US$") and month names, the API's error messages in
the request's language with its `field` kept English; and English as it was."""

import html
import re

from finder import answer, chart

ACROSS_NEW_YEAR = {
    "program": "inpatient", "days": "90", "start_date": "2025-11-15", "rate": "600",
    "insurance": "commercial", "in_network": "yes", "deductible": "5000",
    "coinsurance": "20", "oop_max": "9200", "plan_year_start": "01-01", "payment_months": "12",
}  # fmt: skip
SPANISH = {"Accept-Language": "es"}


def page_text(page) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page.text)).split())


def form_action(page) -> str:
    found = re.search(r'<form class="estimate" action="([^"]+)"', page.text)
    return html.unescape(found.group(1))


def test_the_estimate_form_in_spanish_from_the_url(client):
    page = client.get("/estimate?lang=es")
    text = page_text(page)
    assert page.status_code == 200 and '<html lang="es"' in page.text
    assert "¿Cuánto le costarían 90 días de tratamiento?" in text
    for words in (
        "Tipo de programa",
        "Ambulatorio estándar",
        "Residencial de largo plazo (internación)",
        "Medicamentos para el trastorno por consumo de opioides",
        "Buprenorfina",
        "Ninguno: pagaría yo",
        "¿El programa está dentro de la red de su plan?",
        "Deducible ($ por año del plan)",
        "Coseguro (el % que usted paga después del deducible: 20, 20% o 0.2)",
        "Máximo de gastos de su bolsillo ($ por año del plan)",
        "Copago por día ($)",
        "Tarifa según sus ingresos (escala móvil) (opcional)",
        "Personas en el hogar",
        "puede cobrar hasta un 15% más",
    ):
        assert words in text, words
    assert "Kind of program" not in text and "Standard outpatient" not in text
    assert re.search(r'<button type="submit">Calcular</button>', page.text)
    # The answer comes back in the language chosen.
    assert form_action(page) == "/estimate?lang=es"
    assert "Set-Cookie" not in page.headers


def test_the_estimate_form_follows_the_browsers_spanish(client):
    page = client.get("/estimate", headers=SPANISH)
    text = page_text(page)
    assert "Tipo de programa" in text and "Ambulatorio intensivo (IOP)" in text
    assert "Medicare Original" in text
    # Nothing chosen: the action carries no language, the browser's is followed again.
    assert form_action(page) == "/estimate"


def test_the_estimate_form_in_english_is_unchanged(client):
    page = client.get("/estimate")
    text = page_text(page)
    assert '<html lang="en"' in page.text
    assert "What would 90 days of treatment cost you?" in text
    assert "Kind of program" in text and "Standard outpatient" in text
    assert "Coinsurance (% you pay after the deductible: 20, 20% or 0.2)" in text
    assert "Is the program in your plan&#39;s network?" in page.text
    assert "may bill up to 15% more" in text
    assert form_action(page) == "/estimate"


def test_the_answer_page_in_spanish_with_its_money_and_months(client):
    action = form_action(client.get("/estimate?lang=es"))
    page = client.post(action, data=ACROSS_NEW_YEAR)
    text = page_text(page)
    assert page.status_code == 200 and '<html lang="es"' in page.text
    assert "Usted pagaría unos $18,360 " in text
    assert "El seguro pagaría $35,640." in text
    assert "US$" not in text
    assert "Un programa de 90 días que empiece el 15 de noviembre de 2025 cobraría" in text
    assert "$1,530.00 al mes" in text
    assert "Mes a mes" in text and "Por año del plan" in text
    assert "Esta estadía pasa a un nuevo año del plan" in text
    # The table and the chart name the months in Spanish.
    table = re.search(r'aria-label="Mes a mes".*?</table>', page.text, re.S).group(0)
    assert re.findall(r'<th scope="row">([^<]+)</th>', table) == [
        "Noviembre de 2025", "Diciembre de 2025", "Enero de 2026", "Febrero de 2026",
    ]  # fmt: skip
    svg = re.search(r"<svg.*?</svg>", page.text, re.S).group(0)
    assert re.findall(r'class="bar-label"[^>]*>([^<]+)<', svg) == [
        "nov", "2025", "dic", "ene", "2026", "feb",
    ]  # fmt: skip
    assert "Lo que usted paga y lo que paga el seguro, por mes" in svg
    assert "Noviembre de 2025: usted $" in svg
    # The answers used, in Spanish words.
    assert "Duración 90 días desde el 15 de noviembre de 2025" in text
    assert "deducible de $5,000" in text and "coseguro del 20%" in text
    assert "el año del plan empieza el 1 de enero" in text
    assert "Repartido en 12 meses" in text
    assert "Cambiar respuestas" in text and "Fuentes" in text


def test_the_answer_page_in_english_is_unchanged(client):
    page = client.post("/estimate", data=ACROSS_NEW_YEAR)
    text = page_text(page)
    assert "You would pay about $18,360 " in text
    assert "A program of 90 days starting November 15, 2025 would be charged" in text
    assert "$1,530.00 a month. Ask the program whether it offers a payment plan." in text
    table = re.search(r'aria-label="Month by month".*?</table>', page.text, re.S).group(0)
    assert re.findall(r'<th scope="row">([^<]+)</th>', table)[0] == "November 2025"
    assert "November 2025: you $" in page.text
    assert "Length 90 days from November 15, 2025" in text
    assert "plan year starts January 1" in text


def test_a_validation_error_in_spanish(client):
    page = client.post("/estimate?lang=es", data={**ACROSS_NEW_YEAR, "days": "3"})
    text = page_text(page)
    assert page.status_code == 400
    assert "Revise los campos marcados abajo." in text
    assert "El número debe estar entre 7 y 365." in text
    page = client.post("/estimate", headers=SPANISH, data={**ACROSS_NEW_YEAR, "days": "noventa"})
    assert "Escriba un número entero, en cifras." in page_text(page)
    page = client.post("/estimate?lang=es", data={**ACROSS_NEW_YEAR, "start_date": "mañana"})
    assert "No es una fecha válida." in page_text(page)


def test_a_validation_error_in_english_is_unchanged(client):
    page = client.post("/estimate", data={**ACROSS_NEW_YEAR, "days": "3"})
    text = page_text(page)
    assert "Please check the fields marked below." in text
    assert "Number must be between 7 and 365." in text


def test_the_apis_errors_follow_the_requests_language(client):
    answer = client.post("/api/estimate", json=[1, 2], headers=SPANISH)
    assert answer.status_code == 400
    assert answer.json == {"error": "El cuerpo (body) debe ser un objeto JSON.", "field": "body"}
    answer = client.post(
        "/api/estimate?lang=es", json={"start_date": "2026-01-01", "program": "outpatient",
                                       "insurance": {"type": "commercial", "deductable": 5}}
    )  # fmt: skip
    assert answer.status_code == 400
    assert answer.json["field"] == "insurance.deductable"
    assert answer.json["error"] == (
        'insurance no tiene la clave "deductable". ¿Quiso decir "deductible"?'
    )
    answer = client.post(
        "/api/estimate", json={"start_date": "2026-01-01", "program": "outpatient", "days": "x"},
        headers=SPANISH,
    )  # fmt: skip
    assert answer.json == {"error": "days debe ser un número entero.", "field": "days"}


def test_the_apis_errors_in_english_are_unchanged(client):
    answer = client.post("/api/estimate", json=[1, 2])
    assert answer.json == {"error": "The body must be a JSON object.", "field": "body"}
    answer = client.post(
        "/api/estimate", json={"start_date": "2026-01-01", "program": "outpatient",
                               "insurance": {"type": "commercial", "deductable": 5}}
    )  # fmt: skip
    assert answer.json["error"] == 'insurance has no key "deductable". Did you mean "deductible"?'


def test_the_apis_answer_in_spanish_keeps_its_tokens_and_numbers(client):
    body = {"start_date": "2026-03-01", "program": "inpatient"}
    spanish = client.post("/api/estimate", json=body, headers=SPANISH).json
    english = client.post("/api/estimate", json=body).json
    assert spanish["you_pay"] == english["you_pay"]
    assert spanish["prices"] == english["prices"]
    assert spanish["coverage_used"]["type"] == english["coverage_used"]["type"]


def test_the_helpers_format_for_the_locale(app):
    with app.test_request_context("/?lang=es"):
        assert answer.whole_dollars(1483450) == "$14,835"
        assert answer.typed_dollars(answer.Decimal("12.5")) == "$12.50"
        assert answer.month_name("2025-11") == "Noviembre de 2025"
        assert answer.month_name("2025-11", short=True) == "nov"
        assert chart.short_month(12) == "dic"
        assert answer.unit_word("week") == "semana"
    with app.test_request_context("/"):
        assert answer.whole_dollars(1483450) == "$14,835"
        assert answer.month_name("2025-11") == "November 2025"
        assert chart.short_month(12) == "Dec"
        assert answer.unit_word("week") == "week"
