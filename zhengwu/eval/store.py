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
