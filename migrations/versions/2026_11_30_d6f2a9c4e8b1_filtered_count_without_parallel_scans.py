"""A filtered count at any distance from a thin index, without parallel workers (PostgreSQL)

Revision ID: d6f2a9c4e8b1
Revises: b3e8d5f1a7c6
Create Date: 2026-11-30 16:50:00

A filtered search at any distance counts its matches beside every searchable program, in one
pass over them all (finder/programs.py, `_shared`). PostgreSQL's planner read the whole table
for it, a parallel sequential scan of 3,415 pages with two workers (24 ms of a 30 ms search at
100,000 programs on two cores), rather than `ix_program_searchable` index only: that index's
leading `active` and `substance_use` are index conditions that hold for every row and cost it
more than the table. Here, on PostgreSQL only: the filter columns alone in a partial index of
the searchable programs (no condition left to test, 495 pages), and no parallel plans on
`program`, whose workers' start-up costs more than they save on a table this small (the
planner chose a parallel scan of the new index too: 24 ms). The count now reads the new index
alone, in one process (about 6 ms); the search's median went from 35.8 ms to 14.4 ms (SQLite,
same run: 11.4 and 11.2 ms). SQLite reads its covering index already: nothing to do there. The
models cannot declare a partial index for one dialect: finder/schema.py leaves it out of `db
check`, as it does the GiST.
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "d6f2a9c4e8b1"
down_revision = "b3e8d5f1a7c6"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE INDEX ix_program_searchable_bits ON program"
        " (filter_bits_1, filter_bits_2, telehealth) WHERE active AND substance_use"
    )
    op.execute("ALTER TABLE program SET (parallel_workers = 0)")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE program RESET (parallel_workers)")
    op.execute("DROP INDEX ix_program_searchable_bits")
