"""XLSX and CSV: FAQ lists (question / answer columns) or plain tables.

The question and answer columns are found by their header names (问题 / 问 / 咨询问题 / question, 答案 / 答 /
回答 / 答复 / answer); each pair becomes one chunk of kind "faq" ("问：… 答：…"), never split. A sheet
without such columns is kept as a table, one row per line ("列1：值 | 列2：值").
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from zhengwu.kb.chunking import Block, format_row
from zhengwu.kb.parsers.base import Parsed, ParseError
from zhengwu.kb.parsers.text import decode_bytes
from zhengwu.kb.parsers.ziplimits import check_zip

_Q = re.compile(r"^(问题|问|提问|咨询问题|常见问题|问题描述|question|questions|q)$", re.I)
_A = re.compile(r"^(答案|答|回答|答复|解答|回复|答复内容|answer|answers|a)$", re.I)
_MAX_ROWS = 200_000


def _norm(h: object) -> str:
    return re.sub(r"[\s:：]+", "", str(h or "")).strip()


def find_qa_columns(header: list[str]) -> tuple[int, int] | None:
    """(question column, answer column) by header name, or None."""
    names = [_norm(h) for h in header]
    q = next((i for i, n in enumerate(names) if _Q.match(n)), None)
    a = next((i for i, n in enumerate(names) if _A.match(n)), None)
    if q is None:
        q = next((i for i, n in enumerate(names) if "问题" in n or "question" in n.lower()), None)
    if a is None:
        a = next((i for i, n in enumerate(names) if n.startswith("答") or "回答" in n or "answer" in n.lower()), None)
    if q is None or a is None or q == a:
        return None
    return q, a


def rows_to_blocks(rows: list[list[str]], sheet: str = "") -> list[Block]:
    rows = [[("" if c is None else str(c)).strip() for c in r] for r in rows]
    rows = [r for r in rows if any(r)]
    if not rows:
        return []
    # the header is the first row with at least two non-empty cells
    h = next((i for i, r in enumerate(rows[:10]) if sum(1 for c in r if c) >= 2), 0)
    header, body = rows[h], rows[h + 1:]
    blocks: list[Block] = []
    if sheet:
        blocks.append(Block("heading", sheet, level=0))
    qa = find_qa_columns(header)
    if qa:
        qi, ai = qa
        others = [i for i in range(len(header)) if i not in qa and header[i] and not re.match(r"^(序号|编号|no\.?|id)$", _norm(header[i]), re.I)]
        for r in body:
            q = r[qi] if qi < len(r) else ""
            a = r[ai] if ai < len(r) else ""
            if not q or not a:
                continue
            extra = "；".join(f"{header[i]}：{r[i]}" for i in others if i < len(r) and r[i])
            blocks.append(Block("faq", f"问：{q}\n答：{a}" + (f"\n{extra}" if extra else "")))
        return blocks
    blocks.append(Block("row", format_row(header)))
    for r in body:
        r = r + [""] * (len(header) - len(r))
        blocks.append(Block("row", format_row(r[:len(header)], header)))
    return blocks


def _result(path: Path, blocks: list[Block], kind: str, title: str) -> Parsed:
    if not any(b.kind != "heading" for b in blocks):
        raise ParseError(path, "empty_file", "表格没有内容。", "the spreadsheet contains no data.")
    full = "\n".join(b.text for b in blocks)
    faq = sum(1 for b in blocks if b.kind == "faq")
    # a question/answer table is an FAQ whatever its text says
    return Parsed(blocks, full, kind, title=title, meta={"faq_pairs": faq} if faq else {},
                  record={"doc_type": "FAQ"} if faq else {})


def parse_xlsx(path: Path) -> Parsed:
    check_zip(path, "XLSX")
    from openpyxl import load_workbook  # ~250 ms, and the parsers load with every CLI command

    try:
        wb = load_workbook(str(path), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for damaged files
        raise ParseError(path, "corrupt_file", f"文件已损坏，无法作为 XLSX 打开（{type(exc).__name__}）。",
                         f"the file is damaged and cannot be opened as XLSX ({type(exc).__name__}).") from None
    blocks: list[Block] = []
    try:
        sheets = wb.worksheets
        for ws in sheets:
            rows = []
            for i, row in enumerate(ws.iter_rows(values_only=True)):
                if i >= _MAX_ROWS:
                    break
                rows.append(["" if c is None else str(c) for c in row])
            blocks.extend(rows_to_blocks(rows, sheet=ws.title if len(sheets) > 1 else ""))
    finally:
        wb.close()
    return _result(path, blocks, "xlsx", path.stem)


def parse_csv(path: Path) -> Parsed:
    text, _ = decode_bytes(path.read_bytes(), path)
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;|")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))[:_MAX_ROWS]
    return _result(path, rows_to_blocks(rows), "csv", path.stem)
