"""Quotas and rate limits: how limits resolve, that a refused request counts nothing, who may change a rule,
and the real server answering 429 with a bilingual message on the model-using endpoints."""

from __future__ import annotations

import os

import httpx
import pytest

from tests.conftest import make_account, running_server, signed_in


def _admin(dept: str = "prov"):  # noqa: ANN202
    from zhengwu.context import Caller

    return Caller("root", dept, "admin")


def _setup_tree() -> None:
    from zhengwu.context import Caller
    from zhengwu.identity import create_department
    from zhengwu.identity.accounts import ensure_department
    from zhengwu.store import session_scope

    with session_scope() as s:
        ensure_department(s, "prov")
        create_department(s, Caller("sys", "*", "admin"), "city", "市", "prov")
        ensure_department(s, "other")


def test_limits_resolve_rule_then_default_then_setting(zw_env, monkeypatch):
    from zhengwu.admin import quotas
    from zhengwu.config import reset_settings
    from zhengwu.store import session_scope

    monkeypatch.setenv("ZHENGWU_QUOTA_USER_DAILY", "7")
    monkeypatch.setenv("ZHENGWU_RATE_USER_PER_MINUTE", "3")
    reset_settings()
    _setup_tree()
    make_account("alice", "city", "officer")
    with session_scope() as s:
        assert quotas.limits_for(s, "user", "alice") == quotas.Limits(7, 3)
        quotas.set_rule(s, _admin(), "user", "*", daily=5, per_minute=None)
        assert quotas.limits_for(s, "user", "alice") == quotas.Limits(5, 3)
        quotas.set_rule(s, _admin(), "user", "alice", daily=0, per_minute=9)  # 0 = no limit
        assert quotas.limits_for(s, "user", "alice") == quotas.Limits(0, 9)
        assert quotas.limits_for(s, "user", "bob") == quotas.Limits(5, 3)


def test_admit_counts_and_refuses_without_counting(zw_env, monkeypatch):
    from zhengwu.admin import quotas
    from zhengwu.context import Caller
    from zhengwu.store import session_scope

    _setup_tree()
    make_account("alice", "city", "officer")
    make_account("carol", "city", "officer")
    quotas.reset_rate_windows()
    with session_scope() as s:
        quotas.set_rule(s, _admin(), "user", "alice", daily=2, per_minute=0)
        quotas.set_rule(s, _admin(), "department", "city", daily=3, per_minute=None)
    alice, carol = Caller("alice", "city", "officer"), Caller("carol", "city", "officer")
    for _ in range(2):
        with session_scope() as s:
            quotas.admit(s, alice, "10.0.0.1")
    with pytest.raises(quotas.QuotaExceeded) as exc:
        with session_scope() as s:
            quotas.admit(s, alice, "10.0.0.1")
    assert exc.value.status == 429 and exc.value.code == "quota_exceeded" and "今日" in exc.value.zh
    with session_scope() as s:  # the refused request was not counted, for the user or the department
        quotas.admit(s, carol, "10.0.0.2")  # the department's third request
    with pytest.raises(quotas.QuotaExceeded) as exc:
        with session_scope() as s:
            quotas.admit(s, carol, "10.0.0.2")
    assert "本部门" in exc.value.zh and "department" in exc.value.en
    with session_scope() as s:
        used = {(u["kind"], u["subject"]): u["count"] for u in quotas.usage_today(s, _admin())}
    assert used[("user", "alice")] == 2 and used[("department", "city")] == 3 and used[("user", "carol")] == 1


def test_quotas_off_write_nothing_and_a_single_quota_counts_only_its_subject(zw_env, monkeypatch):
    """With every daily quota at 0 a request writes no counter row (asks must not wait for the write lock just
    to count); with only the department under a quota, only the department is counted, exactly."""
    from sqlalchemy import func, select

    from zhengwu.admin import quotas
    from zhengwu.admin.models import UsageCounter
    from zhengwu.config import reset_settings
    from zhengwu.context import Caller
    from zhengwu.store import session_scope

    for kind in ("USER", "DEPARTMENT", "ANONYMOUS"):
        monkeypatch.setenv(f"ZHENGWU_QUOTA_{kind}_DAILY", "0")
    monkeypatch.setenv("ZHENGWU_RATE_USER_PER_MINUTE", "0")
    reset_settings()
    _setup_tree()
    make_account("alice", "city", "officer")
    quotas.reset_rate_windows()
    alice = Caller("alice", "city", "officer")
    for caller, client in ((alice, "10.0.0.1"), (Caller("anonymous", "public", "citizen"), "10.0.0.9")):
        for _ in range(3):
            with session_scope() as s:
                quotas.admit(s, caller, client)
    with session_scope() as s:
        assert s.scalar(select(func.count()).select_from(UsageCounter)) == 0
        quotas.set_rule(s, _admin(), "department", "city", daily=4, per_minute=None)
    for _ in range(4):
        with session_scope() as s:
            quotas.admit(s, alice, "10.0.0.1")
    with pytest.raises(quotas.QuotaExceeded):
        with session_scope() as s:
            quotas.admit(s, alice, "10.0.0.1")
    with session_scope() as s:
        rows = {(u.kind, u.subject): u.count for u in s.scalars(select(UsageCounter))}
    assert rows == {("department", "city"): 4}


def test_rate_limit_sliding_window():
    from zhengwu.admin import quotas

    quotas.reset_rate_windows()
    assert [quotas._rate_check("user:x", 2, now=t) for t in (0.0, 1.0)] == [0, 0]
    wait = quotas._rate_check("user:x", 2, now=2.0)
    assert 55 <= wait <= 60
    assert quotas._rate_check("user:x", 2, now=60.5) == 0  # the first request left the window
    assert quotas._rate_check("user:y", 0, now=0.0) == 0  # 0 = no limit


def test_only_administrators_over_the_subject_change_rules(zw_env):
    from zhengwu.admin import quotas
    from zhengwu.context import Caller
    from zhengwu.errors import ZhengwuError
    from zhengwu.store import session_scope

    _setup_tree()
    make_account("alice", "city", "officer")
    make_account("olga", "other", "officer")
    city_admin = Caller("cityadmin", "city", "admin")
    with session_scope() as s:
        quotas.set_rule(s, city_admin, "user", "alice", daily=10, per_minute=None)  # below them: fine
    for who, kind, subject, code in [
            (city_admin, "user", "olga", "department_forbidden"),     # another department's user
            (city_admin, "department", "prov", "department_forbidden"),  # above them
            (city_admin, "user", "*", "quota_defaults"),                # defaults: top-level admins only
            (Caller("alice", "city", "manager"), "user", "alice", "admin_required"),
            (_admin(), "user", "alice", "bad_quota")]:
        with pytest.raises(ZhengwuError) as exc:
            with session_scope() as s:
                quotas.set_rule(s, who, kind, subject, daily=-1 if code == "bad_quota" else 5, per_minute=None)
        assert exc.value.code == code, (who, subject)
    from zhengwu.gateway import query_audit

    with session_scope() as s:
        actions = [(r.action, r.input_text) for r in query_audit(s) if r.scenario == "admin"]
    assert ("quota_set", "user:alice") in actions


def test_server_answers_429_per_user_per_address_and_per_minute(zw_env):
    env = dict(os.environ, ZHENGWU_QUOTA_USER_DAILY="2", ZHENGWU_QUOTA_ANONYMOUS_DAILY="1",
               ZHENGWU_RATE_USER_PER_MINUTE="0")
    with running_server(env) as base:
        alice = signed_in(base, "alice", "city", "officer")
        codes = [alice.post("/api/ask", json={"question": "社保卡怎么办？"}).status_code for _ in range(3)]
        assert codes[:2] == [200, 200] and codes[2] == 429
        r = alice.post("/api/write/simplify", json={"text": "为进一步做好有关工作。"})
        body = r.json()["error"]
        assert r.status_code == 429 and body["code"] == "quota_exceeded"
        assert "今日的使用次数已达上限" in body["message_zh"] and "daily quota" in body["message_en"]
        assert int(r.headers["retry-after"]) > 0
        # reading is not limited
        assert alice.get("/api/me").status_code == 200 and alice.get("/api/kb").status_code == 200
        # anonymous citizens: per client address
        assert httpx.post(base + "/api/ask", json={"question": "怎么办理？"}, timeout=60).status_code == 200
        assert httpx.post(base + "/api/ask", json={"question": "怎么办理？"}, timeout=60).status_code == 429
        # an administrator raises alice's quota on the quotas page; it applies at once
        admin = signed_in(base, "root", "city", "admin")
        r = admin.post("/admin/quotas", data={"kind": "user", "subject": "alice", "daily": "10", "per_minute": "2"},
                       follow_redirects=False)
        assert r.status_code == 303 and "error=" not in r.headers["location"]
        page = admin.get("/admin/quotas").text
        assert 'id="quota-user-alice"' in page
        # the per-minute limit from the rule: two more requests pass, the third is told to slow down
        codes = [alice.post("/api/ask", json={"question": "社保卡怎么办？"}) for _ in range(3)]
        assert [c.status_code for c in codes] == [200, 200, 429]
        assert codes[2].json()["error"]["code"] == "rate_limited" and "每分钟" in codes[2].json()["error"]["message_zh"]


def test_a_burst_over_the_daily_limit_on_two_servers_admits_exactly_the_limit(zw_env):
    """Two app servers on one database, one burst of concurrent requests from one API key: exactly the daily
    limit gets through, the rest are refused with 429, and a restarted server still knows the count."""
    from concurrent.futures import ThreadPoolExecutor

    from tests.conftest import api_key

    limit = 5
    env = dict(os.environ, ZHENGWU_QUOTA_USER_DAILY=str(limit), ZHENGWU_QUOTA_DEPARTMENT_DAILY="0",
               ZHENGWU_RATE_USER_PER_MINUTE="0")
    headers = api_key("city", app="burst", scenarios=["policy_qa"])
    body = {"model": "policy_qa", "messages": [{"role": "user", "content": "社保卡怎么补办？"}]}

    def post(base: str) -> int:
        return httpx.post(base + "/v1/chat/completions", headers=headers, json=body, timeout=120).status_code

    with running_server(env) as one, running_server(env) as two:
        with ThreadPoolExecutor(16) as pool:
            codes = list(pool.map(post, [one, two] * 8))
    # no model is configured: an admitted request is answered 503 in the OpenAI shape, a refused one 429
    assert codes.count(429) == len(codes) - limit and set(codes) == {429, 503}, codes
    from datetime import date

    from zhengwu.admin.models import UsageCounter
    from zhengwu.store import session_scope

    with session_scope() as s:  # refused requests were not counted
        assert s.get(UsageCounter, (date.today().isoformat(), "user", "app:burst")).count == limit
    with running_server(env) as again:  # a restart forgets nothing: the count is in the database
        r = httpx.post(again + "/v1/chat/completions", headers=headers, json=body, timeout=120)
        assert r.status_code == 429 and r.json()["error"]["code"] == "quota_exceeded"
