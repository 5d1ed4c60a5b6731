"""The database handle, how every connection is set up, and its schema migrations (Alembic,
through Flask-Migrate, imported only when a migration or a `db` command runs)."""

import math
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from flask import Flask, current_app, has_request_context, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Engine, event, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase

from . import cpython311

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
APPLICATION_NAME = "finder"  # how PostgreSQL's pg_stat_activity names our connections
BUSY_TIMEOUT_MS = 30_000  # a SQLite writer waits this long for another writer's lock
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
cpython311.guard(db.Model)
# render_as_batch: SQLite alters a table by copying it, and Alembic's batch mode does that.
MIGRATE_OPTIONS = {"directory": str(MIGRATIONS), "render_as_batch": True, "compare_type": True}


def engine_options(uri: str, options: dict | None) -> dict:
    """The engine's options for this database: on PostgreSQL, connections that are checked
    before use (a server restart or a killed backend costs no request) and carry our name."""
    options = dict(options or {})
    if make_url(uri).get_backend_name() == "postgresql":
        options.setdefault("pool_pre_ping", True)
        connect_args = dict(options.get("connect_args") or {})
        connect_args.setdefault("application_name", APPLICATION_NAME)
        connect_args.setdefault("connect_timeout", 5)  # an unreachable server: 503 in 5 s
        options["connect_args"] = connect_args
    return options


_intent: ContextVar[str | None] = ContextVar("transaction_intent", default=None)


def reads_only() -> bool:
    """Whether the transaction about to begin only reads: inside `intent("read")`, or a GET
    request's, or a `read_only` view's. Its transaction is one snapshot; others take SQLite's
    write lock up front (a deferred transaction that reads, then writes after another writer
    committed, fails at once instead of waiting)."""
    if (intent := _intent.get()) is not None:
        return intent == "read"
    if not has_request_context():
        return False
    view = current_app.view_functions.get(request.endpoint)
    return request.method in READ_METHODS or getattr(view, "reads_only", False)


def read_only(view):
    """Marks a view that answers a POST but changes nothing (an estimate, the search form's
    household step): it reads one snapshot too, and never waits for an import's write lock."""
    view.reads_only = True
    return view


@contextmanager
def intent(kind: str) -> Iterator[None]:
    """Transactions begun inside are "read" (one snapshot, no lock) or "write" (SQLite's
    write lock from BEGIN on), whatever the request."""
    token = _intent.set(kind)
    try:
        yield
    finally:
        _intent.reset(token)


def _sqlite_connect(dbapi_connection, record) -> None:
    # WAL: readers never wait for the writer, nor it for them; SQLAlchemy emits BEGIN itself
    # (pysqlite would start no transaction for a SELECT, so two reads could see two states).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    try:
        cursor.execute("SELECT sin(0)")  # the search's distance conditions need sin and cos
    except sqlite3.OperationalError:  # an SQLite built without its math functions
        for name in ("sin", "cos"):
            dbapi_connection.create_function(name, 1, getattr(math, name), deterministic=True)
    cursor.close()


def _sqlite_begin(connection) -> None:
    connection.exec_driver_sql("BEGIN" if reads_only() else "BEGIN IMMEDIATE")


def _postgresql_begin(connection) -> None:
    # A page's queries (a search's ids, then its rows) see one snapshot of the directory.
    # psycopg begins the transaction with the first statement, as "BEGIN ISOLATION LEVEL
    # REPEATABLE READ": no SET TRANSACTION of its own, a round trip fewer for every page.
    # Set on every begin, so that a connection back from the pool takes the new request's.
    from psycopg import IsolationLevel

    raw = connection.connection.dbapi_connection
    raw.isolation_level = IsolationLevel.REPEATABLE_READ if reads_only() else None


def _end_session(error: BaseException | None) -> None:
    """End the session's transaction after the response is made. A connection the server
    dropped meanwhile (a restart, a killed backend) fails its rollback: it is discarded, and
    the visitor, who has the answer already, gets it instead of a 500."""
    try:
        db.session.remove()
    except SQLAlchemyError:
        db.session.registry.clear()


def set_up(engine: Engine) -> None:
    """Hook the per-dialect connection and transaction setup onto an engine."""
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    elif engine.dialect.name == "postgresql":
        event.listen(engine, "begin", _postgresql_begin)


def init_app(app: Flask) -> None:
    from . import models  # noqa: F401  (registers the tables on Base.metadata)

    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(
        app.config["SQLALCHEMY_DATABASE_URI"], app.config.get("SQLALCHEMY_ENGINE_OPTIONS")
    )
    db.init_app(app)
    app.teardown_appcontext(_end_session)  # runs before Flask-SQLAlchemy's own
    with app.app_context():
        for engine in db.engines.values():
            set_up(engine)
    app.extensions["migrate"] = _Migrations(app)  # the `db` commands: finder.commands


# Importing Flask-Migrate imports Alembic and every SQL dialect it knows: about a tenth of a
# second, which a search never needs. Its handle is therefore a stand-in until a migration runs.
class _Migrations:
    """app.extensions["migrate"] until first used (by the `db` commands, schema.upgrade or
    migrations/env.py): then Flask-Migrate's own, wired up as `Migrate(app, db)` would."""

    def __init__(self, app: Flask) -> None:
        self._app = app
        self._handle = None

    def __getattr__(self, name: str):
        if self._handle is None:
            from flask_migrate import Migrate

            Migrate(self._app, db, **MIGRATE_OPTIONS)  # puts its own handle in app.extensions
            self._handle = self._app.extensions["migrate"]
        return getattr(self._handle, name)
