"""hotline classification and dispatch: labelled examples, trained models, department trees, 权责清单

Revision ID: hotline_cls_0001
Revises:
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "hotline_cls_0001"
down_revision = None
branch_labels = ("hotline_cls",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hotline_cls_example",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("department", sa.String(64), nullable=False, index=True),
        sa.Column("title", sa.Text, server_default=""),
        sa.Column("text", sa.Text, server_default=""),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("path", sa.JSON),
        sa.Column("source", sa.String(16), server_default="history"),
        sa.Column("user", sa.String(128), server_default=""),
        sa.Column("created_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "hotline_cls_model",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("department", sa.String(64), nullable=False, index=True, unique=True),
        sa.Column("blob", sa.LargeBinary, nullable=False),
        sa.Column("n_examples", sa.Integer, server_default="0"),
        sa.Column("labels", sa.JSON),
        sa.Column("seconds", sa.Float, server_default="0"),
        sa.Column("trained_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "hotline_cls_taxonomy",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("department", sa.String(64), nullable=False, index=True, unique=True),
        sa.Column("rows", sa.JSON),
        sa.Column("source", sa.String(300), server_default=""),
        sa.Column("updated_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "hotline_duty",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("department", sa.String(64), nullable=False, index=True),
        sa.Column("category", sa.String(200), nullable=False),
        sa.Column("area", sa.String(100), server_default=""),
        sa.Column("responsible", sa.String(200), nullable=False),
        sa.Column("note", sa.Text, server_default=""),
        sa.Column("updated_by", sa.String(128), server_default=""),
        sa.Column("updated_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("department", "category", "area", name="uq_hotline_duty_line"),
    )


def downgrade() -> None:
    for t in ("hotline_duty", "hotline_cls_taxonomy", "hotline_cls_model", "hotline_cls_example"):
        op.drop_table(t)
