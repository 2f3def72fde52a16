"""BM25 over jieba tokens (bm25s), scored for every unit of a collection at once.

Why bm25s and full score vectors: bm25s precomputes a sparse term x document score matrix, so scoring a
query is a handful of sparse row sums (a few ms at 100k chunks). Having the score of every unit lets the
caller apply filters (validity, document type) as masks and aggregate chunks into documents without a
second pass.

An index is saved to and loaded from a directory (bm25s' own files; loaded memory-mapped, so a process starts
without reading the score matrix into memory): see zhengwu/kb/index_files.py.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

import bm25s


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
