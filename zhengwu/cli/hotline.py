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


# --- agent workspace (hl-workspace) -------------------------------------------------------------------------

@eval_app.command("quality")
def eval_quality(replies: Path = typer.Option(Path("../shared/eval/citizen_messages/replies.dev.jsonl"), "--replies",
                                              help="JSONL，每行 {text, reply} / rows {text, reply}"),
                 checklist: Path = typer.Option(None, "--checklist", help="质检清单 JSON（默认内置）/ checklist JSON"),
                 as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON"),
                 no_progress: bool = typer.Option(False, "--no-progress", help="不显示进度条 / no progress bar")) -> None:
    """答复质检得分分布 / quality score distribution over real replies (and a control: replies to other messages)."""
    import statistics
    import time

    from zhengwu.hotline.quality import inspect, load_checklist

    if not replies.exists():
        raise ZhengwuError("file_missing", f"找不到文件：{replies}", f"File not found: {replies}")
    rows = [json.loads(line) for line in replies.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if isinstance(r, dict) and str(r.get("reply") or "").strip()]
    if not rows:
        raise ZhengwuError("no_rows", "文件中没有含 reply 的行。", "The file has no rows with a reply.")
    cl = load_checklist(checklist)
    t0, reports, control = time.perf_counter(), [], []
    with progress_bar("质检 quality", enabled=not no_progress) as bar:
        for n, r in enumerate(rows):
            reports.append(inspect(r["reply"], appeal=r.get("text") or "", checklist=cl))
            other = rows[(n + len(rows) // 2) % len(rows)]  # the same reply against another message's appeal
            control.append(inspect(r["reply"], appeal=other.get("text") or "", checklist=cl))
            if bar:
                bar(n + 1, len(rows), "")
    seconds = time.perf_counter() - t0
    scores = sorted(r.score for r in reports)
    q = statistics.quantiles(scores, n=4) if len(scores) > 1 else [scores[0]] * 3
    grades: dict[str, int] = {}
    for r in reports:
        grades[r.grade_zh] = grades.get(r.grade_zh, 0) + 1

    def share(reps: list, iid: str) -> float:
        return round(statistics.mean(next(i.earned / i.weight for i in x.items if i.id == iid) if any(
            i.id == iid and i.weight for i in x.items) else 0.0 for x in reps), 3)

    out = {"n": len(rows), "mean": round(statistics.mean(scores), 1), "median": round(statistics.median(scores), 1),
           "q1": round(q[0], 1), "q3": round(q[2], 1), "min": scores[0], "max": scores[-1], "grades": grades,
           "item_pass_rate": {i["id"]: round(sum(next(x.passed for x in r.items if x.id == i["id"]) for r in reports)
                                             / len(reports), 3) for i in cl.items},
           "appeal_coverage": share(reports, "appeal"), "appeal_coverage_other_message": share(control, "appeal"),
           "replies_per_s": round(2 * len(rows) / seconds, 1), "seconds": round(seconds, 2)}
    if as_json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return
    print(f"{out['n']} 条答复 replies · 平均 mean {out['mean']} · 中位 median {out['median']} · "
          f"四分位 quartiles {out['q1']}–{out['q3']} · 范围 range {out['min']}–{out['max']}")
    print("等级 grades: " + "，".join(f"{k} {v}" for k, v in grades.items()))
    print("各项通过率 pass rate: " + "，".join(f"{k} {v:.1%}" for k, v in out["item_pass_rate"].items()))
    print(f"诉求覆盖 appeal coverage: 本留言 own {out['appeal_coverage']:.3f} / 他人留言 other {out['appeal_coverage_other_message']:.3f}")
    print(f"{out['replies_per_s']} 条/秒 replies/s，{out['seconds']} s")
