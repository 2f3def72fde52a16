"""The scenario registry: each use of the platform with its risk level and the policy applied to it.

Built-in scenarios are seeded approved by "system" in migration gateway_0001. A new scenario is unusable until
an administrator approves it (who and when are recorded and audited); "unacceptable" risk is never approved.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from zhengwu.context import Caller
from zhengwu.errors import Forbidden, NotFound, ZhengwuError
from zhengwu.gateway import audit
from zhengwu.gateway.labels import PLACEMENTS  # where a scenario shows the visible label (its visible_label)
from zhengwu.gateway.models import Scenario
from zhengwu.store import session_scope

BUILTIN_IDS = ("kb_search", "policy_qa", "doc_draft", "doc_summary", "meeting_minutes", "simplify", "pii_mask",
               "ticket_classify", "kb_ingest", "doc_render")
RISKS = ("low", "medium", "high", "unacceptable")
PII_MODES = ("mask", "pseudonym", "block")


@dataclass(frozen=True)
class Policy:
    """A read-only snapshot of a scenario row (what the pipeline needs, detached from the session)."""

    id: str
    name_zh: str
    name_en: str
    risk: str
    pii_mode: str
    allowed_backends: tuple[str, ...]
    human_review: bool
    retention_days: int | None
    no_history: bool
    approved: bool
    approved_by: str | None
    approved_at: str | None
    department: str = "*"
    description: str = ""
    created_by: str = "system"
    created_at: str = ""
    visible_label: str = "append"  # where generated text shows the AI label: one of labels.PLACEMENTS

    def open_to(self, department: str) -> bool:
        """A scenario registered for one department serves only that department's callers (and the whole-
        government "*" callers: the CLI and system jobs); "*" scenarios serve everyone."""
        return self.department == "*" or department in ("*", self.department)

    def allows_backend(self, name: str) -> bool:
        return "*" in self.allowed_backends or name in self.allowed_backends

    @property
    def retention(self) -> tuple[int | None, bool]:
        return self.retention_days, self.no_history

    def to_dict(self) -> dict:
        d = asdict(self)
        d["allowed_backends"] = list(self.allowed_backends)
        return d


def _policy(row: Any) -> Policy:
    try:
        backends = tuple(json.loads(row.allowed_backends or '["*"]'))
    except ValueError:
        backends = ()
    return Policy(id=row.id, name_zh=row.name_zh, name_en=row.name_en, risk=row.risk, pii_mode=row.pii_mode,
                  allowed_backends=backends, human_review=bool(row.human_review), retention_days=row.retention_days,
                  no_history=bool(row.no_history), approved=bool(row.approved), approved_by=row.approved_by,
                  approved_at=row.approved_at, department=row.department, description=row.description or "",
                  created_by=row.created_by, created_at=row.created_at, visible_label=row.visible_label or "append")


_GET = select(Scenario.__table__).where(Scenario.__table__.c.id == bindparam("sid"))


# Policies are read on every gateway call; a short-lived cache per database spares the query. Changes made in
# this process (add / approve / revoke) clear it at once; changes by another process apply within CACHE_SECONDS.
CACHE_SECONDS = 1.0
_cache: dict[tuple[str, str], tuple[float, Policy]] = {}


def clear_cache() -> None:
    _cache.clear()


def get_policy(session: Session, scenario_id: str, *, cached: bool = False) -> Policy:
    """The scenario's policy (a Core query; `cached=True` allows a copy up to CACHE_SECONDS old)."""
    key = (str(session.get_bind().url), scenario_id)
    if cached:
        hit = _cache.get(key)
        if hit is not None and time.monotonic() - hit[0] < CACHE_SECONDS:
            return hit[1]
    row = session.connection().execute(_GET, {"sid": scenario_id}).first()
    if row is None:
        raise NotFound("scenario_not_found", f"场景不存在：{scenario_id}", f"Unknown scenario: {scenario_id}")
    pol = _policy(row)
    _cache[key] = (time.monotonic(), pol)
    return pol


def list_policies(session: Session) -> list[Policy]:
    return [_policy(r) for r in session.execute(select(Scenario).order_by(Scenario.id)).scalars()]


def _require_admin(caller: Caller) -> None:
    if not caller.is_admin:
        raise Forbidden("admin_required", "此操作需要管理员权限。", "This action needs an administrator.")


def add_scenario(session: Session, caller: Caller, *, id: str, name_zh: str, name_en: str = "",  # noqa: A002
                 risk: str = "medium", pii_mode: str = "mask", allowed_backends: list[str] | None = None,
                 human_review: bool = False, retention_days: int | None = 1095, no_history: bool = False,
                 description: str = "", department: str = "*", visible_label: str = "append") -> Policy:
    """Register a new scenario, unapproved. The registration is audited."""
    _require_admin(caller)
    if not id or not id.replace("_", "").replace("-", "").isalnum() or not id.isascii() or len(id) > 64:
        raise ZhengwuError("bad_scenario_id", f"场景标识无效：{id!r}（字母、数字、下划线）",
                           f"Invalid scenario id: {id!r} (letters, digits, underscores)")
    if risk not in RISKS:
        raise ZhengwuError("bad_risk", f"风险等级无效：{risk}（{'/'.join(RISKS)}）",
                           f"Invalid risk level: {risk} ({'/'.join(RISKS)})")
    if pii_mode not in PII_MODES:
        raise ZhengwuError("bad_pii_mode", f"个人信息处理方式无效：{pii_mode}（{'/'.join(PII_MODES)}）",
                           f"Invalid PII mode: {pii_mode} ({'/'.join(PII_MODES)})")
    if retention_days is not None and retention_days < 0:
        raise ZhengwuError("bad_retention", "保存天数不能为负数。", "Retention days cannot be negative.")
    _check_visible_label(visible_label, retention_days, no_history)
    if session.get(Scenario, id) is not None:
        raise ZhengwuError("scenario_exists", f"场景已存在：{id}", f"Scenario already exists: {id}", status=409)
    now = audit.now_iso()
    row = Scenario(id=id, department=department, name_zh=name_zh, name_en=name_en, description=description,
                   risk=risk, pii_mode=pii_mode, allowed_backends=json.dumps(list(allowed_backends or ["*"])),
                   human_review=human_review, retention_days=retention_days, no_history=no_history,
                   visible_label=visible_label, approved=False, created_by=caller.user, created_at=now)
    session.add(row)
    session.flush()
    clear_cache()
    pol = _policy(row)
    audit.append(session, caller=caller, scenario=id, action="scenario_add", masked=True,
                 retention=(audit.DEFAULT_RETENTION_DAYS, False), extra={"scenario": pol.to_dict()})
    return pol


# 办法 Art. 9: output without the label in its text needs the logs kept at least six months
LABEL_FREE_MIN_DAYS = 183


def _check_visible_label(placement: str, retention_days: int | None, no_history: bool) -> None:
    if placement not in PLACEMENTS:
        raise ZhengwuError("bad_visible_label", f"显式标识位置无效：{placement}（{'/'.join(PLACEMENTS)}）",
                           f"Invalid visible label placement: {placement} ({'/'.join(PLACEMENTS)})")
    if placement == "metadata_only" and (no_history or (retention_days is not None
                                                        and retention_days < LABEL_FREE_MIN_DAYS)):
        raise ZhengwuError(
            "label_free_retention",
            f"文本内不加显式标识（metadata_only）时，须由应用在界面中显示标识，且日志留存不少于六个月"
            f"（保存天数至少 {LABEL_FREE_MIN_DAYS} 天、不能为不留存）。",
            f"Without the label in the text (metadata_only) the application must show it in its interface and "
            f"the logs must be kept at least six months (retention of at least {LABEL_FREE_MIN_DAYS} days, not "
            f"no-history).")


def set_visible_label(session: Session, caller: Caller, scenario_id: str, placement: str) -> Policy:
    """Change where the scenario's generated text shows the AI label (administrator only). Audited with the
    old and new placement; takes effect at once. The implicit AIGC metadata is not affected by it."""
    _require_admin(caller)
    row = session.get(Scenario, scenario_id)
    if row is None:
        raise NotFound("scenario_not_found", f"场景不存在：{scenario_id}", f"Unknown scenario: {scenario_id}")
    _check_visible_label(placement, row.retention_days, bool(row.no_history))
    before = row.visible_label
    row.visible_label = placement
    session.flush()
    clear_cache()
    audit.append(session, caller=caller, scenario=scenario_id, action="scenario_visible_label", masked=True,
                 retention=(audit.DEFAULT_RETENTION_DAYS, False), extra={"from": before, "to": placement})
    return _policy(row)


def approve_scenario(session: Session, caller: Caller, scenario_id: str) -> Policy:
    """Approve a scenario for use (administrator only; never for unacceptable risk). Recorded and audited."""
    _require_admin(caller)
    row = session.get(Scenario, scenario_id)
    if row is None:
        raise NotFound("scenario_not_found", f"场景不存在：{scenario_id}", f"Unknown scenario: {scenario_id}")
    if row.created_by == caller.user:
        # four eyes: whoever created (or last changed) a scenario cannot approve it
        with session_scope(session.get_bind().url.render_as_string(hide_password=False)) as s2:
            audit.append(s2, caller=caller, scenario=scenario_id, action="scenario_approve_refused", masked=True,
                         retention=(audit.DEFAULT_RETENTION_DAYS, False), checks=["four_eyes"])
        raise Forbidden("four_eyes", f"场景“{row.name_zh}”由您创建，须由另一位管理员批准（四眼原则）。",
                        f"You created scenario {scenario_id}; another administrator must approve it (four-eyes rule).")
    if row.risk == "unacceptable":
        # the refusal is audited in its own transaction: the caller's is rolled back by the error
        with session_scope(session.get_bind().url.render_as_string(hide_password=False)) as s2:
            audit.append(s2, caller=caller, scenario=scenario_id, action="scenario_approve_refused", masked=True,
                         retention=(audit.DEFAULT_RETENTION_DAYS, False), checks=["unacceptable_risk"])
        raise Forbidden("scenario_unacceptable",
                        f"场景“{row.name_zh}”的风险等级为“不可接受”，不能批准使用。",
                        f"Scenario {scenario_id} has unacceptable risk and can never be approved.")
    row.approved = True
    row.approved_by = caller.user
    row.approved_at = audit.now_iso()
    session.flush()
    clear_cache()
    audit.append(session, caller=caller, scenario=scenario_id, action="scenario_approve", masked=True,
                 retention=(audit.DEFAULT_RETENTION_DAYS, False),
                 extra={"approved_by": row.approved_by, "approved_at": row.approved_at, "risk": row.risk})
    return _policy(row)


def revoke_scenario(session: Session, caller: Caller, scenario_id: str) -> Policy:
    """Withdraw approval (the scenario stops working at once). Audited."""
    _require_admin(caller)
    row = session.get(Scenario, scenario_id)
    if row is None:
        raise NotFound("scenario_not_found", f"场景不存在：{scenario_id}", f"Unknown scenario: {scenario_id}")
    row.approved = False
    session.flush()
    clear_cache()
    audit.append(session, caller=caller, scenario=scenario_id, action="scenario_revoke", masked=True,
                 retention=(audit.DEFAULT_RETENTION_DAYS, False), extra={"revoked_by": caller.user})
    return _policy(row)
