"""The upload's ingestion child gives way to requests: a lower CPU priority (nice, SCHED_BATCH), set from
ZHENGWU_INGEST_NICE, in a real separate process (a process can only lower its own priority)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="nice and SCHED_BATCH: Linux")

CODE = ("import json, os; from zhengwu.kb import child; before = os.getpriority(os.PRIO_PROCESS, 0); "
        "step = child.lower_priority(); print(json.dumps([step, os.getpriority(os.PRIO_PROCESS, 0) - before, "
        "os.sched_getscheduler(0) == os.SCHED_BATCH]))")


def _child(value: str | None) -> tuple[list, str]:
    env = {k: v for k, v in os.environ.items() if k != "ZHENGWU_INGEST_NICE"}
    if value is not None:
        env["ZHENGWU_INGEST_NICE"] = value
    r = subprocess.run([sys.executable, "-c", CODE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr[-2000:]
    return json.loads(r.stdout.strip().splitlines()[-1]), r.stderr


@pytest.mark.skipif(os.getpriority(os.PRIO_PROCESS, 0) > 9, reason="this process is niced already")
def test_default_lowers_priority_by_ten_and_marks_a_batch_job():
    (step, added, batch), _ = _child(None)
    assert step == 10 and added == 10 and batch


def test_the_setting_chooses_the_step_and_zero_leaves_it():
    assert _child("3")[0] == [3, 3, True]
    assert _child("0")[0] == [0, 0, False]


def test_a_careless_value_falls_back_with_a_warning():
    (step, _, _), err = _child("ten")
    assert step == 10
    assert "ZHENGWU_INGEST_NICE" in err and "not a whole number" in err
    assert _child("99")[0][0] == 19  # at most the lowest priority there is
