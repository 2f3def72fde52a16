"""`zhengwu hotline ...` and the hotline benchmarks under `zhengwu eval ...`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from zhengwu.cli.app import eval_app, hotline_app  # noqa: F401
from zhengwu.cli.progress import progress_bar
from zhengwu.context import cli_caller
from zhengwu.errors import ZhengwuError


# --- tickets (hl-tickets) ------------------------------------------------------------------------------------

@hotline_app.command("ingest")
def ingest(path: Path = typer.Argument(None, help="JSONL 或 XLSX 工单文件 / JSONL or XLSX ticket file"),
           resume: int = typer.Option(None, "--resume", help="继续中断的导入任务 / resume import job JOB_ID"),
           link_duplicates: bool = typer.Option(False, "--link-duplicates",
                                                help="为每张工单查找重复工单 / link duplicate candidates"),
           as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON"),
           no_progress: bool = typer.Option(False, "--no-progress", help="不显示进度条 / no progress bar")) -> None:
    """导入工单（可中断、可继续）/ import tickets (interruptible, resumable)."""
    from zhengwu.hotline import ingest as hotline_ingest

    caller = cli_caller()
    if path is None and resume is None:
        raise ZhengwuError("no_paths", "请给出要导入的 JSONL 或 XLSX 文件。", "give the JSONL or XLSX file to import.")
    job_id = resume
    try:
        if job_id is None:
            job = hotline_ingest.create_job(path, caller)
            job_id = job["id"]
            if job["missing_recommended"]:
                print(f"提示：文件缺少建议列 {', '.join(job['missing_recommended'])}，这些字段将从内容中提取或留空\n"
                      f"Note: the file lacks the recommended columns {', '.join(job['missing_recommended'])}; "
                      "they are taken from the text or left empty", file=sys.stderr)
        with progress_bar(f"导入 import → job {job_id}", enabled=not no_progress) as bar:
            report = hotline_ingest.run_job(job_id, caller, link_duplicates=link_duplicates, on_progress=bar)
    except KeyboardInterrupt:
        if job_id is not None:
            print(f"已中断。已导入的工单已保存；继续：zhengwu hotline ingest --resume {job_id}\n"
                  f"Interrupted. Tickets already stored are kept; continue with: zhengwu hotline ingest --resume "
                  f"{job_id}", file=sys.stderr)
        raise typer.Exit(130) from None
    if as_json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(f"任务 job {report['id']}: 新建 created {report['created']}，跳过（已导入）skipped {report['skipped']}，"
              f"失败 failed {report['failed']}，共 of {report['total']}")
    for err in report["errors"]:
        print(f"第 {err['row']} 行 row {err['row']}: {err['message']}", file=sys.stderr)
    if report["failed"]:
        raise typer.Exit(1)


@eval_app.command("address")
def eval_address(cases: Path = typer.Option(..., "--cases", help="地址要素标注 JSONL / span-annotated addresses JSONL"),
                 limit: int = typer.Option(0, "--limit", help="只评测前 N 条（0 = 全部）/ first N rows only (0 = all)"),
                 as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON")) -> None:
    """地址解析评测：省/市/区/街道/社区要素 F1 / address parsing benchmark: element F1."""
    from zhengwu.eval.address import evaluate

    if not cases.exists():
        raise ZhengwuError("cases_missing", f"评测文件不存在：{cases}", f"Cases file not found: {cases}")
    result = evaluate(cases, limit=limit)
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    print(f"{'要素 element':16} {'P':>6} {'R':>6} {'F1':>6} {'n':>6}")
    for name, m in [*result["per_element"].items(), ("micro", result["micro"])]:
        print(f"{name:16} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f} {m['support']:6d}")
    print(f"{result['n']} 条地址 addresses, {result['addresses_per_s']}/s")
