"""The governance gateway: the one door to every model (DESIGN non-negotiable 1).

Features use a model, or record a governed interaction, only through `govern(caller, scenario, ...)`
(zhengwu/gateway/govern.py): scenario policy → decision rules → PII masking → model (chat or embedding, or
none) → restore → output checks → AI label → exactly one audit record. Nothing outside this package imports
its pii, checks, labels, audit or backends modules: what the rest of zhengwu needs of them is named here.
"""

from __future__ import annotations

from zhengwu.gateway.audit import export_to_file as export_audit
from zhengwu.gateway.audit import head_info as audit_head
from zhengwu.gateway.audit import purge as purge_audit
from zhengwu.gateway.audit import query as query_audit
from zhengwu.gateway.audit import record_admin_action, record_review, start_retention_job
from zhengwu.gateway.audit import verify as verify_audit
from zhengwu.gateway.backends import generative_available, registered_backends, use_backend
from zhengwu.gateway.checks import neutralise_injection, sensitive_hits
from zhengwu.gateway.embeddings import embedder_name, registered_embedders
from zhengwu.gateway.errors import BackendError, NoModel, Refused
from zhengwu.gateway.complete import Completion, complete
from zhengwu.gateway.conversations import forget_conversation
from zhengwu.gateway.govern import Governed, ModelCall, ModelReply, Outcome, govern
from zhengwu.gateway.labels import (carry_label_to_pdf, explicit_label, label_docx, label_json, read_docx_aigc,
                                    read_pdf_aigc)
from zhengwu.gateway.pii import ENTITIES as PII_ENTITIES
from zhengwu.gateway.pii import mask as mask_pii
from zhengwu.gateway.pii import scan as scan_pii
from zhengwu.gateway.pii import warm_up as warm_up_pii

__all__ = [
    "govern", "Governed", "Outcome", "ModelCall", "ModelReply", "complete", "Completion", "forget_conversation",
    "NoModel", "BackendError", "Refused", "generative_available", "registered_backends", "registered_embedders", "embedder_name",
    "use_backend", "explicit_label", "label_json", "label_docx", "read_docx_aigc", "read_pdf_aigc", "carry_label_to_pdf", "scan_pii", "mask_pii",
    "warm_up_pii", "PII_ENTITIES", "sensitive_hits", "neutralise_injection", "verify_audit", "query_audit", "export_audit", "purge_audit", "record_review",
    "audit_head", "start_retention_job", "record_admin_action",
]
