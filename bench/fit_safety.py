"""Fit the shipped content-safety model (zhengwu/gateway/data/safety_model.npz).

Only rows whose licence allows shipping a model fitted on them (safety.SHIPPABLE_LICENCES: MIT, Apache-2.0) are
used, jailbreaks left to their rule (safety.training_rows); the measuring-only files (CHiSafetyBench, S-Eval,
CMMLU, CBBQ, XSTest_cn) stay held out. The threshold is chosen on cross-validated scores (k-fold by source file)
of the fitted-on sources: the most refusals with at most 5 % wrongful refusals (safety.choose_threshold);
`--threshold` sets it by hand instead; `--features` chooses the feature parts (default: safety.DEFAULT_FEATURES;
"char,cues,words" adds jieba word n-grams, slower).

    python bench/fit_safety.py /work/shared/eval/safety --government-text /work/shared/corpus/laws/laws.jsonl \\
        /work/shared/corpus/services/service_guides.jsonl /work/shared/eval/official_docs/state_council_2018_2019.jsonl
"""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path

from zhengwu.eval.safety import cross_validated_verdicts
from zhengwu.gateway import safety


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("shared_safety_dir", type=Path)
    ap.add_argument("--threshold", type=float, default=None, help="refusal threshold (default: chosen by cross-validation)")
    ap.add_argument("--government-text", type=Path, nargs="*", default=[],
                    help="JSONL of real government text (shippable: /work/shared/corpus, eval/official_docs)")
    ap.add_argument("--features", default=",".join(safety.DEFAULT_FEATURES),
                    help=f"comma-separated parts of {safety.FEATURE_SETS}")
    ap.add_argument("--out", type=Path, default=safety.DEFAULT_MODEL)
    args = ap.parse_args()
    rows = [r for r in safety.read_cases(sorted(args.shared_safety_dir.glob("*.jsonl")))
            if r.get("licence") in safety.SHIPPABLE_LICENCES]
    feature_set = tuple(f.strip() for f in args.features.split(",") if f.strip())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gov = safety.answer_rows(args.government_text)
        threshold = args.threshold
        if threshold is None:
            threshold = cross_validated_verdicts(rows, extra_answer=gov, feature_set=feature_set)[1]
        train = safety.training_rows(rows)
        model = safety.fit([r["text"] for r in train] + gov,
                           [safety.label_of(r) for r in train] + [safety.ANSWER] * len(gov), threshold=threshold,
                           feature_set=feature_set)
    model.save(args.out)
    print(f"fitted on {len(train)} rows from {len({r['file'] for r in train})} files and {len(gov)} rows of "
          f"government text, features {'+'.join(feature_set)}, threshold {threshold} -> {args.out}")


if __name__ == "__main__":
    main()
