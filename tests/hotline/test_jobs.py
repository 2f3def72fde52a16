"""The hotline's long work as jobs (zhengwu/hotline/jobs.py): batch classification interrupted, cancelled and
resumed without redoing a ticket; hotspot mining started over REST and shown by the dashboard; a job whose
process died resumed at server start (queue = inprocess) and by a real `zhengwu worker` (queue = redis);
another department's job is 404, a citizen 403.

Tickets are real citizen messages from the evaluation pool (skipped when the data is absent), imported through
the hotline's own import."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import httpx
import pytest

from tests.conftest import ROOT, run_cli, running_server, signed_in, wait_for
from tests.hotline.conftest import load_messages
import tests.tasks.conftest as queue_fixtures
from zhengwu.context import Caller
from zhengwu.errors import ZhengwuError

DEPT = "city-12345"
AGENT = Caller("agent1", DEPT, "agent")
redis_url, queue_env = queue_fixtures.redis_url, queue_fixtures.queue_env  # the Redis test's fixtures (tests/tasks)


def _import(tmp_path, n: int = 230) -> int:  # noqa: ANN001
    """n real messages as tickets of DEPT -> how many were stored."""
    from zhengwu.hotline import ingest

    path = tmp_path / "tickets.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in load_messages()[:n]), encoding="utf-8")
    return ingest.ingest_file(path, Caller("importer", DEPT, "admin"))["created"]


def _classified() -> tuple[int, int]:
    """(tickets with a category code, batch-classification events): equal when no ticket was done twice."""
    from sqlalchemy import func, select

    from zhengwu.hotline.models import Ticket, TicketEvent
    from zhengwu.store import session_scope

    with session_scope() as s:
        coded = s.scalar(select(func.count(Ticket.id)).where(Ticket.department == DEPT, Ticket.category_code != ""))
        events = s.scalar(select(func.count(TicketEvent.id)).where(TicketEvent.note.like("批量分类任务%")))
    return coded, events


def _make_stale(job_id: int) -> None:
    """What a process that died mid-run leaves: the job "running", not touched for a minute."""
    from sqlalchemy import update

    from zhengwu.hotline.models import TicketIngestJob
    from zhengwu.store import session_scope

    with session_scope() as s:
        s.execute(update(TicketIngestJob).where(TicketIngestJob.id == job_id).values(
            status="running", updated_at=datetime.now(timezone.utc) - timedelta(minutes=1)))


def _interrupt_after(batches: int):  # noqa: ANN202
    seen = [0]

    def on_progress(done: int, total: int, _current: str) -> None:
        seen[0] += 1
        if seen[0] >= batches and done < total:
            raise KeyboardInterrupt  # Ctrl-C, or the process stopping, right after a stored batch
    return on_progress


def test_classify_job_interrupted_cancelled_and_resumed(zw_env, tmp_path, monkeypatch):
    from zhengwu.hotline import jobs

    monkeypatch.setattr(jobs, "BATCH", 50)
    n = _import(tmp_path)
    job = jobs.create_classify_job(AGENT)
    assert job["kind"] == "classify" and job["status"] == "pending" and job["total"] == n

    with pytest.raises(KeyboardInterrupt):
        jobs.run(job["id"], AGENT, on_progress=_interrupt_after(1))
    stopped = jobs.get_job(AGENT, job["id"])
    assert stopped["status"] == "interrupted" and stopped["done"] == 50
    assert _classified()[0] == stopped["created"] > 0  # the stored batch is kept

    def cancel_after_one(done: int, total: int, _current: str) -> None:
        if done >= 100:
            jobs.cancel_job(AGENT, job["id"])
    resumed = jobs.run(job["id"], AGENT, on_progress=cancel_after_one)  # continues from ticket 51, then cancelled
    assert resumed["status"] == "cancelled" and resumed["done"] == 100
    assert jobs.run(job["id"], AGENT)["done"] == 100  # a cancelled job does not run again by itself

    jobs.reopen(AGENT, job["id"])
    done = jobs.run(job["id"], AGENT)
    assert done["status"] == "done" and done["done"] == n and done["created"] + done["skipped"] == n
    coded, events = _classified()
    assert coded == events == done["created"]  # every ticket classified exactly once across the three runs
    assert jobs.create_classify_job(AGENT)["total"] == n - coded  # only the ones without a category are left
    with pytest.raises(ZhengwuError) as exc:
        jobs.reopen(AGENT, job["id"])
    assert exc.value.status == 409

    listed = jobs.list_jobs(AGENT)
    assert [j["kind"] for j in listed] == ["classify", "classify", "import"]
    other = Caller("agent-b", "other-city", "admin")
    with pytest.raises(ZhengwuError) as exc:
        jobs.get_job(other, job["id"])
    assert exc.value.status == 404 and jobs.list_jobs(other) == []
    with pytest.raises(ZhengwuError) as exc:
        jobs.list_jobs(Caller("citizen", DEPT, "citizen"))
    assert exc.value.status == 403


def test_rest_jobs_dashboard_and_restart_recovery(zw_env, tmp_path, monkeypatch):
    from zhengwu.hotline import jobs

    monkeypatch.setattr(jobs, "BATCH", 50)
    n = _import(tmp_path)
    crashed = jobs.create_classify_job(AGENT)
    with pytest.raises(KeyboardInterrupt):
        jobs.run(crashed["id"], AGENT, on_progress=_interrupt_after(1))
    _make_stale(crashed["id"])  # its process died mid-run

    with running_server(dict(os.environ, ZHENGWU_QUEUE_LEASE_SECONDS="5")) as base:
        boss = signed_in(base, "boss", DEPT, "manager")
        # the server resumed the dead classification by itself, from where it stopped
        done = wait_for(lambda: (j := boss.get(f"/api/hotline/jobs/{crashed['id']}").json())["status"] == "done" and j,
                        timeout=90)
        assert done and done["done"] == n, boss.get(f"/api/hotline/jobs/{crashed['id']}").json()
        coded, events = _classified()
        assert coded == events == done["created"]

        r = boss.post("/api/hotline/jobs/hotspots", json={"top": 5})
        assert r.status_code == 202, r.text
        job_id = r.json()["id"]
        mined = wait_for(lambda: (j := boss.get(f"/api/hotline/jobs/{job_id}").json())["status"] == "done" and j,
                         timeout=90)
        assert mined and mined["kind"] == "hotspots" and mined["stage"] == "done"
        topics = mined["result"]["topics"]
        assert 1 <= len(topics) <= 5 and topics[0]["rank"] == 1
        shown = boss.get("/api/hotline/hotspots", params={"top": 3}).json()
        assert shown["job"]["id"] == job_id and [t["label"] for t in shown["topics"]] == [t["label"] for t in topics[:3]]
        page = boss.get("/hotline/hotspots", params={"top": 3})
        assert page.status_code == 200 and f"#{job_id}" in page.text and topics[0]["label"] in page.text
        again = boss.post("/hotline/hotspots/run", data={"top": "3", "days": "0"}, follow_redirects=False)
        assert again.status_code == 303 and again.headers["location"].startswith("/hotline/hotspots")

        assert boss.post("/api/hotline/jobs/hotspots", json={"top": 1000}).status_code == 400
        assert boss.post("/api/hotline/jobs/classify", json={}).status_code == 403  # managers read tickets only
        agent = signed_in(base, "agent2", DEPT, "agent")
        assert agent.post("/api/hotline/jobs/hotspots", json={}).status_code == 403
        r = agent.post("/api/hotline/jobs/classify", json={"all": True})
        assert r.status_code == 202 and r.json()["total"] == n
        assert agent.post(f"/api/hotline/jobs/{r.json()['id']}/cancel").json()["status"] in ("cancelled", "done")
        listed = agent.get("/api/hotline/jobs").json()
        assert {j["kind"] for j in listed} == {"import", "classify", "hotspots"}

        other = signed_in(base, "boss-b", "other-city", "admin")
        for url in (f"/api/hotline/jobs/{job_id}", ):
            assert other.get(url).status_code == 404
        assert other.post(f"/api/hotline/jobs/{job_id}/cancel").status_code == 404
        assert other.get("/api/hotline/jobs").json() == []
        citizen = signed_in(base, "citizen1", DEPT, "citizen")
        assert citizen.get(f"/api/hotline/jobs/{job_id}").status_code == 403
        assert httpx.get(f"{base}/api/hotline/jobs/{job_id}").status_code in (401, 403)
        assert boss.get("/api/hotline/jobs/abc").status_code == 422


def test_a_real_worker_resumes_a_dead_workers_job(queue_env, tmp_path, monkeypatch):
    from zhengwu.hotline import jobs
    from zhengwu.tasks import redis_queue

    monkeypatch.setattr(jobs, "BATCH", 50)
    n = _import(tmp_path)
    job = jobs.create_classify_job(AGENT)
    with pytest.raises(KeyboardInterrupt):
        jobs.run(job["id"], AGENT, on_progress=_interrupt_after(1))
    _make_stale(job["id"])  # as a worker that died mid-run leaves it: submitted, running, nobody holds it
    redis_queue.redis_client().hset(redis_queue.HOTLINE_KEY, str(job["id"]),
                                    json.dumps([AGENT.user, AGENT.department, AGENT.role, False]))
    mined = jobs.create_hotspots_job(Caller("boss", DEPT, "manager"), top=3)
    from zhengwu import tasks

    tasks.submit_hotline(mined["id"], Caller("boss", DEPT, "manager"))  # on the queue, for whichever worker

    worker = subprocess.Popen([sys.executable, "-m", "zhengwu", "worker", "--threads", "1", "--recover-every", "1"],
                              cwd=ROOT, env=dict(os.environ), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)
    try:
        done = wait_for(lambda: (j := jobs.get_job(AGENT, job["id"]))["status"] == "done" and j, timeout=120)
        assert done and done["done"] == n, jobs.get_job(AGENT, job["id"])
        coded, events = _classified()
        assert coded == events == done["created"]  # the first 50 were not redone
        boss = Caller("boss", DEPT, "manager")
        finished = wait_for(lambda: (j := jobs.get_job(boss, mined["id"], result=True))["status"] == "done" and j,
                            timeout=90)
        assert finished and finished["result"]["topics"]
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            out, _ = worker.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            worker.kill()
            out, _ = worker.communicate()
    assert "resuming hotline jobs" in out, out


def test_cli_jobs_and_careless_use(zw_env, tmp_path, monkeypatch):
    from zhengwu.config import reset_settings

    n = _import(tmp_path, 60)
    for key, value in (("USER", "agent1"), ("DEPARTMENT", DEPT), ("ROLE", "agent")):
        monkeypatch.setenv(f"ZHENGWU_{key}", value)
    reset_settings()
    r = run_cli("hotline", "classify", "--tickets", "--json")
    assert r.returncode == 0, r.stderr
    job = json.loads(r.stdout)
    assert (job["kind"], job["status"], job["done"], job["total"]) == ("classify", "done", n, n)
    listed = json.loads(run_cli("hotline", "jobs", "--json").stdout)
    assert [(j["id"], j["kind"]) for j in listed][0] == (job["id"], "classify") and len(listed) == 2
    text = run_cli("hotline", "jobs", "--kind", "classify").stdout
    assert f"{job['id']}\tclassify\tdone" in text
    assert run_cli("hotline", "resume", str(job["id"])).returncode == 2  # finished: nothing to resume

    for args, said in ((("hotline", "classify", str(tmp_path / "tickets.jsonl"), "--tickets"), "--tickets"),
                       (("hotline", "classify", "--all", "--text", "路灯不亮"), "--all"),
                       (("hotline", "jobs", "--kind", "everything"), "import"),
                       (("hotline", "cancel", "99999"), "99999"),
                       (("hotline", "hotspots", "--background"), "决策者")):  # an agent may not mine hotspots
        r = run_cli(*args)
        assert r.returncode == 2 and said in r.stderr and "错误" in r.stderr and "Error" in r.stderr, (args, r.stderr)
    monkeypatch.setenv("ZHENGWU_ROLE", "manager")
    r = run_cli("hotline", "hotspots", "--background", "--messages", str(tmp_path / "tickets.jsonl"))
    assert r.returncode == 2 and "--messages" in r.stderr
