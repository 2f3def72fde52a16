"""Whole answers: grow the ranker's chosen span to the complete sentence, list or article it belongs to.

Why: the ranker picks the part of the text that matches the question best, which may be a clause ("不全的，
公安派出所…"), one item of a list ("方法3…") or a sentence whose heading belongs to the previous article. A
citizen acting on a fragment acts on half the rule. The answer unit is therefore cut only at sentence ends
(。！？) and list-item boundaries: the span grows to its whole sentence(s), or to its whole paragraph when that is
short (a FAQ's answer, a two-sentence article: "答：个人…额度最高30万元；…小微企业…最高500万元。" is one answer, and
its second sentence alone answers "最多能贷多少" wrongly); for a question asking for a list
(how to, which, materials, conditions, steps) a span inside a list grows to the whole list with its lead-in
line; and a law's article label is the article the quoted text sits in, found in the text itself. Inside the
chosen document, too: a structured service guide answers with its fields of the kind asked (guide_answer), a
question naming one item of a labelled list gets that item (named_item), and an answer stating no fact of the
kind asked gives way to the document's sentence that states one (typed_span); all bounded (bounded).
"""

from __future__ import annotations

import re

from zhengwu.kb.parsers.jsonl import GUIDE_FIELDS
from zhengwu.kb.tokenize import query_tokens
from zhengwu.qa import answer_types
from zhengwu.qa import extract as X
from zhengwu.qa import ranker
from zhengwu.qa.rewrite import ASPECT_WORDS, asked_part

WHOLE_LIMIT = 700  # characters: a list longer than this is cut at an item boundary
PARAGRAPH_LIMIT = 200  # a paragraph this short is given whole: its sentences answer together
SENTENCE_LIMIT = 500  # a "sentence" longer than this (a table run together) keeps the ranker's span
ROW_LABELS = 2  # short label lines above an answer line read as its row's cells
STAMP = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}|\d{1,2}:\d{2}")  # a publication date or time, not a cell
VALUE = re.compile(r"\d|[一二两三四五六七八九十百千万]+\s*(?:周岁|岁|年|个月|元|天|分)")  # a label holding a value
_END = "。！？!?"
_CLOSE = "”’」』）)"
ITEM = re.compile(r"^\s*(方法\s*\d+|第[一二三四五六七八九十]+步|\d{1,2}\s*[.、．](?!\d)|[（(]\s*[一二三四五六七八九十\d]+\s*[）)]"
                  r"|[①②③④⑤⑥⑦⑧⑨⑩]|[一二三四五六七八九十]+是|[一二三四五六七八九十]+、|[a-hA-H]\s*[.．、])")
STYLES = [re.compile(p) for p in (r"^\s*方法\s*\d+", r"^\s*第[一二三四五六七八九十]+步", r"^\s*\d{1,2}\s*[.、．](?!\d)",
                                    r"^\s*[（(]\s*[一二三四五六七八九十]+\s*[）)]", r"^\s*[（(]\s*\d+\s*[）)]",
                                    r"^\s*[①②③④⑤⑥⑦⑧⑨⑩]", r"^\s*[一二三四五六七八九十]+是", r"^\s*[一二三四五六七八九十]+、",
                                    r"^\s*[a-hA-H]\s*[.．、]")]
ARTICLE = X.ARTICLE
LIST_ASKED = re.compile(r"怎么|如何|怎样|哪些|什么材料|材料|条件|什么情况|哪些情况|情形|流程|步骤|方法|方式|渠道|手续|要带|带什么|需要什么|what do i need|how")


def _compact(s: str) -> str:
    return re.sub(r"\s+", "", s or "")


def _find(lines: list[str], text: str) -> tuple[int, int] | None:
    """(line index, character offset) of `text` in `lines`, ignoring the ranker's stripped list markers."""
    probes = [text, X._LEAD.sub("", text, count=1).strip(), text[:24], text[-24:]]
    for probe in probes:
        if len(probe) < 4:
            continue
        for i, line in enumerate(lines):
            if line.startswith(X.SECTION_MARK):
                continue
            at = line.find(probe)
            if at >= 0:
                return i, at
    return None


def _sentence_bounds(line: str, start: int, end: int) -> tuple[int, int]:
    """Grow [start, end) to whole sentences of `line` (sentence ends: 。！？ and a closing quote after them)."""
    lo = start
    while lo > 0 and line[lo - 1] not in _END and not (line[lo - 1] in _CLOSE and lo > 1 and line[lo - 2] in _END):
        lo -= 1
    hi = max(end, lo)
    while hi < len(line) and line[hi] not in _END:
        hi += 1
    if hi < len(line):
        hi += 1
        while hi < len(line) and line[hi] in _CLOSE:
            hi += 1
    return lo, hi


def _is_heading(line: str) -> bool:
    return line.startswith(X.SECTION_MARK) or line.startswith("★") or (
        len(line) <= 24 and not re.search(r"[。；;！？：:]$", line) and not ITEM.match(line))


def _style(line: str) -> int | None:
    """Which kind of list marker opens `line` (方法1 / 第一步 / 1. / （一） / ① / 一是 / 一、), or None."""
    for k, pat in enumerate(STYLES):
        if pat.match(line):
            return k
    return None


def _list_block(lines: list[str], i: int) -> tuple[int, int] | None:
    """The list run around line `i`: the neighbouring items with the same kind of marker, and the lead-in line
    before them (one ending with "：" or an item of the enclosing level); None if `i` is in no list."""
    def style(k: int) -> int | None:
        return _style(lines[k]) if 0 <= k < len(lines) and not lines[k].startswith(X.SECTION_MARK) else None

    def intro(k: int) -> bool:
        return 0 <= k < len(lines) and not _is_heading(lines[k]) and (
            lines[k].rstrip().endswith(("：", ":")) or style(k) is not None)

    st = style(i)
    if st is None:
        if lines[i].rstrip().endswith(("：", ":")) and style(i + 1) is not None:  # the lead-in itself
            st, lo = style(i + 1), i
            hi = i + 1
        else:
            return None
    else:
        lo = i
        while style(lo - 1) == st:
            lo -= 1
        if intro(lo - 1) and style(lo - 1) != st:
            lo -= 1
        hi = i + 1
    while hi < len(lines) and style(hi) == st:
        hi += 1
    return (lo, hi) if hi - lo >= 2 else None


def _article_block(lines: list[str], i: int) -> tuple[int, int] | None:
    """The whole law article line `i` sits in (from its "第…条" line to the next article or heading)."""
    lo = i
    while lo >= 0 and not ARTICLE.match(lines[lo]):
        if lines[lo].startswith(X.SECTION_MARK):
            return None
        lo -= 1
    if lo < 0:
        return None
    hi = lo + 1
    while hi < len(lines) and not ARTICLE.match(lines[hi]) and not lines[hi].startswith(X.SECTION_MARK):
        hi += 1
    return lo, hi


def article_of(lines: list[str], i: int) -> str:
    """The law article ("第十条") line `i` belongs to: the nearest article opening at or above it, or ""."""
    for k in range(i, -1, -1):
        if lines[k].startswith(X.SECTION_MARK):
            m = ARTICLE.search(lines[k][len(X.SECTION_MARK):].split(" > ")[-1])
            return m.group(1) if m else ""
        m = ARTICLE.match(lines[k])
        if m:
            return m.group(1)
    return ""


def relabel(heading: str, article: str) -> str:
    """`heading` with its article component replaced by `article` (the one the quoted text belongs to)."""
    if not article:
        return heading
    parts = [p for p in (heading or "").split(" > ") if p]
    for k in range(len(parts) - 1, -1, -1):
        if ARTICLE.match(parts[k]):
            parts[k] = article
            return " > ".join(dict.fromkeys(parts))
    return " > ".join([*parts, article]) if parts and re.match(r"^第[一二三四五六七八九十]+[章节]", parts[-1]) else (
        article if not parts else " > ".join(parts) if article in heading else article)


HOW_ASKED = re.compile(r"怎么办|怎么弄|怎么申请|怎么申领|怎么领|怎么交|怎么补|怎么转|如何办理|如何申请|如何申领|怎样办|怎么办理"
                       r"|流程|步骤|手续|how (do|can|to)")
TOP_HEADING = re.compile(r"^[一二三四五六七八九十]+、")
STEP_LINE = 120  # characters of each step's first sentence in a procedure outline


def _heading_paths(lines: list[str]) -> list[tuple[str, bool]]:
    """(the heading path line k sits under, whether line k is itself a heading) — as extract.sections reads them."""
    out: list[tuple[str, bool]] = []
    heading = base = ""
    for line in lines:
        if line.startswith(X.SECTION_MARK):
            heading = base = line[len(X.SECTION_MARK):]
            out.append((heading, True))
        elif line and X.heading_line(line) and not line.startswith("★"):
            if TOP_HEADING.match(line):  # "四、申领方法" in a text stored without heading marks
                heading = base = line
            else:
                heading = (base + " > " if base else "") + line
            out.append((heading, True))
        else:
            out.append((heading, False))
    return out


def _outline(lines: list[str], i: int) -> tuple[str, str] | None:
    """A procedure answered whole: when line `i` sits in one step of a section cut into steps ("四、申领方法 >
    第一步…", "第二步…"), every step's heading with its first sentence, under the section's heading; else None.

    Why: "社保卡怎么办？" is answered by all the steps, not by the step whose wording matched best; a citizen who
    reads only step two does not know to fetch the photo receipt number of step one."""
    paths = _heading_paths(lines)
    here = paths[i][0]
    if " > " not in here:
        return None
    parent = here.rsplit(" > ", 1)[0]
    steps: dict[str, int] = {}
    for k, (p, is_head) in enumerate(paths):
        if is_head and " > " in p and p.rsplit(" > ", 1)[0] == parent:
            steps.setdefault(p.rsplit(" > ", 1)[1], k)
    first = _style(next(iter(steps), ""))  # the steps are the parent's first kind of numbered heading
    steps = {n: k for n, k in steps.items() if first is not None and _style(n) == first}
    if len(steps) < 2:
        return None
    out: list[str] = []
    for name, k in steps.items():
        body = next((ln for ln in lines[k + 1:] if ln and not ln.startswith((X.SECTION_MARK, "★"))), "")
        parts = X.sentences(body)
        lead = parts[0] if parts else body
        if len(lead) > STEP_LINE:
            lead = lead[:STEP_LINE].rstrip("，,；;、") + "…"
        item = f"{name}：{lead}" if lead and not name.endswith(("：", ":")) else name + lead
        if out and sum(map(len, out)) + len(item) > WHOLE_LIMIT:
            break
        out.append(item)
    return "\n".join(out), parent


def whole_answer(passage: str, span: str, heading: str, question: str,
                 exclude: re.Pattern | None = None) -> tuple[str, str]:
    """(the complete answer text, its heading label) for the ranker's `span` of `passage`; `exclude`: what is
    never quoted (a neutralised instruction hidden in a source): a paragraph holding it is not grown into."""
    lines = [ln.strip() for ln in (passage or "").split("\n")]
    found = _find(lines, span)
    if found is None:
        return span, heading
    i, at = found
    # an outline cuts every step to its first sentence: not for a question asking also for a value one sentence
    # states ("社保卡的照片怎么弄，审核要几天": the period sits after the cut)
    if HOW_ASKED.search(question.lower()) and not set(answer_types.asked(question)) & set(answer_types.NARROW):
        outline = _outline(lines, i)
        if outline:
            return outline
    named = named_item(lines, i, question)
    if named == i:  # the span's own item: grown as any other span (a list question gets the whole list)
        named = None
    if named is not None:  # the question names another item of the list the span sits in: that item, alone
        i, at, span = named, 0, lines[named]
    line = lines[i]
    end = at + len(span) if line[at:at + len(span)] == span else at + min(len(span), len(line) - at)
    label = relabel(heading, article_of(lines, i))
    wants_list = (bool(LIST_ASKED.search(question.lower())) or "materials" in answer_types.asked(question)) \
        and not X.question_cues(question, specific=True) and named is None
    # a line ending in "：" promises what follows ("第二十四条 职工有下列情形之一的，可以提取…："): never an answer
    # without its list, whatever the question's form ("租房子可以提取公积金吗" is answered by item (六))
    block = _list_block(lines, i) if wants_list or line.endswith(("：", ":")) else None
    if wants_list and block is None:
        art = _article_block(lines, i)
        if art and sum(len(lines[k]) for k in range(*art)) <= WHOLE_LIMIT:
            block = art
    if block:
        lo, hi = block
        out: list[str] = []
        for k in range(lo, hi):
            if out and sum(map(len, out)) + len(lines[k]) > WHOLE_LIMIT and k > i:
                break
            out.append(lines[k])
        return "\n".join(out), label
    lo, hi = _sentence_bounds(line, at, end)
    if hi - lo > SENTENCE_LIMIT:
        return span, label
    if len(line) <= PARAGRAPH_LIMIT and not (exclude and exclude.search(line)):
        lo, hi = 0, len(line)
    text = line[lo:hi].strip()
    text = text if len(text) >= len(span.strip()) - 2 else span
    cells = _row_labels(lines, i) if lo == 0 else ""
    return (f"{cells}：{text}" if cells else text), label


ITEM_LABEL = 12  # characters: an item's label before its "：" ("二、春节：", "（二）其他参保人员：")


def _item_label(line: str) -> str:
    """The label of a list item written "marker label：value" ("二、春节：2月4日至10日放假…" -> 春节), or ""."""
    m = ITEM.match(line)
    if not m:
        return ""
    label, sep, value = line[m.end():].partition("：")
    label = label.strip()
    return label if sep and value.strip() and 2 <= len(label) <= ITEM_LABEL and not re.search(r"[，。；,;]", label) \
        else ""


def named_item(lines: list[str], i: int, question: str) -> int | None:
    """The item of the labelled list line `i` sits in (or opens) whose label the question names ("2019年春节放几天
    假": the item "二、春节：…", not "一、元旦：…"), or None when it names none or several (an aspect word such as
    资料 in "a.病历资料" names no item).

    Why: the items of such a list ("元旦 / 春节 / 国庆节", "在校学生 / 其他参保人员") say the same kind of thing
    with the same words; the ranker can prefer the wrong one, while the label the citizen typed says which."""
    start = i
    if not _item_label(lines[i]):  # the list's lead-in ("…放假调休日期的具体安排通知如下。", "…：") names its items too
        if not (re.search(r"(?:如下|[：:])[。]?$", lines[i]) and i + 1 < len(lines) and _item_label(lines[i + 1])):
            return None
        start = i + 1
    st = _style(lines[start])
    lo = hi = start
    while lo > 0 and _style(lines[lo - 1]) == st and _item_label(lines[lo - 1]):
        lo -= 1
    while hi + 1 < len(lines) and _style(lines[hi + 1]) == st and _item_label(lines[hi + 1]):
        hi += 1
    q = _compact(question)

    def overlap(k: int) -> int:
        lab = _compact(_item_label(lines[k]))
        return sum(1 for j in range(len(lab) - 1) if lab[j:j + 2] in q and lab[j:j + 2] not in ASPECT_WORDS)

    scores = {k: overlap(k) for k in range(lo, hi + 1)}
    best = max(scores.values())
    top = [k for k, v in scores.items() if v == best]
    return top[0] if best > 0 and len(top) == 1 else None


def _row_labels(lines: list[str], i: int) -> str:
    """The short label lines right above line `i` when they hold a value ("硕士研究生" / "45周岁以下" /
    "拥有硕士研究生学历…即可。": a table's row flattened into lines), joined; "" otherwise.

    Why: the extractor reads such label lines as headings, not content, so the ranker can only pick the row's
    last cell; "45周岁以下" is the answer to "研究生落户年龄有没有要求" and belongs to the quoted line."""
    labels: list[str] = []
    k = i - 1
    while k >= 0 and len(labels) < ROW_LABELS and _is_label(lines[k]):
        labels.insert(0, lines[k])
        k -= 1
    return " ".join(labels) if any(VALUE.search(x) for x in labels) else ""


def _is_label(line: str) -> bool:
    """A table cell's line: short, no sentence end, no "key：value" (信息来源：…), no date stamp, no list item."""
    return bool(line) and not line.startswith((X.SECTION_MARK, "★")) and len(line) <= 16 \
        and not re.search(r"[。；;！？：:]", line) and not STAMP.search(line) and not X._HEADING.match(line) \
        and not ITEM.match(line)


def whole_section(passage: str, key: str, text: str) -> str:
    """The whole section under the heading `key` that the ranker's section answer `text` came from, line by
    line up to WHOLE_LIMIT (cut at a line boundary); `text` when the section is not found.

    Why: the ranker builds a section answer from its sentences, within SECTION_LIMIT, and the extractor drops
    short lines as labels: "b.《信息采集表》" — the second of two materials — was in neither."""
    lines = [ln.strip() for ln in (passage or "").split("\n")]
    paths = _heading_paths(lines)
    start = next((k for k, (p, is_head) in enumerate(paths) if is_head and key in p.split(" > ")), None)
    # a law article's lead-in ("第六条 积分制入户人员应同时符合以下条件：") heads its items for the ranker only
    block = _list_block(lines, lines.index(key)) if start is None and key in lines else None
    if (start is None and block is None) or not key:
        return text
    start, stop = (block[0] - 1, block[1]) if block else (start, len(lines))
    if not block and X._HEADING.match(lines[start]):  # a heading line the extractor reads as content too
        start -= 1
    out: list[str] = []
    for k in range(start + 1, stop):
        if not block and key not in paths[k][0].split(" > "):
            break
        ln = lines[k]
        if not ln or ln.startswith("★"):
            continue
        if ln.startswith(X.SECTION_MARK):
            ln = ln[len(X.SECTION_MARK):].rsplit(" > ", 1)[-1]
            if out and out[-1] == ln:
                continue
        elif out and out[-1] == ln:  # a chunk's first line repeating its heading
            continue
        if out and sum(map(len, out)) + len(ln) > WHOLE_LIMIT:
            break
        out.append(ln)
    body = "\n".join(out)
    head = re.sub(r"[\W_]", "", text)[:10]  # the section's words, whatever the ranker's joins ("；")
    return body if len(body) > len(text) and head and head in re.sub(r"[\W_]", "", body) else text


# --- a service guide's structured fields, read as fields ----------------------------------------------------

GUIDE_LABELS = frozenset(label for _, label in GUIDE_FIELDS)
# the fields answering each kind of question, in order of preference (a time limit: the promised one first)
FIELDS_ASKED: dict[str, tuple[str, ...]] = {
    "materials": ("申请材料",),
    "duration": ("承诺办结时限", "法定办结时限", "办理流程和时限"),
    "place": ("办理地点", "实施机关"),
    "money": ("收费标准",),
    "phone": ("咨询电话",),
    "conditions": ("受理条件", "服务对象", "办理情形"),
    "procedure": ("受理条件", "申请材料", "办理流程和时限"),
}
CONDITIONS_ASKED = re.compile(r"条件|什么情况|哪些情况|什么人|哪些人|谁能|谁可以|能不能|可不可以|能否|符合|资格|eligib|who can")
PROCEDURE_ASKED = re.compile(r"怎么|怎样|如何|咋|流程|步骤|手续|要什么|要哪些|需要什么|how")


def guide_fields(passage: str) -> dict[str, list[str]]:
    """label -> the value's lines of a service guide written out field by field (kb.parsers.jsonl
    render_structured: "## 申请材料" sections, short values as "实施机关：…" lines under 基本信息); {} when the
    document is not one (fewer than two of the guide's labels)."""
    out: dict[str, list[str]] = {}
    field = ""
    for raw in (passage or "").split("\n"):
        line = raw.strip()
        if line.startswith(X.SECTION_MARK):
            last = line[len(X.SECTION_MARK):].rsplit(" > ", 1)[-1].strip()
            field = last if last in GUIDE_LABELS else ""
            continue
        if not line:
            continue
        label, sep, value = line.partition("：")
        if sep and label in GUIDE_LABELS and value.strip() and label not in out:
            out[label] = [value.strip()]
        elif field and line != field:
            out.setdefault(field, []).append(line)
    return out if len(out) >= 2 else {}


def guide_answer(passage: str, question: str, chosen: str | None = None) -> tuple[str, str] | None:
    """(the fields of a service guide that answer `question`, their labels) — "要带什么" the whole 申请材料,
    "几天" the time limit's field, "在哪办" 办理地点 (else 实施机关), "怎么办" the conditions, materials and
    procedure together — or None when the document is no structured guide or holds no field of the kind asked.

    Why: the guide's fields are its answers, written by the department for exactly these questions; the ranker
    reads them as sentences and may show 办理流程和时限 for "收养的孩子怎么上户口", whose answer a citizen needs first
    is the 收养登记证 listed under 申请材料. Bounded as every whole answer (WHOLE_LIMIT, cut at an item or a
    sentence end).

    `chosen`: the ranker's answering sentence of the document (ranker.Snippet.chosen). A value field (a time
    limit, a fee) yields to it when the sentence states a value of the kind asked that belongs to the question's
    own action and the field's value does not (ranker.value_features): "多少天内可以申请复议" is answered by
    "…60日内向行政复议机关提出行政复议申请", not by the office's 承诺办结时限 "10个工作日"."""
    fields = guide_fields(passage)
    if not fields:
        return None
    q = (asked_part(question) or question or "").lower()  # a long message's story is not what it asks
    types = list(answer_types.asked(q))
    if CONDITIONS_ASKED.search(q):
        types.append("conditions")
    # "怎么上户口", or a bare wish ("离婚了想把户口迁回娘家"): what a citizen needs to do the matter
    if (PROCEDURE_ASKED.search(q) or not types) and not set(types) & set(answer_types.NARROW):
        types.append("procedure")
    wanted: list[str] = []
    for t in types:
        have = [f for f in FIELDS_ASKED.get(t, ()) if f in fields]
        if t in answer_types.NARROW:  # a value: the first field holding one
            have = [f for f in have if answer_types.holds("\n".join(fields[f]), (t,))][:1]
            if have and chosen and _sentence_over_field(question, chosen, f"{have[0]}：{' '.join(fields[have[0]])}"):
                continue
        elif t == "place":
            have = have[:1]
        wanted += [f for f in have if f not in wanted]
    if not wanted:
        return None
    order = sorted(wanted, key=list(fields).index)
    lines = [ln for label in order for ln in (
        [f"{label}：{fields[label][0]}"] if len(fields[label]) == 1 else [f"{label}：", *fields[label]])]
    return "\n".join(bounded(lines)), "、".join(order)


def _sentence_over_field(question: str, sentence: str, field: str) -> bool:
    """Does the ranker's `sentence` state a value of the question's own action where the guide's value `field`
    states one of another (guide_answer's `chosen`)?"""
    q = ranker.analyse(question)
    return ranker.value_features(q, sentence)[1] > 0 and ranker.value_features(q, field)[1] == 0


def bounded(lines: list[str], limit: int = WHOLE_LIMIT) -> list[str]:
    """`lines` up to `limit` characters, cut at a line boundary — a line that alone passes the bound at its last
    sentence end within it, a list item never — and never ending on a lead-in ("申请材料：") without its list."""
    out: list[str] = []
    for ln in lines:
        room = limit - sum(map(len, out))
        if len(ln) > room:
            cut = max(ln.rfind(c, 0, room) for c in _END)
            if cut > 0 and not ITEM.match(ln):
                out.append(ln[:cut + 1])
            break
        out.append(ln)
    while out and out[-1].endswith(("：", ":")):
        out.pop()
    return out


# --- the runner-up passage, when the ranker is unsure between two of one document ---------------------------

SECOND_GAP = 0.5  # the "within" model's score gap under which its second choice is shown too
SECOND_LIMIT = 200  # characters: a longer second passage is not added (the answer stays short)


def with_second(passage: str, answer: tuple[str, str], second: tuple[str, str, float] | None, question: str,
                exclude: re.Pattern | None = None) -> tuple[str, str]:
    """`answer` (text, heading label) followed by the ranker's second choice in the same document (`second`:
    its sentence, heading path and score gap, ranker.Snippet.second) grown to its whole unit, when the gap is
    under SECOND_GAP, it adds at most SECOND_LIMIT characters and is not already shown; else `answer` unchanged.

    Why: inside the right document the key fact is missing for a quarter to a third of the questions, most
    often because another sentence states the asked kind for another case, attribute or year (伤残津贴 for the
    一次性伤残补助金, the employer's 30 days for the worker's 1 year, 2026's allowance for 2025's). When the
    "within" model can hardly tell the two apart, one of them alone is a coin toss; both, each whole with its
    own conditions and labelled by its heading, let the citizen read which applies. Measured on the development
    questions (docs/benchmarks.md, fifteenth round): key facts +4 points for answers a fifth longer."""
    if second is None or second[2] >= SECOND_GAP:
        return answer
    return with_unit(passage, answer, second[0], second[1], question, exclude=exclude)


def with_chosen(passage: str, answer: tuple[str, str], chosen: tuple[str, str] | None, question: str,
                exclude: re.Pattern | None = None) -> tuple[str, str]:
    """`answer` with the "within" model's own choice of sentence beside it (`chosen`: ranker.Snippet.chosen, its
    whole sentence and heading path), grown to its whole unit, when the answer shown does not hold it (the span
    model's pick lies in a neighbouring sentence, or typed_span moved the answer); with_unit's rule.

    Why: the span model chooses among the chosen sentence's neighbours too (a heading restating the question is
    followed by its answer); where the neighbour is a parallel line ("（一）在校学生：…413元" beside "（二）其他参保人员：
    …549元", 第十三条's 105元 a day beside its 护理耗材 line) it overrules the model that picked between them, and the
    sentence that model chose is not shown at all. Showing it beside the span's answer loses no
    fact; measured on the development questions (docs/benchmarks.md, sixteenth round)."""
    if chosen is None or chosen[0] in answer[0]:
        return answer
    return with_unit(passage, answer, chosen[0], chosen[1], question, exclude=exclude)


def with_unit(passage: str, answer: tuple[str, str], sentence: str, heading: str, question: str,
              exclude: re.Pattern | None = None) -> tuple[str, str]:
    """`answer` and `sentence` of the same document grown to its whole unit, in the document's order, labelled by
    its heading when that differs from the answer's; `answer` unchanged when the unit is already shown, empty or
    longer than SECOND_LIMIT (with_second, with_chosen)."""
    text, label = answer
    extra, heading = whole_answer(passage, sentence, heading, question, exclude=exclude)
    if not extra.strip() or extra in text or len(extra) > SECOND_LIMIT:
        return answer
    head = heading.split(" > ")[-1].strip() if heading else ""
    if head and head != label.split(" > ")[-1].strip() and head not in extra and not STAMP.search(head):
        extra = f"{head}：{extra}" if not head.endswith(("：", ":")) else f"{head}{extra}"
    # in the document's order: its lists and articles read (一) before (二), 第六条 before 第七条
    lines = [ln.strip() for ln in (passage or "").split("\n")]
    first, other = _find(lines, text.split("\n")[0]), _find(lines, sentence)
    if first is not None and other is not None and other < first:
        return f"{extra}\n{text}", label
    return f"{text}\n{extra}", label


# --- the passage of the kind asked, when the one chosen lacks it ---------------------------------------------

# what a shown answer must state to answer the kind asked, stricter than answer_types (which the ranker and the
# abstention model read as evidence): "对申请材料不全的" names no material, "每年须…认证" is no date
STATED: dict[str, re.Pattern] = {
    "materials": re.compile(r"身份证|户口簿|户口本|原件|复印件|申请表|登记表|审批表|证明|照片|相片|回执|合同|执照|护照|通行证|病历"
                            r"|证书|结婚证|离婚证|出生医学|户籍证|信息表|采集表"),
    "date": re.compile(answer_types.TYPES[answer_types.NAMES.index("date")][2].pattern.replace("|每年", "")),
    **{name: ans for name, _, ans in answer_types.TYPES if name in ("money", "duration", "phone", "count")},
}


def _states(text: str, types: list[str]) -> bool:
    return any(STATED[t].search(text or "") for t in types)


def typed_span(passage: str, question: str, text: str) -> tuple[str, str] | None:
    """(a sentence, its heading path) of `passage` stating the kind of fact `question` asks for (a sum, a
    period, a date, a phone number, a count; else a list of materials), when the answer `text` about to be
    shown states none: the sentence covering most of the question's words, weighed by their rarity in the
    document, and at least as much of them as `text` does; None otherwise.

    Why: inside the right document the ranker may pick the sentence that shares the question's words but not
    its kind ("办暂住证要什么材料" -> "对申请材料不全的，…一次性告知"; "退休金哪天到账" -> the yearly certification),
    while another sentence of the same document holds the fact asked ("提交本人居民身份证、本人相片…")."""
    q = asked_part(question) or question
    asked = [t for t in answer_types.asked(q) if t in STATED]
    narrow = [t for t in asked if t in answer_types.NARROW]
    types = narrow or asked
    if not types or _states(text, types):
        return None
    units = [(sent, head) for sent, head in X.sections(passage) if _states(sent, types)]
    if not units:
        return None
    toks = {t for t in query_tokens(q) if t not in ASPECT_WORDS and len(t) > 1}
    if not toks:
        return None
    lines = [ln for ln in (passage or "").split("\n") if ln.strip()]
    weight = {t: X._weights([t])[t] * (1.0 - sum(t in ln for ln in lines) / (len(lines) + 1)) for t in toks}

    def cover(s: str) -> float:
        return sum(w for t, w in weight.items() if t in s)

    def facts(s: str) -> int:  # how many distinct facts of the kind it states (a list of materials, not one "证明")
        return len({m.group(0) for t in types for m in STATED[t].finditer(s)})

    best = max(units, key=lambda u: (cover(f"{u[1]} {u[0]}"), facts(u[0])))
    return best if cover(f"{best[1]} {best[0]}") >= max(cover(text), 1e-9) else None
