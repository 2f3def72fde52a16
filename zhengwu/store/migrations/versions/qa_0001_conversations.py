"""qa: conversations, turns, feedback, pinned answers, hand-off ticket drafts

Revision ID: qa_0001
Revises:
Create Date: 2026-11-28
"""
import sqlalchemy as sa
from alembic import op

revision = "qa_0001"
down_revision = None
branch_labels = ("qa",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "qa_conversation",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("department", sa.String(64), nullable=False, index=True),
        sa.Column("user", sa.String(128), server_default=""),
        sa.Column("kb", sa.String(128)),
        sa.Column("language", sa.String(8), server_default="zh"),
        sa.Column("topic", sa.Text, server_default=""),
        sa.Column("created_at", sa.DateTime(timezone=True)),
        sa.Column("updated_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "qa_turn",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("department", sa.String(64), nullable=False, index=True),
        sa.Column("conversation_id", sa.String(32), sa.ForeignKey("qa_conversation.id", ondelete="CASCADE"),
                  index=True),
        sa.Column("ordinal", sa.Integer, nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("rewritten", sa.Text, server_default=""),
        sa.Column("topic", sa.Text, server_default=""),
        sa.Column("answer", sa.Text, server_default=""),
        sa.Column("mode", sa.String(16), server_default="extractive"),
        sa.Column("no_basis", sa.Boolean, server_default=sa.false()),
        sa.Column("citations", sa.JSON),
        sa.Column("audit_id", sa.Integer),
        sa.Column("latency_ms", sa.Integer),
        sa.Column("created_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "qa_feedback",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("department", sa.String(64), nullable=False, index=True),
        sa.Column("turn_id", sa.Integer, sa.ForeignKey("qa_turn.id", ondelete="CASCADE"), index=True),
        sa.Column("conversation_id", sa.String(32), index=True),
        sa.Column("rating", sa.Integer, nullable=False),
        sa.Column("comment", sa.Text, server_default=""),
        sa.Column("user", sa.String(128), server_default=""),
        sa.Column("created_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "qa_pinned",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("department", sa.String(64), nullable=False, index=True),
        sa.Column("family", sa.String(200), nullable=False),
        sa.Column("examples", sa.JSON),
        sa.Column("keywords", sa.JSON),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("citations", sa.JSON),
        sa.Column("active", sa.Boolean, server_default=sa.true()),
        sa.Column("created_by", sa.String(128), server_default=""),
        sa.Column("created_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "qa_handoff",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("department", sa.String(64), nullable=False, index=True),
        sa.Column("conversation_id", sa.String(32), index=True),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("reason", sa.String(32), server_default="no_basis"),
        sa.Column("status", sa.String(16), server_default="draft"),
        sa.Column("channel", sa.String(32), server_default="12345"),
        sa.Column("created_at", sa.DateTime(timezone=True)),
    )


def downgrade() -> None:
    for t in ("qa_handoff", "qa_pinned", "qa_feedback", "qa_turn", "qa_conversation"):
        op.drop_table(t)
