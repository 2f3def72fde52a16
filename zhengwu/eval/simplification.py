"""`zhengwu eval simplify`: readability before/after and SARI on MCTS (Chinese sentence simplification).

The data (``../shared/eval/simplification/mcts.dev.jsonl``, 366 sentences with 5 human simplifications
each) is GPL-3.0: it is read from its path for evaluation and never copied into the repository.

SARI (Xu et al., TACL 2016) is computed at the character n-gram level (n = 1..4; Chinese has no spaces and
word segmentation would make the score depend on the segmenter), per sentence, then averaged:
  SARI = (F1_keep + P_delete + F1_add) / 3, each averaged over n = 1..4,
with the original's reference weighting: source and output n-gram counts are multiplied by the number of
references, so an n-gram kept by k of r references is worth k/r when kept. Reported ×100.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path
from statistics import mean

from zhengwu.context import cli_caller
from zhengwu.errors import ZhengwuError
from zhengwu.writing import assist
from zhengwu.writing.readability import readability
from zhengwu.writing.simplify import simplify, simplify_rules

DEFAULT_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "eval" / "simplification" / "mcts.dev.jsonl"


def char_ngrams(text: str, n: int) -> list[str]:
    chars = [c for c in text if not c.isspace()]
    return ["".join(chars[i:i + n]) for i in range(len(chars) - n + 1)]


def _sari_ngram(s: list[str], c: list[str], refs: list[list[str]]) -> tuple[float, float, float]:
    """(keep F1, deletion precision, addition F1) for one n."""
    r = len(refs)
    ref_counts: Counter[str] = Counter(g for ref in refs for g in ref)
    s_rep = Counter({g: k * r for g, k in Counter(s).items()})
    c_rep = Counter({g: k * r for g, k in Counter(c).items()})

    keep = s_rep & c_rep
    keep_good = keep & ref_counts
    keep_all = s_rep & ref_counts
    keep_p = sum(keep_good[g] / keep[g] for g in keep) / len(keep) if keep else 0.0
    keep_r = sum(keep_good[g] / keep_all[g] for g in keep_all) / len(keep_all) if keep_all else 0.0
    keep_f = 2 * keep_p * keep_r / (keep_p + keep_r) if keep_p + keep_r > 0 else 0.0

    deleted = s_rep - c_rep
    del_good = deleted - ref_counts
    del_p = sum(del_good[g] / deleted[g] for g in deleted) / len(deleted) if deleted else 0.0

    added = set(c_rep) - set(s_rep)
    add_good = added & set(ref_counts)
    add_all = set(ref_counts) - set(s_rep)
    add_p = len(add_good) / len(added) if added else 0.0
    add_r = len(add_good) / len(add_all) if add_all else 0.0
    add_f = 2 * add_p * add_r / (add_p + add_r) if add_p + add_r > 0 else 0.0
    return keep_f, del_p, add_f


def sari(source: str, output: str, references: list[str], max_n: int = 4) -> dict:
    """Sentence SARI (0..100) with its three components."""
    parts = [_sari_ngram(char_ngrams(source, n), char_ngrams(output, n), [char_ngrams(ref, n) for ref in references])
             for n in range(1, max_n + 1)]
    keep, dele, add = (mean(p[i] for p in parts) for i in range(3))
    return {"sari": 100 * (keep + dele + add) / 3, "keep": 100 * keep, "delete": 100 * dele, "add": 100 * add}


def _mean_readability(texts: list[str]) -> dict:
    rs = [readability(t) for t in texts]
    return {k: round(mean(getattr(x, k) for x in rs), 4) for k in
            ("avg_sentence_len", "avg_word_len", "uncommon_word_share", "rare_char_share", "score")}


def evaluate(data: Path = DEFAULT_DATA, *, audience: str = "通俗版", limit: int | None = None,
             use_model: bool | None = None) -> dict:
    """Run the simplifier on every source sentence; readability and SARI of its output, the identity
    baseline (the source unchanged) and the first reference (a human simplification, for comparison)."""
    if not Path(data).exists():
        raise ZhengwuError("eval_data_missing", f"评测数据不存在：{data}", f"Evaluation data not found: {data}")
    rows = [json.loads(line) for line in Path(data).read_text(encoding="utf-8").splitlines() if line.strip()]
    if limit:
        rows = rows[:limit]
    generative = use_model is not False and assist.generative_available()
    t0 = time.time()
    outputs = []
    if generative:
        caller = cli_caller()
        for r in rows:
            outputs.append(simplify(caller, r["source"], audience=audience, use_model=True).text)
    else:
        outputs = [simplify_rules(r["source"], audience)[0] for r in rows]
    elapsed = time.time() - t0
    sys_scores = [sari(r["source"], o, r["references"]) for r, o in zip(rows, outputs)]
    id_scores = [sari(r["source"], r["source"], r["references"]) for r in rows]
    # A human reference scored against the other four: what a good simplification reaches.
    ref_scores = [sari(r["source"], r["references"][0], r["references"][1:]) for r in rows]

    def avg(scores: list[dict]) -> dict:
        return {k: round(mean(s[k] for s in scores), 2) for k in ("sari", "keep", "delete", "add")}

    return {
        "data": str(data), "sentences": len(rows), "audience": audience,
        "mode": "generative" if generative else "rules", "seconds": round(elapsed, 2),
        "readability": {"source": _mean_readability([r["source"] for r in rows]),
                        "output": _mean_readability(outputs),
                        "reference_1": _mean_readability([r["references"][0] for r in rows])},
        "sari": {"output": avg(sys_scores), "identity_baseline": avg(id_scores),
                 "reference_1_vs_other_4": avg(ref_scores)},
        "changed": sum(1 for r, o in zip(rows, outputs) if o != r["source"]),
    }
