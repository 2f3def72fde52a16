"""Departments and users: creation, the department tree, roles, passwords with lockout.

Every change is an administrative action in the audit chain. Only administrators manage accounts, and an
administrator of a department manages that department and the ones below it; nobody changes their own role.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhengwu.context import Caller
from zhengwu.errors import Forbidden, NotFound, ZhengwuError
from zhengwu.gateway import record_admin_action
from zhengwu.identity.models import Department, User
from zhengwu.identity.passwords import check_password_rules, hash_password, verify_password
from zhengwu.identity.roles import check_role
from zhengwu.store.db import session_scope

MAX_FAILED = 5
LOCK_MINUTES = 15


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _aware(dt: datetime | None) -> datetime | None:
    return dt.replace(tzinfo=timezone.utc) if dt is not None and dt.tzinfo is None else dt


def _require_admin_over(session: Session, caller: Caller, department: str) -> None:
    if caller.role != "admin":
        raise Forbidden("admin_required", "此操作需要管理员权限。", "This action needs an administrator.")
    if caller.department != "*" and department not in subtree(session, caller.department):
        raise Forbidden("department_forbidden", f"无权管理部门 {department}（不在本部门及下级部门内）。",
                        f"You may not manage department {department} (not yours or below yours).")


# --- departments ------------------------------------------------------------------------------------------------

def create_department(session: Session, caller: Caller, code: str, name: str = "", parent: str | None = None,
                      ) -> Department:
    """A new department; below `parent` when given (the caller must administer the parent)."""
    if not code or len(code) > 64 or not code.replace("-", "").replace("_", "").isalnum():
        raise ZhengwuError("bad_department", f"部门代码无效：{code!r}（字母、数字、-、_）",
                           f"Invalid department code: {code!r} (letters, digits, - and _)")
    if session.get(Department, code) is not None:
        raise ZhengwuError("department_exists", f"部门已存在：{code}", f"Department already exists: {code}", status=409)
    if parent is not None:
        if session.get(Department, parent) is None:
            raise NotFound("department_not_found", f"上级部门不存在：{parent}", f"Parent department not found: {parent}")
        _require_admin_over(session, caller, parent)
    elif caller.role != "admin" or caller.department != "*":
        raise Forbidden("admin_required", "只有系统管理员可以创建顶级部门。",
                        "Only a system administrator may create a top-level department.")
    dept = Department(code=code, name=name or code, parent=parent)
    session.add(dept)
    session.flush()
    record_admin_action(session, caller, "department_create", target=code, extra={"name": dept.name, "parent": parent})
    return dept


def ensure_department(session: Session, code: str) -> Department:
    """The department row for a code, created (top-level) if missing: departments named in settings, the CLI
    caller's and the public one exist without ceremony."""
    dept = session.get(Department, code)
    if dept is None:
        dept = Department(code=code, name=code, parent=None)
        session.add(dept)
        session.flush()
    return dept


def list_departments(session: Session) -> list[Department]:
    return list(session.scalars(select(Department).order_by(Department.code)))


def subtree(session: Session, code: str) -> set[str]:
    """The department and every department below it."""
    children: dict[str | None, list[str]] = {}
    for c, p in session.execute(select(Department.code, Department.parent)):
        children.setdefault(p, []).append(c)
    out, todo = set(), [code]
    while todo:
        c = todo.pop()
        if c not in out:
            out.add(c)
            todo.extend(children.get(c, []))
    return out


def department_tree(session: Session) -> list[dict]:
    """Nested {code, name, children} from the roots down (for the admin console)."""
    rows = list_departments(session)
    nodes = {d.code: {"code": d.code, "name": d.name, "children": []} for d in rows}
    roots = []
    for d in rows:
        (nodes[d.parent]["children"] if d.parent in nodes else roots).append(nodes[d.code])
    return roots


# --- users ------------------------------------------------------------------------------------------------------

def get_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound("user_not_found", f"用户不存在：{username}", f"User not found: {username}")
    return user


def list_users(session: Session, caller: Caller) -> list[User]:
    stmt = select(User).order_by(User.username)
    if caller.department != "*":
        stmt = stmt.where(User.department.in_(subtree(session, caller.department)))
    return list(session.scalars(stmt))


def create_user(session: Session, caller: Caller, username: str, *, department: str, role: str,
                password: str | None = None, display_name: str = "", oidc_subject: str | None = None) -> User:
    check_role(role)
    if not username or len(username) > 128 or any(ch.isspace() for ch in username):
        raise ZhengwuError("bad_username", "用户名无效（不能为空或含空格）。", "Invalid user name (empty or with spaces).")
    if session.get(Department, department) is None:
        raise NotFound("department_not_found", f"部门不存在：{department}", f"Department not found: {department}")
    _require_admin_over(session, caller, department)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise ZhengwuError("user_exists", f"用户已存在：{username}", f"User already exists: {username}", status=409)
    if oidc_subject is not None and session.scalar(select(User.id).where(User.oidc_subject == oidc_subject)) is not None:
        raise ZhengwuError("oidc_subject_exists", "该统一身份认证标识（sub）已关联其他用户。",
                           "This sign-on subject (sub) is already linked to another user.", status=409)
    if password is not None:
        check_password_rules(password, username)
    user = User(username=username, display_name=display_name or username, department=department, role=role,
                password_hash=hash_password(password) if password is not None else None, oidc_subject=oidc_subject)
    session.add(user)
    session.flush()
    record_admin_action(session, caller, "user_create", target=username, extra={"department": department, "role": role})
    return user


def set_role(session: Session, caller: Caller, username: str, role: str) -> User:
    check_role(role)
    user = get_user(session, username)
    if user.username == caller.user:
        raise Forbidden("own_role", "不能修改自己的角色。", "You cannot change your own role.")
    _require_admin_over(session, caller, user.department)
    old, user.role = user.role, role
    record_admin_action(session, caller, "user_role", target=username, extra={"from": old, "to": role})
    return user


def change_password(session: Session, caller: Caller, username: str, new_password: str,
                    old_password: str | None = None) -> None:
    """A user changes their own password (with the old one); an administrator resets another's."""
    user = get_user(session, username)
    if user.username == caller.user:
        if old_password is None or not user.password_hash or not verify_password(old_password, user.password_hash):
            raise Forbidden("bad_password", "原密码不正确。", "The current password is wrong.")
    else:
        _require_admin_over(session, caller, user.department)
    check_password_rules(new_password, username)
    user.password_hash = hash_password(new_password)
    user.failed_logins, user.locked_until = 0, None
    record_admin_action(session, caller, "user_password", target=username)


def unlock(session: Session, caller: Caller, username: str) -> None:
    user = get_user(session, username)
    _require_admin_over(session, caller, user.department)
    user.failed_logins, user.locked_until = 0, None
    record_admin_action(session, caller, "user_unlock", target=username)


def authenticate(username: str, password: str) -> Caller:
    """The signed-in caller, or a refusal that does not say whether the name exists. After MAX_FAILED wrong
    passwords the account is locked for LOCK_MINUTES. Every attempt is audited, in a transaction of its own
    that is committed before a refusal is raised (a refusal must not roll back its own record)."""
    refusal: ZhengwuError | None = None
    with session_scope() as session:
        user = session.scalar(select(User).where(User.username == username))
        who = Caller(username or "?", user.department if user else "-", "citizen")
        if user is None or not user.active or not user.password_hash:
            verify_password(password, _DUMMY)  # the same time as a real check: names cannot be probed by timing
            record_admin_action(session, who, "login_failed", target=username, extra={"reason": "unknown_or_inactive"})
            refusal = _refused()
        elif user.locked_until is not None and _aware(user.locked_until) > _now():
            record_admin_action(session, who, "login_failed", target=username, extra={"reason": "locked"})
            refusal = ZhengwuError("account_locked", f"登录失败次数过多，账号已锁定 {LOCK_MINUTES} 分钟。",
                                   f"Too many failed logins: the account is locked for {LOCK_MINUTES} minutes.",
                                   status=423)
        elif not verify_password(password, user.password_hash):
            user.failed_logins += 1
            if user.failed_logins >= MAX_FAILED:
                user.locked_until = _now() + timedelta(minutes=LOCK_MINUTES)
            record_admin_action(session, who, "login_failed", target=username,
                                extra={"reason": "password", "failures": user.failed_logins})
            refusal = _refused()
        else:
            user.failed_logins, user.locked_until = 0, None
            caller = Caller(user.username, user.department, user.role)
            record_admin_action(session, caller, "login", target=username)
    if refusal is not None:
        raise refusal
    return caller


_DUMMY = hash_password("not a password of anyone")


def _refused() -> ZhengwuError:
    return ZhengwuError("login_failed", "用户名或密码错误。", "Wrong user name or password.", status=401)
