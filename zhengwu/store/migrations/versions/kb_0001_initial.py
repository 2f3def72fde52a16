"""knowledge base tables

Revision ID: kb_0001
Revises:
Create Date: 2026-11-28
"""
import sqlalchemy as sa
from alembic import op

revision = "kb_0001"
down_revision = None
branch_labels = ("kb",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kb",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("department", sa.String(64), nullable=False, index=True),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("description", sa.Text, server_default=""),
        sa.Column("version", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("department", "name"),
    )
    op.create_table(
        "kb_document",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("department", sa.String(64), nullable=False, index=True),
        sa.Column("kb_id", sa.Integer, sa.ForeignKey("kb.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("source", sa.String(1024), nullable=False),
        sa.Column("source_type", sa.String(16), nullable=False),
        sa.Column("external_id", sa.String(256), index=True),
        sa.Column("content_hash", sa.String(64), nullable=False, index=True),
        sa.Column("title", sa.Text, server_default=""),
        sa.Column("doc_type", sa.String(32), server_default=""),
        sa.Column("issuer", sa.Text, server_default=""),
        sa.Column("doc_number", sa.String(128), server_default=""),
        sa.Column("pub_date", sa.Date),
        sa.Column("effective_date", sa.Date),
        sa.Column("expiry_date", sa.Date),
        sa.Column("validity", sa.String(16), server_default="effective"),
        sa.Column("meta", sa.JSON),
        sa.Column("created_at", sa.DateTime(timezone=True)),
        sa.Column("updated_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("kb_id", "source"),
    )
    op.create_table(
        "kb_chunk",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("department", sa.String(64), nullable=False, index=True),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("kb_document.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("kb_id", sa.Integer, nullable=False, index=True),
        sa.Column("ordinal", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(16), server_default="text"),
        sa.Column("heading_path", sa.Text, server_default=""),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("tokens", sa.Text, server_default=""),
        sa.Column("page", sa.Integer),
        sa.Column("char_start", sa.Integer),
    )
    op.create_table(
        "kb_chunk_vector",
        sa.Column("chunk_id", sa.Integer, sa.ForeignKey("kb_chunk.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("model", sa.String(64), primary_key=True),
        sa.Column("kb_id", sa.Integer, nullable=False, index=True),
        sa.Column("vector", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "kb_ingest_job",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("department", sa.String(64), nullable=False, index=True),
        sa.Column("kb_id", sa.Integer, sa.ForeignKey("kb.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("kind", sa.String(16), server_default="ingest"),
        sa.Column("status", sa.String(16), server_default="pending"),
        sa.Column("total", sa.Integer, server_default="0"),
        sa.Column("done", sa.Integer, server_default="0"),
        sa.Column("failed", sa.Integer, server_default="0"),
        sa.Column("created_by", sa.String(128), server_default=""),
        sa.Column("created_at", sa.DateTime(timezone=True)),
        sa.Column("updated_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "kb_ingest_item",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("job_id", sa.Integer, sa.ForeignKey("kb_ingest_job.id", ondelete="CASCADE"), index=True),
        sa.Column("path", sa.String(1024), nullable=False),
        sa.Column("status", sa.String(16), server_default="pending"),
        sa.Column("message", sa.Text, server_default=""),
        sa.Column("document_id", sa.Integer),
    )


def downgrade() -> None:
    for t in ("kb_ingest_item", "kb_ingest_job", "kb_chunk_vector", "kb_chunk", "kb_document", "kb"):
        op.drop_table(t)
