"""Every bad input gets a clear 400 (or a 404 for an id that cannot exist), never a 500:
the examples of issue 8, on SQLite and PostgreSQL."""

import html
import io
import json

import pytest
from test_admin import EMAIL, hidden_fields, log_in, make_admin, token
from test_reports import reports

START = {"start_date": "2026-01-05", "program": "outpatient"}
FORM = {"program": "outpatient", "days": "90", "start_date": "2026-01-05", "insurance": "none"}


def nested(depth: int) -> str:
    """A JSON object `depth` levels deep: {"a": {"a": ... 1}}."""
    return '{"a": ' * depth + "1" + "}" * depth


@pytest.mark.parametrize(
    "params, field",
    [
        ({"page": "²"}, "page"),
        ({"near": "٤٢.٣,-٧١.١"}, "near"),
        ({"near": "42.3,-71." + "1" * 40}, "near"),
        ({"per_page": "①"}, "per_page"),
        ({"page": "١"}, "page"),
        ({"page": "1_0"}, "page"),
        ({"per_page": "+5"}, "per_page"),
        ({"radius": "١٠"}, "radius"),
        ({"radius": "1e2"}, "radius"),
        ({"radius": "Infinity"}, "radius"),
        ({"radius": "9" * 400}, "radius"),
        ({"deductible": "sNaN", "coinsurance": "0.2", "oop_max": "5000"}, "deductible"),
        ({"deductible": "1000", "coinsurance": "NaN", "oop_max": "5000"}, "coinsurance"),
        ({"deductible": "1000", "coinsurance": "0.2", "oop_max": "1e3"}, "oop_max"),
        ({"deductible": "1" * 400, "coinsurance": "0.2", "oop_max": "5000"}, "deductible"),
    ],
)
def test_search_numbers_are_ascii_digits_within_bounds(client, params, field):
    response = client.get("/api/facilities", query_string={"near": "02139", **params})
    assert response.status_code == 400
    assert response.json["field"] == field and response.json["error"]
    page = client.get("/search", query_string={"near": "02139", **params})
    assert page.status_code == 400
    assert response.json["error"] in html.unescape(page.text)


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"insurance": "commercial", "deductible": "sNaN"}, "deductible"),
        ({"household_size": "2", "income": "sNaN", "state": "MA"}, "income"),
        ({"days": "9" * 400}, "days"),
        ({"days": "٩٠"}, "days"),
        ({"rate": "Infinity"}, "rate"),
        ({"insurance": "commercial", "coinsurance": "NaN"}, "coinsurance"),
        ({"household_size": "²", "income": "30000", "state": "MA"}, "household_size"),
        ({"payment_months": "1e1"}, "payment_months"),
        ({"start_date": "9999-12-31"}, "start_date"),
    ],
)
def test_estimate_form_mistakes_are_a_400_on_the_form(client, changes, field):
    page = client.post("/estimate", data={**FORM, **changes})
    assert page.status_code == 400
    assert f'id="{field}-error"' in page.text


@pytest.mark.parametrize(
    "body, field",
    [
        ({**START, "medication": ["x"]}, "medication"),
        ({**START, "medication": {"a": 1}}, "medication"),
        ({"start_date": "2026-01-05", "phases": [{"level": ["x"], "days": 30}]}, "phases[0].level"),
        ({"start_date": "2026-01-05", "phases": [{"level": "outpatient", "days": [30]}]}, "phases[0].days"),
        ({**START, "program": ["outpatient"]}, "program"),
        ({**START, "days": 10**30}, "days"),
        ({"start_date": "9999-12-31", "program": "outpatient"}, "start_date"),
        ({"start_date": "1899-12-31", "program": "outpatient"}, "start_date"),
        ({"start_date": ["2026-01-05"], "program": "outpatient"}, "start_date"),
        ({**START, "facility_id": ["x"]}, "facility_id"),
        ({**START, "facility_id": {"id": "x"}}, "facility_id"),
        ({**START, "insurance": {"type": ["commercial"]}}, "insurance.type"),
        ({**START, "insurance": {"type": "medicaid", "plan_year_start": ["01-01"]}}, "insurance.plan_year_start"),
        ({**START, "household": {"size": 2, "annual_income": 30000, "state": ["MA"]}}, "household.state"),
        ({**START, "household": {"size": "²", "annual_income": 30000, "state": "MA"}}, "household.size"),
        ({**START, "household": {"size": 2, "annual_income": "sNaN", "state": "MA"}}, "household.annual_income"),
        ({**START, "payment_months": 1.5}, "payment_months"),
        ({**START, "sliding_scale": "yes"}, "sliding_scale"),
    ],
)  # fmt: skip
def test_api_fields_of_the_wrong_type_are_a_400_naming_them(client, body, field):
    response = client.post("/api/estimate", json=body)
    assert response.status_code == 400
    assert response.json["field"] == field and response.json["error"]


@pytest.mark.parametrize(
    "raw",
    [
        "[" * 1000 + "]" * 1000,
        nested(1000),
        nested(21),
        '{"start_date": "2026-01-05", "program": "outpatient", "x": ' + nested(20) + "}",
        '{"start_date": "2026-01-05", "program": "outpatient", "days": NaN}',
        '{"start_date": "2026-01-05", "program": "outpatient", "days": Infinity}',
        '{"start_date": "2026-01-05", "program": "outpatient", "days": ' + "9" * 5000 + "}",
        "\xff\xfe not utf-8",
    ],
    ids=["1000 lists", "1000 objects", "21 objects", "deep inside", "NaN", "Infinity", "5000 digits", "bytes"],
)  # fmt: skip
def test_api_bodies_that_no_estimate_needs_are_a_400(client, raw):
    data = raw.encode("latin-1")
    response = client.post("/api/estimate", data=data, content_type="application/json")
    assert response.status_code == 400
    assert response.json["field"] in ("body", "days") and response.json["error"]


def test_twenty_levels_of_nesting_are_still_read(client):
    # Read, not refused as a body: the answer names the key no estimate knows, not "body".
    body = {**START, "insurance": None}
    raw = json.dumps(body)[:-1] + ', "extra": ' + nested(19) + "}"
    response = client.post("/api/estimate", data=raw, content_type="application/json")
    assert response.status_code == 400 and response.json["field"] == "extra"
    assert client.post("/api/estimate", json=body).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/facilities/p%00x",
        "/api/facilities/p%00x",
        "/search?near=02139%00",
        "/api/facilities?near=02139&payment%00=cash",
        "/estimate?facility=a%00b",
        "/facilities/p%00x/report",
    ],
)
def test_a_nul_byte_anywhere_in_a_url_is_a_400(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "NUL" in response.text
    if url.startswith("/api/"):
        assert response.json["field"]


def test_a_nul_byte_in_a_form_or_json_body_is_a_400_and_stores_nothing(app, client, add_program):
    program_id = add_program()
    url = f"/facilities/{program_id}/report"
    data = {**hidden_fields(client.get(url).text), "kind": "other", "comment": "a\x00b"}
    assert client.post(url, data=data).status_code == 400
    assert reports(app) == []
    page = hidden_fields(client.get("/admin/login").text)
    login = {**page, "email": f"{EMAIL}\x00", "password": "correct horse battery staple"}
    assert client.post("/admin/login", data=login).status_code == 400
    api = client.post("/api/estimate", json={**START, "program": "out\x00patient"})
    assert api.status_code == 400 and api.json["field"] == "program"
    assert client.post("/estimate", data={**FORM, "facility": "\x00"}).status_code == 400


@pytest.mark.parametrize("url", ["/admin/logout", "/admin/login", "/search", "/estimate"])
def test_a_form_field_without_a_readable_name_is_a_400(client, url):
    # Werkzeug names a multipart field called "\n" None; Flask-WTF's CSRF check then crashed.
    data = {"\n": "x", "file": (io.BytesIO(b"a"), "a.csv")}
    response = client.post(url, data=data, content_type="multipart/form-data")
    assert response.status_code == 400


@pytest.mark.parametrize(
    "url",
    [
        "/admin/reports/9223372036854775808/resolve",
        "/admin/reports/2147483648/resolve",
        "/admin/reports/0/resolve",
        "/admin/programs/" + "a" * 65 + "/verify",
        "/admin/programs/%C2%B2/verify",
    ],
)
def test_ids_that_cannot_exist_are_not_found_before_the_database_is_asked(app, client, url):
    make_admin(app)
    log_in(client)
    assert client.post(url, data={"csrf_token": token(client)}).status_code == 404


@pytest.mark.parametrize("program_id", ["a" * 65, "UPPER", "%C2%B2", "a.b", "a%20b"])
def test_program_ids_outside_the_key_alphabet_are_not_found(client, program_id):
    for url in (f"/facilities/{program_id}", f"/api/facilities/{program_id}"):
        assert client.get(url).status_code == 404, url
    answer = client.post("/api/estimate", json={**START, "facility_id": program_id})
    assert answer.status_code == 404
