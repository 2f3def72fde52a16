"""CLI commands of the office area: `zhengwu write draft|summarize|minutes|simplify`, `zhengwu eval simplify`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from zhengwu.cli.app import app, eval_app, write_app  # noqa: F401
from zhengwu.context import cli_caller
from zhengwu.errors import ZhengwuError


def _read_input(source: str, *, allow_literal: bool = False) -> str:
    """FILE (plain text in any common encoding, DOCX, PDF, HTML), "-" for standard input, or (for simplify)
    the text itself."""
    from charset_normalizer import from_path
    from zhengwu.kb.parsers import parse_file

    if source == "-":
        return sys.stdin.read()
    p = Path(source)
    if p.is_file() and p.suffix.lower() in (".docx", ".pdf", ".html", ".htm"):
        return parse_file(p).text
    if p.is_file():
        try:
            return p.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            best = from_path(p).best()
            if best is None:
                raise ZhengwuError("unreadable_file", f"无法识别文件编码：{p}", f"Cannot decode the file: {p}") from None
            return str(best)
    if allow_literal and not (len(source) < 260 and ("/" in source or source.endswith(".txt"))):
        return source
    raise ZhengwuError("file_not_found", f"找不到文件：{source}", f"File not found: {source}", status=404)


def _print_json(obj: dict) -> None:
    typer.echo(json.dumps(obj, ensure_ascii=False, indent=2))


def _label_line(ai: bool) -> None:
    from zhengwu.gateway import explicit_label

    if ai:
        typer.echo(f"【{explicit_label()}】")


@write_app.command("draft")
def draft_cmd(
    doc_type: str = typer.Option(..., "--type", help="文种：通知、请示、报告、函、批复、新闻稿…"),
    issuer: str = typer.Option(..., "--issuer", help="发文机关"),
    to: list[str] = typer.Option([], "--to", help="主送机关（可重复）"),
    point: list[str] = typer.Option([], "--point", help="要点（可重复，按顺序成为一、二、…）"),
    subject: Optional[str] = typer.Option(None, "--subject", help="事由（标题：发文机关＋关于＋事由＋的＋文种）"),
    title: Optional[str] = typer.Option(None, "--title", help="直接给出标题"),
    number: str = typer.Option("", "--number", help="发文字号，如 国办发〔2026〕1号"),
    signature: Optional[str] = typer.Option(None, "--signature", help="署名（默认为发文机关）"),
    date: Optional[str] = typer.Option(None, "--date", help="成文日期（默认今天，如 2026年3月5日）"),
    signer: Optional[str] = typer.Option(None, "--signer", help="签发人（上行文）"),
    no_model: bool = typer.Option(False, "--no-model", help="不调用生成模型，只用模板"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
    out: Optional[Path] = typer.Option(None, "--out", help="把 SPEC 写入该 JSON 文件（供 zhengwu write render）"),
) -> None:
    """起草公文：由文种、主送机关和要点生成完整的 SPEC。Draft a document SPEC from type, recipients and points."""
    from zhengwu.writing.draft import draft  # the writing modules: ~200 ms, only for this command

    result = draft(cli_caller(), doc_type=doc_type, issuer=issuer, recipients=to, points=point, subject=subject,
                   title=title, number=number, signature=signature, date=date, signer=signer,
                   use_model=False if no_model else None)
    data = result.to_dict()
    if out:
        spec = dict(result.spec)
        if result.ai_generated:
            spec["ai_generated"] = True
        out.write_text(json.dumps(spec, ensure_ascii=False, indent=2), encoding="utf-8")
    if as_json:
        _print_json(data)
        return
    _label_line(result.ai_generated)
    s = result.spec
    typer.echo(f"{s['title']}\n")
    if s.get("recipients"):
        typer.echo(f"{s['recipients']}：")
    typer.echo(s["body"])
    typer.echo(f"\n{s['signature']}\n{s['date']}")
    typer.echo(f"\n[{'生成模型' if result.ai_generated else '模板'} / {result.mode}]" +
               "".join(f"\n注意：{n}" for n in result.notes) + (f"\nSPEC → {out}" if out else ""))
    if out and result.ai_generated:
        typer.echo(f"排版时请加 --ai-generated 以加注人工智能生成标识 / render with: zhengwu write render {out} "
                   "--out FILE.docx --ai-generated")


@write_app.command("summarize")
def summarize_cmd(
    source: str = typer.Argument(..., help="文件路径，或 - 表示标准输入"),
    ratio: float = typer.Option(0.2, "--ratio", help="摘要长度占原文比例"),
    max_chars: Optional[int] = typer.Option(None, "--max-chars", help="摘要最多字数"),
    title: Optional[str] = typer.Option(None, "--title", help="文件标题（提高抽取准确度）"),
    no_model: bool = typer.Option(False, "--no-model", help="不调用生成模型，只做抽取式摘要"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """摘要：无模型时抽取式，有模型时生成式。Summarise a document (extractive / abstractive)."""
    from zhengwu.writing.summarize import summarize  # ~200 ms, like draft_cmd's import

    result = summarize(cli_caller(), _read_input(source), title=title, ratio=ratio, max_chars=max_chars,
                       use_model=False if no_model else None)
    if as_json:
        _print_json(result.to_dict())
        return
    _label_line(result.ai_generated)
    typer.echo(result.summary)
    typer.echo(f"\n[{result.mode}] {result.chars_in} → {result.chars_out} 字")


@write_app.command("minutes")
def minutes_cmd(
    transcript: str = typer.Argument(..., help="会议记录文本文件（每行一句），或 -"),
    meeting: str = typer.Option("会议", "--meeting", help="会议名称"),
    issuer: str = typer.Option("", "--issuer", help="印发纪要的机关（默认为当前部门）"),
    date: Optional[str] = typer.Option(None, "--date", help="会议日期"),
    no_model: bool = typer.Option(False, "--no-model", help="不调用生成模型，只用规则"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON（含纪要 SPEC）"),
    out: Optional[Path] = typer.Option(None, "--out", help="把纪要 SPEC 写入该 JSON 文件"),
) -> None:
    """会议纪要：议定事项和工作任务，每项注明来自记录的第几行。Minutes with line references."""
    from zhengwu.writing.minutes import make_minutes  # ~200 ms, like draft_cmd's import

    result = make_minutes(cli_caller(), _read_input(transcript), meeting=meeting, issuer=issuer, date=date,
                          use_model=False if no_model else None)
    if out:
        out.write_text(json.dumps(result.spec, ensure_ascii=False, indent=2), encoding="utf-8")
    if as_json:
        _print_json(result.to_dict())
        return
    _label_line(result.ai_generated)
    typer.echo("议定事项 / decisions:")
    for d in result.decisions:
        typer.echo(f"  - {d.text}  〔第{'、'.join(map(str, d.lines))}行〕")
    typer.echo("工作任务 / action items:")
    for a in result.actions:
        typer.echo(f"  - {a.who or '（未明确）'}｜{a.when or '—'}｜{a.what}  〔第{'、'.join(map(str, a.lines))}行〕")
    if out:
        typer.echo(f"SPEC → {out}")


@write_app.command("simplify")
def simplify_cmd(
    source: str = typer.Argument(..., help="文件路径、文字本身，或 - 表示标准输入"),
    audience: str = typer.Option("通俗版", "--audience", help="通俗版、老年人版、儿童版、English"),
    no_model: bool = typer.Option(False, "--no-model", help="不调用生成模型，只用规则"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON（含可读性对比）"),
) -> None:
    """通俗化改写，并报告改写前后的可读性。Plain-language rewrite with readability before/after."""
    from zhengwu.writing.simplify import simplify  # ~200 ms, like draft_cmd's import

    result = simplify(cli_caller(), _read_input(source, allow_literal=True), audience=audience,
                      use_model=False if no_model else None)
    if as_json:
        _print_json(result.to_dict())
        return
    if result.mode == "unavailable":
        typer.echo(f"{result.message_zh}\n{result.message_en}", err=True)
        raise typer.Exit(1)
    _label_line(result.ai_generated)
    typer.echo(result.text)
    r = result.readability
    if r:
        b, a = r["before"], r["after"]
        typer.echo(f"\n可读性 / readability（{result.mode}）:")
        typer.echo(f"  平均句长 avg sentence length: {b['avg_sentence_len']} → {a['avg_sentence_len']}")
        typer.echo(f"  平均词长 avg word length: {b['avg_word_len']} → {a['avg_word_len']}")
        typer.echo(f"  非常用词比例 uncommon words: {b['uncommon_word_share']:.2%} → {a['uncommon_word_share']:.2%}")
        typer.echo(f"  生僻字比例 rare characters: {b['rare_char_share']:.2%} → {a['rare_char_share']:.2%}")
        typer.echo(f"  易读分 score (0–100, higher = easier): {b['score']} → {a['score']}")


@eval_app.command("simplify")
def eval_simplify_cmd(
    data: Path = typer.Option(None, "--data", help="MCTS jsonl（默认 ../shared/eval/simplification/mcts.dev.jsonl）"),
    audience: str = typer.Option("通俗版", "--audience"),
    limit: Optional[int] = typer.Option(None, "--limit", help="只评测前 N 句"),
    no_model: bool = typer.Option(False, "--no-model", help="即使配置了模型也只评测规则模式"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """通俗化评测：可读性前后对比与 SARI（5 条参考）。Readability and SARI on MCTS."""
    from zhengwu.eval.simplification import DEFAULT_DATA, evaluate  # the writing modules: ~200 ms

    res = evaluate(data or DEFAULT_DATA, audience=audience, limit=limit, use_model=False if no_model else None)
    if as_json:
        _print_json(res)
        return
    typer.echo(f"MCTS {res['sentences']} 句 · 模式 mode: {res['mode']} · {res['seconds']} s · 改动 {res['changed']} 句")
    for name, r in res["readability"].items():
        typer.echo(f"  可读性 {name:12s} 句长 {r['avg_sentence_len']:6.2f}  词长 {r['avg_word_len']:.3f}  "
                   f"非常用词 {r['uncommon_word_share']:.2%}  生僻字 {r['rare_char_share']:.2%}  易读分 {r['score']:.1f}")
    for name, s in res["sari"].items():
        typer.echo(f"  SARI {name:24s} {s['sari']:6.2f}  (keep {s['keep']:.2f}, delete {s['delete']:.2f}, add {s['add']:.2f})")
