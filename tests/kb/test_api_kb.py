"""The REST API of the knowledge base against the real server: KBs, streamed uploads, documents, jobs."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import running_server, session_headers
from tests.kb.conftest import FIXTURES

CITIZEN: dict = {}  # anonymous: a citizen of the public department (gz-minzheng for this server)
FORGED = {"X-Zhengwu-User": "wang", "X-Zhengwu-Department": "gz-minzheng", "X-Zhengwu-Role": "admin"}


@pytest.fixture
def server(zw_env, monkeypatch):
    """The real server with a 1 MB upload limit (so the streaming cut-off can be tested with small files)."""
    monkeypatch.setenv("ZHENGWU_MAX_FILE_MB", "1")
    monkeypatch.setenv("ZHENGWU_PUBLIC_DEPARTMENT", "gz-minzheng")
    with running_server() as base:
        yield base


def _files(*paths):
    return [("files", (p.name, p.read_bytes())) for p in paths]


def test_kb_api_upload_and_scoping(server, bad_files, tmp_path):
    c = httpx.Client(base_url=server, timeout=60)
    ADMIN = session_headers(server, "wang", "gz-minzheng", "admin")  # noqa: N806
    OTHER = session_headers(server, "li", "gz-yibao", "admin")  # noqa: N806
    r = c.post("/api/kb", json={"name": "民政政策", "description": "低保 特困"}, headers=CITIZEN)
    assert r.status_code == 403 and r.json()["error"]["message_en"].startswith("Only an administrator")
    r = c.post("/api/kb", json={"name": "民政政策", "description": "低保 特困"}, headers=FORGED)
    assert r.status_code == 403  # identity headers from a client are not identity
    r = c.post("/api/kb", json={"name": "民政政策", "description": "低保 特困"}, headers=ADMIN)
    assert r.status_code == 201 and r.json()["name"] == "民政政策"
    assert c.post("/api/kb", json={"name": "民政政策"}, headers=ADMIN).status_code == 409

    big = tmp_path / "big.txt"
    big.write_bytes((FIXTURES / "xingzheng_chufa_fa_excerpt.md").read_bytes() * 80)  # about 1.4 MB of real text
    files = _files(FIXTURES / "gz_minimum_living_standard_2025.html", FIXTURES / "gz_startup_loan_faq.xlsx",
                   bad_files["encrypted_pdf"], big)
    r = c.post("/api/kb/民政政策/documents", files=files, headers=ADMIN, params={"wait": "true"})
    assert r.status_code == 200, r.text
    rep = r.json()
    assert (rep["added"], rep["unchanged"], rep["replaced"]) == (2, 0, 0)
    status = {f["file"]: f["status"] for f in rep["files"]}
    assert status == {"gz_minimum_living_standard_2025.html": "added", "gz_startup_loan_faq.xlsx": "added",
                      "encrypted.pdf": "failed", "big.txt": "failed"}
    reasons = {f["file"]: f["message_en"] for f in rep["failed"]}
    assert "encrypted" in reasons["encrypted.pdf"] and "too large" in reasons["big.txt"]

    # the same upload again: nothing duplicated
    r = c.post("/api/kb/民政政策/documents", files=_files(FIXTURES / "gz_startup_loan_faq.xlsx"), headers=ADMIN,
               params={"wait": "true"})
    assert (r.json()["added"], r.json()["unchanged"]) == (0, 1)

    # a browser may send the name in RFC 5987 form: filename*=UTF-8''...
    body = (b"--zwb\r\nContent-Disposition: form-data; name=\"files\"; filename*=UTF-8''"
            b"%E5%A4%B1%E4%B8%9A%E4%BF%9D%E9%99%A9.csv\r\nContent-Type: text/csv\r\n\r\n"
            + (FIXTURES / "gz_unemployment_insurance_faq.csv").read_bytes() + b"\r\n--zwb--\r\n")
    r = c.post("/api/kb/民政政策/documents", content=body, params={"wait": "true"},
               headers={**ADMIN, "Content-Type": "multipart/form-data; boundary=zwb"})
    assert [(f["file"], f["status"]) for f in r.json()["files"]] == [("失业保险.csv", "added")]
    csv_doc = next(d for d in c.get("/api/kb/民政政策/documents", headers=ADMIN).json()["documents"]
                   if d["source"] == "upload:失业保险.csv")
    assert c.delete(f"/api/kb/民政政策/documents/{csv_doc['id']}", headers=ADMIN).status_code == 200

    docs = c.get("/api/kb/民政政策/documents", headers=CITIZEN).json()
    assert docs["total"] == 2
    html = next(d for d in docs["documents"] if d["source"] == "upload:gz_minimum_living_standard_2025.html")
    assert (html["doc_number"], html["validity"], html["doc_type"]) == ("穗民规字〔2025〕2号", "expired", "通知")
    assert html["chunks"] > 0

    faq = next(d for d in docs["documents"] if d["source"] == "upload:gz_startup_loan_faq.xlsx")
    assert c.delete(f"/api/kb/民政政策/documents/{faq['id']}", headers=OTHER).status_code == 404
    assert c.delete(f"/api/kb/民政政策/documents/{faq['id']}", headers=ADMIN).json() == {"deleted": faq["id"]}
    assert c.get("/api/kb/民政政策/documents", headers=CITIZEN).json()["total"] == 1

    job = c.get(f"/api/jobs/{rep['job_id']}", headers=ADMIN).json()
    assert (job["status"], job["total"], job["done"], job["failed"]) == ("done", 3, 2, 1)
    assert c.get(f"/api/jobs/{rep['job_id']}", headers=OTHER).status_code == 404
    assert c.post(f"/api/jobs/{rep['job_id']}/cancel", headers=OTHER).status_code == 404
    assert c.post(f"/api/jobs/{rep['job_id']}/cancel", headers=ADMIN).json()["status"] == "done"  # finished

    # another department neither sees nor changes it
    assert c.get("/api/kb", headers=OTHER).json() == {"knowledge_bases": []}
    assert c.get("/api/kb/民政政策/documents", headers=OTHER).status_code == 404
    assert c.delete("/api/kb/民政政策", headers=OTHER).status_code == 404
    kbs = c.get("/api/kb", headers=ADMIN).json()["knowledge_bases"]
    assert [(k["name"], k["documents"]) for k in kbs] == [("民政政策", 1)]
    assert c.delete("/api/kb/民政政策", headers=ADMIN).json() == {"deleted": "民政政策"}
    assert c.get("/api/kb", headers=ADMIN).json() == {"knowledge_bases": []}
