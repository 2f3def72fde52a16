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

Why an index keeps its term counts (`counts`, aligned with the score matrix, and `lengths`): BM25 scores depend on
the collection (document frequencies, the number of units, their average length), so one new document changes
every stored score. `updated` recomputes them from the counts with numpy after dropping and adding units, giving
the values a full build gives (zhengwu/kb/delta.py: a new document does not re-read the collection's tokens).
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
COUNTS, LENGTHS = "counts.npy", "lengths.npy"  # saved beside bm25s' files: what `updated` needs


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
        # term counts in the score matrix's order and unit lengths, when known (from_counts, updated, load)
        self.counts: np.ndarray | None = None
        self.lengths: np.ndarray | None = None
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
            idx.counts, idx.lengths = np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int64)
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
        idx.counts = np.concatenate(units.counts)[order]
        idx.lengths = np.array(units.lengths, dtype=np.int64)
        return idx

    def save(self, path: Path) -> None:
        """Write the index into the directory `path` (nothing for an empty index: `size` is kept by the caller)."""
        path.mkdir(parents=True, exist_ok=True)
        if self._bm25 is not None:
            self._bm25.save(str(path), show_progress=False)
        if self.counts is not None and self.lengths is not None:
            top = int(self.counts.max()) if len(self.counts) else 0  # most counts are small: uint8 or uint16
            np.save(path / COUNTS, self.counts.astype(np.min_scalar_type(top), copy=False), allow_pickle=False)
            np.save(path / LENGTHS, self.lengths, allow_pickle=False)

    @classmethod
    def load(cls, path: Path, size: int) -> LexicalIndex:
        """The index saved in `path` for `size` units, memory-mapped (read-only)."""
        idx = cls([])
        idx.size = size
        if size:
            idx._bm25 = bm25s.BM25.load(str(path), mmap=True, show_progress=False)
        if (path / COUNTS).exists():  # an index saved before counts were kept cannot be updated, only rebuilt
            idx.counts = np.load(path / COUNTS, mmap_mode="r", allow_pickle=False)
            idx.lengths = np.load(path / LENGTHS, mmap_mode="r", allow_pickle=False)
        return idx

    @property
    def updatable(self) -> bool:
        """Whether `updated` can derive a new index from this one (its term counts are known)."""
        return self.counts is not None and self.lengths is not None and len(self.lengths) == self.size

    def updated(self, keep_pos: np.ndarray, new_rows: np.ndarray, new_units: TermCounts, size: int, *,
                k1: float = 1.2, b: float = 0.75) -> LexicalIndex:
        """This index after a change of units, scored exactly as `from_counts` over the resulting units.

        `keep_pos[i]` is the new position of old unit i (-1: dropped; kept units keep their relative order),
        `new_units` the added units, placed at positions `new_rows`; `size` the number of units after; `k1` and
        `b` this index's (an empty index saved on disk does not keep them). Every score is recomputed (document
        frequencies, the number of units and the average length change) from the term counts, with numpy and
        bm25s' own scorers: O(entries), no token read again. Terms no unit holds any more are dropped, as a full
        build never has them.
        """
        bm_old = self._bm25
        if bm_old is not None:
            indptr = np.asarray(bm_old.scores["indptr"], dtype=np.int64)
            rows = np.asarray(bm_old.scores["indices"])
            vocab = bm_old.vocab_dict
        else:
            indptr, rows, vocab = np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int32), {}
        n_terms = len(indptr) - 1
        keep_pos = np.asarray(keep_pos, dtype=np.int64)
        new_rows = np.asarray(new_rows, dtype=np.int64)
        term = np.repeat(np.arange(n_terms, dtype=np.int32), np.diff(indptr))
        rows = keep_pos[rows].astype(np.int32) if len(rows) else rows.astype(np.int32)
        counts = np.asarray(self.counts, dtype=np.int32)  # saved in the smallest type that holds them
        kept = rows >= 0
        if not kept.all():
            term, rows, counts = term[kept], rows[kept], counts[kept]
        # the added units' terms: known ones keep their id, new ones come after
        added: dict[str, int] = {}
        local = np.empty(len(new_units.vocab.ids), dtype=np.int32)
        for tok, i in new_units.vocab.ids.items():
            t = vocab.get(tok, -1)
            if not 0 <= t < n_terms:
                t = added.setdefault(tok, n_terms + len(added))
            local[i] = t
        if len(new_units):
            nnz = np.fromiter((len(u) for u in new_units.ids), dtype=np.int64, count=len(new_units))
            n_term = local[np.concatenate(new_units.ids)]
            n_rows = np.repeat(new_rows.astype(np.int32), nnz)
            n_counts = np.concatenate(new_units.counts)
            order = np.lexsort((n_rows, n_term))
            n_term, n_rows, n_counts = n_term[order], n_rows[order], n_counts[order]
            # kept entries are sorted by (term, row): insert the new ones where they belong; when every new unit
            # comes after every kept one (new documents have the largest ids), at the end of their term's entries
            if not len(rows) or new_rows.min() > keep_pos.max():
                at = np.searchsorted(term, n_term, side="right")
            else:
                at = np.searchsorted(term.astype(np.int64) * size + rows, n_term.astype(np.int64) * size + n_rows)
            term, rows = np.insert(term, at, n_term), np.insert(rows, at, n_rows)
            counts = np.insert(counts, at, n_counts)
        lengths = np.zeros(size, dtype=np.int64)
        lengths[keep_pos[keep_pos >= 0]] = np.asarray(self.lengths)[keep_pos >= 0]
        lengths[new_rows] = new_units.lengths
        return self._scored(term, rows, counts.astype(np.int32, copy=False), lengths, vocab, n_terms, added,
                            k1=k1, b=b)

    @classmethod
    def _scored(cls, term: np.ndarray, rows: np.ndarray, counts: np.ndarray, lengths: np.ndarray,
                vocab: dict[str, int], n_terms: int, added: dict[str, int], *, k1: float, b: float) -> LexicalIndex:
        """The index of these (term, unit, count) entries sorted by term then unit (terms: ids of `vocab` below
        `n_terms`, then of `added`): `from_counts`' formulas with bm25s' scorers, vectorised — the same float64
        operations on the same values, so the same float32 scores."""
        idx = cls([], k1=k1, b=b)
        idx.size = n = len(lengths)
        idx.counts, idx.lengths = counts, lengths
        if not n:
            return idx
        bm = bm25s.BM25(k1=k1, b=b, method="lucene")
        df = np.bincount(term, minlength=n_terms + len(added))
        used = np.flatnonzero(df)
        idf_of = _select_idf_scorer(bm.idf_method)
        distinct, inverse = np.unique(df[used], return_inverse=True)
        idf = np.array([idf_of(int(d), N=n) for d in distinct], dtype=bm.dtype)[inverse]
        # from_counts: tf (float32) / (k1 * ((1 - b) + b * l_d / l_avg) + tf), in float64; the unit's part once
        avg_len = lengths.mean()
        unit_part = k1 * ((1 - b) + b * lengths.astype(np.float64) / avg_len)  # elementwise: the same roundings
        tf = counts.astype(bm.dtype)
        tfc = unit_part[rows]
        tfc += tf
        np.divide(tf, tfc, out=tfc)
        if len(used) == len(df):  # no term dropped: ids stay
            cols, ids = term, {**{t: i for t, i in vocab.items() if i < n_terms}, **added}
        else:
            new_id = np.full(len(df), -1, dtype=np.int64)
            new_id[used] = np.arange(len(used))
            cols = new_id[term]
            ids = {t: int(new_id[i]) for t, i in vocab.items() if i < n_terms and new_id[i] >= 0}
            ids.update((t, int(new_id[i])) for t, i in added.items() if new_id[i] >= 0)
        tfc *= idf[cols]
        indptr = np.zeros(len(used) + 1, dtype=np.int64)
        np.cumsum(df[used], out=indptr[1:])
        bm.scores = {"data": tfc.astype(bm.dtype), "indices": rows.astype(bm.int_dtype, copy=False),
                     "indptr": indptr, "num_docs": n}
        bm.vocab_dict = ids
        if EMPTY not in bm.vocab_dict:
            bm.vocab_dict[EMPTY] = len(used)
        bm.unique_token_ids_set = set(bm.vocab_dict.values())
        bm.nonoccurrence_array = None
        idx._bm25 = bm
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
