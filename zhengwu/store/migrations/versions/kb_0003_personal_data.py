"""kb: a knowledge base may be marked as holding personal data (its passages are masked before embedding)

Revision ID: kb_0003
Revises: kb_0002
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "kb_0003"
down_revision = "kb_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("kb") as batch:
        batch.add_column(sa.Column("personal_data", sa.Boolean, nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("mask_passages", sa.Boolean, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("kb") as batch:
        batch.drop_column("mask_passages")
        batch.drop_column("personal_data")
