"""The FastAPI application: REST API (OpenAPI at /docs), server-rendered pages, vendored static assets."""

from __future__ import annotations

import os
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.gzip import GZipMiddleware

from zhengwu.gateway import start_retention_job, warm_up_pii
from zhengwu.gateway.openai_api import RequestIds
from zhengwu.web.activity import ActivityMiddleware
from zhengwu.web.quota import QuotaMiddleware
from zhengwu.web.security import SecurityMiddleware
from zhengwu import __version__
from zhengwu.errors import ZhengwuError

HERE = Path(__file__).parent


_recovery_fd: int | None = None  # held open for the life of the process that took the recovery lock


def recovery_process() -> bool:
    """Whether this process recovers crashed jobs: the first of the server's processes to start takes a lock
    file in the data directory (an advisory `flock`, released by the kernel when the process ends) and keeps it;
    the others, started beside it, find it held and leave recovery to it, so a stopped hotline job is resumed
    once, not once per process. Holding it for the process's life (not only during recovery) matters: a job the
    first process just resumed still looks stale to a second process until its first progress write."""
    global _recovery_fd
    if _recovery_fd is not None:
        return True
    try:
        import fcntl
    except ImportError:  # not POSIX: one process per server there (uvicorn's workers need fork)
        return True
    from zhengwu.config import get_settings

    try:
        root = get_settings().data_dir
        root.mkdir(parents=True, exist_ok=True)
        fd = os.open(root / ".recovery.lock", os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:  # an unwritable data directory fails elsewhere, loudly
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return False
    _recovery_fd = fd
    return True


@asynccontextmanager
async def _lifespan(_app: FastAPI):  # noqa: ANN202
    """Start the background workers: embeddings (a separate low-priority process; lexical search never waits for
    it) and audit retention; stop the embedding process with the server."""
    from zhengwu.config import get_settings

    if get_settings().embedder != "none":
        from zhengwu.kb import dense

        dense.start_background_embedding()
    start_retention_job()
    if recovery_process():  # one process of the server recovers; the others would run each job again
        from zhengwu.kb import background

        background.recover()  # upload jobs a crash left "running" become "interrupted", resumable on request
        if get_settings().queue == "inprocess":  # with the Redis queue, `zhengwu worker`s resume them
            from zhengwu.hotline import jobs as hotline_jobs

            hotline_jobs.recover()  # classification and mining a crash stopped run again here
    warm_up_pii()  # load jieba and the region table now, not on the first citizen's request
    # the synchronous routes run in anyio's thread pool (40 threads by default): with 50 users on 2 cores, 40
    # threads taking turns on one interpreter lock stretched every request, and a thread holding SQLite's
    # write lock waited its turn too, so the others ran into "database is locked" (issue 15)
    from anyio import to_thread

    to_thread.current_default_thread_limiter().total_tokens = get_settings().web_threads
    yield
    if get_settings().embedder != "none":
        from zhengwu.kb import dense

        dense.stop_background_embedding()  # the worker process stops with the server


def create_app() -> FastAPI:
    app = FastAPI(title="zhengwu 政务大模型平台 API", version=__version__, lifespan=_lifespan,
                  docs_url=None, redoc_url=None)  # /docs is served offline by routes/apidocs.py

    @app.exception_handler(ZhengwuError)
    async def _zhengwu_error(_request: Request, exc: ZhengwuError) -> JSONResponse:
        return JSONResponse(status_code=exc.status, content={"error": exc.to_dict()})

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:  # never a stack trace to users
        import logging

        logging.getLogger("zhengwu").exception("unhandled error")
        return JSONResponse(status_code=500, content={"error": {
            "code": "internal", "message_zh": "服务器内部错误，请稍后重试或联系管理员。",
            "message_en": "Internal server error; try again later or contact the administrator."}})

    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.add_middleware(QuotaMiddleware)  # inside the security middleware: cross-site requests are refused first
    app.add_middleware(SecurityMiddleware)
    app.add_middleware(ActivityMiddleware)  # the embedding worker pauses while requests are served
    app.add_middleware(RequestIds)  # every /v1 answer carries X-Request-Id, refusals included
    # outermost: pages, JSON and scripts go gzip-compressed to a client that accepts it (a /match result page is
    # tens of kilobytes of repetitive HTML); Starlette leaves event streams, images, fonts and archives alone
    app.add_middleware(GZipMiddleware, minimum_size=1000)

    from zhengwu.web.routes import ROUTERS

    for router in ROUTERS:
        app.include_router(router)
    return app
