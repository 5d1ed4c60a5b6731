"""What every page promises: the safety banner, privacy, no third-party assets, honesty."""

import datetime as dt
import logging
import re
from pathlib import Path

import pytest
from flask import url_for
from test_admin import EMAIL, hidden_fields, make_admin
from test_reports import reports

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def program_id(add_program):
    return add_program(
        name="Harbor Light Recovery",
        street="1 Main St",
        phone="617-555-0123 x351",
        intake_phone="617-555-0199",
        website="https://example.org/harbor",
        care_levels=["outpatient", "residential_short"],
        payments=["medicaid", "sliding_fee"],
        medications=["buprenorphine"],
        languages=["es"],
        carriers=["Acme Health"],
        sliding_fee_schedule="100:0;150:25;200:75",
        rates={"residential_short": (45000, 75000), "outpatient": 15000},
    )


def public_pages(program_id):
    return [
        "/",
        "/search?near=02139",
        "/search?near=02139&payment=medicaid,sliding_fee&radius=any",
        "/search?near=nowhere",
        f"/facilities/{program_id}",
        "/facilities/no-such-program",
        "/api/no-such-endpoint",
    ]


def test_every_page_shows_overdose_and_helpline_help(client, program_id):
    for url in [*public_pages(program_id), "/no-such-page"]:
        text = client.get(url).text
        if url.startswith("/api/"):
            continue
        assert 'Call <a href="tel:911">911</a>' in text, url
        assert "naloxone" in text and "1-800-662-4357" in text and "988" in text, url


def test_no_page_loads_anything_from_another_site(client, program_id):
    for url in public_pages(program_id):
        text = client.get(url).text
        assets = re.findall(r"<(?:script|link|img|iframe|source|embed|object)\b[^>]*>", text)
        for tag in assets:
            assert not re.search(r"(src|href|data)=\"(https?:)?//", tag), (url, tag)
        assert "url(" not in text and "@import" not in text
        # The only absolute links are a program's own website and the directions to it (opened
        # only when tapped), marked as such.
        for link in re.findall(r"<a\b[^>]*href=\"(?:https?:)?//[^>]*>", text):
            assert 'rel="external' in link, (url, link)
    css = (ROOT / "static" / "finder.css").read_text()
    assert "//" not in re.sub(r"/\*.*?\*/", "", css, flags=re.S)


def test_pages_allow_only_our_own_origin(client, program_id):
    for url in public_pages(program_id):
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "unsafe-inline" not in csp
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
        assert " style=" not in response.text and "<script>" not in response.text
        assert "<style" not in response.text


def test_search_pages_set_no_cookies(client, program_id):
    for url in public_pages(program_id):
        assert "Set-Cookie" not in client.get(url).headers, url


# What a visitor fills in on each page that posts; every other POST is sent empty.
VISITOR_FORMS = {
    "admin.login": {"email": EMAIL, "password": "not the password at all"},
    "reports.new": {"kind": "wrong_phone", "comment": "The number is disconnected"},
    "finder.search_household": {"near": "02139", "household_size": "3", "income": "41000"},
    "estimate.result": {
        "program": "outpatient", "days": "90", "start_date": "2026-01-05", "insurance": "none",
    },
}  # fmt: skip
VISITOR_JSON = {"api.estimate_cost": {"start_date": "2026-01-05", "program": "outpatient"}}


def test_anonymous_visitors_never_receive_a_cookie_on_any_route(app, client, program_id):
    make_admin(app)
    values = {"program_id": program_id, "report_id": 1, "filename": "finder.css"}
    with app.test_request_context():
        urls = [
            (rule, url_for(rule.endpoint, **{a: values.get(a, "1") for a in rule.arguments}))
            for rule in app.url_map.iter_rules()
        ]
    answered = {}
    for rule, url in urls:
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            kwargs = {}
            if method == "POST" and rule.endpoint in VISITOR_JSON:
                kwargs["json"] = VISITOR_JSON[rule.endpoint]
            elif method == "POST":
                page = client.get(url).text if "GET" in rule.methods else ""
                kwargs["data"] = {**hidden_fields(page), **VISITOR_FORMS.get(rule.endpoint, {})}
            with client.open(url, method=method, **kwargs) as response:
                assert "Set-Cookie" not in response.headers, (method, url)
                answered[method, rule.endpoint] = response.status_code
                if response.status_code in (302, 303):
                    with client.get(response.location) as landing:
                        assert "Set-Cookie" not in landing.headers, (method, url)
    assert client.get_cookie("session") is None
    # The posts went through, as a visitor's would: a failed login, a report, an estimate.
    assert answered["POST", "admin.login"] == 200
    assert answered["POST", "reports.new"] == 302 and len(reports(app)) == 1
    assert answered["POST", "estimate.result"] == 200
    assert answered["POST", "api.estimate_cost"] == 200


def test_demo_data_is_labelled_while_demo_rows_exist(client, add_program):
    assert "Demo data:" not in client.get("/").text
    demo = add_program(source="demo", name="Demo: Pine Hill (fictional)")
    for url in ["/", "/search?near=02139", f"/facilities/{demo}", "/nowhere"]:
        assert "Demo data:" in client.get(url).text, url
    assert client.get("/api/facilities?near=02139").json["results"][0]["demo"] is True


def test_program_page_shows_everything_known(client, program_id):
    text = client.get(f"/facilities/{program_id}").text
    for expected in [
        "Harbor Light Recovery",
        'href="tel:6175550123,351"',
        "617-555-0123 x351",
        "617-555-0199",
        "1 Main St",
        "Cambridge, MA 02139",
        'href="geo:42.364700,-71.104200?q=',
        "Short-term residential (30 days or less)",
        "Standard outpatient",
        "Medicaid",
        "Sliding fee scale",
        "Buprenorphine",
        "Spanish",
        "Acme Health",
        "$450.00 to $750.00",
        "per day",
        "$150.00",
        "per week",
        "up to 150% of the poverty guideline pays 25%",
        "Last verified October 1, 2026",
        "confirm that it takes your",
        "Report a problem with this listing",
    ]:
        assert expected in text, expected


def test_stale_listings_say_so(client, add_program):
    old = add_program(verified_on=dt.date.today() - dt.timedelta(days=400))
    fresh = add_program(verified_on=dt.date.today() - dt.timedelta(days=30))
    assert "Not verified in over 12 months" in client.get(f"/facilities/{old}").text
    assert "Not verified in over 12 months" not in client.get(f"/facilities/{fresh}").text


def test_api_gives_the_same_program_with_its_prices(client, program_id):
    body = client.get(f"/api/facilities/{program_id}").get_json()
    assert body["id"] == program_id and body["phone"] == "617-555-0123 x351"
    assert body["rates"]["residential_short"] == {"low": 450.0, "high": 750.0}
    assert body["care_levels"] == ["outpatient", "residential_short"]
    missing = client.get("/api/facilities/nope")
    assert missing.status_code == 404 and missing.is_json


def test_query_strings_never_reach_the_access_log(app, caplog):
    from finder.security import RedactQueryStrings

    record = logging.LogRecord(
        "werkzeug", logging.INFO, __file__, 1, '%s - - [%s] "%s" %s %s',
        ("127.0.0.1", "now", "GET /search?near=02139&fpg=0-100 HTTP/1.1", "200", "-"), None,
    )  # fmt: skip
    RedactQueryStrings().filter(record)
    line = record.getMessage()
    assert "02139" not in line and "fpg" not in line and "GET /search?[redacted]" in line
    assert any(isinstance(f, RedactQueryStrings) for f in logging.getLogger("werkzeug").filters)


def test_gunicorn_logs_the_path_without_the_query():
    conf = (ROOT / "gunicorn.conf.py").read_text()
    fmt = re.search(r"access_log_format = '(.*)'", conf).group(1)
    assert "%(U)s" in fmt and "%(r)s" not in fmt and "%(q)s" not in fmt and "%(a)s" not in fmt
