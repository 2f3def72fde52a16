"""CLI commands of the qa module: `zhengwu ask`, `zhengwu chat`, `zhengwu eval qa`, `zhengwu qa ...`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from zhengwu.cli.app import app, eval_app
from zhengwu.context import cli_caller
from zhengwu.errors import ZhengwuError

qa_app = typer.Typer(help="问答管理：审定答案、转人工工单、同义词 / Q&A administration", no_args_is_help=True)
app.add_typer(qa_app, name="qa")

EXIT_WORDS = {"exit", "quit", "q", "退出", "再见", "结束"}


def _print_answer(d: dict) -> None:
    print(f"【{d['label']}】")
    print(d["answer"])
    cites = d.get("citations") or []
    if cites:
        print("\n依据 Sources:")
        for c in cites:
            state = "" if c.get("current", True) and c.get("validity") == "effective" else \
                f" [{'已失效' if c.get('validity') == 'expired' else '已废止' if c.get('validity') == 'repealed' else '非现行'}]"
            where = f" · {c['heading_path']}" if c.get("heading_path") else ""
            num = f"（{c['doc_number']}）" if c.get("doc_number") else ""
            print(f"  [{c['n']}] {c['title']}{num}{where}{state}")
    for n in d.get("notes") or []:
        print(f"注 Note: {n}")


@app.command("ask")
def ask_cmd(
    question: str = typer.Argument(..., help="问题 / the question"),
    kb: str | None = typer.Option(None, "--kb", help="知识库名称（默认：本部门全部）/ knowledge base"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON"),
    conversation: str | None = typer.Option(None, "--conversation", help="继续的会话 id / conversation id to continue"),
    lang: str | None = typer.Option(None, "--lang", help="回答语言 zh|en（默认跟随问题）/ answer language"),
) -> None:
    """政策问答：带出处的回答 / ask a policy question; the answer cites its sources."""
    from zhengwu.qa.answer import ask  # ~200 ms: only for this command, so other commands start fast

    ans = ask(question, caller=cli_caller(), kb=kb, conversation_id=conversation, lang=lang)
    d = ans.to_dict()
    if as_json:
        print(json.dumps(d, ensure_ascii=False, indent=2))
    else:
        _print_answer(d)
        print(f"\n会话 conversation: {d['conversation_id']} · 审计 audit: {d['audit_id']} · 模式 mode: {d['mode']}")


@app.command("chat")
def chat_cmd(
    kb: str | None = typer.Option(None, "--kb", help="知识库名称 / knowledge base"),
    conversation: str | None = typer.Option(None, "--conversation", help="继续的会话 id / conversation id"),
) -> None:
    """交互式多轮问答（逐行读入问题，输入“退出”结束）/ interactive multi-turn chat (one question per line)."""
    from zhengwu.qa.answer import ask  # ~200 ms: only for this command, so other commands start fast

    caller = cli_caller()
    interactive = sys.stdin.isatty()
    if interactive:
        print("政务智能问答（输入“退出”结束）/ Policy Q&A (type 'exit' to quit)")
    conv = conversation
    while True:
        if interactive:
            print("> ", end="", flush=True)
        line = sys.stdin.readline()
        if not line:
            break
        q = line.strip()
        if not q:
            continue
        if q.lower() in EXIT_WORDS:
            break
        try:
            ans = ask(q, caller=caller, kb=kb, conversation_id=conv)
        except ZhengwuError as exc:
            print(f"错误：{exc.zh}\nError: {exc.en}")
            continue
        conv = ans.conversation_id
        print(f"问 Q: {q}")
        _print_answer(ans.to_dict())
        print()
    if conv:
        print(f"会话 conversation: {conv}")


def _operating_point(threshold: float | None) -> None:
    """Run an evaluation at another no-basis operating point (the trade-off curve, end to end)."""
    if threshold is not None:
        import os

        from zhengwu.config import reset_settings

        os.environ["ZHENGWU_QA_ABSTAIN_THRESHOLD"] = str(threshold)
        reset_settings()


@eval_app.command("qa")
def eval_qa(
    corpus: Path = typer.Option(None, "--corpus", help="语料 JSONL {docid, text}（默认 ../shared/eval/policy_qa/corpus.jsonl）"),
    questions: Path = typer.Option(None, "--questions", help="问题 JSONL {qid, docid, question, answer}"),
    as_json: bool = typer.Option(False, "--json", help="输出一个 JSON 对象 / print one JSON object"),
    limit: int = typer.Option(0, "--limit", min=0, help="只用前 N 个问题（0 = 全部）/ first N questions only"),
    no_dense: bool = typer.Option(False, "--no-dense", help="不做向量检索 / lexical retrieval only"),
    details: Path = typer.Option(None, "--details", help="逐题结果写入 JSONL / per-question results to FILE"),
    unanswerable: float = typer.Option(0.0, "--unanswerable", min=0.0, max=1.0,
                                       help="移除该比例问题的标准文档，测拒答 / make this fraction unanswerable"),
    seed: int = typer.Option(0, "--seed", help="--unanswerable 的随机种子 / seed of the draw"),
    abstain_threshold: float = typer.Option(None, "--abstain-threshold", min=0.0, max=1.0,
                                            help="本次评测的“无依据”判定阈值（默认出厂值；0 = 从不拒答）/ "
                                                 "no-basis operating point for this run (0 = never abstain)"),
) -> None:
    """问答基准：引用准确率、答案 F1、ROUGE-L、无依据占比、延迟 / Q&A benchmark."""
    # the Q&A pipeline takes ~200 ms to import: only for this command, so other commands start fast
    from zhengwu.eval.qa import DEFAULT_QUESTIONS, format_report, run
    from zhengwu.eval.retrieval import DEFAULT_CORPUS  # loads kb.search: only for this command

    _operating_point(abstain_threshold)
    result = run(corpus or DEFAULT_CORPUS, questions or DEFAULT_QUESTIONS, limit=limit or None, dense=not no_dense,
                 progress=not as_json, details=details, unanswerable=unanswerable, seed=seed)
    if as_json:
        keys = ("n", "citation_accuracy", "citation_accuracy_exact", "answer_f1", "rouge_l", "no_basis_rate", "first_token_ms_p50",
                "total_ms_p95", "mode", "n_unanswerable", "removed_documents", "seed", "abstain_rate_unanswerable",
                "wrong_answer_rate_unanswerable")
        print(json.dumps({k: result[k] for k in keys if k in result}, ensure_ascii=False))
    else:
        print(format_report(result))


@qa_app.command("pin")
def pin_cmd(
    answer: str = typer.Option(..., "--answer", help="审定答案正文 / the approved answer"),
    family: str = typer.Option("", "--family", help="问题族名称 / question family name"),
    example: list[str] = typer.Option([], "--example", help="示例问题，可多次给出 / example question (repeatable)"),
    keyword: list[str] = typer.Option([], "--keyword", help="必含关键词，可多次给出 / required keyword (repeatable)"),
    source: list[str] = typer.Option([], "--source", help="出处“标题|文号”，可多次给出 / source 'title|doc number'"),
) -> None:
    """为一类问题固定审定答案（优先于生成内容）/ pin an approved answer to a question family."""
    from zhengwu.store import session_scope
    # zhengwu.qa.store and what it loads: ~50 ms, only for the `qa` commands, so other commands start fast
    from zhengwu.qa.store import pin_answer, pinned_dict

    cites = []
    for s in source:
        title, _, num = s.partition("|")
        cites.append({"title": title.strip(), "doc_number": num.strip()})
    with session_scope() as session:
        p = pin_answer(session, cli_caller(), family=family, answer=answer, examples=example, keywords=keyword,
                       citations=cites)
        print(json.dumps(pinned_dict(p), ensure_ascii=False))


@qa_app.command("pins")
def pins_cmd() -> None:
    """列出审定答案 / list curated answers."""
    from zhengwu.store import session_scope
    from zhengwu.qa.store import list_pinned, pinned_dict  # ~50 ms (see pin_cmd)

    with session_scope() as session:
        print(json.dumps([pinned_dict(p) for p in list_pinned(session, cli_caller())], ensure_ascii=False, indent=1))


@qa_app.command("unpin")
def unpin_cmd(pin_id: int = typer.Argument(..., help="审定答案 id")) -> None:
    """停用一条审定答案 / deactivate a curated answer."""
    from zhengwu.store import session_scope
    from zhengwu.qa.store import unpin  # ~50 ms (see pin_cmd)

    with session_scope() as session:
        unpin(session, cli_caller(), pin_id)
    print(f"已停用 deactivated: {pin_id}")


@qa_app.command("handoffs")
def handoffs_cmd(status: str | None = typer.Option(None, "--status", help="draft 等 / filter by status")) -> None:
    """列出转 12345 热线的工单草稿 / list hotline hand-off ticket drafts."""
    from zhengwu.store import session_scope
    from zhengwu.qa.store import handoff_dict, list_handoffs  # ~50 ms (see pin_cmd)

    with session_scope() as session:
        print(json.dumps([handoff_dict(t) for t in list_handoffs(session, cli_caller(), status)], ensure_ascii=False,
                         indent=1))


@qa_app.command("synonyms")
def synonyms_cmd(add: str | None = typer.Option(None, "--add",
                                                help="新增/替换一组，逗号分隔，第一个为官方用语 / add a group")) -> None:
    """查看或编辑同义词表（口语 → 官方用语）/ show or edit the synonym table."""
    from zhengwu.qa.rewrite import load_synonyms, save_synonym_group  # the qa package: only for this command

    if add:
        path = save_synonym_group([t for t in add.replace("，", ",").split(",")])
        print(f"已保存 saved: {path}")
    for g in load_synonyms():
        print(f"{g[0]} ← {'、'.join(g[1:])}")


@qa_app.command("guide")
def guide_cmd(item: str | None = typer.Argument(None, help="事项 id（不填则列出）/ service item id")) -> None:
    """导办：逐项询问，生成个人办事清单（逐行读入回答）/ guided service from stdin answers."""
    from zhengwu.qa import guide  # the qa package: only for this command

    if not item:
        for s in guide.list_services():
            print(f"{s['id']}\t{s['name']}\t{s['region']}")
        return
    state = guide.start(item)
    while True:
        step = guide.next_step(state)
        if step["done"]:
            print(step["checklist_text"])
            return
        q = step["question"]
        print(f"{q['text']} ({' / '.join(o['label'] for o in q['options'])})")
        line = sys.stdin.readline()
        if not line:
            return
        try:
            state = guide.answer(state, q["id"], line.strip())
        except ZhengwuError as exc:
            print(f"错误：{exc.zh}\nError: {exc.en}")


@eval_app.command("everyday")
def eval_everyday(
    cases: Path = typer.Option(None, "--cases", help="问题 JSONL（默认 tests/qa/data/everyday.jsonl）/ questions"),
    conversations: Path = typer.Option(None, "--conversations",
                                       help="会话 JSONL（默认 tests/qa/data/everyday_conversations.jsonl）"),
    split: str = typer.Option("all", "--split",
                              help="问题文件中的分组：dev | check（everyday.jsonl）、train | holdout"
                                   "（everyday_team.jsonl）或 all / the file's split label, or all"),
    as_json: bool = typer.Option(False, "--json", help="输出一个 JSON 对象 / print one JSON object"),
    details: Path = typer.Option(None, "--details", help="逐题结果写入 JSONL / per-question results to FILE"),
    abstain_threshold: float = typer.Option(None, "--abstain-threshold", min=0.0, max=1.0,
                                            help="本次评测的“无依据”判定阈值（默认出厂值；0 = 从不拒答）/ "
                                                 "no-basis operating point for this run (0 = never abstain)"),
    conversations_only: bool = typer.Option(False, "--conversations-only",
                                            help="只问会话（--split 指会话文件的分组）/ ask the conversations only "
                                                 "(--split names the conversation file's split)"),
) -> None:
    """日常问题基准（演示文档）：首条引用、关键事实、不可答时无依据、换话题 / everyday-question benchmark."""
    from zhengwu.eval.everyday import format_report, run  # the Q&A pipeline, ~200 ms (see eval_qa_cmd)

    _operating_point(abstain_threshold)
    result = run(cases, conversations, split=split, details=details, progress=not as_json,
                 questions=not conversations_only)
    if as_json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(format_report(result))
