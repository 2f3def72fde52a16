"""The governance gateway: the only code path to a model (DESIGN non-negotiable 1).

policy check -> PII masking -> model backend -> restore -> output checks -> AI label -> audit record.

`complete`, `generative_available` and `Completion` are loaded on first use so that importing
`zhengwu.gateway.embeddings` or `zhengwu.gateway.audit` stays cheap.
"""

from __future__ import annotations

from typing import Any

from zhengwu.gateway.errors import BackendError, NoModel, Refused

__all__ = ["NoModel", "BackendError", "Refused", "complete", "generative_available", "Completion"]


def __getattr__(name: str) -> Any:
    if name in ("complete", "generative_available", "Completion"):
        from zhengwu.gateway import pipeline

        return getattr(pipeline, name)
    raise AttributeError(name)
