"""`zhengwu hotline ...` and the hotline benchmarks under `zhengwu eval ...`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from zhengwu.cli.app import eval_app, hotline_app
from zhengwu.cli.progress import progress_bar
from zhengwu.context import cli_caller
from zhengwu.errors import ZhengwuError


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
    if not file.is_file():
        raise ZhengwuError("file_missing", f"找不到文件：{file}", f"File not found: {file}", path=str(file))
    try:
        body = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ZhengwuError("not_utf8", f"文件不是 UTF-8 编码：{file}", f"File is not UTF-8 encoded: {file}") from None
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
) -> None:
    """工单分类（前 k 个候选及置信度）和责任单位 / classify tickets and name the responsible department."""
    from zhengwu.hotline.classify import suggest_many
    from zhengwu.hotline.dispatch import department_for

    caller = cli_caller()
    tickets = _tickets_from(file, title, text)
    batch = 256
    with progress_bar("分类 classify", enabled=len(tickets) > batch and not as_json and sys.stderr.isatty()) as tick:
        for start in range(0, len(tickets), batch):
            chunk = tickets[start:start + batch]
            results = suggest_many(caller, [(str(t.get("title") or ""), str(t.get("text") or "")) for t in chunk], k=k)
            for t, sugg in zip(chunk, results):
                place = str(t.get("area") or area or "") or None
                dept = department_for(caller, sugg[0].path, place) if sugg else None
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
    from zhengwu.hotline.classify import set_taxonomy, taxonomy_for

    caller = cli_caller()
    new = tx.load(file)
    ch = tx.changes(taxonomy_for(caller), new) if dry_run else set_taxonomy(caller, new)
    print(f"{'将' if dry_run else '已'}载入 / {'would load' if dry_run else 'loaded'}: {new.source}，"
          f"{len(new.categories)} 个分类 categories；保留 kept {ch['kept']}，改代码 moved {len(ch['moved'])}，"
          f"不再存在 removed {len(ch['removed'])}，新增 added {len(ch['added'])}")
    for r in ch["removed"][:50]:
        print(f"  removed {r['code']}\t{'/'.join(r['path'])}")
    if ch["removed"]:
        print("已分类的工单保留原代码和路径，请复核这些分类的在办工单。/ Tickets keep their stored code and path; "
              "review open tickets in the removed categories.")


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
