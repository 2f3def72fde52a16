"""match_extract: the governed scenario of proposing catalogue entries from a policy document (issue 16)

Revision ID: match_extract_0001
Revises:
Create Date: 2026-11-29

Human review is on: what the rules or a model propose is a draft an administrator checks before publishing.
Seeded only when absent, so that another match migration seeding the same scenario does not collide.
"""
import json
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = "match_extract_0001"
down_revision = None
branch_labels = ("match_extract",)
depends_on = "gateway_0001"

# (id, name_zh, name_en, risk, pii_mode, human_review, retention_days, no_history) — a literal copy, as in gateway_0001
_SCENARIOS = [
    ("match.extract", "政策条件提取", "Proposing scheme entries from policy documents", "low", "mask", True, 1095, False),
]

_scenario = sa.table(
    "gw_scenario", sa.column("id", sa.String), sa.column("department", sa.String), sa.column("name_zh", sa.String),
    sa.column("name_en", sa.String), sa.column("description", sa.Text), sa.column("risk", sa.String),
    sa.column("pii_mode", sa.String), sa.column("allowed_backends", sa.Text), sa.column("human_review", sa.Boolean),
    sa.column("retention_days", sa.Integer), sa.column("no_history", sa.Boolean), sa.column("approved", sa.Boolean),
    sa.column("approved_by", sa.String), sa.column("approved_at", sa.String), sa.column("created_by", sa.String),
    sa.column("created_at", sa.String))


def upgrade() -> None:
    now = datetime.now(timezone.utc).isoformat(timespec="microseconds")
    present = {row[0] for row in op.get_bind().execute(sa.select(_scenario.c.id))}
    rows = [
        {"id": sid, "department": "*", "name_zh": zh, "name_en": en, "description": "", "risk": risk,
         "pii_mode": mode, "allowed_backends": json.dumps(["*"]), "human_review": review,
         "retention_days": days, "no_history": nohist, "approved": True, "approved_by": "system",
         "approved_at": now, "created_by": "system", "created_at": now}
        for sid, zh, en, risk, mode, review, days, nohist in _SCENARIOS if sid not in present
    ]
    if rows:
        op.bulk_insert(_scenario, rows)


def downgrade() -> None:
    op.execute(_scenario.delete().where(_scenario.c.id.in_([s[0] for s in _SCENARIOS])))
