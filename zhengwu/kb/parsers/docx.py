"""DOCX (python-docx): paragraphs in order with heading styles and numbering, tables as whole rows."""

from __future__ import annotations

import re
from pathlib import Path

from zhengwu.kb.chunking import Block, blocks_from_text, format_row
from zhengwu.kb.parsers.base import Parsed, ParseError
from zhengwu.kb.parsers.ziplimits import check_zip

_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.I)


def _iter_body(document):  # noqa: ANN001, ANN202
    """Paragraphs and tables in document order."""
    # python-docx: ~100 ms, and the parsers load with every CLI command: only when a DOCX is read
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            yield Paragraph(child, document)
        elif tag == "tbl":
            yield Table(child, document)


def _table_rows(table) -> list[str]:  # noqa: ANN001
    rows: list[list[str]] = []
    for row in table.rows:
        cells: list[str] = []
        prev = None
        for cell in row.cells:
            if prev is not None and cell._tc is prev:  # merged cells repeat the same element
                continue
            prev = cell._tc
            cells.append(cell.text.strip())
        if any(cells):
            rows.append(cells)
    if not rows:
        return []
    header = rows[0]
    out = [format_row(header)]
    for cells in rows[1:]:
        out.append(format_row(cells, header))
    return out


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CN_DIGITS = "零一二三四五六七八九"


def _chinese(n: int) -> str:
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    return str(n)


def _format_number(n: int, fmt: str) -> str:
    if fmt.startswith("chinese") or fmt.startswith("ideograph") or fmt in ("taiwaneseCounting", "japaneseCounting"):
        return _chinese(n)
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt in ("lowerRoman", "upperRoman"):
        vals = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
        out, m = "", n
        for v, sym in vals:
            while m >= v:
                out, m = out + sym, m - v
        return out.upper() if fmt == "upperRoman" else out
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


class _Numbering:
    """Renders Word's automatic numbering ("一、", "（一）", "1.") that python-docx leaves out of the text.

    Official documents written in Word often number headings automatically; without the marker the
    structure (and the heading level it implies) would be lost."""

    def __init__(self, document) -> None:  # noqa: ANN001
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, AttributeError, NotImplementedError):
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for an in root.findall(f"{_W}abstractNum"):
            lv: dict[int, tuple[str, str, int]] = {}
            for lvl in an.findall(f"{_W}lvl"):
                def val(tag: str, default: str = "") -> str:
                    el = lvl.find(f"{_W}{tag}")
                    return el.get(f"{_W}val", default) if el is not None else default
                lv[int(lvl.get(f"{_W}ilvl", "0"))] = (val("numFmt", "decimal"), val("lvlText", ""),
                                                      int(val("start", "1") or 1))
            abstract[an.get(f"{_W}abstractNumId")] = lv
        for num in root.findall(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            if ref is None:
                continue
            for ilvl, spec in abstract.get(ref.get(f"{_W}val"), {}).items():
                self.levels[(num.get(f"{_W}numId"), ilvl)] = spec

    @staticmethod
    def _num_pr(paragraph):  # noqa: ANN001, ANN205
        for holder in (paragraph._p.pPr, getattr(paragraph.style, "element", None) is not None
                       and paragraph.style.element.pPr):
            if holder is not None and holder is not False and holder.numPr is not None:
                return holder.numPr
        return None

    def marker(self, paragraph) -> str:  # noqa: ANN001
        num_pr = self._num_pr(paragraph)
        if num_pr is None or num_pr.numId is None:
            return ""
        num_id = str(num_pr.numId.val)
        ilvl = int(num_pr.ilvl.val) if num_pr.ilvl is not None else 0
        spec = self.levels.get((num_id, ilvl))
        if spec is None or num_id == "0":
            return ""
        counts = self.counters.setdefault(num_id, [0] * 9)
        counts[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            counts[deeper] = 0
        text = spec[1]
        for lv in range(ilvl + 1):
            lspec = self.levels.get((num_id, lv), ("decimal", "", 1))
            n = counts[lv] + lspec[2] - 1 if counts[lv] else lspec[2]
            text = text.replace(f"%{lv + 1}", _format_number(n, lspec[0]))
        return "" if spec[0] in ("bullet", "none") else text.strip()


def parse(path: Path) -> Parsed:
    check_zip(path, "DOCX")
    import docx  # ~100 ms, and the parsers load with every CLI command: only when a DOCX is read

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several types for damaged packages
        raise ParseError(path, "corrupt_file", f"文件已损坏，无法作为 DOCX 打开（{type(exc).__name__}）。",
                         f"the file is damaged and cannot be opened as DOCX ({type(exc).__name__}).") from None
    blocks: list[Block] = []
    texts: list[str] = []
    title = (document.core_properties.title or "").strip()
    numbering = _Numbering(document)
    for item in _iter_body(document):
        if item.__class__.__name__ == "Table":
            for row in _table_rows(item):
                blocks.append(Block("row", row))
                texts.append(row)
            continue
        text = item.text.strip()
        if not text:
            continue
        marker = numbering.marker(item)
        if marker and not text.startswith(marker):
            text = marker + ("" if marker.endswith(("、", "）", ")", "．")) else " ") + text
        texts.append(text)
        style = (item.style.name if item.style is not None else "") or ""
        m = _HEADING_STYLE.match(style.strip())
        if style.strip().lower() == "title" or style.strip() == "标题":
            title = title or text
            continue
        if m:
            level = int(m.group(1)) - 1
            inner = blocks_from_text(text)  # a heading that also carries a 一、 marker keeps that level
            if inner and inner[0].kind == "heading" and len(inner) == 1:
                level = inner[0].level
            blocks.append(Block("heading", text, level=level))
            continue
        blocks.extend(blocks_from_text(text))
    full = "\n".join(texts)
    if not full.strip():
        raise ParseError(path, "empty_file", "文档没有文字内容。", "the document contains no text.")
    return Parsed(blocks, full, "docx", title=title)
