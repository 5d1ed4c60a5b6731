"""Priced bits: which rate items a program publishes a price for, in `filter_bits_2`

Revision ID: a5c7e2f9b1d4
Revises: f1d6a8c2b4e9
Create Date: 2026-11-30 13:30:00

finder/filterbits.py's LAYOUT gains a ("priced", item) bit per rate item (vocab.RATE_ITEMS) at
the end of `filter_bits_2`, set from `program_rate`, so that a search with estimates reads
which levels a candidate prices from its own row (finder/programs.py, `_priced_here`) rather
than a probe of `program_rate` per row. No schema change: the stored programs' column is
filled again (`refill`); the SQLite R*Tree's copy follows by its update trigger and the
PostgreSQL GiST index's INCLUDE by the index itself. Downgrade clears those bits (the older
code never reads them, and a refill by the older LAYOUT would leave them clear too).
"""

import sqlalchemy as sa
from alembic import op

from finder import filterbits

# revision identifiers, used by Alembic.
revision = "a5c7e2f9b1d4"
down_revision = "f1d6a8c2b4e9"
branch_labels = None
depends_on = None

# The bits this revision fills: bit 46 on (a revision keeps its own copy of the layout).
FIRST_PRICED_BIT = 46
PRICED_MASK = ((1 << 13) - 1) << FIRST_PRICED_BIT


def upgrade():
    filterbits.refill(op.get_bind(), ("filter_bits_2",))


def downgrade():
    program = sa.table("program", sa.column("filter_bits_2", sa.BigInteger))
    kept = program.c.filter_bits_2.op("&")(sa.literal(~PRICED_MASK, sa.BigInteger))
    op.execute(
        sa.update(program)
        .where(program.c.filter_bits_2.op("&")(sa.literal(PRICED_MASK, sa.BigInteger)) != 0)
        .values(filter_bits_2=kept)
    )
