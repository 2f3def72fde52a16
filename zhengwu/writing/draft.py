"""Drafting a 公文 (or a 新闻稿) from its type, recipients and key points.

The result is a SPEC dict (the element fields GONGWEN's ``load_spec`` / ``render_docx`` take), so a draft
goes straight to the renderer and the format checker. With a generative model (scenario ``doc_draft``,
through the gateway) the model writes the title and body and the draft is labelled as AI-generated; without
one, a structured skeleton is built from the type's standard formulas (its ``DocType`` in ``doctypes``) and the points,
which is template output, not AI synthesis, and is not labelled.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field

from zhengwu.gateway import Governed
from zhengwu.context import Caller
from zhengwu.errors import ZhengwuError
from zhengwu.writing import assist
from zhengwu.writing.doctypes import DocType, get_doctype

HEADING_NUMERALS = "一二三四五六七八九十"
MAX_POINTS = 30
MAX_TITLE_CHARS = 80  # as zhengwu.writing.spec
MAX_POINT_CHARS = 2000
_END_PUNCT = "。！？；：…"
_VERB_LEAD = re.compile(r"^(做好|加强|推进|开展|申请|进一步|落实|规范|建立|完善|促进|提高|切实|深化|加快|实施|推动|组织|调整|设立|支持)")


def chinese_index(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (heading numbers up to 99)."""
    if n <= 10:
        return HEADING_NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else HEADING_NUMERALS[tens - 1]
    return head + "十" + (HEADING_NUMERALS[ones - 1] if ones else "")


def today_cn(day: _dt.date | None = None) -> str:
    """A 成文日期 in Arabic numerals without leading zeros: 2026年3月5日."""
    d = day or _dt.date.today()
    return f"{d.year}年{d.month}月{d.day}日"


def _sentence(text: str) -> str:
    t = text.strip()
    return t if not t or t[-1] in _END_PUNCT else t + "。"


def derive_subject(points: list[str]) -> str:
    """A 事由 for the title when none is given: the first clause of the first point, without 做好/加强 lead."""
    first = re.split(r"[，。；：,;:！？\n]", points[0].strip(), maxsplit=1)[0] if points else ""
    return first[:24]


def compose_title(issuer: str, subject: str, doc_type: str) -> str:
    """发文机关 + 关于 + 事由 + 的 + 文种 (a 新闻稿 headline is the subject itself)."""
    dt = get_doctype(doc_type)
    if not dt.gongwen:
        return subject
    suffix = dt.name
    subject = subject.strip().rstrip("。")
    if issuer and subject.startswith(issuer):  # "国务院办公厅关于…" given as the subject
        subject = subject[len(issuer):]
    subject = re.sub(r"^关于", "", subject)
    subject = re.sub(f"的?{suffix}$", "", subject).rstrip("的") if suffix else subject
    return f"{issuer}关于{subject}的{suffix}"


def _opening(doc_type: str, subject: str, opening: str) -> str:
    if doc_type == "批复":
        return f"你单位《关于{subject}的请示》收悉。{opening}"
    if not opening:
        return ""
    if _VERB_LEAD.match(subject):  # "做好春节期间安全生产" / "申请试点资金": already a purpose
        purpose = subject + ("工作" if subject.startswith("做好") and not subject.endswith("工作") else "")
        return f"为{purpose}，{opening}"
    purpose = subject if subject.endswith("工作") else f"{subject}工作"
    return f"为做好{purpose}，{opening}"


def skeleton_body(doc_type: str, subject: str, points: list[str], *, closing: str | None = None) -> str:
    """The rule-based body: opening formula, points as 一、二、… paragraphs, closing formula."""
    tpl = get_doctype(doc_type)
    paragraphs: list[str] = []
    if not tpl.gongwen:
        paragraphs.extend(_sentence(p) for p in points)
    else:
        lead = _opening(tpl.name, subject, tpl.opening)
        if lead:
            paragraphs.append(lead)
        if len(points) == 1 and tpl.name in ("请示", "批复", "函"):
            paragraphs.append(_sentence(points[0]))
        else:
            paragraphs.extend(f"{chinese_index(i)}、{_sentence(p)}" for i, p in enumerate(points, 1))
    end = tpl.closing if closing is None else closing
    if end:
        paragraphs.append(end)
    return "\n\n".join(paragraphs)


@dataclass
class DraftResult:
    spec: dict
    mode: str  # "generative" | "template"
    ai_generated: bool
    notes: list[str] = field(default_factory=list)
    backend: str | None = None
    model: str | None = None
    audit_id: int | None = None

    def to_dict(self) -> dict:
        out = {"spec": self.spec, "mode": self.mode, "ai_generated": self.ai_generated, "notes": self.notes,
               "backend": self.backend, "model": self.model, "audit_id": self.audit_id,
               "label": Governed.explicit_label() if self.ai_generated else None}
        return Governed.label_json(out) if self.ai_generated else out


def _validate(doc_type: str, issuer: str, recipients: list[str], points: list[str]) -> DocType:
    dt = get_doctype(doc_type)
    missing = []
    if not issuer.strip():
        missing.append(("发文机关", "issuer"))
    if dt.recipients_required and not recipients:
        missing.append(("主送机关", "recipients"))
    if not points:
        missing.append(("要点", "key points"))
    if missing:
        raise ZhengwuError("draft_missing", "起草缺少：" + "、".join(m[0] for m in missing) + "。",
                           "Drafting needs: " + ", ".join(m[1] for m in missing) + ".")
    if len(points) > MAX_POINTS or any(len(p) > MAX_POINT_CHARS for p in points):
        raise ZhengwuError("draft_too_long", f"要点过多或过长（最多 {MAX_POINTS} 条，每条 {MAX_POINT_CHARS} 字）。",
                           f"Too many or too long points (at most {MAX_POINTS}, {MAX_POINT_CHARS} characters each).")
    if dt.one_recipient and len(recipients) > 1:
        code = "qingshi_one_recipient" if dt.name == "请示" else "one_recipient"
        raise ZhengwuError(code, f"{dt.name}只能主送一个机关。", f"A {dt.name} goes to exactly one recipient.")
    return dt


def draft(caller: Caller, *, doc_type: str, issuer: str, recipients: list[str] | str | None, points: list[str],
          subject: str | None = None, title: str | None = None, number: str = "", signature: str | None = None,
          date: str | None = None, signer: str | None = None, attachments: list[str] | None = None,
          cc: list[str] | str | None = None, printer: str | None = None, print_date: str | None = None,
          closing: str | None = None, use_model: bool | None = None) -> DraftResult:
    """A complete SPEC for one document; see the module docstring for the two modes."""
    if isinstance(recipients, str):
        recipients = [r for r in re.split(r"[，,；;\n]", recipients) if r.strip()]
    recipients = [r.strip().rstrip("：:") for r in (recipients or []) if r.strip()]
    points = [p.strip() for p in points if p and p.strip()]
    tpl = _validate(doc_type, issuer or "", recipients, points)
    t = tpl.name
    subject = (subject or "").strip() or derive_subject(points)
    title = (title or "").strip() or compose_title(issuer.strip(), subject, t)
    if len(title) > MAX_TITLE_CHARS:
        raise ZhengwuError("title_too_long", f"标题过长（{len(title)} 字，最多 {MAX_TITLE_CHARS} 字），请精简事由。",
                           f"The title is too long ({len(title)} characters, at most {MAX_TITLE_CHARS}); "
                           "shorten the subject.")
    notes: list[str] = []
    spec: dict = {"type": t, "issuer": issuer.strip(), "number": number.strip(), "title": title,
                  "recipients": "，".join(recipients), "body": "", "signature": (signature or issuer).strip(),
                  "date": date or today_cn()}
    if signer:
        spec["signer"] = signer
    if attachments:
        spec["attachments"] = list(attachments)
    if cc:
        spec["cc"] = cc if isinstance(cc, str) else "、".join(cc)
    if printer:
        spec["printer"] = printer
        spec["print_date"] = print_date or spec["date"]
    if not number.strip() and "number" not in tpl.forbidden:
        notes.append("发文字号待文书部门编号 / the document number is to be assigned")
    if tpl.signer_required and not signer:
        notes.append("上行文须标注签发人 / an upward document needs the signer (签发人)")

    messages = [
        {"role": "system", "content": assist.fill(assist.load_prompt("doc_draft"), doc_type=t,
                                                   register=tpl.register, title=title,
                                                   opening=tpl.opening or "（无）", closing=tpl.closing or "（无）")},
        {"role": "user", "content": "\n".join([f"文种：{t}", f"发文机关：{issuer}", f"主送：{spec['recipients']}",
                                               f"事由：{subject}", "要点："] + [f"- {p}" for p in points])},
    ]
    completion = assist.try_complete(caller, "doc_draft", messages, use_model=use_model)
    if completion is not None:
        text = completion.text.replace(f"（{Governed.explicit_label()}）", "").strip()
        parsed = assist.parse_json_reply(text)
        # The title stays the composed 发文机关＋关于＋事由＋的＋文种; the model writes the body only.
        body = str(parsed["body"]).strip() if isinstance(parsed, dict) and parsed.get("body") else text
        end = tpl.closing if closing is None else closing
        if end and end.rstrip("。") not in body[-40:]:  # the type's closing formula is not optional
            body = f"{body}\n\n{end}"
        spec["body"] = body
        info = assist.completion_info(completion)
        return DraftResult(spec=spec, mode="generative", ai_generated=True, notes=notes, backend=info["backend"],
                           model=info["model"], audit_id=info["audit_id"])
    spec["body"] = skeleton_body(t, subject, points, closing=closing)
    audit_id = assist.audit(caller, "doc_draft", "draft", input_text="\n".join(points), output_text=spec["body"],
                            extra={"mode": "template", "doc_type": t})
    return DraftResult(spec=spec, mode="template", ai_generated=False, notes=notes, backend="rules",
                       audit_id=audit_id)
