"""The OpenAPI page (/docs) with Swagger UI served from the installed `swagger-ui-bundle` package.

Why: FastAPI's default page loads Swagger UI from a CDN, so on an air-gapped intranet /docs is blank. The
assets here come from the wheel (Apache-2.0; its licence ships in the package's dist-info). ReDoc has no
offline bundle in any dependency, so /redoc is switched off (app.py: redoc_url=None).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse

from zhengwu.errors import NotFound

router = APIRouter(include_in_schema=False)

ASSETS = ("swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png", "favicon-16x16.png")
PREFIX = "/docs/assets"


def assets_dir() -> Path:
    """Where the installed swagger-ui-bundle keeps its files."""
    from swagger_ui_bundle import swagger_ui_path

    return Path(swagger_ui_path)


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui(request: Request) -> HTMLResponse:
    root = request.scope.get("root_path", "")
    return get_swagger_ui_html(openapi_url=f"{root}{request.app.openapi_url}",
                               title=f"{request.app.title} — API",
                               swagger_js_url=f"{root}{PREFIX}/swagger-ui-bundle.js",
                               swagger_css_url=f"{root}{PREFIX}/swagger-ui.css",
                               swagger_favicon_url=f"{root}{PREFIX}/favicon-32x32.png")


@router.get(PREFIX + "/{name}")
def swagger_asset(name: str) -> FileResponse:
    """One of the few Swagger UI files the page needs (a fixed list: nothing else of the package is served)."""
    if name not in ASSETS:
        raise NotFound("not_found", "没有这个文件。", "No such file.")
    return FileResponse(assets_dir() / name, headers={"Cache-Control": "public, max-age=86400"})
