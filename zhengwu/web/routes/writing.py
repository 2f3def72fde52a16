"""REST API of the writing area: render, check, draft, summarize, minutes, simplify under /api/write/.

Generated results carry the visible label ("ai_label") and the implicit AIGC object when a model wrote them;
a rendered DOCX/PDF is labelled (visible text + metadata) when the request says the content was AI-drafted.
Every call leaves an audit record (the gateway's for model calls, ours for the rule-based paths; renders and
checks in scenario doc_render).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from zhengwu.context import Caller
from zhengwu.errors import ZhengwuError
from zhengwu.web.deps import get_caller
from zhengwu.web.uploads import upload_route

router = APIRouter(prefix="/api/write", tags=["writing"])

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class RenderIn(BaseModel):
    spec: dict
    format: str = Field("docx", pattern="^(docx|pdf)$")
    ai_generated: bool = False


class CheckIn(BaseModel):
    text: str | None = None
    spec: dict | None = None


class DraftIn(BaseModel):
    type: str
    issuer: str
    recipients: list[str] | str | None = None
    points: list[str] = Field(default_factory=list)
    subject: str | None = None
    title: str | None = None
    number: str = ""
    signature: str | None = None
    date: str | None = None
    signer: str | None = None
    attachments: list[str] | None = None
    cc: list[str] | str | None = None
    use_model: bool | None = None


class SummarizeIn(BaseModel):
    text: str
    title: str | None = None
    ratio: float = 0.2
    max_chars: int | None = None
    use_model: bool | None = None


class MinutesIn(BaseModel):
    transcript: str
    meeting: str = "会议"
    issuer: str = ""
    date: str | None = None
    use_model: bool | None = None


class SimplifyIn(BaseModel):
    text: str
    audience: str = "通俗版"
    use_model: bool | None = None


def spec_to_text(spec: dict) -> str:
    """A plain-text 公文 in reading order (the form `zhengwu write check FILE.txt` reads)."""
    def s(key: str) -> str:
        v = spec.get(key) or ""
        return "，".join(v) if isinstance(v, list) else str(v).strip()

    lines = [s("number"), s("title")]
    if s("recipients"):
        lines.append(s("recipients").rstrip("：:") + "：")
    lines.append(str(spec.get("body") or "").strip())
    atts = spec.get("attachments") or []
    if isinstance(atts, str):
        atts = [atts]
    names = [a.get("title", "") if isinstance(a, dict) else str(a) for a in atts]
    if names:
        lines.append("附件：" + "\n".join(f"{i}.{n}" if len(names) > 1 else n for i, n in enumerate(names, 1)))
    lines += [s("signature"), s("date")]
    return "\n".join(x for x in lines if x)


def violations_of(spec: dict) -> dict:
    """Check results for a SPEC without rendering: element validation (load_spec) + the text checker."""
    out: dict[str, Any] = {"ok": True, "violations": [], "notes": []}
    from zhengwu.writing.spec import load_spec

    try:
        loaded = load_spec(spec)
        out["notes"] = list(loaded.notes)
    except ZhengwuError as exc:
        out["violations"].append({"rule": exc.code, "message_zh": exc.zh, "message_en": exc.en, "location": "SPEC",
                                  "severity": "error"})
    from zhengwu.writing.check import check_text

    out["violations"] += [_violation(v) for v in check_text(spec_to_text(spec)).violations]
    out["ok"] = not any(v.get("severity", "error") == "error" for v in out["violations"])
    return out


def _violation(v: Any) -> dict:
    if hasattr(v, "to_dict"):
        return v.to_dict()
    return {k: getattr(v, k, None) for k in ("rule", "message_zh", "message_en", "location", "severity")}


def _report(report: Any) -> dict:
    if hasattr(report, "to_dict"):
        return report.to_dict()
    vs = [_violation(v) for v in report.violations]
    return {"ok": bool(report.ok), "violations": vs}


def render_spec(caller: Caller, spec: dict, out_dir: Path, *, fmt: str = "docx", ai_generated: bool = False) -> Path:
    """Render a SPEC to DOCX (and PDF); labelled when AI-drafted; audited by render_docx (scenario doc_render)."""
    from zhengwu.writing.render_docx import render_docx
    from zhengwu.writing.spec import load_spec

    loaded = load_spec(spec)
    # render_docx leaves the doc_render audit record itself, for this caller
    docx_path = render_docx(loaded, out_dir / "document.docx", ai_generated=ai_generated, caller=caller)
    path = docx_path
    if fmt == "pdf":
        from zhengwu.writing.render_pdf import docx_to_pdf

        path = docx_to_pdf(docx_path, out_dir / "document.pdf")  # carries the DOCX's AI label over
    return path


def file_response(path: Path, fmt: str, title: str) -> Response:
    from urllib.parse import quote

    name = f"{title or 'document'}.{fmt}"
    mime = DOCX_MIME if fmt == "docx" else "application/pdf"
    return Response(content=path.read_bytes(), media_type=mime, headers={
        "Content-Disposition": f"attachment; filename=document.{fmt}; filename*=UTF-8''{quote(name)}"})


@router.post("/render")
def render_endpoint(body: RenderIn, caller: Caller = Depends(get_caller)) -> Response:
    """SPEC → DOCX (or PDF) download; labelled (visible + AIGC metadata) when ai_generated is true."""
    ai = body.ai_generated or bool(body.spec.get("ai_generated"))
    with tempfile.TemporaryDirectory(prefix="zw-render-") as tmp:
        path = render_spec(caller, body.spec, Path(tmp), fmt=body.format, ai_generated=ai)
        return file_response(path, body.format, str(body.spec.get("title") or ""))


async def check_endpoint(request: Request, caller: Caller = Depends(get_caller)) -> dict:
    """Format check of an uploaded DOCX/TXT (multipart field "file"), of {"text": ...} or of {"spec": {...}}."""
    ctype = request.headers.get("content-type", "")
    from zhengwu.writing import assist

    if ctype.startswith("multipart/"):
        form = await request.form()
        upload = form.get("file")
        if upload is None or not hasattr(upload, "read"):
            raise ZhengwuError("no_file", "请上传要检查的文件（字段 file）。", "Upload the file to check (field 'file').")
        from zhengwu.writing.check import check_file

        with tempfile.TemporaryDirectory(prefix="zw-check-") as tmp:
            p = await save_capped(upload, Path(tmp), check_upload_bytes())
            result = _report(check_file(p))  # a DOCX goes through the zip-bomb guard (check/reader.py)
        assist.audit(caller, "doc_render", "check", input_text=upload.filename,
                     extra={"violations": len(result["violations"])})
        return result
    try:
        payload = CheckIn.model_validate(await request.json())
    except (ValueError, json.JSONDecodeError):
        raise ZhengwuError("bad_request", "请求须为 JSON：{\"text\": …} 或 {\"spec\": …}。",
                           "The request must be JSON: {\"text\": ...} or {\"spec\": ...}.") from None
    if payload.spec is not None:
        result = violations_of(payload.spec)
    elif payload.text:
        from zhengwu.writing.check import check_text

        result = _report(check_text(payload.text))
    else:
        raise ZhengwuError("nothing_to_check", "没有要检查的内容。", "Nothing to check.")
    assist.audit(caller, "doc_render", "check", input_text=(payload.text or json.dumps(payload.spec, ensure_ascii=False))[:2000],
                 extra={"violations": len(result["violations"])})
    return result


router.add_api_route("/check", check_endpoint, methods=["POST"],
                     route_class_override=upload_route(lambda: check_upload_bytes() + 1024 * 1024))


def check_upload_bytes() -> int:
    """Largest file POST /api/write/check accepts (settings.check_upload_mb, env ZHENGWU_CHECK_UPLOAD_MB)."""
    from zhengwu.config import get_settings

    return int(getattr(get_settings(), "check_upload_mb", 20)) * 1024 * 1024


async def save_capped(upload: Any, dest: Path, limit: int) -> Path:
    """Copy an uploaded file into `dest` under its own (sanitised) name in 1 MB blocks, refusing it with 413
    as soon as it passes `limit` (never read whole into memory)."""
    from zhengwu.kb.uploads import safe_name

    name = safe_name(upload.filename or "upload.txt")
    if not Path(name).suffix:
        name += ".txt"
    path = dest / name
    size = 0
    with path.open("wb") as fh:
        while block := await upload.read(1024 * 1024):
            size += len(block)
            if size > limit:
                mb = limit // 1048576
                raise ZhengwuError("file_too_large", f"文件超过 {mb} MB。", f"The file is larger than {mb} MB.",
                                   status=413)
            fh.write(block)
    return path


@router.post("/draft")
def draft_endpoint(body: DraftIn, caller: Caller = Depends(get_caller)) -> dict:
    from zhengwu.writing.draft import draft

    return draft(caller, doc_type=body.type, issuer=body.issuer, recipients=body.recipients, points=body.points,
                 subject=body.subject, title=body.title, number=body.number, signature=body.signature,
                 date=body.date, signer=body.signer, attachments=body.attachments, cc=body.cc,
                 use_model=body.use_model).to_dict()


@router.post("/summarize")
def summarize_endpoint(body: SummarizeIn, caller: Caller = Depends(get_caller)) -> dict:
    from zhengwu.writing.summarize import summarize

    return summarize(caller, body.text, title=body.title, ratio=body.ratio, max_chars=body.max_chars,
                     use_model=body.use_model).to_dict()


@router.post("/minutes")
def minutes_endpoint(body: MinutesIn, caller: Caller = Depends(get_caller)) -> dict:
    from zhengwu.writing.minutes import make_minutes

    return make_minutes(caller, body.transcript, meeting=body.meeting, issuer=body.issuer, date=body.date,
                        use_model=body.use_model).to_dict()


@router.post("/simplify")
def simplify_endpoint(body: SimplifyIn, caller: Caller = Depends(get_caller)) -> dict:
    from zhengwu.writing.simplify import simplify

    return simplify(caller, body.text, audience=body.audience, use_model=body.use_model).to_dict()
