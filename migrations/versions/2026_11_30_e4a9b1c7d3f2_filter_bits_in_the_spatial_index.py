"""The filter bits in the spatial index: a filtered box is tested without reading programs

Revision ID: e4a9b1c7d3f2
Revises: c3f8a1d2e5b7
Create Date: 2026-11-30 10:00:00

SQLite: `program_rtree` gains three auxiliary columns (SQLite 3.24+), `+filter_bits_1`,
`+filter_bits_2` and `+telehealth`, copies of the program's own: a box read whose filters
are all bits (finder/filterbits.py) tests them in the R*Tree and reads `program` only for the
matches it keeps. An R*Tree's columns cannot be added, so the table is made again, refilled
from `program` in map order (as finder.schema.pack_spatial_index) and its triggers made again;
the update trigger fires on the copied columns too. PostgreSQL: the GiST index of program
locations INCLUDEs the same columns and the name and id a box read returns, so that a
filtered box is read from the index alone (an index-only scan, no heap fetch once vacuumed).
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "e4a9b1c7d3f2"
down_revision = "c3f8a1d2e5b7"
branch_labels = None
depends_on = None

# The R*Tree's columns and each program's entry, without (before) and with (after) the copies
# of its filter columns. A revision keeps its own copy of what finder/schema.py says today.
SPATIAL = "new.rowid, new.latitude, new.latitude, new.longitude, new.longitude"
SEARCHABLE = "new.active AND new.substance_use, new.active AND new.substance_use"
COPIED = ("filter_bits_1", "filter_bits_2", "telehealth")
LAYOUTS = {
    "before": {
        "columns": "id, min_lat, max_lat, min_lon, max_lon, min_searchable, max_searchable",
        "entry": f"{SPATIAL}, {SEARCHABLE}",
        "watched": "latitude, longitude, active, substance_use",
    },
    "after": {
        "columns": "id, min_lat, max_lat, min_lon, max_lon, min_searchable, max_searchable, "
        + ", ".join(f"+{name}" for name in COPIED),
        "entry": f"{SPATIAL}, {SEARCHABLE}, " + ", ".join(f"new.{name}" for name in COPIED),
        "watched": "latitude, longitude, active, substance_use, " + ", ".join(COPIED),
    },
}
MAP_ORDER = "ORDER BY CAST((latitude + 90) * 2 AS INTEGER), longitude"
DROP = [
    "DROP TRIGGER program_rtree_delete",
    "DROP TRIGGER program_rtree_update",
    "DROP TRIGGER program_rtree_insert",
    "DROP TABLE program_rtree",
]
GIST = (
    "CREATE INDEX ix_program_location ON program USING gist (point(longitude, latitude))"
    " INCLUDE (latitude, longitude, active, substance_use{more})"
)


def _rtree(layout: dict) -> list[str]:
    entry = layout["entry"]
    refill = entry.replace("new.rowid", "rowid").replace("new.", "")
    return [
        f"CREATE VIRTUAL TABLE program_rtree USING rtree({layout['columns']})",
        f"INSERT INTO program_rtree SELECT {refill} FROM program {MAP_ORDER}",
        # OR REPLACE: a rowid freed by INSERT OR REPLACE (which fires no delete trigger) is
        # reused.
        f"""CREATE TRIGGER program_rtree_insert AFTER INSERT ON program BEGIN
        INSERT OR REPLACE INTO program_rtree VALUES ({entry});
    END""",
        f"""CREATE TRIGGER program_rtree_update
    AFTER UPDATE OF {layout["watched"]} ON program BEGIN
        INSERT OR REPLACE INTO program_rtree VALUES ({entry});
    END""",
        """CREATE TRIGGER program_rtree_delete AFTER DELETE ON program BEGIN
        DELETE FROM program_rtree WHERE id = old.rowid;
    END""",
    ]


def _to(side: str) -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in [*DROP, *_rtree(LAYOUTS[side])]:
            op.execute(statement)
    elif dialect == "postgresql":
        op.execute("DROP INDEX ix_program_location")
        more = "".join(f", {name}" for name in (*COPIED, "name", "id")) if side == "after" else ""
        op.execute(GIST.format(more=more))


def upgrade():
    _to("after")


def downgrade():
    _to("before")
