"""Everyday-question benchmark: citizens' own words over the bundled demo documents.

Why it exists: the policy-QA contest questions are copied from document sentences, so they flatter a
lexical system; citizens ask "社保卡怎么办" or "办暂住证要什么材料". This set (tests/qa/data/everyday.jsonl,
written by the project from data/demo) measures what a citizen experiences: is the first citation a right
document, does the answer hold the key facts, does a question the demo cannot answer get "no basis", and
does a conversation that changes topic leave the old topic behind.

The demo documents are ingested into a throw-away store (zhengwu.eval.store) and every question goes through
`zhengwu.qa.answer.ask` exactly as a citizen's would; conversation turns share a conversation id.

Metrics (answerable = questions with a gold document):
- first_citation_accuracy: the first citation is one of the gold documents;
- wrong_answer_rate_answerable: the share of answerable questions given a cited answer whose first citation is
  not a gold document (a wrong answer with a citation: worse than no answer);
- expired_reply_gold_rate: the share of answerable questions whose reply is the expired reply (reply_kind
  "expired": the document is no longer in force, the 12345 hand-off) naming a gold document — the honest reply
  when the document that answers the question has expired;
- key_fact_rate: the answer text holds every key fact (a fact "a|b" is met by either string);
- no_basis_rate_unanswerable / wrong_answer_rate_unanswerable: share of unanswerable questions answered
  with "no basis" / with a cited answer;
- conversations: followup_citation_accuracy (continuing turns cite a gold document), followup_key_fact_rate,
  topic_change_violations (a new topic's answer cites a document of an earlier topic and none of its own);
  a later turn no demo document answers (gold []) is not a citation to get right: it counts in
  unanswerable_turn_no_basis_rate (answered "no basis") and unanswerable_turn_old_citations (it cites a
  document of an earlier turn: the follow-up answered from the previous answer's document although it does not
  hold the answer); followup_wrong_answer_rate / new_topic_wrong_answer_rate: the share of continuing / new-topic
  turns (gold documents given) answered with a citation whose first document is not a gold one — a wrong answer with
  a citation, which costs three times a "no basis".
"""

from __future__ import annotations

import json
from pathlib import Path

from zhengwu.eval.store import embed_all, temporary_store

ROOT = Path(__file__).resolve().parents[2]
DEMO_DIR = ROOT / "data" / "demo"
DEFAULT_CASES = ROOT / "tests" / "qa" / "data" / "everyday.jsonl"
TEAM_CASES = ROOT / "tests" / "qa" / "data" / "everyday_team.jsonl"  # written apart from the system (NOTICE.md)
DEFAULT_CONVERSATIONS = ROOT / "tests" / "qa" / "data" / "everyday_conversations.jsonl"
# The data rule of every fit on these questions (bench/fit_abstain.py, bench/fit_answer_ranker.py), in one place.
# Fitted on: everyday.jsonl's dev half, everyday_team.jsonl's train half and the former check sets, each from the round
# after it was the lead's blind check (fresh and fresh2 since the eleventh round, fresh4 … fresh8 since the thirteenth
# … seventeenth).
DEVELOPMENT = (f"{DEFAULT_CASES}:dev", f"{TEAM_CASES}:train",
               *(f"{DEFAULT_CASES.with_name(f'everyday_{s}.jsonl')}:{s}"
                 for s in ("fresh", "fresh2", "fresh4", "fresh5", "fresh6", "fresh7", "fresh8")))
# Never fitted on, by split and by file name: the team holdout (the ship rule's measure), the check half and any set
# written as a check that is still one (fresh3; fresh9, written during the sixteenth round; fresh10, the seventeenth).
NEVER_FIT = ("holdout", "check", "fresh3", "fresh9", "fresh10")
KB_NAME = "demo"


def load_cases(path: Path, split: str = "all") -> list[dict]:
    """Question or conversation rows of `path` (the NOTICE line skipped), optionally one split only."""
    from zhengwu.errors import ZhengwuError

    if not Path(path).is_file():
        raise ZhengwuError("eval_missing", f"找不到问题文件：{path}", f"Cases file not found: {path}")
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            row = json.loads(line)
            if "notice" in row:
                continue
            if split != "all" and row.get("split") != split:
                continue
            out.append(row)
    return out


def facts_met(text: str, facts: list[str]) -> bool:
    """Every fact appears in `text`; a fact written "a|b" is met by either alternative."""
    return all(any(alt and alt in text for alt in f.split("|")) for f in facts)


def _cited(ans: dict) -> list[str]:
    return [str(c.get("external_id") or "") for c in ans.get("citations") or []]


def _answer_text(ans: dict) -> str:
    return ans.get("body") or ("" if ans.get("no_basis") else ans.get("answer") or "")


def _rate(xs: list[bool]) -> float:
    return round(sum(xs) / len(xs), 4) if xs else 0.0


def score_questions(cases: list[dict], answers: list[dict]) -> dict:
    """Aggregate figures of single questions; `answers[i]` is the answer dict (Answer.to_dict()) of `cases[i]`."""
    first, facts, nob_u, wrong_u, nob_a, wrong_a, expired_a = [], [], [], [], [], [], []
    for case, ans in zip(cases, answers):
        cited = _cited(ans)
        if case.get("answerable", bool(case.get("gold"))):
            first.append(bool(cited) and not ans.get("no_basis") and cited[0] in case["gold"])
            wrong_a.append(bool(cited) and not ans.get("no_basis") and cited[0] not in case["gold"])
            expired_a.append(ans.get("reply_kind") == "expired" and bool(cited) and cited[0] in case["gold"])
            facts.append(not ans.get("no_basis") and facts_met(_answer_text(ans), case.get("key_facts") or []))
            nob_a.append(bool(ans.get("no_basis")))
        else:
            nob_u.append(bool(ans.get("no_basis")))
            wrong_u.append(not ans.get("no_basis") and bool(cited))
    return {"n_answerable": len(first), "n_unanswerable": len(nob_u),
            "first_citation_accuracy": _rate(first), "key_fact_rate": _rate(facts),
            "no_basis_rate_answerable": _rate(nob_a),
            "no_basis_rate_unanswerable": _rate(nob_u), "wrong_answer_rate_unanswerable": _rate(wrong_u),
            "wrong_answer_rate_answerable": _rate(wrong_a), "expired_reply_gold_rate": _rate(expired_a)}


def score_conversations(convs: list[dict], answers: list[list[dict]]) -> dict:
    """Figures of the conversations; `answers[i][j]` answers turn j of conversation i."""
    follow_cit, follow_facts, new_cit, violations, unans_nob, unans_old = [], [], [], [], [], []
    follow_wrong, new_wrong = [], []
    examples: list[dict] = []
    for conv, ans_turns in zip(convs, answers):
        earlier_gold: set[str] = set()
        for j, (turn, ans) in enumerate(zip(conv["turns"], ans_turns)):
            cited = _cited(ans)
            first = cited[0] if cited and not ans.get("no_basis") else None
            gold = set(turn["gold"])
            if j > 0 and not gold:  # no demo document answers it: "no basis" is the right reply
                unans_nob.append(bool(ans.get("no_basis")))
                unans_old.append(first is not None and first in earlier_gold)
            elif j > 0 and turn.get("new_topic"):
                new_cit.append(first in gold)
                new_wrong.append(first is not None and first not in gold)
                bad = first is not None and first in (earlier_gold - gold)
                violations.append(bad)
                if bad:
                    examples.append({"cid": conv["cid"], "turn": j, "question": turn["question"], "cited": first})
            elif j > 0:
                follow_cit.append(first in gold)
                follow_wrong.append(first is not None and first not in gold)
                follow_facts.append(first is not None and facts_met(_answer_text(ans), turn.get("key_facts") or []))
            earlier_gold |= gold
    return {"n_conversations": len(convs), "followup_citation_accuracy": _rate(follow_cit),
            "followup_key_fact_rate": _rate(follow_facts), "new_topic_citation_accuracy": _rate(new_cit),
            "topic_change_violations": sum(violations), "topic_change_turns": len(violations),
            "violation_examples": examples, "unanswerable_turns": len(unans_nob),
            "unanswerable_turn_no_basis_rate": _rate(unans_nob), "unanswerable_turn_old_citations": sum(unans_old),
            "followup_wrong_answer_rate": _rate(follow_wrong), "new_topic_wrong_answer_rate": _rate(new_wrong)}


def _rows_of_split(path: Path, split: str) -> list[dict]:
    """The rows of `split`; none is an error naming the file's splits (a typo must not measure nothing)."""
    from zhengwu.errors import ZhengwuError

    rows = load_cases(path, split)
    if not rows:
        labels = sorted({str(c.get("split")) for c in load_cases(path)})
        raise ZhengwuError("eval_split", f"{Path(path).name} 中没有分组 {split!r}（有：{'、'.join(labels)}）",
                           f"No rows with split {split!r} in {Path(path).name} (it has: {', '.join(labels)})")
    return rows


def run(cases_path: Path | None = None, conversations_path: Path | None = None, *, split: str = "all",
        details: Path | None = None, progress: bool = True, questions: bool = True) -> dict:
    """Ingest the demo documents into a temporary store, ask every case, return the figures (keys as --json).

    `questions=False` asks the conversations only (a change to the conversation path measured in a fifth of the
    time: the single questions have no history, so their answers cannot change)."""
    from zhengwu.context import Caller
    from zhengwu.errors import ZhengwuError
    from zhengwu.eval.retrieval import _say
    from zhengwu.kb.ingest import ingest_paths
    from zhengwu.qa.answer import ask

    cases = _rows_of_split(cases_path or DEFAULT_CASES, split) if questions else []
    if questions:
        convs = load_cases(conversations_path or DEFAULT_CONVERSATIONS, split) \
            if conversations_path or DEFAULT_CONVERSATIONS.is_file() else []
    else:
        convs = _rows_of_split(conversations_path or DEFAULT_CONVERSATIONS, split)
    caller = Caller(user="eval", department="eval", role="admin")
    lines: list[dict] = []
    with temporary_store("zhengwu-everyday-"):
        from zhengwu.gateway import generative_available

        files = sorted(DEMO_DIR.glob("*.jsonl"))
        report = ingest_paths(files, kb=KB_NAME, caller=caller, progress=False, embed=False)
        # default mode: the demo's vectors, shipped (as `zhengwu demo` loads them) or made as a deployment's
        # background worker makes them
        embed_all(progress, DEMO_DIR / "vectors.npz")
        ask("预热 warm-up", caller=caller, kb=KB_NAME, record=False)

        def one(q: str, conv: str | None = None) -> dict:
            try:
                return ask(q, caller=caller, kb=KB_NAME, conversation_id=conv).to_dict()
            except ZhengwuError as exc:
                return {"no_basis": True, "citations": [], "body": "", "answer": exc.zh}

        answers = []
        for i, c in enumerate(cases):
            a = one(c["question"])
            answers.append(a)
            lines.append({"qid": c["qid"], "question": c["question"], "cited": _cited(a),
                          "no_basis": bool(a.get("no_basis")), "reply_kind": a.get("reply_kind", ""),
                          "answer": a.get("answer", ""), "gold": c.get("gold", []),
                          "facts_met": facts_met(_answer_text(a), c.get("key_facts") or [])})
            if progress and (i + 1) % 20 == 0:
                _say(progress, f"已提问 asked {i + 1}/{len(cases)}")
        conv_answers = []
        for conv in convs:
            cid, turns = None, []
            for j, t in enumerate(conv["turns"]):
                a = one(t["question"], cid)
                cid = a.get("conversation_id") or cid
                turns.append(a)
                lines.append({"qid": f"{conv['cid']}#{j}", "question": t["question"], "cited": _cited(a),
                              "no_basis": bool(a.get("no_basis")), "reply_kind": a.get("reply_kind", ""),
                              "answer": a.get("answer", ""),
                              "rewritten": a.get("rewritten", ""), "followup": bool(a.get("followup")),
                              "checks": a.get("checks", []), "gold": t["gold"],
                              "facts_met": facts_met(_answer_text(a), t.get("key_facts") or [])})
            conv_answers.append(turns)
        mode = "generative" if generative_available() else "extractive"
    res = {**score_questions(cases, answers), **score_conversations(convs, conv_answers), "mode": mode,
           "split": split, "documents": report.added + report.unchanged + report.replaced}
    if details:
        write_details(details, lines)
    return res


def write_details(path: Path, lines: list[dict]) -> None:
    """One JSON object per line, so a reviewer can diff two runs question by question."""
    with open(path, "w", encoding="utf-8") as fh:
        for row in lines:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def format_report(r: dict) -> str:
    return (f"日常问题基准 everyday questions — {r['n_answerable']} 可答 answerable + {r['n_unanswerable']} 不可答 "
            f"unanswerable, {r['n_conversations']} 会话 conversations, {r['documents']} 文档 documents, "
            f"模式 mode {r['mode']}, split {r['split']}\n"
            f"首条引用正确 first citation right        {r['first_citation_accuracy']:.3f}\n"
            f"含关键事实 key facts present             {r['key_fact_rate']:.3f}\n"
            f"可答问题却无依据 no basis (answerable)   {r['no_basis_rate_answerable']:.3f}\n"
            f"不可答→无依据 no basis (unanswerable)    {r['no_basis_rate_unanswerable']:.3f}\n"
            f"不可答却作答 wrong answer (unanswerable) {r['wrong_answer_rate_unanswerable']:.3f}\n"
            f"可答却引错文 wrong answer (answerable)   {r['wrong_answer_rate_answerable']:.3f}\n"
            f"答失效文件（正确文件）expired reply, gold {r['expired_reply_gold_rate']:.3f}\n"
            f"追问引用正确 follow-up citation right    {r['followup_citation_accuracy']:.3f}\n"
            f"追问含关键事实 follow-up key facts       {r['followup_key_fact_rate']:.3f}\n"
            f"换话题引用正确 new-topic citation right  {r['new_topic_citation_accuracy']:.3f}\n"
            f"追问/换话题引错文 wrong answer (follow-up / new topic) {r['followup_wrong_answer_rate']:.3f} / "
            f"{r['new_topic_wrong_answer_rate']:.3f}\n"
            f"换话题仍引旧文 topic-change violations   {r['topic_change_violations']}/{r['topic_change_turns']}\n"
            f"无文可答的后续轮→无依据 no basis (unanswerable later turns) {r['unanswerable_turn_no_basis_rate']:.3f} "
            f"of {r['unanswerable_turns']}, 引旧文 citing an earlier turn's document {r['unanswerable_turn_old_citations']}")


__all__ = ["run", "format_report", "score_questions", "score_conversations", "facts_met", "load_cases",
           "write_details"]
