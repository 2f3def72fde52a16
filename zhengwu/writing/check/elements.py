"""The element finder: where the 公文 elements are in a read document (GB/T 9704-2012 §7, 条例 第九条).

Why separate from the rules: finding the elements is the hard, heuristic part (a real document has no
labels), and every rule depends on it; kept apart it is tested and improved on its own while each rule
stays a few lines about one element. Elements are found in reading order: 份号/密级/紧急程度, 发文机关标志,
发文字号 (+签发人), 标题, 主送机关, 正文, 附件说明, 署名, 成文日期, 附注, 附件 pages, 抄送, 印发.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from zhengwu.errors import ZhengwuError
from zhengwu.writing.check.model import Line
from zhengwu.writing.doctypes import find_doctype, type_from_title
from zhengwu.writing.spec import heading_level

OPEN_BR = "〔[［【(（{｛〖「"
CLOSE_BR = "〕]］】)）}｝〗」"
PLACEHOLDER = "X×xＸ○〇□*＊"
# 机关代字 〔year〕 sequence 号; the 机关代字 may be missing and the year or sequence a placeholder (〔2020〕XX号,
# ×发〔20××〕×号), as templates and drafts write them.
NUMBER_LOOSE = re.compile(rf"^(?P<code>[\u4e00-\u9fa5A-Za-z{PLACEHOLDER}]{{0,20}})\s*(?P<open>[{re.escape(OPEN_BR)}])\s*"
                          rf"(?P<year>\d{{2,4}}|\d{{0,3}}[{PLACEHOLDER}]{{1,4}})\s*(?P<close>[{re.escape(CLOSE_BR)}])\s*"
                          rf"(?P<di>第?)\s*(?P<seq>\d{{1,5}}|[{PLACEHOLDER}]{{1,4}})\s*号")
ORDER_NUMBER = re.compile(r"^第\s*\d+\s*号$")
DATE_ANY = re.compile(r"(?P<y>\d{4}|[〇零○一二三四五六七八九Ｏ]{4})年(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})月"
                      r"(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})日$")
ISSUE_LINE = re.compile(r"^[（(]?第\s*[\d一二三四五六七八九十〇零]+\s*期[）)]?$|^[（(]?\d{4}年第\s*\d+\s*期[）)]?$")
MARK_ENDINGS = ("文件", "纪要", "命令", "令")


@dataclass
class Elements:
    """Indices into the non-empty lines of the document (None / [] when the element is absent)."""

    number: int | None = None
    title: list[int] = field(default_factory=list)
    recipients: int | None = None
    body: list[int] = field(default_factory=list)
    attachments: list[int] = field(default_factory=list)
    signature: int | None = None
    date: int | None = None
    note: int | None = None
    cc: int | None = None
    printer: int | None = None
    annex: list[int] = field(default_factory=list)
    mark: int | None = None
    flags: list[int] = field(default_factory=list)  # 份号, 密级和保密期限, 紧急程度 above the mark


def date_split(text: str) -> tuple[str, str] | None:
    """(署名 prefix, date) when the line is a 成文日期 — alone, or after a 署名 on the same line (separated
    by spaces or a tab, as a signature block typed in one paragraph is); None otherwise."""
    t = text.strip()
    compact = re.sub(r"[ \u3000\t]", "", t)
    m = DATE_ANY.search(compact)
    if not m:
        return None
    prefix = compact[:m.start()]
    if not prefix:
        return "", compact
    spaced = re.search(r"[ \u3000\t]", t.rstrip()) is not None
    if spaced and 2 <= len(prefix) <= 30 and not re.search(r"[\d。，；：:,;、]", prefix):
        return prefix, compact[m.start():]
    return None


def _find_number(lines: list[Line], limit: int = 8) -> int | None:
    for i, ln in enumerate(lines[:limit]):
        t = re.sub(r"\s", "", ln.text)
        if NUMBER_LOOSE.match(t) or ORDER_NUMBER.match(t):
            return i
    return None


def flag_kind(text: str) -> str | None:
    """"copy" (份号: digits alone), "secrecy" (密级和保密期限) or "urgency" (紧急程度) for a line above the mark."""
    t = re.sub(r"\s", "", text)
    if re.fullmatch(r"\d{1,8}", t):
        return "copy"
    if re.match(r"^(绝密|机密|秘密)", t) and len(t) <= 12:
        return "secrecy"
    if re.match(r"^(特急|加急|特提|平急)", t) and len(t) <= 8:
        return "urgency"
    return None


def _is_mark(ln: Line) -> bool:
    """A 发文机关标志: red, or "…文件/纪要/命令/令" without the 关于 or 的 of a title."""
    t = re.sub(r"\s", "", ln.text)
    if not t or len(t) > 40 or "关于" in t or "的" in t or re.search(r"[。，；：:]", t):
        return False
    return ln.red or t.endswith(MARK_ENDINGS)


def _title_span(lines: list[Line], i: int) -> list[int]:
    """A title over one to three lines: following lines set like the first (same size and alignment, ≥ 18
    pt: a DOCX), or, in a plain text, short lines that complete a title ending in a 文种 name."""
    first = lines[i]
    if "。" in first.text[:-1] or len(first.text) > 80:
        return []  # body text, not a title (a 纪要 may have none: its mark names the meeting)
    cont: list[int] = []
    for k in range(i + 1, min(len(lines), i + 3)):
        ln = lines[k]
        if ln.text.endswith(("。", "；", "：", ":")) or len(ln.text) > 40 or heading_level(ln.text) or \
                date_split(ln.text):
            break
        cont.append(k)
    if first.size is not None:  # a DOCX: the lines set like the title's first
        big = first.size >= 18
        span = [i]
        for k in cont:
            if not big or lines[k].size != first.size or lines[k].align != first.align:
                break
            span.append(k)
        return span
    if type_from_title(first.text):
        return [i]
    for n in range(1, len(cont) + 1):
        if type_from_title("".join(lines[j].text for j in [i] + cont[:n])):
            return [i] + cont[:n]
    return [i]


def _recipients_after_title(lines: list[Line], i: int, k: int) -> bool:
    """Line k is a 主送 line ending with a colon, after title lines i…k-1 (short lines, no full stop)."""
    t = lines[k].text
    return t.endswith(("：", ":")) and heading_level(t) == 0 and len(t) <= 200 and "。" not in t and \
        all(len(lines[j].text) <= 60 and "。" not in lines[j].text for j in range(i, k))


def _head(lines: list[Line], el: Elements) -> int:
    """版头 and 标题: returns the index of the first line after them."""
    n = len(lines)
    num = _find_number(lines)
    i = 0
    if num is not None:
        el.number = num
        head = []
        for j in range(num):  # 份号/密级/紧急程度/标志 above the number; else a title printed above it
            if _is_mark(lines[j]):
                el.mark = j
            elif flag_kind(lines[j].text):
                el.flags.append(j)
            else:
                head.append(j)
        i = num + 1
        if head and el.mark is None:
            el.title = head
    else:  # no 发文字号 (a 纪要 may have none): the 发文机关标志 on top is the mark, not the title
        while i < n and flag_kind(lines[i].text):
            el.flags.append(i)
            i += 1
        while i < n and i < 4 and _is_mark(lines[i]) and (el.mark is None or lines[i].red and lines[el.mark].red):
            el.mark = i  # a joint document's mark runs over several red lines
            i += 1
    if el.mark is not None:  # a 纪要's 版头: its issue number, issuing office and date under the mark
        while i < n and (ISSUE_LINE.match(re.sub(r"\s", "", lines[i].text)) or
                         (len(lines[i].text) <= 40 and date_split(lines[i].text))):
            if date_split(lines[i].text):
                el.date = i  # the 纪要's date, unless a 成文日期 closes the text (_tail)
            i += 1
    order = num is not None and bool(ORDER_NUMBER.match(re.sub(r"\s", "", lines[num].text)))
    if order and i < n and (lines[i].text.endswith("。") or len(lines[i].text) > 80):
        pass  # a 命令 (令) has no title: the 令号 is followed by the text
    elif not el.title and i < n:
        rec = next((k for k in range(i + 1, min(n, i + 4)) if _recipients_after_title(lines, i, k)), None)
        el.title = list(range(i, rec)) if rec is not None else _title_span(lines, i)
        i = rec if rec is not None else (el.title[-1] + 1 if el.title else i)
    return i


def _tail(lines: list[Line], el: Elements, start: int) -> int:
    """版记, 附注, 成文日期 and 署名 from the end: returns where the body (with the 附件说明) ends."""
    n = len(lines)
    end = n
    for k in range(n - 1, start - 1, -1):
        t = lines[k].text.replace(" ", "")
        if t.startswith(("抄送", "主送：")):
            el.cc = k
            end = min(end, k)
        elif t.endswith("印发") and re.search(r"\d{1,2}日印发$|[日]印发$", t):
            el.printer = k
            end = min(end, k)
    date_idx = None
    for k in range(end - 1, max(start, end - 400) - 1, -1):
        if date_split(lines[k].text):
            date_idx = k
            break
    if date_idx is None:
        return end
    el.date = date_idx
    # annex pages (附件1 …) after the date belong to the attachments
    k = date_idx + 1
    if k < end and re.match(r"^[（(].*[）)]$", lines[k].text) and len(lines[k].text) <= 60:
        el.note = k
        k += 1
    while k < end and re.match(r"^[（(].*[）)]$", lines[k].text) and len(lines[k].text) <= 40:
        k += 1  # further notes / the AI label
    el.annex = list(range(k, end))
    body_end = date_idx
    prev = date_idx - 1
    if date_split(lines[date_idx].text)[0]:  # 署名 and date on one line
        el.signature = date_idx
    elif prev >= start and len(lines[prev].text) <= 40 and not re.search(r"[。；，：]$", lines[prev].text) and \
            heading_level(lines[prev].text) == 0:
        el.signature = prev
        body_end = prev
    return body_end


def find_elements(lines: list[Line]) -> Elements:
    """The 公文 elements of `lines` (non-empty lines only), in reading order."""
    el = Elements()
    n = len(lines)
    i = _head(lines, el)
    if i < n and lines[i].text.endswith(("：", ":")) and len(lines[i].text) <= 200 and "。" not in lines[i].text \
            and heading_level(lines[i].text) == 0:
        el.recipients = i
        i += 1
    body_end = _tail(lines, el, i)
    # 附件说明: a line starting 附件： plus following numbered names
    for k in range(i, body_end):
        if re.match(r"^附\s*件\s*[：:]", lines[k].text):
            el.attachments = [k]
            m = k + 1
            while m < body_end and re.match(r"^\d+[.．]", lines[m].text) and len(lines[m].text) <= 80:
                el.attachments.append(m)
                m += 1
            body_end = k
            break
    el.body = list(range(i, body_end))
    marked = el.mark is not None and lines[el.mark].red and lines[el.mark].text.replace(" ", "").endswith(MARK_ENDINGS)
    if el.number is None and el.recipients is None and el.date is None and not marked:
        raise ZhengwuError("not_gongwen", "未识别出公文要素（发文机关标志、发文字号、主送机关、成文日期均未找到），这不像一份公文。",
                           "No 公文 elements found (no issuing authority's mark, document number, recipients or "
                           "date): this is not an official document.")
    return el


def find_type(lines: list[Line], el: Elements) -> str | None:
    """The 文种: from the title's ending (the registry's names and aliases), else from the 版头 layout
    (a 令 mark or a 第N号 令号 → 命令格式; a …纪要 mark → 纪要格式)."""
    doc_type = type_from_title(title_text(lines, el))
    mark = lines[el.mark].text if el.mark is not None else ""
    number_text = re.sub(r"\s", "", lines[el.number].text) if el.number is not None else ""
    if mark.endswith("令") or ORDER_NUMBER.match(number_text):
        doc_type = "命令"
    elif mark.endswith("纪要") and doc_type is None:
        doc_type = "纪要"
    return doc_type


def title_text(lines: list[Line], el: Elements) -> str:
    return "".join(lines[k].text for k in el.title)


def summary(lines: list[Line], el: Elements, doc_type: str | None) -> dict:
    """The elements as the report shows them."""
    def text(k: int | None) -> str | None:
        return lines[k].text if k is not None else None

    signature = text(el.signature)
    split = date_split(lines[el.date].text) if el.date is not None else None
    date = split[1] if split else None
    if split and el.date == el.signature:  # one line: 署名 then date
        signature = split[0]
    return {"type": doc_type, "title": title_text(lines, el), "number": text(el.number),
            "recipients": text(el.recipients), "date": date, "signature": signature,
            "paragraphs": len(el.body), "attachments": [lines[k].text for k in el.attachments], "cc": text(el.cc),
            "not_found": not_found(el, doc_type)}


def not_found(el: Elements, doc_type: str | None) -> list[str]:
    """The elements the 文种 calls for that the finder could not find: said, not a reason to reject."""
    dt = find_doctype(doc_type) if doc_type else None
    want = {"title": bool(el.title), "date": el.date is not None}
    if dt is None or dt.recipients_required:
        want["recipients"] = el.recipients is not None
    if dt is not None and dt.number_required:
        want["number"] = el.number is not None
    if dt is None or dt.signature_required:
        want["signature"] = el.signature is not None
    if doc_type is None:
        want["type"] = False
    return [k for k, found in want.items() if not found]
