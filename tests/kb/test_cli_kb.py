"""The real `zhengwu kb ...` and `zhengwu ingest ...` commands in a subprocess, including interrupt + resume."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys

from tests.conftest import ON_POSTGRES, ROOT, run_cli, wait_for
from tests.kb.conftest import DEMO, FIXTURES
from zhengwu.context import Caller, cli_caller
from zhengwu.kb.ingest import ingest_paths
from zhengwu.kb.jobs import list_jobs
from zhengwu.kb.manage import list_kbs
from zhengwu.store import session_scope


def _in_process_list(department: str | None = None) -> list[str]:

    with session_scope() as s:
        return [k.name for k in list_kbs(s, Caller("t", department or "default", "admin"))]


def test_kb_create_list_delete(zw_env):
    r = run_cli("kb", "create", "政策库", "--description", "广州市政策文件")
    assert r.returncode == 0, r.stderr
    r = run_cli("kb", "create", "政策库")
    assert r.returncode == 2 and "已存在" in r.stderr and "already exists" in r.stderr
    r = run_cli("kb", "list", "--json")
    rows = json.loads(r.stdout)
    assert [(x["name"], x["description"], x["documents"]) for x in rows] == [("政策库", "广州市政策文件", 0)]
    assert _in_process_list("另一部门") == []  # another department sees nothing
    r = run_cli("kb", "delete", "政策库", "--yes")
    assert r.returncode == 0 and _in_process_list() == []


def test_ingest_summary_jobs_and_exit_codes(zw_env, tmp_path):
    bad = tmp_path / "notice.doc"
    bad.write_bytes(b"\xd0\xcf\x11\xe0legacy word")
    five = tmp_path / "state_council_5.jsonl"
    five.write_text("".join(DEMO.read_text(encoding="utf-8").splitlines(keepends=True)[:5]), encoding="utf-8")
    r = run_cli("ingest", str(bad), str(FIXTURES / "gz_unemployment_insurance_faq.csv"), str(five), "--no-progress")
    assert r.returncode == 1
    assert "notice.doc" in r.stderr and "unsupported file type" in r.stderr and "不支持的文件类型" in r.stderr
    assert "新增 added 6" in r.stdout and "失败 failed 1" in r.stdout
    assert _in_process_list() == ["default"]  # the default KB is created on first use
    jobs = json.loads(run_cli("kb", "jobs", "--json").stdout)
    assert [(j["kb"], j["status"], j["done"], j["failed"], j["total"]) for j in jobs] == [("default", "done", 2, 1, 3)]


def _docs(db) -> tuple[int, int]:
    if ON_POSTGRES:  # readers never wait on the writer there
        from sqlalchemy import text

        from zhengwu.store.db import get_engine

        with get_engine().connect() as conn:
            return tuple(conn.execute(text("select count(*), count(distinct source) from kb_document")).one())
    try:
        con = sqlite3.connect(db, timeout=0.05)  # never wait on the writer: the poll must stay fast
        try:
            return con.execute("select count(*), count(distinct source) from kb_document").fetchone()
        finally:
            con.close()
    except sqlite3.OperationalError:
        return 0, 0


def test_interrupted_ingest_resumes_without_loss_or_duplicates(zw_env, tmp_path):
    rows = [json.loads(line) for line in DEMO.open(encoding="utf-8")]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(3):  # three files of 10 real documents each
        (corpus / f"part{i}.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows[i * 10:(i + 1) * 10]), encoding="utf-8")
    db = zw_env / "zhengwu.db"
    proc = subprocess.Popen([sys.executable, "-m", "zhengwu", "ingest", str(corpus), "--kb", "big", "--no-progress"],
                            cwd=ROOT, env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for(lambda: _docs(db)[0] >= 1, 60, every=0.005)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "zhengwu ingest --resume" in err, (proc.returncode, err[-500:])
    stored, distinct = _docs(db)
    assert 1 <= stored < 30 and stored == distinct

    with session_scope() as s:
        jobs = list_jobs(s, cli_caller())
    assert jobs[0]["status"] == "cancelled" and jobs[0]["done"] < 3
    r = run_cli("ingest", "--resume", str(jobs[0]["id"]), "--json", "--no-progress")
    assert r.returncode == 0, r.stderr
    rep = json.loads(r.stdout)
    assert rep["added"] == 30 - stored
    assert _docs(db) == (30, 30)
    with session_scope() as s:
        job = list_jobs(s, cli_caller())[0]
    assert (job["status"], job["done"], job["total"]) == ("done", 3, 3)
    # re-running the original command is a no-op
    again = ingest_paths([corpus], kb="big", caller=cli_caller(), progress=False)
    assert (again.added, again.unchanged) == (0, 30)
