"""Listings true to their source: every phone with its kind, telehealth, a verified date
only when someone verified, the import day apart, and each import's warnings kept

Revision ID: ad4b51ba11f5
Revises: 5e1b7a93c2d4
Create Date: 2026-11-30 03:02:18.782937

SQLite alters `program.verified_on` by copying the table (Alembic's batch mode), which drops
its R*Tree triggers and renumbers its rowids: the R*Tree of revision 5e1b7a93c2d4 is dropped
first and built again after. Existing programs keep their verified dates; `imported_on` comes
from the import that last wrote each program (else the day it was created); their main and
intake numbers become their first phones; a published price for `naltrexone` (always the
extended-release injection) is now `naltrexone_xr`.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "ad4b51ba11f5"
down_revision = "5e1b7a93c2d4"
branch_labels = None
depends_on = None

# Revision 5e1b7a93c2d4's R*Tree, dropped before SQLite copies `program` and built after.
ENTRY = (
    "new.rowid, new.latitude, new.latitude, new.longitude, new.longitude, "
    "new.active AND new.substance_use, new.active AND new.substance_use"
)
RTREE_UP = [
    "CREATE VIRTUAL TABLE program_rtree USING rtree("
    "id, min_lat, max_lat, min_lon, max_lon, min_searchable, max_searchable)",
    "INSERT INTO program_rtree SELECT rowid, latitude, latitude, longitude, longitude, "
    "active AND substance_use, active AND substance_use FROM program",
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
RTREE_DOWN = [
    "DROP TRIGGER program_rtree_delete",
    "DROP TRIGGER program_rtree_update",
    "DROP TRIGGER program_rtree_insert",
    "DROP TABLE program_rtree",
]


def _alter_program(alter) -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        for statement in RTREE_DOWN:
            op.execute(statement)
    with op.batch_alter_table("program", schema=None) as batch_op:
        alter(batch_op)
    if sqlite:
        for statement in RTREE_UP:
            op.execute(statement)


def upgrade():
    op.create_table(
        "program_phone",
        sa.Column("program_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=False),
        sa.Column("label", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(["program_id"], ["program.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("program_id", "position"),
    )
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.add_column(sa.Column("problems", sa.Text(), nullable=True))

    def alter(batch_op):
        batch_op.add_column(sa.Column("imported_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("telehealth", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.alter_column("verified_on", existing_type=sa.DATE(), nullable=True)

    _alter_program(alter)
    day = "date(%s)" if op.get_bind().dialect.name == "sqlite" else "CAST(%s AS DATE)"
    op.execute(
        "UPDATE program SET imported_on = COALESCE("
        f"(SELECT {day % 'import_batch.created_at'} FROM import_batch"
        f" WHERE import_batch.id = program.import_id), {day % 'program.created_at'})"
    )
    op.execute(
        "INSERT INTO program_phone (program_id, position, kind, number, label)"
        " SELECT id, 0, 'main', phone, 'Main number' FROM program WHERE phone <> ''"
    )
    op.execute(
        "INSERT INTO program_phone (program_id, position, kind, number, label)"
        " SELECT id, 1, 'intake', intake_phone, 'Intake' FROM program"
        " WHERE intake_phone <> '' AND intake_phone <> phone"
    )
    op.execute(
        "UPDATE program_rate SET item = 'naltrexone_xr' WHERE item = 'naltrexone'"
        " AND NOT EXISTS (SELECT 1 FROM program_rate AS other WHERE other.item = 'naltrexone_xr'"
        " AND other.program_id = program_rate.program_id)"
    )


def downgrade():
    op.execute(
        "UPDATE program_rate SET item = 'naltrexone' WHERE item = 'naltrexone_xr'"
        " AND NOT EXISTS (SELECT 1 FROM program_rate AS other WHERE other.item = 'naltrexone'"
        " AND other.program_id = program_rate.program_id)"
    )
    op.execute(
        "UPDATE program SET verified_on = COALESCE(imported_on, "
        + (
            "date(created_at)"
            if op.get_bind().dialect.name == "sqlite"
            else "CAST(created_at AS DATE)"
        )
        + ") WHERE verified_on IS NULL"
    )

    def alter(batch_op):
        batch_op.alter_column("verified_on", existing_type=sa.DATE(), nullable=False)
        batch_op.drop_column("telehealth")
        batch_op.drop_column("imported_on")

    _alter_program(alter)
    with op.batch_alter_table("import_batch", schema=None) as batch_op:
        batch_op.drop_column("problems")

    op.drop_table("program_phone")
