"""DOCX (python-docx): paragraphs in order with heading styles and numbering, tables as whole rows."""

from __future__ import annotations

import re
from pathlib import Path

from zhengwu.kb.chunking import Block, blocks_from_text, format_row
from zhengwu.kb.parsers import Parsed, ParseError
from zhengwu.kb.parsers.ziplimits import check_zip

_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)$", re.I)


def _iter_body(document):  # noqa: ANN001, ANN202
    """Paragraphs and tables in document order."""
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


def parse(path: Path) -> Parsed:
    check_zip(path, "DOCX")
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several types for damaged packages
        raise ParseError(path, "corrupt_file", f"文件已损坏，无法作为 DOCX 打开（{type(exc).__name__}）。",
                         f"the file is damaged and cannot be opened as DOCX ({type(exc).__name__}).") from None
    blocks: list[Block] = []
    texts: list[str] = []
    title = (document.core_properties.title or "").strip()
    for item in _iter_body(document):
        if item.__class__.__name__ == "Table":
            for row in _table_rows(item):
                blocks.append(Block("row", row))
                texts.append(row)
            continue
        text = item.text.strip()
        if not text:
            continue
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
