"""Admin console: users and departments (/admin/users, /admin/departments).

Why these pages only call zhengwu.identity: the identity functions enforce "an administrator manages their
department and the ones below it", "nobody changes their own role" and the password rules, and they audit
every change; a page that did its own checks could drift from the CLI and the API.
"""

from __future__ import annotations

from fastapi import APIRouter, Form, Request

from zhengwu.errors import ZhengwuError
from zhengwu.identity import (change_password, create_department, create_user, department_tree, list_users,
                              set_role, subtree, unlock)
from zhengwu.identity.roles import ROLE_NAMES_ZH, ROLES
from zhengwu.store import session_scope
from zhengwu.web.routes.admin_common import ADMIN, back, guard, message, page, t

router = APIRouter(include_in_schema=False)


def _my_tree(tree: list[dict], root: str) -> list[dict]:
    """The caller's part of the department tree ("*" = the whole tree)."""
    if root == "*":
        return tree
    todo = list(tree)
    while todo:
        node = todo.pop()
        if node["code"] == root:
            return [node]
        todo.extend(node["children"])
    return []


def _flat(tree: list[dict], depth: int = 0) -> list[tuple[str, str, int]]:
    out = []
    for n in tree:
        out.append((n["code"], n["name"], depth))
        out.extend(_flat(n["children"], depth + 1))
    return out


@router.get("/admin/users")
def users_page(request: Request):  # noqa: ANN201
    caller, refusal = guard(request, ADMIN)
    if refusal:
        return refusal
    with session_scope() as s:
        users = [{"username": u.username, "display_name": u.display_name, "department": u.department,
                  "role": u.role, "active": u.active, "failed": u.failed_logins,
                  "locked": u.locked_until is not None or u.failed_logins > 0, "sso": u.password_hash is None}
                 for u in list_users(s, caller)]
        depts = _flat(_my_tree(department_tree(s), caller.department))
    return page(request, "admin_users.html", caller, users=users, departments=depts, roles=ROLES,
                role_names=ROLE_NAMES_ZH)


@router.post("/admin/users")
def users_create(request: Request, username: str = Form(..., max_length=128), department: str = Form(...),
                 role: str = Form(...), password: str = Form(..., max_length=256),
                 display_name: str = Form("", max_length=256)):  # noqa: ANN201
    caller, refusal = guard(request, ADMIN)
    if refusal:
        return refusal
    try:
        with session_scope() as s:
            create_user(s, caller, username.strip(), department=department, role=role, password=password,
                        display_name=display_name.strip())
    except ZhengwuError as exc:
        return back("/admin/users", error=message(request, exc))
    return back("/admin/users", ok=t(request, "已创建用户 {u}", u=username.strip()))


@router.post("/admin/users/{username}/role")
def users_role(request: Request, username: str, role: str = Form(...)):  # noqa: ANN201
    caller, refusal = guard(request, ADMIN)
    if refusal:
        return refusal
    try:
        with session_scope() as s:
            set_role(s, caller, username, role)
    except ZhengwuError as exc:
        return back("/admin/users", error=message(request, exc))
    return back("/admin/users", ok=t(request, "已将 {u} 的角色改为 {r}", u=username, r=role))


@router.post("/admin/users/{username}/unlock")
def users_unlock(request: Request, username: str):  # noqa: ANN201
    caller, refusal = guard(request, ADMIN)
    if refusal:
        return refusal
    try:
        with session_scope() as s:
            unlock(s, caller, username)
    except ZhengwuError as exc:
        return back("/admin/users", error=message(request, exc))
    return back("/admin/users", ok=t(request, "已解锁 {u}", u=username))


@router.post("/admin/users/{username}/password")
def users_password(request: Request, username: str, password: str = Form(..., max_length=256)):  # noqa: ANN201
    caller, refusal = guard(request, ADMIN)
    if refusal:
        return refusal
    if username == caller.user:  # one's own password is changed with the old one, not reset here
        return back("/admin/users", error=t(request, "不能在此重置自己的密码。"))
    try:
        with session_scope() as s:
            change_password(s, caller, username, password)
    except ZhengwuError as exc:
        return back("/admin/users", error=message(request, exc))
    return back("/admin/users", ok=t(request, "已重置 {u} 的密码", u=username))


@router.get("/admin/departments")
def departments_page(request: Request):  # noqa: ANN201
    caller, refusal = guard(request, ADMIN)
    if refusal:
        return refusal
    with session_scope() as s:
        tree = _my_tree(department_tree(s), caller.department)
        counts: dict[str, int] = {}
        for u in list_users(s, caller):
            counts[u.department] = counts.get(u.department, 0) + 1
    return page(request, "admin_departments.html", caller, tree=tree, departments=_flat(tree), counts=counts)


@router.post("/admin/departments")
def departments_create(request: Request, code: str = Form(..., max_length=64), name: str = Form("", max_length=256),
                       parent: str = Form("")):  # noqa: ANN201
    caller, refusal = guard(request, ADMIN)
    if refusal:
        return refusal
    try:
        with session_scope() as s:
            if parent and caller.department != "*" and parent not in subtree(s, caller.department):
                raise ZhengwuError("department_forbidden", f"无权管理部门 {parent}。",
                                   f"You may not manage department {parent}.", status=403)
            create_department(s, caller, code.strip(), name.strip(), parent or None)
    except ZhengwuError as exc:
        return back("/admin/departments", error=message(request, exc))
    return back("/admin/departments", ok=t(request, "已创建部门 {c}", c=code.strip()))

