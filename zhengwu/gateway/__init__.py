"""The governance gateway: the one door to every model (DESIGN non-negotiable 1).

Features use a model, or record a governed interaction, only through `govern(caller, scenario, ...)`
(zhengwu/gateway/govern.py): scenario policy → decision rules → PII masking → model (chat or embedding, or
none) → restore → output checks → AI label → exactly one audit record. Nothing outside this package imports
its pii, checks, labels, audit or backends modules: what the rest of zhengwu needs of them is named here.

The names are resolved on first use (PEP 562 `__getattr__`): `from zhengwu.gateway import govern` loads the
door and what an interaction needs, not the audit export, the HTTP backends, the document labels or the
content-safety model; a `zhengwu search` process started by a script would otherwise pay for all of them.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

# Imported at once: every user of the door needs them, and `govern` and `complete` are also the names of their
# submodules, which the import system would otherwise leave on the package in place of the functions.
from zhengwu.gateway.complete import Completion, complete
from zhengwu.gateway.govern import Governed, ModelCall, ModelReply, Outcome, govern

# the other public names -> (module under zhengwu.gateway, attribute there), imported on first use
_EXPORTS: dict[str, tuple[str, str]] = {
    "export_audit": ("audit", "export_to_file"),
    "audit_head": ("audit", "head_info"),
    "purge_audit": ("audit", "purge"),
    "query_audit": ("audit", "query"),
    "record_admin_action": ("audit", "record_admin_action"),
    "record_review": ("audit", "record_review"),
    "start_retention_job": ("audit", "start_retention_job"),
    "verify_audit": ("audit", "verify"),
    "generative_available": ("backends", "generative_available"),
    "registered_backends": ("backends", "registered_backends"),
    "use_backend": ("backends", "use_backend"),
    "neutralise_injection": ("checks", "neutralise_injection"),
    "sensitive_hits": ("checks", "sensitive_hits"),
    "embedder_name": ("embeddings", "embedder_name"),
    "registered_embedders": ("embeddings", "registered_embedders"),
    "BackendError": ("errors", "BackendError"),
    "NoModel": ("errors", "NoModel"),
    "Refused": ("errors", "Refused"),
    "forget_conversation": ("conversations", "forget_conversation"),
    "carry_label_to_pdf": ("labels", "carry_label_to_pdf"),
    "explicit_label": ("labels", "explicit_label"),
    "label_docx": ("labels", "label_docx"),
    "label_json": ("labels", "label_json"),
    "read_docx_aigc": ("labels", "read_docx_aigc"),
    "read_pdf_aigc": ("labels", "read_pdf_aigc"),
    "PII_ENTITIES": ("pii", "ENTITIES"),
    "mask_pii": ("pii", "mask"),
    "scan_pii": ("pii", "scan"),
    "warm_up_pii": ("pii", "warm_up"),
}

__all__ = ["Completion", "complete", "Governed", "ModelCall", "ModelReply", "Outcome", "govern", "BackendError",
    "NoModel", "PII_ENTITIES", "Refused", "audit_head", "carry_label_to_pdf", "embedder_name", "explicit_label",
    "export_audit", "forget_conversation", "generative_available", "label_docx", "label_json", "mask_pii",
    "neutralise_injection", "purge_audit", "query_audit", "read_docx_aigc", "read_pdf_aigc", "record_admin_action",
    "record_review", "registered_backends", "registered_embedders", "scan_pii", "sensitive_hits",
    "start_retention_job", "use_backend", "verify_audit", "warm_up_pii"]


def __getattr__(name: str) -> Any:
    try:
        module, attr = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'zhengwu.gateway' has no attribute {name!r}") from None
    value = getattr(import_module(f"zhengwu.gateway.{module}"), attr)
    globals()[name] = value  # resolved once
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))

