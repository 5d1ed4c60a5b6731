"""An index on what makes a program searchable (active, substance use): every search counts
its matches, and "how many at any distance" reads this thin index instead of the programs

Revision ID: 9c4d2e6f8a10
Revises: 17d373fc7463
Create Date: 2026-11-30 00:20:00

"""

from alembic import op

revision = "9c4d2e6f8a10"
down_revision = "17d373fc7463"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_program_searchable", "program", ["active", "substance_use"])


def downgrade():
    op.drop_index("ix_program_searchable", table_name="program")
