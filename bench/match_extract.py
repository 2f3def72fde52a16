"""How well the rules propose catalogue entries from real policies (issue 16, "proposing entries").

    .venv/bin/python bench/match_extract.py [--corpus FILE] [--json] [--unjudged]

Runs `zhengwu.match.extract.propose` and `zhengwu.match.validity.read_validity` on the 37 policies of
/work/shared/corpus/services/benefit_policies.jsonl and reports, separately for the two halves of the sorted
policy ids — the first half ("dev") is the one the patterns were written on, the second ("held-out") was not
looked at while writing them, so its figures are the honest ones:

- validity: whether each policy reads as closed on 2026-11-29, against the README table "Expired (closed)" of
  tests/match/data/README.md (every other policy taken as open), and the date read against the corpus's
  `expiry_date` where it has one; every disagreement is listed with the sentence read.
- 文号: the document number read from the text against the corpus's `document_number`.
- conditions, recall: of the README's readings (bench/match_extract/gold.yaml: each → arrow as a list of
  conditions), how many the proposal holds with the same fact, operator and value (or ref and scale).
- conditions, precision: every distinct proposed condition with its sentence (policy, fact, operator, value,
  sentence) is judged: the first one in document order that equals a gold condition is right; any other is right
  only when judged right by hand against its sentence (bench/match_extract/judged.yaml, with the reason; a
  judgement without `sentence` covers every sentence of that condition). `--unjudged` prints those not judged
  yet; they are reported, never counted as right.

- agreement with the hand-written demo catalogue (zhengwu/match/data/catalog.yaml, written by another engineer
  from the same policies): of its conditions, how many the proposal holds (same fact, operator, value), and of
  the proposal's, how many it holds — a second, wider reference than the README readings.

    --code DIR   import `zhengwu` from another checkout (e.g. the commit the held-out half was first measured at)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
_code = sys.argv[sys.argv.index("--code") + 1] if "--code" in sys.argv[:-1] else str(ROOT)
sys.path.insert(0, _code)

from zhengwu.match.extract import propose, read_doc_number  # noqa: E402
from zhengwu.match.validity import read_validity  # noqa: E402

HERE = Path(__file__).resolve().parent / "match_extract"
SHARED = Path(os.environ.get("ZHENGWU_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus" / "services" / "benefit_policies.jsonl"


def key(policy: str, cond: dict) -> str:
    """policy|fact|op|value — the identity of a condition for recall and judgement."""
    if cond.get("ref"):
        what = f"ref:{cond['ref']}*{cond.get('scale') or 1:g}"
    else:
        value = cond.get("value")
        what = json.dumps(sorted(value) if isinstance(value, list) else value, ensure_ascii=False)
    return f"{policy}|{cond['fact']}|{cond['op']}|{what}"


def _gold_match(gold: dict, leaf: dict) -> bool:
    if gold["fact"] != leaf["fact"] or gold["op"] != leaf["op"]:
        return False
    if gold.get("ref"):
        return gold["ref"] == leaf.get("ref") and abs((gold.get("scale") or 1) - (leaf.get("scale") or 1)) < 1e-9
    if gold.get("value") == "*":
        return True
    g, v = gold.get("value"), leaf.get("value")
    return sorted(g) == sorted(v) if isinstance(g, list) and isinstance(v, list) else g == v


def _yaml_leaves(cond: dict) -> list[dict]:
    """The leaves of a condition as the catalogue file writes it ({all|any: [...]}, {not: {...}} or a leaf)."""
    if "fact" in cond:
        return [cond]
    children = cond.get("all") or cond.get("any") or [cond.get("not")]
    return [leaf for child in children if child for leaf in _yaml_leaves(child)]


def _expiry(corpus_value: str | None) -> dt.date | None:
    m = re.match(r"(\d{4})年(\d{2})月(\d{2})日", corpus_value or "")
    return dt.date(*map(int, m.groups())) if m else None


def run(corpus: Path) -> dict:
    gold_file = yaml.safe_load((HERE / "gold.yaml").read_text("utf-8"))
    judged: dict[str, list[dict]] = {}
    for j in yaml.safe_load((HERE / "judged.yaml").read_text("utf-8")) or []:
        judged.setdefault(key(j["policy"], j), []).append(j)
    today = gold_file["today"]
    hand: dict[str, set[str]] = {}
    catalog_file = ROOT / "zhengwu" / "match" / "data" / "catalog.yaml"
    for scheme in (yaml.safe_load(catalog_file.read_text("utf-8")) or {}).get("schemes", []) \
            if catalog_file.is_file() else []:
        pid = scheme["source"]["policy_id"]
        for cond in [scheme["eligibility"], *scheme.get("exclusions", [])]:
            hand.setdefault(pid, set()).update(key(pid, leaf) for leaf in _yaml_leaves(cond))
    policies = [json.loads(line) for line in corpus.read_text("utf-8").splitlines() if line.strip()]
    ids = sorted(p["id"] for p in policies)
    dev = set(ids[: len(ids) // 2])
    halves = {"dev": {"policies": 0}, "held_out": {"policies": 0}}
    for h in halves.values():
        h.update(doc_number_agree=0, doc_number_not_in_text=0, hand=0, hand_found=0, proposed_keys=0, proposed_in_hand=0, validity_agree=0, validity_total=0, expiry_agree=0, expiry_total=0, gold=0, found=0,
                 proposed=0, right=0, wrong=0, unjudged=0, with_entries=0, validity_disagreements=[],
                 missed=[], wrong_list=[], unjudged_list=[])
    for p in sorted(policies, key=lambda p: p["id"]):
        half = halves["dev" if p["id"] in dev else "held_out"]
        half["policies"] += 1
        text = p["full_text"]
        v = read_validity(text, published=p.get("publish_date"))
        closed = v.valid_until is not None and today > v.valid_until
        expect = p["id"] in gold_file["validity_closed"]
        half["validity_total"] += 1
        half["validity_agree"] += closed == expect
        exp = _expiry(p.get("expiry_date"))
        if exp is not None:
            half["expiry_total"] += 1
            half["expiry_agree"] += exp == v.valid_until
        if closed != expect or (exp is not None and exp != v.valid_until):
            half["validity_disagreements"].append({
                "policy": p["id"], "read_until": str(v.valid_until), "closed": closed, "readme_closed": expect,
                "corpus_expiry": str(exp) if exp else None, "sentence": v.sentence[:120]})

        number, expected_number = read_doc_number(text), p.get("document_number") or ""
        half["doc_number_agree"] += number == expected_number
        half["doc_number_not_in_text"] += number != expected_number and expected_number not in text
        schemes = propose(text, policy_id=p["id"], title=p["title"], issuer=p.get("issuing_authority") or "",
                          url=p.get("source_url") or "", published=p.get("publish_date") or "")
        half["with_entries"] += bool(schemes)
        leaves: dict[tuple[str, str], dict] = {}          # (key, sentence) -> leaf, in document order
        for s in schemes:
            for c in s.eligibility.leaves():
                leaves.setdefault((key(p["id"], c.model_dump()), c.sentence), {**c.model_dump(), "exclusion": False})
            for e in s.exclusions:
                for c in e.leaves():
                    leaves.setdefault((key(p["id"], c.model_dump()), c.sentence), {**c.model_dump(), "exclusion": True})
        keys = {k for k, _ in leaves}
        if p["id"] in hand:
            half["hand"] += len(hand[p["id"]])
            half["hand_found"] += len(hand[p["id"]] & keys)
            half["proposed_keys"] += len(keys)
            half["proposed_in_hand"] += len(keys & hand[p["id"]])
        gold = gold_file["conditions"].get(p["id"], [])
        half["gold"] += len(gold)
        for g in gold:
            if any(_gold_match(g, leaf) and leaf["exclusion"] == bool(g.get("exclusion")) for leaf in leaves.values()):
                half["found"] += 1
            else:
                half["missed"].append(key(p["id"], g))
        credited: set[str] = set()
        for (k, sentence), leaf in leaves.items():
            half["proposed"] += 1
            verdicts = [j for j in judged.get(k, []) if j.get("sentence", sentence) in sentence]
            if k not in credited and any(_gold_match(g, leaf) for g in gold):
                credited.add(k)
                half["right"] += 1
            elif verdicts:
                ok = verdicts[0]["verdict"] == "right"
                half["right" if ok else "wrong"] += 1
                if not ok:
                    half["wrong_list"].append(f"{k} — {verdicts[0].get('why', '')}")
            else:
                half["unjudged"] += 1
                half["unjudged_list"].append({"key": k, "sentence": sentence[:160]})
    for h in halves.values():
        h["recall"] = round(h["found"] / h["gold"], 3) if h["gold"] else None
        h["precision"] = round(h["right"] / h["proposed"], 3) if h["proposed"] else None
    return {"corpus": str(corpus), "today": str(today), "dev_ids": sorted(dev), **halves}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--json", action="store_true", help="print the whole result as JSON")
    ap.add_argument("--unjudged", action="store_true", help="print the proposed conditions not judged yet")
    ap.add_argument("--code", help="import zhengwu from this checkout (read before the imports above)")
    args = ap.parse_args(argv)
    if not args.corpus.is_file():
        print(f"缺少政策语料 / corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    result = run(args.corpus)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    for name in ("dev", "held_out"):
        h = result[name]
        print(f"== {name}: {h['policies']} policies, {h['with_entries']} with a proposed entry")
        print(f"   validity closed/open vs README: {h['validity_agree']}/{h['validity_total']}; "
              f"date vs corpus expiry_date: {h['expiry_agree']}/{h['expiry_total']}")
        for d in h["validity_disagreements"]:
            print(f"     {d['policy']}: read until {d['read_until']} (closed={d['closed']}, README closed="
                  f"{d['readme_closed']}, corpus {d['corpus_expiry']}) «{d['sentence']}»")
        print(f"   文号 = corpus document_number: {h['doc_number_agree']}/{h['policies']} "
              f"(of the others, {h['doc_number_not_in_text']} are not in the text at all)")
        print(f"   conditions recall {h['found']}/{h['gold']} = {h['recall']}; precision {h['right']}/{h['proposed']}"
              f" = {h['precision']} (wrong {h['wrong']}, unjudged {h['unjudged']})")
        if h["hand"]:
            print(f"   vs the hand-written demo catalogue: its conditions found {h['hand_found']}/{h['hand']}; "
                  f"proposed conditions in it {h['proposed_in_hand']}/{h['proposed_keys']} (policies it covers)")
        for m in h["missed"]:
            print(f"     missed {m}")
        for w in h["wrong_list"]:
            print(f"     wrong  {w}")
        if args.unjudged:
            for u in h["unjudged_list"]:
                print(f"     unjudged {u['key']}  «{u['sentence']}»")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
