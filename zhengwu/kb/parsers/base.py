"""What every parser returns (`Parsed`) and raises (`ParseError`).

Kept apart from the registry in `__init__` so that the format modules import these two names without
importing the registry that imports them.
"""

from __future__ import annotations

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
    """One document read from a file: structural blocks, full text, a title hint, the source type.

    A single-document format returns one `Parsed`. A container format (JSONL: one document per line) yields
    one per document and fills the fields below the line, so each document is stored, hashed and reported
    on its own and a bad record fails alone.
    """

    blocks: list[Block]  # may be left empty: the text is then cut into blocks when (and only if) it is stored
    text: str
    source_type: str
    title: str = ""
    meta: dict = field(default_factory=dict)
    record: dict = field(default_factory=dict)  # structured fields found in the file; they win over extraction
    # --- documents inside a container file ---
    key: str = ""  # identity within the file (e.g. the record's docid); part of the document's source
    raw: str | None = None  # what is hashed to decide unchanged / replaced (default: the text)
    where: tuple[str, str] = ("", "")  # (zh, en) position for messages, e.g. ("第 3 行（id）", "line 3 (id)")
    error: tuple[str, str] | None = None  # (zh, en) when this record is unusable; the others go on
