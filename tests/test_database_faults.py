"""The database restarting, unreachable or busy with an import: pages answer 503 or wait, never
500, readers are never refused, and the app recovers by itself."""

import sqlite3
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, make_url, select, text

from finder import create_app
from finder.db import APPLICATION_NAME, db, engine_options, intent, reads_only
from finder.models import Program

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from proxy import Proxy  # noqa: E402

HELPLINE = "1-800-662-4357"  # the safety banner, on every page, errors included


def app_on(url: str, **config):
    return create_app(
        {"TESTING": True, "SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": url, **config}
    )


def assert_unavailable(client):
    page = client.get("/search?near=02139")
    assert page.status_code == 503
    body = page.get_data(as_text=True)
    assert HELPLINE in body and "cannot reach its directory" in body
    assert "Traceback" not in body and "psycopg" not in body and "sqlite3" not in body
    answer = client.get("/api/facilities?near=02139")
    assert answer.status_code == 503
    assert "cannot reach its directory" in answer.json["error"]
    assert client.get("/healthz").status_code == 503


def test_postgresql_connections_carry_the_apps_name_and_are_checked_before_use():
    options = engine_options("postgresql+psycopg://u@h/db", {"hide_parameters": True})

    assert options["pool_pre_ping"] is True
    assert options["connect_args"]["application_name"] == APPLICATION_NAME
    assert options["hide_parameters"] is True
    assert "pool_pre_ping" not in engine_options("sqlite:///x.sqlite", None)


def test_a_killed_postgresql_backend_costs_no_request(postgres_url, postgres_engine):
    name = f"finder-test-{uuid.uuid4().hex[:8]}"  # other runs on this server use "finder"
    app = app_on(
        postgres_url, SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"application_name": name}}
    )
    client = app.test_client()
    assert client.get("/search?near=02139").status_code == 200
    with postgres_engine.begin() as conn:
        killed = conn.scalar(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE application_name = :name"
            ),
            {"name": name},
        )
    assert killed >= 1

    assert client.get("/search?near=02139").status_code == 200
    assert client.get("/api/facilities?near=02139").status_code == 200
    with app.app_context():
        db.engine.dispose()


def test_a_backend_killed_after_the_answer_was_made_costs_nothing(postgres_url, postgres_engine):
    name = f"finder-test-{uuid.uuid4().hex[:8]}"
    app = app_on(
        postgres_url, SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"application_name": name}}
    )
    context = app.test_request_context("/search", method="GET")
    context.push()
    try:
        db.session.execute(text("SELECT 1"))  # the request's transaction is open
        with postgres_engine.begin() as conn:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE application_name = :name"
                ),
                {"name": name},
            )
    finally:
        context.pop()  # ending the transaction on a dead connection raises nothing
    with app.app_context():
        assert db.session.execute(text("SELECT 1")).scalar() == 1
        db.session.remove()
        db.engine.dispose()


def test_an_unreachable_postgresql_gives_503s_then_recovers(postgres_url):
    url = make_url(postgres_url)
    proxy = Proxy(url.host, url.port)
    app = app_on(url.set(port=proxy.port).render_as_string(hide_password=False))
    client = app.test_client()
    try:
        assert client.get("/search?near=02139").status_code == 200
        proxy.cut()

        assert_unavailable(client)
        assert_unavailable(client)

        proxy.restore()
        assert client.get("/search?near=02139").status_code == 200
        assert client.get("/api/facilities?near=02139").status_code == 200
    finally:
        proxy.close()
        with app.app_context():
            db.engine.dispose()


def test_an_unreadable_sqlite_file_gives_503s(tmp_path):
    app = app_on(f"sqlite:///{tmp_path}/missing-folder/finder.sqlite")

    assert_unavailable(app.test_client())


def sqlite_path(app) -> str:
    return make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database


def test_sqlite_readers_are_not_refused_while_a_writer_holds_the_lock(app, client, add_program):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("PostgreSQL readers never wait for writers")
    key = add_program(name="Before Program")
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        db.session.rollback()
    writer = sqlite3.connect(sqlite_path(app), isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE program SET name = 'After Program' WHERE id = ?", (key,))
        # Far more than the page cache holds: a rollback journal would lock readers out here.
        writer.execute("CREATE TABLE filler (blob)")
        writer.executemany("INSERT INTO filler VALUES (?)", [(b"x" * 4096,)] * 2000)

        page = client.get(f"/facilities/{key}")
        assert page.status_code == 200
        assert "Before Program" in page.get_data(as_text=True)
        writer.execute("COMMIT")
    finally:
        writer.close()
    assert "After Program" in client.get(f"/facilities/{key}").get_data(as_text=True)


def test_a_requests_reads_see_one_snapshot(app, add_program, database_url):
    add_program()
    other = create_engine(database_url)
    names = [c.name for c in Program.__table__.columns]
    columns = ", ".join(names)
    copied = ", ".join("'snapshot-2'" if n == "id" else n for n in names)
    try:
        with app.test_request_context("/search", method="GET"):
            count = select(func.count()).select_from(Program)
            before = db.session.scalar(count)
            with other.begin() as conn:
                conn.execute(text("UPDATE program SET name = 'Renamed'"))
                conn.execute(text(f"INSERT INTO program ({columns}) SELECT {copied} FROM program"))
            assert db.session.scalar(count) == before
            assert "Renamed" not in db.session.scalars(select(Program.name))
            db.session.rollback()
            assert db.session.scalar(count) == before + 1
    finally:
        other.dispose()


@pytest.mark.parametrize(
    ("method", "path", "reads"),
    [
        ("GET", "/search", True),
        ("GET", "/admin/imports", True),
        ("POST", "/search", True),
        ("POST", "/estimate", True),
        ("POST", "/api/estimate", True),
        ("POST", "/admin/login", False),
        ("POST", "/admin/import/apply", False),
    ],
)
def test_requests_that_change_nothing_never_take_the_write_lock(app, method, path, reads):
    with app.test_request_context(path, method=method):
        assert reads_only() is reads
        with intent("write"):
            assert not reads_only()
