"""`zhengwu serve` (the web server) and `zhengwu demo` (load the bundled real documents, then serve)."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from zhengwu.cli.app import app
from zhengwu.cli.progress import progress_bar
from zhengwu.config import get_settings
from zhengwu.context import cli_caller

DEMO_DIR = Path(__file__).resolve().parents[2] / "data" / "demo"


def _run_server(host: str | None, port: int | None, workers: int | None = None) -> None:
    """Serve the app; with `workers` > 1, uvicorn forks that many processes on the same port (each builds its
    own app: nothing is shared in memory, see docs/deployment.md "scale profile")."""
    # the web app (FastAPI, templates) and uvicorn take ~600 ms to import: only for `zhengwu serve` / `demo`
    import uvicorn

    from zhengwu.kb import index_files
    from zhengwu.store import init_db
    from zhengwu.web.app import create_app

    index_files.foreground_progress = None  # a server answers from the old index while rebuilding (not the CLI's way)
    s = get_settings()
    host = host or s.host
    port = port or s.port
    workers = workers or default_workers()
    init_db()  # migrations once, before the workers start
    print(f"zhengwu 已启动 / running at http://{host}:{port}/  (API 文档 / docs: http://{host}:{port}/docs)"
          + (f"  · {workers} 个进程 / worker processes" if workers > 1 else ""), flush=True)
    # an idle keep-alive connection is closed after web_keep_alive seconds; at uvicorn's 5 s, a client sending its
    # next request just as the server closed the connection lost it (issue 15: the dropped connections of the
    # load benchmark, whose users pause about 5 s between requests)
    opts = {"host": host, "port": port, "log_level": "warning", "timeout_keep_alive": s.web_keep_alive}
    if workers > 1:
        uvicorn.run("zhengwu.web.app:create_app", factory=True, workers=workers, **opts)
    else:
        uvicorn.run(create_app(), **opts)


@app.command()
def serve(
    host: str = typer.Option(None, help="监听地址 / bind address (default 127.0.0.1)"),
    port: int = typer.Option(None, help="端口 / port (default 8600)"),
    workers: int = typer.Option(None, "--workers", "-w", min=1,
                                help="进程数，默认为 CPU 核数（最多 2）/ worker processes (default: the number of cores, "
                                     "at most 2)"),
) -> None:
    """启动 Web 服务 / start the web server."""
    _run_server(host, port, workers)


def default_workers() -> int:
    """One process per core, at most 2: Python runs one thread at a time per process, so a second process lets
    a second core answer; each process holds its own models and indexes (about 470 MB), so more only by choice."""
    return max(1, min(os.cpu_count() or 1, 2))


@app.command()
def worker(
    threads: int = typer.Option(2, "--threads", min=1, help="并行任务数 / tasks at once"),
    recover_every: float = typer.Option(15.0, "--recover-every", help="检查无人处理的中断任务的间隔（秒）/ "
                                        "seconds between looks for interrupted jobs nobody holds"),
) -> None:
    """运行后台任务进程（入库、向量化；需 queue = redis）/ run a background worker (ingest, embedding; queue = redis)."""
    from zhengwu.tasks.worker import run_worker

    run_worker(threads=threads, recover_every=recover_every)


@app.command()
def demo(
    host: str = typer.Option(None, help="监听地址 / bind address (default 127.0.0.1)"),
    port: int = typer.Option(None, help="端口 / port (default 8600)"),
    kb: str = typer.Option("demo", help="演示知识库名称 / demo knowledge base"),
    load_only: bool = typer.Option(False, "--load-only", help="只导入不启动 / load without serving"),
    no_vectors: bool = typer.Option(False, "--no-vectors", help="不载入随附的向量（后台重新计算）/ "
                                    "ignore the shipped vectors (computed in the background)"),
) -> None:
    """导入随附的真实政府文件并启动服务 / load the bundled real documents and start the server.

    Lexical search works as soon as the documents are in. The demo's vectors are shipped (data/demo/vectors.npz,
    used only when they fit the configured embedder); whatever they do not cover is embedded by the server's
    low-priority worker process, and until then answers use lexical retrieval: the command says how long.
    """
    from zhengwu.kb.ingest import ingest_paths

    files = sorted(p for p in DEMO_DIR.glob("*.jsonl"))
    if not files:
        raise typer.BadParameter(f"演示数据缺失 / demo data missing: {DEMO_DIR}")
    print(f"导入演示文件 / loading demo documents into knowledge base '{kb}' …", flush=True)
    with progress_bar(f"入库 ingest → {kb}") as on_progress:
        report = ingest_paths(files, kb=kb, caller=cli_caller(), on_progress=on_progress)
    print(f"新增 added {report.added} · 未变 unchanged {report.unchanged} · 替换 replaced {report.replaced}"
          f" · 失败 failed {len(report.failed)}", flush=True)
    _demo_vectors(no_vectors)
    _demo_catalog()
    _demo_admin()
    if load_only:
        return
    _run_server(host, port)


def _demo_vectors(skip_pack: bool) -> None:
    """Load the shipped vectors where they fit, then say plainly what is left for the background worker."""
    from zhengwu.errors import ZhengwuError
    from zhengwu.kb import dense, embed_worker, vector_pack

    if get_settings().embedder == "none":
        return
    pack = DEMO_DIR / "vectors.npz"
    if not skip_pack and pack.is_file():
        try:
            n = vector_pack.load_pack(pack)
            if n:
                print(f"载入随附向量 / shipped vectors loaded: {n}", flush=True)
        except ZhengwuError as exc:
            print(f"{exc.zh}\n{exc.en}", flush=True)
    pending = dense.count_pending()
    if pending == 0:
        print("向量已就绪：问答即用混合检索（词法 + 向量）/ vectors ready: answers use hybrid retrieval at once",
              flush=True)
        return
    minutes = max(1, round(embed_worker.eta_seconds(pending) / 60))
    print(f"还有 {pending} 段待向量化：服务空闲时由后台低优先级进程计算，约 {minutes} 分钟（有提问时暂停）；"
          f"完成前问答用词法检索（答案 timings.retrieval = lexical），完成后自动改用混合检索。\n"
          f"{pending} passages still need vectors: a low-priority background process computes them while the "
          f"server is idle, about {minutes} min (it pauses while questions are served); until then answers use "
          "lexical retrieval (timings.retrieval = lexical), then hybrid retrieval automatically.", flush=True)


def _demo_catalog() -> None:
    """The shipped scheme catalogue (policy matching), published in the demo's department, when it exists. A bad
    catalogue is reported and the demo goes on: the documents are in, matching waits for a good file."""
    from zhengwu.errors import ZhengwuError
    from zhengwu.match.store import load_demo_catalog

    try:
        rep = load_demo_catalog(cli_caller())
    except ZhengwuError as exc:
        print(f"政策目录未载入 / scheme catalogue not loaded: {exc.zh}\n{exc.en}", flush=True)
        return
    if rep is not None:
        print(f"政策目录 / scheme catalogue: {len(rep.schemes)} 条 entries，{rep.published} 条已发布 published",
              flush=True)


def _demo_admin() -> None:
    """On a fresh demo installation, one administrator with a random password printed once (admin pages need a
    sign-in; citizens' pages do not)."""
    import secrets

    from sqlalchemy import select

    from zhengwu.config import get_settings
    from zhengwu.context import Caller
    from zhengwu.identity import create_user
    from zhengwu.identity.accounts import ensure_department
    from zhengwu.identity.models import User
    from zhengwu.store import session_scope

    with session_scope() as s:
        if s.scalar(select(User.id).limit(1)) is not None:
            return
        password = "Demo-" + secrets.token_urlsafe(9)
        dept = get_settings().department
        ensure_department(s, dept)
        create_user(s, Caller("demo", "*", "admin"), "demo-admin", department=dept, role="admin", password=password)
    print(f"管理员账号 / administrator: demo-admin  密码 / password: {password}（只显示这一次 / shown once）", flush=True)
