"""CLI commands of the kb module: `zhengwu kb create|list|delete|jobs` and `zhengwu ingest`."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from zhengwu.cli.app import app, kb_app
from zhengwu.cli.progress import volume_bar
from zhengwu.config import get_settings
from zhengwu.context import cli_caller
from zhengwu.errors import ZhengwuError

_out = Console()


@kb_app.command("create")
def kb_create(name: str = typer.Argument(..., help="知识库名称 / knowledge-base name"),
              description: str = typer.Option("", "--description", "-d", help="说明 / description"),
              personal_data: bool = typer.Option(False, "--personal-data",
                                                 help="含个人信息（段落向量化前脱敏）/ holds personal data (passages masked "
                                                      "before embedding)"),
              mask_passages: Optional[bool] = typer.Option(None, "--mask-passages/--no-mask-passages",
                                                           help="明确指定向量化前是否脱敏 / mask passages before embedding "
                                                                "(default: as --personal-data)")) -> None:
    """创建知识库 / create a knowledge base."""
    from zhengwu.kb.manage import create_kb
    from zhengwu.store import session_scope

    caller = cli_caller()
    with session_scope() as s:
        create_kb(s, caller, name, description, personal_data=personal_data, mask_passages=mask_passages)
    _out.print(f"已创建知识库 / created knowledge base: {name}（部门 department: {caller.department}）")


@kb_app.command("share")
def kb_share(name: str = typer.Argument(..., help="知识库名称 / knowledge-base name"),
             department: str = typer.Option(..., "--with", help="共享给的部门代码 / department to share with")) -> None:
    """把本部门的知识库共享给另一部门（只读）/ share a knowledge base with another department (read-only)."""
    from zhengwu.store import session_scope
    from zhengwu.kb.manage import share_kb

    with session_scope() as s:
        share_kb(s, cli_caller(), name, department)
    _out.print(f"已将知识库 {name} 共享给 {department} / shared {name} with {department}")


@kb_app.command("unshare")
def kb_unshare(name: str = typer.Argument(..., help="知识库名称 / knowledge-base name"),
               department: str = typer.Option(..., "--with", help="取消共享的部门代码 / department")) -> None:
    """取消共享 / stop sharing a knowledge base with a department."""
    from zhengwu.store import session_scope
    from zhengwu.kb.manage import unshare_kb

    with session_scope() as s:
        unshare_kb(s, cli_caller(), name, department)
    _out.print(f"已取消与 {department} 共享 {name} / {name} no longer shared with {department}")


@kb_app.command("list")
def kb_list(as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON")) -> None:
    """列出本部门的知识库 / list the department's knowledge bases."""
    from zhengwu.kb.manage import kb_stats, list_kbs
    from zhengwu.store import session_scope

    caller = cli_caller()
    with session_scope() as s:
        rows = [kb_stats(s, kb) for kb in list_kbs(s, caller)]
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        _out.print("本部门还没有知识库 / no knowledge bases yet")
        return
    t = Table("名称 name", "文档 documents", "分块 chunks", "版本 version", "说明 description")
    for r in rows:
        t.add_row(r["name"], str(r["documents"]), str(r["chunks"]), str(r["version"]), r["description"])
    _out.print(t)


@kb_app.command("delete")
def kb_delete(name: str = typer.Argument(..., help="知识库名称 / knowledge-base name"),
              yes: bool = typer.Option(False, "--yes", "-y", help="不再确认 / do not ask")) -> None:
    """删除知识库及其全部文档 / delete a knowledge base with all its documents."""
    from zhengwu.kb.manage import delete_kb, get_kb, kb_stats
    from zhengwu.store import session_scope

    caller = cli_caller()
    with session_scope() as s:
        stats = kb_stats(s, get_kb(s, caller, name))
    if not yes:
        ok = typer.confirm(f"删除知识库“{name}”（{stats['documents']} 个文档）？ / delete '{name}' "
                           f"({stats['documents']} documents)?", default=False)
        if not ok:
            _out.print("已取消 / cancelled")
            raise typer.Exit(1)
    with session_scope() as s:
        delete_kb(s, caller, name)
    _out.print(f"已删除知识库 / deleted knowledge base: {name}")


@kb_app.command("jobs")
def kb_jobs(as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON"),
            limit: int = typer.Option(50, "--limit", help="最多显示 / at most")) -> None:
    """入库任务及进度 / ingest jobs with their progress."""
    from zhengwu.kb import jobs as ingest_jobs
    from zhengwu.store import session_scope

    with session_scope() as s:
        jobs = ingest_jobs.list_jobs(s, cli_caller(), limit=limit)
    if as_json:
        print(json.dumps(jobs, ensure_ascii=False, indent=2))
        return
    t = Table("ID", "知识库 kb", "状态 status", "进度 progress", "失败 failed", "创建 created")
    for j in jobs:
        t.add_row(str(j["id"]), j["kb"], j["status"], f"{j['done'] + j['failed']}/{j['total']}", str(j["failed"]),
                  (j["created_at"] or "")[:19])
    _out.print(t)


@kb_app.command("cancel")
def kb_cancel(job_id: int = typer.Argument(..., help="任务 ID / job id")) -> None:
    """停止正在进行的入库任务（可用 --resume 继续）/ stop a running ingest job (resume it later)."""
    from zhengwu.kb import jobs as ingest_jobs
    from zhengwu.store import session_scope

    with session_scope() as s:
        job = ingest_jobs.cancel_job(s, cli_caller(), job_id)
    _out.print(f"任务 job {job_id}: {job['status']}（继续 resume: zhengwu ingest --resume {job_id}）")


def print_report(report, console: Console | None = None) -> None:  # noqa: ANN001
    """The per-file summary table (added / unchanged / replaced / failed); notes such as duplicates are
    listed under it, and the reasons of failures go to stderr (see `ingest`)."""
    console = console or _out
    t = Table(show_lines=False)
    t.add_column("文件\nfile", overflow="fold", ratio=3)
    t.add_column("结果\nresult", no_wrap=True)
    for zh, en in (("新增", "added"), ("未变", "same"), ("替换", "replaced"), ("失败", "failed")):
        t.add_column(f"{zh}\n{en}", justify="right", no_wrap=True)
    for f in report.files:
        d = f.documents
        t.add_row(Path(f.path).name, f.status, str(d["added"]), str(d["unchanged"]), str(d["replaced"]),
                  str(d["failed"]))
    console.print(t)
    for f in report.files:
        if f.message_zh and f.status != "failed" and not f.documents["failed"]:
            console.print(f"· {f.message_zh}\n  {f.message_en}")
    console.print(f"任务 job {report.job_id} · 知识库 kb {report.kb} · 新增 added {report.added} · "
                  f"未变 unchanged {report.unchanged} · 替换 replaced {report.replaced} · "
                  f"失败 failed {len(report.failed)} · {report.seconds:.1f} s · "
                  f"{report.pages_per_second:.1f} 页/s pages/s")
    if report.cancelled:
        console.print(f"[yellow]任务已取消，已入库的文档已保存；继续：zhengwu ingest --resume {report.job_id}\n"
                      f"Job cancelled; stored documents are kept; continue with: zhengwu ingest --resume "
                      f"{report.job_id}[/yellow]")
    if report.embedded is not None:
        console.print(f"已向量化 embedded: {report.embedded}")
    for zh, en in report.warnings:
        console.print(f"[yellow]{zh}\n{en}[/yellow]")


@app.command("ingest")
def ingest(paths: list[Path] = typer.Argument(None, help="文件或目录 / files or directories"),
           kb: str = typer.Option("default", "--kb", help="知识库 / knowledge base"),
           resume: int = typer.Option(None, "--resume", help="继续中断的任务 / resume job JOB_ID"),
           no_embed: bool = typer.Option(False, "--no-embed", help="只做词法索引 / lexical index only"),
           as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON"),
           no_progress: bool = typer.Option(False, "--no-progress", help="不显示进度条 / no progress bar"),
           wait: bool = typer.Option(False, "--wait", help="queue = redis 时等待任务结束 / with queue = redis, wait "
                                     "for the job to end")) -> None:
    """文档入库（可中断、可继续）/ ingest documents (interruptible, resumable)."""
    from zhengwu.kb import jobs as ingest_jobs, index_files, ingest as kb_ingest

    caller = cli_caller()
    embed = not no_embed and get_settings().embedder != "none"
    if get_settings().queue == "redis":
        _ingest_queued(paths, kb=kb, resume=resume, embed=embed, as_json=as_json, wait=wait)
        return
    try:
        with volume_bar(f"入库 ingest → {kb if resume is None else f'job {resume}'}",
                        enabled=not no_progress) as bar, _interrupt_between_documents() as safe_point:
            def on_progress(done: int, total: int, current: str) -> None:
                safe_point()
                if bar is not None:
                    bar(done, total, current)

            on_volume = bar.volume if bar is not None else None
            if resume is not None:
                job_id, kb_id = resume, ingest_jobs.job_kb(resume, caller)[0]
            elif not paths:
                raise ZhengwuError("no_paths", "请给出要入库的文件或目录。", "give the files or directories to ingest.")
            else:
                job_id, kb_id = ingest_jobs.create_job(list(paths), kb=kb, caller=caller)
            # held for the whole job, as the upload's child holds it, until the new index is saved: a server
            # meanwhile answers from its previous index and then loads the saved one instead of rebuilding it
            with index_files.ingest_lock(kb_id):
                report = kb_ingest.resume_job(job_id, caller=caller, on_progress=on_progress, on_volume=on_volume)
        if embed and not report.cancelled:  # after the bar above: the embedder draws its own
            kb_ingest.embed_after(report, ingest_jobs.job_kb(report.job_id, caller)[0], progress=not no_progress)
    except KeyboardInterrupt as exc:
        job_id = getattr(exc, "job_id", None)
        if job_id is not None:
            print(f"已中断。已入库的文档已保存；继续：zhengwu ingest --resume {job_id}\n"
                  f"Interrupted. Documents already stored are kept; continue with: zhengwu ingest --resume {job_id}",
                  file=sys.stderr)
        raise typer.Exit(130) from None
    if as_json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        print_report(report)
    if report.cancelled:
        raise typer.Exit(130)
    if report.failed:
        for path, zh, en in report.failed:
            print(f"失败 failed: {zh}\n  {en}", file=sys.stderr)
        raise typer.Exit(1)


@contextmanager
def _interrupt_between_documents() -> Iterator[Callable[[], None]]:
    """Ctrl-C stops the ingest at the next document, not in the middle of a database call (where a database
    driver such as psycopg may turn the interrupt into a broken connection and a failed file). A second Ctrl-C
    interrupts at once. Yields the check that raises KeyboardInterrupt once asked."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield lambda: None
        return
    asked = threading.Event()

    def on_sigint(signum: int, frame) -> None:  # noqa: ANN001
        if asked.is_set():
            raise KeyboardInterrupt
        asked.set()

    def check() -> None:
        if asked.is_set():
            raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        yield check
    finally:
        signal.signal(signal.SIGINT, previous)


def _ingest_queued(paths: list[Path] | None, *, kb: str, resume: int | None, embed: bool, as_json: bool,
                   wait: bool) -> None:
    """Scale profile: record the job and put it on the queue for `zhengwu worker`; the paths must be readable
    by the workers (shared storage). Progress is the job record's (`zhengwu kb jobs`, GET /api/jobs/{id})."""
    from zhengwu.kb import jobs as ingest_jobs
    from zhengwu.store import session_scope
    import time

    from zhengwu import tasks

    caller = cli_caller()
    if resume is not None:
        ingest_jobs.job_kb(resume, caller)  # the caller's department's job, or NotFound
        job_id = resume
    else:
        if not paths:
            raise ZhengwuError("no_paths", "请给出要入库的文件或目录。", "give the files or directories to ingest.")
        job_id, _ = ingest_jobs.create_job([p.resolve() for p in paths], kb=kb, caller=caller)
    tasks.submit_ingest(job_id, caller, embed=embed)
    job: dict = {"id": job_id, "status": "pending"}
    if wait:
        while True:
            with session_scope() as s:
                job = ingest_jobs.get_job(s, caller, job_id)
            if job["status"] in ("done", "cancelled", "failed"):
                break
            time.sleep(0.5)
    if as_json:
        print(json.dumps({"job_id": job_id, "queued": True, "status": job["status"],
                          "done": job.get("done"), "failed": job.get("failed"), "total": job.get("total")},
                         ensure_ascii=False))
    elif wait:
        _out.print(f"任务 job {job_id}: {job['status']} · {job['done'] + job['failed']}/{job['total']}"
                   f" · 失败 failed {job['failed']}")
    else:
        _out.print(f"任务 job {job_id} 已排队，由工作进程处理 / queued for the workers; "
                   f"进度 progress: zhengwu kb jobs")
    if wait and job["status"] != "done":
        raise typer.Exit(130 if job["status"] == "cancelled" else 1)
