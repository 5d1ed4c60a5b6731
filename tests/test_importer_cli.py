"""The `import` and `export` commands, and an import killed mid-way."""

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from finder import create_app, schema
from finder.db import db
from finder.importer import import_file
from finder.models import ImportBatch, Program

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "import"
QUIRKS = str(FIXTURES / "native_quirks.csv")
ERRORS = str(FIXTURES / "native_errors.csv")


def programs(app) -> dict:
    with app.app_context():
        return {p.id: (p.verified_on, p.active) for p in db.session.scalars(select(Program))}


def test_create_app_registers_import_and_export(app):
    assert {"import", "export"} <= set(app.cli.commands)


def test_import_prints_the_file_its_problems_and_the_summary(app, runner):
    result = runner.invoke(args=["import", QUIRKS])

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "written 3 of 3 programs"  # the progress of a run without a terminal
    assert lines[1].startswith("native_quirks.csv: ")
    assert "format native, encoding UTF-8, 3 rows" in lines[1]
    assert "warning: line 5, website: 'http://' is not a website address; dropped" in lines
    assert (
        "added 3, changed 0, unchanged 0, deactivated 0, skipped rows 0, errors 0, warnings 3"
        in lines
    )
    assert lines[-1] == "Imported as batch 1."
    assert set(programs(app)) == {"quirk-1", "quirk-2", "quirk-3"}


def test_a_refused_import_exits_non_zero_and_names_each_error(app, runner):
    result = runner.invoke(args=["import", ERRORS])

    assert result.exit_code == 1
    assert "error: line 4, zip: ZIP code '2139' is not 5 digits" in result.output
    assert "error: line 12, key: key 'ok-1' is used twice: on line 2 and line 12" in result.output
    assert "Refused: 17 errors, nothing was imported." in result.output
    assert programs(app) == {}


def test_skip_invalid_and_verified_on(app, runner):
    result = runner.invoke(args=["import", ERRORS, "--skip-invalid", "--verified-on", "2025-02-03"])

    assert result.exit_code == 0, result.output
    assert "skipped rows 18" in result.output
    assert [str(d) for d, _ in programs(app).values()] == ["2025-06-30"]  # ok-2 names its date
    runner.invoke(args=["import", QUIRKS, "--verified-on", "2025-02-03"])
    assert str(programs(app)["quirk-1"][0]) == "2025-02-03"


def test_dry_run_and_forced_format(app, runner):
    dry = runner.invoke(args=["import", QUIRKS, "--dry-run"])
    forced = runner.invoke(args=["import", QUIRKS, "--format", "samhsa"])

    assert dry.exit_code == 0 and dry.output.splitlines()[-1] == "Dry run: nothing was written."
    assert forced.exit_code == 1
    assert "required columns are missing: name1, street1, type_facility" in forced.output
    assert programs(app) == {}


def test_complete_source_deactivates(app, runner, tmp_path):
    runner.invoke(args=["import", QUIRKS])
    fewer = tmp_path / "fewer.csv"
    fewer.write_text("".join(Path(QUIRKS).read_text().splitlines(keepends=True)[:4]))

    result = runner.invoke(args=["import", str(fewer), "--complete-source"])

    assert "deactivated 2" in result.output
    assert {k for k, (_, active) in programs(app).items() if active} == {"quirk-1"}


def test_export_writes_a_file_or_standard_output(app, runner, tmp_path):
    runner.invoke(args=["import", QUIRKS])
    target = tmp_path / "out.csv"

    written = runner.invoke(args=["export", str(target)])
    printed = runner.invoke(args=["export", "-"])

    assert written.output == f"Exported 3 programs to {target}.\n"
    assert target.read_text(encoding="utf-8").splitlines()[0].startswith("key,name,")
    assert printed.output.replace("\r\n", "\n") == target.read_text(encoding="utf-8")


@pytest.mark.slow
def test_an_import_killed_mid_way_leaves_the_database_as_it_was(tmp_path):
    database = tmp_path / "finder.sqlite"
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"})
    with app.app_context():
        schema.upgrade()
        import_file(QUIRKS, actor="setup")
        db.session.remove()
        db.engine.dispose()
    before = _snapshot(database)
    big = tmp_path / "big.csv"
    care = "outpatient;detox_outpatient"
    rows = [
        f"kill-{i:05d},Program {i},Boston,MA,02114,42.36,-71.06,617-555-0100,{care}\n"
        for i in range(6000)
    ]
    big.write_text("key,name,city,state,zip,latitude,longitude,phone,care_levels\n" + "".join(rows))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "FINDER_"))}
    env["DATABASE_URL"] = f"sqlite:///{database}"

    child = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "finder", "import", str(big)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    seen = []
    for line in child.stdout:
        seen.append(line)
        if line.startswith("written "):  # some programs are flushed, none committed
            child.send_signal(signal.SIGKILL)
            break
    child.wait(timeout=60)
    child.stdout.close()

    assert child.returncode == -signal.SIGKILL, "".join(seen)
    assert seen[-1].startswith("written ") and not seen[-1].startswith("written 6000")
    assert _snapshot(database) == before


def _snapshot(database: Path):
    conn = sqlite3.connect(database)  # rolls back what a dead process left in its journal
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return (
            conn.execute("SELECT id, name, updated_at FROM program ORDER BY id").fetchall(),
            conn.execute("SELECT count(*) FROM program_feature").fetchone(),
            conn.execute("SELECT id, added FROM import_batch").fetchall(),
        )
    finally:
        conn.close()


def test_the_import_batch_counts_match_the_summary(app, runner):
    runner.invoke(args=["import", QUIRKS])
    with app.app_context():
        batch = db.session.scalars(select(ImportBatch)).one()
        assert (batch.added, batch.warnings) == (3, 3)
        assert batch.actor.startswith("cli")
        assert db.session.scalar(select(func.count()).select_from(Program)) == 3


def test_a_file_without_dates_is_told_that_the_sources_date_is_unknown(app, runner):
    dry = runner.invoke(args=["import", QUIRKS, "--dry-run"])
    dated = runner.invoke(args=["import", QUIRKS, "--verified-on", "2025-02-03"])

    assert dry.exit_code == 0, dry.output
    assert (
        "3 programs with no verification date: the file gives none, and no --verified-on was "
        "given. Without the source's date, listings will say when they were imported and that "
        "the source's date is unknown; give it with --verified-on YYYY-MM-DD if you know it."
    ) in dry.output
    assert "no verification date" not in dated.output
