"""The schema of the last release before migrations, as create_all() made it

Revision ID: f0a929fb7907
Revises:
Create Date: 2026-11-29 20:38:50.239908

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "f0a929fb7907"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "admin",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
    )
    op.create_table(
        "import_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=300), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("format", sa.String(length=20), nullable=False),
        sa.Column("encoding", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("actor", sa.String(length=254), nullable=False),
        sa.Column("complete_source", sa.Boolean(), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("changed", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("deactivated", sa.Integer(), nullable=False),
        sa.Column("skipped_rows", sa.Integer(), nullable=False),
        sa.Column("warnings", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "throttle_hit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("throttle_hit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_throttle_hit_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_throttle_hit_key"), ["key"], unique=False)

    op.create_table(
        "program",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("name2", sa.String(length=300), nullable=False),
        sa.Column("street", sa.String(length=300), nullable=False),
        sa.Column("street2", sa.String(length=300), nullable=False),
        sa.Column("city", sa.String(length=120), nullable=False),
        sa.Column("state", sa.String(length=2), nullable=False),
        sa.Column("zip", sa.String(length=5), nullable=False),
        sa.Column("latitude", sa.Double(), nullable=False),
        sa.Column("longitude", sa.Double(), nullable=False),
        sa.Column("location_approximate", sa.Boolean(), nullable=False),
        sa.Column("phone", sa.String(length=60), nullable=False),
        sa.Column("intake_phone", sa.String(length=60), nullable=False),
        sa.Column("website", sa.String(length=500), nullable=False),
        sa.Column("beds", sa.Integer(), nullable=True),
        sa.Column("sliding_fee_schedule", sa.String(length=200), nullable=False),
        sa.Column("substance_use", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("verified_on", sa.Date(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["import_batch.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("program", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_program_latitude"), ["latitude"], unique=False)
        batch_op.create_index(batch_op.f("ix_program_source"), ["source"], unique=False)
        batch_op.create_index(batch_op.f("ix_program_state"), ["state"], unique=False)

    op.create_table(
        "program_feature",
        sa.Column("program_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("value", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(["program_id"], ["program.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("program_id", "kind", "value"),
    )
    with op.batch_alter_table("program_feature", schema=None) as batch_op:
        batch_op.create_index("ix_program_feature_kind_value", ["kind", "value"], unique=False)

    op.create_table(
        "program_rate",
        sa.Column("program_id", sa.String(length=64), nullable=False),
        sa.Column("item", sa.String(length=40), nullable=False),
        sa.Column("low_cents", sa.Integer(), nullable=False),
        sa.Column("high_cents", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["program_id"], ["program.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("program_id", "item"),
    )
    op.create_table(
        "report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("resolved_by", sa.String(length=254), nullable=True),
        sa.ForeignKeyConstraint(["program_id"], ["program.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade():
    op.drop_table("report")
    op.drop_table("program_rate")
    with op.batch_alter_table("program_feature", schema=None) as batch_op:
        batch_op.drop_index("ix_program_feature_kind_value")

    op.drop_table("program_feature")
    with op.batch_alter_table("program", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_program_state"))
        batch_op.drop_index(batch_op.f("ix_program_source"))
        batch_op.drop_index(batch_op.f("ix_program_latitude"))

    op.drop_table("program")
    with op.batch_alter_table("throttle_hit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_throttle_hit_key"))
        batch_op.drop_index(batch_op.f("ix_throttle_hit_at"))

    op.drop_table("throttle_hit")
    op.drop_table("import_batch")
    op.drop_table("admin")
