"""Reading a PDF's text layer into the checker's neutral `Document` model (model.py), with pypdfium2.

Why: 公文 often arrive as PDFs. A PDF has no styles or paragraphs, but its text layer still says, per
character, the font, size, colour and position as printed — enough for the element finder and most rules
(sizes, colours, alignment, page size and margins, page numbers). What a PDF cannot say the model leaves
empty: the fonts are the faces actually embedded (a machine without 仿宋_GB2312 prints another face, and the
PDF says so), and margins, grid and paragraphs are reconstructed from the printed lines:
- visual lines are pdfium's own line breaks (and a jump in the baseline);
- a line that runs to the right edge of the text block, followed by one starting at its left edge in the same
  size, continues the same paragraph (also across a page break);
- the page number is a short "— N —" / "N" line below the text block; its side tells odd from even, its
  distance below the 版心 and, on even pages, in from its left edge are measured;
- margins are the text block's edges (left and right from the lines, top and bottom from the pages after the
  first, less half the leading), rounded to 0.5 mm.
A PDF without a text layer (a scan) is refused with a bilingual message; so is an encrypted or broken one.
"""

from __future__ import annotations

import colorsys
import ctypes
import re
from dataclasses import dataclass, field
from pathlib import Path

from zhengwu.errors import ZhengwuError
from zhengwu.writing.check.intake import guard_length
from zhengwu.writing.check.model import Document, Grid, Line, PageNumber, Run, Section
from zhengwu.writing.spec import heading_level

PT_MM = 25.4 / 72
MIN_CHARS_PER_PAGE = 20  # fewer printable characters per page on average: a scan (perhaps with a stamp's text)
GB_TOP_MM, GB_BOTTOM_MM = 37.0, 35.0
TITLE_MIN_PT = 18  # centred lines of this size or more, one under the other, are one title over several lines
HANGING = "，。、；：！？,.;:!?）》」』”’"  # marks that may hang past the right edge of the text block
PAGE_NUMBER = re.compile(r"^[—\-–－]?\s*(\d{1,4})\s*[—\-–－]?$")


@dataclass
class _Char:
    ch: str
    font: str
    size: float
    color: str
    left: float
    right: float
    top: float  # from the page top, pt
    bottom: float


@dataclass
class _VLine:
    """One printed line of one page."""

    page: int
    chars: list[_Char] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(c.ch for c in self.chars).strip()

    @property
    def left(self) -> float:
        return min(c.left for c in self.ink)

    @property
    def right(self) -> float:
        return max(c.right for c in self.ink)

    @property
    def top(self) -> float:
        return min(c.top for c in self.ink)

    @property
    def bottom(self) -> float:
        return max(c.bottom for c in self.ink)

    @property
    def ink(self) -> list[_Char]:
        return [c for c in self.chars if c.ch.strip()] or self.chars

    @property
    def size(self) -> float:
        return max((c.size for c in self.ink), default=0.0)


@dataclass
class _Rule:
    """A horizontal line drawn on a page (a border, a 版记 or 版头 separator): where and how thick."""

    page: int
    y: float  # from the page top, pt
    width: float  # its length, pt
    thick_mm: float


def read_pdf(path: Path) -> Document:
    """The PDF's printed lines as paragraphs with their runs, page sections and page numbers."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ZhengwuError("pdf_encrypted", "该 PDF 设有密码（已加密），无法检查；请提供未加密的文件。",
                               "The PDF is password-protected (encrypted); provide an unencrypted file.") from exc
        raise ZhengwuError("pdf_invalid", "PDF 文件已损坏，无法读取。", "The PDF is damaged and cannot be read.") from exc
    try:
        guard_length(len(pdf))
        pages = [_Page(n, *p.get_size(), _page_lines(p, n), _page_rules(p, n)) for n, p in enumerate(pdf, 1)]
    finally:
        pdf.close()
    printed = sum(len(c.ch.strip()) for pg in pages for ln in pg.lines for c in ln.chars)
    if not pages or printed < MIN_CHARS_PER_PAGE * len(pages):
        raise ZhengwuError("pdf_scanned", "该 PDF 没有文字层（是扫描件或图片），无法检查格式；请提供原始 DOCX，"
                                          "或先做文字识别（OCR）。",
                           "The PDF has no text layer (it is a scan or an image), so its format cannot be checked; "
                           "provide the original DOCX, or run text recognition (OCR) first.")
    return _document(pages)


@dataclass
class _Page:
    number: int
    width: float
    height: float
    lines: list[_VLine]
    rules: list[_Rule]


def _page_lines(page, number: int) -> list[_VLine]:  # noqa: ANN001 - a pypdfium2 PdfPage
    import pypdfium2.raw as raw

    height = page.get_size()[1]
    tp = page.get_textpage()
    buf = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    l_, r_, b_, t_ = (ctypes.c_double() for _ in range(4))
    rgba = [ctypes.c_uint() for _ in range(4)]
    lines: list[_VLine] = [_VLine(number)]
    band: tuple[float, float, float] | None = None  # top, bottom and size of the current line's ink
    try:
        for i in range(tp.count_chars()):
            ch = chr(raw.FPDFText_GetUnicode(tp, i))
            if ch in "\r\n":
                if lines[-1].chars:
                    lines.append(_VLine(number))
                    band = None
                continue
            if raw.FPDFText_IsGenerated(tp, i) or ch == "\x00":
                continue
            raw.FPDFText_GetCharBox(tp, i, *map(ctypes.byref, (l_, r_, b_, t_)))
            n = raw.FPDFText_GetFontInfo(tp, i, buf, len(buf), ctypes.byref(flags))
            font = buf.value[:max(n - 1, 0)].decode("utf-8", "replace").split("+", 1)[-1] or None
            raw.FPDFText_GetFillColor(tp, i, *map(ctypes.byref, rgba))
            c = _Char(ch, font, round(raw.FPDFText_GetFontSize(tp, i), 1),
                      "{:02X}{:02X}{:02X}".format(*(v.value for v in rgba[:3])),
                      l_.value, r_.value, height - t_.value, height - b_.value)
            if ch.strip():  # a character off the line's band (its printed extent so far) starts a new line
                if band is not None and lines[-1].chars and \
                        abs((c.top + c.bottom) - (band[0] + band[1])) / 2 > max(c.size, band[2]) * 0.6:
                    lines.append(_VLine(number))
                    band = None
                band = (c.top, c.bottom, c.size) if band is None else \
                    (min(band[0], c.top), max(band[1], c.bottom), max(band[2], c.size))
            lines[-1].chars.append(c)
    finally:
        tp.close()
    # reading order is top to bottom: a floating text box (the 发文机关标志) may come last in the content stream
    return sorted((ln for ln in lines if ln.text), key=lambda ln: (round(ln.top / 3), ln.left))


def _page_rules(page, number: int) -> list[_Rule]:  # noqa: ANN001
    """Horizontal lines of at least 30 mm: path objects (stroked or filled) flatter than 2 pt."""
    import pypdfium2.raw as raw

    height = page.get_size()[1]
    out = []
    width = ctypes.c_float()
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=3):
        left, bottom, right, top = obj.get_bounds()
        if right - left < 30 / PT_MM or top - bottom > 2:
            continue
        stroke = width.value if raw.FPDFPageObj_GetStrokeWidth(obj, ctypes.byref(width)) else 0.0
        out.append(_Rule(number, height - (top + bottom) / 2, right - left,
                         round(max(top - bottom, stroke) * PT_MM, 2)))
    return out


def _document(pages: list[_Page]) -> Document:
    body: list[_VLine] = []
    numbers: list[_VLine] = []
    for pg in pages:
        lines = list(pg.lines)
        if lines and PAGE_NUMBER.match(lines[-1].text.replace(" ", "")) and \
                (len(lines) == 1 or lines[-1].top > lines[-2].bottom + 4):
            numbers.append(lines.pop())
        pg.lines = lines
        body.extend(lines)
    first = pages[0]
    left = min((ln.left for ln in body), default=0.0)
    right = _right_edge(body, first.width)
    top, bottom, pitch = _vertical(pages)
    sec = Section(*(round(v * PT_MM * 2) / 2 for v in (first.width, first.height, top, bottom, left,
                                                       first.width - right)))
    paras = _paragraphs(body, left, right, top, [r for pg in pages for r in pg.rules])
    grid = Grid(round((first.height - top - bottom) / pitch, 1) if pitch else None, _chars_per_line(body, left, right))
    # The page number's place as a ruler on the paper finds it: below the 版心's bottom edge where GB/T 9704
    # puts it (35 mm above the page's edge: printed text may stop short of it), and on even pages from the
    # text block's left edge (a grid centres each glyph in its cell, so the cells start half the spare room
    # before the ink; the right edge is where ink stops, not the margin, so odd pages are not measured).
    cell = sorted(max(0.0, _advance(ln) - ln.size) / 2 for ln in body)
    cell_left = left - (cell[len(cell) // 2] if cell else 0.0)
    nums = [PageNumber("default" if ln.page % 2 else "even", ln.text, ln.ink[0].font, ln.ink[0].size, side,
                       ln.left - cell_left if side == "left" else None,
                       round((ln.top + ln.bottom) / 2 * PT_MM - (first.height * PT_MM - GB_BOTTOM_MM), 1))
            for ln in numbers for side in [_side(ln, left, right)]]
    odd_even = len({(p.kind, p.align) for p in nums}) > 1 and len({p.align for p in nums}) > 1
    return Document("pdf", paras, [sec], grid, nums, odd_even)


def _right_edge(lines: list[_VLine], default: float) -> float:
    """The text block's right edge: the furthest right end of a line, not counting a punctuation mark that
    ends it. Why: a comma or full stop may hang into the margin (LibreOffice lets it), and one such line would
    shift every centring and right indent measured against the edge."""
    ends = []
    for ln in lines:
        ink = [c for c in ln.chars if c.ch.strip()]
        while len(ink) > 1 and ink[-1].ch in HANGING:
            ink.pop()
        if ink:
            ends.append(max(c.right for c in ink))
    return max(ends, default=default)


def _vertical(pages: list[_Page]) -> tuple[float, float, float | None]:
    """Top and bottom margins (pt) and the line pitch. The top from the pages after the first (whose 版头
    starts lower), the bottom from the pages before the last (which ends where the text ends), each less
    half the leading. A single page shows neither: its margins are taken as GB/T 9704's, not judged."""
    def lead(lines: list[_VLine]) -> tuple[float, float]:
        gaps = sorted(b.top - a.top for a, b in zip(lines, lines[1:]) if b.top > a.top)
        pitch = gaps[len(gaps) // 2] if gaps else lines[0].size * 1.8
        return pitch, max(pitch - lines[0].size, 0) / 2

    filled = [p for p in pages if p.lines]
    pitches = sorted(lead(p.lines)[0] for p in filled if len(p.lines) > 3)
    pitch = pitches[len(pitches) // 2] if pitches else None
    if len(filled) < 2:
        return GB_TOP_MM / PT_MM, GB_BOTTOM_MM / PT_MM, pitch
    tops = [p.lines[0].top - lead(p.lines)[1] for p in filled[1:]]
    bottoms = [p.height - p.lines[-1].bottom - lead(p.lines)[1] for p in filled[:-1]]
    return min(tops), min(bottoms), pitch


def _chars_per_line(lines: list[_VLine], left: float, right: float) -> float | None:
    """Characters per line: the type width over the median advance of CJK characters in full lines."""
    steps = []
    for ln in lines:
        if ln.right < right - ln.size * 1.5:
            continue
        cjk = [c for c in ln.chars if "\u4e00" <= c.ch <= "\u9fff"]
        steps.extend(b.left - a.left for a, b in zip(cjk, cjk[1:]) if 0 < b.left - a.left < a.size * 1.6)
    if len(steps) < 20:
        return None
    return round((right - left) / sorted(steps)[len(steps) // 2], 1)


def _paragraphs(lines: list[_VLine], left: float, right: float, top: float, rules: list[_Rule]) -> list[Line]:
    """Join printed lines into paragraphs: a line reaching the right edge continues into a next line that
    starts at the left edge in the same size."""
    paras: list[list[_VLine]] = []
    for ln in lines:
        prev = paras[-1][-1] if paras else None
        same = prev is not None and abs(prev.size - ln.size) < 0.5 and \
            (ln.page != prev.page or ln.top - prev.bottom < ln.size * 2.5)
        # a full line may stop short of the right edge by two characters (a mark that may not start a line
        # pulls one over; a grid cell wider than its glyph — LibreOffice sets a 16 pt glyph in two 15.8 pt
        # cells of Word's 28-character grid — centres the glyph inside it)
        adv = _advance(prev) if same else 0.0
        # a heading number after a finished sentence starts a paragraph even without its indent (LibreOffice
        # drops a first-line indent given in characters only)
        heading = prev is not None and prev.text.endswith(("。", "！", "？")) and heading_level(ln.text) > 0
        wraps = same and not heading and prev.right >= right - max(prev.size * 1.5, adv * 2) and \
            ln.left <= left + max(ln.size * 0.5, (adv - ln.size) / 2 + ln.size * 0.25)
        title = same and ln.page == prev.page and ln.size >= TITLE_MIN_PT and \
            _centred(prev, left, right) and _centred(ln, left, right)
        if wraps or title:
            paras[-1].append(ln)
        else:
            paras.append([ln])
    out = []
    for n, group in enumerate(paras, 1):
        runs: list[Run] = []
        for c in (c for ln in group for c in ln.chars):
            if runs and (runs[-1].font, runs[-1].size, runs[-1].color) == (c.font, c.size, c.color):
                runs[-1] = runs[-1]._replace(text=runs[-1].text + c.ch)
            else:
                runs.append(Run(c.ch, c.font, c.size, c.color))
        head, last = group[0], group[-1]
        ink = [c for c in head.ink if c.ch.strip()] or head.ink
        align = _align(group, left, right)
        line = Line("".join(r.text for r in runs).strip(), f"page {head.page}, line {n}", ink[0].font, ink[0].size,
                    align, any(_is_red(c.color) for c in ink), runs,
                    indent_right=max(right - last.right, 0.0) if align == "right" else 0.0,
                    indent_left=max(head.left - left, 0.0),
                    top_mm=round((head.top - top) * PT_MM, 1) if head.page == 1 else None)
        line.rule_above = _rule_near(rules, head, above=True)
        line.rule_below = _rule_near(rules, last, above=False)
        out.append(line)
    return out


def _advance(ln: _VLine) -> float:
    """The line's character advance: the median step between its CJK characters (its size without any)."""
    cjk = [c for c in ln.chars if "\u4e00" <= c.ch <= "\u9fff"]
    steps = sorted(b.left - a.left for a, b in zip(cjk, cjk[1:]) if b.left > a.left)
    return steps[len(steps) // 2] if steps else ln.size


def _rule_near(rules: list[_Rule], ln: _VLine, *, above: bool) -> float | None:
    """The thickness (mm) of a drawn line right above / below a printed line (within one line height)."""
    near = [r for r in rules if r.page == ln.page and
            (0 <= ln.top - r.y <= ln.size * 1.2 if above else 0 <= r.y - ln.bottom <= ln.size * 1.2)]
    return max((r.thick_mm for r in near), default=None)


def _side(ln: _VLine, left: float, right: float) -> str:
    gap_l, gap_r = ln.left - left, right - ln.right
    if abs(gap_l - gap_r) <= ln.size:
        return "center"
    return "right" if gap_r < gap_l else "left"


def _align(group: list[_VLine], left: float, right: float) -> str:
    """Centred when every line sits as far from both edges (a title over two or three lines); a paragraph
    of several other lines is justified; a single line is right-aligned or left."""
    last = group[-1]
    balanced = any(ln.left - left >= ln.size * 0.25 and abs((ln.left - left) - (right - ln.right)) <= ln.size * 0.5
                   for ln in group)  # lines that nearly fill the width but sit evenly between the edges
    if all(_centred(ln, left, right) for ln in group) and (last.left - left > last.size or balanced):
        return "center"
    if len(group) > 1:
        return "both"
    if right - last.right <= last.size * 3 and last.left - left > last.size * 6:
        return "right"
    return "left"


def _centred(ln: _VLine, left: float, right: float) -> bool:
    """As far from both edges of the text block, or filling it (a full line of a centred title)."""
    gap_l, gap_r = ln.left - left, right - ln.right
    full = max(ln.size * 1.5, _advance(ln) * 2)  # a full line may stop two characters short (see _paragraphs)
    return abs(gap_l - gap_r) <= max(ln.size, 4) or (gap_l < ln.size * 0.5 and gap_r < full)


def _is_red(hex6: str) -> bool:
    """Red by hue and saturation, not by a list of values."""
    r, g, b = (int(hex6[i:i + 2], 16) / 255 for i in (0, 2, 4))
    h, s, v = colorsys.rgb_to_hsv(r, g, b)
    return (h <= 20 / 360 or h >= 340 / 360) and s >= 0.5 and v >= 0.4
