"""Facts read from real citizen letters, for the reader's precision check on text it was not written for (issue 16).

    PYTHONPATH=. .venv/bin/python bench/match_letters.py --out AFTER.json [--compare BEFORE.json]
        [--messages ../shared/eval/citizen_messages]

Reads every letter of `labeled.dev.jsonl` and `hotspot_pool.jsonl` (title + text) with `read_facts` and writes
{msg_id: {facts, conflicts}} to `--out`. Each letter is read as of its own date (its `time`: "去年", "今年", an age from
a birth year or a stay from an arrival month are reckoned from the day it was written, not from today). With
`--compare`, the letters whose facts or conflicts differ from an earlier run are listed with the words that changed,
for reading by hand: a letter that gains a fact the writer did not state is a wrong reading. Measuring only: nothing
from the letters is copied into the code or the tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from zhengwu.match.facts import MAX_CHARS, read_facts  # noqa: E402

FILES = ("labeled.dev.jsonl", "hotspot_pool.jsonl")
TODAY = dt.date(2026, 11, 29)


def letters(folder: Path) -> dict[str, tuple[str, dt.date]]:
    """msg_id -> (title + text, the letter's date; the cases' today when it has none)."""
    out: dict[str, tuple[str, dt.date]] = {}
    for name in FILES:
        for line in (folder / name).open(encoding="utf-8"):
            m = json.loads(line)
            try:
                day = dt.datetime.strptime(str(m.get("time", "")).split()[0], "%Y/%m/%d").date()
            except (IndexError, ValueError):
                day = TODAY
            out[str(m["msg_id"])] = (f"{m.get('title') or ''}\n{m.get('text') or ''}"[:MAX_CHARS], day)
    return out


def read_all(folder: Path) -> dict[str, dict]:
    result = {}
    for msg_id, (text, day) in letters(folder).items():
        reading = read_facts(text, today=day)
        shown = reading.to_dict()   # a range (an approximate amount) as its JSON form
        result[msg_id] = {"facts": shown["facts"], "conflicts": shown["conflicts"]}
    return result


def changes(before: dict[str, dict], after: dict[str, dict]) -> list[dict]:
    """Per letter that differs: {msg_id, changed: [(part, fact, before, after)]}."""
    out = []
    for msg_id, now in after.items():
        was = before.get(msg_id, {"facts": {}, "conflicts": {}})
        changed = [(part, name, was[part].get(name), now[part].get(name))
                   for part in ("facts", "conflicts") for name in sorted(set(was[part]) | set(now[part]))
                   if was[part].get(name) != now[part].get(name)]
        if changed:
            out.append({"msg_id": msg_id, "changed": changed})
    return out


def main() -> None:
    default = Path(os.environ.get("ZHENGWU_SHARED", ROOT.parent / "shared")) / "eval" / "citizen_messages"
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--messages", type=Path, default=default)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--compare", type=Path, help="an earlier --out file: list the letters that changed")
    args = ap.parse_args()
    after = read_all(args.messages)
    args.out.write_text(json.dumps(after, ensure_ascii=False), encoding="utf-8")
    print(f"{len(after)} letters read -> {args.out}")
    if args.compare:
        text = letters(args.messages)
        changed = changes(json.loads(args.compare.read_text(encoding="utf-8")), after)
        for row in changed:
            print(f"== {row['msg_id']}: {text[row['msg_id']][0][:160]!r}")
            for part, name, was, now in row["changed"]:
                print(f"   {part} {name}: {was} -> {now}")
        print(f"{len(changed)} of {len(after)} letters changed")


if __name__ == "__main__":
    main()
