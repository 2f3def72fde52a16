"""Gateway test helpers: a real tiny OpenAI-compatible HTTP server on 127.0.0.1 that records what it receives
and can misbehave on purpose (timeouts, garbage, dropped streams, 5xx) — a protocol-boundary test double."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest


def _vector(text: str, dim: int = 32) -> list[float]:
    """A deterministic bag-of-bigrams vector: similar texts get similar vectors, like a real embedder."""
    v = [0.0] * dim
    for a, b in zip(text, text[1:]):
        v[hash(a + b) % dim] += 1.0
    return v if any(v) else [1.0] + [0.0] * (dim - 1)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # noqa: ANN002
        pass

    def do_GET(self) -> None:  # noqa: N802
        """GET /v1/models: what a health probe asks; fails like the chat endpoint in mode "status"."""
        srv: ModelServer = self.server.owner  # type: ignore[attr-defined]
        if not self.path.rstrip("/").endswith("/models"):
            return self._send(404, b'{"error":"not found"}')
        if srv.mode == "status":
            return self._send(srv.status, b'{"error":"x"}')
        self._send(200, b'{"object":"list","data":[{"id":"test-model","object":"model"}]}')

    def do_POST(self) -> None:  # noqa: N802
        srv: ModelServer = self.server.owner  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length).decode("utf-8")
        with srv.lock:
            srv.received.append(raw)
            n = len(srv.received)
        try:
            body = json.loads(raw)
        except ValueError:
            body = {}
        if self.path.rstrip("/").endswith("/embeddings"):  # an OpenAI-compatible embedding server
            inputs = body.get("input") or []
            inputs = [inputs] if isinstance(inputs, str) else inputs
            data = [{"index": i, "object": "embedding", "embedding": _vector(t)} for i, t in enumerate(inputs)]
            return self._send(200, json.dumps({"object": "list", "data": data, "model": "rec-emb"}).encode("utf-8"))
        mode = srv.mode
        if mode == "fail_first" and n <= srv.failures:
            return self._send(503, b'{"error":"busy"}')
        if mode == "status":
            return self._send(srv.status, b'{"error":"x"}')
        if mode == "sleep":
            time.sleep(srv.delay)
        if mode == "garbage":
            return self._send(200, b"<html>not json at all")
        reply = srv.reply_for(body)
        if body.get("stream"):
            return self._stream(reply, drop=(mode == "drop"), garbage=(mode == "stream_garbage"))
        out = {"id": "x", "object": "chat.completion", "model": "test-model",
               "choices": [{"index": 0, "message": {"role": "assistant", "content": reply}, "finish_reason": "stop"}],
               "usage": {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18}}
        self._send(200, json.dumps(out, ensure_ascii=False).encode("utf-8"))

    def _send(self, status: int, data: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _stream(self, reply: str, drop: bool, garbage: bool) -> None:
        srv: ModelServer = self.server.owner  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Connection", "close")
        self.end_headers()
        pieces = [reply[i:i + 3] for i in range(0, len(reply), 3)]
        for i, p in enumerate(pieces):
            if drop and i == 2:
                self.wfile.flush()
                self.connection.shutdown(2)
                self.close_connection = True
                return
            if garbage and i == 1:
                self.wfile.write(b"data: {broken json\n\n")
                continue
            chunk = {"model": "test-model", "choices": [{"index": 0, "delta": {"content": p}, "finish_reason": None}]}
            time.sleep(srv.chunk_delay)
            self.wfile.write(b"data: " + json.dumps(chunk, ensure_ascii=False).encode("utf-8") + b"\n\n")
            self.wfile.flush()
        end = {"model": "test-model", "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
        self.wfile.write(b"data: " + json.dumps(end).encode() + b"\n\ndata: [DONE]\n\n")
        self.wfile.flush()
        self.close_connection = True


class ModelServer:
    """mode: echo (reply quotes the last user message) | fixed | sleep | garbage | status | fail_first | drop |
    stream_garbage."""

    def __init__(self) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.owner = self  # type: ignore[attr-defined]
        self.received: list[str] = []
        self.lock = threading.Lock()
        self.mode = "echo"
        self.reply = ""
        self.delay = 0.0
        self.chunk_delay = 0.0  # seconds before each streamed piece (a slow model, for clients that leave)
        self.status = 500
        self.failures = 0
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def reply_for(self, body: dict) -> str:
        if self.mode in ("echo", "drop", "stream_garbage", "fail_first", "sleep") and not self.reply:
            users = [m.get("content", "") for m in body.get("messages", []) if m.get("role") == "user"]
            return "收到：" + (users[-1] if users else "")
        return self.reply

    def all_received(self) -> str:
        return "\n".join(self.received)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def model_server(zw_env, monkeypatch):
    """A running recording model server; the isolated installation is configured to use it."""
    srv = ModelServer()
    use_model_server(monkeypatch, srv)
    yield srv
    srv.close()


def use_model_server(monkeypatch, srv) -> None:  # noqa: ANN001
    """Configure the isolated installation's generative backend to be `srv` (short timeout, one retry)."""
    from tests.conftest import use_backend

    use_backend(monkeypatch, srv.url, timeout="3", retries="1")


def append_concurrently(threads: int, per_thread: int, department: str) -> list[Exception]:
    """Append audit records from several threads at once; returns the errors they raised (none expected)."""
    from zhengwu.context import Caller
    from zhengwu.gateway import audit
    from zhengwu.store import session_scope

    errors: list[Exception] = []

    def worker(k: int) -> None:
        try:
            for i in range(per_thread):
                with session_scope() as s:
                    audit.append(s, caller=Caller(f"u{k}", department, "user"), scenario="kb_search",
                                 action="search", input_text=f"查询{k}-{i}")
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    pool = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return errors


@pytest.fixture
def pii():
    """The gateway's PII module (a part of zhengwu: never skipped)."""
    from zhengwu.gateway import pii as mod

    return mod


@pytest.fixture
def tamper(zw_env):
    """Run raw SQL on the installation's database (the SQLite file, or the PostgreSQL database of the
    PostgreSQL pass), as an attacker with write access would: no application code in between."""
    from tests.conftest import ON_POSTGRES

    def run(*statements: str) -> None:
        if ON_POSTGRES:
            from zhengwu.store.db import get_engine

            with get_engine().begin() as conn:
                for st in statements:
                    conn.exec_driver_sql(st)
            return
        con = sqlite3.connect(Path(zw_env) / "zhengwu.db")
        try:
            for st in statements:
                con.execute(st)
            con.commit()
        finally:
            con.close()

    return run


@pytest.fixture
def callers():
    from zhengwu.context import Caller

    # two administrators: whoever registers a scenario cannot approve it (four eyes)
    return {"admin": Caller("admin1", "办公厅", "admin"), "admin2": Caller("admin2", "办公厅", "admin"),
            "user": Caller("zhangsan", "办公厅", "citizen"), "other": Caller("lisi", "民政局", "officer")}


@pytest.fixture
def run_cli_ok(zw_env):
    """run_cli from the shared tests/conftest.py, against the isolated installation."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("zw_shared_conftest", Path(__file__).resolve().parent.parent / "conftest.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.run_cli


@pytest.fixture
def model_server_factory():
    """Start extra recording servers (closed at the end of the test)."""
    started: list[ModelServer] = []

    def make() -> ModelServer:
        srv = ModelServer()
        started.append(srv)
        return srv

    yield make
    for srv in started:
        srv.close()


# --- a real llama.cpp server (llama-cpp-python[server] + the gemma3-270m GGUF from PyPI) behind a recording proxy ---

class _Proxy(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a) -> None:  # noqa: ANN002
        pass

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.server.received.append(body.decode("utf-8"))  # type: ignore[attr-defined]
        upstream = self.server.upstream + self.path  # type: ignore[attr-defined]
        with httpx.stream("POST", upstream, content=body, headers={"Content-Type": "application/json"},
                          timeout=300) as r:
            self.send_response(r.status_code)
            self.send_header("Content-Type", r.headers.get("content-type", "application/json"))
            self.send_header("Connection", "close")
            self.end_headers()
            for chunk in r.iter_raw():
                self.wfile.write(chunk)
                self.wfile.flush()
        self.close_connection = True


@pytest.fixture(scope="module")
def llama_proxy(tmp_path_factory):
    """The real llama.cpp server (tests/llama_server.py) behind a proxy that records every request body."""
    from tests.llama_server import llama_server, missing

    if missing():
        pytest.skip(missing())
    with llama_server(tmp_path_factory.mktemp("llama") / "server.log") as base:  # fails the tests if it cannot start
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Proxy)
        httpd.daemon_threads = True
        httpd.received = []  # type: ignore[attr-defined]
        httpd.upstream = base  # type: ignore[attr-defined]
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        yield httpd
        httpd.shutdown()
        httpd.server_close()
