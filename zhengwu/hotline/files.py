"""Reading a file a user gives the hotline (labelled history, a duty list, a tree, a message): the one place that
says, in Chinese and English, that it is missing or not UTF-8 (a GBK export from Excel is the usual case)."""

from __future__ import annotations

from pathlib import Path

from zhengwu.errors import ZhengwuError


def read_utf8(path: str | Path, *, what: tuple[str, str] = ("文件", "File"),
              codes: tuple[str, str] = ("file_missing", "not_utf8")) -> str:
    """The text of `path` (a UTF-8 BOM dropped); `what` names the file in the messages, `codes` are the error codes
    for a missing file and for another encoding."""
    p = Path(path)
    if not p.is_file():
        raise ZhengwuError(codes[0], f"找不到{what[0]}：{p}", f"{what[1]} not found: {p}", path=str(p))
    try:
        return p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ZhengwuError(codes[1], f"{what[0]}不是 UTF-8 编码：{p}（请另存为 UTF-8）",
                           f"{what[1]} is not UTF-8 encoded: {p} (save it as UTF-8)", path=str(p)) from None
