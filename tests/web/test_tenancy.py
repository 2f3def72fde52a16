"""Every record belongs to a department: a caller of department B tries every endpoint that takes an id with
department A's ids (knowledge base, document, job, conversation, answer, audit record) and gets nothing of
A's and changes nothing; a knowledge base shared on purpose is readable by B, never writable."""

from __future__ import annotations

import httpx

from tests.conftest import FIXTURES, api_key, session_headers


def test_no_endpoint_crosses_departments(live_server):
    base = live_server
    a_admin = session_headers(base, "a_admin", "dept-a", "admin")
    b_admin = session_headers(base, "b_admin", "dept-b", "admin")
    b_key = api_key("dept-b", "officer", app="b-app")
    c = httpx.Client(base_url=base, timeout=120)

    # department A's records
    assert c.post("/api/kb", headers=a_admin, json={"name": "甲库"}).status_code == 201
    doc = FIXTURES / "gz_guide_06_resident_medical_insurance.docx"
    rep = c.post("/api/kb/甲库/documents", headers=a_admin, params={"wait": "true"},
                 files=[("files", (doc.name, doc.read_bytes()))]).json()
    job_id = rep["job_id"]
    doc_id = c.get("/api/kb/甲库/documents", headers=a_admin).json()["documents"][0]["id"]
    ans = c.post("/api/ask", headers=api_key("dept-a", "officer", app="a-app"),
                 json={"question": "城乡居民医保怎么参保？", "kb": "甲库"}).json()
    conv, turn, audit_id = ans["conversation_id"], ans["turn_id"], ans["audit_id"]

    # department B, with an administrator's session and with an application key, tries them all
    for b in (b_admin, b_key):
        assert c.get("/api/kb/甲库/documents", headers=b).status_code == 404
        assert c.delete(f"/api/kb/甲库/documents/{doc_id}", headers=b).status_code in (403, 404)
        assert c.delete("/api/kb/甲库", headers=b).status_code in (403, 404)
        assert c.post("/api/kb/甲库/shares", headers=b, json={"department": "dept-b"}).status_code in (403, 404)
        assert c.get(f"/api/jobs/{job_id}", headers=b).status_code == 404
        assert c.post(f"/api/jobs/{job_id}/cancel", headers=b).status_code in (403, 404)
        assert c.post(f"/api/jobs/{job_id}/resume", headers=b).status_code in (403, 404)
        r = c.get(f"/api/conversations/{conv}", headers=b)
        assert r.status_code == 404 or r.json().get("turns") in ([], None)
        assert c.post("/api/feedback", headers=b, json={"turn_id": turn, "rating": -1}).status_code == 404
        r = c.post("/api/ask", headers=b, json={"question": "城乡居民医保怎么参保？", "conversation_id": conv})
        assert r.status_code == 200 and r.json()["conversation_id"] != conv and r.json()["no_basis"]
        r = c.post("/api/search", headers=b, json={"q": "城乡居民医保 参保"})
        assert r.status_code == 200 and r.json()["hits"] == []
    assert c.post(f"/api/audit/{audit_id}/review", headers=b_admin, json={"decision": "approved"}).status_code == 404
    # nothing of A's changed
    assert c.get("/api/kb/甲库/documents", headers=a_admin).json()["total"] == 1
    assert c.get(f"/api/conversations/{conv}", headers=a_admin).status_code == 200

    # shared on purpose: B reads and searches A's knowledge base, and still cannot write to it
    r = c.post("/api/kb/甲库/shares", headers=a_admin, json={"department": "dept-b"})
    assert r.status_code == 200 and r.json()["shared_with"] == ["dept-b"]
    hits = c.post("/api/search", headers=b_key, json={"q": "城乡居民医保 参保"}).json()["hits"]
    assert hits and hits[0]["kb"] == "甲库"
    assert c.delete(f"/api/kb/甲库/documents/{doc_id}", headers=b_admin).status_code in (403, 404)
    assert c.delete("/api/kb/甲库/shares/dept-b", headers=a_admin).status_code == 200
    assert c.post("/api/search", headers=b_key, json={"q": "城乡居民医保 参保"}).json()["hits"] == []
