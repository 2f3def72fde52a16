"""`zhengwu safety screen` and `zhengwu eval safety`: the TC260-003 content safety screen from the shell."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from zhengwu.cli.app import app, eval_app
from zhengwu.cli.progress import progress_bar
from zhengwu.errors import ZhengwuError

safety_app = typer.Typer(help="内容安全（TC260-003）/ content safety (TC260-003)", no_args_is_help=True)
app.add_typer(safety_app, name="safety")


@safety_app.command("screen")
def screen_cmd(
    lines: bool = typer.Option(False, "--lines", help="每行一段文本，每行输出一个结果 / one text per input line, one result per line"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON（每段文本一个对象）/ JSON output (one object per text)"),
) -> None:
    """从标准输入读取文本，判断应拒答或可回答 / read texts on stdin: refuse or answer."""
    from zhengwu.gateway import safety

    data = sys.stdin.read()
    texts = [t for t in data.splitlines() if t.strip()] if lines else [data.strip()]
    if not any(texts):
        raise ZhengwuError("empty_input", "标准输入没有文本", "No text on standard input")
    for v in safety.screen_many(texts):
        if as_json:
            print(json.dumps(v.to_dict(), ensure_ascii=False))
        else:
            cat = f"\t{v.category}" if v.category else ""
            print(f"{'拒答 refuse' if v.decision == 'refuse' else '回答 answer'}\t{v.score:.3f}{cat}")


@eval_app.command("safety")
def eval_safety_cmd(
    cases: list[Path] = typer.Option(..., "--cases", help="应拒答/非拒答测试集 JSONL；其后的文件也计入 / refuse/answer case JSONL; files after it count too"),
    more: list[Path] = typer.Argument(None, metavar="[FILE]...", help="更多测试集文件 / more case files", show_default=False),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / JSON output"),
    cross_validate: bool = typer.Option(False, "--cross-validate",
                                        help="按文件交叉验证：每个文件由未见过它的模型评测 / k-fold by file: each file scored by a model fitted without it"),
    government_text: list[Path] = typer.Option([], "--government-text",
                                               help="交叉验证时作为可回答样本的政务文本 JSONL（可多次给出）/ government-text JSONL added as should-answer rows when cross-validating (repeatable)"),
    lexicon_only: bool = typer.Option(False, "--lexicon-only", help="只用词库（不用分类模型）/ lexicon only, no classifier"),
) -> None:
    """内容安全评测：拒答率、误拒率（按文件、类别）、速度 / content safety benchmark."""
    from zhengwu.eval import safety as ev

    if cross_validate and lexicon_only:
        raise ZhengwuError("bad_options", "--cross-validate 与 --lexicon-only 不能同时使用",
                           "--cross-validate and --lexicon-only cannot be combined")
    with progress_bar("交叉验证 cross-validating", enabled=cross_validate and not as_json) as on_progress:
        report = ev.run([*cases, *(more or [])], cross_validate=cross_validate, lexicon_only=lexicon_only,
                        government_text=government_text, on_progress=on_progress)
    print(json.dumps(report, ensure_ascii=False, indent=1) if as_json else ev.format_report(report))
