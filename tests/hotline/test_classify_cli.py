"""`zhengwu eval classify` as a real subprocess, with the bad files a careless user or an attacker sends: empty,
not UTF-8, missing label field, unknown label (the hotline's own commands: test_hotline_cli.py, a file of its own
so that `--dist loadfile` can run the two on different workers)."""

from __future__ import annotations

import json

from tests.conftest import run_cli
from tests.hotline.conftest import labeled_rows, needs_labeled, write_rows


@needs_labeled
def test_eval_classify_json_keys_test_and_cv(zw_env, tmp_path):
    rows = labeled_rows()[:360]
    train, test = write_rows(tmp_path / "train.jsonl", rows[::2]), write_rows(tmp_path / "test.jsonl", rows[1::2])
    r = run_cli("eval", "classify", "--train", train, "--test", test, "--label-field", "label_l1", "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert {"n", "accuracy", "macro_f1", "per_class", "tickets_per_s"} <= set(d)
    assert d["n"] == len(rows[1::2]) and d["mode"] == "test"
    assert set(d["per_class"]) == {x["label_l1"] for x in rows[1::2]}
    assert 0.6 < d["macro_f1"] <= d["accuracy"] + 0.1 and d["tickets_per_s"] > 0
    r = run_cli("eval", "classify", "--train", test, "--cv", "3", "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["n"] == len(rows[1::2]) and d["mode"] == "cv3" and d["macro_f1"] > 0.5
    text = run_cli("eval", "classify", "--train", test, "--test", train, "--no-prior")
    assert text.returncode == 0 and "macro-F1" in text.stdout and "prior=none" in text.stdout


@needs_labeled
def test_eval_classify_bad_files(zw_env, tmp_path):
    rows = labeled_rows()[:60]
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n", encoding="utf-8")
    gbk = tmp_path / "gbk.jsonl"
    gbk.write_bytes(json.dumps(rows[0], ensure_ascii=False).encode("gbk", errors="replace"))
    nolabel = write_rows(tmp_path / "nolabel.jsonl", [{k: v for k, v in r.items() if k != "label_l1"} for r in rows])
    good = write_rows(tmp_path / "good.jsonl", rows)
    cases = [
        (["--train", str(empty)], "file_empty", "没有数据行"),
        (["--train", str(gbk)], "not_utf8", "UTF-8"),
        (["--train", nolabel], "label_missing", "label_l1"),
        (["--train", good, "--label-field", "category"], "label_missing", "category"),
        (["--train", str(tmp_path / "nowhere.jsonl")], "file_missing", "找不到文件"),
        (["--train", good, "--test", good, "--cv", "5"], "cv_with_test", "--cv"),
    ]
    for args, _code, words in cases:
        r = run_cli("eval", "classify", *args, "--json")
        assert r.returncode == 2 and words in r.stderr and "Error:" in r.stderr and "Traceback" not in r.stderr, r.stderr
    # a class with fewer rows than folds
    few = write_rows(tmp_path / "few.jsonl", rows[:40] + [dict(rows[0], label_l1="罕见类")])
    r = run_cli("eval", "classify", "--train", few, "--cv", "5")
    assert r.returncode == 2 and "折交叉验证" in r.stderr and "cross-validation" in r.stderr
    # a test label the training never saw is scored (F1 0), not an error
    unseen = write_rows(tmp_path / "unseen.jsonl", rows[:10] + [dict(rows[11], label_l1="新类别")])
    r = run_cli("eval", "classify", "--train", good, "--test", unseen, "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["per_class"]["新类别"]["f1"] == 0.0
