"""`zhengwu hotline ...` and the hotline benchmarks under `zhengwu eval ...`."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import typer

from zhengwu.cli.app import eval_app, hotline_app  # noqa: F401 - eval_app: the hotline benchmarks
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


# --- hotspots (hl-hotspots) ---------------------------------------------------------------------------------


def _read_messages(path: Path) -> list[dict]:
    """The messages of a JSONL file; its malformed lines are reported by number on stderr and left out."""
    from zhengwu.hotline.hotspots import read_messages

    records, problems = read_messages(path)
    for p in problems[:20]:
        typer.echo(p, err=True)
    if len(problems) > 20:
        typer.echo(f"…… 另有 {len(problems) - 20} 处问题 / {len(problems) - 20} more problems", err=True)
    return records


def _print_topics(topics: list, titles: dict | None = None, *, members: int | None = 5) -> None:
    for t in topics:
        rng = f"{t.time_range[0][:10]}~{t.time_range[1][:10]}" if t.time_range else "—"
        flag = f" 突发 burst {t.burst_week}" if t.burst else ""
        typer.echo(f"#{t.rank} {t.label}  热度 heat {t.heat:.1f} · {t.size} 件 msgs · {t.people} 人 people · "
                   f"赞 likes {t.likes} · {rng}{flag}")
        typer.echo(f"    {t.description}")
        shown = t.msg_ids if members is None else t.msg_ids[:members]
        if titles:
            for m in shown:
                typer.echo(f"    - {m} {titles.get(m, '')}")
        else:
            typer.echo("    msg_ids: " + " ".join(str(m) for m in shown)
                       + (f" …(+{len(t.msg_ids) - len(shown)})" if len(shown) < len(t.msg_ids) else ""))


@hotline_app.command("hotspots")
def hotspots_cmd(
    top: int = typer.Option(10, "--top", min=0, help="前 N 个热点（0 = 全部）/ top N topics (0 = all)"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON"),
    messages: Path = typer.Option(None, "--messages", help="留言 JSONL（默认：本部门工单库）/ messages JSONL "
                                  "(default: the department's tickets)"),
    window: float = typer.Option(0, "--window", min=0, help="只看最近 N 天（0 = 全部）/ last N days only (0 = all)"),
    report: Path = typer.Option(None, "--report", help="分析报告 out.html 或 out.docx / write the report"),
) -> None:
    """热点发现：按问题与地点聚类、热度、突发预警 / hotspots: topics by problem and place, heat, bursts."""
    from zhengwu.hotline.hotspots import describe_with_model, mine, ticket_records

    caller = cli_caller()
    records = _read_messages(messages) if messages else ticket_records(caller)
    if not records:
        typer.echo("没有可分析的工单 / no tickets to analyse", err=True)
        raise typer.Exit(0)
    with progress_bar("热点 hotspots", enabled=not as_json and len(records) > 2000) as on_progress:
        topics = mine(records, top=top or None, window=window or None, on_progress=on_progress)
    titles = {r.get("msg_id"): str(r.get("title") or "") for r in records}
    describe_with_model(caller, topics, titles)  # only when a generative model is configured
    if report:
        from zhengwu.hotline.report import write_report

        write_report(topics, report, department=caller.department, n_messages=len(records), titles=titles)
        typer.echo(f"报告已写入 report written: {report}", err=True)
    if as_json:
        typer.echo(json.dumps({"n": len(records), "topics": [t.to_dict() for t in topics]}, ensure_ascii=False))
    else:
        _print_topics(topics, titles)


@eval_app.command("hotspots")
def eval_hotspots_cmd(
    messages: Path = typer.Option(..., "--messages", help="留言 JSONL {msg_id, title, text, time, likes?, dislikes?}"),
    top: int = typer.Option(10, "--top", min=0, help="前 N 个热点（0 = 全部聚类）/ top N (0 = every cluster)"),
    as_json: bool = typer.Option(False, "--json", help="输出一个 JSON 对象 / print one JSON object"),
) -> None:
    """热点基准：每个聚类的排名、标签、热度、成员 msg_id 与运行时间 / hotspot benchmark."""
    from zhengwu.hotline.hotspots import mine

    records = _read_messages(messages)
    started = time.perf_counter()
    with progress_bar("热点 hotspots", enabled=not as_json and len(records) > 2000) as on_progress:
        topics = mine(records, top=top or None, on_progress=on_progress)
    seconds = round(time.perf_counter() - started, 3)
    if as_json:
        keys = ("rank", "label", "heat", "msg_ids", "size", "people", "likes", "place", "time_range", "description",
                "burst")
        typer.echo(json.dumps({"n": len(records), "topics": [{k: t.to_dict()[k] for k in keys} for t in topics],
                               "seconds": seconds}, ensure_ascii=False))
    else:
        _print_topics(topics, members=None)
        typer.echo(f"{len(topics)} 个聚类 clusters · {len(records)} 条留言 messages · {seconds} s")
