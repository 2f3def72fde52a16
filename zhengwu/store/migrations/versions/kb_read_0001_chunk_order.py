"""kb_read: an index on a chunk's (document, ordinal), for reading a passage of a long document

Revision ID: kb_read_0001
Revises:
Create Date: 2026-11-29

Why: the Q&A reads a document of more than 160 chunks only around its search hit (zhengwu/qa/evidence.py,
`ordinal BETWEEN …`). With the index on document_id alone, SQLite read every chunk of that document (a 10 MB
text: 9,616 rows with their texts, 20–45 ms per question, issue 15) to keep 81.
"""
from alembic import op

revision = "kb_read_0001"
down_revision = None
branch_labels = ("kb_read",)
depends_on = "kb_0001"


def upgrade() -> None:
    op.create_index("ix_kb_chunk_document_ordinal", "kb_chunk", ["document_id", "ordinal"])


def downgrade() -> None:
    op.drop_index("ix_kb_chunk_document_ordinal", table_name="kb_chunk")
