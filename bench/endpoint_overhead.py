"""Streamed first token through the governed /v1 endpoint vs directly against llama.cpp, in one run.

Starts a real llama.cpp server (llama-cpp-python[server] + the gemma3-270m GGUF from PyPI, `make llama`) and
the real `zhengwu serve` over a temporary installation pointed at it, creates an API key with the real CLI,
then sends the same request both ways in pairs, interleaved (direct, /v1, /v1, direct, direct, /v1 …: each
pair swaps which goes first, so a slow spell favours neither side). Same max_tokens, temperature 0. "First
token" is the first chunk with non-empty text as the client sees it: through /v1 that includes the key and
quota checks, policy, masking, the restore buffer and the lexicon hold-back. Each prompt starts with a letter
(A for the pair's first request, B for its second) and the pair's number, so llama.cpp's prompt cache (it
reuses the longest common prefix with the previous prompt) helps neither request beyond the chat template's
first tokens. The direct request carries the prompt as the door sends it upstream (the name and phone
replaced by their pseudonyms, 【姓名1】…, by the same masking function), so the model reads the same tokens
both ways and the difference is the door's; `--raw-direct` sends the citizen's raw text directly instead.

Why pairs and their differences: on a shared machine the model's own time swings by far more than the
gateway adds; the difference within a pair (seconds apart, the same prompt) cancels most of that swing, and
its p50 / p95 is the figure to judge. The load average before and after and the core count are reported with it.

`--baseline DIR` also starts a second `zhengwu serve` from another checkout (e.g. `git archive main | tar -x -C
DIR`) on the same data directory and key, and sends every request three ways per round — direct, /v1 of this
checkout, /v1 of DIR — in an order that cycles through all six permutations: before and after a change are
then measured in one run, under the same load, and `after_minus_before_ms` is their difference per round.

Without llama.cpp (`--upstream recording`, or `auto` when it is not installed) the upstream is the recording
OpenAI-compatible server of tests/gateway/conftest.py, which answers at once: the figure is then the
gateway's own cost, not a comparison with a real model — the output says which upstream was used.

    .venv/bin/python bench/endpoint_overhead.py [--n 30] [--chars 300] [--max-tokens 16]
        [--upstream auto|llama|recording] [--raw-direct] [--baseline DIR] [--threads N] [--json]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# the gateway's own OpenAI-protocol address rule: no model URL is spelled outside zhengwu/gateway/
from zhengwu.gateway import mask_pii  # noqa: E402
from tests.conftest import free_port  # noqa: E402
from tests.llama_server import MODEL_ALIAS, llama_server, missing  # noqa: E402
from zhengwu.gateway.backends import chat_endpoint  # noqa: E402
HEAD = "我叫王小明，手机13812345678。请根据以下材料简要回答：生育津贴怎么申请？"


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
    shared = Path(os.environ.get("ZHENGWU_SHARED", ROOT.parent / "shared"))
    corpus = shared / "corpus" / "services" / "service_guides.jsonl"
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


def _load() -> dict:
    one, five, _ = os.getloadavg()
    return {"load1": round(one, 2), "load5": round(five, 2)}


def _stats(xs: list[float]) -> dict:
    return {"p50": round(_pct(xs, .5) * 1000, 1), "p95": round(_pct(xs, .95) * 1000, 1),
            "mean": round(statistics.mean(xs) * 1000, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=30, help="pairs measured (after one warm-up pair)")
    ap.add_argument("--chars", type=int, default=300, help="prompt length in characters")
    ap.add_argument("--max-tokens", type=int, default=16)
    ap.add_argument("--upstream", choices=("auto", "llama", "recording"), default="auto")
    ap.add_argument("--raw-direct", action="store_true", help="send the unmasked prompt on the direct path")
    ap.add_argument("--threads", type=int, help="llama.cpp's threads (default: its own choice); 1 on a machine "
                    "whose cores are taken, where its threads would wait for each other")
    ap.add_argument("--baseline", type=Path, help="another checkout whose /v1 is measured in the same rounds")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    upstream = args.upstream
    if upstream == "auto":
        upstream = "recording" if missing() else "llama"
    elif upstream == "llama" and missing():
        raise SystemExit(missing())

    tmp = Path(tempfile.mkdtemp(prefix="zw-endpoint-bench-"))
    procs: list[subprocess.Popen] = []
    recorder = None
    stack = ExitStack()
    try:
        if upstream == "llama":
            model_url = stack.enter_context(llama_server(tmp / "llama.log", threads=args.threads, start_seconds=240))
            model = MODEL_ALIAS
        else:  # the tests' recording server: answers at once, in 3-character pieces
            from tests.gateway.conftest import ModelServer

            recorder = ModelServer()
            recorder.httpd.handle_error = lambda *a: None  # a client leaving after its first token is expected
            recorder.httpd.RequestHandlerClass.disable_nagle_algorithm = True  # no 40 ms delayed-ACK stalls
            model_url, model = recorder.url, "test-model"
        env = {k: v for k, v in os.environ.items() if not k.startswith("ZHENGWU_") or k == "ZHENGWU_SHARED"}
        env.update(ZHENGWU_DATA_DIR=str(tmp / "data"), ZHENGWU_CONFIG=str(tmp / "zhengwu.toml"),
                   ZHENGWU_EMBEDDER="none", ZHENGWU_LLM_BACKEND="openai", ZHENGWU_LLM_URLS=json.dumps([model_url]),
                   ZHENGWU_LLM_MODEL=model, ZHENGWU_LLM_TIMEOUT="300", ZHENGWU_QUOTA_USER_DAILY="0",
                   ZHENGWU_RATE_USER_PER_MINUTE="0")
        key = subprocess.run([sys.executable, "-m", "zhengwu", "keys", "create", "--app", "bench", "--scenario",
                              "policy_qa", "--department", "办公厅"], env=env, cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.strip()
        gateways = {"v1": ROOT}
        if args.baseline:
            gateways["v1_before"] = args.baseline.resolve()
        paths = {"direct": (chat_endpoint(model_url), {})}  # the baseline: the model server on its own
        for name, checkout in gateways.items():  # `python -m zhengwu` in a checkout runs that checkout's code
            zport = free_port()
            procs.append(subprocess.Popen([sys.executable, "-m", "zhengwu", "serve", "--host", "127.0.0.1", "--port",
                                           str(zport)], env=env, cwd=checkout, stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL))
            gw = f"http://127.0.0.1:{zport}"
            _wait(gw + "/healthz", procs[-1])
            paths[name] = (chat_endpoint(gw), {"Authorization": f"Bearer {key}"})
        material = _material(args.chars)
        times: dict[str, list[float]] = {name: [] for name in paths}
        orders = list(itertools.permutations(paths))  # each path first, second (and third) equally often
        load_before = _load()
        for i in range(args.n + 1):
            order = orders[i % len(orders)]
            bodies = {}
            for name, tag in zip(order, "ABC"):  # the first character differs: no cache reuse within the round
                text = f"{tag}第{i}轮。{HEAD}{material}"
                if name == "direct" and not args.raw_direct:  # policy_qa pseudonymises: what the door sends up
                    text = mask_pii(text, mode="pseudonym").text
                bodies[name] = {"model": model, "stream": True, "max_tokens": args.max_tokens, "temperature": 0,
                                "messages": [{"role": "user", "content": text}]}
            pair = {name: _first_token(*paths[name], bodies[name]) for name in order}
            if i:  # round 0 warms every path up
                for name in pair:
                    times[name].append(pair[name])
        load_after = _load()
    finally:
        for p in reversed(procs):
            p.terminate()
            p.wait(20)
        stack.close()
        if recorder is not None:
            recorder.close()
    diff = [v - d for d, v in zip(times["direct"], times["v1"])]
    out = {"upstream": "llama.cpp gemma3-270m" if upstream == "llama" else "recording server (no model)",
           "llama_threads": args.threads,
           "direct_prompt": "raw" if args.raw_direct else "as the door sends it", "n_pairs": args.n,
           "chars": len(f"A第0轮。{HEAD}{material}"), "max_tokens": args.max_tokens,
           "cores": os.cpu_count(), "load_before": load_before, "load_after": load_after,
           "direct_ms": _stats(times["direct"]), "via_v1_ms": _stats(times["v1"]), "added_ms": _stats(diff)}
    if args.baseline:
        out["baseline"] = str(args.baseline)
        out["via_v1_before_ms"] = _stats(times["v1_before"])
        out["added_before_ms"] = _stats([b - d for d, b in zip(times["direct"], times["v1_before"])])
        out["after_minus_before_ms"] = _stats([a - b for a, b in zip(times["v1"], times["v1_before"])])
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
        return
    print(f"upstream {out['upstream']}  pairs {args.n}  prompt {out['chars']} chars  max_tokens {args.max_tokens}  "
          f"direct prompt {out['direct_prompt']}")
    print(f"cores {out['cores']}  load before {load_before['load1']}/{load_before['load5']}  "
          f"after {load_after['load1']}/{load_after['load5']} (1/5 min)")
    for k in [k for k in out if k.endswith("_ms")]:
        print(f"{k:21s} p50 {out[k]['p50']:8.1f}  p95 {out[k]['p95']:8.1f}  mean {out[k]['mean']:8.1f}")


if __name__ == "__main__":
    main()
