"""`zhengwu match "情况描述"`, `zhengwu match catalog propose|import|export|list|publish` and `zhengwu eval match`.

`zhengwu match "我今年62岁，广州户口"` is the short form of `zhengwu match advise "…"`: the group hands any first
word that is not one of its commands (advise, catalog) to `advise`, options included (`zhengwu match --json "…"`).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import typer
from typer.core import TyperGroup

from zhengwu.cli.app import app, eval_app
from zhengwu.cli.progress import progress_bar
from zhengwu.context import cli_caller
from zhengwu.errors import ZhengwuError


class _AdviseByDefault(TyperGroup):
    """`zhengwu match TEXT …` runs `zhengwu match advise TEXT …`."""

    def parse_args(self, ctx, args):  # noqa: ANN001, ANN201 - click's signature
        first = next((a for a in args if not a.startswith("-")), None)
        if first is not None and first not in self.commands:
            args = ["advise", *args]
        return super().parse_args(ctx, args)


match_app = typer.Typer(cls=_AdviseByDefault, no_args_is_help=True,
                        help="政策匹配：描述情况，查找可申请的惠民惠企政策（仅供参考）/ policy and benefit matching (guidance only)")
app.add_typer(match_app, name="match")
catalog_app = typer.Typer(help="政策目录：导入、导出、列表、发布 / the scheme catalogue", no_args_is_help=True)
match_app.add_typer(catalog_app, name="catalog")

LABEL_MARK = {"eligible": "✔ 符合条件 eligible", "maybe": "? 可能符合，需补充信息 maybe",
              "not_eligible": "✘ 不符合条件 not eligible", "closed": "— 政策已失效 closed"}


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ZhengwuError("bad_date", f"日期格式应为 YYYY-MM-DD（收到 {value}）",
                           f"a date is YYYY-MM-DD (got {value!r})") from None


def _print_result(result, *, show_all: bool = False, questions: int = 5) -> None:  # noqa: ANN001 - MatchResult
    """A readable table. Unless `show_all`, a "maybe" with no stated fact behind it and a scheme of another area
    are counted, not listed (a long catalogue makes many of them), closed schemes take one line, and the first
    `questions` questions are shown."""
    from zhengwu.match.engine import DEFAULT_CITY

    quiet = [o for o in result.outcomes if o.label == "maybe" and not o.stated and not show_all]
    elsewhere = [o for o in result.outcomes if o.in_region is False and not show_all]
    for o in result.outcomes:
        if o in quiet or o in elsewhere:
            continue
        src = o.source
        ref = "，".join(x for x in (src.doc_number, src.url) if x)
        print(f"\n【{LABEL_MARK[o.label]}】{o.name}")
        print(f"  依据 Source: {src.title}" + (f"（{ref}）" if ref else ""))
        if o.label == "closed":
            print(f"  有效期 Validity: {o.validity.sentence or o.validity.valid_until}")
            continue
        for r in (o.failed[:1] if o.label == "not_eligible" else o.met):
            print(f"  {'✘' if o.label == 'not_eligible' else '✔'} {r.zh}")
            if r.sentence:
                print(f"      “{r.sentence}”")
        if o.missing:
            print("  待确认 To confirm: " + "、".join(_fact_zh(m) for m in o.missing))
        contact = "，".join(x for x in (o.contact.office, o.contact.phone) if x)
        print(f"  审核部门 Decided by: {o.decided_by or '—'}" + (f"（{contact}）" if contact else ""))
    if quiet:
        print(f"\n另有 {len(quiet)} 项政策尚无可判断的信息（--all 显示）/ {len(quiet)} more schemes have nothing "
              "stated to judge by yet (--all shows them)")
    if elsewhere:
        areas = list(dict.fromkeys(o.region for o in elsewhere))
        print(f"另有 {len(elsewhere)} 项其他地区的政策（{'、'.join(areas)}），不适用于您所在地（--all 显示）/ "
              f"{len(elsewhere)} schemes of other areas ({', '.join(areas)}) do not apply where you are "
              "(--all shows them)")
    if result.conflicts:
        print("\n前后不一致 Contradictions: " + "；".join(
            f"{_fact_zh(k)}：{'、'.join(str(v) for v in vs)}" for k, vs in result.conflicts.items()))
    if result.inferred:
        print("推断的情况（请核对）Inferred, please check: " + "；".join(
            f"{_fact_zh(k)}＝{v['value']}（“{v['words']}”）" for k, v in result.inferred.items()))
    if result.unknown_areas:
        print("未识别的地名 Unrecognised places: " + "、".join(result.unknown_areas))
    if any(o.area_presumed for o in result.outcomes):
        print(f"未说明所在城市：本市（{DEFAULT_CITY}）和本省的政策按您在本市列出 / where you are was not said: this "
              f"city's ({DEFAULT_CITY}) and province's schemes are listed as if you are here")
    shown = result.questions if show_all else result.questions[:questions]
    if shown:
        print("\n请补充 Please answer" + ("" if len(shown) == len(result.questions)
                                           else f"（最重要的 {len(shown)} 个，共 {len(result.questions)} 个）") + ":")
        for i, q in enumerate(shown, 1):
            print(f"  {i}. {q.zh} / {q.en}")
    print(f"\n{result.guidance_zh}\n{result.guidance_en}")


def _fact_zh(name: str) -> str:
    from zhengwu.match.vocabulary import vocabulary

    f = vocabulary().get(name)
    return f.zh if f else name


@match_app.command("advise")
def advise_cmd(
    text: str = typer.Argument(..., help="情况描述，例如“我今年62岁，广州户口” / your situation in words"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON（键名稳定）/ JSON output (stable keys)"),
    answer: list[str] = typer.Option([], "--answer", help="补充回答 事实项=值，可多次给出（如 hukou=广州市）/ follow-up answer fact=value (repeatable)"),
    target: str | None = typer.Option(None, "--target", help="只看 person（个人/家庭）或 enterprise（企业）/ only person or enterprise schemes"),
    today: str | None = typer.Option(None, "--today", help="按哪一天判断年龄和有效期（默认今天）/ date for ages and validity (default: today)"),
    show_all: bool = typer.Option(False, "--all", help="列出全部政策和全部追问 / list every scheme and every question"),
) -> None:
    """按情况描述匹配政策（与 `zhengwu match "情况描述"` 相同）/ match a described situation (same as `zhengwu match "…"`)."""
    from zhengwu.match.service import match_text, result_dict

    if target not in (None, "person", "enterprise"):
        raise ZhengwuError("bad_options", f"--target 只能是 person 或 enterprise（收到 {target}）",
                           f"--target is person or enterprise (got {target})")
    result = match_text(cli_caller(), text, today=_date(today), answers=_answers(answer), target=target)
    if as_json:
        print(json.dumps(result_dict(result), ensure_ascii=False, indent=1, default=str))
    else:
        _print_result(result, show_all=show_all)


def _answers(pairs: list[str]) -> dict:
    """`fact=value` pairs, typed by the vocabulary (true/false, numbers), checked later by the engine."""
    from zhengwu.match.vocabulary import fact

    out: dict[str, object] = {}
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        if not sep or not name.strip():
            raise ZhengwuError("bad_answer", f"补充回答应写成 事实项=值（收到 {pair}）",
                               f"an answer is fact=value (got {pair!r})")
        f = fact(name.strip())
        value: object = raw.strip()
        if f.type == "bool":
            value = {"true": True, "yes": True, "是": True, "false": False, "no": False, "否": False}.get(
                raw.strip().lower(), raw)
        elif f.type == "int":
            try:
                value = int(raw)
            except ValueError:
                pass  # the engine refuses it, naming the fact
        out[f.name] = value
    return out


@catalog_app.command("import")
def catalog_import_cmd(
    file: Path = typer.Argument(..., help="目录文件（.yaml/.yml/.json）/ catalogue file"),
    publish: bool = typer.Option(False, "--publish", help="导入即发布（文件中标为 draft 的条目除外；默认全部为草稿，待审核）/ publish at once, except entries the file marks draft (default: all drafts)"),
) -> None:
    """导入政策目录（先校验全部条目，再一次写入）/ import a catalogue (all entries validated, then written at once)."""
    from zhengwu.match.catalog import load_catalog
    from zhengwu.match.store import import_catalog

    rep = import_catalog(cli_caller(), load_catalog(file), publish=publish)
    print(f"已导入 imported: {len(rep.schemes)}（新增 new {rep.created}，更新 updated {rep.updated}，"
          f"已发布 published {rep.published}）")
    if rep.withdrawn:
        print(f"注意：{rep.withdrawn} 个已发布条目因内容改动转为草稿，审核后请重新发布（publish）/ note: {rep.withdrawn} "
              "published entries changed and are drafts again, no longer offered to residents until published")


@catalog_app.command("export")
def catalog_export_cmd(
    fmt: str = typer.Option("yaml", "--format", help="yaml 或 json / yaml or json"),
    out: Path | None = typer.Option(None, "--out", help="写入文件（默认输出到屏幕）/ write to FILE (default: stdout)"),
    status: str | None = typer.Option(None, "--status", help="只导出 draft 或 published / only draft or published"),
) -> None:
    """导出本部门的政策目录 / export your department's catalogue."""
    from zhengwu.match.catalog import dump_catalog
    from zhengwu.match.store import export_catalog

    if fmt not in ("yaml", "json"):
        raise ZhengwuError("bad_options", f"--format 只能是 yaml 或 json（收到 {fmt}）",
                           f"--format is yaml or json (got {fmt})")
    text = dump_catalog(export_catalog(cli_caller(), status=status), fmt)
    if out is None:
        print(text, end="")
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ZhengwuError("write_failed", f"无法写入 {out}：{exc.strerror}", f"cannot write {out}: {exc.strerror}") from None
    print(f"已导出 exported → {out}")


@catalog_app.command("list")
def catalog_list_cmd(
    status: str | None = typer.Option(None, "--status", help="只列出 draft 或 published / only draft or published"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / JSON output"),
) -> None:
    """列出本部门的政策目录条目 / list your department's catalogue entries."""
    from zhengwu.match.store import list_schemes

    rows = list_schemes(cli_caller(), status=status)
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    if not rows:
        print("（本部门没有目录条目 no entries）")
    for r in rows:
        print(f"{r['id']:<28} {r['status']:<10} {r['target']:<10} {r['policy_id']:<32} {r['name']}")


@catalog_app.command("publish")
def catalog_publish_cmd(scheme_id: str = typer.Argument(..., help="条目编号 / entry id")) -> None:
    """发布一个草稿条目 / publish a draft entry."""
    from zhengwu.match.store import publish

    r = publish(cli_caller(), scheme_id)
    print(f"已发布 published: {r['id']}")


@catalog_app.command("propose")
def catalog_propose_cmd(
    source: str = typer.Argument(..., metavar="FILE_OR_DOCUMENT_ID",
                                 help="政策文件路径或知识库文件编号 / a policy file, or a knowledge-base document id"),
    out: Path | None = typer.Option(None, "--out", help="写入 YAML 文件（默认输出到屏幕）/ write the YAML here"),
    policy_id: str | None = typer.Option(None, "--policy-id", help="来源政策编号 / the source policy's id"),
    title: str | None = typer.Option(None, "--title", help="政策标题 / the policy's title"),
    issuer: str | None = typer.Option(None, "--issuer", help="发文机关 / issuing body"),
    url: str | None = typer.Option(None, "--url", help="原文链接 / the policy's address"),
    published: str | None = typer.Option(None, "--published", help="发布日期 YYYY-MM-DD / date published"),
) -> None:
    """从政策文件提出目录条目草稿（YAML），供管理员审核后导入。Propose draft catalogue entries from a policy."""
    import sys

    from zhengwu.gateway import govern
    from zhengwu.match.catalog import Catalog, dump_catalog
    from zhengwu.match.extract import DRAFT_HEADER, no_passage_message, propose_with_model, read_source

    doc = read_source(source, cli_caller())
    meta = {"policy_id": policy_id or doc.policy_id, "title": title or doc.title, "issuer": issuer or doc.issuer,
            "url": url or doc.url, "published": published or doc.published}
    with govern(cli_caller(), "match.extract", input=doc.text, decisions="off") as g:
        schemes = propose_with_model(g, doc.text, **meta)
        text = DRAFT_HEADER + dump_catalog(Catalog(schemes=schemes)) if schemes else ""
        g.finish(output=text or None, action="propose", input_text=f"{meta['policy_id']} {meta['title']}",
                 extra={"backend": "model" if g.generative() else "rules", "schemes": len(schemes)})
    if not schemes:
        print("\n".join(no_passage_message(meta["policy_id"], doc.text)), file=sys.stderr)
        raise typer.Exit(1)
    if out is None:
        sys.stdout.write(text)
    else:
        try:
            out.write_text(text, "utf-8")
        except OSError as exc:
            raise ZhengwuError("write_failed", f"无法写入 {out}：{exc.strerror}",
                               f"cannot write {out}: {exc.strerror}") from None
        print(f"已写入 {len(schemes)} 个草稿条目：{out}\nwrote {len(schemes)} draft entries: {out}", file=sys.stderr)


@eval_app.command("match")
def eval_match_cmd(
    catalog: Path = typer.Option(..., "--catalog", help="目录文件（.yaml/.json）/ catalogue file"),
    cases: Path = typer.Option(..., "--cases", help="测试集 JSONL（见 tests/match/data/README.md）/ case file JSONL"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON：cases、agreement、by_kind、mode（dialogue 另有 questions_asked）/ JSON output (dialogue adds questions_asked)"),
    mode: str = typer.Option("form", "--mode", help="form（表单事实）、text（文字描述）或 dialogue（文字描述后最多追问三次，按案例事实作答，未说明或前后矛盾的答“不清楚，跳过”，与页面同样的提问顺序）/ form facts, free text, or dialogue: the text, then at most three follow-up questions the page would ask, answered from the case's facts (skipped when the case does not state the fact or states it twice)"),
    today: str = typer.Option("2026-11-29", "--today", help="判断年龄和有效期的日期（默认为测试集的“今天” 2026-11-29）/ the date for ages and validity (default: the cases' today, 2026-11-29)"),
    details: Path | None = typer.Option(None, "--details", help="逐案结果写入 JSONL（dialogue：另含依次提出的问题及回答）/ per-case results to FILE (dialogue: also the questions asked, in order, with the answers)"),
) -> None:
    """政策匹配基准：逐案一致率（符合/可能/不符合/失效）/ policy matching benchmark: per-case agreement."""
    from zhengwu.eval.match import format_report, run
    from zhengwu.match.catalog import load_catalog

    cat = load_catalog(catalog)
    with progress_bar("政策匹配 matching", enabled=not as_json) as on_progress:
        report = run(cat, cases, mode=mode, today=_date(today), details=details, on_progress=on_progress)
    if as_json:
        print(json.dumps({k: report[k] for k in ("cases", "correct", "agreement", "by_kind", "mode", "today",
                                                 "questions_asked") if k in report}, ensure_ascii=False))
    else:
        print(format_report(report))
