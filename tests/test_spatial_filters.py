"""SQLite's R*Tree holds copies of each program's filter columns (revision e4a9b1c7d3f2):
every writer keeps them equal to the program's own, and a search that tests the filters in
the tree (finder.programs.TREE_FILTERS) finds exactly what one reading each program's row
finds."""

import random

import pytest
from sqlalchemy import update

from finder import filterbits, programs
from finder.db import db
from finder.importer import import_file
from finder.models import Program, ProgramFeature
from tests.test_filter_bits import DEMO, same_pages_each_way

APART = (
    "SELECT count(*) FROM program LEFT JOIN program_rtree ON program_rtree.id = program.rowid"
    " WHERE program_rtree.id IS NULL OR program_rtree.filter_bits_1 IS NOT program.filter_bits_1"
    " OR program_rtree.filter_bits_2 IS NOT program.filter_bits_2"
    " OR program_rtree.telehealth IS NOT program.telehealth"
    " OR program_rtree.min_searchable IS NOT (program.active AND program.substance_use)"
)


def apart() -> int:
    """How many programs whose R*Tree entry is missing or differs from their row."""
    return db.session.connection().exec_driver_sql(APART).scalar()


@pytest.fixture
def sqlite_only(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("the R*Tree is SQLite's")


def test_every_writer_keeps_the_trees_copies(app, add_program, sqlite_only, monkeypatch):
    from finder import importer

    key = add_program(payments=["medicaid"], telehealth=True)
    with app.app_context():
        assert apart() == 0
        program = db.session.get(Program, key)
        program.set_tokens("payment", ["cash", "free"])
        program.telehealth = False
        db.session.commit()
        db.session.add(ProgramFeature(program_id=key, kind="language", value="es"))
        db.session.commit()
        assert apart() == 0
        db.session.execute(update(Program).values(filter_bits_1=0, filter_bits_2=7))
        assert apart() == 0
        filterbits.refill(db.session.connection())
        db.session.commit()
        assert apart() == 0
        # The bulk path sets the R*Tree's triggers aside and packs the tree after.
        monkeypatch.setattr(importer, "PACK_AFTER", 1)
        import_file(DEMO, actor="a")
        assert apart() == 0
        assert db.session.scalar(
            db.select(db.func.count()).select_from(Program).where(Program.filter_bits_1 != 0)
        )


@pytest.mark.parametrize("seed", [3, 4])
def test_the_tree_and_the_rows_give_the_same_pages(app, client, add_program, monkeypatch,
                                                   seed):  # fmt: skip
    same_pages_each_way(
        client,
        add_program,
        random.Random(seed),
        lambda rng: monkeypatch.setattr(programs, "TREE_FILTERS", False),
    )
