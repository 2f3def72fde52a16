"""Classification benchmark: the product's ticket classifier (zhengwu.hotline.textmodel, with the words of our
category tree and of any `taxonomy` trees as prior examples, as `zhengwu hotline train` fits it) trained on labelled rows and scored on others.

Rows are `{title, text, <label_field>}`. With `test` the model is trained on all of `train` and scored on `test`;
with `cv=k` and no `test`, k-fold cross-validation (stratified, shuffled with `seed`) over `train`, the
predictions of all folds scored together. Nothing is tuned here: the method and its settings are fixed in the
product code, so a figure on rows it never saw is the figure a deployment gets.

Metrics: accuracy, macro-F1 (the TipDM contest metric) and per-class precision/recall/F1/support; tickets per
second of classification (features + model, one process, after training), measured over the scored rows.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from zhengwu.hotline import taxonomy as tx
from zhengwu.hotline.classify import doc_of, label_of, prior_rows, read_rows
from zhengwu.hotline.textmodel import Doc, TextModel

# like the other benchmarks: the shared data beside the repository, or where ZHENGWU_SHARED says
SHARED = Path(os.environ.get("ZHENGWU_SHARED", Path(__file__).resolve().parents[2].parent / "shared"))
DEFAULT_TRAIN = SHARED / "eval" / "citizen_messages" / "labeled.dev.jsonl"


def scores(gold: list[str], pred: list[str]) -> dict:
    """Accuracy, macro-F1 over the gold classes and per-class figures (a class never predicted has F1 0)."""
    g, p = np.asarray(gold), np.asarray(pred)
    per = {}
    for c in sorted(set(gold)):
        tp = int(np.sum((g == c) & (p == c)))
        prec = tp / max(int(np.sum(p == c)), 1)
        rec = tp / max(int(np.sum(g == c)), 1)
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per[c] = {"precision": round(prec, 4), "recall": round(rec, 4), "f1": round(f1, 4), "support": int(np.sum(g == c))}
    return {"n": len(gold), "accuracy": round(float(np.mean(g == p)), 4),
            "macro_f1": round(float(np.mean([v["f1"] for v in per.values()])), 4), "per_class": per}


def _fit(docs: list[Doc], labels: list[str], trees: list[tx.Taxonomy]) -> TextModel:
    prior = prior_rows(trees, sorted(set(labels)))
    return TextModel().fit(docs + [d for d, _ in prior], labels + [lab for _, lab in prior],
                           [1.0] * len(docs) + [1.0] * len(prior))


def run(train: Path, test: Path | None = None, *, label_field: str = "label_l1", cv: int = 0, seed: int = 0,
        taxonomy: list[Path] | None = None, no_prior: bool = False,
        on_progress: Callable[[int, int, str], None] | None = None) -> dict:
    """Train and score (or cross-validate); see the module docstring. Returns the figures as a dict."""
    from sklearn.model_selection import StratifiedKFold  # only the benchmark splits folds

    trees = [] if no_prior else [tx.default()] + [tx.load(p) for p in taxonomy or []]
    rows = read_rows(train, label_field)
    docs, labels = [doc_of(r.get("title", ""), r.get("text", "")) for r in rows], [label_of(r, label_field) for r in rows]
    started = time.perf_counter()
    if test is not None:
        trows = read_rows(test, label_field)
        tdocs, gold = [doc_of(r.get("title", ""), r.get("text", "")) for r in trows], [label_of(r, label_field) for r in trows]
        if on_progress:
            on_progress(0, 1, "train")
        model = _fit(docs, labels, trees)
        t0 = time.perf_counter()
        pred = list(model.predict(tdocs))
        predict_s = time.perf_counter() - t0
        if on_progress:
            on_progress(1, 1, "")
        result = scores(gold, pred)
        result.update(mode="test", n_train=len(rows))
    else:
        k = cv or 5
        counts = {c: labels.count(c) for c in set(labels)}
        if min(counts.values()) < k:
            from zhengwu.errors import ZhengwuError
            rare = min(counts, key=counts.get)
            raise ZhengwuError("cv_too_few", f"类别“{rare}”只有 {counts[rare]} 条，不够 {k} 折交叉验证。",
                               f"Class '{rare}' has {counts[rare]} rows, too few for {k}-fold cross-validation.")
        y = np.asarray(labels, dtype=object)
        pred = np.empty(len(y), dtype=object)
        predict_s = 0.0
        for i, (tr, te) in enumerate(StratifiedKFold(k, shuffle=True, random_state=seed).split(docs, y)):
            if on_progress:
                on_progress(i, k, f"fold {i + 1}")
            model = _fit([docs[j] for j in tr], [labels[j] for j in tr], trees)
            t0 = time.perf_counter()
            pred[te] = model.predict([docs[j] for j in te])
            predict_s += time.perf_counter() - t0
        if on_progress:
            on_progress(k, k, "")
        result = scores(labels, list(pred))
        result.update(mode=f"cv{k}", seed=seed)
    result["tickets_per_s"] = round(result["n"] / max(predict_s, 1e-9), 1)
    result["seconds"] = round(time.perf_counter() - started, 2)
    result["prior"] = "+".join(t.source for t in trees) or "none"
    return result


def format_report(r: dict) -> str:
    lines = [f"分类基准 / classification benchmark ({r['mode']}, n={r['n']}, prior={r['prior']})",
             f"  accuracy  {r['accuracy']:.4f}", f"  macro-F1  {r['macro_f1']:.4f}",
             f"  tickets/s {r['tickets_per_s']:.1f}   (total {r['seconds']:.1f} s)", "  per class: precision recall f1 support"]
    for c, v in r["per_class"].items():
        lines.append(f"    {c:<12} {v['precision']:.3f} {v['recall']:.3f} {v['f1']:.3f} {v['support']}")
    return "\n".join(lines)
