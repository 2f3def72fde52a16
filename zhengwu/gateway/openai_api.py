"""The governed OpenAI-compatible endpoint (`/v1/models`, `/v1/chat/completions`, `/v1/embeddings`).

Why: the departments' other AI applications (Dify, MaxKB, FastGPT ...) speak the OpenAI protocol; pointing their
base URL here gives every one of their model calls our governance — scenario policy, PII masking with
pseudonyms restored in the answer, output checks, the GB 45438 labels and one audit record — without
changing them. It lives in the gateway package because it *is* the door seen from outside: every request is
one `govern(...)` interaction, exactly like a feature's.

Authentication is an application API key (`zhengwu keys create --app A --scenario S`): `Authorization:
Bearer zw_…` maps to a Caller of the key's department with `app:<name>` as user. The scenario is the request's
`scenario` field (or the `X-Zhengwu-Scenario` header), else the key's one scenario. Errors use the OpenAI shape
`{"error": {"message", "type", "code", "param"}}` (message Chinese first, then English) because OpenAI client
libraries read exactly that.

Every /v1 response carries `X-Request-Id` (RequestIds below): the id is the request's audit key — the
`request_id` of every record the request writes, and the ProduceID of its AIGC label (`chatcmpl-<id>`) — so an
application's support desk can find the record from what its own logs kept. When the record exists before the
headers are sent (a plain answer, embeddings, a refusal) `X-Zhengwu-Audit-Id` names it too; a stream's last
chunk carries `audit_id`.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Generator
from typing import TYPE_CHECKING, Any

import anyio
import numpy as np
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, StreamingResponse

from zhengwu.config import get_settings
from zhengwu.errors import NotFound, ZhengwuError
from zhengwu.gateway import labels
from zhengwu.gateway.errors import BackendError, NoModel, Refused
from zhengwu.gateway.govern import Governed, ModelReply, govern
from zhengwu.gateway.scenarios import get_policy, list_policies
from zhengwu.store import session_scope

if TYPE_CHECKING:  # identity imports the gateway: at run time it is imported inside _key
    from zhengwu.identity.apikeys import KeyIdentity

router = APIRouter(prefix="/v1", tags=["openai"])
AIGC_HEADER = "X-AIGC"  # the implicit label (GB 45438 Annex E JSON), also in the body's "AIGC" field
AUDIT_ID_HEADER = "X-Zhengwu-Audit-Id"
ROLES = ("system", "user", "assistant", "developer", "tool")
_TYPES = {400: "invalid_request_error", 401: "authentication_error", 403: "permission_error",
          404: "not_found_error", 413: "invalid_request_error", 429: "rate_limit_error", 503: "service_unavailable"}


class ApiError(ZhengwuError):
    """A request the endpoint refuses before governing it (auth, shape, size); `param` names the bad field."""


class RequestIds:
    """ASGI middleware: a fresh id for every /v1 request, in `request.state.request_id` and in the response's
    `X-Request-Id` header, whoever answers (the routes, the quota check, FastAPI's own 404 / 405)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/v1/"):
            await self.app(scope, receive, send)
            return
        rid = labels.new_produce_id()
        scope.setdefault("state", {})["request_id"] = rid

        async def send_with_id(message: dict) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), (b"x-request-id", rid.encode())]}
            await send(message)

        await self.app(scope, receive, send_with_id)


def _request_id(request: Request) -> str:
    return getattr(request.state, "request_id", None) or labels.new_produce_id()


def _error(exc: ZhengwuError) -> JSONResponse:
    """The OpenAI error response; names the audit record of a refusal or failure when there is one."""
    aid = exc.context.get("audit_id")
    return JSONResponse(status_code=exc.status, content={"error": error_body(exc)},
                        headers={AUDIT_ID_HEADER: str(aid)} if aid else None)


def error_body(exc: ZhengwuError) -> dict:
    """`exc` as the body of an OpenAI error, `{"error": <this>}` (also the quota middleware's answer on /v1):
    exactly message, type, code and param — nothing of zhengwu's own error fields."""
    status = exc.status
    kind = _TYPES.get(status, "api_error" if status >= 500 else "invalid_request_error")
    return {"message": f"{exc.zh} / {exc.en}", "type": kind, "code": exc.code, "param": exc.context.get("param")}


def _upstream_status(exc: ZhengwuError) -> ZhengwuError:
    """A model-service failure as 504 (it timed out) or 502 (it failed otherwise)."""
    if isinstance(exc, BackendError):
        exc.status = 504 if ("timeout" in exc.en.lower() or "超时" in exc.zh) else 502
    return exc


# ------------------------------------------------------------------------------------------ request checks


def _key(request: Request) -> KeyIdentity:
    from zhengwu.identity import verify_key  # identity imports the gateway: resolved at call time

    ident = getattr(request.state, "api_key", None)  # verified already by the quota check (web.deps.get_caller)
    if ident is not None:
        return ident
    auth = request.headers.get("authorization", "")
    key = auth[7:].strip() if auth[:7].lower() == "bearer " else None
    ident = verify_key(key)
    if ident is None:
        raise ApiError("invalid_api_key", "API 密钥缺失、无效或已吊销。", "The API key is missing, invalid or revoked.",
                       status=401)
    return ident


async def _body(request: Request) -> dict:
    limit = get_settings().v1_max_prompt_chars
    raw = await request.body()
    if len(raw) > limit * 4 + 65536:  # a UTF-8 character is at most 4 bytes: refuse before parsing
        raise _too_large(limit)
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):  # RecursionError: arrays nested deeper than the parser goes
        raise ApiError("invalid_json", "请求体不是有效的 JSON。", "The request body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise ApiError("invalid_request", "请求体须为 JSON 对象。", "The request body must be a JSON object.")
    return body


def _too_large(limit: int) -> ApiError:
    return ApiError("prompt_too_large", f"提示过长：最多 {limit} 个字符。",
                    f"The prompt is too long: at most {limit} characters.", status=413)


def _scenario(request: Request, body: dict, ident: KeyIdentity) -> str:
    """The request's scenario: its `scenario` field or X-Zhengwu-Scenario header; else its `model` when that
    names one of the key's scenarios (what /v1/models lists, so a tool that can only pick a model picks the
    scenario); else the key's one scenario (any other `model` is ignored: the administrator's model answers)."""
    named = body.get("scenario", request.headers.get("x-zhengwu-scenario"))
    if named is not None:
        if not _is_text(named) or not named:
            raise ApiError("invalid_scenario", "scenario 须为场景标识字符串。", "scenario must be a scenario id string.",
                           param="scenario")
        return named
    model = body.get("model")
    if isinstance(model, str) and model and (model in ident.scenarios or ("*" in ident.scenarios
                                                                          and _is_scenario(model))):
        return model
    own = [s for s in ident.scenarios if s != "*"]
    if len(own) != 1:
        raise ApiError("scenario_required", "此密钥可用于多个场景，请在请求中用 scenario 字段或 model 字段指明场景。",
                       "This key serves several scenarios: name one in the request's scenario or model field.",
                       param="scenario")
    return own[0]


def _is_scenario(name: str) -> bool:
    with session_scope() as s:
        try:
            get_policy(s, name, cached=True)
        except NotFound:
            return False
    return True


def _is_text(s: Any) -> bool:
    """A string that is text: JSON's `\\ud800` escapes can make half a surrogate pair, which no model, log or
    database can take (it would fail later, half-way through the interaction)."""
    if not isinstance(s, str):
        return False
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _text(content: Any, i: int) -> str:
    """A message's text: a string, or OpenAI's list of parts of which only text parts are accepted."""
    if _is_text(content):
        return content
    if isinstance(content, list) and all(isinstance(p, dict) and p.get("type") == "text"
                                         and _is_text(p.get("text")) for p in content):
        return "".join(p["text"] for p in content)
    raise ApiError("invalid_message", f"第 {i + 1} 条消息的 content 须为文本。",
                   f"messages[{i}].content must be text.", param=f"messages[{i}].content")


def _messages(body: dict) -> list[dict]:
    msgs = body.get("messages")
    if not isinstance(msgs, list) or not msgs:
        raise ApiError("invalid_messages", "messages 须为非空数组。", "messages must be a non-empty array.",
                       param="messages")
    out = []
    for i, m in enumerate(msgs):
        if not isinstance(m, dict) or m.get("role") not in ROLES:
            raise ApiError("invalid_message", f"第 {i + 1} 条消息须为带有效 role 的对象。",
                           f"messages[{i}] must be an object with a valid role ({', '.join(ROLES)}).",
                           param=f"messages[{i}].role")
        role = "system" if m["role"] == "developer" else m["role"]
        out.append({"role": role, "content": _text(m.get("content"), i)})
    limit = get_settings().v1_max_prompt_chars
    if sum(len(m["content"]) for m in out) > limit:
        raise _too_large(limit)
    return out


def _params(body: dict) -> dict:
    params: dict[str, Any] = {}
    tokens = body.get("max_completion_tokens", body.get("max_tokens"))
    if tokens is not None:
        if not isinstance(tokens, int) or isinstance(tokens, bool) or not 0 < tokens <= 1_000_000:
            raise ApiError("invalid_max_tokens", "max_tokens 须为正整数。", "max_tokens must be a positive integer.",
                           param="max_tokens")
        params["max_tokens"] = tokens
    temp = body.get("temperature")
    if temp is not None:
        if not isinstance(temp, (int, float)) or isinstance(temp, bool) or not 0 <= temp <= 2:
            raise ApiError("invalid_temperature", "temperature 须在 0 到 2 之间。", "temperature must be between 0 and 2.",
                           param="temperature")
        params["temperature"] = float(temp)
    if not isinstance(body.get("stream", False), bool):
        raise ApiError("invalid_stream", "stream 须为 true 或 false。", "stream must be true or false.", param="stream")
    if not _is_text(body.get("model", "")):
        raise ApiError("invalid_model", "model 须为字符串。", "model must be a string.", param="model")
    return params


def _open(ident: KeyIdentity, scenario: str, **kw: Any) -> Governed:
    """The interaction, after checking the key names the scenario (the door itself checks the department; a
    refusal is audited)."""
    caller = ident.caller
    g = govern(caller, scenario, **kw)  # unknown / unapproved scenario or a decision request: Refused, audited
    if not ident.allows(scenario):
        with g:
            raise Refused("scenario_not_allowed", f"此密钥不能用于场景 {scenario}。",
                          f"This API key may not be used for scenario {scenario}.")
    return g


def _meta(ident: KeyIdentity) -> dict:
    return {"api_key_id": ident.key_id, "app": ident.caller.user}


# ------------------------------------------------------------------------------------------------- routes


@router.get("/models")
def list_models(request: Request) -> JSONResponse:
    """The scenarios this key may use, as "models": approved, open to its department, named by the key.

    Why scenarios and not the configured model: the administrator's model answers whatever `model` says, so
    the choice an application can make is the scenario; Dify, MaxKB and FastGPT offer what this list holds."""
    try:
        ident = _key(request)
    except ZhengwuError as exc:
        return _error(exc)
    with session_scope() as s:
        usable = [p for p in list_policies(s)
                  if p.approved and p.open_to(ident.caller.department) and ident.allows(p.id)]
    return JSONResponse({"object": "list", "data": [
        {"id": p.id, "object": "model", "created": 0, "owned_by": "zhengwu", "name": p.name_zh,
         "name_en": p.name_en} for p in usable]})


@router.post("/chat/completions")
async def chat_completions(request: Request) -> Any:
    """A governed chat completion; `stream: true` answers with OpenAI chunks as Server-Sent Events."""
    try:
        ident = _key(request)
        body = await _body(request)
        msgs, params = _messages(body), _params(body)
        scenario = _scenario(request, body, ident)
        last_user = next((m["content"] for m in reversed(msgs) if m["role"] == "user"), "")
        opening = {"input": last_user, "request_id": _request_id(request)}
        if body.get("stream"):
            return await _stream(ident, scenario, opening, msgs, params, body)
        g = await run_in_threadpool(_open, ident, scenario, **opening)
        return await run_in_threadpool(_complete, g, ident, msgs, params)
    except ZhengwuError as exc:
        return _error(_upstream_status(exc))


def _complete(g: Governed, ident: KeyIdentity, msgs: list[dict], params: dict) -> JSONResponse:
    with g:
        reply = g.chat(msgs, **params)
        text = g.labelled(reply.text)
        out = g.finish(output=text, action="v1_chat", extra=_meta(ident))
    body = {"id": f"chatcmpl-{out.produce_id}", "object": "chat.completion", "created": int(time.time()),
            "model": reply.model, "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                                               "finish_reason": "content_filter" if reply.blocked else "stop"}],
            "usage": _usage(reply.usage), "ai_label": out.label, "AIGC": out.aigc["AIGC"]}
    return JSONResponse(body, headers={AIGC_HEADER: json.dumps(out.aigc, separators=(",", ":")),
                                       AUDIT_ID_HEADER: str(out.audit_id)})


def _usage(usage: dict) -> dict:
    p, c = usage.get("prompt_tokens", 0), usage.get("completion_tokens", 0)
    p, c = (p if isinstance(p, int) else 0), (c if isinstance(c, int) else 0)
    return {"prompt_tokens": p, "completion_tokens": c, "total_tokens": p + c}


# ----------------------------------------------------------------------------------------------- streaming

_END = object()


class _Pump:
    """Steps a governed stream from worker threads and closes it exactly once, also when the client leaves.

    Why: the interaction's audit record is written when its generator ends; a client that disconnects
    cancels the response task while a worker thread may be inside `next()`, where `close()` would fail — so
    whoever finishes last closes it."""

    def __init__(self, gen: Generator[Any, None, None]) -> None:
        self.gen, self.lock, self.closed = gen, threading.Lock(), False

    def next(self) -> Any:
        with self.lock:
            if self.closed:
                return _END
            try:
                item = next(self.gen)
            except StopIteration:
                return _END
            if self.closed:
                self.gen.close()
            return item

    def close(self) -> None:
        self.closed = True
        if self.lock.acquire(blocking=False):
            try:
                self.gen.close()
            finally:
                self.lock.release()


class _GovernedStream(StreamingResponse):
    def __init__(self, events: Any, pump: _Pump, headers: dict) -> None:
        super().__init__(events, media_type="text/event-stream", headers=headers)
        self.pump = pump

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:  # a client that went away: the interaction is closed now, its audit record written
            if self.pump.gen.gi_frame is not None:  # not run to its end
                # in a worker thread: masking the record's text and its commit would stall every other request
                # on the event loop; shielded, so the cancellation that ended the response cannot skip it
                with anyio.CancelScope(shield=True):
                    await run_in_threadpool(self.pump.close)


def _governed_events(g: Governed, ident: KeyIdentity, msgs: list[dict], params: dict, produce_id: str
                    ) -> Generator[Any, None, None]:
    """Text deltas, then ("end", reply, what is still to show, outcome); the `with` writes the one record.

    The scenario's visible label goes out with the first text (prepend) — not before it, so an upstream that
    fails at once still gets an HTTP error status — or after the last (append), or not at all (metadata_only)."""
    with g:
        head = pending = g.label_parts()[0]
        it = g.chat_stream(msgs, **params)
        for item in it:
            if not isinstance(item, ModelReply):
                yield pending + item
                pending = ""
                continue
            shown = ("\n\n" + item.text) if item.blocked else ""  # a blocked answer: the refusal follows
            tail = "" if head else g.label_parts(item.text)[1]
            out = g.finish(output=head + item.text + tail, action="v1_chat", extra=_meta(ident), produce_id=produce_id)
            yield ("end", item, pending + shown + tail, out)


def _start(ident: KeyIdentity, scenario: str, opening: dict, msgs: list[dict], params: dict) -> tuple[_Pump, Any, str]:
    """Open the interaction and take the stream's first step (policy and upstream errors are raised here, while
    a proper HTTP status can still be sent) — in one worker-thread call, since every hand-off between the event
    loop and a worker thread delays the first token (most under load)."""
    g = _open(ident, scenario, **opening)
    produce_id = g.request_id or labels.new_produce_id()
    pump = _Pump(_governed_events(g, ident, msgs, params, produce_id))
    return pump, pump.next(), produce_id


async def _stream(ident: KeyIdentity, scenario: str, opening: dict, msgs: list[dict], params: dict,
                  body: dict) -> Any:
    pump, first, produce_id = await run_in_threadpool(_start, ident, scenario, opening, msgs, params)
    cid, created = f"chatcmpl-{produce_id}", int(time.time())
    model = body.get("model") or ""
    usage_wanted = isinstance(body.get("stream_options"), dict) and body["stream_options"].get("include_usage")

    def chunk(delta: dict, finish: str | None = None, **extra: Any) -> str:
        obj = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": model,
               "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra}
        return "data: " + json.dumps(obj, ensure_ascii=False) + "\n\n"

    async def events() -> Any:
        item = first
        yield chunk({"role": "assistant", "content": ""})
        try:
            while item is not _END:
                if isinstance(item, str):
                    if item:
                        yield chunk({"content": item})
                else:
                    _, reply, suffix, out = item
                    if suffix:
                        yield chunk({"content": suffix})
                    extra = {"ai_label": out.label, "AIGC": out.aigc["AIGC"], "audit_id": out.audit_id}
                    if usage_wanted:
                        extra["usage"] = _usage(reply.usage)
                    yield chunk({}, "content_filter" if reply.blocked else "stop", **extra)
                item = await run_in_threadpool(pump.next)
        except ZhengwuError as exc:  # the upstream failed mid-stream: the record is closed as failed
            yield "data: " + json.dumps({"error": error_body(_upstream_status(exc))}, ensure_ascii=False) + "\n\n"
        yield "data: [DONE]\n\n"

    header = json.dumps(labels.aigc_metadata(produce_id), separators=(",", ":"))
    return _GovernedStream(events(), pump, {AIGC_HEADER: header, "Cache-Control": "no-cache"})


# ---------------------------------------------------------------------------------------------- embeddings


@router.post("/embeddings")
async def embeddings(request: Request) -> Any:
    """Governed embeddings: personal data in the inputs is masked before the embedder sees it."""
    try:
        ident = _key(request)
        body = await _body(request)
        texts = body.get("input")
        texts = [texts] if isinstance(texts, str) else texts
        if not isinstance(texts, list) or not texts or not all(_is_text(t) and t for t in texts):
            raise ApiError("invalid_input", "input 须为非空字符串或非空字符串数组（不接受词元编号）。",
                           "input must be a non-empty string or an array of non-empty strings (no token ids).",
                           param="input")
        limit = get_settings().v1_max_prompt_chars
        if sum(len(t) for t in texts) > limit:
            raise _too_large(limit)
        fmt = body.get("encoding_format", "float")
        if fmt not in ("float", "base64"):
            raise ApiError("invalid_encoding_format", "encoding_format 须为 float 或 base64。",
                           "encoding_format must be float or base64.", param="encoding_format")
        scenario = _scenario(request, body, ident)
        g = await run_in_threadpool(_open, ident, scenario, input="\n".join(texts), decisions="off",
                                    request_id=_request_id(request))
        return await run_in_threadpool(_embed, g, ident, texts, fmt)
    except ZhengwuError as exc:
        return _error(_upstream_status(exc))


def _embed(g: Governed, ident: KeyIdentity, texts: list[str], fmt: str) -> JSONResponse:
    with g:
        mat = g.embed_passages(texts, mask=True)
        if mat is None:
            raise NoModel("未配置向量模型。", "No embedding model is configured.")
        out = g.finish(action="v1_embeddings", extra={**_meta(ident), "texts": len(texts)})
    mat = np.asarray(mat, dtype=np.float32)
    data = [{"object": "embedding", "index": i,
             "embedding": base64.b64encode(row.astype("<f4").tobytes()).decode("ascii") if fmt == "base64"
             else [float(x) for x in row]} for i, row in enumerate(mat)]
    n = sum(len(t) for t in texts)
    return JSONResponse({"object": "list", "data": data, "model": g.vector_space() or "",
                         "usage": {"prompt_tokens": n, "total_tokens": n}},
                        headers={AUDIT_ID_HEADER: str(out.audit_id)})
