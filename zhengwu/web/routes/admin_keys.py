"""Admin console: API keys for applications (/admin/keys).

Why the new key is shown on the POST's own result page (not after a redirect): it must appear exactly once and
never in a URL, a log or a later page; only its hash is stored (zhengwu.identity.apikeys).
"""

from __future__ import annotations

from fastapi import APIRouter, Form, Request

from zhengwu.errors import ZhengwuError
from zhengwu.identity import create_key, department_tree, list_keys, revoke_key
from zhengwu.identity.roles import ROLE_NAMES_ZH, ROLES
from zhengwu.store import session_scope
from zhengwu.web.routes.admin_common import ADMIN, back, guard, message, page, t
from zhengwu.web.routes.admin_users import _flat, _my_tree

router = APIRouter(include_in_schema=False)
KEY_ROLES = tuple(r for r in ROLES if r != "admin")  # a key never administers


def _listing(caller) -> tuple[list[dict], list]:  # noqa: ANN001
    with session_scope() as s:
        keys = [{"id": k.id, "prefix": k.prefix, "app": k.app, "department": k.department, "role": k.role,
                 "scenarios": k.scenarios, "created_by": k.created_by,
                 "created_at": k.created_at.isoformat()[:19] if k.created_at else "",
                 "revoked_at": k.revoked_at.isoformat()[:19] if k.revoked_at else ""} for k in list_keys(s, caller)]
        depts = _flat(_my_tree(department_tree(s), caller.department))
    return keys, depts


@router.get("/admin/keys")
def keys_page(request: Request):  # noqa: ANN201
    caller, refusal = guard(request, ADMIN)
    if refusal:
        return refusal
    keys, depts = _listing(caller)
    return page(request, "admin_keys.html", caller, keys=keys, departments=depts, roles=KEY_ROLES,
                role_names=ROLE_NAMES_ZH, new_key=None)


@router.post("/admin/keys")
def keys_create(request: Request, app: str = Form(..., max_length=128), department: str = Form(...),
                role: str = Form("officer"), scenarios: str = Form("*", max_length=2000)):  # noqa: ANN201
    caller, refusal = guard(request, ADMIN)
    if refusal:
        return refusal
    wanted = [x.strip() for x in scenarios.replace("，", ",").split(",") if x.strip()] or ["*"]
    try:
        with session_scope() as s:
            row, key = create_key(s, caller, app=app.strip(), department=department, role=role, scenarios=wanted)
            new = {"id": row.id, "prefix": row.prefix, "app": row.app, "key": key}
    except ZhengwuError as exc:
        return back("/admin/keys", error=message(request, exc))
    keys, depts = _listing(caller)
    response = page(request, "admin_keys.html", caller, keys=keys, departments=depts, roles=KEY_ROLES,
                    role_names=ROLE_NAMES_ZH, new_key=new)
    response.headers["Cache-Control"] = "no-store"  # the key must not stay in a cache
    return response


@router.post("/admin/keys/{key_id}/revoke")
def keys_revoke(request: Request, key_id: int):  # noqa: ANN201
    caller, refusal = guard(request, ADMIN)
    if refusal:
        return refusal
    try:
        with session_scope() as s:
            revoke_key(s, caller, key_id)
    except ZhengwuError as exc:
        return back("/admin/keys", error=message(request, exc))
    return back("/admin/keys", ok=t(request, "已吊销密钥 {i}", i=key_id))
