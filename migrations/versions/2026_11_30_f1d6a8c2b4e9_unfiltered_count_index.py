"""A thin index for the count of every searchable program

Revision ID: f1d6a8c2b4e9
Revises: e4a9b1c7d3f2
Create Date: 2026-11-30 11:00:00

Since revision c3f8a1d2e5b7, `ix_program_searchable` holds the filter bits and telehealth
beside `active` and `substance_use`. PostgreSQL's planner then counted the searchable programs
of an unfiltered search at any distance by reading the whole table (54 ms at 100,000
programs) rather than that wider index; an index of the two columns alone is read instead
(12 ms, index only). A plain CREATE INDEX: on SQLite no batch, so the R*Tree's triggers stay.
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "f1d6a8c2b4e9"
down_revision = "e4a9b1c7d3f2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_program_active", "program", ["active", "substance_use"], unique=False)


def downgrade():
    op.drop_index("ix_program_active", table_name="program")
