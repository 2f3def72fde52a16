"""The scale profile's task queue on a real Redis with real `zhengwu worker` processes: a CLI ingest job is
enqueued and done by a worker, its progress is in the job record, and it survives a worker's stop and a
worker's death (resumed by the next worker, no document lost or stored twice)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from tests.conftest import ROOT, run_cli, wait_for
from tests.kb.conftest import DEMO, FIXTURES


def _worker(*extra: str) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "zhengwu", "worker", "--threads", "1", *extra], cwd=ROOT,
                            env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return proc


def _stop(proc: subprocess.Popen, sig: int = signal.SIGTERM) -> str:
    proc.send_signal(sig)
    try:
        out, _ = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
    return out


def _job(job_id: int) -> dict:
    from zhengwu.context import cli_caller
    from zhengwu.kb.jobs import get_job
    from zhengwu.store import session_scope

    with session_scope() as s:
        return get_job(s, cli_caller(), job_id)


def _docs() -> tuple[int, int]:
    from sqlalchemy import text

    from zhengwu.store.db import get_engine

    with get_engine().connect() as conn:
        return tuple(conn.execute(text("select count(*), count(distinct source) from kb_document")).one())


def _corpus(tmp_path) -> object:  # noqa: ANN001
    rows = [json.loads(line) for line in DEMO.open(encoding="utf-8")]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(3):  # three files of 10 real documents each
        (corpus / f"part{i}.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows[i * 10:(i + 1) * 10]), encoding="utf-8")
    return corpus


def test_cli_job_is_enqueued_and_done_by_a_worker(queue_env):
    r = run_cli("ingest", str(FIXTURES / "gz_unemployment_insurance_faq.csv"), "--kb", "policy", "--json")
    assert r.returncode == 0, r.stderr
    queued = json.loads(r.stdout)
    assert queued["queued"] and queued["status"] == "pending"  # nothing done yet: no worker runs
    job_id = queued["job_id"]
    assert _job(job_id)["status"] == "pending"
    worker = _worker()
    try:
        job = wait_for(lambda: (j := _job(job_id))["status"] == "done" and j, timeout=120)
        assert job and (job["done"], job["failed"], job["total"], job["progress"]) == (1, 0, 1, 1.0)
        assert _docs()[0] >= 1
        listed = json.loads(run_cli("kb", "jobs", "--json").stdout)  # progress where operators look
        assert [(j["id"], j["status"]) for j in listed] == [(job_id, "done")]
        r = run_cli("ingest", str(FIXTURES / "gz_unemployment_insurance_faq.csv"), "--kb", "policy", "--json",
                    "--wait")  # the same file again, waiting for the worker: unchanged, nothing duplicated
        assert r.returncode == 0 and json.loads(r.stdout)["status"] == "done", r.stdout + r.stderr
        assert _docs()[0] == 1
    finally:
        out = _stop(worker)
    assert "worker started" in out and "worker stopped" in out


def test_job_survives_a_worker_stop_and_a_worker_death(queue_env, tmp_path, monkeypatch):
    from zhengwu.config import reset_settings

    monkeypatch.setenv("ZHENGWU_QUEUE_LEASE_SECONDS", "3")  # a dead worker's lease runs out quickly
    reset_settings()
    corpus = _corpus(tmp_path)
    r = run_cli("ingest", str(corpus), "--kb", "big", "--json")
    job_id = json.loads(r.stdout)["job_id"]

    worker = _worker("--recover-every", "1")
    assert wait_for(lambda: _docs()[0] >= 1, 120, every=0.005)
    out = _stop(worker)  # SIGTERM: the job stops at its next document and is left resumable
    job = _job(job_id)
    stored, distinct = _docs()
    assert job["status"] == "interrupted" and 1 <= stored < 30 and stored == distinct, (job, stored, out)

    worker = _worker("--recover-every", "1")  # the next worker resumes it by itself
    try:
        assert wait_for(lambda: _docs()[0] > stored, 120, every=0.005)
        worker.kill()  # and this one dies mid-job (SIGKILL: no clean-up at all)
        worker.wait(10)
        mid = _docs()[0]
        assert _job(job_id)["status"] == "running" and mid < 30
        worker = _worker("--recover-every", "1")  # a third one takes over once the dead one's lease ran out
        job = wait_for(lambda: (j := _job(job_id))["status"] == "done" and j, timeout=180)
        assert job and (job["done"], job["failed"], job["total"]) == (3, 0, 3), _job(job_id)
        assert _docs() == (30, 30)  # nothing lost, nothing stored twice
    finally:
        out = _stop(worker)
    assert "resuming jobs" in out


def test_worker_refuses_without_redis_queue(zw_env):
    r = run_cli("worker")
    assert r.returncode == 2 and "queue" in r.stderr and "redis" in r.stderr


@pytest.mark.parametrize("kind", ["inprocess"])
def test_inprocess_submission_runs_in_a_thread(zw_env, kind):
    """The embedded profile's path through the same door: a thread of this process does the job."""
    from zhengwu import tasks
    from zhengwu.context import cli_caller
    from zhengwu.kb import jobs

    job_id, _ = jobs.create_job([FIXTURES / "gz_unemployment_insurance_faq.csv"], kb="t", caller=cli_caller())
    tasks.submit_ingest(job_id, cli_caller())
    assert wait_for(lambda: _job(job_id)["status"] == "done", timeout=60)
    job = _job(job_id)  # the bytes done were recorded as it went (its rate and ETA while running)
    assert 0 < job["bytes_done"] <= job["bytes_total"]
