"""统一身份认证 / OIDC sign-on: this platform as a relying party of the province's OpenID Connect provider.

The authorization-code flow with PKCE (S256), `state` and `nonce`:

1. `begin()` stores a sign-on in progress on the server (keyed by the hash of a random `state`, holding the nonce,
   the PKCE verifier and a hash of a browser-binding token) and returns the provider's authorization URL and
   the token for a short-lived SameSite=Lax cookie. The session cookie is SameSite=Strict and so is not sent on
   the cross-site redirect back from the provider; the Lax cookie is, and binds the callback to the browser that
   started the sign-on (no login CSRF: a callback URL carried to another browser is refused).
2. `complete()` takes the row out (one use only: a replayed callback finds nothing), exchanges the code at the
   token endpoint with the verifier, validates the ID token (`validate_id_token`: signature against the
   provider's JWKS with RS256/ES256 only, iss, aud/azp, exp, iat, nonce) and maps its claims to a user: found by
   `sub` (never by a name, so no provider account can take over a local account), or created in the claimed
   department if that department exists. Every sign-in and every refusal is in the audit chain.

JOSE is joserfc (by the Authlib author): an explicit algorithm allow-list, so `alg: none` and an HS256 token
"signed" with the provider's public key are refused before any key is used.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from urllib.parse import quote_plus, urlencode

import httpx
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from sqlalchemy import delete, select

from zhengwu.config import get_settings
from zhengwu.context import Caller
from zhengwu.errors import ZhengwuError
from zhengwu.gateway import record_admin_action
from zhengwu.identity.accounts import create_user
from zhengwu.identity.models import Department, OidcLogin, User
from zhengwu.identity.roles import ROLES
from zhengwu.store.db import session_scope

ALGORITHMS = ("RS256", "ES256")
LOGIN_MINUTES = 10        # how long a redirect to the provider may take to come back
LEEWAY_SECONDS = 60       # clock skew allowed on exp / iat
MAX_TOKEN_AGE = 600       # an ID token issued longer ago than this is not accepted for a new sign-in
METADATA_TTL = 3600       # discovery and JWKS are re-read hourly (and the JWKS at once on an unknown key id)
HTTP_TIMEOUT = 10.0
MAX_ID_TOKEN = 16_384
SYSTEM = Caller("oidc-sign-on", "*", "admin")  # the actor of users created at first sign-in


class OidcRefused(ZhengwuError):
    """A sign-on that must not succeed; `reason` goes into the audit record."""

    status = 403

    def __init__(self, reason: str, zh: str, en: str, *, status: int | None = None) -> None:
        super().__init__(f"oidc_{reason}", zh, en, status=status)
        self.reason = reason


def _refused(reason: str, detail_zh: str = "", detail_en: str = "", *, status: int = 403) -> OidcRefused:
    zh = "统一身份认证登录失败" + (f"：{detail_zh}" if detail_zh else "。")
    en = "Sign-on failed" + (f": {detail_en}" if detail_en else ".")
    return OidcRefused(reason, zh, en, status=status)


# --- the provider: discovery and keys ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ProviderMetadata:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str


_cache_lock = threading.Lock()
_metadata: dict[str, tuple[float, ProviderMetadata]] = {}
_jwks: dict[str, tuple[float, KeySet]] = {}


def enabled() -> bool:
    s = get_settings()
    return bool(s.oidc_issuer and s.oidc_client_id)


def _issuer() -> str:
    return get_settings().oidc_issuer.rstrip("/")


def _fetch_json(method: str, url: str, **kwargs: object) -> dict:
    """A JSON object from the provider; transport failures and error bodies become refusals."""
    try:
        with httpx.Client(timeout=HTTP_TIMEOUT) as client:
            r = client.request(method, url, **kwargs)
    except httpx.HTTPError as exc:
        raise _refused("provider_unreachable", f"无法连接统一身份认证服务（{type(exc).__name__}）。",
                       f"the identity provider cannot be reached ({type(exc).__name__}).", status=502) from exc
    try:
        body = r.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise _refused("provider_bad_response", f"统一身份认证服务的响应无效（HTTP {r.status_code}）。",
                       f"the identity provider's response is not valid (HTTP {r.status_code}).", status=502)
    if r.status_code >= 400:
        err = str(body.get("error", ""))[:100]
        raise _refused("provider_error", f"统一身份认证服务拒绝了请求（{err or r.status_code}）。",
                       f"the identity provider refused the request ({err or r.status_code}).")
    return body


def provider_metadata() -> ProviderMetadata:
    """The provider's endpoints from {issuer}/.well-known/openid-configuration; its `issuer` must be the one
    configured (OIDC Discovery §4.3), otherwise any host serving a discovery document could mint our tokens."""
    issuer = _issuer()
    with _cache_lock:
        hit = _metadata.get(issuer)
    if hit is not None and time.monotonic() - hit[0] < METADATA_TTL:
        return hit[1]
    doc = _fetch_json("GET", f"{issuer}/.well-known/openid-configuration")
    if str(doc.get("issuer", "")).rstrip("/") != issuer:
        raise _refused("issuer_mismatch", "发现文档中的 issuer 与配置不符。",
                       "the discovery document names another issuer.", status=502)
    try:
        meta = ProviderMetadata(issuer=issuer, authorization_endpoint=str(doc["authorization_endpoint"]),
                                token_endpoint=str(doc["token_endpoint"]), jwks_uri=str(doc["jwks_uri"]))
    except KeyError as exc:
        raise _refused("provider_bad_response", f"发现文档缺少 {exc.args[0]}。",
                       f"the discovery document lacks {exc.args[0]}.", status=502) from exc
    with _cache_lock:
        _metadata[issuer] = (time.monotonic(), meta)
    return meta


def provider_keys(meta: ProviderMetadata, *, refresh: bool = False) -> KeySet:
    """The provider's public signing keys (JWKS), cached; `refresh` re-reads them (key rotation)."""
    with _cache_lock:
        hit = _jwks.get(meta.jwks_uri)
    if hit is not None and not refresh and time.monotonic() - hit[0] < METADATA_TTL:
        return hit[1]
    doc = _fetch_json("GET", meta.jwks_uri)
    public = {"keys": [{k: v for k, v in key.items() if k not in ("d", "p", "q", "dp", "dq", "qi", "k")}
                       for key in doc.get("keys", []) if isinstance(key, dict) and key.get("kty") in ("RSA", "EC")]}
    try:
        keys = KeySet.import_key_set(public)
    except (JoseError, ValueError, TypeError) as exc:
        raise _refused("provider_bad_jwks", "统一身份认证服务的公钥集无效。",
                       "the identity provider's key set (JWKS) is not valid.", status=502) from exc
    with _cache_lock:
        _jwks[meta.jwks_uri] = (time.monotonic(), keys)
    return keys


def reset_cache() -> None:
    """Forget discovery documents and keys (tests point the platform at a new provider)."""
    with _cache_lock:
        _metadata.clear()
        _jwks.clear()


# --- the ID token -----------------------------------------------------------------------------------------------

def _header(token: str) -> dict:
    try:
        seg = token.split(".")[0]
        header = json.loads(base64.urlsafe_b64decode(seg + "=" * (-len(seg) % 4)))
    except (ValueError, IndexError) as exc:
        raise _refused("bad_id_token", "身份令牌格式无效。", "the ID token is malformed.") from exc
    if not isinstance(header, dict):
        raise _refused("bad_id_token", "身份令牌格式无效。", "the ID token is malformed.")
    return header


def validate_id_token(id_token: str, keys: KeySet, *, issuer: str, client_id: str, nonce: str,
                      now: float | None = None) -> dict:
    """The claims of an ID token this platform may accept (OIDC Core §3.1.3.7), or OidcRefused.

    The algorithm is checked against the allow-list before any key is touched: `alg: none` and HS256 (which
    would let anyone "sign" with the provider's public key as an HMAC secret) are refused outright."""
    if not isinstance(id_token, str) or not id_token or len(id_token) > MAX_ID_TOKEN:
        raise _refused("bad_id_token", "身份令牌缺失或过大。", "the ID token is missing or too large.")
    alg = _header(id_token).get("alg")
    if alg not in ALGORITHMS:
        raise _refused("bad_alg", f"身份令牌的签名算法不被接受（{str(alg)[:20]}）。",
                       f"the ID token's signature algorithm is not accepted ({str(alg)[:20]}).")
    try:
        token = jwt.decode(id_token, keys, algorithms=list(ALGORITHMS))
    except (JoseError, ValueError) as exc:
        raise _refused("bad_signature", "身份令牌签名无效。", "the ID token's signature is not valid.") from exc
    claims = token.claims
    now = time.time() if now is None else now

    if claims.get("iss") != issuer:
        raise _refused("bad_iss", "身份令牌的签发者不符。", "the ID token comes from another issuer.")
    aud = claims.get("aud")
    audiences = [aud] if isinstance(aud, str) else aud if isinstance(aud, list) else []
    if client_id not in audiences:
        raise _refused("bad_aud", "身份令牌不是签发给本平台的（aud 不符）。", "the ID token was not issued to this platform (aud).")
    if len(audiences) > 1 and claims.get("azp") != client_id:
        raise _refused("bad_aud", "身份令牌的 azp 不符。", "the ID token's azp is not this platform.")
    exp, iat = claims.get("exp"), claims.get("iat")
    if not isinstance(exp, (int, float)) or isinstance(exp, bool) or exp <= now - LEEWAY_SECONDS:
        raise _refused("expired", "身份令牌已过期。", "the ID token has expired.")
    if not isinstance(iat, (int, float)) or isinstance(iat, bool) or iat > now + LEEWAY_SECONDS \
            or iat < now - MAX_TOKEN_AGE - LEEWAY_SECONDS:
        raise _refused("bad_iat", "身份令牌的签发时间无效。", "the ID token's issue time (iat) is not acceptable.")
    if not isinstance(claims.get("nonce"), str) or not hmac.compare_digest(claims["nonce"], nonce):
        raise _refused("bad_nonce", "身份令牌的 nonce 不符（可能是重放）。", "the ID token's nonce does not match (a replay?).")
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub or len(sub) > 255:
        raise _refused("bad_sub", "身份令牌缺少用户标识（sub）。", "the ID token has no subject (sub).")
    return claims


# --- the flow ---------------------------------------------------------------------------------------------------

def _hash(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _now() -> datetime:
    return datetime.now(timezone.utc)


def begin(next_url: str, redirect_uri: str) -> tuple[str, str]:
    """Start a sign-on -> (the provider's authorization URL, the browser-binding token for the Lax cookie)."""
    s = get_settings()
    if "openid" not in s.oidc_scopes.split():
        raise ZhengwuError("oidc_misconfigured", "oidc_scopes 必须包含 openid。", "oidc_scopes must include openid.",
                           status=500)
    meta = provider_metadata()
    state, nonce, verifier, binding = (secrets.token_urlsafe(32) for _ in range(4))
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode()
    with session_scope() as db:
        db.execute(delete(OidcLogin).where(OidcLogin.expires_at < _now()))
        db.add(OidcLogin(state_hash=_hash(state), browser_hash=_hash(binding), nonce=nonce, code_verifier=verifier,
                         redirect_uri=redirect_uri, next_url=next_url,
                         expires_at=_now() + timedelta(minutes=LOGIN_MINUTES)))
    params = {"response_type": "code", "client_id": s.oidc_client_id, "redirect_uri": redirect_uri,
              "scope": s.oidc_scopes, "state": state, "nonce": nonce, "code_challenge": challenge,
              "code_challenge_method": "S256"}
    sep = "&" if "?" in meta.authorization_endpoint else "?"
    return f"{meta.authorization_endpoint}{sep}{urlencode(params)}", binding


def _take_login(state: str, binding: str | None) -> OidcLogin:
    """The sign-on in progress for `state`, removed so that it cannot be used again."""
    if not state or len(state) > 200:
        raise _refused("bad_state", "state 参数缺失或无效。", "the state parameter is missing or invalid.", status=400)
    key = _hash(state)
    with session_scope() as db:
        row = db.get(OidcLogin, key)
        if row is not None:
            db.expunge(row)
            # only the request whose DELETE removed the row may go on: two racing callbacks cannot both win
            if db.execute(delete(OidcLogin).where(OidcLogin.state_hash == key)).rowcount != 1:
                row = None
    if row is None:
        raise _refused("bad_state", "登录请求无效或已使用（state 不符），请重新登录。",
                       "the sign-on request is unknown or already used (state); please sign in again.", status=400)
    expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=timezone.utc)
    if expires < _now():
        raise _refused("expired_state", "登录请求已超时，请重新登录。", "the sign-on request timed out; please sign in again.",
                       status=400)
    if not binding or not hmac.compare_digest(_hash(binding), row.browser_hash):
        raise _refused("browser_mismatch", "登录请求不是从本浏览器发起的，请重新登录。",
                       "the sign-on was not started in this browser; please sign in again.", status=400)
    return row


def _exchange(meta: ProviderMetadata, login: OidcLogin, code: str) -> str:
    """The ID token for an authorization code (client_secret_basic when there is a secret, else a public client)."""
    s = get_settings()
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": login.redirect_uri,
            "code_verifier": login.code_verifier}
    auth = None
    if s.oidc_client_secret:
        auth = httpx.BasicAuth(_form(s.oidc_client_id), _form(s.oidc_client_secret))  # RFC 6749 §2.3.1
    else:
        data["client_id"] = s.oidc_client_id
    body = _fetch_json("POST", meta.token_endpoint, data=data, auth=auth, headers={"Accept": "application/json"})
    id_token = body.get("id_token")
    if not isinstance(id_token, str):
        raise _refused("no_id_token", "统一身份认证服务没有返回身份令牌。", "the identity provider returned no ID token.")
    return id_token


def _form(value: str) -> str:
    return quote_plus(value)


def _decode_verified(id_token: str, meta: ProviderMetadata, nonce: str) -> dict:
    s = get_settings()
    keys = provider_keys(meta)
    kid = _header(id_token).get("kid")
    if kid is not None and kid not in {k.kid for k in keys.keys}:
        keys = provider_keys(meta, refresh=True)  # the provider rotated its keys
    return validate_id_token(id_token, keys, issuer=meta.issuer, client_id=s.oidc_client_id, nonce=nonce)


def _claim(claims: dict, name: str) -> str | None:
    value = claims.get(name)
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    return value if isinstance(value, str) and value else None


def mapped_role(claims: dict) -> str:
    """The role the claims give: one of ROLES except admin, else the configured default. Administrators are
    appointed on the platform (`zhengwu users role`), never by a claim: whoever can edit claims at the provider
    must not thereby administer the platform."""
    role = _claim(claims, get_settings().oidc_role_claim)
    return role if role in ROLES and role != "admin" else default_role()


def default_role() -> str:
    role = get_settings().oidc_default_role
    if role not in ROLES or role == "admin":
        raise ZhengwuError("oidc_misconfigured", f"oidc_default_role 无效：{role}（不能是 admin）。",
                           f"oidc_default_role is not valid: {role} (it may not be admin).", status=500)
    return role


def _username_for(db, claims: dict) -> str:  # noqa: ANN001
    """A free user name from preferred_username / email / sub; suffixed with a hash of `sub` when taken (a
    provider account never becomes an existing local account by its name)."""
    base = _claim(claims, "preferred_username") or _claim(claims, "email") or claims["sub"]
    base = re.sub(r"\s+", "_", base)[:100] or "oidc"
    name = base
    if db.scalar(select(User.id).where(User.username == name)) is not None:
        name = f"{base}-{_hash(claims['sub'])[:10]}"
    return name


def _sign_in_user(claims: dict) -> Caller:
    """Find the user by `sub` or create them; refusals are raised after the transaction commits nothing."""
    s = get_settings()
    sub = claims["sub"]
    department = _claim(claims, s.oidc_department_claim)
    with session_scope() as db:
        user = db.scalar(select(User).where(User.oidc_subject == sub))
        if user is None:
            if not s.oidc_create_users:
                raise _refused("unknown_user", "该统一身份认证账号尚未在本平台开通，请联系管理员。",
                               "this sign-on account has no user on this platform; ask an administrator.")
            if department is None or db.get(Department, department) is None:
                shown = department or "（未提供 / none）"
                raise _refused("unknown_department",
                               f"身份信息中的部门“{shown}”在本平台不存在，无法开通账号，请联系管理员先创建该部门。",
                               f"the department “{shown}” in your identity does not exist on this platform, so no "
                               "account can be created; ask an administrator to create it first.")
            role = mapped_role(claims)
            user = create_user(db, SYSTEM, _username_for(db, claims), department=department, role=role,
                               display_name=(_claim(claims, "name") or "")[:256], oidc_subject=sub)
        else:
            if not user.active:
                raise _refused("inactive", "该账号已停用。", "this account is deactivated.")
            changes: dict[str, dict[str, str]] = {}
            if department is not None and department != user.department and db.get(Department, department):
                changes["department"] = {"from": user.department, "to": department}
                user.department = department
            role = _claim(claims, s.oidc_role_claim)
            # a missing or unknown role claim leaves the role as it is; admin is never given or taken by a claim
            if role in ROLES and role != "admin" and user.role != "admin" and role != user.role:
                changes["role"] = {"from": user.role, "to": role}
                user.role = role
            if changes:
                record_admin_action(db, SYSTEM, "oidc_user_sync", target=user.username, extra=changes)
        caller = Caller(user.username, user.department, user.role)
        record_admin_action(db, caller, "login", target=user.username, extra={"method": "oidc", "sub": sub})
    return caller


def complete(*, state: str, code: str, binding: str | None, error: str = "") -> tuple[Caller, str]:
    """Finish a sign-on from the provider's redirect -> (the signed-in caller, where to go next).

    Every refusal is audited in a transaction of its own before it is raised."""
    sub = "?"
    try:
        if error:  # the provider said no (some providers leave out `state` here): a refusal either way
            if state:
                try:
                    _take_login(state, binding)
                except OidcRefused:
                    pass
            shown = re.sub(r"[^A-Za-z0-9_.-]", "", error)[:60]
            raise _refused("provider_denied", f"统一身份认证服务未授权（{shown}）。",
                           f"the identity provider did not authorise the sign-on ({shown}).")
        login = _take_login(state, binding)
        if not code or len(code) > 2048:
            raise _refused("no_code", "缺少授权码。", "the authorization code is missing.", status=400)
        meta = provider_metadata()
        claims = _decode_verified(_exchange(meta, login, code), meta, login.nonce)
        sub = claims["sub"]
        return _sign_in_user(claims), login.next_url
    except ZhengwuError as exc:
        with session_scope() as db:
            record_admin_action(db, Caller(f"oidc:{sub}"[:128], "-", "citizen"), "login_failed", target=sub,
                                extra={"method": "oidc", "reason": getattr(exc, "reason", exc.code)})
        raise
