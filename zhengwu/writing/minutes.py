"""Meeting minutes (会议纪要) from a transcript: decisions and action items, each linked to its lines.

A transcript is plain text, one utterance per line; line numbers are the file's (1-based), and lines
starting with "#" are comments (kept in the numbering, never analysed). A speaker prefix ("张三：…") is
recognised and kept.

Rule-based extraction (no model), clause by clause (a line is split at 。；！？):
- decision: a clause with a decision cue — 会议决定 / 会议同意 / 原则同意 / 审议通过 / 会议确定 / 决定 / 同意 /
  批准 / 成立 / 撤销 / 设立 (and 会议要求 / 会议强调 as kind "requirement");
- action item: a clause with a deadline (…月底前 / …日前 / 年底前 / 本周内 … 完成) or a responsibility cue
  (由 X 负责/牵头/承担, or a subject ending in 部门/部/委/局/办/政府/小组/办公室/单位 followed by 要/负责/牵头/应);
  who = that body (else the speaker, else ""), when = the deadline, what = the clause.
With a model (scenario meeting_minutes, through the gateway) the model proposes the items with line numbers;
each item is kept only if its lines exist, so every item still points back to the transcript.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from zhengwu.gateway import Governed
from zhengwu.context import Caller
from zhengwu.errors import ZhengwuError
from zhengwu.sentences import split_sentences
from zhengwu.writing import assist
from zhengwu.writing.draft import chinese_index, today_cn

MAX_LINES = 5000
_SPEAKER = re.compile(r"^\s*([\u4e00-\u9fffA-Za-z·]{1,12}(?:同志)?)[：:]\s*(?=\S)")
_DECISION = re.compile(r"(会议)?(决定|原则同意|同意|审议通过|通过了|确定|批准|成立|撤销)(?!的)")  # not "确定的任务"
_REQUIREMENT = re.compile(r"会议(要求|强调|指出|提出)")
_NEGATED = re.compile(r"(不同意|未同意|不予批准|暂不)")
_DEADLINE = re.compile(
    r"((?:\d{4}年)?(?:\d{1,2}月(?:\d{1,2}日)?|\d{1,2}日)(?:底|中旬|上旬|下旬)?(?:前|之前|以前)"
    r"|\d{4}年(?:底|年底)?前|(?:年底|月底|本周内?|下周[一二三四五六日]?|本月内?|近期)(?:前|之前)?"
    r"|\d{1,2}个工作日内|\d{1,2}日内)")
# "由 X 负责": not 负责同志 / 负责人 (nouns) nor "由 X 负责的 Y" (a relative clause)
_BY = re.compile(r"由([^，。；、]{2,20}?)(负责(?!同志|人|的)|牵头(?!单位|负责的)|承担(?!的)|组织(?!的)|落实|办理)")
_BODY = r"(?:部门|部|委|局|办|厅|署|政府|小组|办公室|单位|中心|公司|街道|社区|组长|同志|各地|各部门)"
_SUBJECT = re.compile(r"^(?:[（(]?[一二三四五六七八九十\d]+[)）.、．]\s*)?([^，。；：:]{0,20}?" + _BODY + r")"
                      r"(?:要|负责|牵头|应当|应|须|必须|会同|抓紧|尽快|按程序)")
_LEAD = re.compile(r"^(各地区|各地|各部门|各有关部门|各单位|各省（区、市）|各级政府)")
_ANAPHORA = re.compile(r"^(该项工作|该工作|此项工作|上述工作|以上工作)")
_TASK_VERB = re.compile(r"(完成|报送|提交|上报|落实|制定|出台|开展|组织|印发|整改|建立|修订|办理)")


@dataclass
class Item:
    text: str
    lines: list[int]
    kind: str = "decision"  # decision | requirement

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Action:
    who: str
    what: str
    when: str
    lines: list[int]

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Minutes:
    decisions: list[Item] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    speakers: list[str] = field(default_factory=list)
    lines: int = 0
    mode: str = "rules"  # rules | generative
    ai_generated: bool = False
    spec: dict = field(default_factory=dict)
    backend: str | None = None
    model: str | None = None
    audit_id: int | None = None

    def to_dict(self) -> dict:
        out = {"decisions": [d.to_dict() for d in self.decisions], "actions": [a.to_dict() for a in self.actions],
               "speakers": self.speakers, "lines": self.lines, "mode": self.mode, "ai_generated": self.ai_generated,
               "spec": self.spec, "backend": self.backend, "model": self.model, "audit_id": self.audit_id,
               "label": Governed.explicit_label() if self.ai_generated else None}
        return Governed.label_json(out) if self.ai_generated else out


def numbered_lines(transcript: str) -> list[tuple[int, str, str]]:
    """(line number, speaker, utterance) for each non-empty, non-comment line."""
    out = []
    for no, raw in enumerate(transcript.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        speaker = ""
        m = _SPEAKER.match(line)
        if m and not _DECISION.search(m.group(1)):
            speaker, line = m.group(1), line[m.end():]
        out.append((no, speaker, line))
    return out


def _clauses(text: str) -> list[str]:
    """The shared splitter's units cut at ；too: one decision or task per 分句."""
    return [c for c in split_sentences(text, semicolons=True) if len(c) > 3]


def _who(clause: str, speaker: str) -> str:
    m = _SUBJECT.match(clause)
    if m:
        return m.group(1)
    m = _BY.search(clause)
    if m:
        return re.sub(r"(依法|依规|按规定|及时|共同)$", "", m.group(1))
    m = _LEAD.match(clause)
    if m:
        return m.group(1)
    return speaker


def extract_rules(transcript: str) -> Minutes:
    """Decisions and action items by cue words (see module docstring)."""
    lines = numbered_lines(transcript)
    minutes = Minutes(lines=len(transcript.splitlines()))
    speakers: list[str] = []
    previous: tuple[int, str] | None = None
    for no, speaker, text in lines:
        if speaker and speaker not in speakers:
            speakers.append(speaker)
        for clause in _clauses(text):
            deadline = _DEADLINE.search(clause)
            by = _BY.search(clause) or _SUBJECT.match(clause)
            decided = False
            if _NEGATED.search(clause):
                pass
            elif _REQUIREMENT.search(clause):
                minutes.decisions.append(Item(clause, [no], "requirement"))
            elif _DECISION.search(clause) and not deadline:
                minutes.decisions.append(Item(clause, [no], "decision"))
                decided = True  # a decision is not also a task unless it carries a deadline
            if not decided and (deadline or (by and (_TASK_VERB.search(clause) or "要" in clause[:25]))
                                or _BY.search(clause)):
                who, what, linked = _who(clause, speaker), clause, [no]
                if _ANAPHORA.match(clause) and previous:  # "该项工作于…前完成" completes the line before
                    linked = [previous[0], no]
                    what = previous[1].rstrip("。；") + "，" + clause
                    who = who or _who(previous[1], speaker)
                minutes.actions.append(Action(who=who, what=what, when=deadline.group(1) if deadline else "",
                                              lines=linked))
        previous = (no, text)
    minutes.speakers = speakers
    return minutes


def minutes_spec(minutes: Minutes, *, meeting: str, issuer: str, date: str | None = None,
                 recipients: str = "", number: str = "") -> dict:
    """A 纪要 SPEC (no seal: the 署名 is the issuing body's name only): decisions, then tasks."""
    parts = [f"{date or today_cn()}，{issuer}召开{meeting}。现将会议主要精神纪要如下："]
    n = 0
    if minutes.decisions:
        n += 1
        parts.append(f"{chinese_index(n)}、会议议定事项")
        parts.extend(f"（{chinese_index(i)}）{d.text}" for i, d in enumerate(minutes.decisions, 1))
    if minutes.actions:
        n += 1
        parts.append(f"{chinese_index(n)}、工作任务")
        for i, a in enumerate(minutes.actions, 1):
            extra = "；".join(x for x in (f"责任单位：{a.who}" if a.who else "", f"完成时限：{a.when}" if a.when else "") if x)
            what = a.what.rstrip("。；;")
            parts.append(f"（{chinese_index(i)}）{what}" + (f"（{extra}）。" if extra else "。"))
    title = meeting if meeting.endswith("纪要") else f"{meeting}纪要"
    return {"type": "纪要", "issuer": issuer, "number": number, "title": title, "recipients": recipients,
            "body": "\n\n".join(parts), "signature": issuer, "date": date or today_cn()}


def _from_model(parsed: dict, valid: set[int]) -> Minutes:
    def lines_of(obj: dict) -> list[int]:
        raw = obj.get("lines") or []
        return sorted({int(x) for x in raw if str(x).isdigit() and int(x) in valid})

    m = Minutes()
    for d in parsed.get("decisions") or []:
        if isinstance(d, dict) and d.get("text") and lines_of(d):
            m.decisions.append(Item(str(d["text"]), lines_of(d)))
    for a in parsed.get("actions") or []:
        if isinstance(a, dict) and a.get("what") and lines_of(a):
            m.actions.append(Action(str(a.get("who") or ""), str(a["what"]), str(a.get("when") or ""), lines_of(a)))
    return m


def make_minutes(caller: Caller, transcript: str, *, meeting: str = "会议", issuer: str = "", date: str | None = None,
                 recipients: str = "", use_model: bool | None = None) -> Minutes:
    """Minutes of one transcript, structured and as a 纪要 SPEC; one audit record in scenario meeting_minutes."""
    if not transcript or not transcript.strip():
        raise ZhengwuError("empty_transcript", "会议记录为空。", "The transcript is empty.")
    if len(transcript.splitlines()) > MAX_LINES:
        raise ZhengwuError("transcript_too_long", f"会议记录超过 {MAX_LINES} 行，请分段处理。",
                           f"The transcript has more than {MAX_LINES} lines; split it.")
    lines = numbered_lines(transcript)
    numbered = "\n".join(f"[{no}] {(sp + '：') if sp else ''}{t}" for no, sp, t in lines)
    messages = [{"role": "system", "content": assist.load_prompt("meeting_minutes")},
                {"role": "user", "content": numbered}]
    completion = assist.try_complete(caller, "meeting_minutes", messages, use_model=use_model)
    minutes: Minutes | None = None
    if completion is not None:
        parsed = assist.parse_json_reply(completion.text)
        if isinstance(parsed, dict):
            minutes = _from_model(parsed, {no for no, _, _ in lines})
            minutes.mode, minutes.ai_generated = "generative", True
            info = assist.completion_info(completion)
            minutes.backend, minutes.model, minutes.audit_id = info["backend"], info["model"], info["audit_id"]
            minutes.lines = len(transcript.splitlines())
            minutes.speakers = list(dict.fromkeys(sp for _, sp, _ in lines if sp))
    if minutes is None:  # no model, or the model's answer was not the asked-for JSON
        minutes = extract_rules(transcript)
        minutes.audit_id = assist.audit(caller, "meeting_minutes", "minutes", input_text=transcript[:2000],
                                        extra={"mode": "rules", "decisions": len(minutes.decisions),
                                               "actions": len(minutes.actions)})
        minutes.backend = "rules"
    minutes.spec = minutes_spec(minutes, meeting=meeting, issuer=issuer or caller.department, date=date,
                                recipients=recipients)
    return minutes
