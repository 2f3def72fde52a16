"""BM25 over jieba tokens (bm25s), scored for every unit of a collection at once.

Why bm25s and full score vectors: bm25s precomputes a sparse term x document score matrix, so scoring a
query is a handful of sparse row sums (a few ms at 100k chunks). Having the score of every unit lets the
caller apply filters (validity, document type) as masks and aggregate chunks into documents without a
second pass.

An index is saved to and loaded from a directory (bm25s' own files; loaded memory-mapped, so a process starts
without reading the score matrix into memory): see zhengwu/kb/index_files.py.

Why `TermCounts` and `LexicalIndex.from_counts`: handing bm25s Python lists of str costs ~100 bytes a token, so a
100 MB text (48 million tokens, repeated at chunk and document level) took 5.8 GB to index. The collection
build instead maps tokens to int ids as it reads them and keeps only each unit's (term id, count) pairs, then
builds the same sparse score matrix bm25s builds (same formulas, same float32 values, same CSC layout), so the
peak memory follows the index, not the text.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from pathlib import Path

import numpy as np

import bm25s
from bm25s.scoring import _select_idf_scorer, _select_tfc_scorer

SLICE = 1 << 20  # terms scored at once by `from_counts`
EMPTY = ""  # bm25s' reserved token of a unit without tokens (scored as a one-token unit)


class Vocabulary:
    """Token -> int id, shared by the indexes built from the same tokens (ids need not be contiguous per index)."""

    def __init__(self) -> None:
        # a missing token gets the next id on lookup: `encode` maps a C-level __getitem__ over the tokens (a
        # Python-level loop over 48 million tokens would double the build time)
        self.ids: defaultdict[Hashable, int] = defaultdict()
        self.ids.default_factory = self.ids.__len__

    def encode(self, tokens: Iterable[Hashable]) -> np.ndarray:
        """The ids of `tokens` (new tokens get the next ids), repeats kept."""
        return np.fromiter(map(self.ids.__getitem__, tokens), dtype=np.int32)

    def relabel(self, texts_of: Callable[[list], list[str]]) -> None:
        """Replace the keys by their texts (`texts_of(keys)`, in order), ids kept. Why: the bigram vocabulary is
        keyed by integers while the build counts (tokenize.bigram_counts) and must be keyed by the bigrams
        themselves in the saved index."""
        ids = defaultdict(None, zip(texts_of(list(self.ids)), self.ids.values()))
        ids.default_factory = ids.__len__
        self.ids = ids


class TermCounts:
    """The units of one index, each kept as its distinct term ids and their counts (filled unit by unit)."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.ids: list[np.ndarray] = []
        self.counts: list[np.ndarray] = []
        self.lengths: list[int] = []

    def __len__(self) -> int:
        return len(self.lengths)

    def add_ids(self, ids: np.ndarray) -> None:
        """Append a unit given as its token ids (repeats counted)."""
        self.add_units([ids])

    def add_units(self, units: list[np.ndarray]) -> None:
        """Append several units given as their token ids (repeats counted), counted in one sort: one np.unique per
        chunk cost a tenth of a fresh build."""
        if not units:
            return
        lengths = np.fromiter(map(len, units), dtype=np.int64, count=len(units))
        unit = np.repeat(np.arange(len(units), dtype=np.int64), lengths)
        keys, counts = np.unique((unit << 32) | np.concatenate(units).astype(np.int64), return_counts=True)
        bounds = np.searchsorted(keys >> 32, np.arange(len(units) + 1))
        ids = (keys & 0xFFFFFFFF).astype(np.int32)
        for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
            self.add_counts(ids[a:b], counts[a:b])

    def add_counts(self, ids: np.ndarray, counts: np.ndarray) -> None:
        """Append a unit given as distinct term ids and their counts (an empty unit becomes bm25s' [""])."""
        if not len(ids):
            ids, counts = self.vocab.encode([EMPTY]), np.ones(1, dtype=np.int32)
        self.ids.append(ids.astype(np.int32, copy=False))
        self.counts.append(counts.astype(np.int32, copy=False))
        self.lengths.append(int(counts.sum()))


class LexicalIndex:
    """One BM25 index over a list of token lists (chunks or whole documents)."""

    def __init__(self, corpus_tokens: list[list[str]], *, k1: float = 1.2, b: float = 0.75) -> None:
        self.size = len(corpus_tokens)
        self._bm25: bm25s.BM25 | None = None
        if self.size:
            # every unit needs at least one token for bm25s; "" is its reserved empty token
            docs = [toks if toks else [""] for toks in corpus_tokens]
            bm = bm25s.BM25(k1=k1, b=b, method="lucene")
            bm.index(docs, show_progress=False)
            self._bm25 = bm

    @classmethod
    def from_counts(cls, units: TermCounts, *, k1: float = 1.2, b: float = 0.75) -> LexicalIndex:
        """The index bm25s would build from the units' token lists, built from their term counts.

        Mirrors bm25s `BM25.build_index_from_ids` (lucene idf and tf component, float32 scores, CSC by term then
        unit), computed unit by unit with bm25s' own scoring functions so the stored scores are the same values;
        only the term ids differ (the vocabulary's, compacted to the terms this index holds).
        """
        idx = cls([], k1=k1, b=b)
        idx.size = n = len(units)
        if not n:
            return idx
        bm = bm25s.BM25(k1=k1, b=b, method="lucene")
        nnz = np.fromiter(map(len, units.ids), dtype=np.int64, count=n)
        cols = np.concatenate(units.ids)
        df = np.bincount(cols, minlength=len(units.vocab.ids))
        used = np.flatnonzero(df)
        new_id = np.full(len(df), -1, dtype=np.int64)
        new_id[used] = np.arange(len(used))
        idf_of = _select_idf_scorer(bm.idf_method)
        idf = np.array([idf_of(d, N=n) for d in df[used].tolist()], dtype=bm.dtype)
        avg_len = np.array(units.lengths).mean()
        tfc_of = _select_tfc_scorer(bm.method)
        # many units' terms at once (a call per unit was a tenth of a fresh build), in slices of about SLICE terms
        # (bounded temporaries); the lengths as float64: the very values and operations of a call with a Python
        # int length (float32 counts, float64 length terms), so the scores are the same bits
        lengths = np.asarray(units.lengths, dtype=np.float64)
        ends = np.cumsum(nnz)
        cuts = np.unique(np.r_[np.searchsorted(ends, np.arange(SLICE, ends[-1], SLICE)), n - 1]) + 1
        cols = new_id[cols]
        data = np.empty(len(cols), dtype=bm.dtype)
        u0 = 0
        for u1 in cuts.tolist():
            a, z = int(ends[u0 - 1]) if u0 else 0, int(ends[u1 - 1])
            tfc = tfc_of(tf_array=np.concatenate(units.counts[u0:u1]).astype(bm.dtype),
                         l_d=np.repeat(lengths[u0:u1], nnz[u0:u1]), l_avg=avg_len, k1=k1, b=b)
            data[a:z] = idf[cols[a:z]] * tfc
            u0 = u1
        cols = cols.astype(bm.int_dtype)
        rows = np.repeat(np.arange(n, dtype=bm.int_dtype), nnz)
        order = np.argsort(cols, kind="stable")  # rows ascend within a term: bm25s' (term, unit) order
        indptr = np.zeros(len(used) + 1, dtype=np.int64)
        np.cumsum(np.bincount(cols, minlength=len(used)), out=indptr[1:])
        bm.scores = {"data": data[order], "indices": rows[order], "indptr": indptr, "num_docs": n}
        vocab_ids = new_id[np.fromiter(units.vocab.ids.values(), dtype=np.int64, count=len(units.vocab.ids))]
        kept = vocab_ids >= 0
        bm.vocab_dict = dict(zip(itertools.compress(units.vocab.ids, kept.tolist()), vocab_ids[kept].tolist()))
        if EMPTY not in bm.vocab_dict:
            bm.vocab_dict[EMPTY] = len(used)
        bm.unique_token_ids_set = set(bm.vocab_dict.values())
        bm.nonoccurrence_array = None
        idx._bm25 = bm
        return idx

    def save(self, path: Path) -> None:
        """Write the index into the directory `path` (nothing for an empty index: `size` is kept by the caller)."""
        path.mkdir(parents=True, exist_ok=True)
        if self._bm25 is not None:
            self._bm25.save(str(path), show_progress=False)

    @classmethod
    def load(cls, path: Path, size: int) -> LexicalIndex:
        """The index saved in `path` for `size` units, memory-mapped (read-only)."""
        idx = cls([])
        idx.size = size
        if size:
            idx._bm25 = bm25s.BM25.load(str(path), mmap=True, show_progress=False)
        return idx

    def scores(self, tokens: list[str], weights: dict[str, float] | None = None) -> np.ndarray:
        """BM25 score of every unit for the query tokens (repeated tokens count once per occurrence)."""
        out = np.zeros(self.size, dtype=np.float32)
        if self._bm25 is None:
            return out
        vocab = self._bm25.vocab_dict
        if weights:
            for tok, w in weights.items():
                if tok in vocab and tok:
                    out += w * self._bm25.get_scores_from_ids([vocab[tok]])
            return out
        ids = [vocab[t] for t in tokens if t and t in vocab]
        if not ids:
            return out
        return np.asarray(self._bm25.get_scores_from_ids(ids), dtype=np.float32)
