"""The hotspot dashboard (/hotline/hotspots), its JSON API (/api/hotline/hotspots) and the analysis report
downloads (/hotline/hotspots/report.html, .docx), over the caller's department's tickets.

Why the dashboard shows a mining job's result (zhengwu/hotline/jobs.py): mining a city's tickets takes longer than
a request should wait, so it runs as a job ("重新分析", POST /hotline/hotspots/run) and the page shows the newest
finished run. Without one, a department of at most INLINE_MAX tickets is mined in the request and cached in the
process (the key holds the department, the window, the number of tickets and the newest ticket id, so a new or
deleted ticket makes the next view mine afresh).
Managers and administrators of the department only (zhengwu.hotline.hotspots.HOTSPOT_ROLES).
"""

from __future__ import annotations

import json
import tempfile
from collections import OrderedDict
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from zhengwu import tasks
from zhengwu.context import Caller
from zhengwu.errors import ZhengwuError
from zhengwu.hotline import hotspots, jobs
from zhengwu.web.deps import get_caller
from zhengwu.web.templating import render

router = APIRouter(tags=["hotline"])

_CACHE: OrderedDict[tuple, dict] = OrderedDict()
_CACHE_SIZE = 16


INLINE_MAX = 5000  # above this many tickets the dashboard never mines in the request: it shows the job's result


def hotspot_data(caller: Caller, *, top: int = 10, days: int = 0) -> dict:
    """What the dashboard, the API and the reports show: the newest finished mining job's topics for this
    window; without one, a small department's tickets are mined here (cached), a large one's wait for a run."""
    hotspots.check_role(caller)
    if not (1 <= top <= 100) or not (0 <= days <= 3660):
        raise ZhengwuError("hotspots_bad_query", "top 应在 1–100，days 在 0–3660 之间",
                           "top must be 1-100 and days 0-3660")
    done = jobs.latest_hotspots(caller, days=days, top=top)
    if done is not None:
        return done
    n, newest = hotspots.ticket_count(caller)
    if n > INLINE_MAX:
        return {"department": caller.department, "n": n, "days": days, "generated_at": None, "topics": [],
                "needs_job": True}
    key = (caller.department, top, days, n, newest)
    if key in _CACHE:
        _CACHE.move_to_end(key)
        return _CACHE[key]
    data = jobs.mine_tickets(caller, top=top, days=days)
    _CACHE[key] = data
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return data


def _topics(data: dict) -> list[hotspots.Topic]:
    fields = hotspots.Topic.__dataclass_fields__
    out = []
    for d in data["topics"]:
        t = hotspots.Topic(**{k: v for k, v in d.items() if k in fields})
        t.time_range = tuple(t.time_range) if t.time_range else None
        t.weekly = [tuple(w) for w in t.weekly]
        out.append(t)
    return out


@router.get("/api/hotline/hotspots")
def hotspots_api(top: int = Query(10), days: int = Query(0), caller: Caller = Depends(get_caller)) -> dict:
    """The department's top hotspots: rank, label, heat, tickets, place, time range, description, burst, weekly
    counts. `days` limits them to the last N days (0 = all tickets)."""
    return hotspot_data(caller, top=top, days=days)


@router.get("/hotline/hotspots", response_class=HTMLResponse, include_in_schema=False)
def hotspots_page(request: Request, top: int = 10, days: int = 0):  # noqa: ANN201
    caller = get_caller(request)
    if caller.user == "anonymous":  # to the login page, coming back here afterwards
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
    try:
        data = hotspot_data(caller, top=top, days=days)
    except ZhengwuError as exc:
        return render(request, "hotline_hotspots.html", status_code=exc.status, data=None, error=exc, top=top,
                      days=days)
    # no "<" inside the data block, so nothing in it can close the element (\u003c is the same JSON)
    blob = json.dumps({"topics": data["topics"]}, ensure_ascii=False).replace("<", "\\u003c")
    running = [j for j in jobs.list_jobs(caller, kind="hotspots", limit=5) if j["status"] in jobs.ACTIVE]
    return render(request, "hotline_hotspots.html", data=data, data_json=blob, error=None, top=top, days=days,
                  running=running)


@router.post("/hotline/hotspots/run", include_in_schema=False)
def hotspots_run(request: Request, top: int = Form(10), days: int = Form(0)) -> RedirectResponse:
    """Start a mining job from the dashboard (the form's button) and come back to the page, which shows its
    progress and, once done, its result."""
    caller = get_caller(request)
    job = jobs.create_hotspots_job(caller, top=top, days=days)
    tasks.submit_hotline(job["id"], caller)
    return RedirectResponse(f"/hotline/hotspots?top={max(1, top)}&days={days}", status_code=303)


@router.get("/hotline/hotspots/report.{fmt}", include_in_schema=False)
def hotspots_report(fmt: str, top: int = 10, days: int = 0, caller: Caller = Depends(get_caller)) -> Response:
    """The analysis report of what the dashboard shows, as a download (HTML or DOCX)."""
    from zhengwu.hotline.report import render_docx, render_html

    if fmt not in ("html", "docx"):
        raise ZhengwuError("hotspots_report_format", "报告格式只有 html 和 docx", "The report is html or docx", status=404)
    data = hotspot_data(caller, top=top, days=days)
    topics = _topics(data)
    name = f"hotspots-{datetime.now():%Y%m%d}.{fmt}"
    disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
    if fmt == "html":
        titles = {t["id"]: t["title"] for d in data["topics"] for t in d["tickets"]}
        body = render_html(topics, department=caller.department, n_messages=data["n"], titles=titles)
        return Response(body, media_type="text/html; charset=utf-8", headers=disposition)
    with tempfile.TemporaryDirectory() as tmp:
        path = render_docx(topics, Path(tmp) / name, department=caller.department, n_messages=data["n"])
        content = path.read_bytes()
    return Response(content, headers=disposition,
                    media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
