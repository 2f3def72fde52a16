"""Render a DocSpec to a DOCX that follows GB/T 9704-2012 (standards.md §1.1–1.2).

Layout decisions, each traceable to the standard:
- A4, margins top 37 / bottom 35 / left 28 / right 26 mm → a 156 × 225 mm type area (版心).
- 22 lines × 28 characters: a `w:docGrid` of type linesAndChars with linePitch 579 twips (225 mm / 22 =
  28.95 pt) and charSpace −842 (16 pt + −842/4096 pt = 15.79 pt = 156 mm / 28), and every paragraph at an
  exact line spacing of 579 twips, so Word, WPS and LibreOffice all set 22 lines.
- Fonts are written into every run with `w:eastAsia` (and ascii/hAnsi/cs), because a Chinese font set only
  in `w:ascii` is ignored for Chinese characters. 仿宋_GB2312 3号 (16 pt) by default, 方正小标宋简体 2号
  (22 pt) for the title, 黑体 for 一、 headings, 楷体_GB2312 for （一） headings and the 签发人 name, 仿宋 4号
  (14 pt) for the 版记, 宋体 4号 for page numbers.
- The red 发文机关标志 starts 35 mm below the top of the type area (20 mm for a 命令); the red separator is
  a bottom border 4 mm under the 发文字号 line, as wide as the type area.
- Page numbers "— N —" 7 mm below the type area, odd pages right and even pages left, one character in
  (`w:evenAndOddHeaders`).
- The 版记 is a table anchored to the bottom of the type area on the last page, with 0.35 mm first and last
  lines and 0.25 mm lines between its rows.
The seal itself is applied by the issuing office; the layout leaves its place (2 lines) above the 署名.

Why one module of this size: it renders GB/T 9704 element by element in the standard's order (版头, 主体,
版记, page numbers), each element a short function; splitting by element would scatter the one layout.
"""

from __future__ import annotations

import hashlib
import math
import re
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

import docx
import jieba
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from zhengwu.context import cli_caller
from zhengwu.gateway import Governed, govern
from zhengwu.context import Caller
from zhengwu.errors import ZhengwuError
from zhengwu.writing.doctypes import UP
from zhengwu.writing.spec import DocSpec, body_paragraphs, em_width, heading_level, join_names

# Font names as 公文 templates write them (the fontconfig alias file maps them for LibreOffice).
FANGSONG = "仿宋_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"

BODY_PT = 16  # 3号
TITLE_PT = 22  # 2号
BANJI_PT = 14  # 4号
PAGENUM_PT = 14  # 4号
RED = "FF0000"

MM_TWIPS = 1440 / 25.4
PAGE_W_MM, PAGE_H_MM = 210, 297
MARGIN_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
TYPE_W_MM, TYPE_H_MM = 156, 225
LINES, CHARS = 22, 28
LINE_PITCH = 579  # twips: 225 mm / 22 lines = 28.95 pt
CHAR_SPACE = -842  # 1/4096 pt added to the 16 pt default: 15.79 pt = 156 mm / 28
CHAR_TWIPS = TYPE_W_MM * MM_TWIPS / CHARS  # 315.9 twips per grid character
# Paragraphs do not snap to the character grid (LibreOffice gives a 16 pt character two 15.79 pt cells instead
# of compressing it as Word does); 3号 runs are tracked by −0.4 pt instead, so 28 characters fit 156 mm.
BODY_TRACKING = -8  # twentieths of a point: 28 × 15.6 pt = 437 pt < 442 pt (rounding slack)
TYPE_W_TWIPS = round(TYPE_W_MM * MM_TWIPS)  # 8844
MARK_TOP_MM = {"order": 20}
MARK_TOP_DEFAULT_MM = 35
FOOTER_MM = 20  # footer bottom; the 信函格式 lower double line sits here (20 mm above the page edge)
PAGENUM_LIFT = 170  # twips below the page number: its 14 pt line then starts 7 mm below the type area
BANJI_THICK = 8  # eighths of a point: 1 pt = 0.353 mm (0.35 mm recommended)
BANJI_THIN = 6  # 0.75 pt = 0.265 mm (0.25 mm recommended)
# LibreOffice floats a table only when it is narrower than the text area: 0.1 mm less than the 版心.
BANJI_W = TYPE_W_TWIPS - 6
SEPARATOR_SZ = 12  # red separator, 1.5 pt
TITLE_CHARS_PER_LINE = 20  # 156 mm / 22 pt

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


# ----------------------------------------------------------------------------------------------- XML bits


def _rpr(font: str, size_pt: float, *, color: str | None = None, bold: bool = False, scale: int | None = None,
         tracking: int | None = None) -> str:
    half = int(round(size_pt * 2))
    if tracking is None:
        tracking = BODY_TRACKING if size_pt == BODY_PT else 0
    return ("<w:rPr>"
            f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}" w:hint="eastAsia"/>'
            + ("<w:b/><w:bCs/>" if bold else "")
            + (f'<w:color w:val="{color}"/>' if color else "")
            + (f'<w:spacing w:val="{tracking}"/>' if tracking else "")
            + (f'<w:w w:val="{scale}"/>' if scale else "")
            + f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'
            "</w:rPr>")


def _run(text: str, font: str = FANGSONG, size_pt: float = BODY_PT, **kw) -> str:
    parts = text.split("\n")
    inner = '<w:br/>'.join(f'<w:t xml:space="preserve">{escape(p)}</w:t>' for p in parts)
    return f"<w:r>{_rpr(font, size_pt, **kw)}{inner}</w:r>"


def _tab_run(font: str = FANGSONG, size_pt: float = BODY_PT) -> str:
    return f"<w:r>{_rpr(font, size_pt)}<w:tab/></w:r>"


def _ppr(*, align: str = "both", first_chars: float = 0, left_chars: float = 0, right_chars: float = 0,
         hanging_chars: float = 0, char_twips: float = CHAR_TWIPS, line: int | None = LINE_PITCH,
         line_rule: str = "exact", before: int = 0, grid: bool = False, border_bottom: str = "",
         tabs: str = "", page_break: bool = False, keep_next: bool = False, font: str = FANGSONG,
         size_pt: float = BODY_PT) -> str:
    """Paragraph properties in schema order; indents in characters (both *Chars and twips for LibreOffice)."""
    ind = ""
    if first_chars or left_chars or right_chars or hanging_chars:
        attrs = []
        if left_chars:
            attrs.append(f'w:leftChars="{int(left_chars * 100)}" w:left="{round(left_chars * char_twips)}"')
        if right_chars:
            attrs.append(f'w:rightChars="{int(right_chars * 100)}" w:right="{round(right_chars * char_twips)}"')
        if hanging_chars:
            attrs.append(f'w:hangingChars="{int(hanging_chars * 100)}" w:hanging="{round(hanging_chars * char_twips)}"')
        elif first_chars:
            attrs.append(f'w:firstLineChars="{int(first_chars * 100)}" w:firstLine="{round(first_chars * char_twips)}"')
        ind = f"<w:ind {' '.join(attrs)}/>"
    spacing = f'<w:spacing w:before="{before}" w:after="0"' + (
        f' w:line="{line}" w:lineRule="{line_rule}"/>' if line else "/>")
    return ("<w:pPr>"
            + ("<w:keepNext/>" if keep_next else "")
            + ("<w:pageBreakBefore/>" if page_break else "")
            + "<w:widowControl w:val=\"0\"/>"
            + (f"<w:pBdr>{border_bottom}</w:pBdr>" if border_bottom else "")
            + (f"<w:tabs>{tabs}</w:tabs>" if tabs else "")
            + ("" if grid else '<w:snapToGrid w:val="0"/>')
            + spacing + ind
            + f'<w:jc w:val="{align}"/>'
            + _rpr(font, size_pt).replace("<w:rPr>", "<w:rPr>", 1)
            + "</w:pPr>")


def _p(runs: str = "", **ppr) -> str:
    return f"<w:p {_W}>{_ppr(**ppr)}{runs}</w:p>"


def _blank(n: int = 1) -> list[str]:
    return [_p() for _ in range(n)]


# ----------------------------------------------------------------------------------------------- elements


def split_title(title: str, per_line: int = TITLE_CHARS_PER_LINE) -> list[str]:
    """Break a long title into balanced lines (梯形/菱形, not 沙漏形) at word boundaries."""
    def width(s: str) -> float:  # half-width digits and letters take half a character
        return sum(0.5 if ch.isascii() else 1 for ch in s)

    if width(title) <= per_line:
        return [title]
    n = math.ceil(width(title) / per_line)
    jieba.setLogLevel(60)
    bounds, pos = set(), 0
    for tok in jieba.cut(title, HMM=False):
        pos += len(tok)
        bounds.add(pos)
    no_start = "，。、；：？！”’）》〕」』】…—"
    no_end = "“‘（《〔「『【"
    good_end = "的于和及与、，"  # a line may well end after 关于…的 / 和 / 、

    def score(c: int, d: int) -> float:
        s = abs(d)
        if c not in bounds:
            s += 3
        if c in bounds and (c + 1) in bounds and c + 1 < len(title):  # next line starts with a 1-character word
            s += 2
        if title[c - 1] in good_end:
            s -= 1
        return s

    cuts, start = [], 0
    for k in range(1, n):
        ideal = round(len(title) * k / n)
        options = []
        for d in range(-4, 5):
            c = ideal + d
            if c <= start or c >= len(title) or width(title[start:c]) > per_line or \
                    width(title[c:]) > per_line * (n - k):
                continue
            inside_number = title[c].isascii() and title[c].isalnum() and title[c - 1].isascii() and \
                title[c - 1].isalnum()
            if title[c] in no_start or title[c - 1] in no_end or inside_number:
                continue
            options.append((score(c, d), abs(d), c))
        best = min(options)[2] if options else min(start + per_line, ideal)
        cuts.append(best)
        start = best
    pieces, prev = [], 0
    for c in cuts + [len(title)]:
        pieces.append(title[prev:c])
        prev = c
    return [p for p in pieces if p]


def _heading_runs(text: str, level: int) -> str:
    """一、 headings in 黑体, （一） in 楷体 (only the heading sentence if body text follows on the line)."""
    font = {1: HEITI, 2: KAITI}.get(level)
    if not font:
        return _run(text)
    m = re.search(r"[。！？]", text)
    if m and m.end() < len(text):
        return _run(text[:m.end()], font) + _run(text[m.end():])
    return _run(text, font)


def _mark_size(mark: str) -> tuple[float, int | None]:
    """Font size (pt) and horizontal scale (%) so that the 标志 fits the type area width."""
    avail = TYPE_W_MM * 72 / 25.4 * 0.96
    size = min(42.0, avail / max(len(mark), 1))
    if size >= TITLE_PT:
        return float(int(size)), None
    return float(TITLE_PT), max(40, int(100 * avail / (len(mark) * TITLE_PT)))


def _page_number_footer(side: str) -> str:
    rpr = _rpr(SONGTI, PAGENUM_PT)
    fld = (f'<w:r>{rpr}<w:t xml:space="preserve">— </w:t></w:r>'
           f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
           f'<w:r>{rpr}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
           f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'
           f'<w:r>{rpr}<w:t>1</w:t></w:r>'
           f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>'
           f'<w:r>{rpr}<w:t xml:space="preserve"> —</w:t></w:r>')
    one = PAGENUM_PT * 20
    ind = f'<w:ind w:right="{one}"/>' if side == "right" else f'<w:ind w:left="{one}"/>'
    return (f"<w:p {_W}><w:pPr><w:snapToGrid w:val=\"0\"/>"
            f'<w:spacing w:before="0" w:after="{PAGENUM_LIFT}" w:line="{PAGENUM_PT * 20}" w:lineRule="exact"/>{ind}'
            f'<w:jc w:val="{side}"/>{rpr}</w:pPr>{fld}</w:p>')


LETTER_MARK_TOP_MM = 30  # 信函格式: the mark's top edge 30 mm from the top of the page
LETTER_LINE_MM = 170  # the red double lines are 170 mm long, centred (7 mm beyond the type area each side)


def _letter_header(mark: str) -> str:
    """信函格式 first-page header: red mark, and 4 mm below it a red double line (thick above, thin below)."""
    size, scale = _mark_size(mark)
    out = round((LETTER_LINE_MM - TYPE_W_MM) / 2 * MM_TWIPS)
    border = f'<w:bottom w:val="thickThinSmallGap" w:sz="12" w:space="11" w:color="{RED}"/>'
    return (f"<w:p {_W}><w:pPr><w:pBdr>{border}</w:pBdr><w:snapToGrid w:val=\"0\"/>"
            f'<w:spacing w:before="0" w:after="0" w:line="{round(size * 20 * 1.2)}" w:lineRule="exact"/>'
            f'<w:ind w:left="-{out}" w:right="-{out}"/><w:jc w:val="center"/>{_rpr(XIAOBIAOSONG, size)}</w:pPr>'
            f"{_run(mark, XIAOBIAOSONG, size, color=RED, scale=scale)}</w:p>")


def _letter_footer() -> str:
    """信函格式 first-page footer: no page number; a red double line (thin above, thick below) 20 mm above
    the bottom edge of the page."""
    out = round((LETTER_LINE_MM - TYPE_W_MM) / 2 * MM_TWIPS)
    border = f'<w:bottom w:val="thinThickSmallGap" w:sz="12" w:space="0" w:color="{RED}"/>'
    return (f"<w:p {_W}><w:pPr><w:pBdr>{border}</w:pBdr><w:snapToGrid w:val=\"0\"/>"
            '<w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
            f'<w:ind w:left="-{out}" w:right="-{out}"/>{_rpr(FANGSONG, 1)}</w:pPr></w:p>')


_BANJI_BORDERS = ("<w:tblBorders>"
                  f'<w:top w:val="single" w:sz="{BANJI_THICK}" w:space="0" w:color="000000"/>'
                  '<w:left w:val="nil"/>'
                  f'<w:bottom w:val="single" w:sz="{BANJI_THICK}" w:space="0" w:color="000000"/>'
                  '<w:right w:val="nil"/>'
                  f'<w:insideH w:val="single" w:sz="{BANJI_THIN}" w:space="0" w:color="000000"/>'
                  '<w:insideV w:val="nil"/>'
                  "</w:tblBorders>")
_NO_BORDERS = ('<w:tblBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/>'
               '<w:insideH w:val="nil"/><w:insideV w:val="nil"/></w:tblBorders>')


def _banji_table(spec: DocSpec) -> str:
    """版记: 抄送 and 印发机关/印发日期 rows between a thick first line, thin middle lines and a thick last line,
    in a table floated to the bottom of the type area of the last page (its last line on the 版心's lower
    edge). The position is absolute from the page top, which both Word and LibreOffice honour."""
    rows: list[str] = []
    one = BANJI_PT * 20  # one 4号 character, twips
    para = dict(line=LINE_PITCH, grid=False, font=FANGSONG, size_pt=BANJI_PT, char_twips=one)
    if spec.cc:
        text = "抄送：" + join_names(spec.cc)
        if not text.endswith("。"):
            text += "。"
        # Wrapped lines align after the colon: hanging indent of 3 characters from a 1-character left indent.
        ppr = _ppr(align="left", left_chars=4, right_chars=1, hanging_chars=3, **para)
        rows.append(f"<w:p>{ppr}{_run(text, FANGSONG, BANJI_PT)}</w:p>")
    letter = spec.doctype.layout == "letter"  # 信函格式: no lines in the 版记
    if spec.printer and "printer" not in spec.doctype.forbidden:  # a 函 has no 印发机关/日期
        tabs = f'<w:tab w:val="right" w:pos="{BANJI_W - one}"/>'
        ppr = _ppr(align="left", left_chars=1, tabs=tabs, **para)
        runs = _run(spec.printer, FANGSONG, BANJI_PT) + _tab_run(FANGSONG, BANJI_PT) + \
            _run(f"{spec.print_date}印发", FANGSONG, BANJI_PT)
        rows.append(f"<w:p>{ppr}{runs}</w:p>")
    if not rows:
        return ""
    cc_lines = 1
    if spec.cc:  # 4号 characters per line: 29 on the first (after 1 character in), 26 on wrapped lines
        per_line = (TYPE_W_MM * 72 / 25.4) / BANJI_PT
        first, rest = int(per_line - 2), int(per_line - 5)
        total = len("抄送：" + join_names(spec.cc) + "。")
        cc_lines = 1 + max(0, math.ceil((total - first) / rest))
    height = LINE_PITCH * ((cc_lines if spec.cc else 0) + (1 if spec.printer and not letter else 0))
    bottom = round((MARGIN_MM["top"] + TYPE_H_MM) * MM_TWIPS)
    left = round(MARGIN_MM["left"] * MM_TWIPS)
    trs = "".join(
        f'<w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc><w:tcPr><w:tcW w:w="{BANJI_W}" w:type="dxa"/></w:tcPr>{p}'
        f"</w:tc></w:tr>" for p in rows)
    return (f"<w:tbl {_W}><w:tblPr>"
            '<w:tblpPr w:leftFromText="0" w:rightFromText="0" w:topFromText="0" w:bottomFromText="0" '
            f'w:vertAnchor="page" w:horzAnchor="page" w:tblpX="{left}" w:tblpY="{bottom - height}"/>'
            '<w:tblOverlap w:val="never"/>'
            f'<w:tblW w:w="{BANJI_W}" w:type="dxa"/>'
            + (_NO_BORDERS if letter else _BANJI_BORDERS) +
            '<w:tblLayout w:type="fixed"/>'
            '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="0" w:type="dxa"/>'
            '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar>'
            '<w:tblLook w:val="0000"/>'
            f'</w:tblPr><w:tblGrid><w:gridCol w:w="{BANJI_W}"/></w:tblGrid>{trs}</w:tbl>')


def _signature_block(spec: DocSpec) -> list[str]:
    """署名 and 成文日期: sealed → 署名 centred over the date, date 4 characters from the right (§7.3.5.1);
    unsealed (纪要) → 署名 2 characters from the right, date starting 2 characters right of it (§7.3.5.2)."""
    sig, date = spec.signature, spec.date
    out: list[str] = []
    if not sig:
        return [_p(_run(date), align="right", right_chars=4)] if date else []
    ls, ld = em_width(sig), em_width(date)  # printed widths: the date's numerals are half-width
    if spec.doctype.sealed:
        out += _blank(2)
        right_sig = max(0.0, 4 + (ld - ls) / 2)
        out.append(_p(_run(sig), align="right", right_chars=right_sig))
        out.append(_p(_run(date), align="right", right_chars=4))
    else:
        out += _blank(1)
        right_date = ls - 2 - ld + 2  # date begins 2 characters right of the 署名's first character
        right_sig = 2.0
        if right_date < 2:
            right_sig, right_date = 2 + (2 - right_date), 2
        out.append(_p(_run(sig), align="right", right_chars=right_sig))
        out.append(_p(_run(date), align="right", right_chars=right_date))
    return out


def _version_head(spec: DocSpec, top_lines: int) -> list[str]:
    """版头 of the 文件/命令/纪要 formats: red mark, 发文字号 (+ 签发人) and the red separator."""
    dt = spec.doctype
    out: list[str] = []
    # 发文机关标志
    mark = dt.mark(spec.issuer)
    size, scale = _mark_size(mark)
    mark_top_twips = round(MARK_TOP_MM.get(dt.layout, MARK_TOP_DEFAULT_MM) * MM_TWIPS) - top_lines * LINE_PITCH
    out.append(_p(_run(mark, XIAOBIAOSONG, size, color=RED, scale=scale), align="center", grid=False,
                  before=max(0, mark_top_twips), line=round(size * 20 * 1.2), font=XIAOBIAOSONG, size_pt=size))
    out += _blank(2)
    # 发文字号 (+ 签发人 for 上行文) with the red separator 4 mm below
    border = ("" if dt.layout == "order" else
              f'<w:bottom w:val="single" w:sz="{SEPARATOR_SZ}" w:space="11" w:color="{RED}"/>')
    if dt.direction == UP and spec.signer:
        tabs = (f'<w:tab w:val="left" w:pos="{round(CHAR_TWIPS)}"/>'
                f'<w:tab w:val="right" w:pos="{TYPE_W_TWIPS - round(CHAR_TWIPS)}"/>')
        runs = _tab_run() + _run(spec.number) + _tab_run() + _run("签发人：") + _run("　".join(spec.signer), KAITI)
        out.append(_p(runs, align="left", tabs=tabs, border_bottom=border))
    else:
        out.append(_p(_run(spec.number) if spec.number else "", align="center", border_bottom=border))
    out += _blank(2)
    return out


def build_paragraphs(spec: DocSpec, *, ai_label: str | None = None) -> tuple[list[str], str]:
    """The body XML elements (paragraphs, then the 版记 table) of the document."""
    dt = spec.doctype
    out: list[str] = []
    top_lines = 0
    for text, font in ((spec.copy_number, FANGSONG), (spec.secrecy, HEITI), (spec.urgency, HEITI)):
        if text:
            out.append(_p(_run(text, font), align="left"))
            top_lines += 1
    if dt.layout == "letter":
        # 信函格式 (GB/T 9704 §10.1): mark and double lines in the first-page header and footer; the 发文字号
        # flush right under the 份号/密级/紧急程度 lines (if any); the title two lines below.
        out.append(_p(_run(spec.number), align="right"))
        out += _blank(2)
    else:
        out += _version_head(spec, top_lines)
    # 标题 (a 命令 has none: its text follows the 令号 after two blank lines, GB/T 9704 §10.2)
    if dt.layout != "order":
        title_runs = _run("\n".join(split_title(spec.title)), XIAOBIAOSONG, TITLE_PT)
        out.append(_p(title_runs, align="center", grid=False, font=XIAOBIAOSONG, size_pt=TITLE_PT))
    # 主送机关
    if spec.recipients:
        out += _blank(1)
        out.append(_p(_run(join_names(spec.recipients) + "："), align="both"))
    # 正文
    for para in spec.paragraphs():
        level = heading_level(para)
        out.append(_p(_heading_runs(para, level), align="both", first_chars=2))
    # 附件说明
    if spec.attachments:
        out += _blank(1)
        if len(spec.attachments) == 1:
            out.append(_p(_run("附件：" + spec.attachments[0].title), align="both", left_chars=5, hanging_chars=3))
        else:
            for i, a in enumerate(spec.attachments, 1):
                if i == 1:
                    out.append(_p(_run(f"附件：{i}.{a.title}"), align="both", left_chars=5 + 1 + len(str(i)) * 0.5,
                                  hanging_chars=3 + 1 + len(str(i)) * 0.5))
                else:
                    out.append(_p(_run(f"{i}.{a.title}"), align="both", left_chars=5 + 1 + len(str(i)) * 0.5,
                                  hanging_chars=1 + len(str(i)) * 0.5))
    # 署名、成文日期、附注
    out += _signature_block(spec)
    if spec.note:
        note = spec.note if spec.note.startswith(("（", "(")) else f"（{spec.note}）"
        out.append(_p(_run(note), align="both", first_chars=2))
    if ai_label:
        out.append(_p(_run(f"（{ai_label}）"), align="both", first_chars=2))
    # 附件 bodies, each on a new page
    numbered = len(spec.attachments) > 1
    for i, a in enumerate(spec.attachments, 1):
        if not a.body.strip():
            continue
        out.append(_p(_run(f"附件{i}" if numbered else "附件", HEITI), align="left", page_break=True))
        out += _blank(1)
        out.append(_p(_run("\n".join(split_title(a.title)), XIAOBIAOSONG, TITLE_PT), align="center", grid=False,
                      font=XIAOBIAOSONG, size_pt=TITLE_PT))
        out += _blank(1)
        for para in body_paragraphs(a.body):
            out.append(_p(_heading_runs(para, heading_level(para)), align="both", first_chars=2))
    return out, _banji_table(spec)


# ----------------------------------------------------------------------------------------------- document


def _setup_document(doc, title: str, letter_mark: str | None = None) -> None:  # noqa: ANN001
    """Styles without theme fonts, A4 section with the 22×28 grid, odd/even page-number footers."""
    styles = doc.styles.element
    for rfonts in styles.iter(qn("w:rFonts")):
        for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            rfonts.attrib.pop(qn(f"w:{attr}"), None)
        for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
            rfonts.set(qn(f"w:{attr}"), FANGSONG)
    defaults = styles.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for tag in ("w:sz", "w:szCs"):
        el = rpr_default.find(qn(tag))
        if el is None:
            el = parse_xml(f'<{tag} {_W} w:val="{BODY_PT * 2}"/>')
            rpr_default.append(el)
        el.set(qn("w:val"), str(BODY_PT * 2))
    lang = rpr_default.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")
    normal = doc.styles["Normal"]
    # LibreOffice derives the character-grid pitch from the Normal style's (Asian) font size: set it.
    normal.font.size = Pt(BODY_PT)
    normal.font.name = FANGSONG
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FANGSONG)
    pf = normal.paragraph_format
    pf.space_before = pf.space_after = 0

    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(PAGE_W_MM), Mm(PAGE_H_MM)
    sec.top_margin, sec.bottom_margin = Mm(MARGIN_MM["top"]), Mm(MARGIN_MM["bottom"])
    sec.left_margin, sec.right_margin = Mm(MARGIN_MM["left"]), Mm(MARGIN_MM["right"])
    sec.header_distance, sec.footer_distance = Mm(15), Mm(FOOTER_MM)
    sec.gutter = 0
    sect = sec._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = parse_xml(f"<w:docGrid {_W}/>")
        sect.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))

    doc.settings.odd_and_even_pages_header_footer = True
    for footer, side in ((sec.footer, "right"), (sec.even_page_footer, "left")):
        footer.is_linked_to_previous = False
        fe = footer._element
        for child in list(fe):
            fe.remove(child)
        fe.append(parse_xml(_page_number_footer(side)))
    if letter_mark:
        sec.different_first_page_header_footer = True
        for part, xml in ((sec.first_page_header, _letter_header(letter_mark)), (sec.first_page_footer, _letter_footer())):
            part.is_linked_to_previous = False
            el = part._element
            for child in list(el):
                el.remove(child)
            el.append(parse_xml(xml))
        sec.header_distance = Mm(LETTER_MARK_TOP_MM)
    cp = doc.core_properties
    cp.title = title
    cp.author = ""
    cp.comments = "GB/T 9704-2012"


def build_document(spec: DocSpec, *, ai_label: str | None = None):  # noqa: ANN201
    """The python-docx Document of a spec (not saved, no label property, no audit)."""
    doc = docx.Document()
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    letter = spec.doctype.mark(spec.issuer) if spec.doctype.layout == "letter" else None
    _setup_document(doc, spec.title, letter_mark=letter)
    sect = body.find(qn("w:sectPr"))
    paragraphs, banji = build_paragraphs(spec, ai_label=ai_label)
    for xml in paragraphs:
        sect.addprevious(parse_xml(xml))
    if banji:
        sect.addprevious(parse_xml(banji))
        # Body must end with a paragraph; keep it 1 pt high so it never adds a page.
        sect.addprevious(parse_xml(f'<w:p {_W}><w:pPr><w:snapToGrid w:val="0"/><w:spacing w:before="0" '
                                   f'w:after="0" w:line="20" w:lineRule="exact"/>{_rpr(FANGSONG, 1)}</w:pPr></w:p>'))
    return doc


def spec_text(spec: DocSpec) -> str:
    """The plain-text form of a spec: its elements in reading order, one per line (what check_text reads)."""
    lines = [x for x in (spec.copy_number, spec.secrecy, spec.urgency) if x]
    if spec.number:
        lines.append(spec.number + (f"　签发人：{'　'.join(spec.signer)}" if spec.signer else ""))
    if spec.doctype.layout != "order":
        lines.append(spec.title)
    if spec.recipients:
        lines.append(join_names(spec.recipients) + "：")
    lines += spec.paragraphs()
    if spec.attachments:
        if len(spec.attachments) == 1:
            lines.append("附件：" + spec.attachments[0].title)
        else:
            lines += [("附件：" if i == 1 else "") + f"{i}.{a.title}" for i, a in enumerate(spec.attachments, 1)]
    if spec.signature:
        lines.append(spec.signature)
    lines.append(spec.date)
    if spec.note:
        lines.append(spec.note if spec.note.startswith("（") else f"（{spec.note}）")
    if spec.cc:
        lines.append("抄送：" + join_names(spec.cc) + "。")
    if spec.printer:
        lines.append(f"{spec.printer}　　{spec.print_date}印发")
    return "\n".join(lines) + "\n"


def render_docx(spec: DocSpec, out: Path, *, ai_generated: bool = False, caller: Caller | None = None,
                audit: bool = True) -> Path:
    """Write the GB/T 9704-2012 DOCX of `spec` to `out` and leave a "doc_render" audit record.

    With ai_generated=True the visible label (人工智能生成) is set as the last line of the 主体 and the
    implicit AIGC custom property is added through zhengwu.gateway.labels.label_docx.
    """
    out = Path(out)
    doc = build_document(spec, ai_label=Governed.explicit_label() if ai_generated else None)
    if ai_generated:
        Governed.label_docx(doc)
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        doc.save(str(out))
    except OSError as exc:
        raise ZhengwuError("render_write_failed", f"无法写入文件：{out}（{exc.strerror}）",
                           f"Cannot write {out}: {exc.strerror}") from exc
    if audit:
        _audit(spec, out, ai_generated, caller)
    return out


def render_docx_bytes(spec: DocSpec, *, ai_generated: bool = False, caller: Caller | None = None) -> bytes:
    """The DOCX as bytes (for HTTP downloads); audited like render_docx."""
    with tempfile.TemporaryDirectory(prefix="zhengwu-render-") as tmp:
        path = render_docx(spec, Path(tmp) / "doc.docx", ai_generated=ai_generated, caller=caller)
        return path.read_bytes()


def _audit(spec: DocSpec, out: Path, ai_generated: bool, caller: Caller | None) -> None:
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    with govern(caller or cli_caller(), "doc_render", input=spec.title, decisions="off") as g:
        g.finish(action="render_docx", output=spec_text(spec),
                 extra={"doc_type": spec.type, "number": spec.number, "file": out.name, "sha256": digest,
                        "ai_generated": ai_generated})
