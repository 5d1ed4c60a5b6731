"""Filter bits: a program's filterable features as two integer columns of its own row

Revision ID: c3f8a1d2e5b7
Revises: b7e2c41d9a63
Create Date: 2026-11-30 09:30:00

`program.filter_bits_1` and `filter_bits_2` hold one bit per filterable (kind, value)
(finder/filterbits.py, LAYOUT), so that a search filter is `(bits & mask) != 0` on the row a
search reads anyway, instead of a probe of `program_feature` per candidate. Added with ALTER
TABLE ADD COLUMN (no batch copy: SQLite's R*Tree triggers and rowids stay as they are) and
filled from `program_feature` for the programs already stored. The index that every search
counts by, `ix_program_searchable`, holds them too (and telehealth): a count at any distance
with filters reads that index alone (SQLite: 23 ms instead of 134 ms for 100,000 programs and
two filters, rather than a lookup of each searchable program's row).
"""

import sqlalchemy as sa
from alembic import op

from finder import filterbits

# revision identifiers, used by Alembic.
revision = "c3f8a1d2e5b7"
down_revision = "b7e2c41d9a63"
branch_labels = None
depends_on = None

COLUMNS = ("filter_bits_1", "filter_bits_2")


# The count's index, whose columns answer a count with filters from the index alone.
SEARCHABLE = ("active", "substance_use", *COLUMNS, "telehealth")


def upgrade():
    for name in COLUMNS:
        op.add_column(
            "program", sa.Column(name, sa.BigInteger(), server_default="0", nullable=False)
        )
    filterbits.refill(op.get_bind(), COLUMNS)
    op.drop_index("ix_program_searchable", table_name="program")
    op.create_index("ix_program_searchable", "program", list(SEARCHABLE), unique=False)


def downgrade():
    op.drop_index("ix_program_searchable", table_name="program")
    op.create_index("ix_program_searchable", "program", ["active", "substance_use"], unique=False)
    for name in reversed(COLUMNS):
        op.drop_column("program", name)
