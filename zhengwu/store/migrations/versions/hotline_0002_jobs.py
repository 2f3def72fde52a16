"""hotline: the import job table holds every hotline job (kind import | classify | hotspots)

Revision ID: hotline_0002
Revises: hotline_0001
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "hotline_0002"
down_revision = "hotline_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("hotline_ingest_job", sa.Column("kind", sa.String(16), nullable=False, server_default="import"))
    op.add_column("hotline_ingest_job", sa.Column("stage", sa.String(16), nullable=False, server_default=""))
    op.add_column("hotline_ingest_job", sa.Column("params", sa.JSON, nullable=True))
    op.add_column("hotline_ingest_job", sa.Column("result", sa.JSON, nullable=True))
    op.create_index("ix_hotline_ingest_job_kind", "hotline_ingest_job", ["department", "kind", "status"])


def downgrade() -> None:
    op.drop_index("ix_hotline_ingest_job_kind", table_name="hotline_ingest_job")
    with op.batch_alter_table("hotline_ingest_job") as batch:
        for col in ("result", "params", "stage", "kind"):
            batch.drop_column(col)
