import datetime as dt
import os
import shutil
import uuid

import pytest
from browsing import CHROMIUM
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from finder import create_app, geo
from finder.db import db
from finder.models import Program, ProgramPhone, ProgramRate
from finder.schema import upgrade as upgrade_schema

POSTGRES_URL = os.environ.get(
    "FINDER_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
# CI sets this so that an unreachable server fails the run instead of skipping.
REQUIRE_SERVICES = os.environ.get("FINDER_REQUIRE_SERVICES") == "1"


def unavailable(what: str, reason: str):
    if REQUIRE_SERVICES:
        pytest.fail(f"{what} is required (FINDER_REQUIRE_SERVICES=1) but {reason}")
    pytest.skip(f"{what} not available: {reason}")


def migrate(url: str) -> None:
    """Bring the database at url to the newest revision, the way init-db does."""
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade_schema()
        db.engine.dispose()


@pytest.fixture(scope="session")
def postgres_schemas():
    """A maker of PostgreSQL schemas of our own in the test database, all dropped at the end:
    other test runs share the server."""
    try:
        engine = create_engine(POSTGRES_URL)
        conn = engine.connect()
    except (OperationalError, ImportError) as exc:
        unavailable("PostgreSQL", str(exc).splitlines()[0])
    made = []

    def make() -> str:
        schema = f"finder_test_{uuid.uuid4().hex[:12]}"
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        conn.commit()
        made.append(schema)
        return f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"

    yield make
    for schema in made:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    conn.commit()
    conn.close()
    engine.dispose()


@pytest.fixture(scope="session")
def postgres_url(postgres_schemas):
    """A schema of our own, migrated once; database_url empties it before each test."""
    url = postgres_schemas()
    migrate(url)
    return url


@pytest.fixture(scope="session")
def postgres_engine(postgres_url):
    engine = create_engine(postgres_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """A SQLite database migrated once; every test gets a copy of the file."""
    path = tmp_path_factory.mktemp("template") / "finder.sqlite"
    migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """A database at the newest revision with nothing in it, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "finder.sqlite"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    with request.getfixturevalue("postgres_engine").begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    return request.getfixturevalue("postgres_url")


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request, tmp_path):
    """A database with no schema at all (a new SQLite file, a new PostgreSQL schema)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.sqlite'}"
    return request.getfixturevalue("postgres_schemas")()


@pytest.fixture
def make_app(database_url, tmp_path):
    """Apps on an empty database at the newest revision (SQLite, then PostgreSQL); keywords
    override the test settings, and a keyword set to None leaves a setting out."""
    made = []

    def make(**overrides):
        config = {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "UPLOAD_FOLDER": str(tmp_path / "uploads"),
            "PASSWORD_SCRYPT_N": 2**14,
            **overrides,
        }
        app = create_app({k: v for k, v in config.items() if v is not None})
        made.append(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    """The app on an empty database at the newest revision (SQLite, then PostgreSQL)."""
    return make_app()


@pytest.fixture
def empty_app(empty_database_url):
    """The app on a database with no schema at all."""
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": empty_database_url}
    )
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


_counter = iter(range(1, 10**9))


@pytest.fixture
def add_program(app):
    """Add a program to the database and return its id; keywords override the defaults."""

    def add(**fields) -> str:
        n = next(_counter)
        tokens = {
            kind: fields.pop(name, default)
            for kind, name, default in [
                ("care", "care_levels", ["outpatient"]),
                ("payment", "payments", ["cash"]),
                ("medication", "medications", []),
                ("age", "ages", ["adults"]),
                ("language", "languages", []),
                ("special", "specials", []),
                ("therapy", "therapies", []),
                ("carrier", "carriers", []),
                ("mh_care", "mental_health_care", []),
                ("facility", "facility_types", []),
                ("sign", "signs", []),
            ]
        }
        rates = fields.pop("rates", {})
        phones = fields.pop("phones", [])  # (kind, number, label), in the order shown
        values = {
            "id": f"test-{n:04d}",
            "name": f"Test Program {n}",
            "city": "Cambridge",
            "state": "MA",
            "zip": "02139",
            "latitude": 42.3647,
            "longitude": -71.1042,
            "phone": "617-555-0100",
            "source": "finder",
            "verified_on": dt.date(2026, 10, 1),
        }
        values.update(fields)
        with app.app_context():
            program = Program(**values)
            for kind, tokens_of_kind in tokens.items():
                program.set_tokens(kind, tokens_of_kind)
            for item, cents in rates.items():
                low, high = cents if isinstance(cents, tuple) else (cents, cents)
                program.rates.append(ProgramRate(item=item, low_cents=low, high_cents=high))
            for position, (kind, number, label) in enumerate(phones):
                program.phones.append(
                    ProgramPhone(position=position, kind=kind, number=number, label=label)
                )
            db.session.add(program)
            db.session.commit()
        return values["id"]

    return add


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright, launched once for a test module (tests/browsing.py
    holds the rest of what browser tests share)."""
    required = os.environ.get("FINDER_REQUIRE_BROWSER") == "1"
    try:
        import playwright.sync_api as playwright
    except ImportError:
        (pytest.fail if required else pytest.skip)("playwright is not installed")
    if CHROMIUM is None:
        (pytest.fail if required else pytest.skip)(
            "no Chromium on this machine (apt-get install chromium)"
        )
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()


@pytest.fixture
def table_folder(tmp_path, monkeypatch):
    """geo's ZIP and town table kept in a folder of the test's own, read afresh."""
    monkeypatch.setattr(geo, "_table_folder", tmp_path)
    geo._table.cache_clear()
    yield tmp_path
    geo._table.cache_clear()


@pytest.fixture
def residential(add_program):
    """A residential program at $500 a day that takes Medicaid, in `state`, with `beds`
    (None: unknown, as in every SAMHSA listing): the Medicaid tests' IMD and expansion cases."""

    def add(beds=None, state="MA"):
        return add_program(
            care_levels=["residential_short"],
            payments=["cash", "medicaid"],
            rates={"residential_short": 50_000},
            beds=beds,
            state=state,
        )

    return add
