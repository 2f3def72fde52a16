"""Plain text and Markdown, in UTF-8 or the GBK/GB18030 still common on government intranets."""

from __future__ import annotations

import codecs
from pathlib import Path

from zhengwu.kb.parsers.base import Parsed, ParseError


def decode_bytes(data: bytes, path: Path | str = "") -> tuple[str, str]:
    """(text, encoding): BOMs first, then strict UTF-8, then GB18030 (a superset of GBK/GB2312), then
    whatever charset-normalizer finds most plausible."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), enc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
        cjk = sum(1 for c in text[:4000] if "\u4e00" <= c <= "\u9fff")
        if cjk >= min(len(text[:4000]), 4000) * 0.2:
            return text, "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # only for bytes that are not UTF-8/GB18030 (see above)

    best = from_bytes(data[:200_000]).best()
    if best is None or best.encoding is None:
        raise ParseError(path, "undecodable", "无法识别文本编码（不是 UTF-8 或 GBK 文本）。",
                         "cannot detect the text encoding (not UTF-8 or GBK text).")
    return data.decode(best.encoding, errors="replace"), best.encoding


def _read(path: Path) -> tuple[str, str]:
    data = path.read_bytes()
    if b"\x00" in data[:8000] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ParseError(path, "binary_file", "文件是二进制数据，不是文本。", "the file is binary data, not text.")
    text, enc = decode_bytes(data, path)
    return text.replace("\r\n", "\n").replace("\r", "\n"), enc


def parse_txt(path: Path) -> Parsed:
    text, enc = _read(path)
    if not text.strip():
        raise ParseError(path, "empty_file", "文件没有文字内容。", "the file contains no text.")
    return Parsed([], text, "txt", meta={"encoding": enc})  # blocks cut when stored (after the pool starts)


def parse_markdown(path: Path) -> Parsed:
    text, enc = _read(path)
    if not text.strip():
        raise ParseError(path, "empty_file", "文件没有文字内容。", "the file contains no text.")
    title = ""
    for line in text.split("\n"):
        if line.strip():
            if line.startswith("# "):
                title = line[2:].strip()
            break
    return Parsed([], text, "md", title=title, meta={"encoding": enc})
