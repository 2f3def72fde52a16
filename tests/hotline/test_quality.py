"""Quality inspection on the government's real replies (replies.dev.jsonl, eval-only) and on real replies edited
the way a careless agent would: every result shows its evidence, and the checklist is configurable."""

from __future__ import annotations

import json
import statistics

import pytest

from tests.hotline.workspace_data import eval_rows
from zhengwu.errors import ZhengwuError
from zhengwu.hotline.quality import DEFAULT_CHECKLIST, appeal_points, inspect, load_checklist, parse_checklist


def _item(report, iid: str):  # noqa: ANN001, ANN202
    return next(i for i in report.items if i.id == iid)


@pytest.fixture(scope="module")
def replies() -> list[dict]:
    return eval_rows("replies.dev.jsonl")


def test_default_checklist_has_the_items_of_the_issue():
    cl = load_checklist()
    ids = [i["id"] for i in cl.items]
    for needed in ("greeting", "identity", "commitment", "forbidden", "appeal", "politeness", "closing"):
        assert needed in ids
    assert cl.total_weight == 100


def test_real_replies_score_distribution_and_evidence(replies):
    reports = [inspect(r["reply"], appeal=r["text"]) for r in replies]
    scores = [r.score for r in reports]
    assert all(0 <= s <= 100 for s in scores)
    assert statistics.pstdev(scores) > 5  # the checklist tells replies apart
    for rep, row in zip(reports[:300], replies[:300]):
        for item in rep.items:
            for ev in item.evidence:  # every piece of evidence is where it says it is
                text = row["reply"] if ev.source == "reply" else row["text"]
                if ev.span:
                    assert text[ev.span[0]:ev.span[1]].strip() == ev.text
        if _item(rep, "greeting").passed:
            assert any(w in row["reply"][:80] for w in ("您好", "你好", "尊敬的", "感谢您", "谢谢您"))


def test_appeal_coverage_separates_real_replies_from_replies_to_other_messages(replies):
    """A reply answers its own message's appeal far more often than another message's (a check that could fail)."""
    rows = replies[:600]
    own = statistics.mean(_item(inspect(r["reply"], appeal=r["text"]), "appeal").earned for r in rows)
    other = statistics.mean(_item(inspect(r["reply"], appeal=o["text"]), "appeal").earned
                            for r, o in zip(rows, rows[300:] + rows[:300]))
    assert own > 3 * other


def test_careless_edits_of_a_real_reply_are_caught(replies):
    row = next(r for r in replies if r["reply"].startswith("网友") and "您好" in r["reply"][:30])
    good = inspect(row["reply"], appeal=row["text"])
    assert _item(good, "greeting").passed and _item(good, "forbidden").passed

    rude = row["reply"] + "这事不归我们管，你自己去找别人。"
    bad = inspect(rude, appeal=row["text"])
    forb = _item(bad, "forbidden")
    assert not forb.passed and bad.critical_failed and bad.grade_zh == "待改进"
    found = [e.text for e in forb.evidence]
    assert "不归我们管" in found and any("自己去找" in t for t in found)
    for e in forb.evidence:
        assert rude[e.span[0]:e.span[1]] == e.text and e.span[0] >= len(row["reply"])

    cut = row["reply"][row["reply"].index("您好") + 3:]
    assert not _item(inspect(cut, appeal=row["text"]), "greeting").passed


def test_without_an_appeal_that_item_is_not_scored(replies):
    row = next(r for r in replies if inspect(r["reply"], appeal=r["text"]).score < 100)
    alone = inspect(row["reply"])
    item = _item(alone, "appeal")
    assert item.applicable is False and "不计分" in item.note_zh
    others = [i for i in alone.items if i.applicable]
    assert alone.score == round(100 * sum(i.earned for i in others) / sum(i.weight for i in others), 1)


def test_commitment_needs_a_deadline(replies):
    row = next(r for r in replies if not _item(inspect(r["reply"], appeal=r["text"]), "commitment").passed)
    plain = _item(inspect(row["reply"], appeal=row["text"]), "commitment")
    assert "缺" in plain.note_zh and plain.earned == 0
    added = row["reply"] + "我们将督促承办单位在5个工作日内办结并回复您。"
    promised = _item(inspect(added, appeal=row["text"]), "commitment")
    assert promised.passed and promised.earned == promised.weight
    assert all(added[e.span[0]:e.span[1]] == e.text for e in promised.evidence)
    assert any(e.span[0] >= len(row["reply"]) for e in promised.evidence)  # the added sentence supplied what was missing


def test_appeal_points_are_the_asking_clauses(replies):
    row = next(r for r in replies if "？" in r["text"])
    points = appeal_points(row["text"])
    assert points and all(row["text"][a:b].strip() == t for t, (a, b) in points)
    assert any("？" in t for t, _ in points)


def test_a_custom_checklist_and_bad_ones(tmp_path, replies):
    data = json.loads(DEFAULT_CHECKLIST.read_text(encoding="utf-8"))
    data["items"] = [i for i in data["items"] if i["id"] in ("greeting", "closing")]
    data["items"][0]["patterns"] = ["^网友"]
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    row = next(r for r in replies if r["reply"].startswith("网友"))
    rep = inspect(row["reply"], checklist=path)
    assert [i.id for i in rep.items] == ["greeting", "closing"] and _item(rep, "greeting").passed

    for broken, code in ((["not", "an", "object"], "bad_checklist"),
                         ({"items": [{"id": "x", "kind": "present", "weight": 1, "patterns": ["(unclosed"]}]}, "bad_checklist"),
                         ({"items": [{"id": "x", "kind": "sometimes", "weight": 1}]}, "bad_checklist")):
        with pytest.raises(ZhengwuError) as err:
            parse_checklist(broken, "test.json")
        assert err.value.code == code and err.value.zh and err.value.en
    with pytest.raises(ZhengwuError) as err:
        inspect("您好", checklist=tmp_path / "missing.json")
    assert err.value.code == "checklist_missing"


def test_bad_replies_are_refused_clearly():
    for reply in ("", "   ", None):
        with pytest.raises(ZhengwuError) as err:
            inspect(reply)  # type: ignore[arg-type]
        assert err.value.code == "empty_reply" and "答复" in err.value.zh
    with pytest.raises(ZhengwuError) as err:
        inspect("您好" * 20000)
    assert err.value.code == "reply_too_long"


def test_eval_quality_command(zw_env, tmp_path, replies):
    from tests.conftest import run_cli

    sample = tmp_path / "sample.jsonl"  # a run-time subset of the eval file (never stored in the repository)
    sample.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in replies[:80]), encoding="utf-8")
    r = run_cli("eval", "quality", "--replies", str(sample), "--json", "--no-progress")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["n"] == 80 and 0 <= out["min"] <= out["median"] <= out["max"] <= 100
    assert set(out["item_pass_rate"]) >= {"greeting", "forbidden", "appeal"}
    assert out["appeal_coverage"] > out["appeal_coverage_other_message"]
    bad = run_cli("eval", "quality", "--replies", str(tmp_path / "missing.jsonl"))
    assert bad.returncode == 2 and "找不到文件" in bad.stderr + bad.stdout
