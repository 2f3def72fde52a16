"""Stateless app servers: `zhengwu serve --workers 2` answers /healthz and /readyz from each process, and a
session signed in on one process is honoured by the other (nothing shared in memory)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import httpx

from tests.conftest import ROOT, TEST_PASSWORD, free_port, make_account


def test_serve_with_two_workers(zw_env):
    from zhengwu.store.db import init_db

    init_db()
    make_account("wang", "办公厅", "officer")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "zhengwu", "serve", "--host", "127.0.0.1", "--port", str(port),
                             "--workers", "2"], cwd=ROOT, env=dict(os.environ), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                if httpx.get(base + "/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        assert proc.poll() is None
        # each request opens a new connection, so the kernel spreads them over both worker processes
        for _ in range(40):
            r = httpx.get(base + "/readyz", timeout=10)
            assert r.status_code == 200 and r.json() == {"status": "ready", "database": True}
            assert httpx.get(base + "/healthz", timeout=10).json() == {"status": "ok"}
        with httpx.Client(base_url=base, headers={"Origin": base}, timeout=30) as c:
            r = c.post("/login", data={"username": "wang", "password": TEST_PASSWORD})
            assert r.status_code == 303
            cookie = c.cookies["zw_session"]
        for _ in range(10):  # a fresh connection each time: whichever process answers knows the session
            r = httpx.get(base + "/api/me", cookies={"zw_session": cookie}, timeout=10)
            assert r.status_code == 200 and r.json()["user"] == "wang", r.text
    finally:
        proc.terminate()
        try:
            out, _ = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
    assert "2 个进程 / worker processes" in out
