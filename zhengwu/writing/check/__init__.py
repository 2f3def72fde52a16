"""Format checker for existing 公文 (DOCX or plain text) against GB/T 9704-2012 and the 条例.

The checker is three steps, each in its own module: `reader` turns a DOCX or a text into a neutral model of
lines, runs and page sections; `elements` finds the 公文 elements in reading order (发文机关标志, 发文字号,
标题, 主送机关, 正文, 附件说明, 署名, 成文日期, 附注, 抄送, 印发) and the 文种; `rules` is the registry of
rules, each a small function with stable rule ids. This module only strings them together. Every violation
carries its rule id, a Chinese and an English message and its location ("paragraph N" for DOCX body
paragraphs, "line N" for text).
"""

from __future__ import annotations

from pathlib import Path

from zhengwu.errors import ZhengwuError
from zhengwu.writing.check.context import Context
from zhengwu.writing.check.elements import find_elements, find_type, summary
from zhengwu.writing.check.model import CheckReport, Document, Line, Violation
from zhengwu.writing.check.intake import estimate_pages, guard_length, sniff
from zhengwu.writing.check.reader import read_docx, read_text
from zhengwu.writing.check.rules import RULES, rule_ids, run_rules

__all__ = ["RULES", "CheckReport", "Line", "Violation", "check_docx", "check_document", "check_file", "check_text",
           "rule_ids"]


def check_document(doc: Document) -> CheckReport:
    """Find the elements of a read document and run every applicable rule on them."""
    lines = [ln for ln in doc.lines if ln.text.strip()]
    el = find_elements(lines)
    doc_type = find_type(lines, el)
    ctx = Context(doc, lines, el, doc_type)
    report = CheckReport(doc.source, run_rules(ctx), summary(lines, el, doc_type))
    if doc.formatted and doc.sections:
        report.elements["page_mm"] = {k: round(v, 2) for k, v in doc.sections[0].as_dict().items()}
    return report


def check_text(text: str) -> CheckReport:
    """Check a plain-text 公文: elements in reading order, one per line or paragraph."""
    return check_document(read_text(text))


def check_docx(path: Path) -> CheckReport:
    """Check a DOCX: the text rules, and page setup, fonts and sizes."""
    return check_document(read_docx(Path(path)))


def check_file(path: Path) -> CheckReport:
    """Check a .docx, a PDF with a text layer or a plain-text (.txt/.md) file; a bilingual ZhengwuError for
    input that cannot be checked (intake.py names it) or that is not a 公文."""
    path = Path(path)
    kind = sniff(path)
    if kind == "pdf":
        from zhengwu.writing.check.pdf_reader import read_pdf  # pypdfium2: only for PDFs

        doc = read_pdf(path)
    elif kind == "docx":
        doc = read_docx(path)
    else:
        doc = read_text(_decode(path.read_bytes()))
    if kind != "pdf":  # the PDF reader knows its pages and refuses a long one before reading it
        guard_length(estimate_pages(doc))
    return check_document(doc)


def _decode(data: bytes) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise ZhengwuError("text_encoding", "无法识别文件格式：既不是 DOCX、PDF，也不是 UTF-8 或 GB18030 编码的文本。",
                       "Unknown file format: neither DOCX nor PDF, nor text in UTF-8 or GB18030.")
