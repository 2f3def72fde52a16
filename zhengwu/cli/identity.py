"""CLI for identity: `zhengwu departments add|list`, `zhengwu users add|list|role|passwd|unlock`,
`zhengwu keys create|list|revoke`.

Whoever runs these commands on the server already holds the database, so they act as the system
administrator (department "*", named by ZHENGWU_USER); every change is still an audited administrative action.
"""

from __future__ import annotations

import getpass
import json
import sys
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from zhengwu.cli.app import app
from zhengwu.config import get_settings
from zhengwu.context import Caller
from zhengwu.errors import ZhengwuError

_out = Console()
dept_app = typer.Typer(help="部门（树形）/ departments (a tree)", no_args_is_help=True)
users_app = typer.Typer(help="用户账号与角色 / user accounts and roles", no_args_is_help=True)
keys_app = typer.Typer(help="应用的 API 密钥 / API keys for applications", no_args_is_help=True)
app.add_typer(dept_app, name="departments")
app.add_typer(users_app, name="users")
app.add_typer(keys_app, name="keys")

ROLE_HELP = "角色 / role: citizen agent officer manager admin auditor"


def _operator() -> Caller:
    return Caller(get_settings().user, "*", "admin")


def _password(from_stdin: bool, prompt: str = "密码 / password: ") -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass(prompt)
    if getpass.getpass("再次输入 / again: ") != first:
        raise ZhengwuError("password_mismatch", "两次输入的密码不一致。", "The two passwords differ.")
    return first


@dept_app.command("add")
def dept_add(code: str = typer.Argument(..., help="部门代码，如 gz-minzheng / department code"),
             name: str = typer.Option("", "--name", help="部门名称 / display name"),
             parent: Optional[str] = typer.Option(None, "--parent", help="上级部门代码 / parent department")) -> None:
    """新建部门 / create a department (below --parent)."""
    from zhengwu.identity import create_department
    from zhengwu.store import session_scope

    with session_scope() as s:
        d = create_department(s, _operator(), code, name, parent)
        print(f"已创建部门 {d.code}（{d.name}）/ created department {d.code}")


@dept_app.command("list")
def dept_list(as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON")) -> None:
    """列出部门 / list departments."""
    from zhengwu.identity import list_departments
    from zhengwu.store import session_scope

    with session_scope() as s:
        rows = [{"code": d.code, "name": d.name, "parent": d.parent} for d in list_departments(s)]
    if as_json:
        print(json.dumps(rows, ensure_ascii=False))
        return
    t = Table("代码 code", "名称 name", "上级 parent")
    for r in rows:
        t.add_row(r["code"], r["name"], r["parent"] or "")
    _out.print(t)


@users_app.command("add")
def users_add(username: str = typer.Argument(..., help="用户名 / user name"),
              department: str = typer.Option(..., "--department", help="所属部门代码 / department code"),
              role: str = typer.Option(..., "--role", help=ROLE_HELP),
              name: str = typer.Option("", "--name", help="显示名 / display name"),
              password_stdin: bool = typer.Option(False, "--password-stdin",
                                                  help="从标准输入读密码 / read the password from stdin"),
              no_password: bool = typer.Option(False, "--no-password",
                                               help="仅统一身份认证登录 / sign-on (OIDC) only"),
              oidc_subject: str = typer.Option("", "--oidc-subject",
                                               help="统一身份认证的用户标识 sub（关联该账号）/ the sign-on subject "
                                                    "(sub) this account is linked to")) -> None:
    """新建用户 / create a user account."""
    from zhengwu.identity import create_user
    from zhengwu.store import session_scope

    password = None if no_password else _password(password_stdin)
    with session_scope() as s:
        u = create_user(s, _operator(), username, department=department, role=role, password=password,
                        display_name=name, oidc_subject=oidc_subject or None)
        print(f"已创建用户 {u.username}（{u.department}，{u.role}）/ created user {u.username}")


@users_app.command("list")
def users_list(as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON")) -> None:
    """列出用户 / list users."""
    from zhengwu.identity import list_users
    from zhengwu.store import session_scope

    with session_scope() as s:
        rows = [{"username": u.username, "department": u.department, "role": u.role, "active": u.active,
                 "locked": u.locked_until is not None} for u in list_users(s, _operator())]
    if as_json:
        print(json.dumps(rows, ensure_ascii=False))
        return
    t = Table("用户 user", "部门 dept", "角色 role", "锁定 locked")
    for r in rows:
        t.add_row(r["username"], r["department"], r["role"], "yes" if r["locked"] else "")
    _out.print(t)


@users_app.command("role")
def users_role(username: str = typer.Argument(..., help="用户名 / user name"),
               role: str = typer.Argument(..., help=ROLE_HELP)) -> None:
    """修改用户角色 / change a user's role."""
    from zhengwu.store import session_scope
    from zhengwu.identity import set_role

    with session_scope() as s:
        set_role(s, _operator(), username, role)
    print(f"{username} 的角色已改为 {role} / role of {username} set to {role}")


@users_app.command("passwd")
def users_passwd(username: str = typer.Argument(..., help="用户名 / user name"),
                 password_stdin: bool = typer.Option(False, "--password-stdin",
                                                     help="从标准输入读密码 / read the password from stdin")) -> None:
    """重设用户密码（并解除锁定）/ reset a user's password (and unlock)."""
    from zhengwu.identity import change_password
    from zhengwu.store import session_scope

    password = _password(password_stdin, "新密码 / new password: ")
    with session_scope() as s:
        change_password(s, _operator(), username, password)
    print(f"已重设 {username} 的密码 / password of {username} reset")


@users_app.command("unlock")
def users_unlock(username: str = typer.Argument(..., help="用户名 / user name")) -> None:
    """解除因多次登录失败造成的锁定 / unlock after failed logins."""
    from zhengwu.store import session_scope
    from zhengwu.identity import unlock

    with session_scope() as s:
        unlock(s, _operator(), username)
    print(f"已解除 {username} 的锁定 / {username} unlocked")


@keys_app.command("create")
def keys_create(app_name: str = typer.Option(..., "--app", help="使用密钥的应用名称 / application name"),
                scenario: list[str] = typer.Option(["*"], "--scenario",
                                                   help="允许的场景，可重复；* 为全部 / allowed scenario (repeatable)"),
                department: Optional[str] = typer.Option(None, "--department",
                                                         help="密钥所属部门（默认 ZHENGWU_DEPARTMENT）/ department"),
                role: str = typer.Option("officer", "--role", help=ROLE_HELP + "（不可为 admin / not admin）")) -> None:
    """新建 API 密钥，只显示一次 / create an API key (printed once, stored hashed)."""
    from zhengwu.identity import create_key
    from zhengwu.store import session_scope

    with session_scope() as s:
        row, key = create_key(s, _operator(), app=app_name, department=department or get_settings().department,
                              role=role, scenarios=scenario)
        key_id = row.id
    print(key)
    print(f"密钥 #{key_id} 只显示这一次，请妥善保存。/ Key #{key_id} is shown only once: store it safely.",
          file=sys.stderr)


@keys_app.command("list")
def keys_list(as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON")) -> None:
    """列出 API 密钥（不显示密钥本身）/ list API keys (never the keys themselves)."""
    from zhengwu.identity import list_keys
    from zhengwu.store import session_scope

    with session_scope() as s:
        rows = [{"id": k.id, "prefix": k.prefix, "app": k.app, "department": k.department, "role": k.role,
                 "scenarios": k.scenarios, "revoked": k.revoked_at is not None} for k in list_keys(s, _operator())]
    if as_json:
        print(json.dumps(rows, ensure_ascii=False))
        return
    t = Table("id", "前缀 prefix", "应用 app", "部门 dept", "角色 role", "场景 scenarios", "吊销 revoked")
    for r in rows:
        t.add_row(str(r["id"]), r["prefix"] + "…", r["app"], r["department"], r["role"], r["scenarios"],
                  "yes" if r["revoked"] else "")
    _out.print(t)


@keys_app.command("revoke")
def keys_revoke(key: str = typer.Argument(..., help="密钥编号或前缀（见 keys list）/ key id or prefix")) -> None:
    """吊销 API 密钥，立即生效 / revoke an API key (at once)."""
    from zhengwu.identity import revoke_key
    from zhengwu.store import session_scope

    with session_scope() as s:
        key_id = revoke_key(s, _operator(), key).id
    print(f"已吊销密钥 #{key_id} / key #{key_id} revoked")
