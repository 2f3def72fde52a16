"""Generated requests against the ticket endpoints as an agent with an API key (schemathesis on the real server's
/openapi.json): whatever the body or the id, never a 5xx. Skipped with its reason on a machine too busy to finish."""

from __future__ import annotations


import pytest

from tests.conftest import api_key, run_schemathesis

OPERATIONS = r"^/api/hotline/(fill|tickets.*|ingest/\{job_id\}.*)$"
TIME_LIMIT = 400

pytestmark = pytest.mark.slow


def test_ticket_endpoints_never_fail_on_generated_requests(live_server, tmp_path, court_filing):
    from zhengwu.context import Caller
    from zhengwu.hotline import tickets

    agent = Caller("agent1", "default", "agent")
    for i in range(3):  # real tickets for generated ids to hit
        tickets.create_ticket(agent, {"title": "购房定金纠纷", "text": court_filing, "contact": f"1862908765{i}"})
    run = run_schemathesis(live_server, tmp_path, OPERATIONS, max_examples=25,
                           authorization=api_key("default", "agent")["Authorization"], time_limit=TIME_LIMIT)
    out = run.stdout + run.stderr
    assert "Tested: 11" in out, out[-3000:]  # every ticket operation reached as an agent
    assert run.returncode == 0, out[-6000:]
