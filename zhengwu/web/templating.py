"""Page rendering: one Jinja2 environment, the request's language, the model mode, the shared layout."""

from __future__ import annotations

from pathlib import Path

from fastapi import Request
from fastapi.templating import Jinja2Templates

from zhengwu import __version__
from zhengwu.config import get_settings
from zhengwu.i18n import LANGUAGES, gettext_for
from zhengwu.web.deps import get_caller

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def request_language(request: Request) -> str:
    lang = request.query_params.get("lang") or request.cookies.get("zw_lang")
    if lang in LANGUAGES:
        return lang
    accept = request.headers.get("accept-language", "")
    if accept.lower().startswith("en"):
        return "en"
    return get_settings().language


def render(request: Request, name: str, status_code: int = 200, **context: object):  # noqa: ANN201
    lang = request_language(request)
    s = get_settings()
    ctx = {
        "request": request,
        "_": gettext_for(lang),
        "lang": lang,
        "generative": s.llm_backend != "none",
        "version": __version__,
        "caller": get_caller(request),
        **context,
    }
    response = templates.TemplateResponse(request, name, ctx, status_code=status_code)
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie("zw_lang", lang, samesite="lax")
    return response
