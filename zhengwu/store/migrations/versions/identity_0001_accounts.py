"""identity: departments (tree), users, web sessions, API keys

Revision ID: identity_0001
Revises:
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "identity_0001"
down_revision = None
branch_labels = ("identity",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "id_department",
        sa.Column("code", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(256), nullable=False, server_default=""),
        sa.Column("parent", sa.String(64), sa.ForeignKey("id_department.code"), index=True),
        sa.Column("created_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "id_user",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(128), nullable=False, unique=True),
        sa.Column("display_name", sa.String(256), nullable=False, server_default=""),
        sa.Column("department", sa.String(64), sa.ForeignKey("id_department.code"), nullable=False, index=True),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("password_hash", sa.Text),
        sa.Column("oidc_subject", sa.String(256), unique=True),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("failed_logins", sa.Integer, nullable=False, server_default="0"),
        sa.Column("locked_until", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "id_session",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("id_user.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("created_at", sa.DateTime(timezone=True)),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "id_api_key",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("prefix", sa.String(16), nullable=False, index=True),
        sa.Column("key_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("app", sa.String(128), nullable=False),
        sa.Column("department", sa.String(64), sa.ForeignKey("id_department.code"), nullable=False, index=True),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("scenarios", sa.Text, nullable=False, server_default="*"),
        sa.Column("created_by", sa.String(128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True)),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
    )


def downgrade() -> None:
    for t in ("id_api_key", "id_session", "id_user", "id_department"):
        op.drop_table(t)
