"""File parsers: one module per format, each turning a file into structural blocks (see kb/chunking.py).

`parse_file(path)` picks the parser by file suffix and returns a `Parsed` (blocks, full text, a title hint,
the source type). JSONL holds many documents and is read record by record by `jsonl.iter_records`.
Every failure is a `ParseError` naming the file and the reason in Chinese and English.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from zhengwu.errors import ZhengwuError
from zhengwu.kb.chunking import Block


class ParseError(ZhengwuError):
    """A file that cannot be ingested; the message names the file and the reason."""

    status = 422

    def __init__(self, path: Path | str, code: str, zh: str, en: str) -> None:
        name = Path(str(path)).name
        super().__init__(code, f"{name}：{zh}", f"{name}: {en}", file=name)


@dataclass
class Parsed:
    blocks: list[Block]
    text: str
    source_type: str
    title: str = ""
    meta: dict = field(default_factory=dict)
    record: dict = field(default_factory=dict)  # structured fields found in the file; they win over extraction


def _registry() -> dict[str, tuple[str, Callable[[Path], Parsed]]]:
    from zhengwu.kb.parsers import docx, html, pdf, table, text

    return {
        ".txt": ("txt", text.parse_txt), ".text": ("txt", text.parse_txt),
        ".md": ("md", text.parse_markdown), ".markdown": ("md", text.parse_markdown),
        ".html": ("html", html.parse), ".htm": ("html", html.parse),
        ".pdf": ("pdf", pdf.parse), ".docx": ("docx", docx.parse),
        ".xlsx": ("xlsx", table.parse_xlsx), ".csv": ("csv", table.parse_csv),
    }


SUPPORTED = (".txt", ".text", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx", ".xlsx", ".csv", ".jsonl")


def source_type_of(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        return "jsonl"
    entry = _registry().get(suffix)
    return entry[0] if entry else None


def check_supported(path: Path) -> None:
    if path.suffix.lower() not in SUPPORTED:
        raise ParseError(path, "unsupported_type",
                         f"不支持的文件类型“{path.suffix or '无扩展名'}”（支持：PDF、DOCX、HTML、TXT、Markdown、XLSX、CSV、JSONL）。",
                         f"unsupported file type '{path.suffix or 'no extension'}' "
                         "(supported: PDF, DOCX, HTML, TXT, Markdown, XLSX, CSV, JSONL).")


def parse_file(path: Path) -> Parsed:
    """Parse one single-document file (everything but JSONL)."""
    check_supported(path)
    _, fn = _registry()[path.suffix.lower()]
    return fn(path)
