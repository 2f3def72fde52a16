"""kb: near-duplicate groups of documents (dup_group, minhash signature)

Revision ID: kb_0002
Revises: kb_0001
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "kb_0002"
down_revision = "kb_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("kb_document", sa.Column("dup_group", sa.Integer, nullable=True))
    op.add_column("kb_document", sa.Column("minhash", sa.LargeBinary, nullable=True))
    op.create_index("ix_kb_document_dup_group", "kb_document", ["dup_group"])


def downgrade() -> None:
    op.drop_index("ix_kb_document_dup_group", table_name="kb_document")
    with op.batch_alter_table("kb_document") as batch:
        batch.drop_column("minhash")
        batch.drop_column("dup_group")
