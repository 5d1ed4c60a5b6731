"""Search filters from one index, and SQLite's R*Tree packed in map order

Revision ID: b7e2c41d9a63
Revises: ad4b51ba11f5
Create Date: 2026-11-30 03:30:00

`program_feature (kind, value)` becomes `(kind, value, program_id)`: the ids of the programs
with a filter's values come from the index alone, so a count of the programs matching every
filter is a few index range scans rather than a probe per program. On SQLite the R*Tree of
revision 5e1b7a93c2d4 is refilled in map order (finder/schema.py, pack_spatial_index): filled
row by row in an import file's order its leaves spanned the country.
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "b7e2c41d9a63"
down_revision = "ad4b51ba11f5"
branch_labels = None
depends_on = None

# As finder.schema.RTREE_REFILL today; a revision keeps its own copy.
RTREE_REFILL = (
    "INSERT INTO program_rtree SELECT rowid, latitude, latitude, longitude, longitude, "
    "active AND substance_use, active AND substance_use FROM program "
    "ORDER BY CAST((latitude + 90) * 2 AS INTEGER), longitude"
)


def upgrade():
    op.create_index(
        "ix_program_feature_kind_value_program",
        "program_feature",
        ["kind", "value", "program_id"],
        unique=False,
    )
    op.drop_index("ix_program_feature_kind_value", table_name="program_feature")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DELETE FROM program_rtree")
        op.execute(RTREE_REFILL)


def downgrade():
    op.create_index(
        "ix_program_feature_kind_value", "program_feature", ["kind", "value"], unique=False
    )
    op.drop_index("ix_program_feature_kind_value_program", table_name="program_feature")
