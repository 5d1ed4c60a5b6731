"""Schema migrations on SQLite and PostgreSQL: an empty database upgrades to what the models
say, a database at the first revision keeps its data, and a database made by create_all()
before migrations is recognised (or, matching nothing, refused)."""

import datetime as dt
import logging

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from werkzeug.datastructures import MultiDict

from finder import schema
from finder.db import MIGRATIONS, db
from finder.models import Admin, Program, Report
from finder.programs import programs_near
from finder.search import read_query

SCRIPT = ScriptDirectory(str(MIGRATIONS))
FIRST = SCRIPT.get_base()
HEAD = SCRIPT.get_current_head()


def flask(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def models_match_the_migrated_schema(app) -> bool:
    """`flask db check`: exit status 1 when autogenerate would write a revision."""
    return flask(app, "db", "check").exit_code == 0


def revision_of(app) -> list[str]:
    with app.app_context(), db.engine.connect() as conn:
        if not schema.versioned(conn):
            return []
        return list(conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars())


def tables(app) -> set[str]:
    """The tables Alembic models (SQLite's R*Tree of locations and its shadows left out)."""
    return all_tables(app) - schema.IGNORED_TABLES


def all_tables(app) -> set[str]:
    with app.app_context(), db.engine.connect() as conn:
        return set(sa.inspect(conn).get_table_names())


def execute(app, *statements: str) -> None:
    with app.app_context(), db.engine.begin() as conn:
        for statement in statements:
            conn.execute(sa.text(statement))


def at_first_revision_without_history(app) -> None:
    """The first revision's schema with no version table: what create_all() made before."""
    assert flask(app, "db", "upgrade", FIRST).exit_code == 0
    execute(app, "DROP TABLE alembic_version")


# Rows in the columns of the first revision (not of today's models, which may have moved on).
FIRST_REVISION_ROWS = (
    "INSERT INTO import_batch (id, filename, size, sha256, format, encoding, source, actor, "
    "complete_source, added, changed, unchanged, deactivated, skipped_rows, warnings, created_at) "
    "VALUES (1, 'kept.csv', 10, 'ab', 'native', 'utf-8', 'finder', 'cli', false, 1, 0, 0, 0, 0, 0,"
    " '2026-01-02 03:04:05')",
    "INSERT INTO program (id, name, name2, street, street2, city, state, zip, latitude, longitude,"
    " location_approximate, phone, intake_phone, website, beds, sliding_fee_schedule,"
    " substance_use, source, verified_on, active, import_id, created_at, updated_at) VALUES"
    " ('kept-1', 'Kept Program', '', '1 Main St', '', 'Cambridge', 'MA', '02139', 42.36, -71.10,"
    " false, '617-555-0100', '', '', 12, '100:0;200:50', true, 'finder', '2026-01-02', true, 1,"
    " '2026-01-02 03:04:05', '2026-01-02 03:04:05')",
    "INSERT INTO program_feature (program_id, kind, value) VALUES ('kept-1', 'care', 'outpatient')",
    "INSERT INTO program_rate (program_id, item, low_cents, high_cents) "
    "VALUES ('kept-1', 'outpatient', 15000, 20000)",
    "INSERT INTO admin (id, email, password_hash, created_at) "
    "VALUES (1, 'a@example.org', 'scrypt:hash', '2026-01-02 03:04:05')",
    "INSERT INTO report (id, program_id, kind, comment, created_at) "
    "VALUES (1, 'kept-1', 'phone', 'rings out', '2026-01-02 03:04:05')",
    "INSERT INTO throttle_hit (id, key, at) VALUES (1, 'login:client:x', '2026-01-02 03:04:05')",
)


def assert_first_revision_rows_kept(app) -> None:
    with app.app_context():
        program = db.session.get(Program, "kept-1")
        assert (program.name, program.beds, program.verified_on) == (
            "Kept Program",
            12,
            dt.date(2026, 1, 2),
        )
        assert program.tokens("care") == ["outpatient"]
        assert (program.rate("outpatient").low_cents, program.rate("outpatient").high_cents) == (
            15000,
            20000,
        )
        assert program.import_id == 1 and program.sliding_fee_schedule == "100:0;200:50"
        assert db.session.scalar(sa.select(Admin.email)) == "a@example.org"
        assert db.session.scalar(sa.select(Report.comment)) == "rings out"


def test_an_empty_database_upgrades_to_exactly_what_the_models_say(empty_app):
    upgraded = flask(empty_app, "db", "upgrade")

    assert upgraded.exit_code == 0, upgraded.output
    assert revision_of(empty_app) == [HEAD]
    assert tables(empty_app) == set(db.metadata.tables) | {"alembic_version"}
    assert models_match_the_migrated_schema(empty_app)

    assert flask(empty_app, "db", "downgrade", "base").exit_code == 0
    assert all_tables(empty_app) == {"alembic_version"}
    assert flask(empty_app, "db", "upgrade").exit_code == 0 and revision_of(empty_app) == [HEAD]


def test_a_database_at_the_first_revision_upgrades_and_keeps_its_data(empty_app):
    assert flask(empty_app, "db", "upgrade", FIRST).exit_code == 0
    execute(empty_app, *FIRST_REVISION_ROWS)

    upgraded = flask(empty_app, "db", "upgrade")

    assert upgraded.exit_code == 0, upgraded.output
    assert revision_of(empty_app) == [HEAD]
    assert_first_revision_rows_kept(empty_app)
    assert models_match_the_migrated_schema(empty_app)


def test_a_database_made_before_migrations_is_recognised_stamped_and_upgraded(empty_app):
    at_first_revision_without_history(empty_app)
    execute(empty_app, *FIRST_REVISION_ROWS)

    upgraded = flask(empty_app, "db", "upgrade")

    assert upgraded.exit_code == 0, upgraded.output
    assert f"made before migrations; its schema is revision {FIRST}" in upgraded.output
    assert revision_of(empty_app) == [HEAD]
    assert_first_revision_rows_kept(empty_app)
    assert models_match_the_migrated_schema(empty_app)


def test_init_db_recognises_todays_create_all_database_too(empty_app):
    with empty_app.app_context():
        db.create_all()

    result = flask(empty_app, "init-db", "--empty")

    assert result.exit_code == 0, result.output
    assert "made before migrations" in result.output
    assert revision_of(empty_app) == [HEAD]
    if empty_app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        assert all_tables(empty_app) >= schema.SPATIAL_TABLES  # the upgrade made the R*Tree
    with empty_app.app_context(), db.engine.connect() as conn:
        assert schema.has_spatial_index(conn)  # the R*Tree, or PostgreSQL's GiST


def test_a_database_that_matches_no_revision_is_refused_and_left_as_it_was(empty_app, caplog):
    at_first_revision_without_history(empty_app)
    execute(empty_app, "ALTER TABLE program ADD COLUMN rating INTEGER")
    before = tables(empty_app)

    upgraded = flask(empty_app, "db", "upgrade")
    initialised = flask(empty_app, "init-db")

    assert upgraded.exit_code == 1 and initialised.exit_code == 1
    refusal = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len(refusal) == 1 and "match no revision of finder's schema" in refusal[0]
    assert initialised.output.startswith("Error: This database has finder's tables but no")
    assert initialised.output.count(".") == 1  # one sentence
    assert tables(empty_app) == before and revision_of(empty_app) == []

    # What the refusal says to do: stamp it by hand, after which upgrades work.
    assert flask(empty_app, "db", "stamp", FIRST).exit_code == 0
    assert flask(empty_app, "db", "upgrade").exit_code == 0 and revision_of(empty_app) == [HEAD]


def test_a_missing_index_is_enough_to_match_no_revision(empty_app):
    at_first_revision_without_history(empty_app)
    execute(empty_app, "DROP INDEX ix_program_state")
    with empty_app.app_context(), db.engine.connect() as conn:
        assert schema.recognise(conn, SCRIPT) is None
    execute(empty_app, "CREATE INDEX ix_program_state ON program (state)")
    with empty_app.app_context(), db.engine.connect() as conn:
        assert schema.recognise(conn, SCRIPT) == FIRST


def test_tables_we_do_not_model_are_left_out_of_db_check(empty_app, monkeypatch):
    assert flask(empty_app, "db", "upgrade").exit_code == 0
    execute(empty_app, "CREATE TABLE spatial_ref_sys (srid INTEGER PRIMARY KEY)")

    assert not models_match_the_migrated_schema(empty_app)  # it would drop the table
    monkeypatch.setattr(schema, "IGNORED_TABLES", schema.IGNORED_TABLES | {"spatial_ref_sys"})
    assert models_match_the_migrated_schema(empty_app)


# Revision ad4b51ba11f5 (listings true to their source), upgraded from the one before it.
BEFORE_SOURCES = "5e1b7a93c2d4"
SOURCES = "ad4b51ba11f5"
PROGRAM_COLUMNS = (
    "id, name, name2, street, street2, city, state, zip, latitude, longitude,"
    " location_approximate, phone, intake_phone, website, beds, sliding_fee_schedule,"
    " substance_use, source, verified_on, active, import_id, created_at, updated_at"
)


def program_row(key, phone, intake, verified, import_id, created, latitude=42.36):
    return (
        f"INSERT INTO program ({PROGRAM_COLUMNS}) VALUES ('{key}', 'Program {key}', '', '1 Main St',"
        f" '', 'Cambridge', 'MA', '02139', {latitude}, -71.10, false, '{phone}', '{intake}', '',"
        f" NULL, '', true, 'finder', '{verified}', true, {import_id}, '{created}', '{created}')"
    )


BEFORE_SOURCES_ROWS = (
    "INSERT INTO import_batch (id, filename, size, sha256, format, encoding, source, actor, "
    "complete_source, added, changed, unchanged, deactivated, skipped_rows, warnings, created_at) "
    "VALUES (1, 'spring.csv', 10, 'ab', 'native', 'utf-8', 'finder', 'cli', false, 2, 0, 0, 0, 0,"
    " 1, '2026-03-04 22:30:00')",
    program_row("two-numbers", "617-555-0100", "617-555-0101", "2026-01-02", 1, "2025-12-01"),
    program_row("one-number", "617-555-0200", "617-555-0200", "2025-11-12", "NULL", "2025-10-09"),
    program_row("no-number", "", "", "2025-11-12", "NULL", "2025-10-09 23:59:59", 42.37),
    "INSERT INTO program_rate (program_id, item, low_cents, high_cents) VALUES"
    " ('two-numbers', 'naltrexone', 130000, 130000), ('two-numbers', 'outpatient', 100, 200),"
    " ('one-number', 'naltrexone', 90000, 90000), ('one-number', 'naltrexone_xr', 95000, 95000)",
)


def rows(app, statement: str) -> list[tuple]:
    """The rows of a query in plain SQL, dates as ISO text (what SQLite returns)."""
    with app.app_context(), db.engine.connect() as conn:
        return [
            tuple(v.isoformat() if isinstance(v, dt.date) else v for v in row)
            for row in conn.execute(sa.text(statement))
        ]


def found_near_cambridge(app) -> list[str]:
    """The programs a search within 10 miles of 02139 finds (on SQLite, from the R*Tree)."""
    with app.test_request_context():
        query = read_query(MultiDict({"near": "02139", "radius": "10", "per_page": "50"}))
        return sorted(hit.program.id for hit in programs_near(query).hits)


def test_listings_true_to_their_source_keeps_dates_and_fills_phones_and_imported_on(empty_app):
    assert flask(empty_app, "db", "upgrade", BEFORE_SOURCES).exit_code == 0
    execute(empty_app, *BEFORE_SOURCES_ROWS)

    upgraded = flask(empty_app, "db", "upgrade", SOURCES)

    assert upgraded.exit_code == 0, upgraded.output
    # Verified dates are kept; imported_on is the day of the import that last wrote the
    # program, else the day it was created.
    assert rows(
        empty_app,
        "SELECT id, verified_on, imported_on, CASE WHEN telehealth THEN 'yes' ELSE 'no' END"
        " FROM program ORDER BY id",
    ) == [
        ("no-number", "2025-11-12", "2025-10-09", "no"),
        ("one-number", "2025-11-12", "2025-10-09", "no"),
        ("two-numbers", "2026-01-02", "2026-03-04", "no"),
    ]
    assert rows(empty_app, "SELECT * FROM program_phone ORDER BY program_id, position") == [
        ("one-number", 0, "main", "617-555-0200", "Main number"),  # the same number once
        ("two-numbers", 0, "main", "617-555-0100", "Main number"),
        ("two-numbers", 1, "intake", "617-555-0101", "Intake"),
    ]
    # The injection's price is renamed, unless the program has one under the new name already.
    assert rows(
        empty_app, "SELECT program_id, item, low_cents FROM program_rate ORDER BY program_id, item"
    ) == [
        ("one-number", "naltrexone", 90000),
        ("one-number", "naltrexone_xr", 95000),
        ("two-numbers", "naltrexone_xr", 130000),
        ("two-numbers", "outpatient", 100),
    ]
    assert rows(empty_app, "SELECT problems FROM import_batch") == [(None,)]
    # The models describe the newest revision: the ones after this one too.
    assert flask(empty_app, "db", "upgrade").exit_code == 0
    assert models_match_the_migrated_schema(empty_app)


def test_after_the_upgrade_search_finds_programs_and_follows_their_changes(empty_app):
    assert flask(empty_app, "db", "upgrade", BEFORE_SOURCES).exit_code == 0
    execute(empty_app, *BEFORE_SOURCES_ROWS)
    assert found_near_cambridge_before(empty_app) == ["no-number", "one-number", "two-numbers"]

    assert flask(empty_app, "db", "upgrade", SOURCES).exit_code == 0

    assert found_near_cambridge(empty_app) == ["no-number", "one-number", "two-numbers"]
    # The R*Tree's triggers still keep it in step: a new program, a move, a deactivation.
    execute(
        empty_app,
        program_row("added-after", "617-555-0300", "", "2026-05-06", "NULL", "2026-05-06"),
        "UPDATE program SET latitude = 40.71, longitude = -74.0 WHERE id = 'one-number'",
        "UPDATE program SET active = false WHERE id = 'no-number'",
    )
    assert found_near_cambridge(empty_app) == ["added-after", "two-numbers"]
    if empty_app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        tree = rows(
            empty_app,
            "SELECT program.id, min_searchable, CAST(min_lat AS INTEGER) FROM program_rtree"
            " JOIN program ON program.rowid = program_rtree.id ORDER BY program.id",
        )
        assert tree == [
            ("added-after", 1, 42),
            ("no-number", 0, 42),
            ("one-number", 1, 40),
            ("two-numbers", 1, 42),
        ]


def test_listings_true_to_their_source_downgrades_and_upgrades_again(empty_app):
    assert flask(empty_app, "db", "upgrade", BEFORE_SOURCES).exit_code == 0
    execute(empty_app, *BEFORE_SOURCES_ROWS)
    assert flask(empty_app, "db", "upgrade", SOURCES).exit_code == 0
    execute(
        empty_app,
        "UPDATE program SET verified_on = NULL, telehealth = true WHERE id = 'two-numbers'",
    )

    downgraded = flask(empty_app, "db", "downgrade", BEFORE_SOURCES)

    assert downgraded.exit_code == 0, downgraded.output
    assert revision_of(empty_app) == [BEFORE_SOURCES]
    assert "program_phone" not in all_tables(empty_app)
    # A program without a verified date gets the day it was imported: the old schema needs one.
    assert rows(empty_app, "SELECT id, verified_on FROM program ORDER BY id") == [
        ("no-number", "2025-11-12"),
        ("one-number", "2025-11-12"),
        ("two-numbers", "2026-03-04"),
    ]
    # The injection's price has its old name again, where that name is free.
    assert rows(
        empty_app, "SELECT program_id, item, low_cents FROM program_rate ORDER BY program_id, item"
    ) == [
        ("one-number", "naltrexone", 90000),
        ("one-number", "naltrexone_xr", 95000),
        ("two-numbers", "naltrexone", 130000),
        ("two-numbers", "outpatient", 100),
    ]
    assert found_near_cambridge_before(empty_app) == ["no-number", "one-number", "two-numbers"]
    assert flask(empty_app, "db", "upgrade").exit_code == 0 and revision_of(empty_app) == [HEAD]
    assert found_near_cambridge(empty_app) == ["no-number", "one-number", "two-numbers"]


def found_near_cambridge_before(app) -> list[str]:
    """The programs whose point the spatial index holds near 02139, read in SQL (today's
    models no longer match the older schema)."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        found = rows(
            app,
            "SELECT id FROM program WHERE point(longitude, latitude) <@ box(point(-71.3, 42.2),"
            " point(-70.9, 42.5)) AND active AND substance_use ORDER BY id",
        )
    else:
        found = rows(
            app,
            "SELECT program.id FROM program_rtree JOIN program ON program.rowid = program_rtree.id"
            " WHERE min_lat BETWEEN 42.2 AND 42.5 AND min_lon BETWEEN -71.3 AND -70.9"
            " AND min_searchable = 1 ORDER BY program.id",
        )
    return [key for (key,) in found]


BEFORE_WITHOUT_ROWID = "a5c7e2f9b1d4"
WITHOUT_ROWID = "b3e8d5f1a7c6"


def feature_table_sql(app) -> str:
    """SQLite's definition of program_feature ("" on PostgreSQL, which has no rowids)."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return ""
    found = rows(app, "SELECT sql FROM sqlite_master WHERE name = 'program_feature'")
    return found[0][0]


def test_feature_rows_without_rowid_keep_their_rows_both_ways(empty_app):
    assert flask(empty_app, "db", "upgrade", BEFORE_WITHOUT_ROWID).exit_code == 0
    execute(empty_app, *FIRST_REVISION_ROWS[:3])
    execute(
        empty_app,
        "INSERT INTO program_feature (program_id, kind, value) VALUES ('kept-1', 'payment', 'cash')",
    )
    features = "SELECT program_id, kind, value FROM program_feature ORDER BY kind"
    kept = [("kept-1", "care", "outpatient"), ("kept-1", "payment", "cash")]

    assert flask(empty_app, "db", "upgrade", WITHOUT_ROWID).exit_code == 0
    assert rows(empty_app, features) == kept
    sqlite = empty_app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    assert feature_table_sql(empty_app).endswith("WITHOUT ROWID") == sqlite

    assert flask(empty_app, "db", "downgrade", BEFORE_WITHOUT_ROWID).exit_code == 0
    assert rows(empty_app, features) == kept
    assert "WITHOUT ROWID" not in feature_table_sql(empty_app)
    assert flask(empty_app, "db", "upgrade").exit_code == 0
    assert revision_of(empty_app) == [HEAD]
    assert models_match_the_migrated_schema(empty_app)


BEFORE_SEARCHABLE_BITS = WITHOUT_ROWID
SEARCHABLE_BITS = "d6f2a9c4e8b1"


def searchable_bits(app) -> tuple[list[str], list[str] | None]:
    """PostgreSQL's partial index of the searchable programs' filter columns (its definition,
    if any) and the program table's storage options; ([], None) on SQLite, which gets neither."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return [], None
    index = rows(
        app,
        "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema()"
        " AND indexname = 'ix_program_searchable_bits'",
    )
    [(options,)] = rows(app, "SELECT reloptions FROM pg_class WHERE oid = 'program'::regclass")
    return [definition for (definition,) in index], options


def test_a_filtered_count_reads_the_searchable_bits_index_on_postgresql_only(empty_app):
    assert flask(empty_app, "db", "upgrade", SEARCHABLE_BITS).exit_code == 0
    index, options = searchable_bits(empty_app)
    if empty_app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        assert (index, options) == ([], None)
    else:
        [definition] = index
        assert "(filter_bits_1, filter_bits_2, telehealth)" in definition
        assert definition.endswith("WHERE (active AND substance_use)")
        assert options == ["parallel_workers=0"]
    assert models_match_the_migrated_schema(empty_app)

    assert flask(empty_app, "db", "downgrade", BEFORE_SEARCHABLE_BITS).exit_code == 0
    assert searchable_bits(empty_app) == ([], None)
    assert flask(empty_app, "db", "upgrade").exit_code == 0
    assert revision_of(empty_app) == [HEAD]
