"""HTTP routes of the qa area: ask (JSON), chat (server-sent events), feedback, conversations, guided service,
curated answers and hand-off drafts. Every answer carries ai_label + AIGC and its audit id."""

from __future__ import annotations

import json
from collections.abc import Iterator

from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from zhengwu.context import Caller
from zhengwu.web.deps import get_caller
from zhengwu.web.post_only import use_post

router = APIRouter(tags=["qa"])


class AskIn(BaseModel):
    question: str = Field("", description="问题 / the question")
    kb: str | None = Field(None, description="知识库名称 / knowledge base")
    conversation_id: str | None = Field(None, description="继续的会话 / conversation to continue")
    lang: str | None = Field(None, description="zh | en (默认跟随问题 / default: the question's language)")


class FeedbackIn(BaseModel):
    turn_id: int
    rating: int = Field(..., description="1 = 有帮助 helpful, -1 = 没帮助 not helpful")
    comment: str = ""


class GuideStartIn(BaseModel):
    item: str | None = None
    text: str | None = Field(None, description="用户原话，用于识别已给出的信息 / the user's own words")
    lang: str = "zh"


class GuideAnswerIn(BaseModel):
    state: dict
    question_id: str
    value: str


class PinIn(BaseModel):
    family: str = ""
    answer: str
    examples: list[str] = []
    keywords: list[str] = []
    citations: list[dict] = []


@router.post("/api/ask")
def api_ask(body: AskIn, caller: Caller = Depends(get_caller)) -> dict:
    """回答一个问题（JSON）/ answer one question (JSON)."""
    from zhengwu.qa.answer import ask

    return ask(body.question, caller=caller, kb=body.kb, conversation_id=body.conversation_id,
               lang=body.lang).to_dict()


def _sse(events: Iterator[tuple[str, dict]]) -> Iterator[str]:
    for event, data in events:
        yield f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def _stream(question: str, caller: Caller, kb: str | None, conversation_id: str | None,
            lang: str | None) -> StreamingResponse:
    from zhengwu.qa.answer import ask_stream

    return StreamingResponse(_sse(ask_stream(question, caller=caller, kb=kb, conversation_id=conversation_id,
                                             lang=lang)),
                             media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


@router.post("/api/chat")
def api_chat(body: AskIn, caller: Caller = Depends(get_caller)) -> StreamingResponse:
    """流式回答（SSE：meta、delta、done 或 error 事件）/ streamed answer as server-sent events."""
    return _stream(body.question, caller, body.kb, body.conversation_id, body.lang)


# the GET form (for EventSource) put the question into URLs that proxies log: refused with 405
router.add_api_route("/api/chat", use_post("/api/chat", '{"question": ...}'), methods=["GET"],
                     include_in_schema=False)


@router.post("/api/feedback")
def api_feedback(body: FeedbackIn, caller: Caller = Depends(get_caller)) -> dict:
    """对回答点赞/点踩 / thumbs up or down on an answer."""
    from zhengwu.qa.store import add_feedback
    from zhengwu.store import session_scope

    with session_scope() as s:
        fb = add_feedback(s, caller, turn_id=body.turn_id, rating=body.rating, comment=body.comment)
        return {"id": fb.id, "turn_id": fb.turn_id, "rating": fb.rating}


@router.get("/api/conversations/{conversation_id}")
def api_conversation(conversation_id: str, caller: Caller = Depends(get_caller)) -> dict:
    from zhengwu.qa.store import conversation_turns
    from zhengwu.store import session_scope

    with session_scope() as s:
        turns = conversation_turns(s, caller, conversation_id)
        return {"conversation_id": conversation_id, "turns": [
            {"id": t.id, "question": t.question, "answer": t.answer, "mode": t.mode, "no_basis": t.no_basis,
             "citations": t.citations, "audit_id": t.audit_id} for t in turns]}


@router.get("/api/guide/services")
def api_guide_services() -> list[dict]:
    """可导办的事项 / service items with a guided flow."""
    from zhengwu.qa.guide import list_services

    return list_services()


@router.post("/api/guide/start")
def api_guide_start(body: GuideStartIn) -> dict:
    """开始导办（可给出用户原话以识别事项和已知信息）/ start a guided flow."""
    from zhengwu.errors import ZhengwuError
    from zhengwu.qa import guide

    item = body.item or guide.find_service(body.text or "")
    if not item:
        raise ZhengwuError("guide_unknown", "没有识别出要办理的事项，请从列表中选择。",
                           "The service could not be recognised; choose one from the list.")
    return guide.next_step(guide.start(item, body.text, body.lang))


@router.post("/api/guide/answer")
def api_guide_answer(body: GuideAnswerIn) -> dict:
    """回答导办问题，返回下一个问题或办事清单 / answer a question; get the next one or the checklist."""
    from zhengwu.qa import guide

    return guide.next_step(guide.answer(body.state, body.question_id, body.value))


@router.get("/api/qa/pins")
def api_pins(caller: Caller = Depends(get_caller)) -> list[dict]:
    from zhengwu.qa.store import list_pinned, pinned_dict
    from zhengwu.store import session_scope

    with session_scope() as s:
        return [pinned_dict(p) for p in list_pinned(s, caller)]


@router.post("/api/qa/pins")
def api_pin(body: PinIn, caller: Caller = Depends(get_caller)) -> dict:
    """管理员固定审定答案 / pin an approved answer (administrators)."""
    from zhengwu.qa.store import pin_answer, pinned_dict
    from zhengwu.store import session_scope

    with session_scope() as s:
        return pinned_dict(pin_answer(s, caller, family=body.family, answer=body.answer, examples=body.examples,
                                      keywords=body.keywords, citations=body.citations))


@router.get("/api/qa/handoffs")
def api_handoffs(status: str | None = None, caller: Caller = Depends(get_caller)) -> list[dict]:
    """转 12345 热线的工单草稿 / hotline hand-off ticket drafts."""
    from zhengwu.errors import Forbidden
    from zhengwu.qa.store import handoff_dict, list_handoffs
    from zhengwu.store import session_scope

    if caller.role not in ("admin", "compliance", "agent", "officer"):
        raise Forbidden("staff_only", "仅工作人员可查看工单草稿。", "Only staff can read hand-off drafts.")
    with session_scope() as s:
        return [handoff_dict(t) for t in list_handoffs(s, caller, status)]

