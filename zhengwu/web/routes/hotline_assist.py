"""The agent workspace (/hotline) and its assist API: knowledge recommendations, reply drafts, quality checks.

REST (JSON): POST /api/hotline/recommend, /api/hotline/draft, /api/hotline/quality.
Page: GET /hotline; htmx fragments POST /hotline/analyse (transcript → filled ticket, category, department,
knowledge, draft), /hotline/quality (the agent's reply → checklist results), /hotline/save (the confirmed
ticket). The page works without JavaScript too: every form posts and gets the whole page back.

Who: agents and administrators of a department (WORKSPACE_ROLES); anyone else signed in gets 403, an
anonymous visitor the login page. Form filling, classification and ticket storage belong to their own modules
(zhengwu.hotline.extract / classify / dispatch / tickets); this module only puts them side by side, and a step
that fails (no classifier trained, an empty knowledge base) shows its reason in its place while the others run.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from zhengwu.context import Caller
from zhengwu.errors import Forbidden, ZhengwuError
from zhengwu.hotline.assist import MAX_TEXT_CHARS as MAX_TEXT
from zhengwu.hotline.models import REQUEST_TYPES, URGENCIES
from zhengwu.web.deps import get_caller
from zhengwu.web.routes.admin_common import guard
from zhengwu.web.templating import render

router = APIRouter(tags=["hotline"])
log = logging.getLogger("zhengwu.hotline")

WORKSPACE_ROLES = ("agent", "admin")
TICKET_FIELDS = ("caller_name", "contact", "location", "request_type", "summary", "appeal", "urgency", "time")


def workspace_caller(caller: Caller = Depends(get_caller)) -> Caller:
    """The caller of an assist endpoint: an agent or administrator (403 otherwise, 401 when anonymous)."""
    if caller.user == "anonymous":
        raise ZhengwuError("login_required", "请先登录。", "Please sign in first.", status=401)
    if caller.role not in WORKSPACE_ROLES:
        raise Forbidden("forbidden_role", "坐席工作台仅供本部门坐席和管理员使用。",
                        "The agent workspace is for the department's agents and administrators only.")
    return caller


class RecommendIn(BaseModel):
    text: str = Field(..., max_length=MAX_TEXT, description="工单内容或通话记录 / ticket text or call transcript")
    k: int = Field(5, ge=1, le=20)


class DraftIn(BaseModel):
    ticket: dict = Field(..., description="工单字段（summary、appeal、request_type、text …）/ ticket fields")
    knowledge: list[dict] | None = Field(None, description="已取得的知识推荐 / recommendations already fetched")


class QualityIn(BaseModel):
    reply: str = Field(..., max_length=MAX_TEXT, description="坐席答复或处置说明 / the agent's reply or disposition")
    appeal: str = Field("", max_length=MAX_TEXT, description="来电人的诉求 / what the caller asked for")


@router.post("/api/hotline/recommend")
def api_recommend(body: RecommendIn, caller: Caller = Depends(workspace_caller)) -> dict:
    """知识推荐 / knowledge recommendations for a ticket (the department's knowledge bases, documents in force)."""
    from zhengwu.hotline.assist import recommend

    return {"hits": recommend(caller, body.text, body.k)}


@router.post("/api/hotline/draft")
def api_draft(body: DraftIn, caller: Caller = Depends(workspace_caller)) -> dict:
    """答复草稿 / a labelled reply draft (template, or a model through the gateway when configured)."""
    from zhengwu.hotline.assist import draft_reply

    return draft_reply(caller, body.ticket, knowledge=body.knowledge)


@router.post("/api/hotline/quality")
def api_quality(body: QualityIn, caller: Caller = Depends(workspace_caller)) -> dict:
    """答复质检 / quality inspection of a reply against the checklist, with evidence."""
    from zhengwu.hotline.quality import inspect

    return inspect(body.reply, appeal=body.appeal).to_dict()


# --- the page ---------------------------------------------------------------------------------------------

def segments(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[str, str | None]]:
    """`text` cut into (piece, field) segments so each field's source span can be marked; overlaps are dropped
    (the first span wins), spans outside the text ignored."""
    out, pos = [], 0
    for start, end, name in sorted((s for s in spans if 0 <= s[0] < s[1] <= len(text)), key=lambda s: s[0]):
        if start < pos:
            continue
        if start > pos:
            out.append((text[pos:start], None))
        out.append((text[start:end], name))
        pos = end
    if pos < len(text):
        out.append((text[pos:], None))
    return out


def _classify(caller: Caller, title: str, text: str, area: str | None) -> tuple[list[dict], str | None, str | None]:
    """Top-3 categories and the responsible department, or a note when classification failed."""
    from zhengwu.hotline import classify, dispatch

    try:
        sugg = classify.suggest(caller, title, text, k=3)
    except ZhengwuError as exc:
        return [], None, f"{exc.zh} / {exc.en}"
    cats = [{"code": s.code, "path": list(s.path), "confidence": round(float(s.confidence), 2)} for s in sugg]
    dept = dispatch.department_for(caller, cats[0]["path"], area) if cats else None
    return cats, dept, None


def analyse(caller: Caller, transcript: str) -> dict:
    """Everything the workspace shows for a transcript: the filled fields with their spans, category top-3 and
    department, knowledge and a reply draft (each step's failure is shown in its place, the others still run)."""
    from zhengwu.hotline.assist import draft_reply, recommend, without_caller
    from zhengwu.hotline.extract import fill

    filled = fill(transcript)
    fields = {name: getattr(filled, name).as_dict() for name in TICKET_FIELDS + ("confidential",)}
    loc = fields["location"]["value"] or {}
    spans = [(f["span"][0], f["span"][1], name) for name, f in fields.items() if f.get("span")]
    summary = fields["summary"]["value"] or ""
    out: dict[str, Any] = {"transcript": transcript, "fields": fields, "segments": segments(transcript, spans),
                           "candidates": filled.location_candidates, "emergency": filled.emergency, "errors": {}}
    out["categories"], out["department"], note = _classify(caller, summary, transcript, loc.get("district") or None)
    if note:
        out["errors"]["classify"] = note
    try:
        out["knowledge"] = recommend(caller, without_caller({k: f["value"] for k, f in fields.items()}, transcript), 5)
    except ZhengwuError as exc:
        out["knowledge"], out["errors"]["knowledge"] = [], f"{exc.zh} / {exc.en}"
    ticket = {**{k: f["value"] for k, f in fields.items()}, "text": transcript,
              "responsible_department": out["department"],
              "category_path": out["categories"][0]["path"] if out["categories"] else []}
    try:
        out["draft"] = draft_reply(caller, ticket, knowledge=out["knowledge"])
    except ZhengwuError as exc:
        out["draft"], out["errors"]["draft"] = None, f"{exc.zh} / {exc.en}"
    return out


def _page(request: Request, status_code: int = 200, **ctx: Any):  # noqa: ANN202
    base = {"result": None, "quality": None, "saved": None, "error": None, "transcript": "", "reply": "",
            "appeal": "", "request_types": REQUEST_TYPES, "urgencies": URGENCIES}
    return render(request, "hotline_workspace.html", status_code=status_code, **{**base, **ctx})


def _fragment_or_page(request: Request, fragment: str, status_code: int = 200, **ctx: Any):  # noqa: ANN202
    if request.headers.get("hx-request"):
        return render(request, fragment, status_code=status_code, **ctx)
    return _page(request, status_code=status_code, **ctx)


@router.get("/hotline", include_in_schema=False)
def hotline_page(request: Request) -> Response:
    caller, refusal = guard(request, WORKSPACE_ROLES)
    return refusal or _page(request)


@router.post("/hotline/analyse", include_in_schema=False)
async def hotline_analyse(request: Request) -> Response:
    caller, refusal = guard(request, WORKSPACE_ROLES)
    if refusal:
        return refusal
    transcript = str((await request.form()).get("transcript") or "").strip()
    if not transcript:
        return _fragment_or_page(request, "hotline_workspace_result.html", result=None, transcript="")
    if len(transcript) > MAX_TEXT:
        err = ZhengwuError("text_too_long", f"通话记录过长（{len(transcript)} 字，上限 {MAX_TEXT} 字）。",
                           f"The transcript is too long ({len(transcript)} characters, limit {MAX_TEXT}).")
        return _fragment_or_page(request, "hotline_workspace_result.html", status_code=400, result=None, error=err,
                                 transcript=transcript[:MAX_TEXT])
    return _fragment_or_page(request, "hotline_workspace_result.html", result=analyse(caller, transcript),
                             transcript=transcript, error=None)


@router.post("/hotline/quality", include_in_schema=False)
async def hotline_quality(request: Request) -> Response:
    caller, refusal = guard(request, WORKSPACE_ROLES)
    if refusal:
        return refusal
    from zhengwu.hotline.quality import inspect

    form = await request.form()
    reply, appeal = str(form.get("reply") or ""), str(form.get("appeal") or "")
    try:
        report, error = inspect(reply, appeal=appeal).to_dict(), None
    except ZhengwuError as exc:
        report, error = None, exc
    if report:
        report["segments"] = segments(reply, [(e["span"][0], e["span"][1], i["id"]) for i in report["items"]
                                              for e in i["evidence"] if e["span"] and e["source"] == "reply"])
    return _fragment_or_page(request, "hotline_workspace_quality.html", status_code=error.status if error else 200,
                             quality=report, error=error, reply=reply, appeal=appeal)


@router.post("/hotline/save", include_in_schema=False)
async def hotline_save(request: Request) -> Response:
    """Save the ticket as the agent confirmed or corrected it (the tickets service validates and stores it)."""
    caller, refusal = guard(request, WORKSPACE_ROLES)
    if refusal:
        return refusal
    form = await request.form()
    data: dict[str, Any] = {k: str(form.get(k) or "").strip() for k in
                            ("caller_name", "contact", "location_text", "request_type", "summary", "appeal",
                             "urgency", "text", "responsible_department")}
    data["event_time"] = str(form.get("time") or "").strip()
    data["confidential"] = form.get("confidential") in ("1", "on", "true")
    data["channel"] = "电话"
    data["category_path"] = [p for p in str(form.get("category_path") or "").split(" / ") if p]
    if data["location_text"]:  # the address as the agent left it, parsed again (it may have been corrected)
        from zhengwu.hotline.address import parse

        parts = parse(data["location_text"])
        data.update({k: parts[k] for k in ("province", "city", "district", "street", "community", "detail")
                     if parts.get(k)})
    data = {k: v for k, v in data.items() if v not in ("", None, [])}
    from zhengwu.hotline.tickets import create_ticket

    try:
        saved, error = create_ticket(caller, data), None
        if data.get("category_path") and data.get("text"):
            _learn(caller, data)
    except ZhengwuError as exc:
        saved, error = None, exc
    return _fragment_or_page(request, "hotline_workspace_saved.html", status_code=error.status if error else 200,
                             saved=saved, error=error)


def _learn(caller: Caller, data: dict) -> None:
    """The agent's chosen category is a correction the classifier learns from."""
    from zhengwu.hotline.classify import record_correction

    try:
        record_correction(caller, data.get("summary", ""), data["text"], data["category_path"])
    except ZhengwuError as exc:  # learning is a side effect: the ticket is saved either way
        log.warning("correction not recorded: %s", exc.code)
