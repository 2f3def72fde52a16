"""API keys for applications: `zw_<random>`, shown once at creation, stored as SHA-256. A key acts as one role in
one department, for the scenarios it names; revoking it takes effect at once."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from zhengwu.context import Caller
from zhengwu.errors import Forbidden, NotFound, ZhengwuError
from zhengwu.gateway import record_admin_action
from zhengwu.identity.accounts import ensure_department, subtree
from zhengwu.identity.models import ApiKey
from zhengwu.identity.roles import check_role
from zhengwu.store.db import session_scope

PREFIX = "zw_"


@dataclass(frozen=True)
class KeyIdentity:
    caller: Caller
    key_id: int
    scenarios: tuple[str, ...]

    def allows(self, scenario: str) -> bool:
        return "*" in self.scenarios or scenario in self.scenarios


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_key(session: Session, caller: Caller, *, app: str, department: str, role: str = "officer",
               scenarios: list[str] | None = None) -> tuple[ApiKey, str]:
    """A new key -> (row, the key itself: print it once, it is not stored)."""
    check_role(role)
    if caller.role != "admin":
        raise Forbidden("admin_required", "只有管理员可以创建 API 密钥。", "Only an administrator may create API keys.")
    if caller.department != "*" and department not in subtree(session, caller.department):
        raise Forbidden("department_forbidden", f"无权为部门 {department} 创建密钥。",
                        f"You may not create keys for department {department}.")
    if role == "admin":
        raise ZhengwuError("key_admin_role", "API 密钥不能具有管理员角色。", "An API key cannot have the admin role.")
    if not app:
        raise ZhengwuError("key_no_app", "请用 --app 说明密钥给哪个应用使用。", "Name the application with --app.")
    ensure_department(session, department)
    for sid in scenarios or []:
        _check_scenario(session, sid, department)
    key = PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(prefix=key[:10], key_hash=_hash(key), app=app, department=department, role=role,
                 scenarios=",".join(scenarios or ["*"]), created_by=caller.user)
    session.add(row)
    session.flush()
    record_admin_action(session, caller, "key_create", target=app,
                        extra={"key_id": row.id, "department": department, "role": role, "scenarios": row.scenarios})
    return row, key


def _check_scenario(session: Session, scenario: str, department: str) -> None:
    """A key may name only a scenario the gateway knows, approved, and open to the key's department: a key
    that could never be used would only surface as a refusal in some application's logs later."""
    if scenario == "*":
        return
    from zhengwu.gateway.scenarios import get_policy

    try:
        policy = get_policy(session, scenario)
    except NotFound:
        raise NotFound("key_scenario_unknown", f"场景不存在：{scenario}", f"Unknown scenario: {scenario}") from None
    if not policy.approved:
        raise ZhengwuError("key_scenario_unapproved", f"场景 {scenario} 尚未经管理员批准。",
                           f"Scenario {scenario} has not been approved by an administrator.")
    if not policy.open_to(department):
        raise Forbidden("key_scenario_department", f"场景 {scenario} 不属于部门 {department}。",
                        f"Scenario {scenario} is not open to department {department}.")


def find_key(session: Session, caller: Caller, id_or_prefix: int | str) -> ApiKey:
    """A key by its number or by the prefix `keys list` shows (unique among the caller's keys)."""
    text = str(id_or_prefix).strip().rstrip("…")
    if text.isdigit():
        row = session.get(ApiKey, int(text))
        rows = [row] if row is not None else []
    else:
        rows = list(session.scalars(select(ApiKey).where(ApiKey.prefix.startswith(text[:10], autoescape=True))))
        rows = rows if len(text) >= 4 else []  # "zw_" alone names every key
    if caller.department != "*":
        allowed = subtree(session, caller.department)
        rows = [r for r in rows if r.department in allowed]
    if len(rows) > 1:
        raise ZhengwuError("key_prefix_ambiguous", f"前缀 {text} 对应多个密钥，请使用密钥编号。",
                           f"The prefix {text} matches several keys: use the key id.")
    if not rows:
        raise NotFound("key_not_found", f"密钥不存在：{text}", f"API key not found: {text}")
    return rows[0]


def list_keys(session: Session, caller: Caller) -> list[ApiKey]:
    stmt = select(ApiKey).order_by(ApiKey.id)
    if caller.department != "*":
        stmt = stmt.where(ApiKey.department.in_(subtree(session, caller.department)))
    return list(session.scalars(stmt))


def revoke_key(session: Session, caller: Caller, key_id: int | str) -> ApiKey:
    """Revoke a key given by number or prefix (at once: `verify_key` reads the row on every request)."""
    row = find_key(session, caller, key_id)
    if caller.role != "admin":
        raise Forbidden("admin_required", "只有管理员可以吊销 API 密钥。", "Only an administrator may revoke API keys.")
    row.revoked_at = datetime.now(timezone.utc)
    record_admin_action(session, caller, "key_revoke", target=row.app, extra={"key_id": row.id})
    return row


_K = ApiKey.__table__
_LOOKUP = select(_K.c.id, _K.c.app, _K.c.department, _K.c.role, _K.c.scenarios, _K.c.revoked_at).where(
    _K.c.key_hash == bindparam("h"))


def verify_key(key: str | None) -> KeyIdentity | None:
    """The identity of a live key, or None (unknown or revoked).

    Why the row is read on every request (one prepared Core query, no ORM object): revocation — by
    `zhengwu keys revoke` in another process, or on another app server — must apply to the very next request,
    which no in-process cache can promise; the query costs about as much as checking a cached key would."""
    if not key or not key.startswith(PREFIX) or len(key) > 100:
        return None
    with session_scope() as s:
        row = s.connection().execute(_LOOKUP, {"h": _hash(key)}).first()
    if row is None or row.revoked_at is not None:
        return None
    return KeyIdentity(Caller(f"app:{row.app}", row.department, row.role), row.id,
                       tuple(x for x in row.scenarios.split(",") if x))
