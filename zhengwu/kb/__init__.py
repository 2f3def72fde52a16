"""Knowledge base: ingest -> parse -> chunk -> index (BM25 + vectors) -> search."""
