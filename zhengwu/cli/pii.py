"""`zhengwu pii scan|mask` and `zhengwu eval pii`.

Every invocation leaves one audit record (scenario pii_mask) holding only the masked text and the entity
types found: one per command, not per line, so that masking a large file stays fast.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from zhengwu.cli.app import app, eval_app
from zhengwu.context import cli_caller
from zhengwu.errors import ZhengwuError

pii_app = typer.Typer(help="个人信息识别与脱敏 / Chinese PII detection and masking", no_args_is_help=True)
app.add_typer(pii_app, name="pii")

_TEXT_HELP = "要处理的文本；省略或为 - 时从标准输入读取 / text to process; '-' or none reads stdin"
_LINES_HELP = "逐行处理，每个输入行输出一行 / handle each input line on its own, one output line per line"
_ENT_HELP = "只识别这些类型（逗号分隔）/ only these entity types (comma-separated)"


def _read(text: Optional[str]) -> str:
    if text is None or text == "-":
        data = sys.stdin.read()
        return data
    return text


def _entities(value: Optional[str]) -> list[str] | None:
    if not value:
        return None
    return [e.strip() for e in value.split(",") if e.strip()]


def _lines(data: str) -> list[str]:
    lines = data.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [ln.rstrip("\r") for ln in lines]


def _out(s: str) -> None:
    sys.stdout.write(s)
    if not s.endswith("\n"):
        sys.stdout.write("\n")


def _audit(action: str, masked_text: str, entities: set[str], n_units: int) -> None:
    """One record per command; the text stored is the masked one, never the input."""
    from zhengwu.gateway import govern

    try:
        with govern(cli_caller(), "pii_mask", decisions="off") as g:
            g.finish(action=action, input_text=masked_text, checks=sorted(entities), extra={"units": n_units})
    except ZhengwuError:
        raise
    except Exception as exc:  # noqa: BLE001 - a masking without its audit record must not pass silently
        raise ZhengwuError("audit_failed", f"审计记录写入失败：{exc}", f"Could not write the audit record: {exc}") from exc


def _finding_public(f, with_text: bool) -> dict:
    d = f.to_dict()
    if not with_text:
        d.pop("text", None)
    return d


@pii_app.command("scan")
def scan_cmd(
    text: Optional[str] = typer.Argument(None, help=_TEXT_HELP),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / JSON output"),
    lines: bool = typer.Option(False, "--lines", help=_LINES_HELP),
    entities: Optional[str] = typer.Option(None, "--entities", help=_ENT_HELP),
) -> None:
    """识别文本中的个人信息 / find PII in text."""
    from zhengwu.gateway import admin

    data = _read(text)
    ents = _entities(entities)
    units = _lines(data) if lines else [data]
    found: set[str] = set()
    masked_parts: list[str] = []
    for unit in units:
        findings = admin.scan(unit, entities=ents)
        found.update(f.entity for f in findings)
        masked_parts.append(admin.apply_findings(unit, findings, mode="mask", mapping=None, keep_region=True).text)
        if as_json:
            _out(json.dumps({"findings": [f.to_dict() for f in findings],
                             "entities": sorted({f.entity for f in findings})}, ensure_ascii=False))
        elif lines:
            _out("; ".join(f"{f.entity}:{f.text}({f.score:.2f})" for f in findings))
        else:
            if not findings:
                _out("未发现个人信息 / no PII found")
            for f in findings:
                _out(f"{f.entity}\t{admin.label_of(f.entity)}\t{f.start}-{f.end}\t{f.text}\t{f.score:.2f}\t"
                     f"{f.recognizer}/{f.pattern}")
    _audit("pii_scan", "\n".join(masked_parts), found, len(units))


@pii_app.command("mask")
def mask_cmd(
    text: Optional[str] = typer.Argument(None, help=_TEXT_HELP),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / JSON output"),
    mode: str = typer.Option("mask", "--mode", help="mask（[身份证号]）或 pseudonym（【姓名1】）"),
    lines: bool = typer.Option(False, "--lines", help=_LINES_HELP),
    entities: Optional[str] = typer.Option(None, "--entities", help=_ENT_HELP),
    no_keep_region: bool = typer.Option(False, "--no-keep-region",
                                        help="地址连省市区一并遮盖 / mask addresses including province/city/district"),
) -> None:
    """脱敏：遮盖或假名化个人信息 / mask or pseudonymise PII."""
    from zhengwu.gateway import admin

    if mode not in admin.MODES:
        raise ZhengwuError("bad_pii_mode", f"脱敏方式无效：{mode}（mask/pseudonym）",
                           f"Invalid masking mode: {mode} (mask/pseudonym)")
    data = _read(text)
    ents = _entities(entities)
    units = _lines(data) if lines else [data]
    mapping = admin.PseudonymMap() if mode == "pseudonym" else None
    found: set[str] = set()
    masked_parts: list[str] = []
    for unit in units:
        res = admin.mask(unit, mode=mode, mapping=mapping, keep_region=not no_keep_region, entities=ents)
        found.update(res.entities)
        masked_parts.append(res.text)
        if as_json:
            obj = {"text": res.text, "entities": res.entities,
                   "findings": [_finding_public(f, with_text=False) for f in res.findings]}
            if mapping is not None:
                obj["mapping"] = mapping.to_dict()
            _out(json.dumps(obj, ensure_ascii=False))
        else:
            _out(res.text.replace("\n", " ") if lines else res.text)
    _audit("pii_mask", "\n".join(masked_parts), found, len(units))


@eval_app.command("pii")
def eval_pii_cmd(
    cases: Path = typer.Option(..., "--cases", help="argus 用例或实体标注 JSONL / argus cases or span-annotated JSONL"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / JSON output"),
    compare: bool = typer.Option(False, "--compare", help="同时运行 argus-redact 与 Presidio 模式集 / also run argus-redact and a Presidio pattern set"),
    limit: int = typer.Option(0, "--limit", help="只评测前 N 条（0 = 全部）/ first N cases only (0 = all)"),
    no_keep_region: bool = typer.Option(True, "--no-keep-region/--keep-region",
                                        help="泄漏率按完整地址遮盖计算 / leak rate with whole addresses masked"),
    deep_names: bool = typer.Option(False, "--deep-names", help="更多分句用 jieba 识别姓名（更慢）/ jieba on more clauses for names (slower)"),
) -> None:
    """个人信息识别评测：各类型精确率/召回率、泄漏率、速度 / PII benchmark."""
    from zhengwu.eval import pii as ev

    if not cases.exists():
        raise ZhengwuError("cases_missing", f"评测文件不存在：{cases}", f"Cases file not found: {cases}")
    report = ev.run(cases, compare=compare, limit=limit or None, keep_region=not no_keep_region,
                    deep_names=deep_names)
    if as_json:
        _out(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        _out(ev.format_report(report))
