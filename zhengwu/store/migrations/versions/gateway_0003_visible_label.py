"""gateway: where a scenario's generated text carries the visible AI label (GB 45438-2025 §5.1)

`append` (the label at the end of the text, what every scenario did before), `prepend` (at its start) or
`metadata_only` (none inside the text: the application shows it in its interface, GB 45438 §5.6). The implicit
AIGC metadata is never optional and has no setting.

Revision ID: gateway_0003
Revises: gateway_0002
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "gateway_0003"
down_revision = "gateway_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("gw_scenario") as batch:
        batch.add_column(sa.Column("visible_label", sa.String(16), nullable=False, server_default="append"))


def downgrade() -> None:
    with op.batch_alter_table("gw_scenario") as batch:
        batch.drop_column("visible_label")
