"""finder: substance-use treatment programs near you, and what 90 days will cost."""

import os
from datetime import timedelta
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import secret_key

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Create and configure the finder application."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_mapping(
        SECRET_KEY=None,  # None: a key generated once and kept in SECRET_KEY_FILE
        SECRET_KEY_FILE=os.path.join(app.instance_path, "secret_key"),
        SQLALCHEMY_DATABASE_URI="sqlite:///" + os.path.join(app.instance_path, "finder.sqlite"),
        DEMO_DATA=str(ROOT / "data" / "programs.csv"),
        PER_PAGE=20,
        GEOCODER=None,  # "nominatim" turns on street-address search through geopy
        GEOCODER_USER_AGENT="finder",
        GEOCODER_DOMAIN=None,  # a self-hosted Nominatim, e.g. "nominatim.example.org"
        MAX_CONTENT_LENGTH=50 * 1024 * 1024,
        # A failed statement's parameters (a visitor's place, a report's comment) never
        # reach an error message or a log.
        SQLALCHEMY_ENGINE_OPTIONS={"hide_parameters": True},
        # Uploads larger than this are checked and applied by the import worker, not within
        # the request (about 2,500 programs: a few seconds).
        IMPORT_INLINE_BYTES=1024 * 1024,
        PASSWORD_SCRYPT_N=2**17,
        LOGIN_MAX_FAILURES=5,  # per account from one address: then that address waits
        LOGIN_MAX_FAILURES_PER_ADDRESS=20,  # per address, for any accounts
        LOGIN_WINDOW_SECONDS=15 * 60,
        LOGIN_SLOWDOWN_SECONDS=2,  # each attempt, past LOGIN_MAX_FAILURES from all addresses
        REDIS_URL=None,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=8),
        ADMIN_IDLE_SECONDS=30 * 60,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=False,
        HTTPS=False,  # 1: served over TLS only: Secure __Host- cookies and HSTS
        WTF_CSRF_TIME_LIMIT=None,
        FORM_TOKEN_SECONDS=2 * 3600,  # how long the login and report forms may stay open
        PROXY_COUNT=0,
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("FINDER")
        if os.environ.get("DATABASE_URL"):
            app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
        if app.config["SECRET_KEY"] is not None:
            secret_key.check(app.config["SECRET_KEY"])
    else:
        app.config.from_mapping(test_config)
    app.config["SQLALCHEMY_DATABASE_URI"] = _driver_url(app.config["SQLALCHEMY_DATABASE_URI"])
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = secret_key.instance_key(app.config["SECRET_KEY_FILE"])
    if app.config["PROXY_COUNT"]:
        # Behind N reverse proxies the client is in X-Forwarded-For; the login and report
        # throttles count per client, so they need the real address.
        count = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)

    from . import (
        admin,
        api,
        auth,
        commands,
        compare,
        db,
        edge,
        estimate,
        geo,
        health,
        i18n,
        replica,
        reports,
        security,
        views,
    )

    geo.init_app(app)
    i18n.init_app(app)
    db.init_app(app)
    replica.init_app(app)
    edge.init_app(app)
    security.init_app(app)
    auth.init_app(app)
    commands.init_app(app)
    health.init_app(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(estimate.bp)
    app.register_blueprint(reports.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(compare.bp)
    # Browsers ask for /favicon.ico whatever the page says: static/favicon.ico, served as a
    # static file (no cookie, cached and revalidated by its ETag).
    app.add_url_rule(
        "/favicon.ico",
        endpoint="static",
        view_func=app.view_functions["static"],
        defaults={"filename": "favicon.ico"},
    )
    return app


def _driver_url(url: str) -> str:
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy needs the psycopg 3 driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
