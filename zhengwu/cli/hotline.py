"""`zhengwu hotline ...` and the hotline benchmarks under `zhengwu eval ...`."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import typer

from zhengwu.cli.app import eval_app, hotline_app
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
            if job["ignored_columns"]:
                print(f"提示：以下列不是工单字段，未导入：{'、'.join(job['ignored_columns'])}\n"
                      f"Note: these columns are not ticket fields and are not imported: "
                      f"{', '.join(job['ignored_columns'])}", file=sys.stderr)
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


# ---- classification and dispatch (hl-classify) ----------------------------------------------------------------

taxonomy_app = typer.Typer(help="工单分类表 / the ticket category tree", no_args_is_help=True)
hotline_app.add_typer(taxonomy_app, name="taxonomy")
duty_app = typer.Typer(help="权责清单：分类 × 区域 → 责任单位 / duty list: category × area → department",
                       no_args_is_help=True)
hotline_app.add_typer(duty_app, name="duty")


@hotline_app.command("train")
def train_cmd(
    file: Path = typer.Argument(None, help="已标注工单 JSONL {title, text, <标签>}；省略则用已存样本和纠正重新训练 / "
                                     "labelled tickets; omitted: retrain on the stored examples and corrections"),
    label_field: str = typer.Option("label", "--label-field", help="标签字段：分类路径“一级/二级/三级”或一级名称 / label field"),
    replace: bool = typer.Option(False, "--replace", help="先清除以前导入的历史样本（保留坐席纠正）/ forget earlier history"),
    as_json: bool = typer.Option(False, "--json", help="输出一个 JSON 对象 / print one JSON object"),
) -> None:
    """用已标注历史工单和坐席纠正训练本部门分类模型 / train the department's classifier."""
    from zhengwu.hotline.classify import read_rows, train

    rows = read_rows(file, label_field) if file is not None else []
    report = train(cli_caller(), rows, label_field=label_field, replace=replace)
    if as_json:
        print(json.dumps(report.to_dict(), ensure_ascii=False))
        return
    print(f"已训练 / trained: {report.n} 条样本 examples（其中坐席纠正 corrections {report.corrections}），"
          f"{len(report.labels)} 个类别 classes，{report.seconds:.1f} s")
    for label, n in report.labels.items():
        print(f"  {label}\t{n}")
    if report.skipped:
        print("未入库（分类表中没有该分类）/ skipped, label not in the taxonomy:")
        for label, n in report.skipped.items():
            print(f"  {label}\t{n}")


def _tickets_from(file: Path | None, title: str, text: str) -> list[dict]:
    if file is None:
        if not (title.strip() or text.strip()):
            raise ZhengwuError("no_input", "请给出文件，或 --title / --text。", "Give a file, or --title / --text.")
        return [{"title": title, "text": text}]
    if file.suffix.lower() == ".jsonl":
        from zhengwu.hotline.classify import read_rows

        return read_rows(file)
    from zhengwu.hotline.files import read_utf8

    body = read_utf8(file)
    if not body.strip():
        raise ZhengwuError("file_empty", f"文件是空的：{file}", f"The file is empty: {file}")
    return [{"title": title, "text": body}]


@hotline_app.command("classify")
def classify_cmd(
    file: Path = typer.Argument(None, help="工单：JSONL {title, text, area?} 每行一条，或一个文本文件 / tickets"),
    title: str = typer.Option("", "--title", help="工单标题（无文件时）/ ticket title"),
    text: str = typer.Option("", "--text", help="工单正文（无文件时）/ ticket text"),
    area: str = typer.Option("", "--area", help="所在区县，用于派单 / district, for dispatch"),
    k: int = typer.Option(3, "--k", min=1, max=10, help="候选数 / number of suggestions"),
    as_json: bool = typer.Option(False, "--json", help="每条工单输出一行 JSON / one JSON line per ticket"),
    stored: bool = typer.Option(False, "--tickets", help="给工单库中未分类的工单分类并保存（任务）/ classify the "
                                "department's stored tickets without a category, as a job"),
    everything: bool = typer.Option(False, "--all", help="与 --tickets 一起：全部工单重新分类 / with --tickets: all"),
    background: bool = typer.Option(False, "--background", help="与 --tickets 一起：交给后台工作进程 / with "
                                    "--tickets: leave it to the workers (queue = redis; else runs here)"),
) -> None:
    """工单分类（前 k 个候选及置信度）和责任单位 / classify tickets and name the responsible department."""
    from zhengwu.hotline.classify import suggest_many
    from zhengwu.hotline.dispatch import department_for, lines

    caller = cli_caller()
    if stored:
        if file is not None or title or text:
            raise ZhengwuError("classify_tickets_and_input", "--tickets 不能与文件、--title 或 --text 同时使用。",
                               "--tickets cannot be combined with a file, --title or --text.")
        from zhengwu.hotline import jobs

        _job_start(jobs.create_classify_job(caller, everything=everything), background, as_json)
        return
    if everything or background:
        raise ZhengwuError("classify_needs_tickets", "--all 和 --background 只能与 --tickets 一起使用。",
                           "--all and --background apply only with --tickets.")
    tickets = _tickets_from(file, title, text)
    duty = lines(caller)
    batch = 256
    with progress_bar("分类 classify", enabled=len(tickets) > batch and not as_json and sys.stderr.isatty()) as tick:
        for start in range(0, len(tickets), batch):
            chunk = tickets[start:start + batch]
            results = suggest_many(caller, [(str(t.get("title") or ""), str(t.get("text") or "")) for t in chunk], k=k)
            for t, sugg in zip(chunk, results):
                place = str(t.get("area") or area or "") or None
                dept = department_for(caller, sugg[0].path, place, duty=duty) if sugg else None
                if as_json:
                    out = {"suggestions": [s.to_dict() for s in sugg], "department": dept}
                    if "msg_id" in t or "id" in t:
                        out = {"id": t.get("msg_id", t.get("id")), **out}
                    print(json.dumps(out, ensure_ascii=False))
                else:
                    head = str(t.get("title") or t.get("text") or "")[:30]
                    print(f"{head}\n  责任单位 department: {dept or '（未找到 / none）'}")
                    for s in sugg or []:
                        print(f"  {s.confidence:.2f}  {'/'.join(s.path)}  [{s.code}]")
                    if not sugg:
                        print("  （无分类建议 / no suggestion）")
            if tick:
                tick(min(start + batch, len(tickets)), len(tickets), "")


@taxonomy_app.command("show")
def taxonomy_show(as_json: bool = typer.Option(False, "--json", help="每个分类输出一行 JSON / JSON lines")) -> None:
    """显示本部门的分类表 / show the department's category tree."""
    from zhengwu.hotline.classify import taxonomy_for

    tree = taxonomy_for(cli_caller())
    for row in tree.to_rows():
        print(json.dumps(row, ensure_ascii=False) if as_json else f"{row['code']}\t{'/'.join(row[k] for k in ('level1', 'level2', 'level3') if k in row)}")


@taxonomy_app.command("load")
def taxonomy_load(
    file: Path = typer.Argument(None, help="分类表 JSONL {level1, level2, level3, code?, keywords?}；省略则恢复默认 / tree"),
    dry_run: bool = typer.Option(False, "--dry-run", help="只报告变化，不替换 / report the changes only"),
) -> None:
    """替换本部门的分类表并报告哪些旧代码不再存在 / replace the department's tree, reporting removed codes."""
    from zhengwu.hotline import taxonomy as tx
    from zhengwu.hotline.classify import set_taxonomy

    new = tx.load(file)
    ch = set_taxonomy(cli_caller(), new, dry_run=dry_run)
    print(f"{'将' if dry_run else '已'}载入 / {'would load' if dry_run else 'loaded'}: {new.source}，"
          f"{len(new.categories)} 个分类 categories；保留 kept {ch['kept']}，改代码 moved {len(ch['moved'])}，"
          f"不再存在 removed {len(ch['removed'])}，新增 added {len(ch['added'])}")
    for r in ch["removed"][:50]:
        print(f"  removed {r['code']}\t{'/'.join(r['path'])}\t在办工单 open tickets: {r['open_tickets']}")
    if len(ch["removed"]) > 50:
        print(f"  … {len(ch['removed']) - 50} more")
    if ch["removed"]:
        print(f"已分类的工单保留原代码和路径；在办工单 {ch['open_tickets']} 张需复核分类。/ Tickets keep their stored code "
              f"and path; {ch['open_tickets']} open tickets are in moved or removed categories: review them.")


@duty_app.command("list")
def duty_list(as_json: bool = typer.Option(False, "--json", help="每条输出一行 JSON / JSON lines")) -> None:
    """列出权责清单（本部门条目在前，其后为默认条目）/ list the duty list."""
    from zhengwu.hotline.dispatch import lines

    for line in lines(cli_caller()):
        if as_json:
            print(json.dumps(line.to_dict(), ensure_ascii=False))
        else:
            print(f"{line.category}\t{line.area or '*'}\t{line.responsible}\t({line.source})")


@duty_app.command("set")
def duty_set(
    category: str = typer.Argument(..., help="分类路径前缀，如“城乡建设/市政设施/供水”/ category path prefix"),
    responsible: str = typer.Argument(..., help="责任单位，可含 {area} / department, may contain {area}"),
    area: str = typer.Option("", "--area", help="区县（空 = 全部）/ district (empty = any)"),
    note: str = typer.Option("", "--note", help="备注 / note"),
) -> None:
    """新增或修改一条权责清单 / add or change a duty-list line."""
    from zhengwu.hotline.dispatch import set_line

    line = set_line(cli_caller(), category, responsible, area, note)
    print(f"已保存 / saved: {line.category}\t{line.area or '*'}\t{line.responsible}")


@duty_app.command("remove")
def duty_remove(
    category: str = typer.Argument(..., help="分类路径前缀 / category path prefix"),
    area: str = typer.Option("", "--area", help="区县（空 = 全部）/ district (empty = any)"),
) -> None:
    """删除本部门的一条权责清单 / remove a line of the department's duty list."""
    from zhengwu.hotline.dispatch import remove_line

    remove_line(cli_caller(), category, area)
    print(f"已删除 / removed: {category}\t{area or '*'}")


@duty_app.command("import")
def duty_import(file: Path = typer.Argument(..., help="JSONL {category, area?, responsible, note?}")) -> None:
    """从文件导入权责清单（全部成功或全部不变）/ import duty-list lines (all or nothing)."""
    from zhengwu.hotline.dispatch import import_lines

    n = import_lines(cli_caller(), file)
    print(f"已导入 / imported: {n}")


@eval_app.command("classify")
def eval_classify(
    train: Path = typer.Option(None, "--train", help="训练集 JSONL {title, text, <标签>}（默认 ../shared/eval/citizen_messages/labeled.dev.jsonl）"),
    test: Path = typer.Option(None, "--test", help="测试集 JSONL；省略则交叉验证 / test rows; omitted: cross-validate"),
    label_field: str = typer.Option("label_l1", "--label-field", help="标签字段 / label field"),
    cv: int = typer.Option(0, "--cv", min=0, help="k 折交叉验证（仅 --train 时；默认 5）/ k-fold cross-validation"),
    seed: int = typer.Option(0, "--seed", help="交叉验证分折的随机种子 / seed of the folds"),
    taxonomy: list[Path] = typer.Option([], "--taxonomy", help="另一分类表 JSONL，其名称与自带分类表一起作先验样本，可多次给出 / "
                                        "another tree whose names join ours as prior examples (repeatable)"),
    no_prior: bool = typer.Option(False, "--no-prior", help="不用分类表名称作先验样本 / without the trees' names"),
    as_json: bool = typer.Option(False, "--json", help="输出一个 JSON 对象 / print one JSON object"),
) -> None:
    """分类基准：准确率、宏 F1、各类 F1、每秒工单数 / classification benchmark."""
    from zhengwu.eval.classify import DEFAULT_TRAIN, format_report, run

    if test is not None and cv:
        raise ZhengwuError("cv_with_test", "--cv 只能在没有 --test 时使用。", "--cv applies only without --test.")
    with progress_bar("classify benchmark", enabled=not as_json) as tick:
        result = run(train or DEFAULT_TRAIN, test, label_field=label_field, cv=cv, seed=seed, taxonomy=taxonomy,
                     no_prior=no_prior, on_progress=tick)
    print(json.dumps(result, ensure_ascii=False) if as_json else format_report(result))
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
    background: bool = typer.Option(False, "--background", help="记为任务（有工作进程时在后台运行），仪表盘显示其结果 / "
                                    "run as a job (on the workers when queue = redis); the dashboard shows its result"),
) -> None:
    """热点发现：按问题与地点聚类、热度、突发预警 / hotspots: topics by problem and place, heat, bursts."""
    from zhengwu.hotline.hotspots import describe_with_model, mine, ticket_records

    caller = cli_caller()
    if background:
        if messages or report or window != int(window):
            raise ZhengwuError("hotspots_background_args", "--background 只分析工单库（整天数窗口），不能与 --messages、"
                               "--report 同时使用。", "--background mines the stored tickets (a whole number of "
                               "days); it cannot be combined with --messages or --report.")
        from zhengwu.hotline import jobs

        _job_start(jobs.create_hotspots_job(caller, top=top, days=int(window)), True, as_json)
        return
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


# --- jobs (hl-jobs) ------------------------------------------------------------------------------------------

def _job_line(j: dict) -> str:
    what = j["path"] or ", ".join(f"{k}={v}" for k, v in j["params"].items())
    return (f"{j['id']}\t{j['kind']}\t{j['status']}{'/' + j['stage'] if j['status'] == 'running' and j['stage'] else ''}\t"
            f"{j['done']}/{j['total']} ({j['progress']:.0%})\t{what}\t{j['created_by']}\t{j['updated_at'] or ''}")


def _job_start(job: dict, background: bool, as_json: bool) -> None:
    """Run a recorded job here with a progress bar, or hand it to the workers (`--background` with queue = redis;
    without workers it runs here all the same: the job is recorded, the dashboard shows its result)."""
    from zhengwu import tasks
    from zhengwu.hotline import jobs

    caller = cli_caller()
    if background and tasks.queue_kind() == "redis":
        tasks.submit_hotline(job["id"], caller)
        print(json.dumps(job, ensure_ascii=False) if as_json else
              f"已排队 / queued: job {job['id']} ({job['kind']})；查看 / follow: zhengwu hotline jobs")
        return
    if background:  # the embedded profile has no workers that outlive this command
        print(f"没有后台工作进程（queue = inprocess），任务 {job['id']} 在本进程运行\n"
              f"No workers (queue = inprocess): job {job['id']} runs in this process", file=sys.stderr)
    try:
        with progress_bar(f"{job['kind']} → job {job['id']}", enabled=not as_json) as bar:
            done = jobs.run(job["id"], caller, on_progress=bar)
    except KeyboardInterrupt:
        print(f"已中断，已完成的部分已保存；继续：zhengwu hotline resume {job['id']}\n"
              f"Interrupted; what is done is kept. Continue with: zhengwu hotline resume {job['id']}", file=sys.stderr)
        raise typer.Exit(130) from None
    if as_json:
        print(json.dumps(done, ensure_ascii=False))
    elif done["kind"] == "hotspots":
        print(f"任务 job {done['id']}: {done['status']}，{done['created']} 个热点 topics；"
              "仪表盘 /hotline/hotspots 显示此结果 / the dashboard shows this result")
    else:
        print(f"任务 job {done['id']}: {done['status']}，已分类 classified {done['created']}，"
              f"跳过 skipped {done['skipped']}，共 of {done['total']}")


@hotline_app.command("jobs")
def jobs_cmd(kind: str = typer.Option(None, "--kind", help="只看一类：import / classify / hotspots"),
             as_json: bool = typer.Option(False, "--json", help="输出 JSON 数组 / print a JSON array")) -> None:
    """本部门的热线任务（导入、分类、热点）及进度 / the department's hotline jobs and their progress."""
    from zhengwu.hotline import jobs

    if kind is not None and kind not in jobs.KINDS:
        raise ZhengwuError("bad_job_kind", f"任务类型应为 {'/'.join(jobs.KINDS)}：{kind}",
                           f"The job kind must be one of {', '.join(jobs.KINDS)}: {kind}")
    listed = jobs.list_jobs(cli_caller(), kind=kind)
    if as_json:
        print(json.dumps(listed, ensure_ascii=False))
        return
    if not listed:
        print("没有热线任务 / no hotline jobs")
    for j in listed:
        print(_job_line(j))


@hotline_app.command("cancel")
def cancel_cmd(job_id: int = typer.Argument(..., help="任务编号 / job id")) -> None:
    """取消热线任务（在下一批前停止；已完成的保留）/ cancel a hotline job (stops before its next batch)."""
    from zhengwu.hotline import jobs

    print(_job_line(jobs.cancel_job(cli_caller(), job_id)))


@hotline_app.command("resume")
def resume_cmd(job_id: int = typer.Argument(..., help="任务编号 / job id"),
               background: bool = typer.Option(False, "--background", help="交给后台工作进程 / leave it to the workers (queue = redis)"),
               as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON")) -> None:
    """继续中断或取消的热线任务（分类从停下处继续，热点按原参数重跑）/ resume an interrupted or cancelled job."""
    from zhengwu.hotline import jobs

    _job_start(jobs.reopen(cli_caller(), job_id), background, as_json)
