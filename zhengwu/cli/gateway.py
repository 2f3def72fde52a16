"""CLI commands of the gateway: `zhengwu audit verify|export|purge|show`, `zhengwu scenario list|add|approve|revoke`,
`zhengwu gateway chat|backends`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from zhengwu.cli.app import app, eval_app  # noqa: F401
from zhengwu.config import get_settings
from zhengwu.context import cli_caller

_out = Console()
audit_app = typer.Typer(help="审计日志 / audit log", no_args_is_help=True)
scenario_app = typer.Typer(help="应用场景与审批 / scenarios and approval", no_args_is_help=True)
gateway_app = typer.Typer(help="治理网关 / governance gateway", no_args_is_help=True)
app.add_typer(audit_app, name="audit")
app.add_typer(scenario_app, name="scenario")
app.add_typer(gateway_app, name="gateway")


# ------------------------------------------------------------------------------------------------ audit


@audit_app.command("verify")
def audit_verify(as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON"),
                 anchors: Path | None = typer.Option(None, "--anchors", help="锚点文件，缺省取配置 / anchor file")) -> None:
    """校验审计日志（HMAC 链、链外锚点、保留期清除）；被篡改退出码 1，无法校验（无密钥）退出码 2 /
    verify the audit log (HMAC chain, anchors, purges); exit 1 when tampered, 2 when it cannot verify."""
    from zhengwu.gateway import admin
    from zhengwu.store import session_scope

    with session_scope() as s:
        res = admin.verify(s, anchor_file=str(anchors) if anchors else None)
    if as_json:
        print(json.dumps(res.to_dict(), ensure_ascii=False))
    elif res.ok:
        keys = ", ".join(res.key_ids) or "-"
        print(f"审计日志完整：已校验 {res.checked} 条记录、{res.anchors_checked} 个锚点；密钥 {keys}。\n"
              f"Audit log intact: {res.checked} records and {res.anchors_checked} anchors verified; keys {keys}.")
        for w in res.warnings:
            print(f"注意 / note: {w}", file=sys.stderr)
    elif res.status == "cannot_verify":
        print(f"{res.reason_zh}\n{res.reason}", file=sys.stderr)
    else:
        head = "审计日志已被篡改" if res.status == "tampered" else "审计锚点与数据库不一致"
        head_en = "Audit log tampered" if res.status == "tampered" else "Audit anchors disagree with the database"
        print(f"{head}：{res.reason_zh}\n{head_en}: {res.reason}", file=sys.stderr)
    if not res.ok:
        raise typer.Exit(res.exit_code)


@audit_app.command("rotate-key")
def audit_rotate_key() -> None:
    """生成新的审计签名密钥，旧密钥保留用于校验（先备份密钥文件）/ new signing key; old keys kept for verification."""
    from zhengwu.gateway import admin

    new, old = admin.rotate_key()
    print(f"新签名密钥 {new}（原密钥 {old or '-'} 保留用于校验）。请备份密钥文件。\n"
          f"New signing key {new} (previous {old or '-'} kept for verification). Back up the key file.")


@audit_app.command("anchor")
def audit_anchor() -> None:
    """把数据库当前链头写入锚点（仅在核查"锚点落后"提示之后使用）/ anchor the current head after checking a
    verify report that the anchors are behind."""
    from zhengwu.gateway import admin
    from zhengwu.store import session_scope

    with session_scope() as s:
        head = admin.anchor_head(s)
    print(f"已锚定链头：序号 {head['seq']}。\nAnchored the chain head: seq {head['seq']}.")


@audit_app.command("export")
def audit_export(
    date_from: str = typer.Option(..., "--from", help="起始日期 YYYY-MM-DD / first day"),
    date_to: str = typer.Option(..., "--to", help="截止日期（含）YYYY-MM-DD / last day (inclusive)"),
    out: Path | None = typer.Option(None, "--out", help="输出文件，缺省为标准输出 / output file (default stdout)"),
    fmt: str = typer.Option("jsonl", "--format", help="jsonl | csv"),
) -> None:
    """导出审计记录供信息公开或检查（导出本身也记入审计）/ export records for disclosure (audited)."""
    from zhengwu.gateway import admin
    from zhengwu.store import session_scope

    caller = cli_caller()
    with session_scope() as s:
        body, n = admin.export(s, caller, date_from=date_from, date_to=date_to, fmt=fmt)
    if out is None:
        sys.stdout.write(body)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(body, encoding="utf-8")
        print(f"已导出 {n} 条记录到 {out}\nExported {n} records to {out}", file=sys.stderr)


@audit_app.command("purge")
def audit_purge() -> None:
    """清除超过保存期限的记录内容（保留元数据与哈希链）/ blank content past its retention, keeping the chain."""
    from zhengwu.gateway import admin
    from zhengwu.store import session_scope

    with session_scope() as s:
        n = admin.purge(s, cli_caller())
    print(f"已清除 {n} 条过期记录的内容。\nPurged the content of {n} expired records.")


@audit_app.command("show")
def audit_show(limit: int = typer.Option(20, "--limit", "-n"),
               request_id: str = typer.Option("", "--request-id",
                                              help="只显示该请求的记录（应用收到的 X-Request-Id）/ only the records of "
                                                   "this request (the X-Request-Id an application received)"),
               as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON")) -> None:
    """显示最近的审计记录 / show the latest audit records."""
    from zhengwu.gateway import admin
    from zhengwu.store import session_scope

    with session_scope() as s:
        rows = [{k: getattr(r, k) for k in admin.EXPORT_FIELDS}
                for r in admin.search(s, cli_caller(), request_id=request_id.strip() or None, limit=limit)[0]]
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    t = Table("seq", "时间 time", "用户 user", "部门 dept", "场景 scenario", "动作 action", "后端 backend", "检查 checks")
    for r in rows:
        t.add_row(str(r["seq"]), r["created_at"][:19], r["user"], r["department"], r["scenario"], r["action"],
                  f"{r['backend'] or ''} {r['model'] or ''}".strip(), r["checks"])
    _out.print(t)


# --------------------------------------------------------------------------------------------- scenario


_LABEL_HELP = ("append（文末，默认）| prepend（文首）| metadata_only（文本内不加，由应用界面显示；须留存≥183天）/ "
               "append (end, default) | prepend (start) | metadata_only (none in the text: the application shows it; "
               "needs retention >= 183 days)")


@scenario_app.command("list")
def scenario_list(as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON")) -> None:
    """列出应用场景及其风险等级、审批状态 / list scenarios with risk and approval."""
    from zhengwu.gateway.scenarios import list_policies
    from zhengwu.store import session_scope

    with session_scope() as s:
        pols = list_policies(s)
    if as_json:
        print(json.dumps([p.to_dict() for p in pols], ensure_ascii=False, indent=2))
        return
    t = Table("ID", "名称 name", "风险 risk", "个人信息 PII", "人工审核 review", "保存 retention", "标识 label",
              "已批准 approved", "批准人 by")
    for p in pols:
        ret = "不留存 no-history" if p.no_history else ("永久 forever" if p.retention_days is None else f"{p.retention_days}d")
        t.add_row(p.id, f"{p.name_zh} {p.name_en}", p.risk, p.pii_mode, "是 yes" if p.human_review else "否 no", ret,
                  p.visible_label, "是 yes" if p.approved else "否 NO",
                  f"{p.approved_by or ''} {(p.approved_at or '')[:19]}")
    _out.print(t)


@scenario_app.command("add")
def scenario_add(
    scenario_id: str = typer.Argument(..., help="场景标识 / scenario id"),
    name_zh: str = typer.Option(..., "--name-zh", help="中文名称 / Chinese name"),
    name_en: str = typer.Option("", "--name-en", help="英文名称 / English name"),
    risk: str = typer.Option("medium", "--risk", help="low | medium | high | unacceptable"),
    pii_mode: str = typer.Option("mask", "--pii-mode", help="mask | pseudonym | block"),
    backends: str = typer.Option("*", "--backends", help="允许的后端，逗号分隔 / allowed backends, comma-separated"),
    human_review: bool = typer.Option(False, "--human-review/--no-human-review", help="输出需人工审核 / needs review"),
    retention_days: int | None = typer.Option(1095, "--retention-days", help="内容保存天数 / days content is kept"),
    no_history: bool = typer.Option(False, "--no-history", help="只留元数据，不留内容 / keep metadata only"),
    description: str = typer.Option("", "--description"),
    visible_label: str = typer.Option("append", "--visible-label", help=_LABEL_HELP),
) -> None:
    """登记新场景（未批准前不可使用）/ register a new scenario (unusable until approved)."""
    from zhengwu.gateway.scenarios import add_scenario
    from zhengwu.store import session_scope

    with session_scope() as s:
        p = add_scenario(s, cli_caller(), id=scenario_id, name_zh=name_zh, name_en=name_en, risk=risk,
                         pii_mode=pii_mode, allowed_backends=[b.strip() for b in backends.split(",") if b.strip()],
                         human_review=human_review, retention_days=retention_days, no_history=no_history,
                         description=description, visible_label=visible_label)
    print(f"已登记场景 {p.id}，待管理员批准后方可使用。\nRegistered scenario {p.id}; it is unusable until approved.")


@scenario_app.command("label")
def scenario_label(scenario_id: str = typer.Argument(..., help="场景标识 / scenario id"),
                   placement: str = typer.Argument(..., help=_LABEL_HELP)) -> None:
    """设置生成文本中显式标识的位置（记入审计）/ set where generated text shows the AI label (audited)."""
    from zhengwu.store import session_scope
    from zhengwu.gateway.scenarios import set_visible_label

    with session_scope() as s:
        p = set_visible_label(s, cli_caller(), scenario_id, placement)
    print(f"场景 {p.id} 的显式标识位置：{p.visible_label}（隐式标识 AIGC 元数据始终写入）。\n"
          f"Scenario {p.id} now shows the visible label: {p.visible_label} (the implicit AIGC metadata is always "
          f"written).")


@scenario_app.command("approve")
def scenario_approve(scenario_id: str = typer.Argument(..., help="场景标识 / scenario id")) -> None:
    """批准场景投入使用（记录批准人和时间）/ approve a scenario (who and when are recorded)."""
    from zhengwu.gateway.scenarios import approve_scenario
    from zhengwu.store import session_scope

    with session_scope() as s:
        p = approve_scenario(s, cli_caller(), scenario_id)
    print(f"已批准场景 {p.id}（批准人 {p.approved_by}，时间 {p.approved_at}）。\n"
          f"Approved scenario {p.id} by {p.approved_by} at {p.approved_at}.")


@scenario_app.command("revoke")
def scenario_revoke(scenario_id: str = typer.Argument(..., help="场景标识 / scenario id")) -> None:
    """撤销场景批准 / withdraw a scenario's approval."""
    from zhengwu.gateway.scenarios import revoke_scenario
    from zhengwu.store import session_scope

    with session_scope() as s:
        p = revoke_scenario(s, cli_caller(), scenario_id)
    print(f"已撤销场景 {p.id} 的批准。\nRevoked the approval of scenario {p.id}.")


# ---------------------------------------------------------------------------------------------- gateway


@gateway_app.command("chat")
def gateway_chat(
    text: str = typer.Argument(..., help="提问内容，'-' 读标准输入 / the prompt, '-' for stdin"),
    scenario: str = typer.Option("policy_qa", "--scenario", "-s"),
    conversation: str | None = typer.Option(None, "--conversation"),
    stream: bool = typer.Option(False, "--stream"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON"),
) -> None:
    """经治理网关调用大模型（脱敏、审计、标识）/ call the model through the gateway."""
    from zhengwu.gateway import complete

    if text == "-":
        text = sys.stdin.read()
    msgs = [{"role": "user", "content": text}]
    if stream:
        comp = None
        for ev in complete(cli_caller(), scenario, msgs, conversation_id=conversation, stream=True):
            if isinstance(ev, str):
                if not as_json:
                    sys.stdout.write(ev)
                    sys.stdout.flush()
            else:
                comp = ev
        if as_json:
            print(json.dumps(comp.to_dict(), ensure_ascii=False))
        else:  # prepend: the label came with the first text; metadata_only: the JSON carries it
            print(f"\n（{comp.label}）" if comp.visible_label == "append" else "")
        return
    comp = complete(cli_caller(), scenario, msgs, conversation_id=conversation)
    if as_json:
        print(json.dumps(comp.to_dict(), ensure_ascii=False))
    else:
        print(comp.labelled_text())


@gateway_app.command("backends")
def gateway_backends(probe: bool = typer.Option(False, "--probe", help="立即探测各端点 / probe every endpoint now"),
                     as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON")) -> None:
    """列出已注册的模型后端及各端点健康状态 / list registered model backends and the health of each endpoint."""
    from zhengwu.gateway import registered_backends
    from zhengwu.gateway import health

    current = get_settings().llm_backend
    endpoints = health.status(probe_now=probe) if current == "openai" else []
    if as_json:
        print(json.dumps({"backend": current, "backends": registered_backends(), "endpoints": endpoints},
                         ensure_ascii=False, indent=2))
        return
    for name in registered_backends():
        print(f"{name}{'  *' if name == current else ''}")
    for e in endpoints:
        state = {"up": "正常 up", "down": "故障 down", "unknown": "未知 unknown"}[e["state"]]
        extra = f"  冷却 cooling down {e['retry_in_s']} s" if e["cooling_down"] else ""
        err = f"  ({e['last_error']})" if e["last_error"] and e["state"] == "down" else ""
        print(f"  {e['url']}  {state}{extra}{err}")
