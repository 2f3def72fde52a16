"""Child processes of ingestion (the REST upload's child, the tokenising pool's workers): they die with their
parent and their memory is capped.

Why: a server killed hard once left its ingestion child running on its own; it grew to 15 GB of memory while
nobody waited for it (issue 15). The kernel's parent-death signal (Linux) ends a child the moment its parent
dies, even while the child is inside a long C++ call that would keep a watching thread from running; a cap on
the address space turns runaway growth into a clear job error (MemoryError) instead of swapping the machine.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import resource
import signal
import sys

log = logging.getLogger("zhengwu.kb.child")

PR_SET_PDEATHSIG = 1
MEMORY_ENV = "ZHENGWU_INGEST_MEMORY_MB"
DEFAULT_MEMORY_MB = 6144  # address space, not resident memory: numpy and threads reserve far more than they use


def die_with_parent() -> bool:
    """Ask the kernel to SIGKILL this process when its parent (the thread that started it) ends -> True when
    done (Linux); elsewhere False, and the caller keeps its own watch on the parent."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):
        return False
    return True


def memory_cap_bytes() -> int | None:
    """The address-space cap of ingestion children: ZHENGWU_INGEST_MEMORY_MB (0 = none), default 6,144 MB."""
    mb = _env_int(MEMORY_ENV, DEFAULT_MEMORY_MB)
    return mb * 1024 * 1024 if mb > 0 else None


def _env_int(name: str, default: int) -> int:
    """The whole number in environment variable `name`, else `default` (a bad value is logged, not fatal: an
    upload must not fail over a typo in a tuning knob)."""
    raw = os.environ.get(name, "").strip()
    try:
        return int(raw) if raw else default
    except ValueError:
        log.warning("%s=%r is not a whole number; using %s", name, raw, default)
        return default


def cap_memory(limit: int | None = None) -> int | None:
    """Cap this process's address space (RLIMIT_AS; inherited by the processes it starts) -> the cap set,
    or None when there is none. Never raises the limit above one already set from outside."""
    limit = memory_cap_bytes() if limit is None else limit
    if limit is None:
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    if soft != resource.RLIM_INFINITY and soft <= limit:
        return soft
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    return limit


NICE_ENV = "ZHENGWU_INGEST_NICE"
DEFAULT_NICE = 10


def nice_step() -> int:
    """How many nice levels the upload's child lowers its CPU priority by: ZHENGWU_INGEST_NICE, default 10
    (0 = the server's own priority)."""
    return max(0, min(_env_int(NICE_ENV, DEFAULT_NICE), 19))


def lower_priority(step: int | None = None) -> int:
    """Give this process (the upload's ingestion) less CPU than the server's requests when both want it ->
    the nice levels added (0 when none or not possible).

    Why: on 2 cores the ingestion of a 10 MB text competed as an equal with the two server processes, and every
    request's latency doubled while it ran (issue 15: p95 959 ms with an upload, 450 ms without). Niced, it takes
    the CPU the requests leave: the upload takes longer, the requests keep their pace. SCHED_BATCH as well (Linux):
    a waking request thread is not made to wait for the ingestion's time slice. The child holds SQLite's write
    lock only while it writes (a document's rows, its job records); while requests wait for that lock they use
    no CPU, so the niced writer gets the cores then (measured with bench/load.py, docs/benchmarks.md)."""
    step = nice_step() if step is None else step
    if step <= 0:
        return 0
    try:
        os.nice(step)
    except (OSError, AttributeError):  # not permitted, or not a POSIX system
        return 0
    if hasattr(os, "sched_setscheduler") and hasattr(os, "SCHED_BATCH"):
        try:
            os.sched_setscheduler(0, os.SCHED_BATCH, os.sched_param(0))
        except OSError:
            pass
    return step
