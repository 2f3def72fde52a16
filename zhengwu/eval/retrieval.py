"""Retrieval benchmark: does search put the document that holds the answer first?

Why it is shaped like this: it measures the product path, not a copy of it. The corpus is ingested with
`ingest_paths` into a fresh temporary store (its own data directory and SQLite file), chunks are embedded
with `embed_pending` (vectors cached across runs by model and text hash, so a rerun costs seconds), and every
question goes through `zhengwu.kb.search.search` exactly as a user's would. The BM25 baseline is measured in
the same run on the same documents: whole-document BM25 over jieba search-mode tokens, the published
reference method.

Metrics over the gold `docid`: Recall@1, Recall@5, MRR@10, and search latency (mean and p95, in ms). Search shows
one copy of a group of near-duplicate documents; a copy of the gold document counts as it (the `_exact` keys do not).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from sqlalchemy import select

from zhengwu.cli.progress import progress_bar
from zhengwu.context import Caller
from zhengwu.errors import ZhengwuError
from zhengwu.eval.store import temporary_store

from zhengwu.gateway import embedder_name, govern
from zhengwu.kb.dense import VectorCache, embed_pending
from zhengwu.kb.ingest import ingest_paths
from zhengwu.kb.lexical import LexicalIndex
from zhengwu.kb.models import Chunk, Document
from zhengwu.kb.search import search
from zhengwu.kb.tokenize import index_tokens
from zhengwu.store.db import session_scope

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CORPUS = ROOT.parent / "shared" / "eval" / "policy_qa" / "corpus.jsonl"
DEFAULT_QUESTIONS = ROOT.parent / "shared" / "eval" / "policy_qa" / "questions.dev.jsonl"
KB_NAME = "eval"


def cache_dir() -> Path:
    return Path(os.environ.get("ZHENGWU_CACHE_DIR", Path.home() / ".cache" / "zhengwu"))


def load_questions(path: Path, limit: int | None = None) -> list[dict]:
    if not Path(path).is_file():
        raise ZhengwuError("eval_missing", f"找不到问题文件：{path}", f"Questions file not found: {path}")
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                q = json.loads(line)
                if q.get("question") and q.get("docid"):
                    out.append(q)
    return out[:limit] if limit else out


def _rank_of(r: list[str], g: str, copies: dict[str, set[str]]) -> int | None:
    """1-based rank of the gold document, a near-duplicate copy of it counting as it (search shows one copy of a
    group, "同文另见"); None when absent."""
    for j, d in enumerate(r):
        if d == g or g in copies.get(d, ()):
            return j + 1
    return None


def _metrics(ranked: list[list[str]], gold: list[str], latencies: list[float],
             copies: dict[str, set[str]] | None = None) -> dict:
    n = len(gold)
    ranks = [_rank_of(r, g, copies or {}) for r, g in zip(ranked, gold)]
    r1 = sum(1 for x in ranks if x == 1) / n if n else 0.0
    r5 = sum(1 for x in ranks if x is not None and x <= 5) / n if n else 0.0
    mrr = sum(1.0 / x for x in ranks if x is not None and x <= 10)
    lat = sorted(latencies)
    p95 = lat[min(len(lat) - 1, int(round(0.95 * (len(lat) - 1))))] if lat else 0.0
    return {"n": n, "recall@1": round(r1, 4), "recall@5": round(r5, 4), "mrr@10": round(mrr / n if n else 0.0, 4),
            "mean_ms": round(statistics.fmean(lat), 2) if lat else 0.0, "p95_ms": round(p95, 2)}


def _say(progress: bool, msg: str) -> None:
    if progress:
        print(msg, file=sys.stderr, flush=True)


def run(corpus: Path, questions: Path, *, k: int = 10, limit: int | None = None, dense: bool = True,
        progress: bool = True, details: Path | None = None) -> dict:
    """Ingest `corpus` into a temporary store, ask every question, and return the figures."""
    corpus, questions = Path(corpus), Path(questions)
    if not corpus.is_file():
        raise ZhengwuError("eval_missing", f"找不到语料文件：{corpus}", f"Corpus file not found: {corpus}")
    qs = load_questions(questions, limit)
    caller = Caller(user="eval", department="eval", role="admin")
    with temporary_store("zhengwu-eval-"):
        t0 = time.perf_counter()
        with progress_bar("入库 ingest → eval", enabled=progress) as on_progress:
            report = ingest_paths([corpus], kb=KB_NAME, caller=caller, on_progress=on_progress)
        ingest_s = time.perf_counter() - t0
        if report.failed:
            _say(progress, f"入库失败 failed: {report.failed[:3]}")
        emb = embedder_name() if dense else None
        embedded = 0
        if emb is not None:
            _say(progress, f"向量化 embedding with {emb} (cache: {cache_dir() / 'vectors.sqlite'})")
            t1 = time.perf_counter()
            embedded = embed_pending(None, progress=progress, cache=VectorCache(cache_dir() / "vectors.sqlite"))
            _say(progress, f"向量化完成 embedded {embedded} chunks in {time.perf_counter() - t1:.1f} s")

        with session_scope() as s:
            # gold ids are the corpus docids, stored as Document.external_id
            ext_of = {d: e for d, e in s.execute(select(Document.id, Document.external_id))}
            # BM25 baseline: whole documents, jieba search-mode tokens, no boosts, no query cleanup
            doc_tokens: dict[int, list[str]] = {}
            for did, toks in s.execute(select(Chunk.document_id, Chunk.tokens).order_by(Chunk.document_id,
                                                                                         Chunk.ordinal)):
                doc_tokens.setdefault(did, []).extend((toks or "").split())
        base_ids = list(doc_tokens)
        base_index = LexicalIndex([doc_tokens[d] for d in base_ids])

        modes = ["hybrid", "lexical"] + (["dense"] if emb is not None else [])
        ranked: dict[str, list[list[str]]] = {m: [] for m in modes + ["baseline"]}
        lat: dict[str, list[float]] = {m: [] for m in modes + ["baseline"]}
        gold = [str(q["docid"]) for q in qs]
        with session_scope() as s:
            search(s, caller, "预热", kb=KB_NAME, k=k)  # builds the in-memory indexes
            embed_lat: list[float] = []
            search_only: list[float] = []
            for i, q in enumerate(qs):
                t = time.perf_counter()
                if emb is not None:  # the embedder caches it: the searches below reuse this vector
                    with govern(caller, "kb_search", input=q["question"].strip(), decisions="off") as g:
                        g.embed_query(g.masked)
                t_embed = (time.perf_counter() - t) * 1000
                embed_lat.append(t_embed)
                for m in modes:
                    t = time.perf_counter()
                    hits = search(s, caller, q["question"], kb=KB_NAME, k=k, mode=m)
                    ms = (time.perf_counter() - t) * 1000
                    if m == "hybrid":
                        search_only.append(ms)
                        ms += t_embed if emb is not None else 0.0
                    lat[m].append(ms)
                    ranked[m].append([h.external_id or "" for h in hits])
                t = time.perf_counter()
                sc = base_index.scores(index_tokens(q["question"]))
                top = np.argsort(-sc)[:k]
                lat["baseline"].append((time.perf_counter() - t) * 1000)
                ranked["baseline"].append([ext_of.get(base_ids[j]) or "" for j in top if sc[j] > 0])
                if progress and (i + 1) % 100 == 0:
                    _say(progress, f"已提问 asked {i + 1}/{len(qs)}")
        if details:  # the product path's ranking (hybrid), one line per question
            with open(details, "w", encoding="utf-8") as fh:
                for i, q in enumerate(qs):
                    fh.write(json.dumps({"qid": q.get("qid", i), "ranked": ranked["hybrid"][i]},
                                        ensure_ascii=False) + "\n")
        with session_scope() as s:  # near-duplicate groups (kb/dedup.py): a copy of the gold document counts
            groups: dict[int, set[str]] = {}
            for ext, grp in s.execute(select(Document.external_id, Document.dup_group)):
                if grp is not None and ext:
                    groups.setdefault(grp, set()).add(ext)
        copies = {d: members for members in groups.values() for d in members}
        exact = _metrics(ranked["hybrid"], gold, lat["hybrid"])
        res = _metrics(ranked["hybrid"], gold, lat["hybrid"], copies)
        res["recall@1_exact"], res["recall@5_exact"] = exact["recall@1"], exact["recall@5"]
        res["mode"] = "hybrid" if emb is not None else "lexical (no embedder)"
        so = _metrics(ranked["hybrid"], gold, search_only)
        res["search_only_mean_ms"], res["search_only_p95_ms"] = so["mean_ms"], so["p95_ms"]
        if emb is not None:
            el = sorted(embed_lat)
            res["query_embed_mean_ms"] = round(statistics.fmean(el), 2)
            res["query_embed_p95_ms"] = round(el[int(round(0.95 * (len(el) - 1)))], 2)
        res["baseline"] = {**_metrics(ranked["baseline"], gold, lat["baseline"], copies),
                           "method": "BM25 over whole documents, jieba search-mode tokens"}
        res["lexical"] = _metrics(ranked["lexical"], gold, lat["lexical"], copies)
        if "dense" in ranked:
            res["dense"] = _metrics(ranked["dense"], gold, lat["dense"], copies)
        res["embedder"] = emb or "none"
        res["documents"] = report.added + report.unchanged + report.replaced
        res["ingest_s"] = round(ingest_s, 2)
        res["embedded"] = embedded
        res["k"] = k
        res["corpus"] = str(corpus)
        res["questions"] = str(questions)
        return res


def format_report(r: dict) -> str:
    def line(name: str, m: dict) -> str:
        return (f"{name:<26} R@1 {m['recall@1']:.3f}  R@5 {m['recall@5']:.3f}  MRR@10 {m['mrr@10']:.3f}  "
                f"mean {m['mean_ms']:.1f} ms  p95 {m['p95_ms']:.1f} ms")

    out = [f"检索基准 retrieval benchmark — {r['n']} 问题 questions, {r['documents']} 文档 documents, "
           f"embedder {r['embedder']}",
           line(f"zhengwu {r['mode']}", r)]
    out.append(line("zhengwu lexical", r["lexical"]))
    if "dense" in r:
        out.append(line("zhengwu dense", r["dense"]))
    out.append(line("baseline BM25 (documents)", r["baseline"]))
    out.append(f"latency of zhengwu {r['mode']}: includes embedding the query"
               + (f" (mean {r['query_embed_mean_ms']:.1f} ms, p95 {r['query_embed_p95_ms']:.1f} ms)"
                  if "query_embed_mean_ms" in r else "")
               + f"; search alone mean {r['search_only_mean_ms']:.1f} ms, p95 {r['search_only_p95_ms']:.1f} ms")
    return "\n".join(out)
