"""A large import on SQLite sets the secondary indexes and the R*Tree's triggers aside while its
rows go in and builds them again after (apply._indexes_set_aside), and one into an empty
directory on PostgreSQL its foreign keys and secondary indexes (apply._keys_set_aside): the
rows it writes are exactly those of the row-by-row path, and of the importer before that
change, and the schema after is the schema before."""

import csv
import json
from pathlib import Path

import pytest
from sqlalchemy import delete, select, text
from test_importer import FIXTURES

import finder.importer as importer
from finder import filterbits
from finder.db import db
from finder.importer import import_file
from finder.models import ImportBatch, Program, ProgramFeature, ProgramPhone, ProgramRate

BULK = FIXTURES / "bulk_native.csv"  # bench/generate.py's 120 programs, seed 7
# The rows importing BULK wrote before the bulk path existed (the importer of commit bc38cd7).
EXPECTED = FIXTURES / "bulk_native.rows.json"
# Written by the import on the day it runs, or numbered by the database.
NOT_COMPARED = {"created_at", "updated_at", "imported_on", "import_id", "id"}
TABLES = (
    (Program, ("id",)),
    (ProgramFeature, ("program_id", "kind", "value")),
    (ProgramRate, ("program_id", "item")),
    (ProgramPhone, ("program_id", "position")),
)


def rows(leave_out: tuple[str, ...] = ()) -> dict[str, list[list]]:
    """Every row the import writes (programs keep their id), in key order, as JSON values,
    but the columns `leave_out`."""
    db.session.expire_all()
    found = {}
    for model, order in TABLES:
        table = model.__table__
        columns = [c for c in table.c if c.name not in leave_out and (
            c.name not in NOT_COMPARED or (model, c.name) == (Program, "id"))]  # fmt: skip
        query = select(*columns).order_by(*(table.c[name] for name in order))
        found[table.name] = [
            [v if isinstance(v, str | int | float | bool | None) else str(v) for v in row]
            for row in db.session.execute(query)
        ]
    batches = select(*(c for c in ImportBatch.__table__.c if c.name not in NOT_COMPARED))
    found["import_batch"] = [
        [str(v) if v is not None and not isinstance(v, str | int) else v for v in row]
        for row in db.session.execute(batches.order_by(ImportBatch.id))
    ]
    return found


def wipe() -> None:
    for model in (ProgramFeature, ProgramRate, ProgramPhone, Program, ImportBatch):
        db.session.execute(delete(model))
    db.session.commit()


def imports(files: list[tuple[Path, dict]], *, bulk: bool, monkeypatch) -> dict:
    """Import the files in turn, every one by the bulk path or none, and the rows after."""
    monkeypatch.setattr(importer, "PACK_AFTER", 1 if bulk else 10**9)
    for path, options in files:
        import_file(path, actor="a", **options)
    return rows()


def changed_copy(tmp_path: Path) -> Path:
    """BULK with most programs changed, ten dropped and one added."""
    with open(BULK, newline="", encoding="utf-8") as f:
        listed = list(csv.DictReader(f))
    for n, row in enumerate(listed):
        if n % 3:
            row["name"] += " (renamed)"
            row["care_levels"] = "outpatient"
            row["rate_outpatient"] = "" if n % 2 else "125"
            row["phones"] = ""
    listed = listed[10:] + [listed[0] | {"key": "gen-new", "verified_on": ""}]
    path = tmp_path / "changed.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, list(listed[0]))
        writer.writeheader()
        writer.writerows(listed)
    return path


@pytest.mark.parametrize(
    "files",
    [
        ["bulk_native.csv"],
        ["native_quirks.csv", "samhsa_twins.csv"],
        ["bulk_native.csv", "changed"],
    ],
)
def test_a_bulk_apply_writes_the_rows_a_row_by_row_apply_writes(app, tmp_path, monkeypatch, files):
    paths = [
        (changed_copy(tmp_path), {"complete_source": True})
        if name == "changed"
        else (FIXTURES / name, {})
        for name in files
    ]
    with app.app_context():
        by_row = imports(paths, bulk=False, monkeypatch=monkeypatch)
        wipe()
        in_bulk = imports(paths, bulk=True, monkeypatch=monkeypatch)

    assert in_bulk == by_row
    assert len(in_bulk["program"]) >= 3 and in_bulk["program_feature"]


def test_a_bulk_apply_writes_what_the_importer_wrote_before_it(app, monkeypatch):
    with app.app_context():
        imports([(BULK, {})], bulk=True, monkeypatch=monkeypatch)
        # The filter bits came after (tests/test_filter_bits.py checks them against the features).
        found = rows(leave_out=filterbits.COLUMNS)

    assert found == json.loads(EXPECTED.read_text())
    assert len(found["program"]) == 120 and len(found["program_rate"]) > 50


# PostgreSQL's constraints and indexes of the tables in the search path, as they would be made.
PG_SCHEMA = (
    "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
    " WHERE connamespace = current_schema()::regnamespace"
    " UNION ALL SELECT tablename, indexname, indexdef FROM pg_indexes"
    " WHERE schemaname = current_schema() ORDER BY 1, 2, 3"
)


def schema():
    """The schema's definitions (but SQLite's planner statistics, which a large import
    gathers: refresh_statistics); on PostgreSQL, every constraint and index."""
    if db.engine.dialect.name == "postgresql":
        return db.session.execute(text(PG_SCHEMA)).all()
    return db.session.execute(
        text(
            "SELECT type, name, tbl_name, sql FROM sqlite_master"
            " WHERE name NOT LIKE 'sqlite_stat%' ORDER BY name"
        )
    ).all()


def test_a_bulk_apply_leaves_the_schema_as_it_was_and_every_program_findable(app, monkeypatch):
    with app.app_context():
        before = schema()
        imports([(BULK, {})], bulk=True, monkeypatch=monkeypatch)
        db.session.commit()
        assert schema() == before
    found = app.test_client().get("/api/facilities?radius=any&near=02139&per_page=100").json
    assert found["total"] == 120


def test_a_failed_bulk_apply_changes_nothing_not_even_the_indexes(app, monkeypatch):
    def fail(result):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(importer, "PACK_AFTER", 1)
    with app.app_context():
        before = schema()
        with pytest.raises(RuntimeError):
            import_file(BULK, actor="a", before_commit=fail)
        db.session.rollback()
        assert schema() == before
        assert rows()["program"] == []
        # The next import sets the same foreign keys and indexes aside (PostgreSQL) again.
        import_file(BULK, actor="a")
        assert schema() == before and len(rows()["program"]) == 120


def test_a_large_import_leaves_fresh_planner_statistics(app, monkeypatch):
    """SQLite gathers none by itself, and dropping an index drops its own: an import that
    writes many programs runs ANALYZE (schema.refresh_statistics) once its rows are in."""
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("PostgreSQL's autovacuum gathers them")
        import_file(FIXTURES / "native_quirks.csv", actor="a")
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        stats = text("SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'program'")
        before = dict(db.session.execute(stats).all())
        imports([(BULK, {})], bulk=True, monkeypatch=monkeypatch)
        after = dict(db.session.execute(stats).all())

    # Every index of program has statistics again, counting the 120 programs just written.
    assert after.keys() == before.keys() and "ix_program_searchable" in after
    rows_then, rows_now = (int(next(iter(s.values())).split()[0]) for s in (before, after))
    assert rows_now >= rows_then + 120


def test_a_large_import_on_postgresql_leaves_planner_statistics(app, monkeypatch):
    """Autovacuum gathers them in its own time; until it does, the planner sees the tables as
    empty and compares a re-import by reading every feature row (apply.analyze_written)."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite's are refresh_statistics's (the test above)")
        imports([(BULK, {})], bulk=True, monkeypatch=monkeypatch)
        counted = text("SELECT reltuples FROM pg_class WHERE oid = CAST(:name AS regclass)")
        found = {
            name: db.session.execute(counted, {"name": name}).scalar()
            for name in ("program", "program_feature", "program_phone")
        }

    # Never analyzed, a table counts -1 rows; the 120 programs have some 17 features each.
    assert found["program"] == 120 and found["program_feature"] > 1000
    assert found["program_phone"] >= 120
