"""PDF text layer (pypdf, layout mode) with tables kept as whole rows.

Why layout mode: it keeps the horizontal position of text, so table cells stay in their columns. A run of
lines with two or more cells separated by wide gaps is read as a table: the first line gives the columns,
a line with text in the first column starts a new row, and indented lines continue the cells of the row
above, so a row that wraps over several printed lines is still one row ("列1：值 | 列2：值"). Other lines
are re-joined into paragraphs (PDF lines are broken at the page width, not at sentence ends).
A PDF without a text layer (a scan) is refused with a message saying it needs OCR.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from zhengwu.kb.chunking import Block, blocks_from_text, format_row
from zhengwu.kb.parsers.base import Parsed, ParseError

logging.getLogger("pypdf").setLevel(logging.ERROR)  # damaged files are reported to the user, not logged twice

_SEGMENT = re.compile(r"\S+(?: \S+)*")
_PAGE_NO = re.compile(r"^[-—–\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*/\s*\d+)?[-—–\s]*$")
_END = ("。", "！", "？", "；", "：", ":", "!", "?", ";")


def _segments(line: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group(0)) for m in _SEGMENT.finditer(line)]


def _is_tabular(line: str) -> bool:
    return len(_segments(line)) >= 2


def _table_rows(lines: list[str]) -> list[str]:
    cols = [start for start, _ in _segments(lines[0])]
    rows: list[list[str]] = []
    for line in lines:
        segs = _segments(line)
        if not segs:
            continue
        if segs[0][0] <= cols[0] + 1 or not rows:
            rows.append([""] * len(cols))
        row = rows[-1]
        for start, text in segs:
            idx = max((i for i, c in enumerate(cols) if c <= start + 1), default=0)
            row[idx] += text
    header = rows[0]
    return [format_row(header)] + [format_row(r, header) for r in rows[1:]]


def _join_paragraphs(lines: list[str], width: int) -> list[str]:
    """Re-join lines broken at the page width; keep short lines (headings, signatures) on their own."""
    out: list[str] = []
    carry = False
    for line in lines:
        s = line.strip()
        if not s:
            carry = False
            continue
        if carry and out:
            out[-1] += s
        else:
            out.append(s)
        carry = len(line.rstrip()) >= width * 0.85 and not s.endswith(_END)
    return out


def _page_blocks(text: str, page: int) -> list[Block]:
    lines = [ln for ln in text.split("\n") if not _PAGE_NO.match(ln)]
    width = max((len(ln.rstrip()) for ln in lines), default=0)
    blocks: list[Block] = []
    plain: list[str] = []

    def flush_plain() -> None:
        if plain:
            joined = "\n".join(_join_paragraphs(plain, width))
            blocks.extend(blocks_from_text(joined, page=page))
            plain.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        if _is_tabular(line):
            cols = [s for s, _ in _segments(line)]
            j, region = i + 1, [line]
            while j < len(lines):
                nxt = lines[j]
                segs = _segments(nxt)
                if not segs:
                    j += 1
                    continue
                if len(segs) >= 2 or segs[0][0] >= cols[1] - 1:
                    region.append(nxt)
                    j += 1
                    continue
                break
            if sum(1 for r in region if _is_tabular(r)) >= 2:
                flush_plain()
                for row in _table_rows(region):
                    blocks.append(Block("row", row, page=page))
                i = j
                continue
        plain.append(line)
        i += 1
    flush_plain()
    return blocks


def parse(path: Path) -> Parsed:
    # pypdf: ~150 ms to import, and the parsers load with every CLI command: only when a PDF is read
    import pypdf
    from pypdf.errors import PdfReadError

    try:
        reader = pypdf.PdfReader(str(path))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception:  # noqa: BLE001 - missing crypto backend or bad key: unreadable either way
                ok = 0
            if not ok:
                raise ParseError(path, "encrypted_pdf", "PDF 已加密（需要密码），无法读取。请提供未加密的文件。",
                                 "the PDF is encrypted (password required) and cannot be read; "
                                 "provide an unencrypted file.")
        pages = list(reader.pages)
    except ParseError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as exc:
        raise ParseError(path, "corrupt_pdf", f"PDF 文件已损坏，无法读取（{type(exc).__name__}）。",
                         f"the PDF is damaged and cannot be read ({type(exc).__name__}).") from None
    blocks: list[Block] = []
    texts: list[str] = []
    for no, page in enumerate(pages, 1):
        try:
            text = page.extract_text(extraction_mode="layout") or ""
        except Exception:  # noqa: BLE001 - a damaged page: fall back to plain extraction
            try:
                text = page.extract_text() or ""
            except Exception:  # noqa: BLE001
                text = ""
        if text.strip():
            texts.append(text)
            blocks.extend(_page_blocks(text, no))
    chars = sum(len(t.strip()) for t in texts)
    if chars < 10:
        raise ParseError(path, "pdf_no_text",
                         f"PDF 没有文字层（共 {len(pages)} 页，可能是扫描件），需要先做 OCR 文字识别再入库。",
                         f"the PDF has no text layer ({len(pages)} pages, probably scanned); it needs OCR "
                         "before it can be ingested.")
    title = ""
    try:
        title = (reader.metadata.title or "").strip() if reader.metadata else ""
    except Exception:  # noqa: BLE001
        title = ""
    full = "\n".join(b.text for b in blocks)
    return Parsed(blocks, full, "pdf", title=title, meta={"pages": len(pages)})
