"""The office workspace page (/office): a 公文 form with a live preview and check results, DOCX/PDF download,
and sections for drafting, summaries, minutes and plain-language rewriting.

The page works without JavaScript (every button is a form post that returns a page or a file); with htmx
the preview refreshes as the user types and results appear in place.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from zhengwu.context import Caller
from zhengwu.errors import ZhengwuError
from zhengwu.web.deps import get_caller
from zhengwu.web.routes.writing import file_response, render_spec, violations_of
from zhengwu.web.templating import render
from zhengwu.writing.doctypes import all_doctypes, find_doctype
from zhengwu.writing.spec import body_paragraphs, heading_level

router = APIRouter()

FIELDS = ("type", "issuer", "number", "title", "recipients", "body", "signature", "date", "signer", "cc",
          "attachments", "printer", "print_date")


def doc_type_names() -> list[str]:
    """The types the form offers: every registered 文种 (plugins' included) and the 新闻稿."""
    return list(all_doctypes())


def _spec_from_form(form: dict) -> dict:
    spec = {k: str(form.get(k) or "").strip() for k in FIELDS}
    spec["body"] = str(form.get("body") or "").replace("\r\n", "\n").strip()
    spec["attachments"] = [a.strip() for a in spec["attachments"].splitlines() if a.strip()]
    for k in ("signer", "cc", "printer", "print_date"):
        if not spec[k]:
            spec.pop(k)
    if not spec["attachments"]:
        spec.pop("attachments")
    return spec


def preview_context(spec: dict, ai_generated: bool) -> dict:
    """What the preview template needs: the red mark text, paragraphs with heading levels, check results."""
    mark = (spec.get("issuer") or "") + "文件"
    dt = find_doctype(spec.get("type") or "")
    if dt and spec.get("issuer"):
        mark = dt.mark(spec["issuer"])
    paragraphs = [(heading_level(p), p) for p in body_paragraphs(spec.get("body") or "")]
    gongwen = dt is None or dt.gongwen  # an unknown type is checked (and reported); a 新闻稿 has no 版头
    if not gongwen:
        mark = ""
    try:
        check = violations_of(spec) if gongwen else {"ok": True, "violations": [], "notes": []}
    except ZhengwuError as exc:
        check = {"ok": False, "violations": [], "notes": [], "unavailable": {"zh": exc.zh, "en": exc.en}}
    return {"spec": spec, "mark": mark, "paragraphs": paragraphs, "check": check, "ai_generated": ai_generated}


def _empty_spec() -> dict:
    from zhengwu.writing.draft import today_cn

    return {"type": "通知", "issuer": "", "number": "", "title": "", "recipients": "", "body": "", "signature": "",
            "date": today_cn()}


def _tool_response(request: Request, kind: str, result: dict | None, error: Exception | None, form: dict):  # noqa: ANN202
    """The result fragment for htmx; the whole page with the result in its panel for a plain form post."""
    if request.headers.get("hx-request"):
        return render(request, "office_result.html", kind=kind, result=result, error=error)
    spec = _empty_spec()
    return render(request, "office.html", spec=spec, doc_types=doc_type_names(), ai_generated=False, notes=[],
                  preview=preview_context(spec, False), tool_kind=kind, tool_result=result, tool_error=error,
                  tool_form=form)


@router.get("/office", response_class=HTMLResponse)
def office_page(request: Request):  # noqa: ANN201
    spec = _empty_spec()
    return render(request, "office.html", spec=spec, doc_types=doc_type_names(), ai_generated=False, notes=[],
                  preview=preview_context(spec, False))


@router.post("/office/preview", response_class=HTMLResponse)
async def office_preview(request: Request):  # noqa: ANN201
    form = dict(await request.form())
    spec = _spec_from_form(form)
    return render(request, "office_preview.html", **preview_context(spec, form.get("ai_generated") == "1"))


@router.post("/office/draft", response_class=HTMLResponse)
async def office_draft(request: Request, caller: Caller = Depends(get_caller)):  # noqa: ANN201
    """Draft from the form's type, issuer, recipients and key points; returns the filled form."""
    from zhengwu.writing.draft import draft

    form = dict(await request.form())
    points = [p.strip() for p in str(form.get("points") or "").splitlines() if p.strip()]
    spec = _spec_from_form(form)
    notes: list[str] = []
    error = None
    ai = False
    try:
        result = draft(caller, doc_type=spec["type"], issuer=spec["issuer"], recipients=spec["recipients"],
                       points=points, subject=str(form.get("subject") or "") or None, title=spec["title"] or None,
                       number=spec["number"], signature=spec["signature"] or None, date=spec["date"] or None,
                       signer=spec.get("signer"), attachments=spec.get("attachments"))
        spec = {**spec, **result.spec}
        notes, ai = result.notes, result.ai_generated
    except ZhengwuError as exc:
        error = exc
    page = "office_form.html" if request.headers.get("hx-request") else "office.html"
    return render(request, page, spec=spec, doc_types=doc_type_names(), ai_generated=ai, notes=notes,
                  error=error, points="\n".join(points), subject=form.get("subject") or "",
                  preview=preview_context(spec, ai))


@router.post("/office/download")
async def office_download(request: Request, caller: Caller = Depends(get_caller)) -> Response:
    """The form's document as DOCX or PDF (labelled when the body was AI-drafted)."""
    form = dict(await request.form())
    fmt = "pdf" if form.get("format") == "pdf" else "docx"
    spec = _spec_from_form(form)
    ai = form.get("ai_generated") == "1"
    try:
        with tempfile.TemporaryDirectory(prefix="zw-office-") as tmp:
            path = render_spec(caller, spec, Path(tmp), fmt=fmt, ai_generated=ai)
            return file_response(path, fmt, spec.get("title") or "")
    except ZhengwuError as exc:  # a form post gets the page back with the reason, not a JSON body
        return render(request, "office.html", status_code=exc.status, spec=spec, doc_types=doc_type_names(),
                      ai_generated=ai, notes=[], error=exc, points=form.get("points") or "",
                      subject=form.get("subject") or "", preview=preview_context(spec, ai))


@router.post("/office/summarize", response_class=HTMLResponse)
async def office_summarize(request: Request, caller: Caller = Depends(get_caller)):  # noqa: ANN201
    from zhengwu.writing.summarize import summarize

    form = dict(await request.form())
    try:
        ratio = float(form.get("ratio") or 0.2)
        result, error = summarize(caller, str(form.get("text") or ""), ratio=ratio).to_dict(), None
    except (ZhengwuError, ValueError) as exc:
        result, error = None, exc
    return _tool_response(request, "summary", result, error, form)


@router.post("/office/minutes", response_class=HTMLResponse)
async def office_minutes(request: Request, caller: Caller = Depends(get_caller)):  # noqa: ANN201
    from zhengwu.writing.minutes import make_minutes

    form = dict(await request.form())
    try:
        result, error = make_minutes(caller, str(form.get("transcript") or ""),
                                     meeting=str(form.get("meeting") or "会议")).to_dict(), None
    except ZhengwuError as exc:
        result, error = None, exc
    return _tool_response(request, "minutes", result, error, form)


@router.post("/office/simplify", response_class=HTMLResponse)
async def office_simplify(request: Request, caller: Caller = Depends(get_caller)):  # noqa: ANN201
    from zhengwu.writing.simplify import simplify

    form = dict(await request.form())
    try:
        result, error = simplify(caller, str(form.get("text") or ""),
                                 audience=str(form.get("audience") or "通俗版")).to_dict(), None
    except ZhengwuError as exc:
        result, error = None, exc
    return _tool_response(request, "simplify", result, error, form)
