"""Load benchmark: N concurrent users (default 50) on search and extractive ask against a real `zhengwu serve`.

    .venv/bin/python bench/load.py [--users 50] [--duration 60 | --requests 2000] [--ask-share 0.5]
        [--think 5] [--workers 1] [--embedder none] [--ingest FILE | --ingest-mb 10]
        [--url http://127.0.0.1:8600] [--server-env KEY=VALUE] [--json]

What it does, and why so:
- The demo knowledge base is built once, as `make demo` does (`zhengwu demo --load-only`, the bundled real
  documents), in a cached scratch home (--cache); every run serves a fresh copy of it, so an upload made by one
  run never changes the next one. The server is `python -m zhengwu serve` on 127.0.0.1 (a free port) with
  `--embedder none` by default: extractive answers over the lexical index, which is what a new installation
  serves before its vectors exist and what the targets are about. Quotas and rate limits are switched off in
  the served process only (50 users from one address would otherwise be rate limited by design).
- Users are asyncio tasks over one httpx client; each sends a request, waits for the answer, reads it for a
  while (--think, mean seconds, exponential: 5 s by default, as a person reading an answer) and asks again;
  `--think 0` sends requests back to back, a stress test far beyond 50 people. Questions are the everyday questions
  citizens ask (tests/qa/data/everyday.jsonl dev split and everyday_team.jsonl train split; never the fresh
  sets kept for measuring answer quality), drawn at random with a fixed seed; a request is a search
  (POST /api/search) or an extractive ask (POST /api/ask) in the --ask-share proportion.
- `--ingest FILE` (or `--ingest-mb N`: a text made of real laws from /work/shared/corpus, concatenated) is
  uploaded through the REST API into the knowledge base the users are searching, while they search; requests
  answered while the job runs are reported apart ("during_ingest"), with the ingestion time and MB/s, and so
  are those after it ("after_ingest": with a --duration longer than the upload, when the servers load or
  rebuild the index of the new document).
- Reported: throughput, p50/p95/p99/max per kind, errors by kind (HTTP status or exception), the machine's
  load average and core count before and after (other processes on a shared machine skew every figure), and
  the server's CPU seconds over the run (its processes and their reaped children, the upload's included) per
  request: steadier than latencies when others share the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np
from ingest_speed import make_text  # the same real-laws text the ingestion benchmark times (bench/ is on the path)

ROOT = Path(__file__).resolve().parent.parent
QUESTION_FILES = (("tests/qa/data/everyday.jsonl", "dev"), ("tests/qa/data/everyday_team.jsonl", "train"))
KB = "demo"
NO_LIMITS = {"ZHENGWU_RATE_USER_PER_MINUTE": "0", "ZHENGWU_QUOTA_USER_DAILY": "0",
             "ZHENGWU_QUOTA_DEPARTMENT_DAILY": "0", "ZHENGWU_QUOTA_ANONYMOUS_DAILY": "0"}


def questions() -> list[str]:
    """The everyday questions allowed for tuning and load (dev + train splits), in file order."""
    out = []
    for rel, split in QUESTION_FILES:
        for line in (ROOT / rel).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row.get("split") == split and row.get("question"):
                out.append(row["question"])
    return out


def _env(home: Path, embedder: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHENGWU_") or k == "ZHENGWU_SHARED"}
    return env | {"ZHENGWU_DATA_DIR": str(home), "ZHENGWU_EMBEDDER": embedder} | NO_LIMITS


def _zhengwu(args: list[str], env: dict[str, str]) -> str:
    r = subprocess.run([sys.executable, "-m", "zhengwu", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if r.returncode:
        raise SystemExit(f"zhengwu {' '.join(args)} failed:\n{r.stdout}\n{r.stderr}")
    return r.stdout


def demo_home(cache: Path, embedder: str) -> Path:
    """The cached demo home (built once like `make demo`, plus an officer API key for uploads)."""
    if not (cache / "bench.key").exists():
        shutil.rmtree(cache, ignore_errors=True)
        env = _env(cache, embedder)
        _zhengwu(["demo", "--load-only"], env)
        key = _zhengwu(["keys", "create", "--app", "load-bench", "--role", "officer"], env).strip().splitlines()[0]
        (cache / "bench.key").write_text(key)
    return cache


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(home: Path, embedder: str, workers: int, extra_env: dict[str, str] | None = None
                 ) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    log = (home / "server.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "zhengwu", "serve", "--host", "127.0.0.1", "--port", str(port),
                             "--workers", str(workers)], cwd=ROOT, env=_env(home, embedder) | (extra_env or {}),
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited ({proc.returncode}); see {home / 'server.log'}")
        try:
            if httpx.get(url + "/readyz", timeout=2).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    proc.terminate()
    raise SystemExit("server did not become ready within 120 s")


def tree_cpu_s(pid: int) -> float:
    """CPU seconds (user + system, reaped children included) of process `pid` and its descendants (Linux /proc;
    0 elsewhere): the server's work per request, steadier than wall-clock latency on a shared machine."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    parents: dict[int, int] = {}
    times: dict[int, int] = {}
    for d in Path("/proc").glob("[0-9]*"):
        try:
            f = (d / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        parents[int(d.name)] = int(f[1])
        times[int(d.name)] = sum(int(x) for x in f[11:15])  # utime stime cutime cstime
    tree, grew = {pid}, True
    while grew:
        more = {p for p, pp in parents.items() if pp in tree} - tree
        tree |= more
        grew = bool(more)
    return sum(times.get(p, 0) for p in tree) / tick


def _pct(xs: list[float]) -> dict:
    if not xs:
        return {"n": 0}
    a = np.asarray(xs) * 1000
    return {"n": len(xs), "p50_ms": round(float(np.percentile(a, 50)), 1),
            "p95_ms": round(float(np.percentile(a, 95)), 1), "p99_ms": round(float(np.percentile(a, 99)), 1),
            "max_ms": round(float(a.max()), 1)}


def summarise(samples: list[tuple[str, float, float, str | None]], seconds: float) -> dict:
    """samples: (kind, start offset, latency, error kind or None) -> throughput, percentiles, errors."""
    errors: dict[str, int] = {}
    for _, _, _, err in samples:
        if err:
            errors[err] = errors.get(err, 0) + 1
    out = {"requests": len(samples), "seconds": round(seconds, 1),
           "throughput_rps": round(len(samples) / seconds, 2) if seconds > 0 else 0.0,
           "errors": sum(errors.values()), "errors_by_kind": errors,
           "all": _pct([lat for _, _, lat, err in samples if not err])}
    for kind in ("search", "ask"):
        out[kind] = _pct([lat for k, _, lat, err in samples if k == kind and not err])
    return out


async def _user(client: httpx.AsyncClient, rng: random.Random, qs: list[str], ask_share: float, think: float,
                stop: asyncio.Event, budget: list[int], samples: list, t0: float) -> None:
    if think > 0:  # users arrive spread over one think time, not all in the same millisecond
        await asyncio.sleep(rng.uniform(0, think))
    while not stop.is_set() and budget[0] != 0:
        budget[0] -= 1
        q = rng.choice(qs)
        kind = "ask" if rng.random() < ask_share else "search"
        path, body = ("/api/ask", {"question": q, "kb": KB}) if kind == "ask" else ("/api/search", {"q": q, "kb": KB})
        start = time.perf_counter()
        err = None
        try:
            r = await client.post(path, json=body)
            if r.status_code != 200:
                try:
                    code = r.json().get("error", {}).get("code") or r.json().get("code")
                except Exception:  # noqa: BLE001 - a non-JSON error page
                    code = None
                err = f"http_{r.status_code}" + (f":{code}" if code else "")
        except httpx.HTTPError as exc:
            err = type(exc).__name__
        samples.append((kind, start - t0, time.perf_counter() - start, err))
        if think > 0:
            await asyncio.sleep(rng.expovariate(1 / think))


async def _ingest(client: httpx.AsyncClient, url: str, key: str, path: Path, window: dict) -> None:
    """Upload `path` into the users' knowledge base and follow its job to the end."""
    hdr = {"Authorization": f"Bearer {key}"}
    t = time.perf_counter()
    window["start"] = t
    with path.open("rb") as fh:
        r = await client.post(f"{url}/api/kb/{KB}/documents", headers=hdr,
                              files={"files": (path.name, fh, "text/plain")}, timeout=600)
    if r.status_code != 202:
        window.update(end=time.perf_counter(), error=f"upload http_{r.status_code}: {r.text[:200]}")
        return
    job_id = r.json()["job_id"]
    while True:
        await asyncio.sleep(0.5)
        try:
            r = await client.get(f"{url}/api/jobs/{job_id}", headers=hdr, timeout=60)
        except httpx.HTTPError:
            continue
        if r.status_code != 200:  # a busy server: look again
            continue
        j = r.json()
        if j.get("status") not in ("pending", "running"):
            break
    end = time.perf_counter()
    mb = path.stat().st_size / 1024 / 1024
    window.update(end=end, status=j.get("status"), job=job_id, mb=round(mb, 2), seconds=round(end - t, 1),
                  mb_per_s=round(mb / (end - t), 3))


async def run_load(url: str, *, users: int, duration: float, requests: int, ask_share: float, think: float,
                   seed: int, ingest: Path | None = None, key: str | None = None, server_pid: int | None = None
                   ) -> dict:
    qs = questions()
    samples: list = []
    window: dict = {}
    limits = httpx.Limits(max_connections=users + 2, max_keepalive_connections=users + 2)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as client:
        # first requests build the in-memory indexes: timed apart, not part of the steady state
        t = time.perf_counter()
        for path, body in (("/api/search", {"q": qs[0], "kb": KB}), ("/api/ask", {"question": qs[0], "kb": KB})):
            (await client.post(path, json=body)).raise_for_status()
        warmup = time.perf_counter() - t
        stop = asyncio.Event()
        budget = [requests if requests > 0 else -1]
        cpu0 = tree_cpu_s(server_pid) if server_pid else 0.0
        t0 = time.perf_counter()
        tasks = [asyncio.create_task(_user(client, random.Random(seed + i), qs, ask_share, think, stop, budget,
                                                samples, t0))
                 for i in range(users)]
        ing = asyncio.create_task(_ingest(client, url, key or "", ingest, window)) if ingest else None
        if requests <= 0:
            await asyncio.sleep(duration)
            if ing is not None:
                await ing  # the run lasts at least until the document is in
            stop.set()
        await asyncio.gather(*tasks)
        if ing is not None:
            await ing
        seconds = time.perf_counter() - t0
        cpu = tree_cpu_s(server_pid) - cpu0 if server_pid else 0.0
    out = {"warmup_s": round(warmup, 2), **summarise(samples, seconds)}
    if server_pid:  # with --ingest this includes the upload's own work
        out["server_cpu_s"] = round(cpu, 1)
        out["server_cpu_ms_per_request"] = round(1000 * cpu / max(len(samples), 1), 1)
    if window:
        a, b = window.pop("start") - t0, window.pop("end") - t0
        during = [s for s in samples if a <= s[1] <= b]
        out["ingest"] = window
        out["during_ingest"] = summarise(during, b - a)
        after = [x for x in samples if x[1] > b]  # the document is in: do the servers rebuild now?
        if after:
            out["after_ingest"] = summarise(after, seconds - b)
    return out


def _setting(kv: str) -> tuple[str, str]:
    key, eq, value = kv.partition("=")
    if not eq or not key.startswith("ZHENGWU_"):
        raise argparse.ArgumentTypeError(f"expected ZHENGWU_NAME=VALUE, got {kv!r}")
    return key, value


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--duration", type=float, default=60.0, help="seconds of load (with --ingest: at least "
                    "until the document is in)")
    ap.add_argument("--requests", type=int, default=0, help="stop after this many requests instead")
    ap.add_argument("--ask-share", type=float, default=0.5, help="share of requests that are extractive asks")
    ap.add_argument("--think", type=float, default=5.0, help="a user's mean pause between two requests, in "
                    "seconds (exponential; reading the answer); 0 = back-to-back requests, a stress test")
    ap.add_argument("--workers", type=int, default=1, help="server worker processes (zhengwu serve --workers)")
    ap.add_argument("--embedder", default="none", help="the server's embedder (default none: lexical answers)")
    ap.add_argument("--ingest", type=Path, help="a file to upload while the users search")
    ap.add_argument("--ingest-mb", type=float, default=0, help="make and upload a text of this many MB of real "
                    "laws from the shared corpus")
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "zhengwu-load-bench",
                    help="where the demo home and the ingest text are kept between runs")
    ap.add_argument("--url", help="load an already running server instead (no upload unless --key)")
    ap.add_argument("--key", help="officer API key for --url with --ingest")
    ap.add_argument("--server-env", action="append", default=[], metavar="KEY=VALUE", type=_setting,
                    help="a setting for the served process only (e.g. ZHENGWU_INGEST_NICE=0); repeatable")
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    ingest = a.ingest or (make_text(a.cache / f"laws-{a.ingest_mb:g}mb.txt", a.ingest_mb)
                          if a.ingest_mb else None)
    load_before = os.getloadavg()
    proc, run_home, key = None, None, a.key
    try:
        if a.url:
            url = a.url
        else:
            a.cache.mkdir(parents=True, exist_ok=True)
            cached = demo_home(a.cache / f"home-{a.embedder}", a.embedder)
            run_home = Path(tempfile.mkdtemp(prefix="run-", dir=a.cache))
            shutil.copytree(cached, run_home, dirs_exist_ok=True)
            key = key or (run_home / "bench.key").read_text().strip()
            proc, url = start_server(run_home, a.embedder, a.workers, dict(a.server_env))
        res = asyncio.run(run_load(url, users=a.users, duration=a.duration, requests=a.requests,
                                   ask_share=a.ask_share, think=a.think, seed=a.seed, ingest=ingest, key=key,
                                   server_pid=proc.pid if proc is not None else None))
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
        if run_home is not None:  # the server's log of the last run stays for a look at any error
            shutil.copy(run_home / "server.log", a.cache / "last-server.log")
            shutil.rmtree(run_home, ignore_errors=True)
    res = {"users": a.users, "think_s": a.think, "ask_share": a.ask_share, "workers": a.workers,
           "embedder": a.embedder, "server_env": [f"{k}={v}" for k, v in a.server_env],
           "cores": os.cpu_count(), "loadavg_before": [round(x, 2) for x in load_before],
           "loadavg_after": [round(x, 2) for x in os.getloadavg()], **res}
    if a.json:
        print(json.dumps(res, ensure_ascii=False, indent=1))
    else:
        _print(res)
    return res


def _print(r: dict) -> None:
    print(f"{r['users']} users (think {r['think_s']} s) · {r['workers']} worker(s) · embedder {r['embedder']} · "
          f"{r['cores']} cores · load {r['loadavg_before']} -> {r['loadavg_after']} · warm-up {r['warmup_s']} s")
    if "server_cpu_s" in r:
        print(f"server CPU {r['server_cpu_s']} s = {r['server_cpu_ms_per_request']} ms per request")
    sections = [("all", r)] + [(k.replace("_", " "), r[k]) for k in ("during_ingest", "after_ingest") if k in r]
    for name, s in sections:
        print(f"[{name}] {s['requests']} requests in {s['seconds']} s = {s['throughput_rps']} req/s · "
              f"errors {s['errors']} {s['errors_by_kind'] or ''}")
        for kind in ("search", "ask"):
            p = s[kind]
            if p["n"]:
                print(f"  {kind:6} n={p['n']:5}  p50 {p['p50_ms']:8.1f}  p95 {p['p95_ms']:8.1f}  "
                      f"p99 {p['p99_ms']:8.1f}  max {p['max_ms']:8.1f} ms")
    if "ingest" in r:
        print("ingest:", r["ingest"])


if __name__ == "__main__":
    main()
