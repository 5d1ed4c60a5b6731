"""GET /healthz for load balancers and uptime probes: 200 when the database answers, 503 when
it does not; the access logs leave the probes out."""

import logging
import re
from collections.abc import Mapping

from flask import Blueprint, Flask, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from .db import db

PATH = "/healthz"
bp = Blueprint("health", __name__)


@bp.get(PATH)
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="unavailable"), 503
    return jsonify(status="ok")


_REQUEST_LINE = re.compile(rf"^[A-Z]+ {re.escape(PATH)}[? ]")


class SkipHealthChecks(logging.Filter):
    """Drop access-log lines of /healthz: gunicorn's (its atoms: U is the path) and the
    development server's (werkzeug's: the request line is an argument)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, Mapping):
            return record.args.get("U") != PATH
        return not any(isinstance(a, str) and _REQUEST_LINE.match(a) for a in record.args or ())


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    for logger in ("gunicorn.access", "werkzeug"):
        if not any(isinstance(f, SkipHealthChecks) for f in logging.getLogger(logger).filters):
            logging.getLogger(logger).addFilter(SkipHealthChecks())
