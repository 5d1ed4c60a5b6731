"""Admin accounts: the create-admin command, login and its generic error, sessions, `next`."""

import time

import pytest
from sqlalchemy import select
from test_admin import EMAIL, PASSWORD, hidden_fields, log_in, make_admin, token
from werkzeug.security import check_password_hash

import finder.auth
from finder import create_app
from finder.db import db
from finder.models import Admin


def admins(app) -> list[Admin]:
    with app.app_context():
        return list(db.session.scalars(select(Admin)))


def test_create_admin_stores_a_scrypt_hash_at_the_configured_factor(app, runner):
    result = runner.invoke(args=["create-admin", " New@Example.org"], input=f"{PASSWORD}\n" * 2)
    assert result.exit_code == 0, result.output
    assert "Created admin new@example.org." in result.output
    assert PASSWORD not in result.output  # the prompt does not echo
    [admin] = admins(app)
    assert admin.email == "new@example.org"
    assert admin.password_hash.startswith("scrypt:16384:8:1$")
    assert check_password_hash(admin.password_hash, PASSWORD)


@pytest.mark.slow
def test_create_admin_at_the_real_work_factor_and_log_in(app, runner, client):
    """OWASP's N = 2**17 needs 128 MiB for scrypt; werkzeug must allow it."""
    app.config["PASSWORD_SCRYPT_N"] = 2**17
    result = runner.invoke(args=["create-admin", EMAIL], input=f"{PASSWORD}\n" * 2)
    assert result.exit_code == 0, result.output
    [admin] = admins(app)
    assert admin.password_hash.startswith("scrypt:131072:8:1$")
    assert log_in(client).location == "/admin/"


@pytest.mark.parametrize(
    "email, typed, message",
    [
        (EMAIL, "eleven char\neleven char\n", "at least 12 characters"),
        ("not-an-email", f"{PASSWORD}\n{PASSWORD}\n", "not an email address"),
        (EMAIL, f"{PASSWORD}\n{PASSWORD}!\n", "do not match"),
    ],
)
def test_create_admin_refuses(app, runner, email, typed, message):
    result = runner.invoke(args=["create-admin", email], input=typed)
    assert result.exit_code != 0
    assert message in result.output
    assert admins(app) == []


def test_create_admin_refuses_an_existing_email(app, runner):
    make_admin(app)
    result = runner.invoke(args=["create-admin", EMAIL.upper()], input=f"{PASSWORD}\n" * 2)
    assert result.exit_code == 1
    assert "already an admin" in result.output
    assert len(admins(app)) == 1


def test_the_login_page_sets_no_cookie_and_carries_a_signed_token(client):
    page = client.get("/admin/login")
    assert page.status_code == 200
    assert 'type="password"' in page.text
    assert len(hidden_fields(page.text)["token"]) > 20
    assert "Set-Cookie" not in page.headers


def test_login_success_opens_the_dashboard(app, client):
    make_admin(app)
    response = log_in(client, email="  ADMIN@example.org ")
    assert response.status_code == 302
    assert response.location == "/admin/"
    page = client.get("/admin/")
    assert page.status_code == 200
    assert "Active programs" in page.text
    assert f"Log out {EMAIL}" in page.text


def test_session_cookie_is_httponly_samesite_and_bounded(app, client):
    make_admin(app)
    cookie = log_in(client).headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Expires=" in cookie  # a permanent session: PERMANENT_SESSION_LIFETIME, not forever
    assert "Secure" not in cookie


def test_with_https_the_cookie_is_secure_and_host_only_and_hsts_is_on(make_app):
    app = make_app(HTTPS=1)
    make_admin(app)
    client = app.test_client()
    https = {"base_url": "https://finder.test", "headers": {"Referer": "https://finder.test/"}}
    response = log_in(client, **https)
    assert response.location == "/admin/"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=")
    assert "; Secure" in cookie and "; Path=/;" in cookie and "Domain" not in cookie
    assert client.get("/admin/", **https).status_code == 200
    for url in ("/", "/admin/", "/static/finder.css", "/no-such-page"):
        with client.get(url, **https) as response:
            assert response.headers["Strict-Transport-Security"] == "max-age=63072000", url


def test_without_https_there_is_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_finder_https_1_in_the_environment_turns_it_on(monkeypatch, tmp_path):
    monkeypatch.setenv("FINDER_HTTPS", "1")
    monkeypatch.setenv("FINDER_SECRET_KEY", "s" * 40)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'finder.sqlite'}")
    config = create_app().config
    assert (config["SESSION_COOKIE_NAME"], config["SESSION_COOKIE_SECURE"]) == (
        "__Host-session",
        True,
    )
    assert config["SESSION_COOKIE_DOMAIN"] in (None, False)


def test_login_starts_a_new_session(app, client):
    make_admin(app)
    with client.session_transaction() as session:
        session.update(planted="by an attacker", csrf_token="planted too")
        old_token = session["csrf_token"]
    log_in(client)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.get("csrf_token") != old_token
        assert session["admin_id"]


@pytest.mark.parametrize(
    "clock, seconds_ago",
    [("login_at", 8 * 3600 + 1), ("seen_at", 30 * 60 + 1)],
    ids=["older than 8 hours", "idle for 30 minutes"],
)
def test_a_session_past_its_limits_is_logged_out(app, client, clock, seconds_ago):
    make_admin(app)
    log_in(client)
    with client.session_transaction() as session:
        session[clock] = int(time.time()) - seconds_ago
    assert client.get("/admin/").location.startswith("/admin/login")
    assert client.get_cookie("session") is None  # the stale cookie is deleted


def test_a_copied_cookie_stops_working_at_logout(app, client):
    make_admin(app)
    log_in(client)
    copied = client.get_cookie("session").value
    assert client.post("/admin/logout", data={"csrf_token": token(client)}).status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", copied)
    for url in ("/admin/", "/admin/export.csv"):
        assert thief.get(url).location.startswith("/admin/login"), url
    assert log_in(client).location == "/admin/"  # the admin can log in again


def test_every_admin_request_renews_the_idle_clock(app, client):
    make_admin(app)
    log_in(client)
    with client.session_transaction() as session:
        session["seen_at"] = int(time.time()) - 29 * 60
    assert client.get("/admin/reports").status_code == 200
    with client.session_transaction() as session:
        assert session["seen_at"] >= int(time.time()) - 60
    with client.session_transaction() as session:
        session["seen_at"] = int(time.time()) - 29 * 60
    assert client.get("/admin/").status_code == 200


def test_a_failed_login_says_the_same_whether_or_not_the_email_exists(app, client):
    make_admin(app)
    pages = []
    for email, password in [(EMAIL, "wrong password here"), ("nobody@example.org", PASSWORD)]:
        response = log_in(client, email=email, password=password)
        assert response.status_code == 200
        assert "Email or password is incorrect." in response.text
        text = response.text.replace(hidden_fields(response.text)["token"], "TOKEN")
        pages.append(text.replace(email, "EMAIL"))
    assert pages[0] == pages[1]
    assert client.get("/admin/").location.startswith("/admin/login")


def test_an_unknown_email_still_costs_a_password_check(app, client, monkeypatch):
    checked = []
    real_check = finder.auth.check_password_hash

    def spy(stored, password):
        checked.append(stored)
        return real_check(stored, password)

    monkeypatch.setattr(finder.auth, "check_password_hash", spy)
    response = log_in(client, email="nobody@example.org")
    assert "Email or password is incorrect." in response.text
    assert len(checked) == 1
    assert checked[0].startswith("scrypt:16384:8:1$")


def test_an_old_hash_is_upgraded_to_the_current_factor_at_login(app, client):
    app.config["PASSWORD_SCRYPT_N"] = 2**12
    make_admin(app)
    app.config["PASSWORD_SCRYPT_N"] = 2**14
    assert log_in(client).location == "/admin/"
    [admin] = admins(app)
    assert admin.password_hash.startswith("scrypt:16384:8:1$")


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "http://evil.example/admin/",
        "https:evil.example",
        "javascript:alert(1)",
        "/\t/evil.example",
        "/\n/evil.example",
        "evil.example",
        " //evil.example",
    ],
)
def test_next_never_leaves_the_site(app, client, target):
    make_admin(app)
    assert log_in(client, next=target).location == "/admin/"


@pytest.mark.parametrize("target", ["/admin/reports", "/admin/imports?page=2", "/facilities/x"])
def test_next_returns_to_a_page_on_this_site(app, client, target):
    make_admin(app)
    assert log_in(client, next=target).location == target


def test_anonymous_visit_comes_back_after_login(app, client):
    make_admin(app)
    login_url = client.get("/admin/reports").location
    page = client.get(login_url)
    next_value = "/admin/reports"
    assert hidden_fields(page.text)["next"] == next_value
    data = {**hidden_fields(page.text), "email": EMAIL, "password": PASSWORD}
    assert client.post("/admin/login", data=data).location == next_value
