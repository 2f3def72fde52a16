"""What the gateway's own administration interfaces (the `audit`, `pii`, `scenario` and `gateway` commands,
the admin pages) use of its internals: reading and verifying the audit log, the PII tools, the backend list.

Features never come here: they use `govern(...)`. Keeping this list in one module makes the boundary
checkable (tests/gateway/test_one_door.py).
"""

from __future__ import annotations

from zhengwu.gateway.audit import (EXPORT_FIELDS, anchor_head, export, export_to_file, head_info, purge, query,
                                   record_review, rotate_key, search, start_retention_job, usage_counts, verify)
from zhengwu.gateway.backends import registered_backends
from zhengwu.gateway.health import probe_backends
from zhengwu.gateway.pii import MODES, PseudonymMap, label_of, mask, scan, warm_up
from zhengwu.gateway.pii.masking import apply as apply_findings

__all__ = ["EXPORT_FIELDS", "anchor_head", "rotate_key", "export", "export_to_file", "head_info", "purge", "query", "record_review",
           "start_retention_job", "verify", "registered_backends", "MODES", "PseudonymMap", "label_of", "mask",
           "scan", "warm_up", "apply_findings", "search", "usage_counts", "probe_backends"]
