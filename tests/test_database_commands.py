"""init-db with or without the demo, remove-demo, and import into a database with no schema:
what each says, and what the database holds afterwards."""

import pytest
from sqlalchemy import func, select
from test_importer_cli import QUIRKS
from test_migrations import HEAD, flask, revision_of, tables
from test_samhsa import REAL, needs_real_file

from finder.db import db
from finder.importer import import_file
from finder.models import Program, ProgramFeature, ProgramRate, Report


def count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_init_db_empty_creates_the_schema_alone(empty_app):
    result = flask(empty_app, "init-db", "--empty")

    assert result.exit_code == 0, result.output
    assert result.output == (
        f"Created the database schema (revision {HEAD}).\nThe database holds no programs yet.\n"
    )
    assert tables(empty_app) == set(db.metadata.tables) | {"alembic_version"}
    assert count(empty_app, Program) == 0


def test_init_db_loads_the_demo_only_into_an_empty_directory(app, add_program):
    add_program(source="samhsa")

    result = flask(app, "init-db", "--demo")

    assert result.output.splitlines()[-1] == "The database holds 1 program (1 samhsa)."
    assert count(app, Program, Program.source == "demo") == 0


def test_remove_demo_removes_the_demo_programs_and_what_is_theirs_only(app, client, add_program):
    kept = add_program(source="samhsa", rates={"outpatient": 15000}, languages=["es"])
    with app.app_context():
        added = import_file(app.config["DEMO_DATA"], fmt="native", actor="test").summary.added
        demo_id = db.session.scalar(select(Program.id).where(Program.source == "demo"))
        db.session.add_all(
            [Report(program_id=demo_id, kind="phone"), Report(program_id=kept, kind="closed")]
        )
        db.session.commit()
    assert "Demo data:" in client.get("/").text

    result = flask(app, "remove-demo")

    assert result.exit_code == 0, result.output
    assert result.output == (
        f"Removed {added:,} demo programs.\nThe database holds 1 program (1 samhsa).\n"
    )
    with app.app_context():
        assert db.session.scalars(select(Program.id)).all() == [kept]
        assert {f.program_id for f in db.session.scalars(select(ProgramFeature))} == {kept}
        assert {r.program_id for r in db.session.scalars(select(ProgramRate))} == {kept}
        assert {r.program_id for r in db.session.scalars(select(Report))} == {kept}
    assert "Demo data:" not in client.get("/").text
    again = flask(app, "remove-demo")
    assert again.output.startswith("There were no demo programs.\n")


def test_import_into_a_database_without_schema_creates_it_first(empty_app):
    result = flask(empty_app, "import", QUIRKS)

    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Created the database schema (revision {HEAD}).\n")
    assert result.output.endswith("Imported as batch 1.\n")
    assert count(empty_app, Program) == 3 and revision_of(empty_app) == [HEAD]


@pytest.mark.parametrize("command", [["import", QUIRKS], ["export", "-"], ["remove-demo"]])
def test_commands_refuse_a_schema_that_is_not_this_versions(empty_app, command):
    with empty_app.app_context():
        db.create_all()  # a database of the last release before migrations: no version table

    result = flask(empty_app, *command)

    assert result.exit_code == 1
    assert result.output == (
        "Error: The database schema is not this version's: "
        "run `flask --app finder db upgrade` first.\n"
    )
    assert revision_of(empty_app) == [] and count(empty_app, Program) == 0


@pytest.mark.parametrize(
    "command", [["export", "-"], ["remove-demo"], ["import", "--dry-run", QUIRKS]]
)
def test_commands_that_only_read_or_remove_need_the_schema(empty_app, command):
    result = flask(empty_app, *command)

    assert result.exit_code == 1
    assert result.output == (
        "Error: The database has no schema yet: run `flask --app finder init-db --empty` first.\n"
    )
    assert tables(empty_app) == set()


@pytest.mark.slow
@needs_real_file
def test_an_admin_starts_empty_and_imports_the_real_samhsa_file(empty_app):
    assert flask(empty_app, "init-db", "--empty").exit_code == 0

    imported = flask(empty_app, "import", str(REAL))

    assert imported.exit_code == 0, imported.output
    assert "added 463," in imported.output
    client = empty_app.test_client()
    page = client.get("/search?near=Boston, MA&radius=25")
    assert page.status_code == 200 and "Demo data:" not in page.text
    found = client.get("/api/facilities?near=Boston, MA&radius=any").json
    assert found["total"] == 422 and {r["source"] for r in found["results"]} == {"samhsa"}
    assert flask(empty_app, "init-db", "--empty").output.endswith(
        "The database holds 463 programs (463 samhsa).\n"
    )
