"""The governed OpenAI-compatible endpoint (/v1), exercised with the official `openai` client against the real
`zhengwu serve` and a real HTTP upstream on 127.0.0.1 (the recording model server of tests/gateway/conftest.py,
which streams its answer in 3-character pieces, so pseudonyms arrive cut across chunks)."""

from __future__ import annotations

import asyncio
import json
import os
import time

import httpx
import pytest

from tests.conftest import api_key, running_server

openai = pytest.importorskip("openai", reason="the openai client is a test dependency (pip install -e .[test])")

PROMPT = "我叫王小明，手机13812345678，身份证号11010519491231002X。请问生育津贴怎么申请？"
RAW_PII = ("王小明", "13812345678", "11010519491231002X")
DEPT = "办公厅"


@pytest.fixture
def endpoint(model_server):
    """(base URL of the real server, its /v1 key for policy_qa, the upstream)."""
    with running_server() as base:
        key = api_key(DEPT, app="dify", scenarios=["policy_qa"])["Authorization"][7:]
        yield base, key, model_server


def _client(base: str, key: str, **kw) -> openai.OpenAI:
    return openai.OpenAI(base_url=base + "/v1", api_key=key, max_retries=0, timeout=30, **kw)


def _records(action: str | None = None) -> list[dict]:
    from zhengwu.gateway import audit
    from zhengwu.store import session_scope

    with session_scope() as s:
        assert audit.verify(s).ok
        rows = [{"action": r.action, "scenario": r.scenario, "user": r.user, "input": r.input_text or "",
                 "output": r.output_text or "", "checks": r.checks, "extra": json.loads(r.extra)}
                for r in audit.query(s)]
    return [r for r in rows if action is None or r["action"] == action]


def _wait_records(pred, timeout: float = 10.0) -> list[dict]:
    deadline = time.time() + timeout
    while True:
        rows = [r for r in _records() if pred(r)]
        if rows or time.time() > deadline:
            return rows
        time.sleep(0.2)


def _assert_no_raw_pii_upstream(sent: str) -> None:
    assert sent, "the upstream received nothing"
    for raw in RAW_PII:
        assert raw not in sent


def test_plain_completion_masks_restores_labels_and_audits_once(endpoint):
    base, key, srv = endpoint
    resp = _client(base, key).chat.completions.with_raw_response.create(
        model="any", messages=[{"role": "user", "content": PROMPT}])
    comp = resp.parse()
    text = comp.choices[0].message.content
    _assert_no_raw_pii_upstream(srv.all_received())
    assert "【" in srv.all_received()  # pseudonyms went up instead
    for raw in ("王小明", "13812345678"):  # the echoing upstream quoted them back as pseudonyms: restored
        assert raw in text
    assert text.rstrip().endswith("（人工智能生成）")
    header = json.loads(resp.headers["x-aigc"])["AIGC"]
    from zhengwu.gateway.labels import validate_aigc

    validate_aigc({"AIGC": header})
    assert comp.model_extra["AIGC"] == header and comp.id == f"chatcmpl-{header['ProduceID']}"
    rows = _records("v1_chat")
    assert len(rows) == 1 and rows[0]["user"] == "app:dify" and rows[0]["scenario"] == "policy_qa"
    assert rows[0]["extra"]["produce_id"] == header["ProduceID"]
    assert all(raw not in rows[0]["input"] + rows[0]["output"] for raw in RAW_PII)


def test_streaming_restores_pseudonyms_cut_across_chunks(endpoint):
    base, key, srv = endpoint
    stream = _client(base, key).chat.completions.create(
        model="any", messages=[{"role": "user", "content": PROMPT}], stream=True,
        stream_options={"include_usage": True})
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    _assert_no_raw_pii_upstream(srv.all_received())
    assert json.loads(srv.received[-1])["stream"] is True
    assert "王小明" in text and "13812345678" in text and "【" not in text
    assert text.rstrip().endswith("（人工智能生成）")
    last = chunks[-1]
    assert last.choices[0].finish_reason == "stop" and last.model_extra["AIGC"]["Label"] == "1"
    assert last.usage is not None
    assert len(_records("v1_chat")) == 1


def test_stream_wire_format_ends_with_done_and_carries_the_aigc_header(endpoint):
    base, key, _ = endpoint
    with httpx.stream("POST", base + "/v1/chat/completions", headers={"Authorization": f"Bearer {key}"},
                      json={"model": "m", "stream": True, "messages": [{"role": "user", "content": "你好"}]},
                      timeout=30) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        pid = json.loads(r.headers["x-aigc"])["AIGC"]["ProduceID"]
        lines = [ln for ln in r.iter_lines() if ln]
    assert lines[-1] == "data: [DONE]"
    objs = [json.loads(ln[6:]) for ln in lines[:-1]]
    assert all(o["object"] == "chat.completion.chunk" and o["id"] == f"chatcmpl-{pid}" for o in objs)
    assert objs[-1]["AIGC"]["ProduceID"] == pid


def test_async_client(endpoint):
    base, key, srv = endpoint

    async def run() -> tuple[str, str]:
        client = openai.AsyncOpenAI(base_url=base + "/v1", api_key=key, max_retries=0, timeout=30)
        plain = await client.chat.completions.create(model="m", messages=[{"role": "user", "content": PROMPT}])
        parts = []
        async for c in await client.chat.completions.create(
                model="m", messages=[{"role": "user", "content": PROMPT}], stream=True):
            parts.append(c.choices[0].delta.content or "" if c.choices else "")
        await client.close()
        return plain.choices[0].message.content, "".join(parts)

    plain, streamed = asyncio.run(run())
    assert "王小明" in plain and "王小明" in streamed
    _assert_no_raw_pii_upstream(srv.all_received())
    assert len(_records("v1_chat")) == 2


def test_models_and_forged_and_revoked_keys_are_401_in_the_openai_shape(endpoint, run_cli_ok):
    base, key, srv = endpoint
    assert [m.id for m in _client(base, key).models.list()] == ["policy_qa"]  # the key's one scenario
    with pytest.raises(openai.AuthenticationError):
        _client(base, "zw_forged").models.list()
    msgs = [{"role": "user", "content": "你好"}]
    for headers in ({"Authorization": "Bearer zw_" + "A" * 43}, {"Authorization": "Bearer sk-not-ours"},
                    {"Authorization": "Basic eDp5"}, {}):
        r = httpx.post(base + "/v1/chat/completions", headers=headers, json={"model": "m", "messages": msgs},
                       timeout=30)
        assert r.status_code == 401
        err = r.json()["error"]
        assert set(err) == {"message", "type", "code", "param"} and err["type"] == "authentication_error"
        assert err["message"].startswith("API 密钥")
    listed = json.loads(run_cli_ok("keys", "list", "--json").stdout)
    prefix = next(k["prefix"] for k in listed if k["app"] == "dify")
    assert prefix == key[:10] and key not in run_cli_ok("keys", "list").stdout
    _client(base, key).chat.completions.create(model="m", messages=msgs)  # the key works until revoked
    assert len(srv.received) == 1 and len(_records("v1_chat")) == 1
    done = run_cli_ok("keys", "revoke", prefix)  # another process: the server learns it from the database
    assert done.returncode == 0, done.stderr
    with pytest.raises(openai.AuthenticationError):  # the very next request
        _client(base, key).chat.completions.create(model="m", messages=msgs)
    assert len(srv.received) == 1 and len(_records("v1_chat")) == 1


def test_scenario_the_key_lacks_and_another_departments_scenario_are_403(endpoint, run_cli_ok, callers):
    base, key, srv = endpoint
    from zhengwu.gateway.scenarios import add_scenario, approve_scenario
    from zhengwu.store import session_scope

    with session_scope() as s:
        add_scenario(s, callers["admin"], id="mz_only", name_zh="民政专用", department="民政局")
    with session_scope() as s:
        approve_scenario(s, callers["admin2"], "mz_only")
    msgs = [{"role": "user", "content": "你好"}]
    with pytest.raises(openai.PermissionDeniedError) as exc:
        _client(base, key).chat.completions.create(model="m", messages=msgs, extra_body={"scenario": "doc_draft"})
    assert exc.value.body["code"] == "scenario_not_allowed"
    wide = api_key(DEPT, app="wide", scenarios=["*"])["Authorization"][7:]
    with pytest.raises(openai.PermissionDeniedError):
        _client(base, wide).chat.completions.create(model="m", messages=msgs, extra_body={"scenario": "mz_only"})
    with pytest.raises(openai.BadRequestError) as exc:  # a wide key must name its scenario
        _client(base, wide).chat.completions.create(model="m", messages=msgs)
    assert exc.value.body["param"] == "scenario"
    assert srv.received == []
    refused = [r for r in _records("refused") if r["user"].startswith("app:")]
    assert len(refused) == 2  # each refusal is audited once
    # the CLI will not create a key for a scenario the department cannot use, or one that does not exist
    for scen in ("mz_only", "no_such_scenario"):
        r = run_cli_ok("keys", "create", "--app", "x", "--scenario", scen, "--department", DEPT)
        assert r.returncode == 2 and scen in r.stdout + r.stderr and "zw_" not in r.stdout


def _set_label(placement: str) -> None:
    """policy_qa's visible label, as an administrator sets it (the server sees it within its 1 s policy cache)."""
    from zhengwu.context import Caller
    from zhengwu.gateway.scenarios import set_visible_label
    from zhengwu.store import session_scope

    with session_scope() as s:
        set_visible_label(s, Caller("admin1", "*", "admin"), "policy_qa", placement)
    time.sleep(1.2)


def test_the_visible_label_goes_where_the_scenario_says_plain_and_streamed(endpoint):
    base, key, _ = endpoint
    client = _client(base, key)
    msgs = [{"role": "user", "content": PROMPT}]
    seen = {}
    for placement in ("prepend", "metadata_only", "append"):
        _set_label(placement)
        plain = client.chat.completions.with_raw_response.create(model="m", messages=msgs)
        chunks = list(client.chat.completions.create(model="m", messages=msgs, stream=True))
        seen[placement] = (plain.parse().choices[0].message.content,
                           "".join(c.choices[0].delta.content or "" for c in chunks if c.choices))
        # never optional: the implicit label in the header and body, the label text for the application's UI
        assert json.loads(plain.headers["x-aigc"])["AIGC"]["Label"] == "1"
        assert plain.parse().model_extra["ai_label"] == "人工智能生成"
        assert chunks[-1].model_extra["AIGC"]["Label"] == "1" and chunks[-1].model_extra["ai_label"] == "人工智能生成"
    mark = "（人工智能生成）"
    for text in seen["prepend"]:
        assert text.startswith(mark + "\n\n") and text.count(mark) == 1 and "王小明" in text
    for text in seen["metadata_only"]:
        assert mark not in text and "人工智能" not in text and "王小明" in text
    for text in seen["append"]:
        assert text.endswith("\n\n" + mark) and text.count(mark) == 1
    # the audit record keeps what the client was shown (masked), label included or not
    outputs = [r["output"] for r in _records("v1_chat")]
    assert len(outputs) == 6
    assert [o.startswith(mark) for o in outputs] == [True, True, False, False, False, False]
    assert [o.endswith(mark) for o in outputs] == [False, False, False, False, True, True]


def test_request_ids_audit_ids_and_the_models_a_key_may_use(endpoint, callers, run_cli_ok):
    base, key, srv = endpoint
    from zhengwu.gateway.scenarios import add_scenario, approve_scenario
    from zhengwu.store import session_scope

    with session_scope() as s:  # one scenario of another department, one never approved
        add_scenario(s, callers["admin"], id="mz_only", name_zh="民政专用", department="民政局")
        add_scenario(s, callers["admin"], id="draft_only", name_zh="未批准")
    with session_scope() as s:
        approve_scenario(s, callers["admin2"], "mz_only")
    auth = {"Authorization": f"Bearer {key}"}
    msgs = [{"role": "user", "content": "你好"}]
    r = httpx.post(base + "/v1/chat/completions", headers=auth, json={"model": "m", "messages": msgs}, timeout=30)
    rid, aid = r.headers["x-request-id"], int(r.headers["x-zhengwu-audit-id"])
    assert r.status_code == 200 and r.json()["id"] == f"chatcmpl-{rid}"
    assert json.loads(r.headers["x-aigc"])["AIGC"]["ProduceID"] == rid
    with httpx.stream("POST", base + "/v1/chat/completions", headers=auth, timeout=30,
                      json={"model": "m", "messages": msgs, "stream": True}) as st:
        srid = st.headers["x-request-id"]
        last = [json.loads(ln[6:]) for ln in st.iter_lines() if ln.startswith("data: {")][-1]
    refused = httpx.post(base + "/v1/chat/completions", headers=auth, timeout=30,
                         json={"model": "m", "messages": msgs, "scenario": "doc_draft"})
    assert refused.status_code == 403 and set(refused.json()["error"]) == {"message", "type", "code", "param"}
    from zhengwu.gateway import audit

    with session_scope() as s:
        recs = {r.id: (r.action, json.loads(r.extra)) for r in audit.query(s)}
    assert recs[aid][0] == "v1_chat" and recs[aid][1]["request_id"] == rid
    assert recs[last["audit_id"]][0] == "v1_chat" and recs[last["audit_id"]][1]["request_id"] == srid
    action, extra = recs[int(refused.headers["x-zhengwu-audit-id"])]
    assert action == "refused" and extra["request_id"] == refused.headers["x-request-id"]
    assert len({rid, srid, refused.headers["x-request-id"]}) == 3
    # the support desk finds a request's record by its id: exactly that one, in the caller's department only
    with session_scope() as s:
        assert [x.id for x in audit.search(s, callers["admin"], request_id=rid)[0]] == [aid]
        assert audit.search(s, callers["admin"], request_id=rid[:-1])[1] == 0  # no prefix match
        assert audit.search(s, callers["admin"], request_id="%")[1] == 0  # no wildcard either
    r = run_cli_ok("audit", "show", "--request-id", srid, "--json")
    assert r.returncode == 0, r.stderr
    assert [x["id"] for x in json.loads(r.stdout)] == [last["audit_id"]]
    # every /v1 answer has a request id, also those no route wrote: a bad key, an unknown path, a wrong method
    for resp in (httpx.get(base + "/v1/models", headers={"Authorization": "Bearer zw_nope"}),
                 httpx.get(base + "/v1/no/such/path", headers=auth), httpx.get(base + "/v1/chat/completions")):
        assert resp.status_code in (401, 404, 405) and len(resp.headers["x-request-id"]) == 32
    assert "x-request-id" not in httpx.get(base + "/healthz").headers  # only /v1 speaks for other applications
    # /v1/models: the scenarios this key may use; a wide key of 办公厅: every approved scenario open to 办公厅
    wide = api_key(DEPT, app="wide", scenarios=["*"])["Authorization"][7:]
    listed = [m.id for m in _client(base, wide).models.list()]
    assert "policy_qa" in listed and "doc_draft" in listed
    assert "mz_only" not in listed and "draft_only" not in listed
    # a tool that can only choose a model chooses the scenario with it
    srv.received.clear()
    r = _client(base, wide).chat.completions.with_raw_response.create(model="doc_draft", messages=msgs)
    assert r.parse().choices[0].message.content and len(srv.received) == 1
    with session_scope() as s:
        rec = next(x for x in audit.query(s) if x.id == int(r.headers["x-zhengwu-audit-id"]))
    assert rec.scenario == "doc_draft" and rec.user == "app:wide"
    # a model naming a scenario the key lacks is only a model name: the key's own scenario governs
    r = _client(base, key).chat.completions.with_raw_response.create(model="doc_draft", messages=msgs)
    with session_scope() as s:
        rec = next(x for x in audit.query(s) if x.id == int(r.headers["x-zhengwu-audit-id"]))
    assert rec.scenario == "policy_qa"
    with pytest.raises(openai.BadRequestError) as exc:  # a model that is no scenario: the wide key must say which
        _client(base, wide).chat.completions.create(model="gpt-4o", messages=msgs)
    assert exc.value.body["param"] == "scenario"


def test_quota_refusals_on_v1_are_in_the_openai_shape_only(model_server):
    env = dict(os.environ, ZHENGWU_QUOTA_USER_DAILY="1", ZHENGWU_RATE_USER_PER_MINUTE="0")
    with running_server(env) as base:
        key = api_key(DEPT, app="quota-app", scenarios=["policy_qa"])["Authorization"][7:]
        client = _client(base, key)
        msgs = [{"role": "user", "content": "你好"}]
        client.chat.completions.create(model="m", messages=msgs)
        with pytest.raises(openai.RateLimitError) as exc:
            client.chat.completions.create(model="m", messages=msgs)
        err = exc.value.body
        assert set(err) == {"message", "type", "code", "param"}, err
        assert err["type"] == "rate_limit_error" and err["code"] == "quota_exceeded" and " / " in err["message"]
        assert int(exc.value.response.headers["retry-after"]) > 0 and exc.value.response.headers["x-request-id"]
    assert len(model_server.received) == 1


MALFORMED = [
    ("not json", None),
    ("[1, 2]", None),
    ({"model": "m"}, "messages"),
    ({"model": "m", "messages": []}, "messages"),
    ({"model": "m", "messages": [{"role": "user", "content": 5}]}, "messages[0].content"),
    ({"model": "m", "messages": [{"role": "hacker", "content": "x"}]}, "messages[0].role"),
    ({"model": "m", "messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {}}]}]},
     "messages[0].content"),
    ({"model": "m", "messages": [{"role": "user", "content": "x"}], "temperature": 9}, "temperature"),
    ({"model": "m", "messages": [{"role": "user", "content": "x"}], "max_tokens": -1}, "max_tokens"),
    ({"model": "m", "messages": [{"role": "user", "content": "x"}], "stream": "yes"}, "stream"),
    ({"model": 7, "messages": [{"role": "user", "content": "x"}]}, "model"),
    ('{"model": "m", "messages": ' + "[" * 50_000, None),  # nested deeper than any parser's recursion
    # half a surrogate pair: no model, log or database takes it
    ('{"model": "m", "messages": [{"role": "user", "content": "\\ud800 x"}]}', "messages[0].content"),
    ('{"model": "\\udfff", "messages": [{"role": "user", "content": "x"}]}', "model"),
    ('{"scenario": "\\ud800", "messages": [{"role": "user", "content": "x"}]}', "scenario"),
]


def test_malformed_requests_are_400_huge_ones_413_and_reach_nothing(endpoint):
    base, key, srv = endpoint
    for body, param in MALFORMED:
        kw = {"content": body} if isinstance(body, str) else {"json": body}
        r = httpx.post(base + "/v1/chat/completions", headers={"Authorization": f"Bearer {key}"}, timeout=30, **kw)
        assert r.status_code == 400, (body, r.text)
        err = r.json()["error"]
        assert err["type"] == "invalid_request_error" and err["param"] == param and " / " in err["message"], body
    with pytest.raises(openai.APIStatusError) as exc:
        _client(base, key).chat.completions.create(model="m", messages=[{"role": "user", "content": "长" * 200_000}])
    assert exc.value.status_code == 413 and exc.value.body["code"] == "prompt_too_large"
    r = httpx.post(base + "/v1/embeddings", headers={"Authorization": f"Bearer {key}"}, timeout=30,
                   json={"model": "e", "input": ["字" * 100_000, "字" * 100_000]})
    assert r.status_code == 413
    r = httpx.post(base + "/v1/embeddings", headers={"Authorization": f"Bearer {key}"}, timeout=30,
                   content='{"model": "e", "input": ["\\ud800"]}')
    assert r.status_code == 400 and r.json()["error"]["param"] == "input"
    assert srv.received == [] and _records("v1_chat") == []


def test_client_leaving_mid_stream_still_closes_the_audit_record(endpoint):
    base, key, srv = endpoint
    srv.reply = "这是一个很长的回答，" * 30
    srv.chunk_delay = 0.05  # ~100 pieces: about five seconds of streaming
    with httpx.stream("POST", base + "/v1/chat/completions", headers={"Authorization": f"Bearer {key}"},
                      json={"model": "m", "stream": True, "messages": [{"role": "user", "content": PROMPT}]},
                      timeout=30) as r:
        for line in r.iter_lines():
            if '"content": "' in line and '"content": ""' not in line:
                break  # the first text: now the client goes away
    rows = _wait_records(lambda rec: rec["scenario"] == "policy_qa" and rec["user"] == "app:dify")
    assert len(rows) == 1 and rows[0]["action"] in ("failed", "complete_failed"), rows
    assert "error:GeneratorExit" in rows[0]["checks"]
    assert "【" in rows[0]["input"] and not any(raw in rows[0]["input"] for raw in RAW_PII)  # as the model got it
    time.sleep(1.0)  # nothing further is written for that interaction later
    assert len([r for r in _records() if r["user"] == "app:dify"]) == 1


def test_upstream_failures_are_502_504_and_mid_stream_an_error_event(endpoint):
    base, key, srv = endpoint
    msgs = [{"role": "user", "content": "你好"}]
    srv.mode, srv.status = "status", 500
    with pytest.raises(openai.APIStatusError) as exc:
        _client(base, key).chat.completions.create(model="m", messages=msgs)
    assert exc.value.status_code == 502
    with pytest.raises(openai.APIStatusError) as exc:
        _client(base, key).chat.completions.create(model="m", messages=msgs, stream=True)
    assert exc.value.status_code == 502
    srv.mode, srv.reply = "drop", "一段会在中途断掉的回答，" * 5
    with pytest.raises(openai.APIError):
        for _ in _client(base, key).chat.completions.create(model="m", messages=msgs, stream=True):
            pass
    srv.mode, srv.delay = "sleep", 5.0  # longer than the configured 3 s timeout
    with pytest.raises(openai.APIStatusError) as exc:
        _client(base, key).chat.completions.create(model="m", messages=msgs)
    assert exc.value.status_code == 504
    rows = [r for r in _records() if r["user"] == "app:dify"]
    assert [r["action"] for r in rows] == ["complete_failed"] * 4


def test_embeddings_mask_personal_data_before_the_embedder(model_server, monkeypatch):
    from zhengwu.config import reset_settings

    monkeypatch.setenv("ZHENGWU_EMBEDDER", "openai")
    monkeypatch.setenv("ZHENGWU_EMBEDDING_URL", model_server.url)
    reset_settings()
    with running_server() as base:
        key = api_key(DEPT, app="maxkb", scenarios=["kb_search"])["Authorization"][7:]
        client = _client(base, key)
        out = client.embeddings.create(model="e", input=[PROMPT, "生育津贴"])  # the client asks for base64
        floats = client.embeddings.create(model="e", input="生育津贴", encoding_format="float")
    assert len(out.data) == 2 and len(out.data[0].embedding) == 32
    assert out.data[1].embedding == pytest.approx(floats.data[0].embedding, abs=1e-6)
    _assert_no_raw_pii_upstream(model_server.all_received())
    rows = _records("v1_embeddings")
    assert len(rows) == 2 and rows[0]["extra"]["texts"] == 2


@pytest.mark.slow
def test_real_llama_cpp_upstream_plain_and_streamed(llama_proxy, zw_env, monkeypatch):
    """The same door with a real model (llama.cpp, gemma3-270m) behind it; skips when llama.cpp is absent."""
    from tests.conftest import use_backend

    llama_proxy.received.clear()
    use_backend(monkeypatch, f"http://127.0.0.1:{llama_proxy.server_address[1]}", model="gemma3-270m", timeout="300")
    with running_server() as base:
        key = api_key(DEPT, app="fastgpt", scenarios=["policy_qa"])["Authorization"][7:]
        client = openai.OpenAI(base_url=base + "/v1", api_key=key, max_retries=0, timeout=300)
        msgs = [{"role": "user", "content": PROMPT}]
        plain = client.chat.completions.create(model="gemma3-270m", messages=msgs, max_tokens=24, temperature=0)
        chunks = list(client.chat.completions.create(model="gemma3-270m", messages=msgs, max_tokens=24,
                                                     temperature=0, stream=True))
    assert len(llama_proxy.received) == 2
    _assert_no_raw_pii_upstream("\n".join(llama_proxy.received))
    assert plain.choices[0].message.content.rstrip().endswith("（人工智能生成）")
    streamed = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert streamed.rstrip().endswith("（人工智能生成）") and chunks[-1].model_extra["AIGC"]["Label"] == "1"
    assert len(_records("v1_chat")) == 2
