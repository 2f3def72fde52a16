"""Uploaded files: kept under the data directory by their original name, ingested, and reported per file.

Why apart from the web route: saving an upload within the size limit, naming its source "upload:<name>",
keeping only the originals of stored documents and auditing refused files are knowledge-base rules; the
route only receives the multipart body (FastAPI's UploadFile) and hands the files over.
"""

from __future__ import annotations

import re
import shutil
import uuid
from pathlib import Path
from typing import BinaryIO

from zhengwu.context import Caller
from zhengwu.gateway import govern
from zhengwu.kb import dense, jobs
from zhengwu.kb.ingest import ingest_uploads
from zhengwu.kb.manage import get_kb
from zhengwu.kb.sources import max_file_bytes, uploads_root
from zhengwu.store.db import session_scope

_COPY_CHUNK = 1 << 20


def safe_name(filename: str) -> str:
    """The file name without any directory part, control characters or leading dots."""
    name = Path((filename or "").replace("\\", "/")).name
    name = re.sub(r"[\x00-\x1f/]", "", name).strip().lstrip(".")
    return name[:200] or "upload"


def check_target(caller: Caller, kb: str) -> None:
    """The knowledge base must exist (the "default" one is created on first use)."""
    with session_scope() as s:
        get_kb(s, caller, kb, create=(kb == "default"))


def new_batch_dir() -> Path:
    dest = uploads_root() / uuid.uuid4().hex
    dest.mkdir(parents=True, exist_ok=True)
    return dest


def _save_one(src: BinaryIO, name: str, dest: Path, limit: int) -> Path | None:
    """Copy one file into its own folder under `dest` -> its path, or None (removed) once it passes `limit`.
    A ".part" name until complete, so a crash never leaves a half file that looks whole."""
    sub = dest / uuid.uuid4().hex[:12]
    sub.mkdir(parents=True, exist_ok=True)
    part = sub / (name + ".part")
    size = 0
    with part.open("wb") as fh:
        for block in iter(lambda: src.read(_COPY_CHUNK), b""):
            size += len(block)
            if size > limit:
                break
            fh.write(block)
    if size > limit:
        part.unlink(missing_ok=True)
        sub.rmdir()
        return None
    path = sub / name
    part.rename(path)
    return path


def save_uploads(files: list[tuple[BinaryIO, str]], dest: Path) -> tuple[list[tuple[Path, str]], list[tuple[str, str, str]]]:
    """Keep uploaded files [(stream, file name)] under `dest`, each cut off as soon as it passes the size limit
    -> (kept [(path, name)], refused [(name, zh, en)])."""
    limit = max_file_bytes()
    mb = limit // 1048576
    saved: list[tuple[Path, str]] = []
    rejected: list[tuple[str, str, str]] = []
    for src, filename in files:
        name = safe_name(filename)
        path = _save_one(src, name, dest, limit)
        if path is None:
            rejected.append((name, f"{name}：文件过大（超过 {mb} MB 上限），未保存。",
                             f"{name}: file too large (over the {mb} MB limit); not stored."))
        else:
            saved.append((path, name))
    return saved, rejected


def ingest_saved(saved: list[tuple[Path, str]], rejected: list[tuple[str, str, str]], *, kb: str,
                 caller: Caller) -> dict:
    """Ingest the kept files and report every file under its uploaded name (refused ones as failed, with an
    audit record each); originals are kept only for stored documents; embedding continues in the background."""
    if saved:
        report = ingest_uploads(saved, kb=kb, caller=caller, embed=False)
        out = report.to_dict()
        keep_stored_only(report.files)
        names = {str(p.resolve()): n for p, n in saved}
        for f in out["files"] + out["failed"]:  # show the uploaded name, not the storage path
            f["path"] = f["file"] = names.get(f["path"], f["file"])
        dense.start_background_embedding()
    else:
        out = {"job_id": None, "kb": kb, "added": 0, "unchanged": 0, "replaced": 0, "failed": [], "files": []}
    for fname, zh, en in rejected:
        out["failed"].append({"path": fname, "file": fname, "message_zh": zh, "message_en": en})
        out["files"].append({"path": fname, "file": fname, "status": "failed",
                             "documents": {"added": 0, "unchanged": 0, "replaced": 0, "failed": 1},
                             "message_zh": zh, "message_en": en})
    _audit_refused(caller, kb, rejected)
    return out


def keep_stored_only(files: list) -> None:
    """Remove the saved originals of files that stored nothing (unchanged or failed) [FileResult]."""
    for f in files:
        if f.status in ("unchanged", "failed"):
            Path(f.path).unlink(missing_ok=True)
            try:
                Path(f.path).parent.rmdir()
            except OSError:
                pass


def _audit_refused(caller: Caller, kb: str, rejected: list[tuple[str, str, str]]) -> None:
    for fname, _zh, en in rejected:
        with govern(caller, "kb_ingest", input=fname, decisions="off") as g:
            g.finish(action="ingest", extra={"kb": kb, "status": "failed", "message_en": en})


def start_upload(saved: list[tuple[Path, str]], rejected: list[tuple[str, str, str]], *, kb: str,
                 caller: Caller) -> dict:
    """Write the job down (one item per file, refused files as failed items) and queue it for the background
    worker -> the answer for 202: the job id and every file by its uploaded name (never a server path), with
    the same keys as the finished report (counts are filled in on GET /api/jobs/{id})."""
    from zhengwu.kb import background  # cycle: kb.background imports kb.uploads

    job_id, _ = jobs.create_job([p for p, _ in saved], kb=kb, caller=caller)
    jobs.add_refused(job_id, [(name, zh + "\n" + en) for name, zh, en in rejected])
    _audit_refused(caller, kb, rejected)
    files = [{"path": n, "file": n, "status": "pending"} for _, n in saved]
    failed = [{"path": n, "file": n, "message_zh": zh, "message_en": en} for n, zh, en in rejected]
    files += [{"path": n, "file": n, "status": "failed", "message_zh": zh, "message_en": en}
              for n, zh, en in rejected]
    if saved:
        background.submit(job_id, caller)
    else:
        jobs.set_status(job_id, "done")
    return {"job_id": job_id, "kb": kb, "status": "pending" if saved else "done", "added": 0, "unchanged": 0,
            "replaced": 0, "failed": failed, "files": files, "job_url": f"/api/jobs/{job_id}"}


def discard(dest: Path) -> None:
    shutil.rmtree(dest, ignore_errors=True)
