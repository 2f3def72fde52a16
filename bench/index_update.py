"""What a one-document change costs the search index (issue 15: a new document does not rebuild the collection).

    .venv/bin/python bench/index_update.py --data-dir D --doc FILE [--code DIR] [--rounds 2] [--json]

D is a data directory holding a knowledge base whose index is saved (e.g. after `zhengwu demo --load-only`, or
`zhengwu ingest` of the 100 MB text of bench/ingest_speed.py); FILE a real document that is not in it. Each round
runs one fresh process (its working directory is --code, so that checkout's code runs: "before" is a `git archive`
of an earlier commit) which, with ZHENGWU_EMBEDDER=none:
1. loads the saved index (`load`: what a server or CLI process pays at start);
2. ingests FILE in-process as `zhengwu ingest` does (`add`: the whole ingestion until the document is searchable;
   `add_index`: the part of it spent in `save_index_after_ingest`, the index update and its save);
3. forgets its indexes, loads the saved one as a server would (`reload`) and checks that a search for the document's
   title finds the new document first;
4. deletes the document and times the update a server makes when it finds its index stale (`delete_index`:
   `_update` with the previous collection in memory, as the server's update thread runs it).
Reported per step: wall seconds and CPU seconds of the process (`time.process_time`: every thread), medians over
rounds. The store ends as it began (the document deleted; versions and ids move on).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, sys, time
from pathlib import Path
from sqlalchemy import select
from zhengwu.context import cli_caller
from zhengwu.kb import search as S
from zhengwu.kb.ingest import ingest_paths
from zhengwu.kb.manage import delete_document, readable_kbs
from zhengwu.kb.models import Document, KnowledgeBase
from zhengwu.store.db import session_scope

doc, kb_name = Path(sys.argv[1]), sys.argv[2]
caller = cli_caller()
out = {}

def clock():
    return time.perf_counter(), time.process_time()

def since(t, name):
    out[name] = {"wall": round(time.perf_counter() - t[0], 3), "cpu": round(time.process_time() - t[1], 3)}

def collection():
    with session_scope() as s:
        kbs = [k for k in readable_kbs(s, caller) if k.name == kb_name]
        return S.get_collection(s, kbs)

t = clock(); col = collection(); since(t, "load")
out["chunks_before"] = len(col.chunk_ids)
real_save = S.save_index_after_ingest
import zhengwu.kb.ingest as ingest_mod

def timed_save(kb_id):
    t = clock(); r = real_save(kb_id); since(t, "add_index"); return r

ingest_mod.save_index_after_ingest = timed_save
t = clock(); report = ingest_paths([doc], kb=kb_name, caller=caller); since(t, "add")
assert report.added == 1, report
S.clear_indexes()
t = clock(); col = collection(); since(t, "reload")
out["chunks_after"] = len(col.chunk_ids)
with session_scope() as s:
    new = s.scalar(select(Document).order_by(Document.id.desc()).limit(1))
    new_id, title = new.id, new.title
    hits = S.search(s, caller, title, kb=kb_name, k=5, mode="lexical")
    out["found_first"] = bool(hits) and hits[0].document_id == new_id
with session_scope() as s:
    delete_document(s, caller, kb_name, new_id)
with session_scope() as s:
    kbs = [k for k in readable_kbs(s, caller) if k.name == kb_name]
    versions = tuple(sorted((k.id, k.version) for k in kbs))
    t = clock()
    new_col = S._update(s, versions, col, S._fingerprint(s, [k for k, _ in versions]), wait=True)
    since(t, "delete_index")
    assert new_col is not None and len(new_col.chunk_ids) == out["chunks_before"]
print(json.dumps(out))
"""

STEPS = ("load", "add", "add_index", "reload", "delete_index")


def run_round(code: Path, data_dir: Path, doc: Path, kb: str) -> dict:
    env = dict(os.environ) | {"ZHENGWU_DATA_DIR": str(data_dir), "ZHENGWU_EMBEDDER": "none"}
    r = subprocess.run([sys.executable, "-c", CHILD, str(doc), kb], cwd=code, env=env, capture_output=True,
                       text=True)
    if r.returncode != 0:
        raise SystemExit(f"round failed ({code}):\n{r.stderr[-3000:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data-dir", type=Path, required=True)
    ap.add_argument("--doc", type=Path, required=True, help="a real document not yet in the knowledge base")
    ap.add_argument("--kb", default="bench", help="knowledge base to add the document to (default: bench)")
    ap.add_argument("--code", type=Path, default=ROOT, help="checkout whose code runs (default: this one)")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rounds = [run_round(args.code.resolve(), args.data_dir.resolve(), args.doc.resolve(), args.kb)
              for _ in range(args.rounds)]
    summary = {"code": str(args.code), "data_dir": str(args.data_dir), "rounds": rounds,
               "chunks": rounds[0]["chunks_before"], "found_first": all(r["found_first"] for r in rounds),
               "load_avg": os.getloadavg()}
    for step in STEPS:
        summary[step] = {k: round(statistics.median(r[step][k] for r in rounds), 3) for k in ("wall", "cpu")}
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
        return
    print(f"{summary['chunks']} chunks, code {args.code}, found first: {summary['found_first']}")
    for step in STEPS:
        print(f"  {step:13s} wall {summary[step]['wall']:8.3f} s   cpu {summary[step]['cpu']:8.3f} s")


if __name__ == "__main__":
    main()
