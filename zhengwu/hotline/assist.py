"""Agent assist: knowledge recommendations for the ticket at hand, and a reply draft, both governed and labelled.

Why it is shaped like this:
- Recommendations are the department's own knowledge base searched with the ticket's text, masked by the door
  first (`govern(..., "hotline_assist")`, one audit record per recommendation); only documents in force are
  offered, since an agent reads them out as current policy.
- A draft always exists: from a template per request type (`data/reply_templates.json`, 咨询/求助/投诉/举报/
  建议/表扬) filled with the ticket's fields and the top knowledge passage; when a generative model is
  configured it writes the draft instead through the door (`govern(..., "hotline_reply")`), from the same
  facts and passages, and the template remains the fallback when the model fails. Search and model call are
  steps of one interaction: one audit record per draft. Every draft carries the AI label (GB 45438-2025)
  and the scenario asks for human review: the agent edits and sends it, never the platform.
- The caller's name and contact never reach a model: the facts sent are built from the ticket's subject
  fields only, and any occurrence of the name or contact inside the free text is replaced before the door
  (which then masks whatever else looks personal).
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from zhengwu.context import Caller
from zhengwu.errors import ZhengwuError
from zhengwu.gateway import Governed, govern
from zhengwu.hotline.models import REQUEST_TYPES, URGENCIES
from zhengwu.hotline.quality import appeal_points, point_matches
from zhengwu.hotline.workflow import deadline_days
from zhengwu.kb.search import MAX_QUERY_CHARS, search
from zhengwu.store.db import session_scope

DATA = Path(__file__).parent / "data"
PROMPT = Path(__file__).parent / "prompts" / "reply_draft.txt"
PASSAGE_CHARS = 160
# a passage answers the appeal when one of its points finds half its content words, and at least two, in it
ANSWER_THRESHOLD, ANSWER_MIN_WORDS = 0.5, 2
MAX_TEXT_CHARS = 20000
# a transcript's agent turns ("坐席：您好，12345……") say nothing about the matter: searched without them
_AGENT_TURN = re.compile(r"^\s*(?:坐席|话务员|客服|接线员|工作人员|热线)\s*[：:]")
_SPEAKER = re.compile(r"^\s*(?:市民|来电人|来电者|群众|用户|网友|居民|caller|citizen)\s*[：:]\s*", re.I)


@lru_cache(maxsize=1)
def templates() -> dict:
    """The bundled reply templates (read once)."""
    return json.loads((DATA / "reply_templates.json").read_text(encoding="utf-8"))


def _value(v: Any) -> Any:
    """A ticket field whether given plain or as an extract Field ({value, span, confidence})."""
    if isinstance(v, dict) and "value" in v:
        return v["value"]
    return getattr(v, "value", v)


def _text(ticket: dict, key: str) -> str:
    v = _value(ticket.get(key))
    if isinstance(v, dict):  # a parsed location
        v = v.get("text") or "".join(str(v.get(k) or "") for k in ("province", "city", "district", "street",
                                                                    "community", "detail"))
    return str(v).strip() if v not in (None, "") else ""


def without_caller(ticket: dict, text: str) -> str:
    """`text` with the ticket's caller name and contact replaced by neutral words (before any model sees it)."""
    for key, word in (("caller_name", "来电人"), ("contact", "[联系方式]")):
        v = _text(ticket, key)
        if len(v) >= 2:
            text = text.replace(v, word)
    return text


def citizen_text(text: str) -> str:
    """What the citizen said: a transcript without its agent turns and speaker labels; other text as it is."""
    lines = text.splitlines()
    if not any(_AGENT_TURN.match(line) for line in lines):
        return text
    return "\n".join(_SPEAKER.sub("", line) for line in lines if not _AGENT_TURN.match(line))


def _query_text(text: str) -> str:
    text = re.sub(r"\s+", " ", citizen_text(text)).strip()
    return text[:MAX_QUERY_CHARS]


def _hit_dict(rank: int, h: Any) -> dict:
    passage = re.sub(r"\s+", " ", h.text).strip()
    return {"rank": rank, "title": h.title, "doc_number": h.doc_number, "issuer": h.issuer, "kb": h.kb,
            "document_id": h.document_id, "chunk_id": h.chunk_id, "heading_path": h.heading_path,
            "passage": passage, "score": round(float(h.score), 4), "validity": h.validity,
            "pub_date": h.pub_date.isoformat() if h.pub_date else None}


def answers_appeal(appeal: str, hit: dict) -> list[str]:
    """The words by which a knowledge hit answers a point of the appeal ([] = it does not: it is offered to the
    agent as possibly related, but never quoted in a draft). The same measure as the quality check's."""
    text = f"{hit.get('title', '')}\n{hit.get('passage', '')}"
    for point, _span in appeal_points(appeal):
        _kws, matched, enough = point_matches(point, text, threshold=ANSWER_THRESHOLD, min_words=ANSWER_MIN_WORDS)
        if enough and len(matched) >= ANSWER_MIN_WORDS:
            return matched
    return []


def _check_text(text: Any, what_zh: str, what_en: str) -> str:
    if not isinstance(text, str) or not text.strip():
        raise ZhengwuError("empty_text", f"{what_zh}为空。", f"The {what_en} is empty.")
    if len(text) > MAX_TEXT_CHARS:
        raise ZhengwuError("text_too_long", f"{what_zh}过长（{len(text)} 字，上限 {MAX_TEXT_CHARS} 字）。",
                           f"The {what_en} is too long ({len(text)} characters, limit {MAX_TEXT_CHARS}).")
    return text


def recommend(caller: Caller, text: str, k: int = 5) -> list[dict]:
    """Up to `k` passages of the caller's department's knowledge bases (documents in force) for the ticket text,
    best first; the text is masked by the door before anything else sees it."""
    _check_text(text, "工单内容", "ticket text")
    k = max(1, min(int(k), 20))
    with govern(caller, "hotline_assist", input=text, decisions="off") as g:
        hits = _search(caller, g, g.masked, k)
        g.finish(action="recommend", sources=[{"document_id": h["document_id"], "chunk_id": h["chunk_id"],
                                               "title": h["title"], "score": h["score"]} for h in hits],
                 extra={"hits": len(hits)})
    return hits


def _search(caller: Caller, g: Governed, masked: str, k: int) -> list[dict]:
    q = _query_text(masked)
    if not q:
        return []
    with session_scope() as s:
        found = search(s, caller, q, k=k, validity=["effective"], gov=g)
        hits = [_hit_dict(i, h) for i, h in enumerate(found, 1)]
    for h in hits:
        h["answers_appeal"] = answers_appeal(q, h)
    return hits


def _deadline(ticket: dict, request_type: str) -> str:
    """The ticket's deadline as a date, or the working days its type and urgency allow (hotline_deadline_days)."""
    v = _value(ticket.get("deadline"))
    if isinstance(v, str) and v:
        try:
            v = datetime.fromisoformat(v)
        except ValueError:
            v = None
    if isinstance(v, (datetime, date)):
        return f"{v.year}年{v.month}月{v.day}日前"
    urgency = _text(ticket, "urgency")
    return f"{deadline_days(request_type, urgency if urgency in URGENCIES else '一般')}个工作日内"


def _passage(p: str) -> str:
    """The first sentences of a passage, up to PASSAGE_CHARS (never cut inside a sentence when avoidable)."""
    if len(p) <= PASSAGE_CHARS:
        return p
    cut = max(p.rfind(c, 0, PASSAGE_CHARS) for c in "。；;！？")
    return p[:cut + 1] if cut > 40 else p[:PASSAGE_CHARS] + "……"


def facts(ticket: dict) -> dict:
    """The ticket's subject fields a draft is made from (never the caller's name or contact)."""
    t = templates()
    text = without_caller(ticket, _text(ticket, "text"))
    summary = _text(ticket, "summary") or _text(ticket, "title") or text[:40]
    rtype = _text(ticket, "request_type")
    rtype = rtype if rtype in REQUEST_TYPES else "咨询"
    path = _value(ticket.get("category_path")) or []
    return {
        "request_type": rtype,
        "summary": without_caller(ticket, summary).rstrip("。"),
        "appeal": without_caller(ticket, _text(ticket, "appeal") or summary).rstrip("。"),
        "place": without_caller(ticket, _text(ticket, "location") or _text(ticket, "location_text")),
        "category": " / ".join(str(p) for p in path) if isinstance(path, list) else str(path),
        "department": _text(ticket, "responsible_department") or t["no_department"],
        "deadline": _deadline(ticket, rtype),
        "text": text,
    }


def template_draft(f: dict, knowledge: list[dict]) -> str:
    """The draft of the request type's template, filled with the facts and the top passage that answers."""
    t = templates()
    kn = ""
    if knowledge:
        top = knowledge[0]
        title = str(top.get("title") or "").strip("《》")
        number = str(top.get("doc_number") or "")
        kn = t["knowledge"].format(title=title, doc_number=f"（{number}）" if number else "",
                                   passage=_passage(str(top["passage"])))
    values = {**f, "knowledge": kn}
    return re.sub(r"\{(\w+)\}", lambda m: str(values.get(m.group(1), "")), t["types"][f["request_type"]])


def _model_draft(g: Governed, f: dict, knowledge: list[dict]) -> str | None:
    """The model's draft through the door, or None (no model, a failure, or blocked output): the template then."""
    if not Governed.generative() or g.decision_note:
        return None
    lines = [f"诉求类型：{f['request_type']}", f"分类：{f['category'] or '未定'}", f"地点：{f['place'] or '未提供'}",
             f"诉求摘要：{f['summary']}", f"诉求：{f['appeal']}", f"承办单位：{f['department']}",
             f"答复时限：{f['deadline']}", f"工单原文：{f['text'][:1500]}"]
    sources = [{"title": k["title"], "doc_number": k["doc_number"], "text": k["passage"]} for k in knowledge[:3]]
    try:
        reply = g.chat([{"role": "system", "content": PROMPT.read_text(encoding="utf-8")},
                        {"role": "user", "content": "\n".join(lines)}], sources=sources or None)
    except ZhengwuError as exc:
        g.checks.append(f"model_failed:{exc.code}")
        return None
    if reply.blocked or not reply.text.strip():
        g.checks.append("model_draft_unusable")
        return None
    return reply.text.strip()


def draft_reply(caller: Caller, ticket: dict, *, knowledge: list[dict] | None = None) -> dict:
    """A labelled reply draft for `ticket` (its fields as a dict; extract Fields are accepted too).

    `knowledge` is the recommendation list if the caller already has it; otherwise the department's knowledge
    base is searched as a step of this interaction. Only passages that answer a point of the appeal are quoted
    or given to the model. Returns text, label, audit_id, generated (a model wrote it), request_type, sources,
    review_required and the AIGC metadata."""
    if not isinstance(ticket, dict):
        raise ZhengwuError("bad_ticket", "工单须为对象（字段名到值）。", "The ticket must be an object (field name to value).")
    f = facts(ticket)
    if not (f["text"] or f["summary"]):
        raise ZhengwuError("empty_ticket", "工单没有内容（摘要、诉求或原文），无法起草答复。",
                           "The ticket has no content (summary, appeal or text) to draft a reply from.")
    _check_text(f["text"] or f["summary"], "工单内容", "ticket text")
    subject = "\n".join(dict.fromkeys(v for v in (f["summary"], f["appeal"], citizen_text(f["text"])) if v))
    with govern(caller, "hotline_reply", input=subject, decisions="note") as g:
        if knowledge is None:
            knowledge = _search(caller, g, g.masked, 3)
        appeal = "\n".join(dict.fromkeys((f["appeal"], citizen_text(f["text"]))))
        knowledge = [k for k in knowledge if isinstance(k, dict) and k.get("passage") and answers_appeal(appeal, k)]
        text = _model_draft(g, f, knowledge)
        generated = text is not None
        if text is None:
            text = template_draft(f, knowledge)
        sources = [{"document_id": k.get("document_id"), "title": k.get("title"), "doc_number": k.get("doc_number")}
                   for k in knowledge[:3]]
        out = g.finish(output=text, action="draft", sources=sources,
                       extra={"generated": generated, "request_type": f["request_type"]})
    return {"text": text, "label": out.label, "audit_id": out.audit_id, "generated": generated,
            "request_type": f["request_type"], "sources": sources, "review_required": out.review_required,
            "decision_note": g.decision_note, "AIGC": out.aigc.get("AIGC", out.aigc)}
