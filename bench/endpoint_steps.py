"""Where a streamed /v1 request's time goes before its first token: each step timed in-process, wall and CPU.

The steps are the ones `zhengwu/gateway/openai_api.py` takes for `POST /v1/chat/completions` with `stream: true`,
called in the same order on the same functions: the key check (`verify_key`), the quota count (`admit`, its own
transaction), parsing the messages, opening the interaction (policy, decision rules, safety screen) and the
stream's first step (masking the prompt, the upstream request, restoring, up to the first text) — then the rest
of the stream with the audit record, which the client does not wait for before its first token. The upstream is
the recording OpenAI-compatible server of tests/gateway/conftest.py (in this process, answering at once), the
installation a fresh temporary one with an API key made by the real CLI. Every request's prompt is new (its
round number first), so no cache of the name model answers. What this leaves out, and bench/endpoint_overhead.py
measures, is the HTTP hop to `zhengwu serve` and its thread hand-offs.

    .venv/bin/python bench/endpoint_steps.py [--n 150] [--chars 300] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

WARM_UP = 10


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=150, help="requests measured (after 10 warm-up requests)")
    ap.add_argument("--chars", type=int, default=300, help="length of the service-guide text in the prompt")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    from tests.gateway.conftest import ModelServer

    recorder = ModelServer()
    recorder.httpd.handle_error = lambda *a: None
    recorder.httpd.RequestHandlerClass.disable_nagle_algorithm = True
    tmp = Path(tempfile.mkdtemp(prefix="zw-steps-"))
    for k in [k for k in os.environ if k.startswith("ZHENGWU_") and k != "ZHENGWU_SHARED"]:
        del os.environ[k]
    os.environ.update(ZHENGWU_DATA_DIR=str(tmp / "data"), ZHENGWU_CONFIG=str(tmp / "zhengwu.toml"),
                      ZHENGWU_EMBEDDER="none", ZHENGWU_LLM_BACKEND="openai", ZHENGWU_LLM_URLS=json.dumps([recorder.url]),
                      ZHENGWU_LLM_MODEL="test-model", ZHENGWU_QUOTA_USER_DAILY="0", ZHENGWU_RATE_USER_PER_MINUTE="0")
    key = subprocess.run([sys.executable, "-m", "zhengwu", "keys", "create", "--app", "bench", "--scenario",
                          "policy_qa", "--department", "办公厅"], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout.strip()

    import endpoint_overhead as eo

    from zhengwu.admin.quotas import admit
    from zhengwu.gateway.openai_api import _END, _governed_events, _messages, _open, _params, _Pump
    from zhengwu.identity import verify_key
    from zhengwu.store import session_scope

    material = eo._material(args.chars)
    steps: dict[str, list[tuple[float, float]]] = {}

    def span(name: str, fn: Callable[..., Any], *a: Any, **kw: Any) -> Any:
        c, t = time.thread_time(), time.perf_counter()
        out = fn(*a, **kw)
        steps.setdefault(name, []).append(((time.perf_counter() - t) * 1000, (time.thread_time() - c) * 1000))
        return out

    def quota(ident: Any) -> None:
        with session_scope() as s:
            admit(s, ident.caller, "127.0.0.1")

    def drain(pump: _Pump) -> None:
        while pump.next() is not _END:
            pass

    text = ""
    try:
        for i in range(args.n + WARM_UP):
            if i == WARM_UP:
                steps.clear()
            text = f"C第{i}轮。{eo.HEAD}{material}"
            body = {"model": "test-model", "stream": True, "max_tokens": 16,
                    "messages": [{"role": "user", "content": text}]}
            t0 = time.perf_counter()
            ident = span("key check", verify_key, key)
            span("quota count", quota, ident)
            msgs, params = span("parse", lambda: (_messages(body), _params(body)))  # noqa: B023
            g = span("open (policy, rules, safety)", _open, ident, "policy_qa", input=text, request_id=f"r{i}")
            pump = _Pump(_governed_events(g, ident, msgs, params, f"r{i}"))
            span("first step (mask, upstream, first text)", pump.next)
            steps.setdefault("= to the first text", []).append(((time.perf_counter() - t0) * 1000, 0.0))
            span("rest of the stream and the audit record", drain, pump)
    finally:
        recorder.close()

    out = {"n": args.n, "chars": len(text), "load_1min": round(os.getloadavg()[0], 2), "cores": os.cpu_count(),
           "steps_ms": {name: {"wall_p50": round(eo._pct([w for w, _ in v], .5), 2),
                               "wall_p95": round(eo._pct([w for w, _ in v], .95), 2),
                               "cpu_p50": round(eo._pct([c for _, c in v], .5), 2),
                               "cpu_p95": round(eo._pct([c for _, c in v], .95), 2)} for name, v in steps.items()}}
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
        return
    print(f"{args.n} new prompts of {out['chars']} characters, load {out['load_1min']} on {out['cores']} cores "
          "(ms; CPU = this thread's)")
    for name, st in out["steps_ms"].items():
        cpu = f"CPU p50 {st['cpu_p50']:7.2f}  p95 {st['cpu_p95']:7.2f}" if st["cpu_p95"] else ""
        print(f"{name:42s} wall p50 {st['wall_p50']:7.2f}  p95 {st['wall_p95']:7.2f}   {cpu}")


if __name__ == "__main__":
    main()
