"""Conversation store: conversations and turns, feedback, pinned (curated) answers, hotline ticket drafts.

Why here and not in the answering code: the web page, the CLI chat and the API all continue the same
conversation by id, and administrators manage pinned answers and read ticket drafts from several places.
Everything is scoped by the caller's department.
"""

from __future__ import annotations

import re
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhengwu.context import Caller
from zhengwu.errors import Forbidden, NotFound, ZhengwuError
from zhengwu.qa.models import Conversation, Feedback, HandoffTicket, PinnedAnswer, Turn

HISTORY_TURNS = 6  # earlier turns used to rewrite a follow-up


def get_or_create_conversation(session: Session, caller: Caller, conversation_id: str | None, *,
                               kb: str | None = None, language: str = "zh") -> Conversation:
    if conversation_id:
        conv = session.get(Conversation, conversation_id)
        if conv is not None and conv.department == caller.department:
            return conv
        if conv is not None:  # another department's conversation: start a fresh one rather than leak it
            conversation_id = None
    cid = conversation_id if conversation_id and re.fullmatch(r"[0-9a-f]{32}", conversation_id) else uuid.uuid4().hex
    # not added to the session yet: `keep_conversation` stores it with the turn's own writes at the end. Written
    # here, its INSERT would take SQLite's one write lock for the whole time the question is being answered, and
    # every other question (and an ingestion's batches) would wait on it.
    return Conversation(id=cid, department=caller.department, user=caller.user, kb=kb, language=language)


def keep_conversation(session: Session, conv: Conversation) -> str:
    """Store a new conversation (a no-op for a stored one) -> its id; called just before the first row that
    refers to it (a turn, a hand-off ticket), so the turn's writes come together at its end."""
    session.add(conv)
    session.flush()
    return conv.id


def history(session: Session, conversation_id: str, limit: int = HISTORY_TURNS) -> list[dict]:
    """Earlier turns, oldest first: [{"question", "rewritten", "topic", "answer", "id", "no_basis", "cited", "expired"}];
    `rewritten`: the question as it was read on its own (a correction or "还有别的吗" asks it again); `cited`:
    the ids of the current documents the answer cited (a follow-up is answered from them first: qa/followup.py);
    `expired`: those of the documents an expired reply named (a follow-up on the same matter gets that reply again)."""
    rows = session.scalars(select(Turn).where(Turn.conversation_id == conversation_id)
                           .order_by(Turn.ordinal.desc()).limit(limit)).all()
    return [{"question": t.question, "rewritten": t.rewritten or t.question, "topic": t.topic, "answer": t.answer,
             "id": t.id, "no_basis": t.no_basis,
             "cited": [c.get("docid") for c in t.citations or [] if isinstance(c, dict) and c.get("current", True)],
             "expired": [c.get("docid") for c in t.citations or [] if isinstance(c, dict) and not c.get("current", True)]}
            for t in reversed(rows)]


def add_turn(session: Session, caller: Caller, conv: Conversation, **fields: object) -> Turn:
    last = session.scalar(select(Turn.ordinal).where(Turn.conversation_id == conv.id).order_by(Turn.ordinal.desc())
                          .limit(1))
    keep_conversation(session, conv)
    turn = Turn(conversation_id=conv.id, department=caller.department, ordinal=(last or 0) + 1, **fields)
    session.add(turn)
    if fields.get("topic"):
        conv.topic = str(fields["topic"])
    session.flush()
    return turn


def conversation_turns(session: Session, caller: Caller, conversation_id: str) -> list[Turn]:
    conv = session.get(Conversation, conversation_id)
    if conv is None or conv.department != caller.department:
        raise NotFound("conversation_not_found", "找不到该会话。", "Conversation not found.")
    return list(session.scalars(select(Turn).where(Turn.conversation_id == conversation_id).order_by(Turn.ordinal)))


def add_feedback(session: Session, caller: Caller, *, turn_id: int, rating: int, comment: str = "") -> Feedback:
    turn = session.get(Turn, turn_id)
    if turn is None or turn.department != caller.department:
        raise NotFound("turn_not_found", "找不到要评价的回答。", "The answer to rate was not found.")
    if rating not in (1, -1):
        raise ZhengwuError("bad_rating", "评价只能是 1（有帮助）或 -1（没帮助）。",
                           "The rating must be 1 (helpful) or -1 (not helpful).")
    fb = Feedback(turn_id=turn_id, conversation_id=turn.conversation_id, department=caller.department,
                  rating=rating, comment=(comment or "")[:2000], user=caller.user)
    session.add(fb)
    session.flush()
    return fb


# --- hotline hand-off ---------------------------------------------------------------------------------------

def create_handoff(session: Session, caller: Caller, *, question: str, conversation_id: str | None,
                   reason: str = "no_basis") -> HandoffTicket:
    """A ticket draft for the 12345 hotline (the question is already PII-masked)."""
    t = HandoffTicket(department=caller.department, conversation_id=conversation_id, question=question[:4000],
                      reason=reason, status="draft")
    session.add(t)
    session.flush()
    return t


def list_handoffs(session: Session, caller: Caller, status: str | None = None) -> list[HandoffTicket]:
    q = select(HandoffTicket).where(HandoffTicket.department == caller.department)
    if status:
        q = q.where(HandoffTicket.status == status)
    return list(session.scalars(q.order_by(HandoffTicket.id.desc())))


def handoff_dict(t: HandoffTicket) -> dict:
    return {"id": t.id, "question": t.question, "conversation_id": t.conversation_id, "department": t.department,
            "reason": t.reason, "status": t.status, "channel": t.channel,
            "created_at": t.created_at.isoformat() if t.created_at else None}


# --- pinned (curated) answers ------------------------------------------------------------------------------

def _require_admin(caller: Caller) -> None:
    if not caller.is_admin:
        raise Forbidden("admin_only", "只有管理员可以管理审定答案。", "Only administrators can manage curated answers.")


def pin_answer(session: Session, caller: Caller, *, family: str, answer: str, examples: list[str] | None = None,
               keywords: list[str] | None = None, citations: list[dict] | None = None) -> PinnedAnswer:
    _require_admin(caller)
    examples = [e.strip() for e in (examples or []) if e.strip()]
    keywords = [k.strip() for k in (keywords or []) if k.strip()]
    if not answer.strip() or not (examples or keywords):
        raise ZhengwuError("pin_incomplete", "审定答案需要答案正文，以及至少一个示例问题或关键词。",
                           "A curated answer needs its text and at least one example question or keyword.")
    p = PinnedAnswer(department=caller.department, family=family.strip() or examples[0][:100], examples=examples,
                     keywords=keywords, answer=answer.strip(), citations=citations or [], created_by=caller.user)
    session.add(p)
    session.flush()
    return p


def list_pinned(session: Session, caller: Caller) -> list[PinnedAnswer]:
    return list(session.scalars(select(PinnedAnswer).where(PinnedAnswer.department == caller.department,
                                                           PinnedAnswer.active.is_(True))
                                .order_by(PinnedAnswer.id)))


def unpin(session: Session, caller: Caller, pin_id: int) -> None:
    _require_admin(caller)
    p = session.get(PinnedAnswer, pin_id)
    if p is None or p.department != caller.department:
        raise NotFound("pin_not_found", "找不到该审定答案。", "Curated answer not found.")
    p.active = False


def pinned_dict(p: PinnedAnswer) -> dict:
    return {"id": p.id, "family": p.family, "examples": p.examples, "keywords": p.keywords, "answer": p.answer,
            "citations": p.citations, "created_by": p.created_by}


def _bigrams(text: str) -> set[str]:
    t = re.sub(r"[\W_]+", "", text.lower())
    return {t[i:i + 2] for i in range(len(t) - 1)}


MATCH_THRESHOLD = 0.6


def match_pinned(session: Session, caller: Caller, question: str) -> tuple[PinnedAnswer, float] | None:
    """The pinned answer whose family matches `question` closely (example similarity or all keywords)."""
    qb = _bigrams(question)
    best: tuple[PinnedAnswer, float] | None = None
    for p in list_pinned(session, caller):
        score = 0.0
        if p.keywords and all(k.lower() in question.lower() for k in p.keywords):
            score = 1.0
        for ex in p.examples or []:
            eb = _bigrams(ex)
            if qb and eb:
                score = max(score, len(qb & eb) / len(qb | eb) * 1.0, len(qb & eb) / max(len(eb), len(qb)))
        if score >= MATCH_THRESHOLD and (best is None or score > best[1]):
            best = (p, score)
    return best
