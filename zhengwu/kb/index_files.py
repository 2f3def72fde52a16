"""The search collection's indexes saved next to the database, so a fresh process loads them instead of
rebuilding them (jieba and bm25s over every chunk took seconds per CLI command).

Layout: `<data_dir>/indexes/<kb ids>@<kb versions>/` (e.g. `1-4@12-3/`) holding
- `manifest.json`, written last: format, tokenizer signature, database, kb versions, a fingerprint of the
  chunks (count, largest id) and the SHA-256 of every other file;
- `arrays/*.npy`: document and chunk ids, chunk → document and knowledge base positions;
- `meta.json`: document types and validities, unit counts, the jieba cuts of titles and headings (reused
  by the next rebuild, so adding a document runs jieba only on what is new) and each document's stamp;
- `chunk_lex/`, `doc_lex/`, `doc_big/`, `title_big/`: the four bm25s indexes (loaded memory-mapped), each with
  the term counts and unit lengths behind its scores (`counts.npy`, `lengths.npy`): with the stamps, what lets
  the next change be applied without a rebuild (zhengwu/kb/delta.py).

Why these rules:
- An index is only used when everything in the manifest matches and every checksum holds; anything else
  (stale version, corrupt or missing file, another tokenizer) means rebuild, never a wrong answer.
- Saving writes a temporary directory and renames it into place: a crash or a full disk mid-save leaves the
  previous index as it was. Older versions are removed after a successful save, best effort (a process still
  reading one keeps its open memory maps).
- One build per collection across the server's processes (`build_lock`, a lock file per set of knowledge
  bases): the process that takes it builds and saves, the others answer from their previous index and load
  what it saved. A process ingesting documents holds `ingest_lock` until it has built and saved the new index
  itself (zhengwu/kb/search.py `save_index_after_ingest`), so servers never rebuild after an upload. Should
  two processes still save the same versions (`zhengwu kb reindex` twice), they race on the rename; the first
  wins and the other drops its copy (their contents are the same).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from zhengwu.errors import ZhengwuError

if TYPE_CHECKING:
    from zhengwu.kb.search import Collection

# numpy and the settings are imported inside the functions: the CLI sets `foreground_progress` at start-up,
# and `zhengwu --help` must not pay for them.

log = logging.getLogger("zhengwu.kb.index")

FORMAT = 2  # 2: term counts and document stamps saved (incremental updates, zhengwu/kb/delta.py)
_ARRAYS = ("doc_ids", "chunk_ids", "chunk_doc", "chunk_kb")
_LEXICAL = ("chunk_lex", "doc_lex", "doc_big", "title_big")
_STALE_TMP_S = 3600  # a temporary directory older than this is a crashed save's leftover


# The CLI rebuilds a stale index in the foreground (its process would end before a background thread finished)
# and draws this progress bar (`foreground_progress(label)` yields an `on_progress(done, total, name)` or None);
# while it is None (the server), a large collection answers from its previous index during the rebuild.
foreground_progress: Callable[[str], AbstractContextManager[Callable[[int, int, str], None] | None]] | None = None


class IndexSaveError(ZhengwuError):
    """The index could not be written (disk full, no permission); the previous one keeps serving."""


def index_root() -> Path:
    from zhengwu.config import get_settings

    return get_settings().data_dir / "indexes"


def dir_name(kb_versions: tuple[tuple[int, int], ...]) -> str:
    return "-".join(str(k) for k, _ in kb_versions) + "@" + "-".join(str(v) for _, v in kb_versions)


def signature() -> dict:
    """What the saved tokens and scores depend on besides the data: a change means rebuild."""
    import jieba

    from zhengwu.kb import search

    return {"format": FORMAT, "jieba": jieba.__version__,
            "weights": [search.TITLE_BOOST, search.HEADING_BOOST, search.BIGRAM_K1, search.BIGRAM_B]}


def database_id() -> str:
    """The database the index was built from (a data directory may be pointed at another database)."""
    from zhengwu.config import get_settings

    return hashlib.sha256(get_settings().resolved_database_url.encode()).hexdigest()[:16]


def _sha256(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


# --- one builder at a time ---------------------------------------------------------------------------------

@contextmanager
def build_lock(kb_ids: list[int] | tuple[int, ...], *, wait: bool) -> Iterator[bool]:
    """Hold the build lock of these knowledge bases' index across processes; yields whether it is held.

    With `wait` False and another process building, yields False at once (the caller answers from its previous
    index meanwhile). The lock is an advisory `flock` on a file next to the indexes, released by the kernel when
    its process ends, so a crashed builder never leaves it stuck. Where the lock cannot be taken (no `fcntl`,
    the directory cannot be written), yields True: building twice is only wasted work, never a wrong answer.
    """
    fd = _lock_fd(f".build-{'-'.join(str(k) for k in kb_ids)}.lock")
    if fd is None:
        yield True
        return
    import fcntl

    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            log.info("另一进程正在重建检索索引，暂用原有索引 / another process is rebuilding the search index; "
                     "answering from the previous one meanwhile")
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextmanager
def ingest_lock(kb_id: int) -> Iterator[None]:
    """Held by the process ingesting into knowledge base `kb_id` for the whole job (the upload's child process),
    until it has saved the new index: a server that meanwhile finds its index stale (every stored document bumps
    the version) keeps answering from its previous index instead of rebuilding, and then loads what the ingesting
    process saved (`writers_done`). Same file-lock rules as `build_lock`."""
    fd = _lock_fd(f".ingest-{kb_id}.lock")
    if fd is None:
        yield
        return
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        _ingesting.add(kb_id)
        yield
    finally:
        _ingesting.discard(kb_id)
        os.close(fd)  # closing the descriptor releases the lock


_ingesting: set[int] = set()  # knowledge bases whose ingest lock this process holds (it must not wait on itself)


def writers_done(kb_ids: list[int] | tuple[int, ...]) -> bool:
    """Whether no other process is ingesting into any of these knowledge bases (`ingest_lock`). Never waits: a
    process with an index to answer from answers meanwhile; one without builds its own (waiting could mean the
    length of a 100 MB upload)."""
    for kb_id in kb_ids:
        if kb_id in _ingesting:
            continue
        fd = _lock_fd(f".ingest-{kb_id}.lock")
        if fd is None:
            continue
        import fcntl

        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        finally:
            os.close(fd)
    return True


def _lock_fd(name: str) -> int | None:
    """An open descriptor on the lock file `name` next to the indexes, or None where file locks are unavailable
    (no `fcntl`, an unwritable directory): then nothing is locked, which only risks building twice."""
    if os.name != "posix":  # fcntl.flock is POSIX only
        return None
    root = index_root()
    try:
        root.mkdir(parents=True, exist_ok=True)
        return os.open(root / name, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        return None


# --- save --------------------------------------------------------------------------------------------------

def save(col: Collection, fingerprint: list[int]) -> Path:
    """Write `col` atomically; raise IndexSaveError (the previous index untouched) when the disk refuses."""
    import numpy as np

    from zhengwu.kb.lexical import COUNTS, LENGTHS

    root = index_root()
    final = root / dir_name(col.kb_versions)
    tmp = root / f".tmp-{final.name}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        (tmp / "arrays").mkdir(parents=True)
        for name in _ARRAYS:
            np.save(tmp / "arrays" / f"{name}.npy", getattr(col, name), allow_pickle=False)
        for name in _LEXICAL:
            getattr(col, name).save(tmp / name)
        meta = {"doc_type": [str(x) for x in col.doc_type], "doc_validity": [str(x) for x in col.doc_validity],
                "sizes": {name: getattr(col, name).size for name in _LEXICAL}, "token_memo": col.token_memo,
                "doc_stamp": col.doc_stamp}
        (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        files = {p.relative_to(tmp).as_posix(): _sha256(p) for p in sorted(tmp.rglob("*")) if p.is_file()}
        # the term counts are checked when an update reads them (`update_files_ok`), not by every load
        counts = {k: files.pop(k) for k in list(files) if k.rsplit("/", 1)[-1] in (COUNTS, LENGTHS)}
        manifest = signature() | {"database": database_id(), "kb_versions": [list(v) for v in col.kb_versions],
                                  "fingerprint": fingerprint, "files": files, "update_files": counts,
                                  "saved": time.time()}
        with open(tmp / "manifest.json", "w", encoding="utf-8") as f:
            json.dump(manifest, f)
            f.flush()
            os.fsync(f.fileno())
        try:
            os.rename(tmp, final)
        except OSError:
            if final.exists() and _verified(final) is None:  # a damaged index of these versions: replace it
                shutil.rmtree(final, ignore_errors=True)
                os.rename(tmp, final)
            elif not final.exists():
                raise
            # else another process saved these versions first (same content): keep theirs, drop ours
    except OSError as exc:
        raise IndexSaveError(
            "index_save_failed",
            f"检索索引未能保存（{exc.strerror or exc}），继续使用原有索引；请检查磁盘空间和目录权限：{root}",
            f"The search index could not be saved ({exc.strerror or exc}); the previous index keeps serving. "
            f"Check the free disk space and permissions of {root}.", path=str(root)) from exc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # gone after the rename; else a failed or redundant save
    _remove_older(root, col.kb_versions)
    return final


def _remove_older(root: Path, kb_versions: tuple[tuple[int, int], ...]) -> None:
    """Drop saved indexes of the same knowledge bases at older versions, and crashed saves' leftovers."""
    ids, _, _ = dir_name(kb_versions).partition("@")
    now = time.time()
    for p in root.iterdir():
        try:
            if p.name.startswith(".tmp-"):
                if now - p.stat().st_mtime > _STALE_TMP_S:
                    shutil.rmtree(p, ignore_errors=True)
                continue
            p_ids, _, p_vers = p.name.partition("@")
            if p_ids == ids and p.name != dir_name(kb_versions):
                old = [int(v) for v in p_vers.split("-")]
                if all(o <= v for o, (_, v) in zip(old, kb_versions)):
                    shutil.rmtree(p, ignore_errors=True)
        except (OSError, ValueError):
            continue


# --- load --------------------------------------------------------------------------------------------------

def _verified(path: Path) -> dict | None:
    """The manifest of the index in `path` if it is ours and every file matches its checksum, else None."""
    try:
        manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
        if {k: manifest.get(k) for k in signature()} != signature() or manifest.get("database") != database_id():
            return None
        for rel, digest in manifest["files"].items():
            if _sha256(path / rel) != digest:
                log.warning("检索索引文件校验失败，将重建 / index file failed its checksum, rebuilding: %s", path / rel)
                return None
        return manifest
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        log.warning("检索索引缺失或损坏，将重建 / index missing or damaged, rebuilding: %s", path)
        return None


def load(kb_versions: tuple[tuple[int, int], ...], fingerprint: list[int] | None) -> Collection | None:
    """The saved collection of exactly these versions (and chunk fingerprint, when given), or None."""
    path = index_root() / dir_name(kb_versions)
    if not (path / "manifest.json").exists():
        return None
    manifest = _verified(path)
    if manifest is None or [tuple(v) for v in manifest["kb_versions"]] != list(kb_versions):
        return None
    if fingerprint is not None and manifest["fingerprint"] != fingerprint:
        return None
    return _read(path, kb_versions, manifest)


def load_previous(kb_versions: tuple[tuple[int, int], ...]) -> Collection | None:
    """The newest valid saved collection of the same knowledge bases at other versions (answers while the
    current one is rebuilt, and lends its jieba cuts to the rebuild), or None."""
    root = index_root()
    ids = dir_name(kb_versions).partition("@")[0]
    try:
        cands = sorted((p for p in root.glob(f"{ids}@*") if (p / "manifest.json").exists()),
                       key=lambda p: (p / "manifest.json").stat().st_mtime, reverse=True)
    except OSError:
        return None
    for p in cands:
        manifest = _verified(p)
        col = (_read(p, tuple(tuple(v) for v in manifest["kb_versions"]), manifest) if manifest is not None
               else None)
        if col is not None:
            return col
    return None


def saved_sets_with(kb_id: int) -> set[tuple[int, ...]]:
    """The sets of knowledge bases (as id tuples) that have a saved index including `kb_id`."""
    out = set()
    try:
        for p in index_root().glob("*@*"):
            try:
                ids = tuple(int(x) for x in p.name.partition("@")[0].split("-"))
            except ValueError:
                continue
            if kb_id in ids:
                out.add(ids)
    except OSError:
        pass
    return out


def update_files_ok(col: Collection) -> bool:
    """Whether the term counts of a collection loaded from disk still match their checksums: checked here, by the
    update that reads them, rather than by every load (which never reads them). A collection built in memory has
    nothing to check."""
    if col.saved_in is None:
        return True
    path, digests = col.saved_in
    try:
        for rel, digest in digests.items():
            if _sha256(path / rel) != digest:
                log.warning("检索索引文件校验失败，将重建 / index file failed its checksum, rebuilding: %s", path / rel)
                return False
    except OSError:
        log.warning("检索索引缺失或损坏，将重建 / index missing or damaged, rebuilding: %s", path)
        return False
    return True


def _read(path: Path, kb_versions: tuple, manifest: dict) -> Collection | None:
    import numpy as np

    from zhengwu.kb.lexical import LexicalIndex
    from zhengwu.kb.search import Collection

    try:
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        arrays = {name: np.load(path / "arrays" / f"{name}.npy", allow_pickle=False) for name in _ARRAYS}
        lex = {name: LexicalIndex.load(path / name, int(meta["sizes"][name])) for name in _LEXICAL}
    except (OSError, ValueError, KeyError) as exc:
        log.warning("检索索引无法读取，将重建 / index unreadable, rebuilding: %s (%s)", path, exc)
        return None
    col = Collection(kb_versions, doc_type=np.array(meta["doc_type"], dtype=object),
                     doc_validity=np.array(meta["doc_validity"], dtype=object), token_memo=meta["token_memo"],
                     doc_stamp=meta.get("doc_stamp"), **arrays, **lex)
    col.saved_in = (path, manifest.get("update_files", {}))
    return col
