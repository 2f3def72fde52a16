"""REST API of the gateway: governed completions, scenarios and approval, audit verify / export / review.

Model calls go through zhengwu.gateway.complete (policy, PII, label, audit). Scenario changes and audit access
need an administrator or compliance officer.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from fastapi import APIRouter, Depends, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, Field

from zhengwu.context import Caller
from zhengwu.errors import Forbidden, ZhengwuError
from zhengwu.web.deps import DbId, get_caller

router = APIRouter(tags=["gateway"])


def require_auditor(caller: Caller) -> None:
    if not caller.reads_audit:
        raise Forbidden("auditor_required", "此操作需要管理员或审计人员权限。",
                        "This needs an administrator or auditor.")


class Message(BaseModel):
    role: str = "user"
    content: str


class CompleteRequest(BaseModel):
    scenario: str = Field(..., description="场景标识 / scenario id, e.g. policy_qa")
    messages: list[Message]
    sources: list[dict] | None = None
    conversation_id: str | None = None
    stream: bool = False


@router.post("/api/gateway/complete")
async def api_complete(req: CompleteRequest, caller: Caller = Depends(get_caller)):  # noqa: ANN201
    """A governed model call. With stream=true: Server-Sent Events `data: {"delta": ...}` then the completion."""
    from zhengwu.gateway import complete

    msgs = [m.model_dump() for m in req.messages]
    if not req.stream:
        comp = await run_in_threadpool(complete, caller, req.scenario, msgs, sources=req.sources,
                                       conversation_id=req.conversation_id)
        return comp.to_dict()
    it = await run_in_threadpool(complete, caller, req.scenario, msgs, sources=req.sources,
                                 conversation_id=req.conversation_id, stream=True)

    def events() -> Iterator[str]:
        try:
            for ev in it:
                if isinstance(ev, str):
                    yield "data: " + json.dumps({"delta": ev}, ensure_ascii=False) + "\n\n"
                else:
                    yield "data: " + json.dumps({"completion": ev.to_dict()}, ensure_ascii=False) + "\n\n"
        except ZhengwuError as exc:
            yield "data: " + json.dumps({"error": exc.to_dict()}, ensure_ascii=False) + "\n\n"
        yield "data: [DONE]\n\n"

    return StreamingResponse(events(), media_type="text/event-stream")


@router.get("/api/gateway/status")
def api_status(probe: bool = False, caller: Caller = Depends(get_caller)) -> dict:
    """The model backend and, for administrators, the health of each endpoint as this app server sees it
    (`probe=true` checks them now; health is per process, see zhengwu/gateway/health.py). Endpoint addresses
    are internal: others see only whether a generative model is configured."""
    from zhengwu.config import get_settings
    from zhengwu.gateway import generative_available, health
    from zhengwu.gateway import registered_backends

    s = get_settings()
    return {"generative": generative_available(), "backend": s.llm_backend, "model": s.llm_model,
            "backends": registered_backends(),
            "endpoints": health.status(probe_now=probe)
            if s.llm_backend == "openai" and caller.role in ("admin", "auditor") else []}


# ------------------------------------------------------------------------------------------- scenarios


class ScenarioCreate(BaseModel):
    id: str
    name_zh: str
    name_en: str = ""
    risk: str = "medium"
    pii_mode: str = "mask"
    allowed_backends: list[str] = ["*"]
    human_review: bool = False
    retention_days: int | None = 1095
    no_history: bool = False
    description: str = ""
    visible_label: str = "append"


class ScenarioLabel(BaseModel):
    visible_label: str


@router.get("/api/scenarios")
def api_scenarios(caller: Caller = Depends(get_caller)) -> list[dict]:
    from zhengwu.gateway.scenarios import list_policies
    from zhengwu.store import session_scope

    with session_scope() as s:
        return [p.to_dict() for p in list_policies(s)]


@router.post("/api/scenarios", status_code=201)
def api_scenario_add(req: ScenarioCreate, caller: Caller = Depends(get_caller)) -> dict:
    from zhengwu.gateway.scenarios import add_scenario
    from zhengwu.store import session_scope

    with session_scope() as s:
        return add_scenario(s, caller, **req.model_dump()).to_dict()


@router.post("/api/scenarios/{scenario_id}/approve")
def api_scenario_approve(scenario_id: str, caller: Caller = Depends(get_caller)) -> dict:
    from zhengwu.gateway.scenarios import approve_scenario
    from zhengwu.store import session_scope

    with session_scope() as s:
        return approve_scenario(s, caller, scenario_id).to_dict()


@router.post("/api/scenarios/{scenario_id}/label")
def api_scenario_label(scenario_id: str, req: ScenarioLabel, caller: Caller = Depends(get_caller)) -> dict:
    """Where the scenario's generated text shows the AI label: append | prepend | metadata_only (audited)."""
    from zhengwu.gateway.scenarios import set_visible_label
    from zhengwu.store import session_scope

    with session_scope() as s:
        return set_visible_label(s, caller, scenario_id, req.visible_label).to_dict()


@router.post("/api/scenarios/{scenario_id}/revoke")
def api_scenario_revoke(scenario_id: str, caller: Caller = Depends(get_caller)) -> dict:
    from zhengwu.gateway.scenarios import revoke_scenario
    from zhengwu.store import session_scope

    with session_scope() as s:
        return revoke_scenario(s, caller, scenario_id).to_dict()


# ----------------------------------------------------------------------------------------------- audit


@router.get("/api/audit/verify")
def api_audit_verify(caller: Caller = Depends(get_caller)) -> dict:
    from zhengwu.gateway import admin
    from zhengwu.store import session_scope

    require_auditor(caller)
    with session_scope() as s:
        return admin.verify(s).to_dict()


@router.get("/api/audit/export")
def api_audit_export(date_from: str = Query(..., alias="from"), date_to: str = Query(..., alias="to"),
                     fmt: str = Query("jsonl", alias="format"), caller: Caller = Depends(get_caller)) -> Response:
    from zhengwu.gateway import admin
    from zhengwu.store import session_scope

    require_auditor(caller)
    with session_scope() as s:
        body, _n = admin.export(s, caller, date_from=date_from, date_to=date_to, fmt=fmt)
    media = "text/csv" if fmt == "csv" else "application/x-ndjson"
    return Response(body, media_type=f"{media}; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="audit-{date_from}-{date_to}.{fmt}"'})


class ReviewRequest(BaseModel):
    decision: str = Field(..., description="approved | rejected | edited")
    note: str = ""


@router.post("/api/audit/{audit_id}/review")
def api_audit_review(audit_id: DbId, req: ReviewRequest, caller: Caller = Depends(get_caller)) -> dict:
    """Record a reviewer's decision on a generated output (human review before it leaves the platform)."""
    from zhengwu.gateway import admin
    from zhengwu.store import session_scope

    if caller.role not in ("admin", "auditor", "compliance", "officer"):
        raise Forbidden("reviewer_required", "只有审核人员可以记录审核结论。", "Only reviewers may record a review.")
    with session_scope() as s:
        rid = admin.record_review(s, caller, audit_id=audit_id, decision=req.decision, note=req.note)
    return {"audit_id": rid, "reviewed_audit_id": audit_id, "decision": req.decision, "reviewer": caller.user}
