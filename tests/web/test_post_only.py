"""Questions never travel in URLs: the GET forms that carried one answer 405 and point to the POST route."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from zhengwu.web.app import create_app


@pytest.mark.parametrize(("url", "post_route"), [
    ("/api/search?q=张三 身份证号 110101199003071234 低保", "/api/search"),
    ("/api/chat?question=我的电话13800138000怎么办社保卡", "/api/chat"),
    ("/api/search", "/api/search"),
    ("/guide/gz-guide-22?text=我叫张三，失业了", "/api/guide/start"),
])
def test_get_with_a_question_is_refused(zw_env, url, post_route):
    with TestClient(create_app()) as c:
        r = c.get(url)
    assert r.status_code == 405 and r.headers["allow"] == "POST"
    err = r.json()["error"]
    assert err["code"] == "use_post" and post_route in err["message_zh"] and post_route in err["message_en"]


def test_post_forms_keep_their_response_keys(zw_env):
    with TestClient(create_app()) as c:
        r = c.post("/api/search", json={"q": "低保"})
        assert r.status_code == 200 and set(r.json()) == {"query", "kb", "mode", "hits", "retrieval"}
        r = c.post("/api/chat", json={"question": "社保卡怎么申领？"})
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        assert c.get("/guide").status_code == 200  # GET stays for pages and ids
        paths = c.get("/openapi.json").json()["paths"]
        assert "get" not in paths["/api/search"] and "get" not in paths["/api/chat"]
