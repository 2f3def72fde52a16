"""Ingestion: files -> parse -> prepare (metadata, chunks, tokens) -> short write transactions.

Why it is shaped like this:
- Parsing (kb/parsers), storing (kb/store.py) and the job record (kb/jobs.py) are separate; this module only
  runs a job's files through them and reports progress through a callback, so the CLI draws its own bar and
  the REST upload records a heartbeat on the job, with one code path.
- A single-document file is committed with its job item; the records of a container file (JSONL) are
  committed in batches of STORE_BATCH, so readers and other writers wait at most one short batch.
- Content hashing makes re-ingesting the same content a no-op ("unchanged") and lets a changed file replace
  its old chunks (same source), so re-running a command never duplicates anything.
- A failure or an interrupt loses only the batch in flight; `resume_job` continues with unfinished files.
"""

from __future__ import annotations

import errno
import logging
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from zhengwu.config import get_settings
from zhengwu.context import Caller
from zhengwu.errors import ZhengwuError
from zhengwu.kb import dense, jobs, parsers
from zhengwu.kb.ingest_file import FileResult, ingest_container, ingest_single
from zhengwu.kb.search import save_index_after_ingest
from zhengwu.kb.sources import source_for
from zhengwu.store.db import session_scope

log = logging.getLogger("zhengwu.kb.ingest")

PAGE_CHARS = 1800  # one "page" in throughput figures

ProgressCallback = Callable[[int, int, str], None]
"""`on_progress(done, total, current_name)`: documents done so far, documents expected, the file in work."""
VolumeCallback = Callable[[int, int], None]
"""`on_volume(bytes_done, bytes_total)`: bytes of the job's files done (a large file advances as its chunks are
tokenised): what a rate in MB/s and an ETA are computed from."""


@dataclass
class IngestReport:
    added: int = 0
    unchanged: int = 0
    replaced: int = 0
    failed: list[tuple[str, str, str]] = field(default_factory=list)  # (path, zh, en)
    job_id: int | None = None
    kb: str = ""
    files: list[FileResult] = field(default_factory=list)
    chars: int = 0
    seconds: float = 0.0
    embedded: int | None = None
    warnings: list[tuple[str, str]] = field(default_factory=list)
    cancelled: bool = False

    @property
    def pages_per_second(self) -> float:
        return (self.chars / PAGE_CHARS) / self.seconds if self.seconds > 0 else 0.0

    def add(self, res: FileResult) -> None:
        self.files.append(res)
        self.added += res.documents["added"]
        self.unchanged += res.documents["unchanged"]
        self.replaced += res.documents["replaced"]
        self.chars += res.chars
        if res.message_en and (res.status == "failed" or res.documents["failed"]):
            self.failed.append((res.path, res.message_zh, res.message_en))

    def to_dict(self) -> dict:
        return {"job_id": self.job_id, "kb": self.kb, "added": self.added, "unchanged": self.unchanged,
                "replaced": self.replaced,
                "failed": [{"path": p, "file": Path(p).name, "message_zh": zh, "message_en": en}
                           for p, zh, en in self.failed],
                "files": [f.to_dict() for f in self.files], "chars": self.chars,
                "seconds": round(self.seconds, 3), "pages_per_second": round(self.pages_per_second, 1),
                "embedded": self.embedded, "cancelled": self.cancelled,
                "warnings": [{"message_zh": zh, "message_en": en} for zh, en in self.warnings]}


def _write_failed(exc: BaseException) -> bool:
    """The disk is full or refuses the write: as the OS reports it (ENOSPC, EFBIG past a file size limit,
    EDQUOT) or SQLite ("database or disk is full"; "disk I/O error" when a write is refused mid-way).
    The transaction was rolled back, so nothing of the file is stored."""
    for _ in range(8):  # the exception and its causes (a database error wraps the driver's)
        if exc is None:
            return False
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
            return True
        if "disk is full" in str(exc) or "disk I/O error" in str(exc):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _failure(path: Path, exc: Exception) -> FileResult:
    """A file that failed as a whole, with a message naming it (never a stack trace)."""
    if isinstance(exc, ZhengwuError):
        zh, en = exc.zh, exc.en
    elif isinstance(exc, MemoryError):  # the memory cap of an upload's child (kb/child.py) was reached
        zh = f"{path.name}：内存不足，文件未入库（可拆分为较小的文件）。"
        en = f"{path.name}: out of memory; the file was not stored (split it into smaller files)."
    elif _write_failed(exc):
        zh = f"{path.name}：磁盘已满或无法写入，文件未入库（已入库的内容不受影响）。"
        en = f"{path.name}: the disk is full or cannot be written; the file was not stored (what was stored " \
             "before is intact)."
    elif isinstance(exc, OSError):
        zh = f"{path.name}：无法读取文件（{exc.strerror or exc}）。"
        en = f"{path.name}: cannot read the file ({exc.strerror or exc})."
    else:
        log.exception("ingest of %s failed", path)
        zh = f"{path.name}：处理文件时出错（{type(exc).__name__}），文件可能已损坏。"
        en = f"{path.name}: error while processing the file ({type(exc).__name__}); it may be damaged."
    if not zh.startswith(path.name):
        zh, en = f"{path.name}：{zh}", f"{path.name}: {en}"
    res = FileResult(str(path), "failed", message_zh=zh, message_en=en)
    res.documents["failed"] = 1
    return res


def _ingest_one(path: Path, source: str, ctx: dict, advance: Callable[[int, str], None]) -> FileResult:
    if not path.exists():
        raise parsers.ParseError(path, "not_found", "文件不存在或无法读取。", "file not found or unreadable.")
    if not path.is_file():
        raise parsers.ParseError(path, "not_a_file", "不是普通文件。", "not a regular file.")
    entry = parsers.check_supported(path)
    if entry.count is not None:  # a container of documents (JSONL)
        return ingest_container(path, ctx, advance)
    res = ingest_single(path, source, ctx)
    advance(1, path.name)
    return res


def _run(job_id: int, kb_id: int, kb_name: str, caller: Caller, on_progress: ProgressCallback | None,
         embed: bool, sources: dict[str, str] | None = None, on_volume: VolumeCallback | None = None) -> IngestReport:
    report = IngestReport(job_id=job_id, kb=kb_name)
    items = jobs.start_job(job_id)
    total = sum(parsers.count_documents(Path(p)) for _, p in items)
    done = [0]
    volume_total = sum(jobs.file_bytes(p) for _, p in items)
    volume_done = 0

    def advance(n: int, name: str) -> None:
        done[0] += n
        if on_progress is not None:
            on_progress(min(done[0], total), total, name)

    t0 = time.perf_counter()
    try:
        for item_id, p in items:
            path = Path(p)
            jobs.raise_if_cancelled(job_id)
            size = jobs.file_bytes(p)

            def share(fraction: float, base: int = volume_done, size: int = size) -> None:
                if on_volume is not None:
                    on_volume(base + int(size * min(1.0, fraction)), volume_total)

            ctx = {"job_id": job_id, "item_id": item_id, "kb_id": kb_id, "kb_name": kb_name, "caller": caller,
                   "share": share}
            before = done[0]
            try:
                res = _ingest_one(path, (sources or {}).get(p) or source_for(path), ctx, advance)
            except (KeyboardInterrupt, SystemExit, jobs.JobCancelled):
                raise
            except Exception as exc:  # noqa: BLE001 - one bad file must not stop the batch; it is reported
                res = _failure(path, exc)
                with session_scope() as s:
                    jobs.finish_item(s, job_id=job_id, item_id=item_id, status="failed",
                                     message=res.message(), document_id=None, caller=caller, kb_name=kb_name,
                                     file_name=path.name, audit_extra=res.audit_extra())
                advance(max(0, before + parsers.count_documents(path) - done[0]), path.name)
            share(1.0)
            volume_done += size
            report.add(res)
    except jobs.JobCancelled:
        report.cancelled = True
        return report  # (the finally clause below stops the clock)
    except BaseException as exc:
        try:
            jobs.set_status(job_id, "cancelled")
        except Exception:  # noqa: BLE001 - the job stays "running"; resuming handles that too
            log.warning("could not mark ingest job %s cancelled", job_id)
        try:
            exc.job_id = job_id  # type: ignore[attr-defined]  # the CLI names the job to resume
        except AttributeError:
            pass
        raise
    finally:
        report.seconds = time.perf_counter() - t0
    save_index_after_ingest(kb_id)  # servers load it instead of rebuilding; the job is done once it is saved
    jobs.set_status(job_id, "done")
    if embed:
        embed_after(report, kb_id)
    return report


def embed_after(report: IngestReport, kb_id: int, *, progress: bool = False) -> None:
    """Compute the vectors of the new chunks (when an embedder is configured); a failure leaves a warning on
    the report, since lexical search already works. `progress` lets the CLI show the embedder's own bar."""
    if get_settings().embedder == "none":
        return
    try:
        report.embedded = dense.embed_pending(kb_id, progress=progress)
    except ZhengwuError as exc:
        report.warnings.append((f"向量化未完成（词法检索已可用）：{exc.zh}",
                                f"embedding did not finish (lexical search works): {exc.en}"))


def _legacy_progress(progress: bool | None) -> None:
    if progress:
        warnings.warn("ingest(progress=True) draws nothing any more: pass on_progress (see zhengwu.cli.progress)",
                      DeprecationWarning, stacklevel=3)


def ingest_paths(paths: list[Path], *, kb: str, caller: Caller, on_progress: ProgressCallback | None = None,
                 embed: bool = False, progress: bool | None = None,
                 on_volume: VolumeCallback | None = None) -> IngestReport:
    """Ingest files and directories into the caller's knowledge base `kb` (created on first use).

    `progress` is accepted for callers written before `on_progress` and ignored."""
    _legacy_progress(progress)
    if not paths:
        raise ZhengwuError("no_paths", "没有给出要入库的文件。", "no files given to ingest.")
    job_id, kb_id = jobs.create_job(list(paths), kb=kb, caller=caller)
    return _run(job_id, kb_id, kb, caller, on_progress, embed, on_volume=on_volume)


def ingest_uploads(files: list[tuple[Path, str]], *, kb: str, caller: Caller, embed: bool = False) -> IngestReport:
    """Ingest stored uploads [(path, original file name)]; the source of each is "upload:<file name>".
    Progress goes to the job record (a heartbeat), which GET /api/jobs/{id} shows."""
    job_id, kb_id = jobs.create_job([p for p, _ in files], kb=kb, caller=caller)
    sources = {str(p.resolve()): f"upload:{name}" for p, name in files}
    beat = jobs.heartbeat(job_id)
    return _run(job_id, kb_id, kb, caller, beat, embed, sources=sources, on_volume=beat.volume)


def resume_job(job_id: int, *, caller: Caller, on_progress: ProgressCallback | None = None, embed: bool = False,
               progress: bool | None = None, on_volume: VolumeCallback | None = None) -> IngestReport:
    """Continue an interrupted job with its items not yet done (items done are never redone)."""
    _legacy_progress(progress)
    kb_id, kb_name = jobs.job_kb(job_id, caller)
    return _run(job_id, kb_id, kb_name, caller, on_progress, embed, on_volume=on_volume)
