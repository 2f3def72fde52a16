"""Model backends behind one small interface, and the registration point for more.

A backend has `name`, `model`, `chat(messages) -> ChatResult` and `stream(messages)`, which yields text deltas
and finally one ChatResult. Built in: "none" (raises NoModel) and "openai" (any OpenAI-compatible
/v1/chat/completions: vLLM, Ollama, llama.cpp server, Xinference, domestic clouds), with several base URLs
tried in order (failover), timeouts, retries with exponential backoff and SSE streaming.

More backends register through the `register_backends` hook (zhengwu/hookspecs.py), as these two built-ins do.
Embedding models are not here: see zhengwu/gateway/embeddings.py.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from zhengwu.config import Settings, get_settings
from zhengwu.errors import ZhengwuError
from zhengwu.gateway import health
from zhengwu.gateway.errors import BackendError, NoModel
from zhengwu.hookspecs import hookimpl
from zhengwu.plugins import collect, on_reset, settings_key


@dataclass
class ChatResult:
    text: str
    model: str
    usage: dict = field(default_factory=dict)
    endpoint: str = ""


class Backend(Protocol):
    name: str
    model: str

    def chat(self, messages: list[dict], **params: Any) -> ChatResult: ...

    def stream(self, messages: list[dict], **params: Any) -> Iterator[str | ChatResult]: ...


BackendFactory = Callable[[Settings], Backend]
_override: Backend | None = None
_instances: dict[tuple, Backend] = {}
_lock = threading.Lock()


@hookimpl
def register_backends(register: Any) -> None:
    register("none", lambda s: NoneBackend())
    register("openai", lambda s: OpenAICompatBackend(s.llm_urls, s.llm_model, s.llm_api_key, s.llm_timeout,
                                                     s.llm_retries))


def _registry() -> dict[str, BackendFactory]:
    return {name: factory for name, factory in collect("register_backends")}


def registered_backends() -> list[str]:
    return sorted(_registry())


def use_backend(backend: Backend | None) -> None:
    """Route every gateway call to `backend` (None = back to settings). For benchmarks and embedding apps."""
    global _override
    _override = backend


def get_backend() -> Backend:
    """The configured backend instance (cached per settings)."""
    if _override is not None:
        return _override
    s = get_settings()
    key = (settings_key(), s.llm_backend, tuple(s.llm_urls), s.llm_model, s.llm_api_key, s.llm_timeout, s.llm_retries)
    with _lock:
        inst = _instances.get(key)
        if inst is None:
            factory = _registry().get(s.llm_backend)
            if factory is None:
                raise ZhengwuError("unknown_backend", f"未知的模型后端：{s.llm_backend}",
                                   f"Unknown model backend: {s.llm_backend}")
            inst = _instances[key] = factory(s)
        return inst


def generative_available() -> bool:
    """True when a generative backend (anything but "none") is configured."""
    if _override is not None:
        return _override.name != "none"
    s = get_settings()
    return s.llm_backend != "none" and (s.llm_backend != "openai" or bool(s.llm_urls))


# ------------------------------------------------------------------------------------------------ none


class NoneBackend:
    name = "none"
    model = ""

    def chat(self, messages: list[dict], **params: Any) -> ChatResult:
        raise NoModel()

    def stream(self, messages: list[dict], **params: Any) -> Iterator[str | ChatResult]:
        raise NoModel()


# ---------------------------------------------------------------------------------------------- openai


def chat_endpoint(base: str) -> str:
    base = base.rstrip("/")
    if base.endswith("/chat/completions"):
        return base
    if base.endswith("/v1"):
        return base + "/chat/completions"
    return base + "/v1/chat/completions"


def _unavailable(errors: list[str]) -> BackendError:
    detail = "；".join(errors[-3:])
    return BackendError("backend_unavailable", f"大模型服务不可用（已重试并切换所有端点）：{detail}",
                        f"The model service is unavailable after retries and failover: {detail}")


def _garbage(endpoint: str, what: str) -> BackendError:
    return BackendError("backend_bad_response", f"大模型服务返回了无法解析的响应（{endpoint}）：{what}",
                        f"The model service returned an unreadable response ({endpoint}): {what}")


def _dropped(endpoint: str, what: str) -> BackendError:
    return BackendError("backend_stream_dropped", f"大模型服务的流式回答中途中断（{endpoint}）：{what}。回答未保存，请重试。",
                        f"The model service dropped the stream mid-answer ({endpoint}): {what}. "
                        "Nothing was stored; please retry.")


class OpenAICompatBackend:
    """OpenAI-compatible chat completions over httpx, with failover, retries and SSE streaming."""

    name = "openai"

    def __init__(self, urls: list[str], model: str = "", api_key: str = "", timeout: float = 60.0,
                 retries: int = 2, backoff: float = 0.5) -> None:
        if not urls:
            raise ZhengwuError("backend_no_url", "已选择 openai 模型后端，但未配置 ZHENGWU_LLM_URLS。",
                               "The openai backend is selected but ZHENGWU_LLM_URLS is not set.")
        self.urls = list(urls)
        self.model = model or "default"
        self.retries = max(0, retries)
        self.backoff = backoff
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        import httpx  # ~0.1 s: only when this backend is configured, not in every process that imports the door

        self._client = httpx.Client(timeout=httpx.Timeout(timeout, connect=min(10.0, timeout)), headers=headers)

    def _body(self, messages: list[dict], stream: bool, params: dict) -> dict:
        return {"model": self.model, "messages": messages, "stream": stream, **params}

    def _attempts(self) -> Iterator[tuple[str, int]]:
        """(endpoint, attempt) in failover order; endpoints cooling down after a failure are skipped
        (zhengwu/gateway/health.py) unless all of them are."""
        for base in health.order(self.urls):
            for attempt in range(self.retries + 1):
                yield chat_endpoint(base), attempt

    def _base_of(self, endpoint: str) -> str:
        return next((b for b in self.urls if chat_endpoint(b) == endpoint), endpoint)

    def _sleep(self, attempt: int) -> None:
        if attempt < self.retries:
            time.sleep(self.backoff * (2 ** attempt))

    def chat(self, messages: list[dict], **params: Any) -> ChatResult:
        errors: list[str] = []
        garbage_only = True
        for base in health.order(self.urls):
            endpoint = chat_endpoint(base)
            for attempt in range(self.retries + 1):
                outcome = self._chat_once(endpoint, messages, params)
                if isinstance(outcome, ChatResult):
                    health.mark_ok(base)
                    return outcome
                message, retry, garbage = outcome
                errors.append(message)
                garbage_only = garbage_only and garbage
                if not retry:
                    break
                self._sleep(attempt)
            health.mark_failure(base, errors[-1])
        if errors and garbage_only:
            raise _garbage(self.urls[-1], "; ".join(errors[-2:]))
        raise _unavailable(errors)

    def _chat_once(self, endpoint: str, messages: list[dict], params: dict) -> ChatResult | tuple[str, bool, bool]:
        """One request -> the result, or (error, worth retrying here, unreadable answer)."""
        import httpx

        try:
            resp = self._client.post(endpoint, json=self._body(messages, False, params))
        except httpx.TimeoutException:
            return f"{endpoint} 超时/timeout", True, False
        except httpx.TransportError as exc:
            return f"{endpoint} {type(exc).__name__}", True, False
        if resp.status_code >= 500 or resp.status_code == 429:
            return f"{endpoint} HTTP {resp.status_code}", True, False
        if resp.status_code >= 400:  # the request itself is wrong here: no retry, try the next endpoint
            return f"{endpoint} HTTP {resp.status_code}", False, False
        try:
            data = resp.json()
            choice = data["choices"][0]
            text = choice["message"]["content"]
            if not isinstance(text, str):
                raise TypeError("content is not a string")
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            return str(_garbage(endpoint, type(exc).__name__).en), False, True
        return ChatResult(text, str(data.get("model") or self.model), dict(data.get("usage") or {}), endpoint)

    def stream(self, messages: list[dict], **params: Any) -> Iterator[str | ChatResult]:
        import httpx

        errors: list[str] = []
        last: str | None = None
        for endpoint, attempt in self._attempts():
            if last is not None and endpoint != last:  # moved on without an answer: the last one cools down
                health.mark_failure(self._base_of(last), errors[-1] if errors else "failed")
            last = endpoint
            started = False
            parts: list[str] = []
            usage: dict = {}
            model = self.model
            try:
                with self._client.stream("POST", endpoint, json=self._body(messages, True, params)) as resp:
                    if resp.status_code >= 400:
                        errors.append(f"{endpoint} HTTP {resp.status_code}")
                        if resp.status_code >= 500 or resp.status_code == 429:
                            self._sleep(attempt)
                        continue
                    done = False
                    for line in resp.iter_lines():
                        if not line or line.startswith(":") or not line.startswith("data:"):
                            continue
                        payload = line[5:].strip()
                        if payload == "[DONE]":
                            done = True
                            break
                        try:
                            obj = json.loads(payload)
                            choice = (obj.get("choices") or [{}])[0]
                            delta = (choice.get("delta") or {}).get("content") or ""
                        except (ValueError, AttributeError, TypeError) as exc:
                            raise _garbage(endpoint, f"SSE {type(exc).__name__}") from exc
                        model = obj.get("model") or model
                        usage = obj.get("usage") or usage
                        if choice.get("finish_reason"):
                            done = True
                        if delta:
                            started = True
                            parts.append(delta)
                            yield delta
                    if not done:
                        raise _dropped(endpoint, "no end-of-stream marker")
                    health.mark_ok(self._base_of(endpoint))
                    yield ChatResult("".join(parts), str(model), dict(usage), endpoint)
                    return
            except httpx.TimeoutException:
                if started:
                    raise _dropped(endpoint, "timeout") from None
                errors.append(f"{endpoint} 超时/timeout")
                self._sleep(attempt)
            except httpx.TransportError as exc:
                if started:
                    raise _dropped(endpoint, type(exc).__name__) from None
                errors.append(f"{endpoint} {type(exc).__name__}")
                self._sleep(attempt)
        if last is not None:
            health.mark_failure(self._base_of(last), errors[-1] if errors else "failed")
        raise _unavailable(errors)


on_reset(_instances.clear)
