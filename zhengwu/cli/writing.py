"""CLI commands of the writing module: `zhengwu write render|check` and `zhengwu eval gongwen`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from zhengwu.cli.app import app, eval_app, write_app  # noqa: F401
from zhengwu.context import cli_caller
from zhengwu.errors import ZhengwuError


def _read_spec(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ZhengwuError("spec_not_found", f"找不到 SPEC 文件：{path}", f"SPEC file not found: {path}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ZhengwuError("spec_bad_json", f"SPEC 不是有效的 JSON：{exc}", f"The SPEC is not valid JSON: {exc}") from None


@write_app.command("render")
def write_render(spec_file: Path = typer.Argument(..., help="SPEC.json：公文各要素 / the document's elements"),
                 out: Path = typer.Option(..., "--out", "-o", help="输出 DOCX 文件 / output .docx"),
                 pdf: bool = typer.Option(False, "--pdf", help="同时用 LibreOffice 生成 PDF / also write FILE.pdf"),
                 ai_generated: bool = typer.Option(False, "--ai-generated",
                                                   help="内容由人工智能生成：加显式与隐式标识 / add AI labels"),
                 timeout: float = typer.Option(120, "--timeout", help="PDF 转换时限（秒）/ PDF time limit (s)")) -> None:
    """按 GB/T 9704-2012 排版生成公文 / render a 公文 to DOCX (and PDF)."""
    from zhengwu.writing.render_pdf import docx_to_pdf
    # python-docx and the renderer: ~400 ms, only for this command, so other commands start fast
    from zhengwu.writing.render_docx import render_docx
    from zhengwu.writing.spec import load_spec

    spec = load_spec(_read_spec(spec_file))
    for note in spec.notes:
        print(f"提示 / note: {note}", file=sys.stderr)
    path = render_docx(spec, out, ai_generated=ai_generated, caller=cli_caller())
    print(f"已生成 / written: {path}")
    if pdf:
        pdf_path = docx_to_pdf(path, path.with_suffix(".pdf"), timeout=timeout)
        print(f"已生成 / written: {pdf_path}")


@write_app.command("check")
def write_check(file: Path = typer.Argument(..., help="待检查的 .docx、带文字层的 PDF 或 .txt 公文 / the document to check"),
                as_json: bool = typer.Option(False, "--json", help="输出 JSON（出错时也是）/ print JSON, also on errors")
                ) -> None:
    """按 GB/T 9704-2012 检查公文格式并校对常见错误 / check a 公文's format; exit 1 when violations are found,
    2 when the file cannot be checked."""
    from zhengwu.writing.check import check_file  # ~250 ms (python-docx): only for this command

    try:
        report = check_file(file)
    except ZhengwuError as exc:
        if not as_json:
            raise
        _json_error(exc)
    except Exception as exc:  # noqa: BLE001 - a file that breaks a reader: a message, never a traceback
        err = ZhengwuError("check_failed", f"无法检查该文件（{type(exc).__name__}），文件可能已损坏。",
                           f"The file could not be checked ({type(exc).__name__}); it may be damaged.")
        if not as_json:
            raise err from exc
        _json_error(err)
    if as_json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        el = report.elements
        print(f"文种 type: {el.get('type') or '—'}　标题 title: {el.get('title') or '—'}")
        if not report.violations:
            print("未发现问题 / no violations found")
        for v in report.violations:
            tag = "错误 error" if v.severity == "error" else "提示 warning"
            print(f"[{tag}] {v.rule} @ {v.location}: {v.message_zh} / {v.message_en}")
        print(f"共 {len(report.errors)} 个错误、{len(report.violations) - len(report.errors)} 个提示 / "
              f"{len(report.errors)} error(s), {len(report.violations) - len(report.errors)} warning(s)")
    raise typer.Exit(0 if report.ok else 1)


def _json_error(exc: ZhengwuError) -> None:
    """`write check --json` prints JSON whatever happens: {"ok": false, "error": {code, message_zh, message_en}}."""
    print(json.dumps({"ok": False, "error": exc.to_dict()}, ensure_ascii=False, indent=2))
    raise typer.Exit(2)


@eval_app.command("gongwen")
def eval_gongwen(docs: Path = typer.Option(None, "--docs", help="official_docs JSONL（默认 ../shared/eval/official_docs/"
                                                                "state_council_2018_2019.jsonl）"),
                 as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON"),
                 limit: int = typer.Option(0, "--limit", help="只评测前 N 篇 / first N documents only"),
                 real: Path = typer.Option(None, "--real", help="带标注的非本系统生成文档目录（bench/gongwen_real/make.py 生成）"
                                                             " / folder of annotated documents not made by our renderer"),
                 split: str = typer.Option("all", "--split", help="与 --real 同用：dev、check 或 all（默认）/ with --real: "
                                                                  "the dev or check part, or all")) -> None:
    """公文排版与格式检查基准 / rendering + checker benchmark with injected format errors; with --real, per-category
    precision and recall on annotated documents from other producers."""
    if real is not None:
        from zhengwu.eval.gongwen_real import format_real, score_real

        result = score_real(real, split=split)
        print(json.dumps(result, ensure_ascii=False, indent=2) if as_json else format_real(result))
        return
    from zhengwu.eval.gongwen import DEFAULT_DOCS, format_report, run_benchmark  # loads python-docx: ~400 ms

    result = run_benchmark(docs or DEFAULT_DOCS, limit=limit or None)
    if as_json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(format_report(result))
