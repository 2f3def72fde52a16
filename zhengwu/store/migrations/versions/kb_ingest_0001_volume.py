"""kb_ingest: an ingest job's volume (bytes to do, bytes done, start) for its rate and ETA

Revision ID: kb_ingest_0001
Revises:
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "kb_ingest_0001"
down_revision = None
branch_labels = ("kb_ingest",)
depends_on = "kb_0001"


def upgrade() -> None:
    with op.batch_alter_table("kb_ingest_job") as batch:
        batch.add_column(sa.Column("bytes_total", sa.BigInteger, nullable=False, server_default="0"))
        batch.add_column(sa.Column("bytes_done", sa.BigInteger, nullable=False, server_default="0"))
        batch.add_column(sa.Column("started_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("kb_ingest_job") as batch:
        batch.drop_column("started_at")
        batch.drop_column("bytes_done")
        batch.drop_column("bytes_total")
