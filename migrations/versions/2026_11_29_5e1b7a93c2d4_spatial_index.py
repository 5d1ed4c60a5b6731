"""A spatial index on programs' locations: SQLite's R*Tree kept in step by triggers,
PostgreSQL's GiST on point(longitude, latitude)

Revision ID: 5e1b7a93c2d4
Revises: 9c4d2e6f8a10
Create Date: 2026-11-29 23:50:00

Searches read the programs inside a box from this index rather than a band of latitude. On
SQLite the R*Tree is a separate table keyed by the program's rowid; triggers on `program`
keep it in step with every insert, update and delete, so neither the importer nor the demo
loader needs to know it exists. PostgreSQL indexes an expression of the row itself. Neither
is in the models: a database made by create_all() is recognised as the revision before this
one, and upgraded by it.
"""

from alembic import op

revision = "5e1b7a93c2d4"
down_revision = "9c4d2e6f8a10"
branch_labels = None
depends_on = None

# The R*Tree holds each program's point (in 32-bit floats, rounded outwards: within a metre)
# and, as a third dimension, whether it is searchable (1) or not (0): most of a count within a
# radius is answered by the R*Tree alone, without reading the programs' rows.
ENTRY = (
    "new.rowid, new.latitude, new.latitude, new.longitude, new.longitude, "
    "new.active AND new.substance_use, new.active AND new.substance_use"
)
SQLITE_UP = [
    "CREATE VIRTUAL TABLE program_rtree USING rtree("
    "id, min_lat, max_lat, min_lon, max_lon, min_searchable, max_searchable)",
    "INSERT INTO program_rtree SELECT rowid, latitude, latitude, longitude, longitude, "
    "active AND substance_use, active AND substance_use FROM program",
    # OR REPLACE: a rowid freed by INSERT OR REPLACE (which fires no delete trigger) is reused.
    f"""CREATE TRIGGER program_rtree_insert AFTER INSERT ON program BEGIN
        INSERT OR REPLACE INTO program_rtree VALUES ({ENTRY});
    END""",
    f"""CREATE TRIGGER program_rtree_update
    AFTER UPDATE OF latitude, longitude, active, substance_use ON program BEGIN
        INSERT OR REPLACE INTO program_rtree VALUES ({ENTRY});
    END""",
    """CREATE TRIGGER program_rtree_delete AFTER DELETE ON program BEGIN
        DELETE FROM program_rtree WHERE id = old.rowid;
    END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER program_rtree_delete",
    "DROP TRIGGER program_rtree_update",
    "DROP TRIGGER program_rtree_insert",
    "DROP TABLE program_rtree",
]


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in SQLITE_UP:
            op.execute(statement)
    elif dialect == "postgresql":
        # INCLUDE: a count within a radius is answered from the index alone.
        op.execute(
            "CREATE INDEX ix_program_location ON program USING gist (point(longitude, latitude))"
            " INCLUDE (latitude, longitude, active, substance_use)"
        )


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in SQLITE_DOWN:
            op.execute(statement)
    elif dialect == "postgresql":
        op.execute("DROP INDEX ix_program_location")
