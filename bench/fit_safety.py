"""Fit the shipped content-safety model (zhengwu/gateway/data/safety_model.npz).

Only rows whose licence allows shipping a model fitted on them (safety.SHIPPABLE_LICENCES: MIT, Apache-2.0) are
used; the measuring-only files (CHiSafetyBench, S-Eval, CMMLU, CBBQ, XSTest_cn) stay held out.

    python bench/fit_safety.py /work/shared/eval/safety --government-text /work/shared/corpus/laws/laws.jsonl \\
        /work/shared/corpus/services/service_guides.jsonl /work/shared/eval/official_docs/state_council_2018_2019.jsonl
"""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path

from zhengwu.gateway import safety


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("shared_safety_dir", type=Path)
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--government-text", type=Path, nargs="*", default=[],
                    help="JSONL of real government text (shippable: /work/shared/corpus, eval/official_docs)")
    ap.add_argument("--out", type=Path, default=safety.DEFAULT_MODEL)
    args = ap.parse_args()
    rows = [r for r in safety.read_cases(sorted(args.shared_safety_dir.glob("*.jsonl")))
            if r.get("licence") in safety.SHIPPABLE_LICENCES]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gov = safety.government_texts(args.government_text)
        model = safety.fit([r["text"] for r in rows] + gov, [safety.label_of(r) for r in rows] + ["answer"] * len(gov),
                           threshold=args.threshold)
    model.save(args.out)
    print(f"fitted on {len(rows)} rows from {len({r['file'] for r in rows})} files and {len(gov)} lines of "
          f"government text -> {args.out}")


if __name__ == "__main__":
    main()
