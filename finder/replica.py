"""An optional read replica for searches (FINDER_READ_DATABASE_URL): the anonymous reads of
the directory (search, a program's page, the API's reads) go to it; admin pages, imports and
anything that must read its own writes use the primary through `db.session`."""

import sqlalchemy as sa
from flask import Flask, current_app, g
from sqlalchemy.orm import Session

from .db import db

EXTENSION = "finder.read_engine"


def init_app(app: Flask) -> None:
    url = app.config.get("READ_DATABASE_URL")
    if not url:
        return
    from . import _driver_url

    options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
    app.extensions[EXTENSION] = sa.create_engine(_driver_url(url), **options)
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
        session.close()
