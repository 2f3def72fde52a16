"""Rules on the text of the elements (they apply to a DOCX and to a plain text alike).

Each function looks at one element and yields `Violation`s of the rule ids it is registered with in
rules.py. Sources: GB/T 9704-2012 §7.2.4 (发文字号), §7.3.2–7.3.6 (标题, 正文 levels, 附件说明, 成文日期),
§7.4 (版记); 条例 第十五条 (请示 一文一事, 一个主送机关; 报告 不夹带请示事项).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from zhengwu.writing.check.context import Context, violation
from zhengwu.writing.check.elements import NUMBER_LOOSE, ORDER_NUMBER
from zhengwu.writing.check.faces import family
from zhengwu.writing.check.model import Line, Violation
from zhengwu.writing.proofread import proofread, sensitive
from zhengwu.writing.spec import CN_NUM, cn_to_int, count_recipients, heading_level

TITLE_END_PUNCT = "。．.，,；;：:！!？?、"
ATTACH_END_PUNCT = "。．.，,；;：:！!？?、"

# ------------------------------------------------------------------------------------------- 发文字号


def _number(ctx: Context) -> tuple[Line, re.Match] | tuple[None, None]:
    """The 发文字号 line and its loose parse; (None, None) when absent or a 令号 (第N号)."""
    line = ctx.at(ctx.el.number)
    if line is None:
        return None, None
    t = re.sub(r"\s", "", line.text)
    order = ctx.doctype is not None and ctx.doctype.layout == "order"
    if ORDER_NUMBER.match(t) or order and t.startswith("第"):
        return None, None
    m = NUMBER_LOOSE.match(t)
    return (line, m) if m else (None, None)


def number_brackets(ctx: Context) -> Iterator[Violation]:
    line, m = _number(ctx)
    if m and (m.group("open") != "〔" or m.group("close") != "〕"):
        yield violation("number.brackets", f"发文字号年份应使用六角括号〔〕，不能用“{m.group('open')}{m.group('close')}”",
                        f"the year in the document number must be in 〔〕, not {m.group('open')}{m.group('close')}",
                        line)


def number_leading_zero(ctx: Context) -> Iterator[Violation]:
    line, m = _number(ctx)
    if m and m.group("seq").startswith("0"):
        yield violation("number.leading_zero",
                        f"发文字号顺序号不编虚位（“{m.group('seq')}”应为“{int(m.group('seq'))}”）",
                        f"no leading zeros in the sequence number ({m.group('seq')} → {int(m.group('seq'))})", line)


def number_di(ctx: Context) -> Iterator[Violation]:
    line, m = _number(ctx)
    if m and m.group("di"):
        yield violation("number.di", "发文字号顺序号前不加“第”字", "no 第 before the sequence number", line)


def number_year(ctx: Context) -> Iterator[Violation]:
    line, m = _number(ctx)
    if m and len(m.group("year")) != 4:
        yield violation("number.year", "发文字号年份应标全称（四位）", "the year in the document number must have 4 digits",
                        line)


# ----------------------------------------------------------------------------------------------- dates


def _date(line: Line, what_zh: str, what_en: str) -> Iterator[Violation]:
    t = line.text.replace(" ", "").replace("\u3000", "")
    t = re.sub(r"印发$", "", t)
    t = t.split("印发")[0] if "印发" in t else t
    m = re.search(r"(\d{4}|[〇零○一二三四五六七八九Ｏ]{4})年(\d{1,2}|[一二三四五六七八九十]{1,3})月"
                  r"(\d{1,2}|[一二三四五六七八九十]{1,3})日$", t)
    if not m:
        return
    y, mo, d = m.groups()
    if not y.isdigit() or not mo.isdigit() or not d.isdigit():
        yield violation("date.chinese", f"{what_zh}应使用阿拉伯数字（如 2026年8月1日）",
                        f"the {what_en} must be written in Arabic numerals (e.g. 2026年8月1日)", line)
    if (mo.isdigit() and mo.startswith("0")) or (d.isdigit() and d.startswith("0")):
        yield violation("date.padded", f"{what_zh}月、日不编虚位（不写 0 前缀）",
                        f"no leading zeros in the month and day of the {what_en}", line)


def dates(ctx: Context) -> Iterator[Violation]:
    """成文日期 and 印发日期: Arabic numerals, no padding (GB/T 9704 §7.3.5, §7.4.3)."""
    if ctx.el.date is not None:
        yield from _date(ctx.lines[ctx.el.date], "成文日期", "date")
    if ctx.el.printer is not None:
        yield from _date(ctx.lines[ctx.el.printer], "印发日期", "print date")


# ---------------------------------------------------------------------------------------- title, headings


def title_punctuation(ctx: Context) -> Iterator[Violation]:
    title = "".join(ctx.lines[k].text for k in ctx.el.title)
    if title and title[-1] in TITLE_END_PUNCT:
        yield violation("title.punctuation", f"标题末尾不应有标点“{title[-1]}”",
                        f"the title must not end with '{title[-1]}'", ctx.lines[ctx.el.title[-1]])


def _heading_number(text: str) -> int | None:
    m = re.match(rf"^（?([{CN_NUM}]+|\d+)", text)
    if not m:
        return None
    s = m.group(1)
    return int(s) if s.isdigit() else cn_to_int(s)


def _heading_font(ln: Line) -> str | None:
    return next((r.font for r in ln.runs if r.text.strip()), ln.font)


def _headings(lines: list[Line], idx: list[int], docx: bool) -> Iterator[Violation]:
    levels = [heading_level(lines[k].text) for k in idx]
    used = set(levels)
    seen: set[int] = set()
    last_l1 = 0
    for k, level in zip(idx, levels):
        ln = lines[k]
        if not level:
            continue
        if level == 2 and 1 in used and 1 not in seen:
            yield violation("heading.order", "标题层次错误：“（一）”级标题出现在“一、”级标题之前",
                            "heading levels out of order: a （一） heading before the first 一、 heading", ln)
        elif level == 4 and 3 in used and not ({2, 3} & seen):
            yield violation("heading.order", "标题层次错误：“（1）”级标题出现在“1.”级标题之前",
                            "heading levels out of order: a （1） heading before the first 1. heading", ln)
        if level == 1:
            n = _heading_number(ln.text)
            if n is not None and n != 1 and n != last_l1 + 1:
                yield violation("heading.order", f"一级标题序号不连续（{last_l1} 之后为 {n}）",
                                f"first-level headings out of sequence ({last_l1} followed by {n})", ln)
            last_l1 = n or last_l1
        seen.add(level)
        if docx and ln.font and level in (1, 2):
            name = "黑体" if level == 1 else "楷体"
            font = _heading_font(ln)
            if font and family(font) != name:
                yield violation("heading.font", f"{'一、' if level == 1 else '（一）'}级标题应用{name}（现为 {font}）",
                                f"{'一、' if level == 1 else '（一）'} headings must be set in {name} (found {font})", ln)


def headings(ctx: Context) -> Iterator[Violation]:
    """Levels 一、 > （一） > 1. > （1）: a deeper level must not come before its parent level when the document
    uses that parent level (a short text may start at （一） or 1.); 一、 headings are numbered in sequence
    (a new run, e.g. an attached plan, may restart at 一、). In a DOCX 一、 is 黑体 and （一） 楷体.
    Body and annex pages are two runs."""
    yield from _headings(ctx.lines, ctx.el.body, ctx.formatted)
    if ctx.el.annex:
        yield from _headings(ctx.lines, ctx.el.annex, ctx.formatted)


# ------------------------------------------------------------------------------- attachments, 版记


def attachment_punctuation(ctx: Context) -> Iterator[Violation]:
    for k in ctx.el.attachments:
        t = ctx.lines[k].text.rstrip()
        if t and t[-1] in ATTACH_END_PUNCT:
            yield violation("attachment.punctuation", "附件名称后不加标点符号", "no punctuation after attachment names",
                            ctx.lines[k])


def cc_full_stop(ctx: Context) -> Iterator[Violation]:
    line = ctx.at(ctx.el.cc)
    if line is not None and not line.text.rstrip().endswith("。"):
        yield violation("cc.full_stop", "抄送机关最后一个名称后应标句号", "the 抄送 list must end with a full stop", line)


# ------------------------------------------------------------------------------------------ 请示, 报告


def qingshi_recipients(ctx: Context) -> Iterator[Violation]:
    line = ctx.at(ctx.el.recipients)
    if ctx.doc_type == "请示" and line is not None:
        n = count_recipients([line.text.rstrip("：:")])
        if n > 1:
            yield violation("qingshi.recipients", f"请示只能主送一个上级机关（现有 {n} 个）",
                            f"a 请示 goes to exactly one superior body (found {n})", line)


def qingshi_matters(ctx: Context) -> Iterator[Violation]:
    if ctx.doc_type != "请示" or ctx.doctype is None:
        return
    closings = [k for k in ctx.el.body if any(c in ctx.lines[k].text for c in ctx.doctype.closings)]
    asks = sum(len(re.findall(r"(?:另|同时|此外)[，,]?(?:请|恳请|拟请)", ctx.lines[k].text)) for k in ctx.el.body)
    if len(closings) > 1 or asks:
        yield violation("qingshi.matters", "请示应一文一事：正文含有多个请示事项",
                        "a 请示 must ask about one matter only: the body contains several requests",
                        ctx.lines[closings[1]] if len(closings) > 1 else ctx.lines[ctx.el.body[-1]])


def qingshi_signer(ctx: Context) -> Iterator[Violation]:
    line = ctx.at(ctx.el.number)
    if ctx.doc_type == "请示" and line is not None and "签发人" not in line.text:
        yield violation("qingshi.signer", "上行文（请示）应标注签发人", "an upward document (请示) needs the 签发人", line,
                        severity="warning")


def baogao_request(ctx: Context) -> Iterator[Violation]:
    if ctx.doc_type != "报告":
        return
    for k in ctx.el.body:
        if re.search(r"妥否|请批示|请予批准|请审批", ctx.lines[k].text):
            yield violation("baogao.request", "报告中不得夹带请示事项", "a 报告 must not contain requests", ctx.lines[k])


# ------------------------------------------------------------------------------------------------ words


def words(ctx: Context) -> Iterator[Violation]:
    """Proofreading (common misused words) and the sensitive-word lexicon, line by line, every line."""
    for ln in ctx.lines:
        for f in proofread(ln.text):
            yield Violation(f"proofread.{f.word}", f"{f.note.split(' / ')[0]}（建议：{f.suggestion}）",
                            (f.note.split(" / ")[1] if " / " in f.note else f"use {f.suggestion}"),
                            ln.location, f.severity, ln.text[max(0, f.start - 10):f.end + 10])
        for h in sensitive(ln.text):
            yield Violation(f"sensitive.{getattr(h, 'category', '')}", f"敏感词：{h.word}（{h.risk}）",
                            f"sensitive word: {h.word} ({h.risk})", ln.location,
                            "error" if getattr(h, "blocking", False) else "warning", h.word)
