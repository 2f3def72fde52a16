"""Tamper-evident audit log (append-only, hash-chained). Stub: implemented by the gateway work."""

from __future__ import annotations

from sqlalchemy.orm import Session

from zhengwu.context import Caller


def record(
    session: Session,
    *,
    caller: Caller,
    scenario: str,
    action: str,
    input_text: str | None = None,
    output_text: str | None = None,
    sources: list[dict] | None = None,
    checks: list[str] | None = None,
    backend: str | None = None,
    model: str | None = None,
    extra: dict | None = None,
) -> int:
    """Append one audit record in the caller's transaction and return its id.

    `input_text` must already be PII-masked by the caller or is masked here; `output_text` is stored or
    replaced by its hash according to the scenario's retention.
    """
    return 0
