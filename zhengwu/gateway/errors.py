"""Gateway errors (all bilingual ZhengwuErrors)."""

from __future__ import annotations

from zhengwu.errors import ZhengwuError


class NoModel(ZhengwuError):
    """No generative backend is configured: callers use their extractive path."""

    status = 503

    def __init__(self, zh: str = "未配置生成式大模型，已使用检索摘录模式。",
                 en: str = "No generative model is configured; the extractive mode is used.") -> None:
        super().__init__("no_model", zh, en)


class BackendError(ZhengwuError):
    """The model service failed (timeout, bad response, dropped stream) after retries and failover."""

    status = 502


class Refused(ZhengwuError):
    """The gateway refused the request by policy (unapproved scenario, decision request, PII block ...)."""

    status = 403
