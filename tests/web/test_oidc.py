"""统一身份认证 / OIDC sign-on against a real OpenID provider: `oidc-provider-mock` (PyPI; Authlib's OIDC server
code behind a Flask app, with discovery, JWKS, RS256 ID tokens and a sign-in form) runs as its own process on
127.0.0.1, the real `zhengwu serve` runs with ZHENGWU_OIDC_* pointing at it, and httpx plays the browser:
GET /auth/oidc/login -> the provider's authorize URL; POST the provider's form as the user `sub` whose claims the
test set with PUT /users/{sub}; GET the callback on zhengwu with the code and state.

The ID-token validation is also tested directly, with tokens the test signs itself (RSA and EC keys it
generates, a JWKS it serves over HTTP), because a well-behaved provider never issues the bad tokens.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, urlsplit

import httpx
import pytest

from tests.conftest import free_port, running_server, stop_process, wait_up

CLIENT_ID = "zhengwu-test"
CLIENT_SECRET = "s3cret-for-tests"


# --- the provider -----------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def provider():
    """oidc-provider-mock as a separate process on 127.0.0.1 (nonce required, as a strict provider would)."""
    pytest.importorskip("oidc_provider_mock", reason="install the test extra (oidc-provider-mock)")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port),
                             "--require-nonce", "true"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    wait_up(proc, base + "/.well-known/openid-configuration", 30, "provider")
    yield base
    stop_process(proc)


@pytest.fixture(scope="module")
def site(provider, tmp_path_factory):
    """One real server for this module's flow tests (starting one takes a while on a shared machine), over its
    own installation, configured for sign-on at the provider, with departments `tax` and `health`. Tests use
    their own `sub`s and look only at their own audit records."""
    from zhengwu.config import reset_settings
    from zhengwu.identity.accounts import ensure_department
    from zhengwu.store import session_scope
    from zhengwu.store.db import reset_engines

    tmp = tmp_path_factory.mktemp("oidc")
    with pytest.MonkeyPatch.context() as mp:
        for key in list(os.environ):
            if key.startswith("ZHENGWU_") and key != "ZHENGWU_SHARED":
                mp.delenv(key)
        mp.setenv("ZHENGWU_DATA_DIR", str(tmp / "data"))
        mp.setenv("ZHENGWU_CONFIG", str(tmp / "zhengwu.toml"))
        mp.setenv("ZHENGWU_EMBEDDER", "none")
        mp.setenv("ZHENGWU_OIDC_ISSUER", provider)
        mp.setenv("ZHENGWU_OIDC_CLIENT_ID", CLIENT_ID)
        mp.setenv("ZHENGWU_OIDC_CLIENT_SECRET", CLIENT_SECRET)
        reset_settings()
        reset_engines()
        with session_scope() as s:
            ensure_department(s, "tax")
            ensure_department(s, "health")
        with running_server() as base:
            yield base
    reset_settings()
    reset_engines()


def set_claims(provider: str, sub: str, claims: dict) -> None:
    r = httpx.put(f"{provider}/users/{quote(sub, safe='')}", json=claims)
    assert r.status_code == 204, r.text


def start(base: str, next_url: str = "/") -> tuple[httpx.Client, str]:
    """A fresh browser starts a sign-on -> (the browser, the provider's authorization URL)."""
    browser = httpx.Client(base_url=base, timeout=30)
    r = browser.get("/auth/oidc/login", params={"next": next_url})
    assert r.status_code == 302, r.text
    assert "zw_oidc" in r.headers["set-cookie"] and "samesite=lax" in r.headers["set-cookie"].lower()
    return browser, r.headers["location"]


def authorize(auth_url: str, sub: str) -> str:
    """The user signs in at the provider's form -> the callback URL the provider redirects to."""
    r = httpx.post(auth_url, data={"sub": sub}, timeout=30)
    assert r.status_code == 302, r.text
    return r.headers["location"]


def sign_on(base: str, provider: str, sub: str, claims: dict, next_url: str = "/") -> tuple[httpx.Client, httpx.Response]:
    set_claims(provider, sub, claims)
    browser, auth_url = start(base, next_url)
    return browser, browser.get(authorize(auth_url, sub))


def audit_actions(action: str) -> list[dict]:
    from sqlalchemy import select

    from zhengwu.gateway.models import AuditRecord as A
    from zhengwu.store import session_scope

    with session_scope() as s:
        rows = s.execute(select(A.user, A.input_text, A.extra).where(A.scenario == "admin", A.action == action)
                         .order_by(A.id)).all()
    return [{"user": u, "target": t, **json.loads(e or "{}")} for u, t, e in rows]


def user_row(sub: str):
    from sqlalchemy import select

    from zhengwu.identity.models import User
    from zhengwu.store import session_scope

    with session_scope() as s:
        return s.scalar(select(User).where(User.oidc_subject == sub))


# --- the flow against the real provider -------------------------------------------------------------------------

def test_login_page_offers_sign_on(site):
    r = httpx.get(site + "/login?next=/admin")
    assert "统一身份认证登录" in r.text and 'href="/auth/oidc/login?next=/admin"' in r.text


def test_authorization_request_uses_pkce_state_and_nonce(site, provider):
    from zhengwu.identity.models import OidcLogin
    from zhengwu.store import session_scope

    _, auth_url = start(site)
    q = {k: v[0] for k, v in parse_qs(urlsplit(auth_url).query).items()}
    assert auth_url.startswith(provider + "/oauth2/authorize?")
    assert q["response_type"] == "code" and q["client_id"] == CLIENT_ID and q["scope"] == "openid profile email"
    assert q["redirect_uri"] == site + "/auth/oidc/callback"
    assert q["code_challenge_method"] == "S256" and len(q["state"]) >= 40 and len(q["nonce"]) >= 40
    with session_scope() as s:  # the server keeps the verifier; only its S256 challenge left the server
        row = s.get(OidcLogin, hashlib.sha256(q["state"].encode()).hexdigest())
    challenge = base64.urlsafe_b64encode(hashlib.sha256(row.code_verifier.encode()).digest()).rstrip(b"=").decode()
    assert q["code_challenge"] == challenge and row.nonce == q["nonce"] and q["code_challenge"] != row.code_verifier


def test_first_sign_in_creates_the_user_and_a_second_finds_them_by_sub(site, provider):
    claims = {"preferred_username": "zhang.san", "name": "张三", "email": "zs@tax.example",
              "department": "tax", "role": "officer"}
    browser, r = sign_on(site, provider, "sub-zhangsan-001", claims, next_url="/admin")
    assert r.status_code == 200, r.text
    assert 'content="0;url=/admin"' in r.text  # moves on by a same-site navigation (the Strict cookie is sent)
    cookie = r.headers["set-cookie"]
    assert "zw_session=" in cookie and "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()
    me = browser.get("/api/me").json()
    assert me == {"user": "zhang.san", "department": "tax", "role": "officer", "signed_in": True}
    user = user_row("sub-zhangsan-001")
    assert user.password_hash is None and user.display_name == "张三"

    # the second sign-in, from another browser, is the same user (found by sub, no new account)
    browser2, r2 = sign_on(site, provider, "sub-zhangsan-001", claims)
    assert r2.status_code == 200
    assert browser2.get("/api/me").json()["user"] == "zhang.san"
    assert user_row("sub-zhangsan-001").id == user.id
    logins = [a for a in audit_actions("login") if a.get("sub") == "sub-zhangsan-001"]
    assert [(a["user"], a["method"]) for a in logins] == [("zhang.san", "oidc"), ("zhang.san", "oidc")]
    created = [a for a in audit_actions("user_create") if a["target"] == "zhang.san"]
    assert [(a["user"], a["department"], a["role"]) for a in created] == [("oidc-sign-on", "tax", "officer")]


def test_a_provider_name_never_takes_over_a_local_account(site, provider):
    from tests.conftest import make_account

    make_account("wangwu", "tax", "admin")
    browser, r = sign_on(site, provider, "sub-other-wangwu", {"preferred_username": "wangwu", "department": "health"})
    assert r.status_code == 200
    me = browser.get("/api/me").json()
    assert me["user"].startswith("wangwu-") and me["department"] == "health" and me["role"] == "citizen"


def test_unknown_or_missing_role_claim_gives_the_default_role(site, provider):
    browser, r = sign_on(site, provider, "sub-escalate", {"department": "tax", "role": "superadmin"})
    assert r.status_code == 200
    assert browser.get("/api/me").json()["role"] == "citizen"
    browser, r = sign_on(site, provider, "sub-norole", {"department": "tax"})
    assert browser.get("/api/me").json()["role"] == "citizen"
    # and an unknown role later does not change the role an administrator gave
    browser, r = sign_on(site, provider, "sub-escalate", {"department": "tax", "role": ["admin", "x"]})
    assert browser.get("/api/me").json()["role"] == "citizen"
    # a plain "admin" claim is no appointment either: administrators are made on the platform
    browser, r = sign_on(site, provider, "sub-claims-admin", {"department": "tax", "role": "admin"})
    assert browser.get("/api/me").json()["role"] == "citizen"


def test_missing_department_is_refused_with_a_clear_message(site, provider):
    for sub, claims in (("sub-nodept", {"preferred_username": "nodept"}),
                        ("sub-baddept", {"preferred_username": "baddept", "department": "finance"})):
        browser, r = sign_on(site, provider, sub, claims)
        assert r.status_code == 403
        assert "在本平台不存在，无法开通账号" in r.text and "does not exist on this platform" in r.text
        assert "zw_session" not in browser.cookies
        assert browser.get("/api/me").json()["signed_in"] is False
        assert user_row(sub) is None
    reasons = [a["reason"] for a in audit_actions("login_failed") if a["target"] in ("sub-nodept", "sub-baddept")]
    assert reasons == ["unknown_department", "unknown_department"]


def test_tampered_state_is_refused(site, provider):
    set_claims(provider, "sub-state", {"department": "tax"})
    before = len(audit_actions("login_failed"))
    browser, auth_url = start(site)
    callback = authorize(auth_url, "sub-state")
    state = parse_qs(urlsplit(callback).query)["state"][0]
    tampered = callback.replace(f"state={state}", f"state={state[:-2]}{'AA' if state[-2:] != 'AA' else 'BB'}")
    r = browser.get(tampered)
    assert r.status_code == 400 and "state" in r.text and "zw_session" not in browser.cookies
    r = browser.get(callback.split("&state=")[0].split("?state=")[0])  # no state at all
    assert r.status_code == 400 and "zw_session" not in browser.cookies
    assert [a["reason"] for a in audit_actions("login_failed")[before:]] == ["bad_state", "bad_state"]
    assert browser.get(callback).status_code == 200  # the untampered callback still works, once


def test_replayed_callback_is_refused(site, provider):
    set_claims(provider, "sub-replay", {"department": "tax", "role": "agent"})
    browser, auth_url = start(site)
    binding = browser.cookies["zw_oidc"]
    callback = authorize(auth_url, "sub-replay")
    assert browser.get(callback).status_code == 200
    # the same callback again, even with the browser-binding cookie put back: the state was used up
    replay = httpx.Client(base_url=site)
    replay.cookies.set("zw_oidc", binding, path="/auth/oidc")
    r = replay.get(callback)
    assert r.status_code == 400 and "已使用" in r.text and "zw_session" not in replay.cookies
    # and the provider itself refuses the code a second time (one-time codes at both ends)
    code = parse_qs(urlsplit(callback).query)["code"][0]
    r = httpx.post(f"{provider}/oauth2/token", auth=(CLIENT_ID, CLIENT_SECRET),
                   data={"grant_type": "authorization_code", "code": code, "redirect_uri": site + "/auth/oidc/callback"})
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"


def test_callback_in_another_browser_is_refused(site, provider):
    """Login CSRF: a callback URL from the attacker's own sign-on, opened in the victim's browser."""
    set_claims(provider, "sub-attacker", {"department": "tax"})
    _, auth_url = start(site)
    callback = authorize(auth_url, "sub-attacker")
    victim = httpx.Client(base_url=site)
    r = victim.get(callback)
    assert r.status_code == 400 and "不是从本浏览器发起" in r.text and "zw_session" not in victim.cookies


def test_provider_denial_is_refused(site, provider):
    browser, auth_url = start(site)
    r = httpx.post(auth_url, data={"action": "deny"})
    assert r.status_code == 302 and "error=access_denied" in r.headers["location"]
    r = browser.get(r.headers["location"])
    assert r.status_code == 403 and "未授权" in r.text and "access_denied" in r.text
    assert "zw_session" not in browser.cookies


def test_odd_callbacks_are_refused_without_server_errors(site):
    odd = [{}, {"state": "x" * 5000}, {"state": "é\u0000", "code": "c"}, {"code": "c" * 5000, "state": "s"},
           {"error": "<script>alert(1)</script>", "state": "s"}, {"error": "x" * 10000},
           {"state": ["a", "b"]}, {"next": "//evil.example"}]
    for params in odd:
        r = httpx.get(site + "/auth/oidc/callback", params=params, cookies={"zw_oidc": "x" * 300})
        assert 400 <= r.status_code < 500 and "zw_session" not in r.headers.get("set-cookie", ""), (params, r.text)
        assert "<script>alert(1)" not in r.text
    r = httpx.get(site + "/auth/oidc/login", params={"next": "//evil.example/x"})
    q = parse_qs(urlsplit(r.headers["location"]).query)
    from zhengwu.identity.models import OidcLogin
    from zhengwu.store import session_scope

    with session_scope() as s:  # an open redirect is not stored as the place to go after sign-on
        row = s.get(OidcLogin, hashlib.sha256(q["state"][0].encode()).hexdigest())
    assert row.next_url == "/"


def test_sign_on_is_off_without_an_issuer(live_server):
    assert httpx.get(live_server + "/auth/oidc/login").status_code == 404
    assert "统一身份认证登录" not in httpx.get(live_server + "/login").text


# --- ID-token validation with tokens signed here ----------------------------------------------------------------

ISSUER = "https://idp.example.gov.cn"
NONCE = "n-0123456789"


class _JwksHandler(BaseHTTPRequestHandler):
    body = b"{}"

    def do_GET(self) -> None:  # noqa: N802
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args) -> None:  # noqa: ANN002
        pass


@pytest.fixture(scope="module")
def signing():
    """An RSA and an EC key, and their public JWKS served over HTTP and read the way the platform reads it."""
    from joserfc.jwk import ECKey, KeySet, RSAKey

    from zhengwu.identity import oidc

    rsa = RSAKey.generate_key(2048, parameters={"kid": "rsa-1"})
    ec = ECKey.generate_key("P-256", parameters={"kid": "ec-1"})
    handler = type("H", (_JwksHandler,), {"body": json.dumps(KeySet([rsa, ec]).as_dict(private=False)).encode()})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    meta = oidc.ProviderMetadata(ISSUER, "", "", f"http://127.0.0.1:{server.server_port}/jwks")
    keys = oidc.provider_keys(meta, refresh=True)
    assert {k.kid for k in keys.keys} == {"rsa-1", "ec-1"} and all(not k.is_private for k in keys.keys)
    yield {"rsa": rsa, "ec": ec, "keys": keys}
    server.shutdown()


def _claims(**over) -> dict:
    now = int(time.time())
    base = {"iss": ISSUER, "aud": CLIENT_ID, "sub": "u1", "iat": now, "exp": now + 300, "nonce": NONCE}
    base.update(over)
    return {k: v for k, v in base.items() if v is not None}


def _sign(key, claims: dict, alg: str = "RS256") -> str:  # noqa: ANN001
    from joserfc import jwt

    return jwt.encode({"alg": alg, "kid": key.kid}, claims, key, algorithms=[alg])


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _check(token: str, keys, nonce: str = NONCE) -> dict:  # noqa: ANN001
    from zhengwu.identity.oidc import validate_id_token

    return validate_id_token(token, keys, issuer=ISSUER, client_id=CLIENT_ID, nonce=nonce)


def _refused_for(token: str, keys, nonce: str = NONCE) -> str:  # noqa: ANN001
    from zhengwu.identity.oidc import OidcRefused

    with pytest.raises(OidcRefused) as info:
        _check(token, keys, nonce)
    return info.value.reason


def test_valid_rs256_and_es256_tokens_are_accepted(signing):
    assert _check(_sign(signing["rsa"], _claims()), signing["keys"])["sub"] == "u1"
    assert _check(_sign(signing["ec"], _claims(), "ES256"), signing["keys"])["sub"] == "u1"
    several = _claims(aud=[CLIENT_ID, "other"], azp=CLIENT_ID)
    assert _check(_sign(signing["rsa"], several), signing["keys"])["azp"] == CLIENT_ID


def test_wrong_audience_issuer_nonce_and_times_are_refused(signing):
    rsa, keys = signing["rsa"], signing["keys"]
    now = int(time.time())
    assert _refused_for(_sign(rsa, _claims(aud="another-app")), keys) == "bad_aud"
    assert _refused_for(_sign(rsa, _claims(aud=None)), keys) == "bad_aud"
    assert _refused_for(_sign(rsa, _claims(aud=[CLIENT_ID, "other"])), keys) == "bad_aud"  # no azp
    assert _refused_for(_sign(rsa, _claims(iss="https://evil.example")), keys) == "bad_iss"
    assert _refused_for(_sign(rsa, _claims(exp=now - 3600, iat=now - 4000)), keys) == "expired"
    assert _refused_for(_sign(rsa, _claims(exp=None)), keys) == "expired"
    assert _refused_for(_sign(rsa, _claims(iat=now + 3600, exp=now + 7200)), keys) == "bad_iat"
    assert _refused_for(_sign(rsa, _claims(iat=now - 86400, exp=now + 3600)), keys) == "bad_iat"  # stale token
    assert _refused_for(_sign(rsa, _claims()), keys, nonce="another-nonce") == "bad_nonce"
    assert _refused_for(_sign(rsa, _claims(nonce=None)), keys) == "bad_nonce"
    assert _refused_for(_sign(rsa, _claims(sub=None)), keys) == "bad_sub"


def test_alg_none_hs256_with_the_public_key_and_forged_signatures_are_refused(signing):
    from joserfc.jwk import RSAKey

    rsa, keys = signing["rsa"], signing["keys"]
    payload = _b64(json.dumps(_claims()).encode())
    none_token = f"{_b64(json.dumps({'alg': 'none', 'kid': 'rsa-1'}).encode())}.{payload}."
    assert _refused_for(none_token, keys) == "bad_alg"

    # HS256 "signed" with the provider's public key (PEM) as the HMAC secret: the classic key-confusion attack
    public_pem = rsa.as_pem(private=False)
    head = _b64(json.dumps({"alg": "HS256", "kid": "rsa-1"}).encode())
    mac = hmac.new(public_pem, f"{head}.{payload}".encode(), hashlib.sha256).digest()
    assert _refused_for(f"{head}.{payload}.{_b64(mac)}", keys) == "bad_alg"

    forger = RSAKey.generate_key(2048, parameters={"kid": "rsa-1"})  # same kid, another key
    assert _refused_for(_sign(forger, _claims()), keys) == "bad_signature"
    good = _sign(rsa, _claims())
    h, _, sig = good.split(".")
    tampered = f"{h}.{_b64(json.dumps(_claims(sub='admin')).encode())}.{sig}"
    assert _refused_for(tampered, keys) == "bad_signature"
    assert _refused_for("not-a-token", keys) in ("bad_id_token", "bad_alg")


def test_default_role_is_never_admin(zw_env, monkeypatch):
    from zhengwu.config import reset_settings
    from zhengwu.errors import ZhengwuError
    from zhengwu.identity.oidc import mapped_role

    assert mapped_role({"role": "manager"}) == "manager" and mapped_role({}) == "citizen"
    monkeypatch.setenv("ZHENGWU_OIDC_DEFAULT_ROLE", "admin")
    reset_settings()
    with pytest.raises(ZhengwuError):
        mapped_role({"role": "superadmin"})
    assert mapped_role({"role": "auditor"}) == "auditor"


def test_with_creation_off_only_linked_users_sign_on(zw_env, monkeypatch):
    """oidc_create_users=false: an unknown `sub` is refused; a user an administrator created with
    --oidc-subject signs on; a later valid role claim updates the role, an invalid one leaves it."""
    from zhengwu.config import reset_settings
    from zhengwu.context import Caller
    from zhengwu.identity import create_user
    from zhengwu.identity.accounts import ensure_department
    from zhengwu.identity.oidc import OidcRefused, _sign_in_user
    from zhengwu.store import session_scope

    monkeypatch.setenv("ZHENGWU_OIDC_CREATE_USERS", "false")
    reset_settings()
    with session_scope() as s:
        ensure_department(s, "tax")
        create_user(s, Caller("setup", "*", "admin"), "linked", department="tax", role="officer",
                    oidc_subject="sub-linked")
    with pytest.raises(OidcRefused) as info:
        _sign_in_user({"sub": "sub-stranger", "department": "tax", "role": "officer"})
    assert info.value.reason == "unknown_user" and user_row("sub-stranger") is None
    assert _sign_in_user({"sub": "sub-linked", "role": "superadmin"}) == Caller("linked", "tax", "officer")
    assert _sign_in_user({"sub": "sub-linked", "role": "manager"}) == Caller("linked", "tax", "manager")
    sync = [a for a in audit_actions("oidc_user_sync") if a["target"] == "linked"]
    assert [a["role"] for a in sync] == [{"from": "officer", "to": "manager"}]
    with session_scope() as s, pytest.raises(Exception, match="已关联其他用户"):
        create_user(s, Caller("setup", "*", "admin"), "linked2", department="tax", role="officer",
                    oidc_subject="sub-linked")
