"""Where ingested files come from and how they are identified: paths, upload names, content hashes, size limit.

Why a module of its own: the CLI, the REST upload and the ingestion job all need the same answer to "is this
the same document as before?" (its source and its content hash) and the same size limit.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

from zhengwu.config import get_settings
from zhengwu.kb.parsers import ParseError

# Part of every content hash: when parsing or chunking changes, re-ingesting replaces the old chunks.
PIPELINE_VERSION = "1"


def uploads_root() -> Path:
    return (get_settings().data_dir / "uploads").resolve()


def source_for(path: Path) -> str:
    """Stable identity of a file in a KB: uploads by file name ("upload:通知.pdf"), other files by path."""
    p = path.resolve()
    try:
        p.relative_to(uploads_root())
        return f"upload:{p.name}"
    except ValueError:
        return str(p)


def record_source(source_type: str, path: Path, key: str) -> str:
    """Identity of one document inside a container file ("jsonl:国务院.jsonl#govcn-…")."""
    return f"{source_type}:{path.name}#{key}"


def file_hash(path: Path) -> str:
    h = hashlib.sha256(f"zhengwu-ingest-{PIPELINE_VERSION}\n".encode())
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def record_hash(raw: str) -> str:
    return hashlib.sha256(f"zhengwu-ingest-{PIPELINE_VERSION}\n{raw}".encode()).hexdigest()


def max_file_bytes() -> int:
    """Largest accepted file (settings.max_file_mb, env ZHENGWU_MAX_FILE_MB, default 100 MB)."""
    mb = getattr(get_settings(), "max_file_mb", None) or int(os.environ.get("ZHENGWU_MAX_FILE_MB", "100"))
    return int(mb) * 1024 * 1024


def check_size(path: Path) -> None:
    limit = max_file_bytes()
    size = path.stat().st_size
    if size > limit:
        raise ParseError(path, "file_too_large",
                         f"文件过大（{size / 1048576:.1f} MB，上限 {limit // 1048576} MB）。",
                         f"file too large ({size / 1048576:.1f} MB, limit {limit // 1048576} MB).")


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given; directories walked (sorted, hidden files and directories skipped)."""
    out: list[Path] = []
    seen: set[Path] = set()
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith(".") and not name.endswith(".part"):
                        f = Path(root) / name
                        if f.resolve() not in seen:
                            seen.add(f.resolve())
                            out.append(f)
        else:
            if p.resolve() not in seen:
                seen.add(p.resolve())
                out.append(p)
    return out
