"""Importing into the database: preview writes nothing, apply writes all or nothing."""

import csv
import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from finder.db import db
from finder.importer import ImportRefused, apply, import_file, preview
from finder.models import ImportBatch, Program

FIXTURES = Path(__file__).parent / "fixtures" / "import"
DEMO = Path(__file__).resolve().parents[1] / "data" / "programs.csv"
BASE = {
    "key": "a",
    "name": "Alpha",
    "city": "Cambridge",
    "state": "MA",
    "zip": "02139",
    "latitude": "42.3647",
    "longitude": "-71.1042",
    "phone": "617-555-0100",
    "care_levels": "outpatient",
}


def native(tmp_path, rows, name="programs.csv") -> Path:
    """Our format, from dicts that override BASE."""
    rows = [BASE | row for row in rows]
    columns = list(dict.fromkeys(c for row in rows for c in row))
    path = tmp_path / name
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def count(model=Program) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def program(key) -> Program:
    db.session.expire_all()
    return db.session.get(Program, key)


def test_preview_counts_what_would_change_and_writes_nothing(app):
    with app.app_context():
        path = FIXTURES / "native_quirks.csv"
        result = preview(path)

        assert (result.summary.added, result.summary.warnings, result.errors) == (3, 3, [])
        assert [c.key for c in result.changes] == ["quirk-1", "quirk-2", "quirk-3"]
        assert (result.format, result.encoding_label) == ("native", "UTF-8")
        assert (result.size, result.sha256) == (
            path.stat().st_size,
            hashlib.sha256(path.read_bytes()).hexdigest(),
        )
        assert (count(), count(ImportBatch)) == (0, 0)


def test_import_writes_every_program_and_one_batch(app):
    with app.app_context():
        result = import_file(FIXTURES / "native_quirks.csv", actor="ann@example.org")
        batch = db.session.get(ImportBatch, result.batch_id)
        first, second = program("quirk-1"), program("quirk-2")

        assert result.applied and count() == 3
        assert (batch.actor, batch.filename, batch.format, batch.encoding) == (
            "ann@example.org",
            "native_quirks.csv",
            "native",
            "utf-8",
        )
        assert (batch.added, batch.warnings, batch.sha256) == (3, 3, result.sha256)
        assert (first.source, first.import_id, first.active) == ("finder", batch.id, True)
        assert first.tokens("care") == ["intensive_outpatient", "outpatient"]
        assert (first.rate("outpatient").low_cents, first.rate("outpatient").high_cents) == (
            15000,
            27000,
        )
        assert first.sliding_fee_schedule == "100:0;200:50"
        assert second.location_approximate and second.verified_on is None  # the file has none
        assert (first.imported_on, second.imported_on) == (dt.date.today(), dt.date.today())
        assert json.loads(batch.problems) == [
            [p.line, p.column, p.message] for p in result.warnings
        ]
        assert program("quirk-3").name == "=Formula Guarded"


def test_importing_the_same_file_again_changes_no_program(app):
    with app.app_context():
        import_file(FIXTURES / "native_quirks.csv", actor="a")
        stamps = {p.id: p.updated_at for p in db.session.scalars(select(Program))}
        result = import_file(FIXTURES / "native_quirks.csv", actor="a")
        db.session.expire_all()

        assert (result.summary.unchanged, result.summary.changed, result.summary.added) == (3, 0, 0)
        assert {p.id: p.updated_at for p in db.session.scalars(select(Program))} == stamps
        assert count(ImportBatch) == 2


def test_a_file_with_errors_is_refused_and_writes_nothing(app, tmp_path):
    with app.app_context():
        import_file(native(tmp_path, [{}]), actor="a")
        with pytest.raises(ImportRefused) as refused:
            import_file(FIXTURES / "native_errors.csv", actor="a")

        assert refused.value.result.refused and not refused.value.result.applied
        assert len(refused.value.result.errors) == 17
        assert (count(), count(ImportBatch)) == (1, 1)


def test_skip_invalid_imports_the_valid_rows(app):
    with app.app_context():
        result = import_file(FIXTURES / "native_errors.csv", actor="a", skip_invalid=True)
        batch = db.session.get(ImportBatch, result.batch_id)

        assert (result.summary.added, result.summary.skipped_rows) == (1, 18)
        assert [p.id for p in db.session.scalars(select(Program))] == ["ok-2"]
        assert program("ok-2").verified_on == dt.date(2025, 6, 30)
        assert batch.skipped_rows == 18


def test_a_broken_header_is_refused_even_with_skip_invalid(app, tmp_path):
    path = tmp_path / "broken.csv"
    path.write_text("key,name\nx,y\n", encoding="utf-8")
    with app.app_context(), pytest.raises(ImportRefused) as refused:
        import_file(path, actor="a", skip_invalid=True)

    assert refused.value.result.errors[0].message.startswith("required columns are missing")


def test_dry_run_reports_and_writes_nothing(app):
    with app.app_context():
        result = import_file(FIXTURES / "native_quirks.csv", actor="a", dry_run=True)

        assert result.dry_run and not result.applied and result.summary.added == 3
        assert (count(), count(ImportBatch)) == (0, 0)
        with pytest.raises(ImportRefused):
            import_file(FIXTURES / "native_errors.csv", actor="a", dry_run=True)


def test_a_change_is_shown_field_by_field_then_applied(app, tmp_path):
    with app.app_context():
        import_file(native(tmp_path, [{"rate_outpatient": "150-270"}, {"key": "b"}]), actor="a")
        before = program("b").updated_at
        edited = native(
            tmp_path,
            [
                {"phone": "617-555-0199", "care_levels": "outpatient;intensive_outpatient"},
                {"key": "b"},
            ],
        )
        shown = preview(edited)

        assert (shown.summary.changed, shown.summary.unchanged) == (1, 1)
        assert shown.changes[0].fields == (
            ("phone", "617-555-0100", "617-555-0199"),
            ("phones", "main: 617-555-0100", "main: 617-555-0199"),
            ("care", "outpatient", "intensive_outpatient; outpatient"),
            ("rate_outpatient", "150-270", ""),
        )
        import_file(edited, actor="a")
        changed = program("a")
        assert (changed.phone, changed.rates) == ("617-555-0199", [])
        assert changed.tokens("care") == ["intensive_outpatient", "outpatient"]
        assert program("b").updated_at == before


def test_complete_source_deactivates_what_the_file_no_longer_lists(app, tmp_path):
    nh = {"state": "NH", "zip": "03301", "latitude": "43.2", "longitude": "-71.5"}
    with app.app_context():
        import_file(
            native(
                tmp_path,
                [
                    {},
                    {"key": "gone"},
                    {"key": "bad"},
                    {"key": "nh"} | nh,
                    {"key": "demo", "source": "demo"},
                ],
            ),
            actor="a",
        )
        newer = native(tmp_path, [{}, {"key": "bad", "zip": "2139"}], name="newer.csv")

        assert preview(newer, skip_invalid=True).summary.deactivated == 0
        result = import_file(newer, actor="a", complete_source=True, skip_invalid=True)

        # "nh" is in another state, "demo" from another source, "bad" had an invalid row
        assert (result.summary.deactivated, result.summary.skipped_rows) == (1, 1)
        assert [c.key for c in result.changes if c.action == "deactivate"] == ["gone"]
        assert {p.id for p in db.session.scalars(select(Program).where(Program.active))} == {
            "a",
            "bad",
            "nh",
            "demo",
        }
        assert count() == 5  # never deleted

        back = import_file(native(tmp_path, [{"key": "gone"}], name="back.csv"), actor="a")
        assert back.summary.changed == 1
        assert back.changes[0].fields == (("active", "no", "yes"),)
        assert program("gone").active


def test_verified_on_comes_from_the_row_or_the_argument_never_the_import_day(app, tmp_path):
    given = dt.date(2025, 3, 4)
    with app.app_context():
        import_file(native(tmp_path, [{}, {"key": "b", "verified_on": "2024-12-31"}]), actor="a")
        assert program("a").verified_on is None  # nobody verified it: no date
        assert program("a").imported_on == dt.date.today()  # but it was imported today
        assert program("b").verified_on == dt.date(2024, 12, 31)

        import_file(native(tmp_path, [{"phone": "1"}, {"key": "b"}]), actor="a")
        assert program("b").verified_on == dt.date(2024, 12, 31)  # kept: the file names none
        assert program("a").verified_on is None

        import_file(native(tmp_path, [{"key": "c"}, {"key": "b"}]), actor="a", verified_on=given)
        assert program("c").verified_on == given
        assert program("b").verified_on == given  # the source's own date replaces it


def test_imported_on_is_the_day_of_the_import_that_last_changed_the_program(app, tmp_path):
    with app.app_context():
        import_file(native(tmp_path, [{}, {"key": "b"}]), actor="a")
        db.session.execute(update(Program).values(imported_on=dt.date(2026, 1, 2)))
        db.session.commit()

        import_file(native(tmp_path, [{"phone": "617-555-0111"}, {"key": "b"}]), actor="a")

        assert program("a").imported_on == dt.date.today()  # changed
        assert program("b").imported_on == dt.date(2026, 1, 2)  # unchanged: kept


def test_a_failure_mid_write_leaves_the_database_as_it_was(app, tmp_path, monkeypatch):
    rows = [{"key": f"p{i:03d}"} for i in range(60)]
    with app.app_context():
        import_file(native(tmp_path, rows[:5]), actor="a")
        real = apply._new_program
        made = []

        def fail_after_40(*args):
            made.append(1)
            if len(made) > 40:
                raise RuntimeError("disk on fire")
            return real(*args)

        monkeypatch.setattr(apply, "FLUSH_EVERY", 10)
        monkeypatch.setattr(apply, "_new_program", fail_after_40)
        with pytest.raises(RuntimeError):
            import_file(native(tmp_path, rows, name="more.csv"), actor="a")

        assert (count(), count(ImportBatch)) == (5, 1)


@pytest.mark.skipif(not DEMO.exists(), reason="data/programs.csv has not been generated")
def test_the_demo_directory_imports_without_errors(app):
    with app.app_context():
        result = import_file(DEMO, actor="a")
        with open(DEMO, newline="", encoding="utf-8") as f:
            rows = sum(1 for _ in csv.DictReader(f))

        assert result.errors == []
        assert rows >= 1000
        assert result.summary.added == count() == rows
