"""Admins' session generation: logging out ends every session of that admin on the server

Revision ID: dc5cfe34220b
Revises: f0a929fb7907
Create Date: 2026-11-29 22:37:06.759296

"""

import sqlalchemy as sa
from alembic import op

revision = "dc5cfe34220b"
down_revision = "f0a929fb7907"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("admin", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_generation", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("admin", schema=None) as batch_op:
        batch_op.drop_column("session_generation")
