"""Headers, privacy and error pages that every response shares."""

import contextlib
import logging
import re
import traceback

from flask import Flask, current_app, g, jsonify, render_template, request
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException, ServiceUnavailable

from .db import db
from .estimator.text import N_

csrf = CSRFProtect()

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HSTS = "max-age=63072000"  # two years; not includeSubDomains: other hosts are not ours
_QUERY = re.compile(r"\?[^ \"]*")


class RedactQueryStrings(logging.Filter):
    """Drop query strings from access-log lines: searches name places, income, insurance."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            record.args = tuple(
                _QUERY.sub("?[redacted]", a) if isinstance(a, str) else a for a in record.args
            )
        record.msg = _QUERY.sub("?[redacted]", str(record.msg))
        return True


class WithoutExceptionMessages(logging.Filter):
    """Keep what failed and where (exception types, the traceback's frames) but no exception
    message: a failed query's message can quote what a visitor typed, and a database error's
    detail can too, statement parameters hidden or not."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = _frames_and_types(record.exc_info[1])
            record.exc_info = None
        return True


def _frames_and_types(error: BaseException) -> str:
    chain, seen = [], set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        chain.append(error)
        error = error.__cause__ or error.__context__
    lines = []
    for link in reversed(chain):
        lines.append("Traceback (most recent call last):\n")
        lines += traceback.format_list(traceback.extract_tb(link.__traceback__))
        lines.append(f"{type(link).__module__}.{type(link).__qualname__} (message withheld)\n")
    return "".join(lines).rstrip("\n")


def set_headers(response):
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Geolocation for our own "Use my location" button (static/locate.js) only, never a frame.
    response.headers["Permissions-Policy"] = "geolocation=(self), camera=(), microphone=()"
    if current_app.config["HTTPS"]:
        response.headers["Strict-Transport-Security"] = HSTS
    if request.endpoint != "static":
        # Pages and answers carry a visitor's place, coverage or income, or admin data.
        response.headers["Cache-Control"] = "no-store"
    return response


def handle_http_error(error: HTTPException):
    """JSON errors for the API, a friendly page everywhere else."""
    message = error.description or error.name
    if (error.code or 500) >= 500 and not g.get("database_unavailable"):
        db.session.rollback()  # the page itself reads the database: not in a failed transaction
    if request.path.startswith("/api/"):
        return jsonify(error=message, field=getattr(error, "field", None)), error.code
    return render_template("error.html", error=error, message=message), error.code


class DatabaseUnavailable(ServiceUnavailable):
    description = N_(
        "finder cannot reach its directory right now. Please try again in a minute; "
        "if you need help now, call the helpline above."
    )


# Werkzeug's names and descriptions of the errors a visitor may meet, as it writes them: the
# error page shows them through `say`, which finds their Spanish in the catalog.
HTTP_WORDS = (
    N_("Bad Request"),
    N_("The browser (or proxy) sent a request that this server could not understand."),
    N_("Forbidden"),
    N_(
        "You don't have the permission to access the requested resource. It is either "
        "read-protected or not readable by the server."
    ),
    N_("Not Found"),
    N_(
        "The requested URL was not found on the server. If you entered the URL manually please "
        "check your spelling and try again."
    ),
    N_("Method Not Allowed"),
    N_("The method is not allowed for the requested URL."),
    N_("Request Entity Too Large"),
    N_("The data value transmitted exceeds the capacity limit."),
    N_("Too Many Requests"),
    N_("This user has exceeded an allotted request count. Try again later."),
    N_("Internal Server Error"),
    N_(
        "The server encountered an internal error and was unable to complete your request. "
        "Either the server is overloaded or there is an error in the application."
    ),
    N_("Service Unavailable"),
    N_(
        "The server is temporarily unable to service your request due to maintenance downtime "
        "or capacity problems. Please try again later."
    ),
)


RETRY_AFTER_SECONDS = 30


# SQLite's result codes for a database that cannot be reached or is busy; its other
# OperationalErrors ("no such table") are bugs, and stay 500s.
_SQLITE_UNAVAILABLE = ("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_CANTOPEN", "SQLITE_IOERR")


def database_unavailable(error: OperationalError | InterfaceError) -> bool:
    """Whether the error says the database is away (down, restarting, unreachable, busy)."""
    if getattr(error, "connection_invalidated", False):
        return True
    code = getattr(error.orig, "sqlite_errorname", None)
    return code is None or code.startswith(_SQLITE_UNAVAILABLE)


def handle_database_error(error: OperationalError | InterfaceError):
    """The database is down, restarting or locked: a plain 503 (JSON on the API) that needs no
    database, and no stack trace. The next request gets a fresh connection (pool_pre_ping)."""
    if not database_unavailable(error):
        raise error
    with contextlib.suppress(SQLAlchemyError):
        db.session.rollback()
    current_app.logger.warning(
        "The database is unavailable: %s", type(getattr(error, "orig", None) or error).__name__
    )
    g.database_unavailable = True  # the page renders without asking the database anything
    response = handle_http_error(DatabaseUnavailable())
    response = current_app.make_response(response)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def use_https(app: Flask) -> None:
    """Cookies only over TLS, under the __Host- prefix: browsers keep such a cookie only when
    it is Secure, for path / and without a Domain, so no other host can set or read it."""
    app.config.update(
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_NAME="__Host-session",
        SESSION_COOKIE_PATH="/",
        SESSION_COOKIE_DOMAIN=None,
        PREFERRED_URL_SCHEME="https",
    )


def init_app(app: Flask) -> None:
    if app.config["HTTPS"]:
        use_https(app)
    csrf.init_app(app)
    app.after_request(set_headers)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(OperationalError, handle_database_error)
    app.register_error_handler(InterfaceError, handle_database_error)
    logging.getLogger("werkzeug").addFilter(RedactQueryStrings())
    app.logger.addFilter(WithoutExceptionMessages())
