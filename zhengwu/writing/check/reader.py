"""Reading a DOCX or a plain text into the neutral `Document` model (model.py).

Why separate: opening an Office file is where the input can be hostile or broken (encrypted, legacy .doc,
not a ZIP, a damaged package); all of that is refused here with a clear message, and everything a rule needs
is resolved once, as Word and WPS resolve it (docx_layout.py): fonts, sizes and colours through run →
character style → paragraph style → basedOn chain → the default paragraph style (whatever its name: WPS
does not call it "Normal") → docDefaults, theme fonts to their East Asian face; text boxes read once (the
mc:AlternateContent choice, never its VML fallback); headers/footers for the page-number fields; the
document grid for lines per page and characters per line.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import docx
import msoffcrypto

from zhengwu.errors import ZhengwuError
from zhengwu.kb.parsers.ziplimits import check_zip
from zhengwu.writing.check.docx_layout import DocxReader
from zhengwu.writing.check.model import Document, Line

MM = 36000  # EMU per mm


def read_text(text: str) -> Document:
    """A plain-text 公文: one element per line (blank lines dropped), located as "line N"."""
    raw = str(text or "").replace("\r\n", "\n").replace("\r", "\n")
    lines = [Line(t.strip(), f"line {i}") for i, t in enumerate(raw.split("\n"), 1) if t.strip()]
    if not lines:
        raise ZhengwuError("empty_text", "文本为空。", "The text is empty.")
    return Document("text", lines)


def read_docx(path: Path) -> Document:
    """Body paragraphs (numbered from 1) and table-cell paragraphs (the 版记) in document order, and the
    page setup of every section."""
    doc = open_docx(Path(path))
    return DocxReader(doc).document()


def open_docx(path: Path) -> Any:
    """The python-docx Document, or a ZhengwuError saying why the file cannot be read."""
    try:
        head = path.read_bytes()[:8]
    except OSError as exc:
        raise ZhengwuError("unreadable", f"无法读取文件：{path}", f"Cannot read {path}", status=400) from exc
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise_cfb(path)
    if not zipfile.is_zipfile(path):
        raise ZhengwuError("docx_invalid", "不是有效的 DOCX 文件。", "Not a valid DOCX file.")
    guard_zip(path)
    try:
        return docx.Document(str(path))
    except Exception as exc:  # noqa: BLE001 - python-docx raises several kinds for broken packages
        raise ZhengwuError("docx_invalid", f"DOCX 文件无法解析：{type(exc).__name__}",
                           f"The DOCX cannot be parsed: {type(exc).__name__}") from exc


def guard_zip(path: Path) -> None:
    """Stream every member through the zip-bomb guard before python-docx inflates them in one go."""
    try:
        check_zip(path, "DOCX")
    except ZhengwuError as exc:
        if exc.code == "zip_bomb":
            raise
        raise ZhengwuError("docx_invalid", exc.zh, exc.en) from None


def raise_cfb(path: Path) -> None:
    """An OLE compound file where a DOCX was expected: a password-protected DOCX or a legacy .doc."""
    encrypted = None
    try:
        with open(path, "rb") as fh:
            encrypted = msoffcrypto.OfficeFile(fh).is_encrypted()
    except Exception:  # noqa: BLE001 - not an Office file msoffcrypto can read: the generic message
        encrypted = None
    if encrypted:
        raise ZhengwuError("docx_encrypted", "该文件设有密码（已加密），无法检查；请解除密码后再试。",
                           "The file is password-protected (encrypted); remove the password and try again.")
    if encrypted is False:
        raise ZhengwuError("doc_legacy", "该文件为旧版 .doc 格式，请另存为 .docx 后再检查。",
                           "This is a legacy .doc file; save it as .docx and check again.")
    raise ZhengwuError("docx_encrypted", "该文件已加密（设有密码）或为旧版 .doc 格式，无法检查；请解除密码或另存为 .docx。",
                       "The file is password-protected (encrypted) or a legacy .doc file; remove the password or "
                       "save it as .docx.")


