"""kb: a knowledge base shared on purpose with another department (read-only for them)

Revision ID: kb_0004
Revises: kb_0003
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "kb_0004"
down_revision = "kb_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kb_share",
        sa.Column("kb_id", sa.Integer, sa.ForeignKey("kb.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("department", sa.String(64), primary_key=True),
        sa.Column("shared_by", sa.String(128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True)),
    )


def downgrade() -> None:
    op.drop_table("kb_share")
