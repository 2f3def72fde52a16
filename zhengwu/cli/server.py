"""`zhengwu serve`: the web server (API, OpenAPI docs at /docs, pages)."""

from __future__ import annotations

import typer

from zhengwu.cli.app import app
from zhengwu.config import get_settings


@app.command()
def serve(
    host: str = typer.Option(None, help="监听地址 / bind address (default 127.0.0.1)"),
    port: int = typer.Option(None, help="端口 / port (default 8600)"),
) -> None:
    """启动 Web 服务 / start the web server."""
    import uvicorn

    from zhengwu.store import init_db
    from zhengwu.web.app import create_app

    s = get_settings()
    host = host or s.host
    port = port or s.port
    init_db()
    print(f"zhengwu 已启动 / running at http://{host}:{port}/  (API 文档 / docs: http://{host}:{port}/docs)", flush=True)
    uvicorn.run(create_app(), host=host, port=port, log_level="warning")
