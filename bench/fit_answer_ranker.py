"""Fit the extractive answer ranker (zhengwu/qa/ranker.py) on questions with gold documents and answer spans.

    .venv/bin/python bench/fit_answer_ranker.py [--corpus ../shared/eval/policy_qa/corpus.jsonl]
        [--questions ../shared/eval/policy_qa/questions.dev.jsonl] [--folds 5] [--out zhengwu/qa/ranker_weights.json]
        [--no-write]

Why it is shaped like this: the candidates and their features come from the product path itself (the corpus
is ingested into a temporary store, every question is rewritten and searched by `zhengwu.qa.answer.answer_inputs`,
the spans built by `zhengwu.qa.ranker.candidates`), so the fitted weights see exactly what the server sees.
Two linear models are fitted with a listwise soft-max loss (numpy, Adam, L2):
- "sentence": one row per whole sentence of the candidate documents (with pairwise products of some features,
  ranker.sentence_rows); target: the best char-F1 any span of the
  sentence reaches against the gold answer, plus a bonus when the sentence's document is the gold one. Its best
  sentence decides the document cited.
- "span": the candidates around the sentence model's best sentence (as at run time); target: their char-F1.
  Its best is the answer.
The figures printed first are cross-validated by question (k folds): each question is answered by a model
that never saw it. Lexical retrieval only (ZHENGWU_EMBEDDER=none), so the fit does not depend on vectors.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ZHENGWU_EMBEDDER", "none")

from zhengwu.cli.progress import progress_bar  # noqa: E402
from zhengwu.context import Caller  # noqa: E402
from zhengwu.eval.qa import DEFAULT_QUESTIONS, char_f1  # noqa: E402
from zhengwu.eval.retrieval import DEFAULT_CORPUS, load_questions  # noqa: E402
from zhengwu.eval.store import temporary_store  # noqa: E402
from zhengwu.gateway import neutralise_injection  # noqa: E402
from zhengwu.kb.ingest import ingest_paths  # noqa: E402
from zhengwu.qa import ranker  # noqa: E402
from zhengwu.qa.answer import _INJECTION, _search_text, answer_inputs  # noqa: E402
from zhengwu.qa.ranker import (FEATURES, NEIGHBOURS, SENTENCE_FEATURES, WEIGHTS_FILE, choose,  # noqa: E402
                               sentence_rows)
from zhengwu.qa.rewrite import rewrite  # noqa: E402
from zhengwu.store.db import session_scope  # noqa: E402


def collect(corpus: Path, questions: Path, limit: int | None) -> tuple[list[dict], list[dict]]:
    """Candidate spans, features and targets of every question (None where nothing was retrieved)."""
    qs = load_questions(questions, limit)
    caller = Caller(user="fit", department="fit", role="admin")
    out: list[dict] = []
    with temporary_store("zhengwu-fitranker-"):
        with progress_bar("入库 ingest → fit") as on_progress:
            ingest_paths([corpus], kb="fit", caller=caller, on_progress=on_progress)
        with session_scope() as session:
            for i, q in enumerate(qs):
                masked = neutralise_injection(q["question"])[0]  # contest questions hold no personal data
                query = rewrite(_search_text(masked), []).query
                ev = answer_inputs(session, caller, query, kb="fit")
                spans, x = ranker.candidates(ranker.analyse(query), ev.passages, priors=ev.priors, titles=ev.titles,
                                             exclude=_INJECTION)
                if not spans:
                    out.append({})
                    continue
                gold = np.asarray([str(ev.cands[s.hit_index].external_id) == str(q["docid"]) for s in spans])
                f1 = np.asarray([char_f1(s.text, q["answer"]) for s in spans])
                out.append({"spans": spans, "x": x, "gold": gold, "f1": f1})
                if (i + 1) % 50 == 0:
                    print(f"候选 candidates {i + 1}/{len(qs)}", file=sys.stderr)
    return qs, out


def _segment_softmax(s: np.ndarray, starts: np.ndarray) -> np.ndarray:
    lens = np.diff(np.append(starts, len(s)))
    e = np.exp(s - np.repeat(np.maximum.reduceat(s, starts), lens))
    return e / np.repeat(np.add.reduceat(e, starts), lens)


def listwise_fit(lists: list[tuple[np.ndarray, np.ndarray]], *, tau: float, l2: float, iters: int = 500) -> dict:
    """Linear scores whose soft-max over each list matches soft-max(target / tau)."""
    xs, ts, starts, n = [], [], [], 0
    for x, t in lists:
        if len(t) < 2 or t.max() <= 0:
            continue
        z = np.exp((t - t.max()) / tau)
        xs.append(x)
        ts.append(z / z.sum())
        starts.append(n)
        n += len(t)
    x = np.vstack(xs)
    target = np.concatenate(ts)
    st = np.asarray(starts)
    mean, scale = x.mean(0), x.std(0)
    scale[scale < 1e-9] = 1.0
    x = (x - mean) / scale
    w = np.zeros(x.shape[1])
    m, v = np.zeros_like(w), np.zeros_like(w)
    for it in range(1, iters + 1):
        g = x.T @ ((_segment_softmax(x @ w, st) - target) / len(st)) + l2 * w
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        w -= 0.03 * (m / (1 - 0.9 ** it)) / (np.sqrt(v / (1 - 0.999 ** it)) + 1e-8)
    return {"mean": mean, "scale": scale, "weights": w}


def _window(spans: list, x: np.ndarray, sentence_model: dict) -> list[int]:
    """The candidates the span model chooses among at run time: those around the sentence model's best."""
    whole = [k for k, s in enumerate(spans) if s.kind == "sent"]
    m = sentence_model
    best = spans[whole[int(np.argmax(((sentence_rows(x[whole]) - m["mean"]) / m["scale"]) @ m["weights"]))]]
    return [k for k, s in enumerate(spans) if s.hit_index == best.hit_index and (
        abs(s.sentence_index - best.sentence_index) <= NEIGHBOURS or s.kind == "section")]


def fit(items: list[dict], *, tau: float, l2: float, docw: float) -> dict:
    """The sentence model first; the span model on the candidates the sentence model leaves it (as at run time)."""
    sent_lists = []
    for d in items:
        if not d:
            continue
        whole = [k for k, s in enumerate(d["spans"]) if s.kind == "sent"]
        best_of: dict[tuple[int, int], float] = {}
        for k, s in enumerate(d["spans"]):
            key = (s.hit_index, s.sentence_index)
            best_of[key] = max(best_of.get(key, 0.0), d["f1"][k])
        t = np.asarray([best_of[(d["spans"][k].hit_index, d["spans"][k].sentence_index)] for k in whole])
        sent_lists.append((sentence_rows(d["x"][whole]), t + docw * d["gold"][whole]))
    sentence = listwise_fit(sent_lists, tau=tau, l2=l2)
    span_lists = []
    for d in items:
        if d:
            near = _window(d["spans"], d["x"], sentence)
            span_lists.append((d["x"][near], d["f1"][near]))
    return {"sentence": sentence, "span": listwise_fit(span_lists, tau=tau, l2=l2)}


def evaluate(items: list[dict], qs: list[dict], models: dict) -> tuple[list[bool], list[float]]:
    tup = {k: (m["mean"], m["scale"], m["weights"]) for k, m in models.items()}
    cit, f1 = [], []
    for d, q in zip(items, qs):
        if not d:
            cit.append(False)
            f1.append(0.0)
            continue
        _, k = choose(d["spans"], d["x"], tup)
        cit.append(bool(d["gold"][k]))
        f1.append(char_f1(d["spans"][k].text, q["answer"]))
    return cit, f1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--tau", type=float, default=0.1, help="target soft-max temperature")
    ap.add_argument("--l2", type=float, default=1e-3)
    ap.add_argument("--docw", type=float, default=0.5, help="target bonus for spans of the gold document")
    ap.add_argument("--out", type=Path, default=WEIGHTS_FILE)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    for p in (args.corpus, args.questions):
        if not p.is_file():
            print(f"找不到文件 file not found: {p}", file=sys.stderr)
            return 2
    qs, items = collect(args.corpus, args.questions, args.limit)
    n = len(qs)
    cit: list[bool] = [False] * n
    f1: list[float] = [0.0] * n
    for k in range(args.folds):
        train = [d for i, d in enumerate(items) if i % args.folds != k]
        test = list(range(k, n, args.folds))
        c, f = evaluate([items[i] for i in test], [qs[i] for i in test],
                        fit(train, tau=args.tau, l2=args.l2, docw=args.docw))
        for i, a, b in zip(test, c, f):
            cit[i], f1[i] = a, b
    cv = {"folds": args.folds, "n": n, "citation_accuracy": round(sum(cit) / n, 4),
          "answer_f1": round(statistics.fmean(f1), 4)}
    models = fit(items, tau=args.tau, l2=args.l2, docw=args.docw)
    c, f = evaluate(items, qs, models)
    train_fig = {"citation_accuracy": round(sum(c) / n, 4), "answer_f1": round(statistics.fmean(f), 4)}
    print(json.dumps({"cross_validated": cv, "fitted_on_all": train_fig}, ensure_ascii=False))
    if not args.no_write:
        doc = {"features": list(FEATURES), "sentence_features": list(SENTENCE_FEATURES), "fitted": dt.date.today().isoformat(),
               "data": f"{args.questions.name} ({n} questions) over {args.corpus.name}, lexical retrieval",
               "settings": {"tau": args.tau, "l2": args.l2, "docw": args.docw},
               "cross_validated": cv, "fitted_on_all": train_fig,
               "models": {name: {k: [round(float(x), 6) for x in v] for k, v in m.items()} for name, m in models.items()}}
        args.out.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"已写入 written: {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
