"""An optional read replica for searches (FINDER_READ_DATABASE_URL): the anonymous reads of
the directory (search, a program's page, the API's reads) go to it; admin pages, imports and
anything that must read its own writes use the primary through `db.session`."""

import contextlib

import sqlalchemy as sa
from flask import Flask, current_app, g
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from .db import db, engine_options, set_up

EXTENSION = "finder.read_engine"


def init_app(app: Flask) -> None:
    url = app.config.get("READ_DATABASE_URL")
    if not url:
        return
    from . import _driver_url

    url = _driver_url(url)
    # The primary's options, made for the replica's own dialect (pre-ping, our
    # application_name), and the same per-connection setup (WAL, one snapshot per request).
    options = {
        key: value
        for key, value in app.config["SQLALCHEMY_ENGINE_OPTIONS"].items()
        if key not in ("pool_pre_ping", "connect_args")
    }
    engine = sa.create_engine(url, **engine_options(url, options))
    set_up(engine)
    app.extensions[EXTENSION] = engine
    app.teardown_appcontext(_close)


def reader() -> Session:
    """The session for directory reads: the replica's when one is configured (one per
    request, closed at its end), the primary's otherwise."""
    engine = current_app.extensions.get(EXTENSION)
    if engine is None:
        return db.session
    if "read_session" not in g:
        g.read_session = Session(engine)
    return g.read_session


def _close(exc: BaseException | None) -> None:
    session = g.pop("read_session", None)
    if session is not None:
        # A connection the server dropped after the answer was made: discarded, not a 500.
        with contextlib.suppress(SQLAlchemyError):
            session.close()
