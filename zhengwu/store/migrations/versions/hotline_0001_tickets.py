"""hotline: tickets, their history, duplicate links, ingest jobs

Revision ID: hotline_0001
Revises:
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "hotline_0001"
down_revision = None
branch_labels = ("hotline",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hotline_ticket",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("department", sa.String(64), nullable=False, index=True),
        sa.Column("external_id", sa.String(128)),
        sa.Column("channel", sa.String(16), server_default="电话"),
        sa.Column("received_at", sa.DateTime(timezone=True), index=True),
        sa.Column("event_time", sa.String(64), server_default=""),
        sa.Column("caller_name", sa.String(128), server_default=""),
        sa.Column("contact", sa.String(128), server_default=""),
        sa.Column("confidential", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("location_text", sa.Text, server_default=""),
        sa.Column("province", sa.String(32), server_default=""),
        sa.Column("city", sa.String(32), server_default=""),
        sa.Column("district", sa.String(32), server_default="", index=True),
        sa.Column("street", sa.String(64), server_default=""),
        sa.Column("community", sa.String(64), server_default=""),
        sa.Column("detail", sa.Text, server_default=""),
        sa.Column("request_type", sa.String(8), server_default="咨询"),
        sa.Column("category_code", sa.String(32), server_default="", index=True),
        sa.Column("category_path", sa.JSON),
        sa.Column("title", sa.Text, server_default=""),
        sa.Column("summary", sa.Text, server_default=""),
        sa.Column("appeal", sa.Text, server_default=""),
        sa.Column("text", sa.Text, server_default=""),
        sa.Column("urgency", sa.String(8), server_default="一般"),
        sa.Column("responsible_department", sa.String(64), server_default="", index=True),
        sa.Column("status", sa.String(8), server_default="受理", index=True),
        sa.Column("deadline", sa.DateTime(timezone=True)),
        sa.Column("reply", sa.Text, server_default=""),
        sa.Column("satisfaction", sa.String(16), server_default=""),
        sa.Column("likes", sa.Integer, server_default="0"),
        sa.Column("duplicate_of", sa.Integer, sa.ForeignKey("hotline_ticket.id", ondelete="SET NULL"), index=True),
        sa.Column("created_by", sa.String(128), server_default=""),
        sa.Column("created_at", sa.DateTime(timezone=True)),
        sa.Column("updated_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("department", "external_id"),
    )
    op.create_table(
        "hotline_ticket_event",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("department", sa.String(64), nullable=False, index=True),
        sa.Column("ticket_id", sa.Integer, sa.ForeignKey("hotline_ticket.id", ondelete="CASCADE"), index=True),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("from_status", sa.String(8), server_default=""),
        sa.Column("to_status", sa.String(8), server_default=""),
        sa.Column("user", sa.String(128), server_default=""),
        sa.Column("note", sa.Text, server_default=""),
        sa.Column("changes", sa.JSON),
        sa.Column("at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "hotline_ticket_link",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("department", sa.String(64), nullable=False, index=True),
        sa.Column("ticket_id", sa.Integer, sa.ForeignKey("hotline_ticket.id", ondelete="CASCADE"), index=True),
        sa.Column("other_id", sa.Integer, sa.ForeignKey("hotline_ticket.id", ondelete="CASCADE"), index=True),
        sa.Column("score", sa.Float, server_default="0"),
        sa.Column("reasons", sa.JSON),
        sa.Column("state", sa.String(16), server_default="candidate"),
        sa.Column("created_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("ticket_id", "other_id"),
    )
    op.create_table(
        "hotline_ingest_job",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("department", sa.String(64), nullable=False, index=True),
        sa.Column("path", sa.String(1024), nullable=False),
        sa.Column("status", sa.String(16), server_default="pending"),
        sa.Column("total", sa.Integer, server_default="0"),
        sa.Column("next_row", sa.Integer, server_default="0"),
        sa.Column("created", sa.Integer, server_default="0"),
        sa.Column("skipped", sa.Integer, server_default="0"),
        sa.Column("failed", sa.Integer, server_default="0"),
        sa.Column("errors", sa.JSON),
        sa.Column("created_by", sa.String(128), server_default=""),
        sa.Column("created_at", sa.DateTime(timezone=True)),
        sa.Column("updated_at", sa.DateTime(timezone=True)),
    )


def downgrade() -> None:
    for t in ("hotline_ingest_job", "hotline_ticket_link", "hotline_ticket_event", "hotline_ticket"):
        op.drop_table(t)
