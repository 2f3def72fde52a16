"""gateway: keyed audit chain — the id of the HMAC key that signed each record

Records written before this revision keep key_id NULL: they are the legacy plain-SHA-256 prefix of the chain,
fixed in place by the first keyed record's link to them.

Revision ID: gateway_0002
Revises: gateway_0001
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "gateway_0002"
down_revision = "gateway_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("gw_audit") as batch:
        batch.add_column(sa.Column("key_id", sa.String(16)))


def downgrade() -> None:
    with op.batch_alter_table("gw_audit") as batch:
        batch.drop_column("key_id")
