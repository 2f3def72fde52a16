"""Bulk import of tickets from JSONL or XLSX (a day of a city's 12345: 10,000–40,000 rows) as a resumable job.

Why batches with the job's position stored in the same transaction: an interrupted import (a crash, Ctrl-C, a
killed worker) resumes exactly after the last stored batch, and re-running the same file never stores a row
twice (each row's external id — its own id, or a hash of its content — is unique per department).
A file without a content column is refused before anything is stored, naming the missing columns; a bad row is
reported with its row number and the others are imported.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy import select

from zhengwu.context import Caller
from zhengwu.errors import NotFound, ZhengwuError
from zhengwu.hotline import tickets
from zhengwu.hotline.address import parse
from zhengwu.hotline.extract import fill
from zhengwu.hotline.models import CHANNELS, Ticket, TicketIngestJob
from zhengwu.store import session_scope

log = logging.getLogger("zhengwu.hotline.ingest")

BATCH = 500
MAX_ERRORS = 100

# column names seen in exports of hotline systems and in the public message sets → ticket fields
ALIASES: dict[str, str] = {
    "msg_id": "external_id", "id": "external_id", "ticket_id": "external_id", "编号": "external_id",
    "工单编号": "external_id", "留言编号": "external_id",
    "title": "title", "标题": "title", "主题": "title", "留言主题": "title", "诉求标题": "title",
    "text": "text", "content": "text", "内容": "text", "诉求内容": "text", "留言详情": "text", "来电内容": "text",
    "time": "received_at", "received_at": "received_at", "时间": "received_at", "来电时间": "received_at",
    "受理时间": "received_at", "留言时间": "received_at",
    "caller_name": "caller_name", "来电人": "caller_name", "姓名": "caller_name", "诉求人": "caller_name",
    "contact": "contact", "phone": "contact", "电话": "contact", "联系电话": "contact", "联系方式": "contact",
    "location": "location_text", "address": "location_text", "location_text": "location_text", "地址": "location_text",
    "事发地址": "location_text", "地点": "location_text",
    "request_type": "request_type", "诉求类型": "request_type", "类型": "request_type",
    "urgency": "urgency", "紧急程度": "urgency", "channel": "channel", "渠道": "channel", "来源": "channel",
    "likes": "likes", "点赞数": "likes", "summary": "summary", "摘要": "summary", "appeal": "appeal", "诉求": "appeal",
    "confidential": "confidential", "保密": "confidential", "category_code": "category_code", "分类编码": "category_code",
    "responsible_department": "responsible_department", "承办单位": "responsible_department",
    "label_l1": "category_l1", "一级分类": "category_l1",
}
CONTENT = ("text", "title")
RECOMMENDED = ("received_at", "location_text")
_ADDRESS_FIELDS = ("province", "city", "district", "street", "community", "detail")
_URGENCY_WORDS = {"普通": "一般", "一般件": "一般", "急": "紧急", "加急": "紧急", "急件": "紧急", "特急件": "特急"}


def _fmt(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix == ".xlsx":
        return "xlsx"
    raise ZhengwuError("bad_ingest_format", f"只支持 .jsonl 和 .xlsx 文件：{path.name}",
                       f"Only .jsonl and .xlsx files are supported: {path.name}")


def _rows(path: Path) -> Iterator[tuple[int, dict | None, str]]:
    """(row number, mapped row or None, error) for every data row; row numbers are 1-based lines / sheet rows."""
    if _fmt(path) == "jsonl":
        with path.open(encoding="utf-8-sig", errors="replace") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    raw = json.loads(line)
                except json.JSONDecodeError as e:
                    yield n, None, f"JSON 无法解析 / invalid JSON: {e.msg}"
                    continue
                if not isinstance(raw, dict):
                    yield n, None, "每行应为一个 JSON 对象 / each line must be a JSON object"
                    continue
                yield n, {ALIASES[k]: v for k, v in raw.items() if k in ALIASES}, ""
        return
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb.worksheets[0]
        it = ws.iter_rows(values_only=True)
        header = next(it, None) or ()
        cols = [ALIASES.get(str(h).strip()) if h is not None else None for h in header]
        for n, values in enumerate(it, 2):
            if values is None or all(v is None or str(v).strip() == "" for v in values):
                continue
            yield n, {c: v for c, v in zip(cols, values) if c and v is not None}, ""
    finally:
        wb.close()


def columns(path: Path) -> tuple[list[str], int]:
    """The file's column names (its header, or the keys of its first JSONL rows) and its number of rows."""
    names: set[str] = set()
    total = 0
    if _fmt(path) == "xlsx":
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True)
        try:
            ws = wb.worksheets[0]
            header = next(ws.iter_rows(max_row=1, values_only=True), ()) or ()
            names = {str(h).strip() for h in header if h is not None and str(h).strip()}
            total = max(0, (ws.max_row or 1) - 1)
        finally:
            wb.close()
    else:
        with path.open(encoding="utf-8-sig", errors="replace") as f:
            for line in f:
                if line.strip():
                    total += 1
                    if total <= 50:
                        try:
                            raw = json.loads(line)
                        except json.JSONDecodeError:
                            continue
                        names |= set(raw) if isinstance(raw, dict) else set()
    return sorted(names), total


def check_file(path: Path) -> dict:
    """Refuse a file that cannot give tickets (no content column) before anything is stored; name what lacks."""
    path = Path(path)
    if not path.is_file():
        raise NotFound("file_not_found", f"文件不存在：{path}", f"No such file: {path}")
    try:
        names, total = columns(path)
    except ZhengwuError:
        raise
    except Exception as e:  # noqa: BLE001 - a corrupt XLSX is the user's file, not our bug
        raise ZhengwuError("bad_ingest_file", f"文件无法读取：{path.name}（{type(e).__name__}）",
                           f"Cannot read the file: {path.name} ({type(e).__name__})") from None
    if total == 0:
        raise ZhengwuError("empty_ingest_file", f"文件没有数据行：{path.name}，未导入任何工单",
                           f"The file has no data rows: {path.name}; nothing was imported")
    fields = sorted({ALIASES[n] for n in names if n in ALIASES})
    ignored = [n for n in names if n not in ALIASES]  # said, not dropped silently
    if not any(c in fields for c in CONTENT):
        found = "、".join(names[:20]) or "无"
        raise ZhengwuError("missing_columns",
                           f"缺少诉求内容列：需要“内容/诉求内容/text”或“标题/title”之一（文件中的列：{found}），未导入任何工单",
                           f"Missing content column: one of 内容/诉求内容/text or 标题/title is needed (the file has: "
                           f"{found}); nothing was imported", missing="text|title")
    return {"fields": fields, "ignored_columns": ignored, "total": total,
            "missing_recommended": [c for c in RECOMMENDED if c not in fields]}


def _external_id(row: dict) -> str:
    if row.get("external_id") not in (None, ""):
        return str(row["external_id"]).strip()[:128]
    blob = json.dumps(row, ensure_ascii=False, sort_keys=True, default=str)
    return "h:" + hashlib.sha1(blob.encode()).hexdigest()[:24]


def _ticket_values(row: dict) -> dict:
    """A mapped row → validated ticket values; fields the row lacks are filled from its text (address, type,
    urgency, confidentiality, summary, appeal) the way the agent's form is."""
    row = dict(row)
    cat = row.pop("category_l1", None)
    data = {k: (str(v) if k in tickets.TEXT_FIELDS and not isinstance(v, str) else v) for k, v in row.items()}
    if "likes" in data:
        try:
            data["likes"] = int(float(data["likes"]))
        except (TypeError, ValueError):
            data["likes"] = -1  # refused by clean() with the field named
    if "confidential" in data and not isinstance(data["confidential"], bool):
        data["confidential"] = str(data["confidential"]).strip().lower() in ("1", "true", "是", "yes", "保密")
    if data.get("urgency") in _URGENCY_WORDS:
        data["urgency"] = _URGENCY_WORDS[data["urgency"]]
    if data.get("channel") and data["channel"] not in CHANNELS:
        data["channel"] = "其他"  # other systems name their channels their own way ("12345热线", "网络")
    if cat and not data.get("category_code"):
        data["category_path"] = [str(cat)[:64]]
    data["external_id"] = _external_id(row)
    f = fill(str(data.get("text") or ""), title=str(data.get("title") or ""))
    loc = f.location.value if isinstance(f.location.value, dict) else None
    if data.get("location_text"):
        loc = parse(str(data["location_text"]))
    if loc:
        data.setdefault("location_text", loc["text"])
        for k in _ADDRESS_FIELDS:
            if loc.get(k):
                data.setdefault(k, loc[k])
    data.setdefault("request_type", f.request_type.value)
    data.setdefault("urgency", f.urgency.value)
    if f.confidential.value:
        data.setdefault("confidential", True)
    if not data.get("summary") and f.summary.value and not data.get("title"):
        data["summary"] = str(f.summary.value)[:2000]
    if not data.get("appeal") and f.appeal.value:
        data["appeal"] = str(f.appeal.value)[:2000]
    return tickets.clean(data)


def create_job(path: Path, caller: Caller) -> dict:
    """Check the file and record the job (nothing imported yet); returns the job as a dict."""
    tickets.check_writer(caller)
    path = Path(path).resolve()
    info = check_file(path)
    with session_scope() as s:
        job = TicketIngestJob(department=caller.department, path=str(path), total=info["total"], created_by=caller.user,
                              errors=[])
        s.add(job)
        s.flush()
        return job_dict(job) | {"missing_recommended": info["missing_recommended"],
                                "ignored_columns": info["ignored_columns"]}


def job_dict(job: TicketIngestJob) -> dict:
    return {"id": job.id, "path": Path(job.path).name, "status": job.status, "total": job.total,
            "done": job.next_row, "created": job.created, "skipped": job.skipped, "failed": job.failed,
            "errors": list(job.errors or [])[:MAX_ERRORS]}


def get_job(caller: Caller, job_id: int) -> dict:
    with session_scope() as s:
        job = s.get(TicketIngestJob, job_id)
        if job is None or job.department != caller.department:
            raise NotFound("ingest_job_not_found", f"导入任务不存在：{job_id}", f"No such import job: {job_id}")
        return job_dict(job)


def run_job(job_id: int, caller: Caller, *, link_duplicates: bool = False,
            on_progress: Callable[[int, int, str], None] | None = None) -> dict:
    """Import the job's rows from where it stopped, one transaction per batch (the batch and the job's position
    together), then mark it done."""
    with session_scope() as s:
        job = s.get(TicketIngestJob, job_id)
        if job is None or job.department != caller.department:
            raise NotFound("ingest_job_not_found", f"导入任务不存在：{job_id}", f"No such import job: {job_id}")
        if job.status == "done":
            return job_dict(job)
        job.status = "running"
        path, start, total = Path(job.path), job.next_row, job.total
    if not path.is_file():
        _set_status(job_id, "failed")
        raise NotFound("file_not_found", f"导入文件已不存在：{path.name}", f"The import file is gone: {path.name}")
    batch: list[tuple[int, dict | None, str]] = []
    position = 0
    try:
        for n, row, err in _rows(path):
            position += 1
            if position <= start:
                continue
            batch.append((n, row, err))
            if len(batch) >= BATCH:
                _store(job_id, caller, batch, position, link_duplicates)
                batch = []
                if on_progress:
                    on_progress(position, total, path.name)
        _store(job_id, caller, batch, position, link_duplicates, final=True)
    except BaseException:
        _set_status(job_id, "interrupted")
        raise
    if on_progress:
        on_progress(position, max(total, position), path.name)
    return get_job(caller, job_id)


def _store(job_id: int, caller: Caller, batch: list[tuple[int, dict | None, str]], position: int,
           link_duplicates: bool, *, final: bool = False) -> None:
    with session_scope() as s:
        job = s.get(TicketIngestJob, job_id)
        errors = list(job.errors or [])
        rows = [(n, row) for n, row, _ in batch if row is not None]
        for n, row, err in batch:
            if row is None:
                errors.append({"row": n, "message": err})
                job.failed += 1
        ids = [_external_id(row) for _, row in rows]
        existing = set(s.scalars(select(Ticket.external_id).where(Ticket.department == caller.department,
                                                                  Ticket.external_id.in_(ids)))) if ids else set()
        fresh: list[dict] = []
        for (n, row), ext in zip(rows, ids):
            if ext in existing:  # imported before (a re-run, or a resumed job's last batch)
                job.skipped += 1
                continue
            try:
                values = _ticket_values(row)
            except ZhengwuError as e:
                errors.append({"row": n, "code": e.code, "message": f"{e.zh} / {e.en}"})
                job.failed += 1
                continue
            existing.add(ext)
            fresh.append(values)
        tickets.new_tickets(s, caller, fresh, find_duplicates=link_duplicates)
        job.created += len(fresh)
        job.errors = errors[:MAX_ERRORS]
        job.next_row = position
        job.total = max(job.total, position)
        if final:
            job.status = "done"


def _set_status(job_id: int, status: str) -> None:
    with session_scope() as s:
        job = s.get(TicketIngestJob, job_id)
        if job is not None and job.status != "cancelled":  # a person's cancel is not overwritten by its effect
            job.status = status


def ingest_file(path: Path, caller: Caller, *, resume: int | None = None, link_duplicates: bool = False,
                on_progress: Callable[[int, int, str], None] | None = None) -> dict:
    """The command line's import: a new job for `path`, or job `resume` continued; runs in this process."""
    job_id = resume if resume is not None else create_job(path, caller)["id"]
    return run_job(job_id, caller, link_duplicates=link_duplicates, on_progress=on_progress)
