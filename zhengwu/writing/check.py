"""Format checker for existing 公文 (DOCX or plain text) against GB/T 9704-2012 and the 条例.

Both inputs become a list of `Line`s (text + location + formatting when known); `read_elements` finds the
elements in reading order (发文字号, 标题, 主送机关, 正文, 附件说明, 署名, 成文日期, 附注, 抄送, 印发), and each
rule looks at the element it concerns. Every violation carries a stable rule id, a Chinese and an English
message and its location ("paragraph N" for DOCX body paragraphs, "line N" for text). A DOCX is also
measured: page size, margins, body and title fonts and sizes, heading fonts.
Rule ids: number.brackets, number.leading_zero, number.di, number.year, date.padded, date.chinese,
heading.order, heading.font, title.punctuation, attachment.punctuation, page.size, page.margins, body.font,
body.size, title.font, title.size, qingshi.recipients, qingshi.matters, qingshi.signer, baogao.request,
cc.full_stop, proofread.*, sensitive.*.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from zhengwu.errors import ZhengwuError
from zhengwu.writing.doctypes import QINGSHI_CLOSINGS, type_from_title
from zhengwu.writing.proofread import proofread, sensitive
from zhengwu.writing.spec import CN_NUM, cn_to_int, count_recipients, heading_level

OPEN_BR = "〔[［【(（{｛〖「"
CLOSE_BR = "〕]］】)）}｝〗」"
NUMBER_LOOSE = re.compile(rf"^(?P<code>[\u4e00-\u9fa5A-Za-z]{{1,20}})\s*(?P<open>[{re.escape(OPEN_BR)}])\s*"
                          rf"(?P<year>\d{{2,4}})\s*(?P<close>[{re.escape(CLOSE_BR)}])\s*(?P<di>第?)\s*"
                          r"(?P<seq>\d{1,5})\s*号")
ORDER_NUMBER = re.compile(r"^第\s*\d+\s*号$")
DATE_ANY = re.compile(r"^(?P<y>\d{4}|[〇零○一二三四五六七八九Ｏ]{4})年(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})月"
                      r"(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})日$")
TITLE_END_PUNCT = "。．.，,；;：:！!？?、"
ATTACH_END_PUNCT = "。．.，,；;：:！!？?、"
HEI_FONTS = ("黑", "hei", "Hei")
KAI_FONTS = ("楷", "kai", "Kai")
FANG_FONTS = ("仿宋", "fangsong", "FangSong", "Fangsong")
BIAOSONG_FONTS = ("标宋", "xiaobiaosong", "XBS")
MM = 36000  # EMU per mm
PAGE = {"width": 210, "height": 297, "top": 37, "bottom": 35, "left": 28, "right": 26}
TOL_MM = 1.0


@dataclass
class Violation:
    rule: str
    message_zh: str
    message_en: str
    location: str
    severity: str = "error"
    excerpt: str = ""

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class CheckReport:
    source: str  # "docx" | "text"
    violations: list[Violation] = field(default_factory=list)
    elements: dict = field(default_factory=dict)

    @property
    def errors(self) -> list[Violation]:
        return [v for v in self.violations if v.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def rules(self) -> set[str]:
        return {v.rule for v in self.violations}

    def to_dict(self) -> dict:
        return {"ok": self.ok, "source": self.source, "errors": len(self.errors),
                "warnings": len(self.violations) - len(self.errors), "elements": self.elements,
                "violations": [v.to_dict() for v in self.violations]}


@dataclass
class Line:
    text: str
    location: str
    font: str | None = None  # East Asian font of the first non-blank run (DOCX)
    size: float | None = None  # pt
    align: str | None = None
    red: bool = False
    runs: list[tuple[str, str | None, float | None]] = field(default_factory=list)


# ------------------------------------------------------------------------------------------------ elements


def _is_date(text: str) -> bool:
    return bool(DATE_ANY.match(text.replace(" ", "")))


def _find_number(lines: list[Line], limit: int = 8) -> int | None:
    for i, ln in enumerate(lines[:limit]):
        t = re.sub(r"\s", "", ln.text)
        if NUMBER_LOOSE.match(t) or ORDER_NUMBER.match(t):
            return i
    return None


def read_elements(lines: list[Line]) -> dict:
    """Indices of the 公文 elements in `lines` (non-empty lines only), in reading order."""
    el: dict = {"number": None, "title": [], "recipients": None, "body": [], "attachments": [], "signature": None,
                "date": None, "note": None, "cc": None, "printer": None, "annex": [], "mark": None}
    n = len(lines)
    num = _find_number(lines)
    i = 0
    if num is not None:
        el["number"] = num
        head = []
        for j in range(num):  # 份号/密级/紧急程度/标志 above the number; else a title printed above it
            t = lines[j].text
            if lines[j].red or (t.endswith(("文件", "纪要", "令", "命令")) and len(t) <= 30 and "关于" not in t):
                el["mark"] = j
            elif not re.match(r"^(\d{6}|绝密|机密|秘密|特急|加急|特提|平急)", t):
                head.append(j)
        i = num + 1
        if head and el["mark"] is None:
            el["title"] = head
    else:  # no 发文字号 (a 纪要 may have none): a red 发文机关标志 on top is the mark, not the title
        while i < n and lines[i].red:
            el["mark"] = i
            i += 1
    order = num is not None and bool(ORDER_NUMBER.match(re.sub(r"\s", "", lines[num].text)))
    if order and i < n and (lines[i].text.endswith("。") or len(lines[i].text) > 80):
        pass  # a 命令 (令) has no title: the 令号 is followed by the text
    elif not el["title"] and i < n:
        rec = next((k for k in range(i + 1, min(n, i + 4)) if lines[k].text.endswith(("：", ":"))
                    and heading_level(lines[k].text) == 0), None)
        el["title"] = list(range(i, rec)) if rec is not None else [i]
        i = rec if rec is not None else i + 1
    if i < n and lines[i].text.endswith(("：", ":")) and len(lines[i].text) <= 200 and heading_level(lines[i].text) == 0:
        el["recipients"] = i
        i += 1
    # tail: 版记 lines, note, date, signature, attachment description
    end = n
    for k in range(n - 1, i - 1, -1):
        t = lines[k].text.replace(" ", "")
        if t.startswith(("抄送", "主送：")):
            el["cc"] = k
            end = min(end, k)
        elif t.endswith("印发") and re.search(r"\d{1,2}日印发$|[日]印发$", t):
            el["printer"] = k
            end = min(end, k)
    date_idx = None
    for k in range(end - 1, max(i, end - 400) - 1, -1):
        if _is_date(lines[k].text.replace(" ", "").replace("\u3000", "")):
            date_idx = k
            break
    if date_idx is not None:
        el["date"] = date_idx
        # annex pages (附件1 …) after the date belong to the attachments
        k = date_idx + 1
        if k < end and re.match(r"^[（(].*[）)]$", lines[k].text) and len(lines[k].text) <= 60:
            el["note"] = k
            k += 1
        while k < end and re.match(r"^[（(].*[）)]$", lines[k].text) and len(lines[k].text) <= 40:
            k += 1  # further notes / the AI label
        el["annex"] = list(range(k, end))
        body_end = date_idx
        prev = date_idx - 1
        if prev >= i and len(lines[prev].text) <= 40 and not re.search(r"[。；，：]$", lines[prev].text) and \
                heading_level(lines[prev].text) == 0:
            el["signature"] = prev
            body_end = prev
    else:
        body_end = end
    # 附件说明: a line starting 附件： plus following numbered names
    for k in range(i, body_end):
        if re.match(r"^附\s*件\s*[：:]", lines[k].text):
            el["attachments"] = [k]
            m = k + 1
            while m < body_end and re.match(r"^\d+[.．]", lines[m].text) and len(lines[m].text) <= 80:
                el["attachments"].append(m)
                m += 1
            body_end = k
            break
    el["body"] = list(range(i, body_end))
    return el


# --------------------------------------------------------------------------------------------------- rules


def _v(out: list[Violation], rule: str, zh: str, en: str, line: Line | None, severity: str = "error",
       location: str | None = None) -> None:
    out.append(Violation(rule, zh, en, location or (line.location if line else ""), severity,
                         (line.text[:60] if line else "")))


def check_number(line: Line, out: list[Violation], doc_type: str | None) -> None:
    t = re.sub(r"\s", "", line.text)
    if ORDER_NUMBER.match(t) or doc_type == "命令" and t.startswith("第"):
        return
    m = NUMBER_LOOSE.match(t)
    if not m:
        return
    if m.group("open") != "〔" or m.group("close") != "〕":
        _v(out, "number.brackets", f"发文字号年份应使用六角括号〔〕，不能用“{m.group('open')}{m.group('close')}”",
           f"the year in the document number must be in 〔〕, not {m.group('open')}{m.group('close')}", line)
    if m.group("seq").startswith("0"):
        _v(out, "number.leading_zero", f"发文字号顺序号不编虚位（“{m.group('seq')}”应为“{int(m.group('seq'))}”）",
           f"no leading zeros in the sequence number ({m.group('seq')} → {int(m.group('seq'))})", line)
    if m.group("di"):
        _v(out, "number.di", "发文字号顺序号前不加“第”字", "no 第 before the sequence number", line)
    if len(m.group("year")) != 4:
        _v(out, "number.year", "发文字号年份应标全称（四位）", "the year in the document number must have 4 digits", line)


def check_date(line: Line, out: list[Violation], what_zh: str = "成文日期", what_en: str = "date") -> None:
    t = line.text.replace(" ", "").replace("\u3000", "")
    t = re.sub(r"印发$", "", t)
    t = t.split("印发")[0] if "印发" in t else t
    m = re.search(r"(\d{4}|[〇零○一二三四五六七八九Ｏ]{4})年(\d{1,2}|[一二三四五六七八九十]{1,3})月"
                  r"(\d{1,2}|[一二三四五六七八九十]{1,3})日$", t)
    if not m:
        return
    y, mo, d = m.groups()
    if not y.isdigit() or not mo.isdigit() or not d.isdigit():
        _v(out, "date.chinese", f"{what_zh}应使用阿拉伯数字（如 2026年8月1日）",
           f"the {what_en} must be written in Arabic numerals (e.g. 2026年8月1日)", line)
    if (mo.isdigit() and mo.startswith("0")) or (d.isdigit() and d.startswith("0")):
        _v(out, "date.padded", f"{what_zh}月、日不编虚位（不写 0 前缀）",
           f"no leading zeros in the month and day of the {what_en}", line)


def _heading_number(text: str, level: int) -> int | None:
    m = re.match(rf"^（?([{CN_NUM}]+|\d+)", text)
    if not m:
        return None
    s = m.group(1)
    return int(s) if s.isdigit() else cn_to_int(s)


def check_headings(lines: list[Line], idx: list[int], out: list[Violation], *, docx: bool) -> None:
    """Levels 一、 > （一） > 1. > （1）: a deeper level must not come before its parent level when the document
    uses that parent level (a short text may start at （一） or 1.); 一、 headings are numbered in sequence
    (a new run, e.g. an attached plan, may restart at 一、)."""
    levels = [heading_level(lines[k].text) for k in idx]
    used = set(levels)
    seen: set[int] = set()
    last_l1 = 0
    for k, level in zip(idx, levels):
        ln = lines[k]
        if not level:
            continue
        if level == 2 and 1 in used and 1 not in seen:
            _v(out, "heading.order", "标题层次错误：“（一）”级标题出现在“一、”级标题之前",
               "heading levels out of order: a （一） heading before the first 一、 heading", ln)
        elif level == 4 and 3 in used and not ({2, 3} & seen):
            _v(out, "heading.order", "标题层次错误：“（1）”级标题出现在“1.”级标题之前",
               "heading levels out of order: a （1） heading before the first 1. heading", ln)
        if level == 1:
            n = _heading_number(ln.text, 1)
            if n is not None and n != 1 and n != last_l1 + 1:
                _v(out, "heading.order", f"一级标题序号不连续（{last_l1} 之后为 {n}）",
                   f"first-level headings out of sequence ({last_l1} followed by {n})", ln)
            last_l1 = n or last_l1
        seen.add(level)
        if docx and ln.font and level in (1, 2):
            want = HEI_FONTS if level == 1 else KAI_FONTS
            font = _heading_font(ln)
            if font and not any(w in font for w in want):
                name = "黑体" if level == 1 else "楷体"
                _v(out, "heading.font", f"{'一、' if level == 1 else '（一）'}级标题应用{name}（现为 {font}）",
                   f"{'一、' if level == 1 else '（一）'} headings must be set in {name} (found {font})", ln)


def _heading_font(ln: Line) -> str | None:
    for text, font, _size in ln.runs:
        if text.strip():
            return font
    return ln.font


def check_title(lines: list[Line], el: dict, out: list[Violation]) -> None:
    if not el["title"]:
        return
    title = "".join(lines[k].text for k in el["title"])
    if title and title[-1] in TITLE_END_PUNCT:
        _v(out, "title.punctuation", f"标题末尾不应有标点“{title[-1]}”", f"the title must not end with '{title[-1]}'",
           lines[el["title"][-1]])


def check_attachments(lines: list[Line], el: dict, out: list[Violation]) -> None:
    for k in el["attachments"]:
        t = lines[k].text.rstrip()
        if t and t[-1] in ATTACH_END_PUNCT:
            _v(out, "attachment.punctuation", "附件名称后不加标点符号", "no punctuation after attachment names", lines[k])


def check_qingshi(lines: list[Line], el: dict, out: list[Violation], doc_type: str | None) -> None:
    if doc_type not in ("请示", "报告"):
        return
    body_text = [lines[k].text for k in el["body"]]
    if doc_type == "请示":
        if el["recipients"] is not None:
            n = count_recipients([lines[el["recipients"]].text.rstrip("：:")])
            if n > 1:
                _v(out, "qingshi.recipients", f"请示只能主送一个上级机关（现有 {n} 个）",
                   f"a 请示 goes to exactly one superior body (found {n})", lines[el["recipients"]])
        closings = [k for k in el["body"] if any(c in lines[k].text for c in QINGSHI_CLOSINGS)]
        asks = sum(len(re.findall(r"(?:另|同时|此外)[，,]?(?:请|恳请|拟请)", t)) for t in body_text)
        if len(closings) > 1 or asks:
            _v(out, "qingshi.matters", "请示应一文一事：正文含有多个请示事项",
               "a 请示 must ask about one matter only: the body contains several requests",
               lines[closings[1]] if len(closings) > 1 else lines[el["body"][-1]])
        if el["number"] is not None and "签发人" not in lines[el["number"]].text:
            _v(out, "qingshi.signer", "上行文（请示）应标注签发人", "an upward document (请示) needs the 签发人",
               lines[el["number"]], severity="warning")
    elif doc_type == "报告":
        for k in el["body"]:
            if re.search(r"妥否|请批示|请予批准|请审批", lines[k].text):
                _v(out, "baogao.request", "报告中不得夹带请示事项", "a 报告 must not contain requests", lines[k])


def check_cc(lines: list[Line], el: dict, out: list[Violation]) -> None:
    if el["cc"] is None:
        return
    t = lines[el["cc"]].text.rstrip()
    if not t.endswith("。"):
        _v(out, "cc.full_stop", "抄送机关最后一个名称后应标句号", "the 抄送 list must end with a full stop", lines[el["cc"]])


def check_words(lines: list[Line], out: list[Violation]) -> None:
    for ln in lines:
        for f in proofread(ln.text):
            out.append(Violation(f"proofread.{f.word}", f"{f.note.split(' / ')[0]}（建议：{f.suggestion}）",
                                 (f.note.split(" / ")[1] if " / " in f.note else f"use {f.suggestion}"),
                                 ln.location, f.severity, ln.text[max(0, f.start - 10):f.end + 10]))
        for h in sensitive(ln.text):
            out.append(Violation(f"sensitive.{getattr(h, 'category', '')}", f"敏感词：{h.word}（{h.risk}）",
                                 f"sensitive word: {h.word} ({h.risk})", ln.location,
                                 "error" if getattr(h, "blocking", False) else "warning", h.word))


def _check_lines(lines: list[Line], source: str, *, docx: bool = False) -> tuple[CheckReport, dict]:
    lines = [ln for ln in lines if ln.text.strip()]
    el = read_elements(lines)
    if el["number"] is None and el["recipients"] is None and el["date"] is None:
        raise ZhengwuError("not_gongwen", "未识别出公文要素（发文字号、主送机关、成文日期均未找到），这不像一份公文。",
                           "No 公文 elements found (no document number, recipients or date): this is not an "
                           "official document.")
    out: list[Violation] = []
    title = "".join(lines[k].text for k in el["title"])
    doc_type = type_from_title(title)
    mark = lines[el["mark"]].text if el["mark"] is not None else ""
    number_text = re.sub(r"\s", "", lines[el["number"]].text) if el["number"] is not None else ""
    if mark.endswith("令") or ORDER_NUMBER.match(number_text):
        doc_type = "命令"
    elif mark.endswith("纪要") and doc_type is None:
        doc_type = "纪要"
    if el["number"] is not None:
        check_number(lines[el["number"]], out, doc_type)
    if el["date"] is not None:
        check_date(lines[el["date"]], out)
    if el["printer"] is not None:
        check_date(lines[el["printer"]], out, "印发日期", "print date")
    check_title(lines, el, out)
    check_headings(lines, el["body"], out, docx=docx)
    if el["annex"]:
        check_headings(lines, el["annex"], out, docx=docx)
    check_attachments(lines, el, out)
    check_qingshi(lines, el, out, doc_type)
    check_cc(lines, el, out)
    check_words(lines, out)
    summary = {"type": doc_type, "title": title,
               "number": lines[el["number"]].text if el["number"] is not None else None,
               "recipients": lines[el["recipients"]].text if el["recipients"] is not None else None,
               "date": lines[el["date"]].text if el["date"] is not None else None,
               "signature": lines[el["signature"]].text if el["signature"] is not None else None,
               "paragraphs": len(el["body"]), "attachments": [lines[k].text for k in el["attachments"]],
               "cc": lines[el["cc"]].text if el["cc"] is not None else None}
    return CheckReport(source, out, summary), {"el": el, "lines": lines}


def check_text(text: str) -> CheckReport:
    """Check a plain-text 公文: elements in reading order, one per line or paragraph."""
    raw = str(text or "").replace("\r\n", "\n").replace("\r", "\n")
    lines = [Line(t.strip(), f"line {i}") for i, t in enumerate(raw.split("\n"), 1) if t.strip()]
    if not lines:
        raise ZhengwuError("empty_text", "文本为空。", "The text is empty.")
    return _check_lines(lines, "text")[0]


# ----------------------------------------------------------------------------------------------------- DOCX


def _open_docx(path: Path):  # noqa: ANN202
    import docx

    try:
        head = path.read_bytes()[:8]
    except OSError as exc:
        raise ZhengwuError("unreadable", f"无法读取文件：{path}", f"Cannot read {path}", status=400) from exc
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        _raise_cfb(path)
    if not zipfile.is_zipfile(path):
        raise ZhengwuError("docx_invalid", "不是有效的 DOCX 文件。", "Not a valid DOCX file.")
    try:
        return docx.Document(str(path))
    except Exception as exc:  # noqa: BLE001 - python-docx raises several kinds for broken packages
        raise ZhengwuError("docx_invalid", f"DOCX 文件无法解析：{type(exc).__name__}",
                           f"The DOCX cannot be parsed: {type(exc).__name__}") from exc


def _raise_cfb(path: Path) -> None:
    """An OLE compound file where a DOCX was expected: a password-protected DOCX or a legacy .doc."""
    encrypted = None
    try:
        import msoffcrypto

        with open(path, "rb") as fh:
            encrypted = msoffcrypto.OfficeFile(fh).is_encrypted()
    except Exception:  # noqa: BLE001 - library missing or not an Office file: fall back to the generic message
        encrypted = None
    if encrypted:
        raise ZhengwuError("docx_encrypted", "该文件设有密码（已加密），无法检查；请解除密码后再试。",
                           "The file is password-protected (encrypted); remove the password and try again.")
    if encrypted is False:
        raise ZhengwuError("doc_legacy", "该文件为旧版 .doc 格式，请另存为 .docx 后再检查。",
                           "This is a legacy .doc file; save it as .docx and check again.")
    raise ZhengwuError("docx_encrypted", "该文件已加密（设有密码）或为旧版 .doc 格式，无法检查；请解除密码或另存为 .docx。",
                       "The file is password-protected (encrypted) or a legacy .doc file; remove the password or "
                       "save it as .docx.")


class _Styles:
    """Resolve a run's East Asian font and size through run → paragraph style → docDefaults."""

    def __init__(self, doc) -> None:  # noqa: ANN001
        from docx.oxml.ns import qn

        self.qn = qn
        self.doc = doc
        root = doc.styles.element
        d = root.find(qn("w:docDefaults"))
        rpr = d.find(qn("w:rPrDefault")).find(qn("w:rPr")) if d is not None and d.find(qn("w:rPrDefault")) is not None \
            else None
        self.default_font, self.default_size = self._from_rpr(rpr)
        self.styles = {s.get(qn("w:styleId")): s for s in root.findall(qn("w:style"))}

    def _from_rpr(self, rpr) -> tuple[str | None, float | None]:  # noqa: ANN001
        qn = self.qn
        if rpr is None:
            return None, None
        font = size = None
        rf = rpr.find(qn("w:rFonts"))
        if rf is not None:
            font = rf.get(qn("w:eastAsia")) or None
            if font is None and rf.get(qn("w:eastAsiaTheme")):
                font = f"主题字体 theme {rf.get(qn('w:eastAsiaTheme'))}"
        sz = rpr.find(qn("w:sz"))
        if sz is not None and sz.get(qn("w:val")):
            size = int(sz.get(qn("w:val"))) / 2
        return font, size

    def style_props(self, style_id: str | None) -> tuple[str | None, float | None]:
        qn = self.qn
        font = size = None
        seen = 0
        while style_id and style_id in self.styles and seen < 10:
            s = self.styles[style_id]
            f, z = self._from_rpr(s.find(qn("w:rPr")))
            font, size = font or f, size or z
            based = s.find(qn("w:basedOn"))
            style_id = based.get(qn("w:val")) if based is not None else None
            seen += 1
        if "Normal" in self.styles and not style_id:
            f, z = self._from_rpr(self.styles["Normal"].find(qn("w:rPr")))
            font, size = font or f, size or z
        return font or self.default_font, size or self.default_size

    def line(self, p, location: str) -> Line:  # noqa: ANN001
        qn = self.qn
        ppr = p.find(qn("w:pPr"))
        style_id = None
        align = None
        if ppr is not None:
            ps = ppr.find(qn("w:pStyle"))
            style_id = ps.get(qn("w:val")) if ps is not None else None
            jc = ppr.find(qn("w:jc"))
            align = jc.get(qn("w:val")) if jc is not None else None
        sfont, ssize = self.style_props(style_id or "Normal")
        runs: list[tuple[str, str | None, float | None]] = []
        red = False
        for r in p.iter(qn("w:r")):
            text = "".join(t.text or "" for t in r.iter(qn("w:t")))
            if not text:
                continue
            f, z = self._from_rpr(r.find(qn("w:rPr")))
            runs.append((text, f or sfont, z or ssize))
            c = r.find(f"{qn('w:rPr')}/{qn('w:color')}")
            if c is not None and (c.get(qn("w:val")) or "").upper() in ("FF0000", "E60000", "C00000", "FF0101"):
                red = True
        text = "".join(t for t, _, _ in runs)
        first = next(((f, z) for t, f, z in runs if t.strip()), (sfont, ssize))
        return Line(text.strip(), location, first[0], first[1], align, red, runs)


def docx_lines(doc) -> list[Line]:  # noqa: ANN001
    """Body paragraphs (numbered from 1) and table-cell paragraphs (the 版记) in document order."""
    from docx.oxml.ns import qn

    st = _Styles(doc)
    out: list[Line] = []
    n = 0
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:p"):
            n += 1
            out.append(st.line(child, f"paragraph {n}"))
        elif child.tag == qn("w:tbl"):
            for j, p in enumerate(child.iter(qn("w:p")), 1):
                out.append(st.line(p, f"table after paragraph {n}, line {j}"))
    return out


def _check_page(doc, out: list[Violation]) -> dict:  # noqa: ANN001
    sec = doc.sections[0]
    m = {k: (getattr(sec, a) or 0) / MM for k, a in (("width", "page_width"), ("height", "page_height"),
                                                       ("top", "top_margin"), ("bottom", "bottom_margin"),
                                                       ("left", "left_margin"), ("right", "right_margin"))}
    if abs(m["width"] - PAGE["width"]) > TOL_MM or abs(m["height"] - PAGE["height"]) > TOL_MM:
        _v(out, "page.size", f"纸张应为A4（210×297毫米），现为 {m['width']:.0f}×{m['height']:.0f} 毫米",
           f"paper must be A4 (210×297 mm), found {m['width']:.0f}×{m['height']:.0f} mm", None, location="section 1")
    bad = [k for k in ("top", "bottom", "left", "right") if abs(m[k] - PAGE[k]) > TOL_MM]
    if bad:
        zh = {"top": "上", "bottom": "下", "left": "左", "right": "右"}
        _v(out, "page.margins", "页边距不符合版心要求（上37、下35、左28、右26毫米）：" + "、".join(
            f"{zh[k]} {m[k]:.1f}" for k in bad),
           "margins outside the standard (top 37, bottom 35, left 28, right 26 mm): " + ", ".join(
               f"{k} {m[k]:.1f}" for k in bad), None, location="section 1")
    return {k: round(v, 2) for k, v in m.items()}


def _check_fonts(lines: list[Line], el: dict, out: list[Violation]) -> None:
    """Body paragraphs in 仿宋 3号 (16 pt); title in 小标宋 2号 (22 pt)."""
    bad_font, bad_size = [], []
    for k in el["body"] + el["attachments"] + ([el["signature"]] if el["signature"] is not None else []) + \
            ([el["date"]] if el["date"] is not None else []):
        ln = lines[k]
        level = heading_level(ln.text)
        for text, font, size in ln.runs:
            if not text.strip():
                continue
            if level in (1, 2) and font and (any(w in font for w in HEI_FONTS + KAI_FONTS)):
                continue  # heading runs are checked by heading.font
            if font and not any(w in font for w in FANG_FONTS):
                bad_font.append((ln, font))
            if size and abs(size - 16) > 0.25:
                bad_size.append((ln, size))
            break
    if bad_font:
        ln, font = bad_font[0]
        _v(out, "body.font", f"正文应用仿宋（3号仿宋_GB2312），{len(bad_font)} 段为 {font}",
           f"body text must be 仿宋 (FangSong); {len(bad_font)} paragraph(s) use {font}", ln)
    if bad_size:
        ln, size = bad_size[0]
        _v(out, "body.size", f"正文字号应为3号（16磅），{len(bad_size)} 段为 {size:g} 磅",
           f"body text must be 16 pt (3号); {len(bad_size)} paragraph(s) are {size:g} pt", ln)
    for k in el["title"][:1]:
        ln = lines[k]
        if ln.font and not any(w in ln.font for w in BIAOSONG_FONTS):
            _v(out, "title.font", f"标题应用小标宋体（现为 {ln.font}）", f"the title must be 小标宋 (found {ln.font})", ln)
        if ln.size and abs(ln.size - 22) > 0.25:
            _v(out, "title.size", f"标题字号应为2号（22磅），现为 {ln.size:g} 磅",
               f"the title must be 22 pt (2号), found {ln.size:g} pt", ln)


def check_docx(path: Path) -> CheckReport:
    doc = _open_docx(Path(path))
    lines = docx_lines(doc)
    report, ctx = _check_lines(lines, "docx", docx=True)
    page = _check_page(doc, report.violations)
    _check_fonts(ctx["lines"], ctx["el"], report.violations)
    report.elements["page_mm"] = page
    return report


def check_file(path: Path) -> CheckReport:
    """Check a .docx or a plain-text (.txt/.md) file; ZhengwuError for unreadable or non-公文 input."""
    path = Path(path)
    if not path.is_file():
        raise ZhengwuError("file_not_found", f"找不到文件：{path}", f"File not found: {path}", status=404)
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return check_docx(path)
    if suffix == ".doc":
        raise ZhengwuError("doc_legacy", "不支持旧版 .doc 格式，请另存为 .docx。", "Legacy .doc is not supported; save as .docx.")
    data = path.read_bytes()
    if data.startswith(b"PK\x03\x04"):
        return check_docx(path)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        _raise_cfb(path)
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return check_text(data.decode(enc))
        except UnicodeDecodeError:
            continue
    raise ZhengwuError("text_encoding", "无法识别文本编码（支持 UTF-8、GB18030）。",
                       "Unknown text encoding (UTF-8 and GB18030 are supported).")
