"""`zhengwu match catalog propose FILE_OR_DOCUMENT_ID [--out FILE]`: draft catalogue entries from a policy.

The draft is YAML for an administrator to read against the policy, edit, then `zhengwu match catalog import`
(stored as drafts) and `publish`. The command sits in the `match catalog` group of zhengwu/cli/match.py; until
that module exists the group is created here (the same names), so that the command is usable on its own.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from zhengwu.cli.app import app
from zhengwu.context import cli_caller
from zhengwu.errors import ZhengwuError

try:  # match-core's group, when it is there
    from zhengwu.cli.match import catalog_app  # type: ignore[attr-defined]
except ImportError:
    match_app = typer.Typer(help="惠民惠企政策匹配 / policy and benefit matching", no_args_is_help=True)
    catalog_app = typer.Typer(help="政策目录：提取、导入、导出 / the scheme catalogue", no_args_is_help=True)
    match_app.add_typer(catalog_app, name="catalog")
    app.add_typer(match_app, name="match")


def _source(what: str):  # noqa: ANN202 - a SourceDocument
    """A file path (txt, md, html, docx, pdf), or the id of a document in a knowledge base."""
    from zhengwu.match.extract import SourceDocument, kb_document

    path = Path(what)
    if path.is_file():
        if path.suffix.lower() in (".txt", ".md", ""):
            try:
                text = path.read_text("utf-8")
            except UnicodeDecodeError:
                raise ZhengwuError("match_extract_encoding", f"文件不是 UTF-8 文本：{path}",
                                   f"the file is not UTF-8 text: {path}") from None
            return SourceDocument(text=text, policy_id=path.stem)
        from zhengwu.kb.parsers import parse_file

        parsed = parse_file(path)
        return SourceDocument(text=parsed.text, policy_id=path.stem, title=parsed.title)
    if what.isdigit():
        return kb_document(cli_caller(), int(what))
    raise ZhengwuError("match_extract_no_source", f"找不到文件，也不是知识库文件编号：{what}",
                       f"neither a file nor the id of a knowledge-base document: {what}", status=404)


@catalog_app.command("propose")
def catalog_propose(
    source: str = typer.Argument(..., metavar="FILE_OR_DOCUMENT_ID",
                                 help="政策文件路径或知识库文件编号 / a policy file, or a knowledge-base document id"),
    out: Optional[Path] = typer.Option(None, "--out", help="写入 YAML 文件（默认输出到屏幕）/ write the YAML here"),
    policy_id: Optional[str] = typer.Option(None, "--policy-id", help="来源政策编号 / the source policy's id"),
    title: Optional[str] = typer.Option(None, "--title", help="政策标题 / the policy's title"),
    issuer: Optional[str] = typer.Option(None, "--issuer", help="发文机关 / issuing body"),
    url: Optional[str] = typer.Option(None, "--url", help="原文链接 / the policy's address"),
    published: Optional[str] = typer.Option(None, "--published", help="发布日期 YYYY-MM-DD / date published"),
) -> None:
    """从政策文件提出目录条目草稿（YAML），供管理员审核后导入。Propose draft catalogue entries from a policy."""
    from zhengwu.gateway import govern
    from zhengwu.match.catalog import Catalog, dump_catalog
    from zhengwu.match.extract import no_passage_message, propose_with_model

    doc = _source(source)
    meta = {"policy_id": policy_id or doc.policy_id, "title": title or doc.title, "issuer": issuer or doc.issuer,
            "url": url or doc.url, "published": published or doc.published}
    with govern(cli_caller(), "match.extract", input=doc.text, decisions="off") as g:
        schemes = propose_with_model(g, doc.text, **meta)
        text = dump_catalog(Catalog(schemes=schemes)) if schemes else ""
        g.finish(output=text or None, action="propose", input_text=f"{meta['policy_id']} {meta['title']}",
                 extra={"backend": "model" if g.generative() else "rules", "schemes": len(schemes)})
    if not schemes:
        zh, en = no_passage_message(meta["policy_id"])
        print(f"{zh}\n{en}", file=sys.stderr)
        raise typer.Exit(1)
    header = ("# 草稿：请对照原文逐条核对条件、有效期和备注（notes）后再导入、发布。\n"
              "# Draft: check every condition, the validity and the notes against the policy before import.\n")
    if out is None:
        sys.stdout.write(header + text)
        return
    out.write_text(header + text, "utf-8")
    print(f"已写入 {len(schemes)} 个草稿条目：{out}\nwrote {len(schemes)} draft entries: {out}", file=sys.stderr)
