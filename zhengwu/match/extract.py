"""Proposing catalogue entries from a policy document, for an administrator to review and publish.

Eligibility is scattered across documents written for people, not for programs; the catalogue needs it as
typed conditions. This module reads a policy's text by rules and patterns (no model needed): it finds the
eligibility passages (申请条件 / 补贴对象 / 符合下列条件 / …之一的, with their list items), reads each item
into conditions of the fact vocabulary with the verbatim line it came from (readers.py), finds exclusions (不享受 /
不能申领 …), the validity (validity.py), the 文号, materials and the deciding office. Every proposal is a
`draft`: a line the rules cannot read is kept in `notes` with its words, never guessed, and nothing goes live
before a person has checked it (`zhengwu match catalog import` then `publish`).

When a generative model is configured, `propose_with_model` asks it for the conditions as JSON through the
governed interaction; each is validated against the vocabulary and kept only with a sentence found verbatim
in the document.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from zhengwu.errors import NotFound, ZhengwuError
from zhengwu.match.catalog import Condition, Scheme, Source, validate_catalog
from zhengwu.match.readers import Context, group, read_conditions
from zhengwu.match.validity import read_validity

if TYPE_CHECKING:
    from zhengwu.context import Caller
    from zhengwu.gateway import Governed

MAX_DOCUMENT_CHARS = 2_000_000
"""Longer than any policy document (the longest in the corpus is 17,000 characters); refused beyond it."""

# list-item markers, one class per numbering style: a change of style opens a nested list
# (Chinese documents number 一、 > （一） > 1. > （1） > ① > a.: only a lower style nests under an item)
_MARKERS = (
    ("paren_cn", re.compile(r"^[（(][一二三四五六七八九十]+[）)]")),
    ("cn_dun", re.compile(r"^[一二三四五六七八九十]+[、．.]")),
    ("paren_ar", re.compile(r"^[（(][0-9０-９]{1,2}[）)]")),
    ("arabic", re.compile(r"^[0-9０-９]{1,2}\s*[.．、](?![0-9])")),
    ("circled", re.compile(r"^[①-⑳]")),
    ("alpha", re.compile(r"^[a-zA-Z][.．、]")),
)
_RANK = {name: i for i, (name, _) in enumerate(_MARKERS)}
_LEAD = re.compile(                      # a line that introduces the conditions listed under it
    r"(符合|具备|满足)(下列|以下|如下)[^。]{0,6}(条件|情形)|应当?同时符合|之一的?"
    r"|(申请|补贴|资助|享受|领取|参保|认定)?(条件|对象)\s*[为是]?[:：]"
    r"|(人群|范围)[:：]$|(下列|以下)(人员|对象|家庭|事项)[^。]*[:：]$")
_NOT_CONDITIONS = re.compile(r"申请材料|提交下列材料|需提供|提交以下|材料[:：]|不得有下列行为|包括以下情形|包括")
_EXCLUSION = re.compile(r"不享受|不能申领|不能享受|不得申领|不得享受|不予(?:享受|发放)|停发|停止发放|不得认定|不认定为")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fa5]{1,10}〔\d{4}〕\d{1,4}号")
_CITY = re.compile(r"(广州|深圳|北京|上海|天津|重庆|杭州|南京|成都|武汉|西安|佛山|东莞|珠海)市?")
_OFFICE = re.compile(r"(?:向|由)((?:[\u4e00-\u9fa5]{0,10}?)(?:人力资源和?社会保障局|人社局|民政局|残联|残疾人联合会|"
                     r"医疗保障局|住房保障部门|住房保障办公室|公共就业服务机构|社会保险经办机构|街道办事处|"
                     r"[\u4e00-\u9fa5]{1,8}(?:局|部门|机构|中心|委员会|办公室)))(?:提出|申请|提交|审核|审批|核准|认定|受理|办理)")


# ---------------------------------------------------------------------------------------------------------
# Passages: a lead line ("符合下列条件的…：") and its list items, nested by numbering style
# ---------------------------------------------------------------------------------------------------------

@dataclass
class _Item:
    text: str
    children: list[_Item] = field(default_factory=list)


def _marker(line: str) -> str | None:
    return next((name for name, rx in _MARKERS if rx.match(line)), None)


def _strip_marker(line: str) -> str:
    for _, rx in _MARKERS:
        if m := rx.match(line):
            return line[m.end():].strip()
    return line


_LONGEST_LIST = 100
"""Items of one list at most (the longest in the corpus has 14): a hostile document cannot make one entry of
a million conditions."""


def _items(lines: list[str], i: int, style: str, outer: frozenset[str]) -> tuple[list[_Item], int]:
    """The list starting at lines[i] in numbering `style`; a different style under an item nests."""
    items: list[_Item] = []
    while i < len(lines) and len(items) < _LONGEST_LIST:
        m = _marker(lines[i])
        if m == style:
            items.append(_Item(lines[i]))
            i += 1
        elif m is not None and m not in outer and items and _RANK[m] > _RANK[style]:
            items[-1].children, i = _items(lines, i, m, outer | {style})
        else:
            break
    return items, i


def _plain_items(lines: list[str], i: int) -> tuple[list[_Item], int]:
    """Unnumbered items under a lead ending in "：": the lines ending in "；" and the one closing with "。"."""
    items: list[_Item] = []
    while i < len(lines) and len(items) < 20 and _marker(lines[i]) is None and not _is_lead(lines[i]):
        items.append(_Item(lines[i]))
        i += 1
        if not lines[i - 1].endswith(("；", ";")):
            break
    return (items, i) if len(items) >= 2 else ([], i)


def _list_after(lines: list[str], lead_index: int) -> tuple[list[_Item], int]:
    """The list under lines[lead_index] (numbered in a style other than the lead's own, or plain)."""
    i = lead_index + 1
    if i >= len(lines):
        return [], i
    style = _marker(lines[i])
    if style is not None and style != _marker(lines[lead_index]):
        return _items(lines, i, style, frozenset({_marker(lines[lead_index]) or ""}))
    if style is None and lines[lead_index].endswith(("：", ":")):
        return _plain_items(lines, i)
    return [], i


def _is_lead(line: str) -> bool:
    return bool(_LEAD.search(line)) and not _NOT_CONDITIONS.search(line) and not _EXCLUSION.search(line)


@dataclass
class _Passage:
    lead: str
    items: list[_Item]
    heading: str


# "…的公民，享受…" / "…之一的，可以依照本条例的规定申领…": who qualifies, then what they may do, in one sentence
_ONE_SENTENCE_RULE = re.compile(r"(?:的(?:公民|人员|居民|老年人|残疾人|家庭|职工|失业人员|劳动者)|之一的)，?"
                                r"(?:均?可以?|按规定)?(?:依照[^。，]{0,12})?(?:享受|申请|申领|领取|提取)")
_LONGEST_RULE_SENTENCE = 300


def _one_sentence_rules(line: str) -> list[str]:
    """The sentences of a line that state a rule on their own (after any "：", at most 300 characters: a
    longer run is not one rule, and the bound keeps a hostile megabyte-long line linear)."""
    found = []
    for sentence in line.split("。")[:-1]:             # str.split: a regex scan would be quadratic here
        tail = re.split(r"[：:]", sentence + "。")[-1].strip()
        if len(tail) <= _LONGEST_RULE_SENTENCE and _ONE_SENTENCE_RULE.search(tail):
            found.append(tail)
    return found


def _passages(lines: list[str]) -> list[_Passage]:
    found: list[_Passage] = []
    heading = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        items, j = _list_after(lines, i) if _is_lead(line) else ([], i)
        if items:
            found.append(_Passage(line, items, heading))
            i = j
            continue
        for sentence in _one_sentence_rules(line):
            if read_conditions(sentence):               # a rule in one sentence ("年满60周岁…的公民，享受…")
                found.append(_Passage(sentence, [], heading))
        if len(_strip_marker(line)) <= 24 and not line.endswith(("。", "；", ";")):
            heading = _strip_marker(line).rstrip("：:")
        i += 1
    return found


def _combinator(text: str) -> str | None:
    """How a lead joins its items: all, any, or None when the items only illustrate (包括以下情形)."""
    if "之一" in text or (re.search(r"(下列|以下)(人员|对象|家庭|事项)", text) and "条件" not in text):
        return "any"
    if re.search(r"包括以下|包括下列|如下情形|以下情形[:：]$", text) and "条件" not in text:
        return None
    return "all"


def _read_item(item: _Item, ctx: Context) -> tuple[Condition | None, list[str]]:
    own = read_conditions(_strip_marker(item.text), city=ctx.city, target=ctx.target)
    # the sentence is the whole line as published, marker included, so that it is found verbatim
    own = [_with_sentence(c, item.text) for c in own]
    unread: list[str] = []
    kind = _combinator(item.text)
    if item.children and kind is not None:
        parts = []
        for child in item.children:
            cond, more = _read_item(child, ctx)
            unread += more
            if cond is not None:
                parts.append(cond)
        if parts:
            own.append(group(kind, parts, item.text))
    if not own:
        unread.append(item.text)
        return None, unread
    return group("all", own), unread


def _with_sentence(cond: Condition, sentence: str) -> Condition:
    if cond.fact is not None:
        return cond.model_copy(update={"sentence": sentence})
    kind = "all" if cond.all is not None else "any" if cond.any is not None else "not_"
    children = cond.all or cond.any or [cond.not_]
    new = [_with_sentence(c, sentence) for c in children]
    return cond.model_copy(update={kind: new if kind != "not_" else new[0], "sentence": sentence})


def _target(passage: _Passage) -> str:
    words = passage.heading + passage.lead
    if re.search(r"企业借款人|用人单位|企业申请|单位申请|(?<!初创)企业[^。，]{0,4}(?:条件|对象)", words):
        return "enterprise"
    if re.search(r"家庭", passage.lead):
        return "household"
    return "person"


def _read_passage(passage: _Passage, ctx: Context) -> tuple[Condition | None, list[str]]:
    lead_conds = [_with_sentence(c, passage.lead) for c in
                  read_conditions(passage.lead, city=ctx.city, target=ctx.target)]
    unread: list[str] = []
    parts = []
    for item in passage.items:
        cond, more = _read_item(item, ctx)
        unread += more
        if cond is not None:
            parts.append(cond)
    kind = _combinator(passage.lead) or "all"
    if parts:
        lead_conds.append(group(kind, parts, passage.lead))
    if not lead_conds:
        return None, unread
    return group("all", lead_conds, passage.lead), unread


def _exclusions(lines: list[str], ctx: Context) -> tuple[list[Condition], list[str]]:
    """Conditions that bar the scheme when stated true (领取工伤保险护理费…的，不享受…), and the exclusion
    sentences the rules cannot read."""
    found: list[Condition] = []
    unread: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not _EXCLUSION.search(line):
            i += 1
            continue
        items, j = _list_after(lines, i) if line.endswith(("：", ":")) else ([], i)
        group = [it.text for it in items] or [line]
        i = max(j, i + 1)
        for text in group:
            conds = [c for c in read_conditions(text, city=ctx.city, target=ctx.target)
                     if c.fact is not None and c.op == "==" and c.value is True]
            found += [_with_sentence(c, text) for c in conds]
            if not conds:
                unread.append(text)
    return found, unread


# ---------------------------------------------------------------------------------------------------------
# Metadata: 文号, materials, deciding office, city
# ---------------------------------------------------------------------------------------------------------

def read_doc_number(text: str) -> str:
    """The document's own 文号: one standing on a line of its own (the masthead), not one it cites."""
    for line in text.splitlines()[:40]:
        line = line.strip()
        if (m := _DOC_NUMBER.fullmatch(line)) is not None:
            return m.group(0)
    head = text[:400]
    for m in _DOC_NUMBER.finditer(head):
        before = head[:m.start()]
        if before.count("《") == before.count("》") and before.count("（") == before.count("）"):
            return m.group(0)
    return ""


def read_materials(lines: list[str]) -> list[str]:
    """The list under 申请材料 / 需提供 / 提交下列材料, item by item as published."""
    out: list[str] = []
    for i, line in enumerate(lines[:-1]):
        if re.search(r"申请材料|需提供|提交下列材料|提交以下材料|需提交", line) and (
                line.endswith(("：", ":")) or len(line) <= 24):
            items, _ = _list_after(lines, i)
            out += [t for it in items if (t := _strip_marker(it.text)) not in out]
    return out[:30]


def read_office(text: str) -> str:
    """The office an application goes to or that decides on it (向…申请 / 由…审核 / 受理部门：…)."""
    if m := re.search(r"(?:受理部门|受理单位|审核部门|经办机构)\s*[:：]\s*([^\n。；]{2,40})", text):
        return m.group(1).strip()
    if m := _OFFICE.search(text):
        return m.group(1)
    return ""


def _city(title: str, issuer: str, text: str) -> str:
    for where in (issuer, title, text[:2000]):
        if m := _CITY.search(where):
            return m.group(1) + "市"
    return "本市"


# ---------------------------------------------------------------------------------------------------------
# The proposal
# ---------------------------------------------------------------------------------------------------------

def _check_document(document_text: str) -> str:
    if not isinstance(document_text, str) or not document_text.strip():
        raise ZhengwuError("match_extract_empty", "文件没有文字内容，无法提取条件。",
                           "the document has no text to read conditions from.")
    if len(document_text) > MAX_DOCUMENT_CHARS:
        raise ZhengwuError("match_extract_too_long",
                           f"文件过长（{len(document_text)} 字），单个政策文件不超过 {MAX_DOCUMENT_CHARS} 字。",
                           f"the document is too long ({len(document_text)} characters; a policy document has at "
                           f"most {MAX_DOCUMENT_CHARS}).")
    return document_text.replace("\r\n", "\n").replace("\r", "\n")


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def _notes(unread: list[str], excl_unread: list[str]) -> str:
    parts = [f"未能解析的条件（请人工补充）/ condition not read, to add by hand: {s}" for s in unread]
    parts += [f"未能解析的排除情形 / exclusion not read: {s}" for s in excl_unread]
    return "\n".join(parts)


def _common(text: str, lines: list[str], *, policy_id: str, title: str, issuer: str, url: str,
            published: str) -> dict:
    """The fields every entry of one document shares: source, validity, materials, deciding office."""
    title = title or lines[0][:80]
    city = _city(title, issuer, text)
    return {"name": title, "region": city if city != "本市" else "", "status": "draft",
            "source": Source(policy_id=policy_id, title=title, issuer=issuer, doc_number=read_doc_number(text),
                             url=url, published=published),
            "validity": read_validity(text, published=published or None), "materials": read_materials(lines),
            "decided_by": read_office(text)}


def propose(document_text: str, *, policy_id: str, title: str = "", issuer: str = "", url: str = "",
            published: str = "") -> list[Scheme]:
    """Draft scheme entries read from one policy document: one per eligibility passage the rules found.

    An empty list means no eligibility passage was found (see `no_passage_message`); the caller says so
    instead of inventing an entry. Each condition keeps the verbatim line it came from; lines that could not
    be read are in `notes`.
    """
    text = _check_document(document_text)
    lines = _lines(text)
    common = _common(text, lines, policy_id=policy_id, title=title, issuer=issuer, url=url, published=published)
    city = common["region"] or "本市"
    exclusions, excl_unread = _exclusions(lines, Context(city=city))
    schemes: list[Scheme] = []
    for passage in _passages(lines):
        ctx = Context(city=city, target=_target(passage))
        eligibility, unread = _read_passage(passage, ctx)
        if eligibility is None:
            continue
        # an exclusion that repeats a requirement of this scheme is a misreading (停止发放 lists mention the
        # certificate the scheme requires)
        required = {(c.fact, json.dumps(c.value)) for c in eligibility.leaves()}
        n = len(schemes) + 1
        heading = passage.heading
        schemes.append(Scheme(**{
            **common, "id": policy_id if n == 1 else f"{policy_id}-{n}", "target": ctx.target,
            "name": common["name"] if not heading or heading in common["name"] else f"{common['name']}（{heading}）",
            "eligibility": eligibility, "notes": _notes(unread, excl_unread),
            "exclusions": [c for c in exclusions if (c.fact, json.dumps(c.value)) not in required]}))
    # the whole draft must validate as a catalogue, or it would fail on import after review
    validate_catalog({"schemes": [s.model_dump(by_alias=True) for s in schemes]})
    return schemes


DRAFT_HEADER = ("# 草稿：请对照原文逐条核对条件、有效期和备注（notes）后再导入、发布。\n"
                "# Draft: check every condition, the validity and the notes against the policy before import.\n")


def no_passage_message(policy_id: str, document_text: str = "") -> tuple[str, str]:
    """What to tell the administrator when a document yields no entry (nothing is invented): either no
    eligibility passage was found, or passages were found whose lines the rules could not read (named)."""
    leads = [p.lead for p in _passages(_lines(document_text))] if document_text.strip() else []
    if not leads:
        return (f"文件 {policy_id} 中没有找到申请条件段落（如“申请条件”“符合下列条件”），未生成条目；请人工编写。",
                f"no eligibility passage (申请条件 / 符合下列条件 …) found in {policy_id}; no entry proposed — "
                "write it by hand.")
    shown = "；".join(lead[:60] for lead in leads[:3])
    return (f"文件 {policy_id} 中有 {len(leads)} 个申请条件段落，但其中没有能读成条件的句子（{shown}），未生成条目；请人工编写。",
            f"{policy_id} has {len(leads)} eligibility passage(s) but no line the rules can read as a condition "
            f"({shown}); no entry proposed — write it by hand.")


# ---------------------------------------------------------------------------------------------------------
# With a generative model, through the door
# ---------------------------------------------------------------------------------------------------------

PROMPT = Path(__file__).parent / "prompts" / "extract_conditions.txt"
"""The model's instructions, versioned with the code ({facts} and {text} are filled in)."""
MODEL_TEXT_CHARS = 12_000
"""How much of a document the model reads (a policy's conditions come early; the whole text costs tokens)."""


def _model_conditions(reply: str, text: str) -> tuple[list[Condition], list[str]]:
    """Conditions from the model's JSON, each checked against the vocabulary and kept only when its
    sentence is in the document word for word; the rejected ones come back as notes."""
    m = re.search(r"\[.*\]", reply, re.S)
    try:
        raw = json.loads(m.group(0)) if m else None
    except json.JSONDecodeError:
        raw = None
    kept: list[Condition] = []
    rejected: list[str] = []
    if not isinstance(raw, list):
        return kept, ["模型的回复不是 JSON 条件列表，已忽略 / the model's reply is not a JSON list of conditions; ignored"]
    for entry in raw:
        if not isinstance(entry, dict):
            rejected.append(f"模型的回复项不是条件，已舍弃 / not a condition, dropped: {str(entry)[:100]}")
            continue
        sentence = str(entry.get("sentence", "")).strip()
        if len(sentence) < 6 or sentence not in text:
            rejected.append(f"模型提出的条件无原文依据，已舍弃 / model condition without a verbatim source, "
                            f"dropped: {json.dumps(entry, ensure_ascii=False)[:200]}")
            continue
        leaf = {"fact": entry.get("fact"), "op": entry.get("op"), "value": entry.get("value"), "sentence": sentence}
        try:        # the catalogue's own validation: the same checks an imported entry passes
            validate_catalog({"schemes": [{"id": "model", "name": "model", "target": "person", "eligibility": leaf,
                                           "source": {"policy_id": "model", "title": "model"}}]})
            cond = Condition(**leaf)
        except ZhengwuError as exc:
            rejected.append(f"模型提出的条件不合词表，已舍弃 / model condition rejected ({exc.en}): {sentence}")
            continue
        kept.append(cond)
    return kept, rejected


def propose_with_model(g: Governed, document_text: str, *, policy_id: str, title: str = "", issuer: str = "",
                       url: str = "", published: str = "") -> list[Scheme]:
    """The rule proposal, plus the conditions a configured model finds that the rules did not.

    `g` is the Governed of a `govern(caller, "match.extract", input=document_text)` interaction (the door
    masks, labels and audits; the caller finishes it). The model only adds: each of its conditions must name a
    vocabulary fact with a valid value and quote a sentence found verbatim in the document; anything else is
    recorded in `notes` as dropped. Without a generative model this is exactly `propose`.
    """
    schemes = propose(document_text, policy_id=policy_id, title=title, issuer=issuer, url=url,
                      published=published)
    if not g.generative():
        return schemes
    from zhengwu.match.vocabulary import vocabulary

    text = _check_document(document_text)
    prompt = PROMPT.read_text("utf-8").replace("{facts}", "、".join(vocabulary())).replace(
        "{text}", text[:MODEL_TEXT_CHARS])
    try:
        reply = g.chat([{"role": "user", "content": prompt}])
    except ZhengwuError as exc:           # the model is down or refused: the rules' proposal still stands
        return _noted(schemes, [f"模型不可用，仅按规则提取 / model unavailable, rules only: {exc.en}"])
    kept, rejected = _model_conditions(reply.text, text)
    if not schemes and not kept:
        return schemes
    if not schemes:                       # the rules found no passage; the model's grounded conditions do
        common = _common(text, _lines(text), policy_id=policy_id, title=title, issuer=issuer, url=url,
                         published=published)
        schemes = [Scheme(**common, id=policy_id, target="person", eligibility=group("all", kept))]
        extra = kept
    else:
        have = {(c.fact, c.op, json.dumps(c.value, ensure_ascii=False)) for c in schemes[0].eligibility.leaves()}
        extra = [c for c in kept if (c.fact, c.op, json.dumps(c.value, ensure_ascii=False)) not in have]
        if extra:
            schemes[0] = schemes[0].model_copy(
                update={"eligibility": group("all", [schemes[0].eligibility, *extra])})
    return _noted(schemes, [f"模型补充的条件，请核对 / added by the model, to check: {c.fact} {c.op} {c.value!r} — "
                            f"{c.sentence}" for c in extra] + rejected)


def _noted(schemes: list[Scheme], notes: list[str]) -> list[Scheme]:
    """The first draft with `notes` added to its own (the administrator reads them before publishing)."""
    if not schemes or not notes:
        return schemes
    first = schemes[0]
    return [first.model_copy(update={"notes": "\n".join(([first.notes] if first.notes else []) + notes)}),
            *schemes[1:]]


# ---------------------------------------------------------------------------------------------------------
# A document of a knowledge base, as the proposal's input
# ---------------------------------------------------------------------------------------------------------

@dataclass
class SourceDocument:
    """A policy document's text and the metadata the knowledge base holds about it."""
    text: str
    policy_id: str
    title: str = ""
    issuer: str = ""
    url: str = ""
    published: str = ""


def kb_document(caller: Caller, document_id: int) -> SourceDocument:
    """A stored document the caller may read (its department's knowledge bases, or one shared with it),
    rebuilt from its chunks in order, with the section headings the chunker kept apart put back as lines
    (the passage finder needs "一、补贴对象" and the like)."""
    from sqlalchemy import select

    from zhengwu.kb.manage import readable_kbs
    from zhengwu.kb.models import Chunk, Document
    from zhengwu.store import session_scope

    with session_scope() as s:
        readable = [kb.id for kb in readable_kbs(s, caller)]
        doc = s.scalar(select(Document).where(Document.id == document_id, Document.kb_id.in_(readable)))
        if doc is None:
            raise NotFound("match_document_not_found", f"知识库中没有编号为 {document_id} 的文件（或无权读取）。",
                           f"no document {document_id} in a knowledge base you may read.", document_id=document_id)
        lines: list[str] = []
        shown: list[str] = []
        for chunk in s.scalars(select(Chunk).where(Chunk.document_id == doc.id).order_by(Chunk.ordinal)):
            path = [h.strip() for h in chunk.heading_path.split(" > ") if h.strip()]
            for depth, heading in enumerate(path):
                if depth >= len(shown) or shown[depth] != heading:
                    lines.append(heading)
            shown = path
            lines.append(chunk.text)
        return SourceDocument(
            text="\n".join(lines), policy_id=doc.external_id or f"kb-doc-{doc.id}", title=doc.title or "",
            issuer=doc.issuer or "", url=doc.source if doc.source.startswith("http") else "",
            published=doc.pub_date.isoformat() if doc.pub_date else "")


def read_source(what: str, caller: Caller) -> SourceDocument:
    """The document a `propose` command names: a file (txt, md, html, docx, pdf), or the id of a document in
    a knowledge base the caller may read."""
    path = Path(what)
    if path.is_file():
        from zhengwu.kb.parsers import parse_file   # the knowledge base's readers: encodings, DOCX, PDF, HTML

        parsed = parse_file(path)
        return SourceDocument(text=parsed.text, policy_id=path.stem, title=parsed.title)
    if what.isdigit():
        return kb_document(caller, int(what))
    raise NotFound("match_extract_no_source", f"找不到文件，也不是知识库文件编号：{what}",
                   f"neither a file nor the id of a knowledge-base document: {what}")
