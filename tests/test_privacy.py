"""Nothing a visitor types reaches a log or a shared cache."""

import logging
import shutil

import pytest
from conftest import migrate
from flask import url_for
from sqlalchemy import text
from test_admin import hidden_fields, log_in, make_admin

from finder.db import db
from finder.geo import bounding_box, resolve


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """A database of each test's own (not the session's shared PostgreSQL schema): these tests
    break tables."""
    if request.param == "sqlite":
        path = tmp_path / "finder.sqlite"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_schemas")()
    migrate(url)
    return url


def break_table(app, table: str) -> None:
    with app.app_context():
        db.session.execute(text(f"DROP TABLE {table}"))
        db.session.commit()


@pytest.fixture
def failing_app(app):
    """The app as in production: an error is logged and answered with a 500 page."""
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


def test_a_query_that_fails_during_a_search_logs_no_place(failing_app, client, caplog, add_program):
    # A filter reads the program's row (its filter bits); the page's program, its features.
    add_program(latitude=42.3601, longitude=-71.0589, payments=["medicaid"])
    break_table(failing_app, "program_feature")
    near = "42.3601,-71.0589"
    with caplog.at_level(logging.DEBUG):
        response = client.get("/search", query_string={"near": near, "payment": "medicaid"})
    assert response.status_code == 500
    assert "Traceback" not in response.text and "program_feature" not in response.text
    logged = caplog.text
    assert "OperationalError" in logged or "ProgrammingError" in logged  # the error is logged
    box = bounding_box(resolve(near), 25)
    for secret in ["42.36", "71.05", "medicaid", *(repr(v)[:7] for v in box)]:
        assert secret not in logged, secret
    assert "[parameters:" not in logged


def test_a_report_that_fails_to_save_logs_no_comment(failing_app, client, caplog, add_program):
    program_id = add_program()
    url = f"/facilities/{program_id}/report"
    data = {**hidden_fields(client.get(url).text), "kind": "other", "comment": "Call Dana at home"}
    break_table(failing_app, "report")
    with caplog.at_level(logging.DEBUG):
        assert client.post(url, data=data).status_code == 500
    assert "Dana" not in caplog.text and "[parameters:" not in caplog.text
    assert "Error" in caplog.text


def test_the_engine_hides_statement_parameters(app):
    with app.app_context():
        assert db.engine.hide_parameters


def dynamic_urls(app, program_id: str) -> list[str]:
    values = {"program_id": program_id, "report_id": 1}
    with app.test_request_context():
        return [
            url_for(rule.endpoint, **{a: values.get(a, "1") for a in rule.arguments})
            for rule in app.url_map.iter_rules()
            if "GET" in rule.methods and rule.endpoint != "static"
        ]


def caching(client, url: str, **kwargs) -> tuple[int, str | None]:
    """(status, Cache-Control) of a GET, or a POST when given data or json."""
    method = "POST" if kwargs else "GET"
    with client.open(url, method=method, **kwargs) as response:
        return response.status_code, response.headers.get("Cache-Control")


def test_no_page_or_answer_may_be_stored_by_a_cache(app, client, add_program):
    program_id = add_program()
    make_admin(app)
    admin = app.test_client()
    log_in(admin)
    estimate = {
        "program": "outpatient", "days": "90", "start_date": "2026-01-05", "insurance": "none",
        "income": "41000", "household_size": "3", "state": "MA",
    }  # fmt: skip
    answers = {
        "search": caching(client, "/search?near=02139"),
        "api search": caching(client, "/api/facilities?near=02139"),
        "program": caching(client, f"/facilities/{program_id}"),
        "api program": caching(client, f"/api/facilities/{program_id}"),
        "estimate": caching(client, "/estimate", data=estimate),
        "api estimate": caching(
            client, "/api/estimate", json={"start_date": "2026-01-05", "program": "outpatient"}
        ),
    }
    for url in dynamic_urls(app, program_id):
        answers[f"GET {url}"] = caching(client, url)
        if url.startswith("/admin"):
            answers[f"admin GET {url}"] = caching(admin, url)
    assert answers["estimate"][0] == 200 and answers["admin GET /admin/"][0] == 200
    assert {name: header for name, (_, header) in answers.items() if header != "no-store"} == {}
