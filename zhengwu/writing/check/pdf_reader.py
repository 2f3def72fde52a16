"""Reading a PDF's text layer into the checker's neutral `Document` model (model.py), with pypdfium2.

Why: 公文 often arrive as PDFs. A PDF has no styles or paragraphs, but its text layer still says, per
character, the font, size, colour and position as printed — enough for the element finder and most rules
(sizes, colours, alignment, page size and margins, page numbers). What a PDF cannot say the model leaves
empty: the fonts are the faces actually embedded (a machine without 仿宋_GB2312 prints another face, and the
PDF says so), and margins, grid and paragraphs are reconstructed from the printed lines:
- visual lines are pdfium's own line breaks (and a jump in the baseline);
- a line that runs to the right edge of the text block, followed by one starting at its left edge in the same
  size, continues the same paragraph (also across a page break);
- the page number is a short "— N —" / "N" line below the text block; its side tells odd from even;
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
from zhengwu.writing.check.model import Document, Line, Run, Section

PT_MM = 25.4 / 72
MIN_CHARS_PER_PAGE = 20  # fewer printable characters per page on average: a scan (perhaps with a stamp's text)
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
        pages = [(p.get_size(), _page_lines(p, n)) for n, p in enumerate(pdf, 1)]
    finally:
        pdf.close()
    printed = sum(len(c.ch.strip()) for _, lines in pages for ln in lines for c in ln.chars)
    if not pages or printed < MIN_CHARS_PER_PAGE * len(pages):
        raise ZhengwuError("pdf_scanned", "该 PDF 没有文字层（是扫描件或图片），无法检查格式；请提供原始 DOCX，"
                                          "或先做文字识别（OCR）。",
                           "The PDF has no text layer (it is a scan or an image), so its format cannot be checked; "
                           "provide the original DOCX, or run text recognition (OCR) first.")
    return _document(pages)


def _page_lines(page, number: int) -> list[_VLine]:  # noqa: ANN001 - a pypdfium2 PdfPage
    import pypdfium2.raw as raw

    height = page.get_size()[1]
    tp = page.get_textpage()
    buf = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    l_, r_, b_, t_ = (ctypes.c_double() for _ in range(4))
    rgba = [ctypes.c_uint() for _ in range(4)]
    lines: list[_VLine] = [_VLine(number)]
    try:
        for i in range(tp.count_chars()):
            ch = chr(raw.FPDFText_GetUnicode(tp, i))
            if ch in "\r\n":
                if lines[-1].chars:
                    lines.append(_VLine(number))
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
            cur = lines[-1]
            if cur.ink and ch.strip() and cur.ink[-1].ch.strip() and \
                    abs((c.top + c.bottom) / 2 - (cur.bottom + cur.top) / 2) > max(c.size, cur.size) * 0.6:
                cur = _VLine(number)
                lines.append(cur)
            cur.chars.append(c)
    finally:
        tp.close()
    # reading order is top to bottom: a floating text box (the 发文机关标志) may come last in the content stream
    return sorted((ln for ln in lines if ln.text), key=lambda ln: round(ln.top / max(ln.size, 1) / 0.6))


def _document(pages: list[tuple[tuple[float, float], list[_VLine]]]) -> Document:
    body: list[_VLine] = []
    numbers: list[_VLine] = []
    per_page: list[list[_VLine]] = []
    for _, lines in pages:
        lines = list(lines)
        if lines and PAGE_NUMBER.match(lines[-1].text.replace(" ", "")) and \
                (len(lines) == 1 or lines[-1].top > lines[-2].bottom + 4):
            numbers.append(lines.pop())
        body.extend(lines)
        per_page.append(lines)
    (width, height), _ = pages[0]
    left = min((ln.left for ln in body), default=0.0)
    right = max((ln.right for ln in body), default=width)
    top, bottom = _vertical_margins(per_page, height)
    sec = Section(*(round(v * PT_MM * 2) / 2 for v in (width, height, top, bottom, left, width - right)))
    return Document("pdf", _paragraphs(body, left, right), [sec])


def _vertical_margins(pages: list[list[_VLine]], height: float) -> tuple[float, float]:
    """Top and bottom margins (pt) from full pages after the first (whose 版头 starts lower), less half the
    leading between the printed lines; the first page when there is no other."""
    full = [p for p in pages[1:-1] if len(p) > 3] or [p for p in pages[1:] if len(p) > 3] or \
        [p for p in pages[:1] if p]
    tops, bottoms = [], []
    for p in full:
        gaps = sorted(b.top - a.top for a, b in zip(p, p[1:]) if b.top > a.top)
        pitch = gaps[len(gaps) // 2] if gaps else p[0].size * 1.8
        half = max(pitch - p[0].size, 0) / 2
        tops.append(p[0].top - half)
        bottoms.append(p[-1].bottom + half)
    return (min(tops), height - max(bottoms)) if tops else (0.0, 0.0)


def _paragraphs(lines: list[_VLine], left: float, right: float) -> list[Line]:
    """Join printed lines into paragraphs: a line reaching the right edge continues into a next line that
    starts at the left edge in the same size."""
    paras: list[list[_VLine]] = []
    for ln in lines:
        prev = paras[-1][-1] if paras else None
        if prev is not None and prev.right >= right - prev.size * 1.5 and ln.left <= left + ln.size * 0.5 and \
                abs(prev.size - ln.size) < 0.5 and (ln.page != prev.page or ln.top - prev.bottom < ln.size * 2.5):
            paras[-1].append(ln)
        else:
            paras.append([ln])
    out = []
    for n, group in enumerate(paras, 1):
        runs: list[list] = []  # [text, font, size, colour]
        for c in (c for ln in group for c in ln.chars):
            if runs and runs[-1][1:] == [c.font, c.size, c.color]:
                runs[-1][0] += c.ch
            else:
                runs.append([c.ch, c.font, c.size, c.color])
        ink = [c for c in group[0].ink if c.ch.strip()] or group[0].ink
        red = any(_is_red(c.color) for c in ink)
        out.append(Line("".join(r[0] for r in runs).strip(), f"page {group[0].page}, line {n}", ink[0].font,
                        ink[0].size, _align(group, left, right), red, [Run(t, f, z) for t, f, z, _ in runs]))
    return out


def _align(group: list[_VLine], left: float, right: float) -> str:
    """A paragraph of several lines is justified; a single line is centred, right-aligned or left."""
    if len(group) > 1:
        return "both"
    ln = group[0]
    gap_l, gap_r = ln.left - left, right - ln.right
    if abs(gap_l - gap_r) <= max(ln.size, 4) and gap_l > ln.size:
        return "center"
    if gap_r <= ln.size * 0.6 and gap_l > ln.size * 3:
        return "right"
    return "left"


def _is_red(hex6: str) -> bool:
    """Red by hue and saturation, not by a list of values."""
    r, g, b = (int(hex6[i:i + 2], 16) / 255 for i in (0, 2, 4))
    h, s, v = colorsys.rgb_to_hsv(r, g, b)
    return (h <= 20 / 360 or h >= 340 / 360) and s >= 0.5 and v >= 0.4
