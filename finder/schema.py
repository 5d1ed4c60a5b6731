"""The database schema: Alembic revisions in migrations/, brought to the newest by `init-db`,
`import` and `flask db upgrade`; a database made by create_all() before migrations is
recognised among the revisions and stamped."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import sqlalchemy as sa
from alembic import command
from alembic.migration import MigrationContext
from alembic.operations import Operations
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from flask import current_app

from .db import db

# Tables in our database that the models do not describe (a PostGIS catalogue, a full-text
# index): Alembic's comparisons leave them out, and so does recognising a schema. SQLite's
# R*Tree of program locations (revision 5e1b7a93c2d4) is a virtual table with three shadows.
SPATIAL_TABLES = frozenset(
    {"program_rtree", "program_rtree_node", "program_rtree_parent", "program_rtree_rowid"}
)
IGNORED_TABLES: frozenset[str] = SPATIAL_TABLES
# Indexes the models cannot declare: PostgreSQL's GiST of program locations, and its partial
# index of the searchable programs' filter columns (revision d6f2a9c4e8b1).
IGNORED_INDEXES = frozenset({"ix_program_location", "ix_program_searchable_bits"})
# The revision that adds the spatial index (SQLite's R*Tree, PostgreSQL's GiST).
SPATIAL_REVISION = "5e1b7a93c2d4"
VERSION_TABLE = "alembic_version"
# SQLite's R*Tree answers a box quickly only when its leaves hold points that are near one
# another; filled one program at a time in the order of an import file (spread over the
# country), a 25-mile count reads hundreds of nodes where a packed tree reads a dozen.
# Refilled in the order of half-degree bands of latitude, then longitude, each leaf is a
# small patch of the map. Its auxiliary columns copy the program's filter columns (revision
# e4a9b1c7d3f2), so that a filtered box is tested in the tree.
RTREE_REFILL = (
    "INSERT INTO program_rtree SELECT rowid, latitude, latitude, longitude, longitude, "
    "active AND substance_use, active AND substance_use, filter_bits_1, filter_bits_2, "
    "telehealth FROM program "
    "ORDER BY CAST((latitude + 90) * 2 AS INTEGER), longitude"
)


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's filter (`db check`, `db migrate`): leave alone the tables we do not model."""
    if type_ == "table":
        return name not in IGNORED_TABLES
    return not (type_ == "index" and name in IGNORED_INDEXES)


def pack_spatial_index(connection: sa.Connection) -> None:
    """Refill SQLite's R*Tree in map order (RTREE_REFILL): after a load or an import that
    wrote many programs. About a second for 100,000 programs; PostgreSQL needs nothing."""
    if connection.dialect.name != "sqlite":
        return
    connection.exec_driver_sql("DELETE FROM program_rtree")
    connection.exec_driver_sql(RTREE_REFILL)


def refresh_statistics(connection: sa.Connection) -> None:
    """SQLite's planner statistics, after a load or an import that wrote many programs: without
    them (SQLite gathers none by itself) a box may be read through the wrong index: a rural
    100-mile search at 100,000 programs took 35 ms instead of 2. A sampled ANALYZE
    (`analysis_limit`) takes a fraction of a second; PostgreSQL's autovacuum does this itself."""
    if connection.dialect.name != "sqlite":
        return
    connection.exec_driver_sql("PRAGMA analysis_limit = 1000")
    connection.exec_driver_sql("ANALYZE")


def our_tables(connection: sa.Connection) -> set[str]:
    names = set(sa.inspect(connection).get_table_names())
    return names - IGNORED_TABLES - {VERSION_TABLE}


def versioned(connection: sa.Connection) -> bool:
    return sa.inspect(connection).has_table(VERSION_TABLE)


def adopt_unversioned(migration: MigrationContext, script: ScriptDirectory) -> str | None:
    """Stamp a database that create_all() made before migrations with the revision its schema
    matches, and return that revision; None when the database has a version table already or
    no tables at all. Raises CommandError when it matches no revision."""
    connection = migration.connection
    if versioned(connection) or not our_tables(connection):
        return None
    revision = recognise(connection, script)
    if revision is None:
        raise CommandError(
            "This database has finder's tables but no migration history, and they match no "
            "revision of finder's schema: compare them with migrations/versions, then record "
            "the matching revision with `flask --app finder db stamp REVISION`."
        )
    migration.stamp(script, revision)
    _add_spatial_index(migration, script, revision)
    return revision


def _add_spatial_index(migration: MigrationContext, script: ScriptDirectory, revision: str):
    """create_all() makes no spatial index (the models do not describe it), and a schema
    recognised as a revision after the one that adds it is not upgraded by that one: it gets
    the index here."""
    if SPATIAL_REVISION not in {r.revision for r in script.iterate_revisions(revision, "base")}:
        return
    if not has_spatial_index(migration.connection):
        with Operations.context(migration):
            script.get_revision(SPATIAL_REVISION).module.upgrade()


def has_spatial_index(connection: sa.Connection) -> bool:
    if connection.dialect.name == "sqlite":
        return set(sa.inspect(connection).get_table_names()) >= SPATIAL_TABLES
    found = connection.execute(
        sa.text(
            "SELECT 1 FROM pg_indexes WHERE schemaname = current_schema()"
            " AND indexname = 'ix_program_location'"
        )
    )
    return found.first() is not None


def recognise(connection: sa.Connection, script: ScriptDirectory) -> str | None:
    """The oldest revision whose schema, built on a scratch database of the same kind, has the
    same tables, columns, types, keys and indexes as this database."""
    target = shape(connection)
    with _scratch(connection) as scratch:
        migration = MigrationContext.configure(scratch)
        with Operations.context(migration):
            for revision in reversed(list(script.walk_revisions())):
                revision.module.upgrade()
                if shape(scratch) == target:
                    return revision.revision
    return None


def shape(connection: sa.Connection) -> dict:
    """What a schema is made of, in terms that two databases of one kind can compare."""
    inspector = sa.inspect(connection)
    return {table: _table_shape(inspector, table) for table in our_tables(connection)}


def _table_shape(inspector, table: str) -> tuple:
    columns = {(c["name"], _type(c["type"]), c["nullable"]) for c in inspector.get_columns(table)}
    # PostgreSQL lists the index behind each unique constraint too; SQLite names those sqlite_*.
    indexes = {
        (i["name"], tuple(i["column_names"]), i["unique"])
        for i in inspector.get_indexes(table)
        if not i.get("duplicates_constraint")
        and not (i["name"] or "").startswith("sqlite_")
        and i["name"] not in IGNORED_INDEXES
    }
    uniques = {tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)}
    foreign_keys = {
        (tuple(f["constrained_columns"]), f["referred_table"], tuple(f["referred_columns"]))
        + (f.get("options", {}).get("ondelete"),)
        for f in inspector.get_foreign_keys(table)
    }
    primary_key = tuple(inspector.get_pk_constraint(table)["constrained_columns"])
    return columns, primary_key, indexes, uniques, foreign_keys


def _type(column_type) -> tuple:
    # Affinity and length: SQLAlchemy 2.0 spells a float column FLOAT, 2.1 DOUBLE; both are one
    # column to SQLite and PostgreSQL alike.
    return column_type._type_affinity.__name__, getattr(column_type, "length", None)


@contextmanager
def _scratch(connection: sa.Connection) -> Iterator[sa.Connection]:
    """An empty database of the same kind, gone afterwards: SQLite in memory, or a schema of
    PostgreSQL's that is created inside a transaction and rolled back."""
    dialect = connection.dialect.name
    if dialect == "sqlite":
        engine = sa.create_engine("sqlite://")
        with engine.connect() as scratch:
            yield scratch
        engine.dispose()
    elif dialect == "postgresql":
        with connection.engine.connect() as scratch, scratch.begin() as transaction:
            name = f"finder_scratch_{uuid.uuid4().hex[:12]}"
            scratch.exec_driver_sql(f'CREATE SCHEMA "{name}"')
            scratch.exec_driver_sql(f'SET LOCAL search_path TO "{name}"')
            yield scratch
            transaction.rollback()
    else:
        raise CommandError(f"finder cannot recognise a {dialect} database made before migrations.")


@dataclass(frozen=True)
class Upgrade:
    before: str | None  # the revision the database was at (or was recognised as); None: empty
    after: str


def upgrade() -> Upgrade:
    """Bring the app's database to the newest revision (creating the schema when it is empty)."""
    config = current_app.extensions["migrate"].migrate.get_config()
    config.attributes["configure_logger"] = False
    with db.engine.connect() as connection:
        before = MigrationContext.configure(connection).get_current_revision()
    command.upgrade(config, "head")
    with db.engine.connect() as connection:
        after = MigrationContext.configure(connection).get_current_revision()
    return Upgrade(before=before or config.attributes.get("adopted"), after=after)


def head() -> str:
    config = current_app.extensions["migrate"].migrate.get_config()
    return ScriptDirectory.from_config(config).get_current_head()


def status() -> str:
    """Where the database stands: "empty" (no schema), "current", "unversioned" (made before
    migrations) or "behind" (or ahead: another version of finder wrote it)."""
    with db.engine.connect() as connection:
        if not our_tables(connection):
            return "empty"
        if not versioned(connection):
            return "unversioned"
        current = MigrationContext.configure(connection).get_current_revision()
    return "current" if current == head() else "behind"
