"""`zhengwu hotline train|classify|duty|taxonomy` and `zhengwu eval classify` as real subprocesses, with the
bad files a careless user or an attacker sends: empty, not UTF-8, missing label field, unknown label, 10,000 rows."""

from __future__ import annotations

import json

import pytest

from tests.conftest import EVAL, run_cli

LABELED = EVAL / "citizen_messages" / "labeled.dev.jsonl"
needs_data = pytest.mark.skipif(not LABELED.exists(), reason=f"evaluation data missing: {LABELED}")


def _rows() -> list[dict]:
    return [json.loads(x) for x in LABELED.read_text(encoding="utf-8").splitlines() if x.strip()]


def _write(path, rows) -> str:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return str(path)


@needs_data
def test_eval_classify_json_keys_test_and_cv(zw_env, tmp_path):
    rows = _rows()[:360]
    train, test = _write(tmp_path / "train.jsonl", rows[::2]), _write(tmp_path / "test.jsonl", rows[1::2])
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


@needs_data
def test_eval_classify_bad_files(zw_env, tmp_path):
    rows = _rows()[:60]
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n", encoding="utf-8")
    gbk = tmp_path / "gbk.jsonl"
    gbk.write_bytes(json.dumps(rows[0], ensure_ascii=False).encode("gbk", errors="replace"))
    nolabel = _write(tmp_path / "nolabel.jsonl", [{k: v for k, v in r.items() if k != "label_l1"} for r in rows])
    good = _write(tmp_path / "good.jsonl", rows)
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
    few = _write(tmp_path / "few.jsonl", rows[:40] + [dict(rows[0], label_l1="罕见类")])
    r = run_cli("eval", "classify", "--train", few, "--cv", "5")
    assert r.returncode == 2 and "折交叉验证" in r.stderr and "cross-validation" in r.stderr
    # a test label the training never saw is scored (F1 0), not an error
    unseen = _write(tmp_path / "unseen.jsonl", rows[:10] + [dict(rows[11], label_l1="新类别")])
    r = run_cli("eval", "classify", "--train", good, "--test", unseen, "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["per_class"]["新类别"]["f1"] == 0.0


@needs_data
def test_train_classify_and_duty_commands(zw_env, tmp_path):
    rows = _rows()
    hist = _write(tmp_path / "hist.jsonl", rows[:300] + [dict(rows[300], label_l1="不存在的类")])
    r = run_cli("hotline", "train", hist, "--label-field", "label_l1", "--json")
    assert r.returncode == 0, r.stderr
    rep = json.loads(r.stdout)
    assert rep["n"] == 300 and rep["skipped"] == {"不存在的类": 1}
    r = run_cli("hotline", "train", hist, "--label-field", "label_l1", env_extra={"ZHENGWU_ROLE": "agent"})
    assert r.returncode == 2 and "管理员" in r.stderr
    tickets = _write(tmp_path / "t.jsonl", [{"msg_id": x["msg_id"], "title": x["title"], "text": x["text"],
                                             "area": "岳麓区"} for x in rows[400:420]])
    r = run_cli("hotline", "classify", tickets, "--json")
    assert r.returncode == 0, r.stderr
    out = [json.loads(x) for x in r.stdout.splitlines()]
    assert [o["id"] for o in out] == [x["msg_id"] for x in rows[400:420]]
    assert all(len(o["suggestions"]) == 3 and o["department"].startswith("岳麓区") for o in out)
    one = tmp_path / "one.txt"
    one.write_text(rows[450]["text"], encoding="utf-8")
    r = run_cli("hotline", "classify", str(one), "--k", "2")
    assert r.returncode == 0 and "责任单位" in r.stdout and sum(x.startswith("  0.") for x in r.stdout.splitlines()) == 2
    r = run_cli("hotline", "classify")
    assert r.returncode == 2 and "--text" in r.stderr
    r = run_cli("hotline", "duty", "set", "城乡建设/市政设施/供水", "{area}供水公司", "--area", "岳麓区")
    assert r.returncode == 0, r.stderr
    lines = [json.loads(x) for x in run_cli("hotline", "duty", "list", "--json").stdout.splitlines()]
    assert lines[0] == {"category": "城乡建设/市政设施/供水", "area": "岳麓区", "responsible": "{area}供水公司",
                        "source": "department"}
    r = run_cli("hotline", "classify", "--title", "小区停水", "--text", rows[0]["text"][:10] + "，自来水停水三天", "--area",
                "岳麓区", "--json")
    d = json.loads(r.stdout)
    if d["suggestions"][0]["path"][:3] == ["城乡建设", "市政设施", "供水"]:
        assert d["department"] == "岳麓区供水公司"
    assert run_cli("hotline", "duty", "remove", "城乡建设/市政设施/供水", "--area", "岳麓区").returncode == 0
    assert run_cli("hotline", "duty", "remove", "城乡建设/市政设施/供水", "--area", "岳麓区").returncode == 2


def test_ten_thousand_tickets_in_one_file_nothing_lost(zw_env, tmp_path):
    """No model trained: the tree's keywords answer, for every one of 10,000 rows, in order."""
    from tests.conftest import CORPUS

    guides = CORPUS / "services" / "service_guides.jsonl"  # real government service guides
    if not guides.exists():
        pytest.skip(f"no real text to build tickets from: {guides}")
    real = [json.loads(x) for x in guides.read_text(encoding="utf-8").splitlines()[:500] if x.strip()]
    real = [(g.get("item_name") or "", (g.get("acceptance_conditions") or "")[:300]) for g in real]
    rows = [{"id": i, "title": real[i % len(real)][0], "text": real[i % len(real)][1]} for i in range(10_000)]
    r = run_cli("hotline", "classify", _write(tmp_path / "many.jsonl", rows), "--json")
    assert r.returncode == 0, r.stderr
    out = [json.loads(x) for x in r.stdout.splitlines()]
    assert [o["id"] for o in out] == list(range(10_000))


def test_taxonomy_commands(zw_env, tmp_path):
    r = run_cli("hotline", "taxonomy", "show", "--json")
    assert r.returncode == 0 and len(r.stdout.splitlines()) > 100
    mine = tmp_path / "tree.jsonl"
    rows = [json.loads(x) for x in r.stdout.splitlines()][:20]
    mine.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in rows), encoding="utf-8")
    r = run_cli("hotline", "taxonomy", "load", str(mine), "--dry-run")
    assert r.returncode == 0 and "removed" in r.stdout and "would load" in r.stdout
    assert len(run_cli("hotline", "taxonomy", "show").stdout.splitlines()) > 100  # dry run changed nothing
    r = run_cli("hotline", "taxonomy", "load", str(mine))
    assert r.returncode == 0 and "review them" in r.stdout and "open tickets: 0" in r.stdout
    assert len(run_cli("hotline", "taxonomy", "show").stdout.splitlines()) == 20
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json", encoding="utf-8")
    r = run_cli("hotline", "taxonomy", "load", str(bad))
    assert r.returncode == 2 and "JSON" in r.stderr
