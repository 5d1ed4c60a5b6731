"""Write what the comparison (compare.py) found, in one transaction.

write() is set-based (a few statements per thousand programs), so the write lock is held for
seconds, not minutes."""

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import reduce
from itertools import repeat
from operator import attrgetter, or_

from sqlalchemy import Boolean, bindparam, delete, func, select, text, update

from .. import filterbits
from ..db import db
from ..models import ImportBatch, Program, ProgramFeature, ProgramPhone, ProgramRate, utcnow
from .compare import _IN_CHUNK, SCALARS, Plan, phones_of
from .records import ProgramRecord
from .spool import CHANGED, NEW

FLUSH_EVERY = 2000  # programs per set of statements


def fingerprint() -> tuple:
    """What changes whenever the directory does: compared before writing, so that a plan made
    outside the write transaction is applied only to the directory it was made from."""
    return tuple(
        db.session.execute(
            select(
                select(func.max(ImportBatch.id)).scalar_subquery(),
                select(func.count(), func.max(Program.updated_at)).select_from(Program).subquery(),
            )
        ).one()
    )


def lock() -> None:
    """Writers of the directory take turns (SQLite: BEGIN IMMEDIATE did already)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(select(func.pg_advisory_xact_lock(_LOCK_ID)))


_LOCK_ID = 0x66696E646572  # "finder"


def write(
    todo: Plan,
    batch: ImportBatch,
    today: dt.date,
    progress: Callable[[int, int], None] | None = None,
    *,
    bulk: bool = False,
    empty: bool = False,
) -> None:
    """Add the batch and write every change, in sets of FLUSH_EVERY programs (no commit).
    With bulk (an import that rewrites most of the directory, on SQLite), the secondary
    indexes and the R*Tree's triggers are set aside while the rows go in and made again
    after, in the same transaction: the caller must refill the R*Tree (PACK_AFTER). With
    empty (the directory has no programs yet, on PostgreSQL), the written tables' foreign
    keys and secondary indexes are set aside the same way."""
    session = db.session
    session.add(batch)
    session.flush()
    now = utcnow()
    total = todo.new + todo.changed + len(todo.deactivate)
    done = 0

    def step(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(done, total)

    size = min(FLUSH_EVERY, _IN_CHUNK)
    # In the order of their keys: every table written is keyed by the program's key first, so
    # that its B-trees grow at their right edge. In a file's order (SAMHSA's keys are hashes)
    # each row went to a random page of a tree larger than the page cache.
    connection = session.connection()
    with _indexes_set_aside(connection, bulk), _keys_set_aside(connection, bulk and empty):
        if todo.new:
            for chunk in todo.records.chunks(size, (NEW,), by_key=True):
                records = [record for _, record in chunk]
                write_programs(records, batch.id, today, now, new=True)
                _insert_attributes(records)
                step(len(records))
        if todo.changed:
            for chunk in todo.records.chunks(size, (CHANGED,), by_key=True):
                records = [record for _, record in chunk]
                write_programs(records, batch.id, today, now, new=False)
                ids = [record.key for record in records]
                for model in (ProgramFeature, ProgramRate, ProgramPhone):
                    session.execute(delete(model).where(model.program_id.in_(ids)))
                _insert_attributes(records)
                step(len(records))
        for chunk in _chunks(todo.deactivate):
            session.execute(
                update(Program)
                .where(Program.id.in_(chunk))
                .values(active=False, import_id=batch.id, updated_at=now)
                .execution_options(synchronize_session=False)
            )
            step(len(chunk))


def analyze_written() -> None:
    """PostgreSQL's planner statistics of the tables an import rewrote, in its transaction (a
    sampled ANALYZE, under a second at 100,000 programs; it blocks no reader or writer).
    Autovacuum would gather them in its own time; until then the planner sees the tables as
    they were (empty after a first import) and reads every feature row to compare 500
    programs: a re-import preview of 100,000 programs took 58 s instead of 12."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text(f"ANALYZE {', '.join(_BULK_TABLES)}"))


def write_programs(
    records: list[ProgramRecord], import_id: int, today: dt.date, now: dt.datetime, *, new: bool
) -> None:
    """The `program` rows of these records: inserted (new) or updated (changed). Every
    column of a program the import writes is set here; its features, rates and phones are
    _insert_attributes's."""
    if new:
        rows = [_new_program(record, import_id, today, now) for record in records]
        _insert(Program, _PROGRAM_COLUMNS, rows)
        return
    changed = [_changed_row(record, import_id, today, now) for record in records]
    for dated in (True, False):  # one statement per set of columns
        if same := [row for row in changed if ("verified_on" in row) is dated]:
            db.session.execute(_UPDATE, same)


# The tables a bulk import rewrites; their secondary indexes are made again from their own
# definitions (sqlite_master.sql), so that the schema after is the schema before.
_BULK_TABLES = ("program", "program_feature", "program_rate", "program_phone")
_SET_ASIDE = (
    "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND ((type = 'index'"
    f" AND tbl_name IN ({', '.join(repr(t) for t in _BULK_TABLES)})) OR (type = 'trigger'"
    " AND tbl_name = 'program' AND substr(name, 1, 14) = 'program_rtree_')) ORDER BY type, name"
)
_HAS_STATS = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"


@contextmanager
def _indexes_set_aside(connection, bulk: bool) -> Iterator[None]:
    """On SQLite with bulk: drop the secondary indexes of the written tables and the R*Tree's
    triggers, and make them again when the block ends (inside the transaction: a failed import
    rolls the drop back too). Building an index once from the finished table costs less than
    keeping it through a million inserts in file order; readers (WAL) see the old snapshot.
    PostgreSQL keeps its indexes: dropping one would lock searches out until the commit."""
    if not bulk or connection.dialect.name != "sqlite":
        yield
        return
    kept = connection.exec_driver_sql(_SET_ASIDE).all()
    # Dropping an index drops its planner statistics (from an ANALYZE): they are put back.
    stats = []
    if connection.exec_driver_sql(_HAS_STATS).first() is not None:
        names = [name for kind, name, _ in kept if kind == "index"]
        marks = ", ".join("?" * len(names))
        stats = connection.exec_driver_sql(
            f"SELECT tbl, idx, stat FROM sqlite_stat1 WHERE idx IN ({marks})", tuple(names)
        ).all()
    quote = connection.dialect.identifier_preparer.quote
    for kind, name, _ in kept:
        connection.exec_driver_sql(f"DROP {kind.upper()} {quote(name)}")
    yield
    for _, _, sql in kept:
        connection.exec_driver_sql(sql)
    if stats:
        connection.exec_driver_sql(
            "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)", [tuple(s) for s in stats]
        )


# The written tables' foreign keys, the primary keys of those no foreign key refers to
# (features, rates, phones), and their other indexes, as made again.
_PG_SET_ASIDE = (
    "SELECT 'ALTER TABLE ' || quote_ident(t.relname) || ' DROP CONSTRAINT '"
    " || quote_ident(c.conname), 'ALTER TABLE ' || quote_ident(t.relname)"
    " || ' ADD CONSTRAINT ' || quote_ident(c.conname) || ' ' || pg_get_constraintdef(c.oid)"
    " FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid"
    " WHERE c.conrelid = ANY(%(tables)s::regclass[]) AND (c.contype = 'f' OR (c.contype = 'p'"
    " AND NOT EXISTS (SELECT 1 FROM pg_constraint r WHERE r.confrelid = c.conrelid)))"
    " UNION ALL"
    " SELECT 'DROP INDEX ' || quote_ident(s.relname), pg_get_indexdef(i.indexrelid)"
    " FROM pg_index i JOIN pg_class s ON s.oid = i.indexrelid"
    " WHERE i.indrelid = ANY(%(tables)s::regclass[]) AND NOT i.indisprimary"
    " ORDER BY 1"
)


@contextmanager
def _keys_set_aside(connection, empty: bool) -> Iterator[None]:
    """On PostgreSQL, filling an empty directory: drop the written tables' foreign keys and
    indexes (but `program`'s primary key, which other tables' keys refer to), and make them
    again when the block ends (in the transaction). A foreign key checks each of 2.3 million
    feature rows by itself (9 of a 100,000-program import's 21 s on the server); made again,
    it checks them all in one join (0.3 s), and an index is built once from the sorted rows
    (the feature table's primary key: 0.9 s after, where it added 1.8 s to the COPY). A duplicate
    row would fail the primary key made again, and with it the import. Dropping them locks
    readers of `program` out until the commit, so only a directory with no programs to search
    is loaded this way."""
    if not empty or connection.dialect.name != "postgresql":
        yield
        return
    cursor = connection.connection.dbapi_connection.cursor()
    cursor.execute(_PG_SET_ASIDE, {"tables": list(_BULK_TABLES)})
    kept = cursor.fetchall()
    for drop, _ in kept:
        cursor.execute(drop)
    yield
    for _, make in kept:
        cursor.execute(make)
    cursor.close()


_UPDATE = update(Program.__table__).where(Program.__table__.c.id == bindparam("key"))


def _chunks(items: list) -> list[list]:
    size = min(FLUSH_EVERY, _IN_CHUNK)
    return [items[i : i + size] for i in range(0, len(items), size)]


def _insert_attributes(records: list[ProgramRecord]) -> None:
    """The features, rates and phones of these programs, a statement (or COPY) per table."""
    _insert(
        ProgramFeature,
        ("program_id", "kind", "value"),
        # A record's features are sorted and distinct already (both parsers make them so).
        [(r.key, kind, value) for r in records for kind, value in r.features],
    )
    _insert(
        ProgramRate,
        ("program_id", "item", "low_cents", "high_cents"),
        [(r.key, *rate) for r in records for rate in r.rates],
    )
    _insert(
        ProgramPhone,
        ("program_id", "position", "kind", "number", "label"),
        [(r.key, i, *phone) for r in records for i, phone in enumerate(phones_of(r))],
    )


def _insert(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert plain rows: on PostgreSQL with COPY, elsewhere one executemany of the driver's
    own statement (SQLAlchemy's per-row work cost more than the database's)."""
    if not rows:
        return
    connection = db.session.connection()
    dialect = connection.dialect
    table = model.__table__
    name = dialect.identifier_preparer.format_table(table)
    listed = ", ".join(dialect.identifier_preparer.quote(c) for c in columns)
    if dialect.name == "postgresql":
        cursor = connection.connection.dbapi_connection.cursor()
        with cursor.copy(f"COPY {name} ({listed}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    # The column types' own conversions (dates as text), each value converted once (a
    # chunk's dates and times are few). Booleans need none: the driver binds True as 1.
    processors = [
        (i, p, {})
        for i, c in enumerate(columns)
        if not isinstance(table.c[c].type, Boolean)
        and (p := table.c[c].type.dialect_impl(dialect).bind_processor(dialect)) is not None
    ]
    if processors:
        converted = []
        for row in rows:
            row = list(row)
            for i, p, done in processors:
                if (value := row[i]) is not None:
                    row[i] = done[value] if value in done else done.setdefault(value, p(value))
            converted.append(tuple(row))
        rows = converted
    marks = ", ".join(["?" if dialect.paramstyle == "qmark" else "%s"] * len(columns))
    connection.exec_driver_sql(f"INSERT INTO {name} ({listed}) VALUES ({marks})", rows)


_PROGRAM_COLUMNS = ("id", *SCALARS, "verified_on", "imported_on", "active", "import_id")
_PROGRAM_COLUMNS += ("created_at", "updated_at", *filterbits.COLUMNS)


# filterbits.values, for 100,000 programs at a time: per bit column, (kind, value) -> its bit,
# ORed together by map and reduce in C (a fifth of the time).
_BITS = [
    {pair: bit for pair, (name, bit) in filterbits.BIT.items() if name == column}
    for column in filterbits.COLUMNS
]


def _bits(features) -> list[int]:
    return [reduce(or_, map(bits.get, features, repeat(0)), 0) for bits in _BITS]


def _new_program(record: ProgramRecord, import_id: int, today: dt.date, now: dt.datetime):
    """A new program's row. Its verified date is the file's, or none (never the import day)."""
    bits = _bits((*record.features, *filterbits.priced(rate[0] for rate in record.rates)))
    return (
        record.key, *_scalars(record), record.verified_on, today, True, import_id, now, now, *bits
    )  # fmt: skip


_scalars = attrgetter(*SCALARS)


def _changed_row(record: ProgramRecord, import_id: int, today: dt.date, now: dt.datetime) -> dict:
    row = {name: getattr(record, name) for name in SCALARS}
    # A file that names no verified date keeps the stored one.
    row.update(key=record.key, active=True, import_id=import_id, imported_on=today, updated_at=now)
    priced = filterbits.priced(rate[0] for rate in record.rates)
    row.update(filterbits.columns((*record.features, *priced)))
    if record.verified_on:
        row["verified_on"] = record.verified_on
    return row
