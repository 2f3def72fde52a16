"""A throw-away installation for benchmarks: they ingest a corpus the way a user would, never into real data."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from zhengwu.config import reset_settings
from zhengwu.kb.search import clear_indexes
from zhengwu.store.db import reset_engines


def _reset() -> None:
    reset_settings()
    reset_engines()
    clear_indexes()


@contextmanager
def temporary_store(prefix: str = "zhengwu-eval-") -> Iterator[Path]:
    """Point settings and the database at a fresh temporary data directory; restore and delete it afterwards."""
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    saved = {k: os.environ.get(k) for k in ("ZHENGWU_DATA_DIR", "ZHENGWU_DATABASE_URL")}
    os.environ["ZHENGWU_DATA_DIR"] = str(tmp)
    os.environ.pop("ZHENGWU_DATABASE_URL", None)
    _reset()
    try:
        yield tmp
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        _reset()
        shutil.rmtree(tmp, ignore_errors=True)


def embed_all(progress: bool = False, pack: Path | None = None) -> int:
    """Embed every chunk of the temporary store when an embedder is configured (as a deployment's background
    worker would), through the governed door, with the benchmarks' vector cache (`cache_dir()/vectors.sqlite`)
    so a text is embedded once across runs -> chunks embedded (0 without an embedder).

    Why: ingestion in benchmarks does not start the background worker; without this, a run in the default
    (embedder) mode would silently measure lexical search. `pack`: a shipped vector pack (the demo's
    data/demo/vectors.npz) loaded first where it fits, as `zhengwu demo` does, so a benchmark of the demo measures
    the vectors a deployment of it uses and needs no 25-minute embedding on a fresh machine."""
    from zhengwu.eval.retrieval import _say, cache_dir
    from zhengwu.gateway import embedder_name
    from zhengwu.kb.dense import VectorCache, embed_pending

    if embedder_name() is None:
        return 0
    if pack is not None and pack.is_file():
        from zhengwu.kb.vector_pack import load_pack

        _say(progress, f"载入随附向量 shipped vectors: {load_pack(pack)} ({pack})")
    _say(progress, f"向量化 embedding (cache: {cache_dir() / 'vectors.sqlite'})")
    return embed_pending(None, progress=progress, cache=VectorCache(cache_dir() / "vectors.sqlite"))
