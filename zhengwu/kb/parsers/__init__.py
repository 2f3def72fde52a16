"""File parsers: one module per format, each turning a file into structural blocks (see kb/chunking.py).

Why a registry built from a hook: zhengwu's own formats register through `register_parsers` exactly as a
deployment's plugin does (`zhengwu.hookspecs`), so adding a format (.ofd, a house .txt variant) needs no edit
here. `parse_file(path)` picks the parser by file suffix; a container format (JSONL) yields one `Parsed` per
document from `iter_documents`. Every failure is a `ParseError` naming the file and the reason in Chinese
and English.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from zhengwu import plugins
from zhengwu.hookspecs import hookimpl
from zhengwu.kb.parsers import docx, html, jsonl, pdf, table, text
from zhengwu.kb.parsers.base import Parsed, ParseError

__all__ = ["Parsed", "ParseError", "ParserEntry", "check_supported", "count_documents", "iter_documents",
           "parse_file", "parser_for", "registry", "source_type_of"]

# Named in the "unsupported type" message; suffixes added by plugins are listed after them.
_BUILTIN_LABELS = "PDF、DOCX、HTML、TXT、Markdown、XLSX、CSV、JSONL"
_BUILTIN_LABELS_EN = "PDF, DOCX, HTML, TXT, Markdown, XLSX, CSV, JSONL"


@hookimpl
def register_parsers(register: Any) -> None:
    """zhengwu's own formats; a plugin registering one of these suffixes later replaces it."""
    register((".txt", ".text"), "txt", text.parse_txt)
    register((".md", ".markdown"), "md", text.parse_markdown)
    register((".html", ".htm"), "html", html.parse)
    register((".pdf",), "pdf", pdf.parse)
    register((".docx",), "docx", docx.parse)
    register((".xlsx",), "xlsx", table.parse_xlsx)
    register((".csv",), "csv", table.parse_csv)
    register((".jsonl",), "jsonl", jsonl.parse, jsonl.count_lines)


@dataclass(frozen=True)
class ParserEntry:
    """One registered format: `parse(path)` returns a `Parsed` or yields several (container formats);
    `count(path)`, when given, says how many documents a file holds (for progress totals)."""

    source_type: str
    parse: Callable[[Path], Parsed | Iterator[Parsed]]
    count: Callable[[Path], int] | None = None


@lru_cache(maxsize=1)
def registry() -> dict[str, ParserEntry]:
    """Suffix (lower case, with the dot) -> parser, built from every `register_parsers` hook."""
    out: dict[str, ParserEntry] = {}
    for args in plugins.collect("register_parsers"):
        suffixes, source_type, parse, *rest = args
        if isinstance(suffixes, str):
            suffixes = (suffixes,)
        entry = ParserEntry(source_type, parse, rest[0] if rest else None)
        for suffix in suffixes:
            out[suffix.lower() if suffix.startswith(".") else "." + suffix.lower()] = entry
    return out


plugins.on_reset(registry.cache_clear)


def parser_for(path: Path) -> ParserEntry | None:
    return registry().get(path.suffix.lower())


def source_type_of(path: Path) -> str | None:
    entry = parser_for(path)
    return entry.source_type if entry else None


def check_supported(path: Path) -> ParserEntry:
    """The parser of this file, or a ParseError listing what is supported."""
    entry = parser_for(path)
    if entry is not None:
        return entry
    builtin = {".txt", ".text", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx", ".xlsx", ".csv", ".jsonl"}
    extra = sorted(s[1:].upper() for s in registry() if s not in builtin)
    more = "、" + "、".join(extra) if extra else ""
    more_en = ", " + ", ".join(extra) if extra else ""
    raise ParseError(path, "unsupported_type",
                     f"不支持的文件类型“{path.suffix or '无扩展名'}”（支持：{_BUILTIN_LABELS}{more}）。",
                     f"unsupported file type '{path.suffix or 'no extension'}' "
                     f"(supported: {_BUILTIN_LABELS_EN}{more_en}).")


def iter_documents(path: Path) -> Iterator[Parsed]:
    """Every document of a file: one for most formats, one per record for container formats."""
    result = check_supported(path).parse(path)
    if isinstance(result, Parsed):
        yield result
    else:
        yield from result


def parse_file(path: Path) -> Parsed:
    """Parse one single-document file (a container format gives its first document)."""
    result = check_supported(path).parse(path)
    if isinstance(result, Parsed):
        return result
    for doc in result:
        return doc
    raise ParseError(path, "empty_file", "文件中没有任何记录。", "the file contains no records.")


def count_documents(path: Path) -> int:
    """How many documents the file holds (1 unless its parser can count them); for progress totals."""
    entry = parser_for(path)
    if entry is None or entry.count is None or not path.is_file():
        return 1
    try:
        return max(1, entry.count(path))
    except OSError:
        return 1
