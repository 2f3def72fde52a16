"""`zhengwu hotline train|classify|duty|taxonomy` as real subprocesses, with the bad input a careless user
sends and 10,000 rows in one file (`zhengwu eval classify`: test_classify_cli.py)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import run_cli
from tests.hotline.conftest import labeled_rows, needs_labeled, write_rows


@needs_labeled
def test_train_classify_and_duty_commands(zw_env, tmp_path):
    rows = labeled_rows()
    hist = write_rows(tmp_path / "hist.jsonl", rows[:300] + [dict(rows[300], label_l1="不存在的类")])
    r = run_cli("hotline", "train", hist, "--label-field", "label_l1", "--json")
    assert r.returncode == 0, r.stderr
    rep = json.loads(r.stdout)
    assert rep["n"] == 300 and rep["skipped"] == {"不存在的类": 1}
    r = run_cli("hotline", "train", hist, "--label-field", "label_l1", env_extra={"ZHENGWU_ROLE": "agent"})
    assert r.returncode == 2 and "管理员" in r.stderr
    tickets = write_rows(tmp_path / "t.jsonl", [{"msg_id": x["msg_id"], "title": x["title"], "text": x["text"],
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
    r = run_cli("hotline", "classify", write_rows(tmp_path / "many.jsonl", rows), "--json")
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


def test_ticket_commands_and_the_app_start_without_the_model_libraries(zw_env):
    """Building the app and importing the ticket and job modules (every server start, every `zhengwu hotline`
    command) loads neither scikit-learn nor scipy.stats: they cost 1.5-4 s of start-up and only fitting, applying
    a trained model or mining bursts uses them — which still works, the model being loaded where it is used."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    script = ("import sys\nfrom zhengwu.web.app import create_app\nimport zhengwu.hotline.tickets, zhengwu.hotline.jobs\n"
              "create_app()\nprint(sorted(m for m in sys.modules if m.split('.')[0] == 'sklearn' or "
              "m.startswith('scipy.stats')))\n"
              "from zhengwu.hotline.textmodel import TextModel, normalise\n"
              "docs = [normalise(t, t) for t in ('路灯不亮', '路灯坏了', '噪音扰民', '夜间施工噪音')]\n"
              "print(TextModel().fit(docs, ['a', 'a', 'b', 'b']).predict(docs).tolist())\n")
    r = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    loaded, predicted = r.stdout.splitlines()[-2:]
    assert loaded == "[]", loaded
    assert predicted == "['a', 'a', 'b', 'b']"
