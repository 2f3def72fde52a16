"""Roles and what each may do. A role is a word on the Caller; the checks that use it live with the features
(`Caller.is_admin`, the knowledge-base writer roles, the audit reader roles), this module only names them."""

from __future__ import annotations

from zhengwu.context import Caller
from zhengwu.errors import ZhengwuError

# citizen (市民/企业), agent (坐席), officer (公务员), manager (决策者), admin (管理员), auditor (审计/合规)
ROLES = ("citizen", "agent", "officer", "manager", "admin", "auditor")
ROLE_NAMES_ZH = {"citizen": "市民", "agent": "坐席", "officer": "公务员", "manager": "决策者", "admin": "管理员",
                 "auditor": "审计员"}


def check_role(role: str) -> str:
    if role not in ROLES:
        raise ZhengwuError("bad_role", f"角色无效：{role}（可选：{'、'.join(ROLES)}）",
                           f"Invalid role: {role} (choose {', '.join(ROLES)})")
    return role


def can_read_audit(caller: Caller) -> bool:
    return caller.role in ("admin", "auditor", "compliance")
