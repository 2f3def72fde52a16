"""Zip-bomb guard for Office files (DOCX and XLSX are zip archives).

The sizes in the zip central directory are checked before anything is decompressed: a small file that
claims gigabytes once inflated is refused instead of filling memory.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from zhengwu.kb.parsers.base import ParseError

MAX_UNCOMPRESSED = 200 * 1024 * 1024  # total bytes once inflated
MAX_RATIO = 100  # inflated / compressed, for the archive as a whole and for any member above 1 MB
MAX_MEMBERS = 10_000


def check_zip(path: Path, kind: str) -> None:
    """Raise ParseError when `path` is not a readable zip or would inflate beyond the limits."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ParseError(path, "corrupt_file", f"文件已损坏，不是有效的 {kind} 文件（{exc}）。",
                         f"the file is damaged, not a valid {kind} file ({exc}).") from None
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    bad_member = next((i for i in infos if i.file_size > 1024 * 1024
                       and i.file_size / max(i.compress_size, 1) > MAX_RATIO), None)
    if len(infos) > MAX_MEMBERS or total > MAX_UNCOMPRESSED or total / packed > MAX_RATIO or bad_member:
        raise ParseError(path, "zip_bomb",
                         f"疑似压缩炸弹：解压后 {total / 1048576:.0f} MB（压缩比 {total / packed:.0f}:1），"
                         f"超过上限 {MAX_UNCOMPRESSED // 1048576} MB / {MAX_RATIO}:1，已拒绝。",
                         f"suspected zip bomb: {total / 1048576:.0f} MB once decompressed (ratio {total / packed:.0f}:1), "
                         f"over the limit of {MAX_UNCOMPRESSED // 1048576} MB / {MAX_RATIO}:1; refused.")
