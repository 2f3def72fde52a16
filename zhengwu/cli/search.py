"""CLI commands of the search area: `zhengwu search`, `zhengwu kb embed`, `zhengwu eval retrieval`."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from zhengwu.cli.app import app, eval_app, kb_app
from zhengwu.config import get_settings
from zhengwu.context import cli_caller

_out = Console()
# not a terminal (pipe, file): wide enough that titles and 文号 are not cut
_table_out = Console() if _out.is_terminal else Console(width=220)

_VALIDITY_ZH = {"effective": "有效", "expired": "失效", "repealed": "废止"}


@app.command("search")
def search_cmd(
    query: str = typer.Argument(..., help="问题或关键词 / question or keywords"),
    kb: str | None = typer.Option(None, "--kb", help="知识库名称（默认：本部门全部）/ knowledge base (default: all)"),
    k: int = typer.Option(5, "--k", min=1, max=100, help="返回条数 / number of hits"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON 列表 / print a JSON list"),
    mode: str = typer.Option("hybrid", "--mode", help="hybrid | lexical | dense"),
    doc_type: list[str] | None = typer.Option(None, "--type", help="文种过滤，可多次给出 / document type filter"),
    validity: list[str] | None = typer.Option(None, "--validity",
                                                help="效力过滤 effective|expired|repealed，可多次给出"),
) -> None:
    """检索知识库 / search the knowledge bases."""
    from zhengwu.store import session_scope
    from zhengwu.kb.search import search  # ~50-100 ms: only for this command, so `zhengwu --help` starts fast

    with session_scope() as s:
        hits = search(s, cli_caller(), query, kb=kb, k=k, doc_types=doc_type or None, validity=validity or None,
                      mode=mode)
        rows = [h.to_dict() for h in hits]
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        _out.print("未找到相关内容 / no matching passages")
        return
    t = Table("#", "得分 score", "文件 document", "文号 doc no.", "章节 section", "内容 passage", show_lines=True)
    t.columns[3].no_wrap = True
    for i, r in enumerate(rows, 1):
        title = r["title"][:40] + ("…" if len(r["title"]) > 40 else "")
        if r["validity"] != "effective":
            title += f" [{_VALIDITY_ZH.get(r['validity'], r['validity'])} {r['validity']}]"
        text = r["text"].replace("\n", " ")
        t.add_row(str(i), f"{r['score']:.3f}", title, r["doc_number"], r["heading_path"],
                  text[:160] + ("…" if len(text) > 160 else ""))
    _table_out.print(t)


@kb_app.command("embed")
def kb_embed(kb: str | None = typer.Option(None, "--kb", help="知识库名称（默认：全部）/ knowledge base (default: all)"),
             no_progress: bool = typer.Option(False, "--no-progress", help="不显示进度条 / no progress bar")) -> None:
    """计算尚未向量化的分块的向量（可中断、可续做）/ embed chunks that have no vector yet (resumable)."""
    from zhengwu.kb.dense import embed_pending
    from zhengwu.kb.manage import get_kb
    from zhengwu.store import session_scope

    if get_settings().embedder == "none":
        _out.print("未配置向量模型（ZHENGWU_EMBEDDER=none），无需向量化 / no embedder configured; nothing to do")
        return
    kb_id = None
    if kb:
        with session_scope() as s:
            kb_id = get_kb(s, cli_caller(), kb).id
    n = embed_pending(kb_id, progress=not no_progress)
    _out.print(f"已向量化 embedded: {n}")


@kb_app.command("reindex")
def kb_reindex(kb: str | None = typer.Option(None, "--kb", help="知识库名称（默认：本部门全部）/ knowledge base (default: all)"),
               as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON"),
               no_progress: bool = typer.Option(False, "--no-progress", help="不显示进度条 / no progress bar")) -> None:
    """从数据库重建并保存检索索引（索引文件损坏或丢失时；检索也会自动重建）/ rebuild and save the search index.

    Search rebuilds a stale or damaged index by itself; this rebuilds it on purpose, from the database only.
    """
    from zhengwu.cli.progress import progress_bar
    from zhengwu.kb.search import reindex
    from zhengwu.store import session_scope

    with session_scope() as s, progress_bar("检索索引 search index", enabled=not no_progress) as on_progress:
        report = reindex(s, cli_caller(), kb, on_progress=on_progress)
    if as_json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        _out.print(f"已重建 rebuilt: {report['documents']} 个文档 documents · {report['chunks']} 个分块 chunks · "
                   f"{report['seconds']} s → {report['path']}")


@eval_app.command("retrieval")
def eval_retrieval(
    corpus: Path = typer.Option(None, "--corpus", help="语料 JSONL {docid, text}"),
    questions: Path = typer.Option(None, "--questions", help="问题 JSONL {qid, docid, question}"),
    as_json: bool = typer.Option(False, "--json", help="输出一个 JSON 对象 / print one JSON object"),
    k: int = typer.Option(10, "--k", min=1, max=100, help="每问检索条数 / hits per question"),
    limit: int = typer.Option(0, "--limit", min=0, help="只用前 N 个问题（0 = 全部）/ first N questions only"),
    no_dense: bool = typer.Option(False, "--no-dense", help="不做向量检索 / lexical only"),
    details: Path = typer.Option(None, "--details", help="逐题排序写入 JSONL / per-question ranking to FILE"),
) -> None:
    """检索基准：Recall@1/5、MRR@10、延迟，并给出同一次运行中的 BM25 基线 / retrieval benchmark."""
    from zhengwu.eval.retrieval import DEFAULT_CORPUS, DEFAULT_QUESTIONS, format_report, run  # loads kb.search

    result = run(corpus or DEFAULT_CORPUS, questions or DEFAULT_QUESTIONS, k=k, limit=limit or None,
                 dense=not no_dense, progress=True, details=details)
    if as_json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(format_report(result))
