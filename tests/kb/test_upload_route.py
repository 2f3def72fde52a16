"""The upload route's own rules, in process: non-multipart bodies, empty uploads, the body cap, RFC 5987 names."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import TEST_PASSWORD, make_account
from zhengwu.web.app import create_app
from zhengwu.web.uploads import plain_filename

ADMIN = {"Origin": "http://testserver"}  # with the signed-in session cookie the client keeps


@pytest.fixture
def client(zw_env, monkeypatch):
    monkeypatch.setenv("ZHENGWU_MAX_FILE_MB", "1")
    make_account("wang", "gz-minzheng", "admin")
    with TestClient(create_app()) as c:
        assert c.post("/login", data={"username": "wang", "password": TEST_PASSWORD}, headers=ADMIN,
                      follow_redirects=False).status_code == 303
        yield c


def test_upload_errors_keep_their_codes_and_messages(client):
    r = client.post("/api/kb/default/documents", json={"files": []}, headers=ADMIN)
    assert r.status_code == 415 and r.json()["error"]["code"] == "upload_not_multipart"
    r = client.post("/api/kb/default/documents", files={"note": ("a.txt", b"x")}, headers=ADMIN)
    assert r.status_code == 400 and r.json()["error"]["message_en"] == "the request contains no files."
    r = client.post("/api/kb/default/documents", content=b"x" * (101 * 1024 * 1024),
                    headers={**ADMIN, "Content-Type": "multipart/form-data; boundary=zz"})
    assert r.status_code == 413 and r.json()["error"]["code"] == "upload_too_large"
    client.cookies.clear()  # an anonymous citizen, whatever headers it sends
    r = client.post("/api/kb/default/documents", files={"files": ("a.txt", b"x")},
                    headers={"X-Zhengwu-Department": "gz-minzheng", "X-Zhengwu-Role": "admin"})
    assert r.status_code == 403


def test_rfc5987_file_names_become_plain_ones():
    raw = b"form-data; name=\"files\"; filename*=UTF-8''%E5%A4%B1%E4%B8%9A.csv; filename=\"fallback.csv\""
    assert plain_filename(raw).decode() == 'form-data; name="files"; filename="失业.csv"'
    assert plain_filename(b'form-data; name="files"; filename="a.csv"') == b'form-data; name="files"; filename="a.csv"'
