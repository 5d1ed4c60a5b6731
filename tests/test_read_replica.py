"""FINDER_READ_DATABASE_URL: searches and program pages read from a replica, admins and
writes use the primary. Tested with a second URL to the same database (read-only on SQLite)."""

import pytest
import sqlalchemy as sa
from test_admin import log_in, make_admin

from finder import replica


def second_url(database_url: str) -> str:
    if database_url.startswith("sqlite:///"):
        path = database_url.removeprefix("sqlite:///")
        return f"sqlite:///file:{path}?mode=ro&uri=true"  # a replica cannot be written
    return f"{database_url}&application_name=finder-replica"


@pytest.fixture
def replica_app(make_app, database_url):
    app = make_app(READ_DATABASE_URL=second_url(database_url))
    yield app
    app.extensions[replica.EXTENSION].dispose()


def statements(engine) -> list[str]:
    seen: list[str] = []
    sa.event.listen(engine, "before_cursor_execute", lambda c, cur, sql, *a: seen.append(sql))
    return seen


def test_searches_and_program_pages_read_from_the_replica(replica_app, add_program):
    program = add_program(name="Harbor Recovery")
    on_replica = statements(replica_app.extensions[replica.EXTENSION])
    client = replica_app.test_client()

    api = client.get("/api/facilities?near=02139&radius=any&coverage=cash&sort=cost")
    assert [r["id"] for r in api.json["results"]] == [program] and api.json["total"] == 1
    assert "Harbor Recovery" in client.get("/search?near=02139").text
    assert "Harbor Recovery" in client.get(f"/facilities/{program}").text
    assert client.get(f"/api/facilities/{program}").json["name"] == "Harbor Recovery"
    assert any("program" in sql for sql in on_replica)


def test_admins_and_reports_use_the_primary(replica_app, add_program):
    program = add_program()
    make_admin(replica_app)
    on_replica = statements(replica_app.extensions[replica.EXTENSION])
    client = replica_app.test_client()
    assert log_in(client).status_code == 302
    assert client.get("/admin/").status_code == 200
    assert on_replica == []
    page = client.get(f"/facilities/{program}/report")
    assert page.status_code == 200  # the program itself was read from the replica


def test_without_the_setting_there_is_no_second_engine(app):
    assert replica.EXTENSION not in app.extensions
