"""A real Redis for the task-queue tests: started by the test on 127.0.0.1 (random port, no persistence)."""

from __future__ import annotations

import shutil
import subprocess
import time

import pytest

from tests.conftest import free_port


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """redis://127.0.0.1:PORT/0 of a private redis-server (skips when redis-server is not installed)."""
    exe = shutil.which("redis-server")
    if exe is None:
        pytest.skip("redis-server not installed (apt-get install redis-server); .ci/run installs it")
    port = free_port()
    workdir = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen([exe, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(workdir)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    import redis

    client = redis.Redis(port=port)
    deadline = time.time() + 20
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.time() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("redis-server did not start")
            time.sleep(0.1)
    yield f"redis://127.0.0.1:{port}/0"
    proc.terminate()
    proc.wait(10)


@pytest.fixture
def queue_env(zw_env, redis_url, monkeypatch):
    """The isolated installation in the scale profile's queue mode, with an empty Redis."""
    import redis

    from zhengwu.config import reset_settings

    redis.Redis.from_url(redis_url).flushall()
    monkeypatch.setenv("ZHENGWU_QUEUE", "redis")
    monkeypatch.setenv("ZHENGWU_REDIS_URL", redis_url)
    reset_settings()
    return zw_env
