"""Lexical tokens for BM25 (jieba, bundled dictionary). Owned by the retrieval work; refine freely."""

from __future__ import annotations

import logging

import jieba

jieba.setLogLevel(logging.WARNING)


def index_tokens(text: str) -> list[str]:
    """Tokens stored with each chunk at ingest time (search-mode cut: words and their sub-words)."""
    return [t for t in jieba.cut_for_search(text) if t.strip()]
