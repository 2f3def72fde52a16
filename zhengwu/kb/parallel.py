"""Tokenising and MinHash of a large document on every core: a process pool started once, used by size.

Why: jieba's cut and the MinHash of the text are most of an ingest's CPU (issue 15: a 10 MB text, 9,616
chunks). Both split exactly: chunks are cut one by one, and a signature is the minimum of its pieces' minima
(kb/dedup.py), so workers give the same tokens and the same signature as the serial path. The pool is forked
from a process whose jieba dictionary is already loaded (shared, not loaded again per worker) and started on
the first large document, then kept. A small document stays serial: shipping it to workers costs more than it
saves (PARALLEL_MIN_CHARS, measured with bench/ingest_speed.py, see docs/benchmarks.md).

The pool is used only from the main thread of a process on Linux (fork): a thread may not fork safely in a
server, and the workers' parent-death signal is tied to the thread that started them. The REST upload's child
(kb/background.py, a daemon process) tokenises alone: it may not start processes, and the server's requests
keep the other core.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import numpy as np

from zhengwu.errors import ZhengwuError
from zhengwu.kb import dedup
from zhengwu.kb.child import die_with_parent
from zhengwu.kb.tokenize import _jieba, index_tokens

PARALLEL_MIN_CHARS = 300_000  # a document this long is tokenised by the pool (when there are 2+ cores)
BATCH_CHARS = 100_000  # characters of chunk text per task: a few hundred chunks, progress every ~0.1 MB

_pool: ProcessPoolExecutor | None = None
_lock = threading.Lock()


def cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _init_worker() -> None:
    """A worker ends with its parent, and leaves Ctrl-C to it: the command stops between documents (a worker
    killed by the terminal's SIGINT would fail the file in work instead)."""
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def pool() -> ProcessPoolExecutor | None:
    """The tokenising pool (one worker per core), started on first use; None where it is not used (one core,
    not Linux, not the main thread, a daemon process)."""
    global _pool
    if cores() < 2 or not sys.platform.startswith("linux") or multiprocessing.current_process().daemon \
            or threading.current_thread() is not threading.main_thread():
        return None
    with _lock:
        if _pool is None:
            _jieba()  # loaded before the fork: the workers share the dictionary
            _pool = ProcessPoolExecutor(cores(), mp_context=multiprocessing.get_context("fork"),
                                        initializer=_init_worker)
        return _pool


def shutdown() -> None:
    """Stop the pool's workers (at exit; tests)."""
    global _pool
    with _lock:
        if _pool is not None:
            _pool.shutdown(wait=True, cancel_futures=True)
            _pool = None


atexit.register(shutdown)


def _tokens(texts: list[str]) -> list[str]:
    """Space-joined index tokens of each chunk text (what Chunk.tokens stores)."""
    return [" ".join(index_tokens(t)) for t in texts]


def _result(fut: Future):  # noqa: ANN202 - whatever the task returns
    """A task's result; a worker that died (killed, out of memory) fails the document with a clear message."""
    try:
        return fut.result()
    except BrokenProcessPool as exc:
        shutdown()  # the next document starts a fresh pool
        raise ZhengwuError("ingest_worker_died", "分词进程意外退出（可能内存不足），本文档未入库。",
                           "a tokenising process died (out of memory?); the document was not stored.") from exc


def signature_later(text: str) -> Callable[[], np.ndarray]:
    """Start the MinHash signature of `text` (on the pool for a large text) -> a function that returns it.
    Why later: the pool hashes while this process cuts the text into chunks."""
    ex = pool() if len(text) >= PARALLEL_MIN_CHARS else None
    if ex is None:
        return lambda: dedup.signature(text)
    futures = [ex.submit(dedup.piece_minima, p) for p in dedup.pieces(text)]
    return lambda: dedup.combine([_result(f) for f in futures])


class Tokeniser:
    """Index tokens of a document's chunk texts, fed one by one as they are cut, in batches of BATCH_CHARS: on
    the pool when the document is large (`size` characters), else here. `result()` -> the space-joined tokens
    of every text, in order. `on_chars(n)`: n more characters tokenised (progress)."""

    def __init__(self, size: int, on_chars: Callable[[int], None] | None = None) -> None:
        self.ex = pool() if size >= PARALLEL_MIN_CHARS else None
        self.on_chars = on_chars
        self.out: list[str] = []
        self.pending: deque[tuple[Future, int]] = deque()
        self.batch: list[str] = []
        self.chars = 0

    def add(self, text: str) -> None:
        self.batch.append(text)
        self.chars += len(text)
        if self.chars >= BATCH_CHARS:
            self._send()

    def _send(self) -> None:
        batch, chars, self.batch, self.chars = self.batch, self.chars, [], 0
        if not batch:
            return
        if self.ex is None:
            self._done(_tokens(batch), chars)
            return
        self.pending.append((self.ex.submit(_tokens, batch), chars))
        self._collect(wait=False)

    def _collect(self, wait: bool) -> None:
        while self.pending and (wait or self.pending[0][0].done()):
            fut, chars = self.pending.popleft()
            self._done(_result(fut), chars)

    def _done(self, tokens: list[str], chars: int) -> None:
        self.out += tokens
        if self.on_chars is not None:
            self.on_chars(chars)

    def result(self) -> list[str]:
        self._send()
        self._collect(wait=True)
        return self.out
