"""Gateway overhead: everything but the generative model's call, for a 2,000-character prompt (issue 14's
target: p95 <= 15 ms including the person-name model; the 5 ms of the first one-door issue predates that model).

The model is an in-process echo backend registered for this benchmark only, so the measured time is the
gateway's own work: scenario policy, decision-request rules, PII masking (pseudonym mode), injection
defanging, restore, lexicon check, labels and the hash-chained audit write (a real SQLite commit).

    .venv/bin/python bench/gateway_overhead.py [--n 300] [--chars 2000] [--scenario policy_qa] [--json]
        [--fresh] [--name-gate] [--no-name-model]

--no-name-model turns the LAC person-name model off (setting pii_name_model): the rules' share alone.

Every call sends the same prompt, so from the second call on the person-name model's clause cache answers:
that is the cost of a text already seen. --fresh empties that cache before every call, so each call pays
what a new prompt pays (whole windows of other texts would do too, but the laws and policies of the corpus
trip the decision-request rule, which refuses before the model is reached).

The prompt is real text: the service guides of ../shared/corpus (default) or the repository's
tests/fixtures/xingzheng_chufa_fa_excerpt.md, with a name, an ID number and a phone number in it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from zhengwu.context import Caller  # noqa: E402
from zhengwu.gateway import complete, pii  # noqa: E402
from zhengwu.gateway.backends import ChatResult, use_backend  # noqa: E402
from zhengwu.gateway.metrics import OVERHEAD  # noqa: E402,F401 - loads the overhead metric
from zhengwu.gateway.pii import ner  # noqa: E402


TARGET_MS = 15.0  # issue 14: p95 for a 2,000-character prompt, the name model included


class EchoBackend:
    """Returns the last user message (so pseudonyms are restored) without any I/O."""

    name = "echo"
    model = "echo"

    def chat(self, messages, **params):  # noqa: ANN001, ANN003, ANN201
        last = next(m["content"] for m in reversed(messages) if m["role"] == "user")
        return ChatResult("已收到您的问题：" + last[:200], "echo", {"prompt_tokens": 0, "completion_tokens": 0})

    def stream(self, messages, **params):  # noqa: ANN001, ANN003, ANN201
        res = self.chat(messages)
        yield res.text
        yield res


def _text(chars: int, corpus: Path) -> str:
    parts: list[str] = []
    if corpus.exists():
        for line in corpus.read_text(encoding="utf-8").splitlines():
            parts.append(json.loads(line).get("full_text", ""))
            if sum(map(len, parts)) > chars * 2:
                break
    else:
        parts.append((ROOT / "tests/fixtures/xingzheng_chufa_fa_excerpt.md").read_text(encoding="utf-8"))
    body = "".join(parts).replace("\n", "")
    head = "我叫王小明，身份证号11010519491231002X，手机13812345678。请根据以下材料回答我的问题："
    return (head + body)[:chars]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--chars", type=int, default=2000)
    ap.add_argument("--scenario", default="policy_qa")
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/corpus/services/service_guides.jsonl")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--fresh", action="store_true", help="empty the name model's clause cache before every call")
    ap.add_argument("--name-gate", action="store_true", help="the setting pii_name_model_gate on")
    ap.add_argument("--no-name-model", action="store_true", help="the setting pii_name_model off")
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="zw-bench-")
    for k in [k for k in os.environ if k.startswith("ZHENGWU_")]:
        del os.environ[k]
    os.environ["ZHENGWU_DATA_DIR"] = tmp
    if args.name_gate:
        os.environ["ZHENGWU_PII_NAME_MODEL_GATE"] = "true"
    if args.no_name_model:
        os.environ["ZHENGWU_PII_NAME_MODEL"] = "false"
    # time spent inside the PII module (scan/mask/restore), to split the overhead between PII and the rest
    pii_time = [0.0]
    depth = [0]

    def timed(fn):  # noqa: ANN001, ANN202
        def wrapper(*a, **kw):  # noqa: ANN002, ANN003, ANN202
            depth[0] += 1
            t = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                depth[0] -= 1
                if depth[0] == 0:  # mask() may call scan(): count the outermost call only
                    pii_time[0] += time.perf_counter() - t
        return wrapper

    pii.mask, pii.restore, pii.scan = timed(pii.mask), timed(pii.restore), timed(pii.scan)
    use_backend(EchoBackend())
    prompt = _text(args.chars, args.corpus)
    caller = Caller("bench", "办公厅", "user")
    msgs = [{"role": "user", "content": prompt}]
    for i in range(20):  # warm-up: imports, lexicon, SQLite schema, jieba
        complete(caller, args.scenario, msgs, conversation_id=f"w{i}")
    totals: list[float] = []
    masks: list[float] = []
    own: list[float] = []
    cpu: list[float] = []
    for i in range(args.n):
        if args.fresh:
            ner._cache.clear()
        pii_time[0] = 0.0
        c0 = time.thread_time()
        t0 = time.perf_counter()
        comp = complete(caller, args.scenario, msgs, conversation_id=f"c{i % 50}")
        total = (time.perf_counter() - t0) * 1000
        cpu.append((time.thread_time() - c0) * 1000)
        totals.append(total)
        masks.append(pii_time[0] * 1000)
        own.append(total - pii_time[0] * 1000)
    assert "王小明" in comp.text and comp.label

    def pct(xs: list[float], p: float) -> float:
        xs = sorted(xs)
        return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]

    out = {"n": args.n, "chars": len(prompt), "scenario": args.scenario, "fresh": args.fresh,
           "name_model": not args.no_name_model,
           "overhead_ms": {"p50": round(pct(totals, 50), 3), "p95": round(pct(totals, 95), 3),
                           "p99": round(pct(totals, 99), 3), "mean": round(statistics.mean(totals), 3)},
           "inside_pii_ms": {"p50": round(pct(masks, 50), 3), "p95": round(pct(masks, 95), 3)},
           "gateway_without_pii_ms": {"p50": round(pct(own, 50), 3), "p95": round(pct(own, 95), 3)},
           "overhead_cpu_ms": {"p50": round(pct(cpu, 50), 3), "p95": round(pct(cpu, 95), 3)},
           "load_average_1min": round(os.getloadavg()[0], 2), "cpus": os.cpu_count(),
           "target_p95_ms": TARGET_MS}
    out["meets_target"] = out["overhead_ms"]["p95"] <= TARGET_MS
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
    else:
        o = out["overhead_ms"]
        kind = "new" if args.fresh else "repeated"
        model = "on" if out["name_model"] else "off"
        print(f"gateway overhead for a {kind} {out['chars']}-character prompt ({args.n} calls, scenario "
              f"{args.scenario}, name model {model}):\n"
              f"  p50 {o['p50']} ms  p95 {o['p95']} ms  p99 {o['p99']} ms  mean {o['mean']} ms  "
              f"(target p95 <= {TARGET_MS:g} ms: {'met' if out['meets_target'] else 'NOT met'})\n"
              f"  CPU time of the calling thread: p50 {out['overhead_cpu_ms']['p50']} ms, "
              f"p95 {out['overhead_cpu_ms']['p95']} ms (load average {out['load_average_1min']} on {out['cpus']} CPUs)\n"
              f"  inside the PII module (mask + restore): p50 {out['inside_pii_ms']['p50']} ms, "
              f"p95 {out['inside_pii_ms']['p95']} ms\n"
              f"  everything else (policy, rules, injection, lexicon, labels, audit commit): "
              f"p50 {out['gateway_without_pii_ms']['p50']} ms, p95 {out['gateway_without_pii_ms']['p95']} ms")


if __name__ == "__main__":
    main()
