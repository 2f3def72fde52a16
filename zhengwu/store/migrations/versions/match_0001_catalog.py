"""match: the scheme catalogue (one row per department and scheme) and the governed scenario match.advise

Revision ID: match_0001
Revises:
Create Date: 2026-11-30
"""
import json
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = "match_0001"
down_revision = None
branch_labels = ("match",)
depends_on = "gateway_0001"

# (id, name_zh, name_en, risk, pii_mode, human_review, retention_days, no_history) — a literal copy, as in
# gateway_0001. A resident's situation is personal data (age, disability, income): the record keeps the
# interaction's metadata and outcome for two years but not the described situation itself (no_history).
_SCENARIOS = [
    ("match.advise", "政策匹配（惠民惠企）", "Policy and benefit matching", "medium", "mask", False, 730, True),
]

_scenario = sa.table(
    "gw_scenario", sa.column("id", sa.String), sa.column("department", sa.String), sa.column("name_zh", sa.String),
    sa.column("name_en", sa.String), sa.column("description", sa.Text), sa.column("risk", sa.String),
    sa.column("pii_mode", sa.String), sa.column("allowed_backends", sa.Text), sa.column("human_review", sa.Boolean),
    sa.column("retention_days", sa.Integer), sa.column("no_history", sa.Boolean), sa.column("approved", sa.Boolean),
    sa.column("approved_by", sa.String), sa.column("approved_at", sa.String), sa.column("created_by", sa.String),
    sa.column("created_at", sa.String))


def upgrade() -> None:
    op.create_table(
        "match_scheme",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("department", sa.String(64), nullable=False, index=True),
        sa.Column("scheme_id", sa.String(128), nullable=False),
        sa.Column("policy_id", sa.String(128), server_default="", index=True),
        sa.Column("name", sa.String(300), server_default=""),
        sa.Column("target", sa.String(16), server_default="person"),
        sa.Column("status", sa.String(16), server_default="draft"),
        sa.Column("entry", sa.JSON, nullable=False),
        sa.Column("created_by", sa.String(128), server_default=""),
        sa.Column("created_at", sa.DateTime(timezone=True)),
        sa.Column("updated_by", sa.String(128), server_default=""),
        sa.Column("updated_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("department", "scheme_id", name="uq_match_scheme_dept_id"),
    )
    now = datetime.now(timezone.utc).isoformat(timespec="microseconds")
    op.bulk_insert(_scenario, [
        {"id": sid, "department": "*", "name_zh": zh, "name_en": en, "description": "", "risk": risk,
         "pii_mode": mode, "allowed_backends": json.dumps(["*"]), "human_review": review,
         "retention_days": days, "no_history": nohist, "approved": True, "approved_by": "system",
         "approved_at": now, "created_by": "system", "created_at": now}
        for sid, zh, en, risk, mode, review, days, nohist in _SCENARIOS
    ])


def downgrade() -> None:
    op.execute(_scenario.delete().where(_scenario.c.id.in_([s[0] for s in _SCENARIOS])))
    op.drop_table("match_scheme")
