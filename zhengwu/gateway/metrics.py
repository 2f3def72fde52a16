"""Prometheus counters of the gateway (exposed at /metrics by the ops routes, default registry)."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

MODEL_CALLS = Counter("zhengwu_gateway_model_calls_total", "Model calls through the gateway",
                      ["backend", "scenario", "outcome"])
TOKENS = Counter("zhengwu_gateway_tokens_total", "Tokens reported by model backends", ["backend", "kind"])
REFUSALS = Counter("zhengwu_gateway_refusals_total", "Requests refused by the gateway", ["scenario", "reason"])
PII_FINDINGS = Counter("zhengwu_gateway_pii_findings_total", "PII findings masked before a model call",
                       ["entity", "scenario"])
AUDIT_RECORDS = Counter("zhengwu_gateway_audit_records_total", "Audit records appended", ["action"])
OVERHEAD = Histogram("zhengwu_gateway_overhead_seconds", "Gateway time excluding the model call",
                     buckets=(0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5))
