"""`zhengwu worker`: a process that takes tasks from the Redis queue (scale profile).

Why its own loop around Dramatiq's Worker: on SIGTERM/SIGINT a running ingest job stops at its next progress
step and is left "interrupted" instead of being killed mid-batch, and every `recover_every` seconds the worker
re-enqueues submitted jobs that nobody holds (zhengwu/tasks/redis_queue.py), so a job whose worker died is
resumed by another one.
"""

from __future__ import annotations

import logging
import signal

from zhengwu.config import get_settings
from zhengwu.errors import ZhengwuError

log = logging.getLogger("zhengwu.tasks")


def run_worker(threads: int = 2, recover_every: float = 15.0) -> None:
    """Run until SIGTERM or SIGINT."""
    import dramatiq
    import redis

    from zhengwu.store.db import init_db
    from zhengwu.tasks import redis_queue

    if get_settings().queue != "redis":
        raise ZhengwuError("worker_needs_redis", "工作进程需要 queue = \"redis\"（ZHENGWU_QUEUE=redis）与 redis_url。",
                           'The worker needs queue = "redis" (ZHENGWU_QUEUE=redis) and redis_url.')
    try:
        redis_queue.redis_client().ping()
    except redis.RedisError as exc:
        raise ZhengwuError("redis_unreachable", f"无法连接 Redis（{get_settings().redis_url}）：{exc}",
                           f"Cannot reach Redis ({get_settings().redis_url}): {exc}") from None
    init_db()
    broker = redis_queue.broker()
    redis_queue.actors()

    def on_signal(signum: int, _frame) -> None:  # noqa: ANN001
        log.info("worker stopping (signal %s)", signum)
        redis_queue.stopping.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    worker = dramatiq.Worker(broker, worker_threads=max(1, threads))
    worker.start()
    print(f"工作进程已启动 / worker started: {max(1, threads)} threads, queue {get_settings().redis_url}", flush=True)
    try:
        while True:
            try:
                again = redis_queue.recover()
                if again:
                    log.info("resumed ingest jobs %s", again)
                    print(f"继续中断的任务 / resuming jobs: {again}", flush=True)
                again = redis_queue.recover_hotline()
                if again:
                    log.info("resumed hotline jobs %s", again)
                    print(f"继续中断的热线任务 / resuming hotline jobs: {again}", flush=True)
            except redis.RedisError:
                log.exception("recovery round failed")
            if redis_queue.stopping.wait(recover_every):
                break
    finally:
        worker.stop(timeout=60_000)
        print("工作进程已停止 / worker stopped", flush=True)
