"""Why an answer from the right document misses its key facts: the everyday questions whose chosen document is
a gold one but whose shown answer lacks a key fact, sorted into kinds by where the missing fact sits.

    ZHENGWU_EMBEDDER=none .venv/bin/python bench/qa_passage_misses.py [--everyday FILE[:SPLIT] ...] [--json] [--list]

Why a script of its own: `zhengwu eval everyday --details` says which answers miss, not why. Here every question
goes through the product path without abstention (rewrite, search, ranker, the whole-answer growth of
evidence.shown), and each missing fact is located in the cited document's text (as the ranker reads it: lines,
section marks):
- `not_in_document`: the fact is nowhere in the cited document (another gold document holds it, or the key fact
  is worded unlike the text);
- `same_line`: on the answer's own line (a paragraph or a sentence run cut short);
- `same_section`: under the answer's heading, on another line (a list or a section not taken whole);
- `other_section`: under another heading (the wrong passage of the right document);
- `headings`: the fact is only in a heading.
A question counts under the kind of its first missing fact. Defaults: the development questions (everyday.jsonl
dev, everyday_team.jsonl train, everyday_fresh.jsonl, everyday_fresh2.jsonl, everyday_fresh4.jsonl,
everyday_fresh5.jsonl); never the holdout or the check sets (fresh3, fresh6).
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from zhengwu.context import Caller  # noqa: E402
from zhengwu.eval.everyday import DEFAULT_CASES, DEMO_DIR, TEAM_CASES, facts_met, load_cases  # noqa: E402
from zhengwu.eval.store import embed_all, temporary_store  # noqa: E402
from zhengwu.gateway import neutralise_injection  # noqa: E402
from zhengwu.kb.ingest import ingest_paths  # noqa: E402
from zhengwu.qa.answer import _INJECTION, _search_text, answer_inputs  # noqa: E402
from zhengwu.qa.evidence import shown  # noqa: E402
from zhengwu.qa.extract import SECTION_MARK  # noqa: E402
from zhengwu.qa.ranker import choose_answer  # noqa: E402
from zhengwu.qa.rewrite import rewrite  # noqa: E402
from zhengwu.qa.whole import _find, _heading_paths  # noqa: E402
from zhengwu.store.db import session_scope  # noqa: E402

FRESH_CASES = DEFAULT_CASES.with_name("everyday_fresh.jsonl")
FRESH2_CASES = DEFAULT_CASES.with_name("everyday_fresh2.jsonl")
FRESH4_CASES = DEFAULT_CASES.with_name("everyday_fresh4.jsonl")
FRESH5_CASES = DEFAULT_CASES.with_name("everyday_fresh5.jsonl")


def where(passage: str, answer_span: str, fact: str) -> str:
    """The kind of place `fact` holds in `passage` relative to the answer (see the module's docstring)."""
    lines = [ln.strip() for ln in passage.split("\n")]
    alts = [a for a in fact.split("|") if a]
    at = [k for k, ln in enumerate(lines) if any(a in ln for a in alts)]
    if not at:
        return "not_in_document"
    paths = _heading_paths(lines)
    body = [k for k in at if not paths[k][1] and not lines[k].startswith(SECTION_MARK)]
    if not body:
        return "headings"
    found = _find(lines, answer_span)
    if found is None:
        return "other_section"
    i = found[0]
    if i in body:
        return "same_line"
    return "same_section" if any(paths[k][0] == paths[i][0] for k in body) else "other_section"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--everyday", action="append", default=None, help="FILE[:SPLIT] (repeatable)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--list", action="store_true",
                    help="print every miss (question, kind, answer, the document's line holding the missing fact)")
    args = ap.parse_args()
    sources = [(Path(s.split(":")[0]), s.split(":")[1] if ":" in s else "all") for s in args.everyday or
               [f"{DEFAULT_CASES}:dev", f"{TEAM_CASES}:train", f"{FRESH_CASES}:fresh", f"{FRESH2_CASES}:fresh2",
                f"{FRESH4_CASES}:fresh4", f"{FRESH5_CASES}:fresh5"]]
    cases = [c for path, split in sources for c in load_cases(path, split) if c.get("gold") and c.get("key_facts")]
    caller = Caller(user="bench", department="bench", role="admin")
    kinds: collections.Counter = collections.Counter()
    right_doc = met = 0
    misses = []
    with temporary_store("zhengwu-misses-"):
        ingest_paths(sorted(DEMO_DIR.glob("*.jsonl")), kb="demo", caller=caller, progress=False, embed=False)
        embed_all(pack=DEMO_DIR / "vectors.npz")
        with session_scope() as session:
            for c in cases:
                query = rewrite(_search_text(neutralise_injection(c["question"])[0]), []).query
                ev = answer_inputs(session, caller, query, kb="demo")
                sn = choose_answer(query, ev.passages, priors=ev.priors, titles=ev.titles, exclude=_INJECTION,
                                   dense=ev.dense) if ev.cands else None
                if sn is None or str(ev.cands[sn.hit_index].external_id) not in {str(g) for g in c["gold"]}:
                    continue
                right_doc += 1
                body = shown(query, ev, sn)[0]
                missing = [f for f in c["key_facts"] if not facts_met(body, [f])]
                if not missing:
                    met += 1
                    continue
                passage = ev.passages[sn.hit_index]
                kind = where(passage, sn.text, missing[0])
                kinds[kind] += 1
                alts = [a for a in missing[0].split("|") if a]
                at = next((ln.strip() for ln in passage.split("\n") if any(a in ln for a in alts)), "")
                misses.append({"qid": c["qid"], "question": c["question"], "kind": kind, "missing": missing,
                               "span_kind": sn.kind, "heading": sn.heading, "answer": body[:300],
                               "fact_line": at[:200]})
    out = {"questions": len(cases), "right_document": right_doc, "key_facts_met": met,
           "misses": dict(sorted(kinds.items(), key=lambda kv: -kv[1]))}
    if args.list:
        for m in misses:
            print(json.dumps(m, ensure_ascii=False))
    print(json.dumps(out, ensure_ascii=False) if args.json else "\n".join(f"{k}: {v}" for k, v in out.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
