"""/docs works offline: every script, stylesheet and icon it references is served by zhengwu itself."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from fastapi.testclient import TestClient

from zhengwu.web.app import create_app


def test_docs_page_loads_only_local_assets(zw_env):
    with TestClient(create_app()) as c:
        r = c.get("/docs")
        assert r.status_code == 200 and "swagger" in r.text.lower()
        urls = re.findall(r"""<(?:script|link)\b[^>]*\b(?:src|href)=["']([^"']+)["']""", r.text)
        urls += re.findall(r"""\burl:\s*['"]([^'"]+)['"]""", r.text)  # the OpenAPI document the page fetches
        assert len(urls) >= 3, r.text
        for url in urls:
            assert not re.match(r"^(https?:)?//", url), f"external asset {url}"
            got = c.get(urljoin("http://testserver/docs", url))
            assert got.status_code == 200, url
        assert "cdn" not in r.text.lower()
        assert c.get("/redoc").status_code == 404  # no offline ReDoc bundle: switched off, not blank
        assert c.get("/docs/assets/__init__.py").status_code == 404
