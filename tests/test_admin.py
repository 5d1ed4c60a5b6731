"""The admin area: who may reach it, CSRF on every change, reports and verification.

The helpers here (make_admin, log_in, csrf_token) are shared with the other admin tests.
"""

import datetime as dt
import html
import re
import secrets
import time
from urllib.parse import quote

import pytest
from flask import Flask, url_for
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, select
from werkzeug.security import generate_password_hash

from finder.db import db
from finder.models import Admin, ImportBatch, Program, Report, ThrottleHit

EMAIL = "admin@example.org"
PASSWORD = "correct horse battery staple"
# POSTs that change nothing and are CSRF-exempt by design: the cost estimate (form and API),
# and the search form, which posts household income so that it never enters a URL.
# Posts that change nothing: an estimate, its form filled again, a search.
CSRF_EXEMPT_PATHS = {"/estimate", "/estimate/change", "/api/estimate", "/search"}


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "the page has no CSRF token"
    return match.group(1)


def hidden_fields(page: str) -> dict[str, str]:
    """The hidden inputs of a page's forms (tokens, next), as a browser would send them back."""
    fields = {}
    for tag in re.findall(r"<input\b[^>]*>", page):
        name, value = re.search(r'name="([^"]*)"', tag), re.search(r'value="([^"]*)"', tag)
        if 'type="hidden"' in tag and name:
            fields[name.group(1)] = html.unescape(value.group(1)) if value else ""
    return fields


def make_admin(app, email: str = EMAIL, password: str = PASSWORD) -> str:
    """An admin stored directly, hashed at the test work factor."""
    with app.app_context():
        n = app.config["PASSWORD_SCRYPT_N"]
        hashed = generate_password_hash(password, method=f"scrypt:{n}:8:1")
        db.session.add(Admin(email=email, password_hash=hashed))
        db.session.commit()
    return email


def log_in(client, email: str = EMAIL, password: str = PASSWORD, next: str = "", **kwargs):
    """Fill in the login page as a browser would; returns the POST's response."""
    page = client.get("/admin/login" + (f"?next={quote(next)}" if next else ""), **kwargs)
    data = {**hidden_fields(page.text), "email": email, "password": password, "next": next}
    return client.post("/admin/login", data=data, **kwargs)


@pytest.fixture
def admin_client(app, client):
    make_admin(app)
    assert log_in(client).status_code == 302
    return client


def token(client) -> str:
    """A CSRF token for a logged-in client's session, from the log-out button on every page."""
    return csrf_token(client.get("/admin/").text)


def cookie_signed_with(key: str, data: dict) -> str:
    """A session cookie as Flask would sign it with `key`."""
    forger = Flask("forger")
    forger.secret_key = key
    return SecureCookieSessionInterface().get_signing_serializer(forger).dumps(data)


def csrf_token_for(app, cookie: str) -> str:
    """The CSRF token that matches a session cookie this app signed (Flask-WTF's signing)."""
    data = app.session_interface.get_signing_serializer(app).loads(cookie)
    return URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(data["csrf_token"])


def snapshot(app) -> dict:
    """Everything an admin request could change."""
    with app.app_context():
        return {
            "programs": db.session.execute(
                select(Program.id, Program.verified_on, Program.active).order_by(Program.id)
            ).all(),
            "reports": db.session.execute(
                select(Report.id, Report.resolved_at, Report.resolved_by).order_by(Report.id)
            ).all(),
            "imports": db.session.execute(select(ImportBatch.id)).all(),
            "admins": db.session.execute(select(Admin.id, Admin.password_hash)).all(),
        }


@pytest.fixture
def report_id(app, add_program):
    program_id = add_program(verified_on=dt.date(2024, 1, 2))
    with app.app_context():
        report = Report(program_id=program_id, kind="wrong_phone", comment="Number disconnected")
        db.session.add(report)
        db.session.commit()
        return report.id


def built_urls(app, rules, report_id: int) -> list[tuple[str, str]]:
    """(method, URL) of every rule, about the report and its program."""
    with app.app_context():
        program_id = db.session.get(Report, report_id).program_id
    values = {"report_id": report_id, "program_id": program_id}
    with app.test_request_context():
        return [
            (method, url_for(rule.endpoint, **{a: values.get(a, "1") for a in rule.arguments}))
            for rule in rules
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
        ]


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def logged_in_cookie(app, **changes) -> str:
    """The cookie of a fresh login (with its CSRF token), with session values changed."""
    client = app.test_client()
    assert log_in(client).status_code == 302
    client.get("/admin/")  # the page's log-out button puts a CSRF token in the session
    with client.session_transaction() as session:
        session.update(changes)
    return session_cookie(client)


def anonymous_with_a_csrf_token(app) -> str:
    return cookie_signed_with(app.secret_key, {"csrf_token": secrets.token_hex(20)})


def signed_with_dev(app) -> str:
    now = int(time.time())
    session = {"admin_id": 1, "generation": 0, "login_at": now, "seen_at": now, "csrf_token": "x"}
    return cookie_signed_with("dev", session)


def copied_before_logout(app) -> str:
    client = app.test_client()
    log_in(client)
    assert client.get("/admin/").status_code == 200  # puts a CSRF token in the session
    cookie = session_cookie(client)
    assert client.post("/admin/logout", data={"csrf_token": token(client)}).status_code == 302
    return cookie


def idle_for_31_minutes(app) -> str:
    return logged_in_cookie(app, seen_at=int(time.time()) - 31 * 60)


def older_than_8_hours(app) -> str:
    return logged_in_cookie(app, login_at=int(time.time()) - 8 * 3600 - 1)


def of_a_removed_admin(app) -> str:
    cookie = logged_in_cookie(app)
    with app.app_context():
        db.session.execute(delete(Admin))
        db.session.commit()
    return cookie


@pytest.mark.parametrize(
    "visitor",
    [
        anonymous_with_a_csrf_token,
        signed_with_dev,
        copied_before_logout,
        idle_for_31_minutes,
        older_than_8_hours,
        of_a_removed_admin,
    ],
)
def test_every_admin_route_is_closed(app, report_id, visitor):
    rules = [
        r
        for r in app.url_map.iter_rules()
        if r.rule.startswith("/admin") and r.endpoint != "admin.login"
    ]
    assert len(rules) >= 8  # dashboard, reports, resolve, verify, import, apply, history, export
    make_admin(app)
    cookie = visitor(app)
    try:
        # A valid CSRF token for the session: then only the login guard stands in the way.
        data = {"csrf_token": csrf_token_for(app, cookie)}
    except BadSignature:
        data = {}  # a cookie the app did not sign: its CSRF token is refused too
    before = snapshot(app)
    for method, url in built_urls(app, rules, report_id):
        client = app.test_client()
        client.set_cookie("session", cookie)
        response = client.open(url, method=method, data=data if method != "GET" else None)
        if method == "POST" and not data:
            assert response.status_code == 400 and "CSRF" in response.text, (method, url)
            continue
        assert response.status_code == 302, (method, url)
        assert response.location.startswith("/admin/login"), (method, url)
        if method == "GET":
            assert response.location == f"/admin/login?next={quote(url, safe='/')}"
    assert snapshot(app) == before


def test_every_post_that_changes_something_needs_a_csrf_token(app, admin_client, report_id):
    rules = [
        r
        for r in app.url_map.iter_rules()
        if "POST" in r.methods and r.rule not in CSRF_EXEMPT_PATHS
    ]
    assert {r.endpoint for r in rules} >= {"admin.login", "admin.logout", "reports.new"}
    before = snapshot(app)
    for _, url in built_urls(app, rules, report_id):
        data = {"email": EMAIL, "password": PASSWORD, "kind": "closed", "sha256": "0" * 64}
        response = admin_client.post(url, data=data)
        assert response.status_code == 400, url
        assert "CSRF" in response.text
    assert snapshot(app) == before
    assert admin_client.get("/admin/").status_code == 200  # the logout was refused too


def test_only_the_posts_that_change_nothing_are_csrf_exempt(app, client, report_id):
    rules = [r for r in app.url_map.iter_rules() if "POST" in r.methods]
    urls = {url for method, url in built_urls(app, rules, report_id) if method == "POST"}
    exempt = {url for url in urls if "CSRF" not in client.post(url).text}
    assert exempt == CSRF_EXEMPT_PATHS & urls


def test_dashboard_counts_active_programs_and_open_reports(app, admin_client, add_program):
    add_program()
    add_program(active=False)
    with app.app_context():
        db.session.add(Report(program_id=add_program(), kind="closed"))
        db.session.add(
            Report(program_id=add_program(), kind="other", resolved_at=dt.datetime.now())
        )
        db.session.commit()
    page = admin_client.get("/admin/").text
    assert re.search(r"Active programs</dt><dd>3<", page)
    assert re.search(r"Open reports</dt><dd><a [^>]*>1<", page)
    assert "No file has been imported yet" in page


def test_open_reports_link_to_their_programs(app, admin_client, report_id):
    page = admin_client.get("/admin/reports").text
    assert "The phone number is wrong" in page
    assert "Number disconnected" in page
    with app.app_context():
        program_id = db.session.get(Report, report_id).program_id
    assert f'href="/facilities/{program_id}"' in page


def test_resolving_a_report_records_who_and_hides_it(app, admin_client, report_id):
    response = admin_client.post(
        f"/admin/reports/{report_id}/resolve", data={"csrf_token": token(admin_client)}
    )
    assert response.status_code == 302
    page = admin_client.get(response.location).text
    assert "Report resolved." in page
    assert "There are no open reports." in page
    with app.app_context():
        report = db.session.get(Report, report_id)
        assert report.resolved_by == EMAIL
        assert report.resolved_at is not None


def test_resolving_an_unknown_or_resolved_report_is_a_404(app, admin_client, report_id):
    url = f"/admin/reports/{report_id}/resolve"
    assert admin_client.post(url, data={"csrf_token": token(admin_client)}).status_code == 302
    assert admin_client.post(url, data={"csrf_token": token(admin_client)}).status_code == 404
    unknown = f"/admin/reports/{report_id + 1000}/resolve"
    assert admin_client.post(unknown, data={"csrf_token": token(admin_client)}).status_code == 404


def test_marking_a_program_verified_today(app, admin_client, add_program):
    program_id = add_program(verified_on=dt.date(2023, 5, 1))
    response = admin_client.post(
        f"/admin/programs/{program_id}/verify", data={"csrf_token": token(admin_client)}
    )
    assert response.status_code == 302
    assert "is marked verified today" in admin_client.get(response.location).text
    with app.app_context():
        assert db.session.get(Program, program_id).verified_on == dt.date.today()
    page = admin_client.get(f"/facilities/{program_id}").text
    assert "Not verified in over 12 months" not in page


def test_verifying_an_unknown_program_is_a_404(admin_client):
    response = admin_client.post(
        "/admin/programs/nope/verify", data={"csrf_token": token(admin_client)}
    )
    assert response.status_code == 404


def test_logout_ends_the_session(app, admin_client):
    response = admin_client.post("/admin/logout", data={"csrf_token": token(admin_client)})
    assert response.location == "/admin/login"
    assert "You are logged out." in admin_client.get("/admin/login").text
    assert admin_client.get("/admin/").location.startswith("/admin/login")
    with app.app_context():
        assert db.session.scalar(select(ThrottleHit.id)) is None
