"""Crashed jobs are recovered by one process of the server, not once per process (`zhengwu serve` starts two
on two cores): the first process takes the recovery lock and keeps it for its life; one started beside it leaves
recovery alone; once the first ends, the next start recovers again."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT

CHECK = "from zhengwu.web.app import recovery_process; print(recovery_process(), flush=True); input()"


def _start(env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, "-c", CHECK], cwd=ROOT, env=env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    return proc, proc.stdout.readline().strip()


def _stop(proc: subprocess.Popen) -> None:
    proc.communicate("\n", timeout=30)


def test_one_process_of_a_server_recovers(zw_env):
    env = dict(os.environ)
    first, answer = _start(env)
    try:
        assert answer == "True"
        second, answer2 = _start(env)
        _stop(second)
        assert answer2 == "False"  # started beside the first: recovery is left to it
    finally:
        _stop(first)
    third, answer3 = _start(env)  # the first has ended (a restart): the lock is free again
    _stop(third)
    assert answer3 == "True"

