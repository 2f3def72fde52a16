"""jieba's dictionary as an SQLite file, so a fresh process cuts a search query without loading it whole.

Why: jieba loads its 500,000-entry frequency table (prefixes included) before cutting the first word: about
a second of CPU, three under load, the largest single cost of a `zhengwu search` process once the index is
saved. Cutting a query of a few dozen characters looks up a few hundred entries: read from an indexed SQLite
file they cost well under a millisecond. The cut is the same, entry for entry (same table, same algorithm: a
private `jieba.Tokenizer` whose table is the file); tests/kb/test_index_files.py checks it on real questions.

Only queries go through it, and only while the process has not loaded jieba's table anyway (ingestion and
the name recogniser do): then the table in memory is used. The file (`<data_dir>/indexes/jieba-<version>.sqlite`,
with its SHA-256 beside it) is written by the first process that loads the whole table for a query; a
missing, unreadable or altered file means the whole table is loaded, as before.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import threading
import uuid
from pathlib import Path
from typing import Any

import jieba

log = logging.getLogger("zhengwu.kb.index")

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None
_pos: Any = None  # the jieba.posseg.POSTokenizer over _tokenizer (pos_cutter)


def dict_path() -> Path:
    from zhengwu.kb.index_files import index_root

    return index_root() / f"jieba-{jieba.__version__}.sqlite"


class _SqliteFreq:
    """The subset of dict that jieba.Tokenizer uses on its FREQ table (get, in, [], truth), read from SQLite."""

    def __init__(self, con: sqlite3.Connection) -> None:
        self._con = con
        self._seen: dict[str, int | None] = {}
        self._lock = threading.Lock()

    def get(self, word: str, default: int | None = None) -> int | None:
        if word not in self._seen:
            with self._lock:
                row = self._con.execute("SELECT f FROM freq WHERE w = ?", (word,)).fetchone()
            self._seen[word] = row[0] if row else None
        v = self._seen[word]
        return default if v is None else v

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.get(word) is not None

    def __getitem__(self, word: str) -> int:
        v = self.get(word)
        if v is None:
            raise KeyError(word)
        return v

    def __bool__(self) -> bool:
        return True


def _sha256(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _open(path: Path) -> jieba.Tokenizer | None:
    """A tokenizer over the saved table, or None when it is missing, altered or unreadable."""
    try:
        if _sha256(path) != Path(f"{path}.sha256").read_text(encoding="ascii").strip():
            log.warning("jieba 词典文件校验失败，改为完整加载 / jieba dictionary file failed its checksum: %s", path)
            return None
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        total = con.execute("SELECT f FROM freq WHERE w = ''").fetchone()[0]  # '' never is a word: holds the total
    except (OSError, sqlite3.Error, TypeError):
        return None
    tk = jieba.Tokenizer()
    tk.FREQ, tk.total, tk.initialized = _SqliteFreq(con), total, True
    return tk


def save_dict(path: Path) -> None:
    """Write jieba's loaded table to `path` (temp file + rename: readers see the old file or the new one)."""
    tmp = path.with_name(f".tmp-{path.name}-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(tmp) as con:
            con.execute("CREATE TABLE freq (w TEXT PRIMARY KEY, f INTEGER NOT NULL) WITHOUT ROWID")
            con.executemany("INSERT INTO freq VALUES (?, ?)", [("", jieba.dt.total), *jieba.dt.FREQ.items()])
        con.close()
        Path(f"{tmp}.sha256").write_text(_sha256(tmp), encoding="ascii")
        os.replace(f"{tmp}.sha256", f"{path}.sha256")
        os.replace(tmp, path)
    finally:
        for p in (tmp, Path(f"{tmp}.sha256")):
            p.unlink(missing_ok=True)


def query_cutter(save: bool = True) -> jieba.Tokenizer:
    """The tokenizer for a query: jieba's own once its table is in memory, else one over the saved table
    (written here the first time, after loading the table the ordinary way; with save=False, as the name
    recogniser asks, a missing file is not written: jieba's own table is loaded, as it always was there)."""
    global _tokenizer
    if jieba.dt.initialized:
        return jieba.dt
    with _lock:
        if _tokenizer is None:
            path = dict_path()
            _tokenizer = _open(path) if path.exists() else None
            if _tokenizer is None:
                jieba.dt.initialize()
                if not save:
                    return jieba.dt
                try:
                    save_dict(path)
                except (OSError, sqlite3.Error) as exc:
                    log.warning("jieba 词典文件未能保存 / jieba dictionary file not saved: %s", exc)
                return jieba.dt
        return _tokenizer


def pos_cutter() -> Any:
    """jieba's part-of-speech tagger (a `jieba.posseg.POSTokenizer`) over the query tokenizer.

    Why: `jieba.posseg.cut` tags with jieba's default tokenizer, which loads the whole table first (0.8 s of
    CPU in every `zhengwu ask` process) to tag a question of a few words. Over the saved table the words are
    the same (the same cut, see above) and so are their tags: the tag table is jieba.posseg's own, loaded
    when it is imported. Once jieba's table is in memory, jieba.posseg's default tagger is used."""
    global _pos
    import jieba.posseg as pseg

    tk = query_cutter()
    if tk is jieba.dt:
        return pseg.dt
    with _lock:
        if _pos is None or _pos.tokenizer is not tk:
            pos = pseg.POSTokenizer.__new__(pseg.POSTokenizer)  # its __init__ would parse the tag table again
            pos.tokenizer, pos.word_tag_tab = tk, pseg.dt.word_tag_tab
            _pos = pos
        return _pos
