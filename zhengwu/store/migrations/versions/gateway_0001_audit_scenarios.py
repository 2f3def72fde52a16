"""gateway: hash-chained audit log, chain head, scenario registry with the built-in scenarios

Revision ID: gateway_0001
Revises:
Create Date: 2026-11-28
"""
import json
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = "gateway_0001"
down_revision = None
branch_labels = ("gateway",)
depends_on = None

# The built-in scenarios, approved by "system" at installation (a literal copy: migrations never import app code).
# (id, name_zh, name_en, risk, pii_mode, human_review, retention_days, no_history)
_BUILTIN = [
    ("kb_search", "知识库检索", "Knowledge-base search", "low", "mask", False, 1095, False),
    ("policy_qa", "政策问答", "Policy Q&A", "medium", "pseudonym", False, 1095, False),
    ("doc_draft", "公文起草", "Official-document drafting", "high", "pseudonym", True, 1095, False),
    ("doc_summary", "文档摘要", "Document summary", "medium", "mask", False, 1095, False),
    ("meeting_minutes", "会议纪要", "Meeting minutes", "medium", "pseudonym", True, 1095, False),
    ("simplify", "通俗化改写", "Plain-language rewrite", "low", "mask", False, 1095, False),
    ("pii_mask", "个人信息脱敏", "Personal-information masking", "low", "mask", False, 180, True),
    ("ticket_classify", "工单分类", "Ticket classification", "medium", "mask", True, 1095, False),
    ("kb_ingest", "知识库入库", "Knowledge-base ingestion", "low", "mask", False, 1095, False),
    ("doc_render", "公文排版导出", "Official-document rendering", "low", "mask", False, 1095, False),
]


def upgrade() -> None:
    op.create_table(
        "gw_audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("department", sa.String(64), nullable=False, index=True),
        sa.Column("seq", sa.Integer, nullable=False, unique=True),
        sa.Column("created_at", sa.String(40), nullable=False, index=True),
        sa.Column("user", sa.String(128), nullable=False, server_default=""),
        sa.Column("role", sa.String(32), nullable=False, server_default=""),
        sa.Column("scenario", sa.String(64), nullable=False, index=True),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("backend", sa.String(64)),
        sa.Column("model", sa.String(128)),
        sa.Column("input_text", sa.Text),
        sa.Column("output_text", sa.Text),
        sa.Column("sources", sa.Text),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("output_hash", sa.String(64), nullable=False, server_default=""),
        sa.Column("checks", sa.Text, nullable=False, server_default="[]"),
        sa.Column("extra", sa.Text, nullable=False, server_default="{}"),
        sa.Column("expires_at", sa.String(40)),
        sa.Column("purged_at", sa.String(40)),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    head = op.create_table(
        "gw_audit_head",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False, server_default="0"),
        sa.Column("hash", sa.String(64), nullable=False, server_default=""),
    )
    op.bulk_insert(head, [{"id": 1, "seq": 0, "hash": ""}])
    scen = op.create_table(
        "gw_scenario",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("department", sa.String(64), nullable=False, server_default="*"),
        sa.Column("name_zh", sa.String(128), nullable=False),
        sa.Column("name_en", sa.String(128), nullable=False, server_default=""),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("risk", sa.String(16), nullable=False, server_default="medium"),
        sa.Column("pii_mode", sa.String(16), nullable=False, server_default="mask"),
        sa.Column("allowed_backends", sa.Text, nullable=False, server_default='["*"]'),
        sa.Column("human_review", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("retention_days", sa.Integer),
        sa.Column("no_history", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("approved", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("approved_by", sa.String(128)),
        sa.Column("approved_at", sa.String(40)),
        sa.Column("created_by", sa.String(128), nullable=False, server_default="system"),
        sa.Column("created_at", sa.String(40), nullable=False, server_default=""),
    )
    now = datetime.now(timezone.utc).isoformat(timespec="microseconds")
    op.bulk_insert(scen, [
        {"id": sid, "department": "*", "name_zh": zh, "name_en": en, "description": "", "risk": risk,
         "pii_mode": mode, "allowed_backends": json.dumps(["*"]), "human_review": review,
         "retention_days": days, "no_history": nohist, "approved": True, "approved_by": "system",
         "approved_at": now, "created_by": "system", "created_at": now}
        for sid, zh, en, risk, mode, review, days, nohist in _BUILTIN
    ])


def downgrade() -> None:
    op.drop_table("gw_scenario")
    op.drop_table("gw_audit_head")
    op.drop_table("gw_audit")
