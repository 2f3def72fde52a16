"""admin: quota rules and daily usage counters

Revision ID: admin_0001
Revises:
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "admin_0001"
down_revision = None
branch_labels = ("admin",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "adm_quota",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("subject", sa.String(128), nullable=False),
        sa.Column("daily_limit", sa.Integer),
        sa.Column("per_minute", sa.Integer),
        sa.Column("updated_by", sa.String(128), nullable=False, server_default=""),
        sa.Column("updated_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("kind", "subject", name="uq_adm_quota_kind_subject"),
    )
    op.create_table(
        "adm_usage",
        sa.Column("day", sa.String(10), primary_key=True),
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("subject", sa.String(128), primary_key=True),
        sa.Column("count", sa.Integer, nullable=False, server_default="0"),
    )


def downgrade() -> None:
    op.drop_table("adm_usage")
    op.drop_table("adm_quota")
