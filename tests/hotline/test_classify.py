"""Classification on real citizen messages (TipDM 2020, evaluation only: skipped when the data is missing):
zero-shot suggestions from the tree, training from history, corrections, tenants and roles."""

from __future__ import annotations

import json
import random

import pytest

from tests.conftest import EVAL
from zhengwu.context import Caller
from zhengwu.errors import Forbidden, ZhengwuError
from zhengwu.hotline import classify, dispatch
from zhengwu.hotline import taxonomy as tx
from zhengwu.hotline.classify_models import Example

LABELED = EVAL / "citizen_messages" / "labeled.dev.jsonl"
pytestmark = pytest.mark.skipif(not LABELED.exists(), reason=f"evaluation data missing: {LABELED}")

ADMIN = Caller("admin1", "city12345", "admin")
AGENT = Caller("agent1", "city12345", "agent")
OTHER = Caller("admin2", "county12345", "admin")


@pytest.fixture(scope="module")
def split() -> tuple[list[dict], list[dict]]:
    rows = [json.loads(x) for x in LABELED.read_text(encoding="utf-8").splitlines() if x.strip()]
    random.Random(3).shuffle(rows)
    cut = int(len(rows) * 0.8)
    return rows[:cut], rows[cut:]


def _level1(tree: tx.Taxonomy, label: str) -> str:
    return tree.level1_of(label)


def test_untrained_suggestions_come_from_the_tree(zw_env, split):
    tree = tx.default()
    _, test = split
    right = answered = 0
    for r in test:
        sugg = classify.suggest(AGENT, r["title"], r["text"])
        assert len(sugg) <= 3
        assert [s.confidence for s in sugg] == sorted((s.confidence for s in sugg), reverse=True)
        assert all(0 < s.confidence <= 0.6 and s.source == "keywords" for s in sugg)
        assert all(tree.get(s.code) is not None and list(tree.get(s.code).path) == s.path for s in sugg)
        if sugg:
            answered += 1
            right += sugg[0].path[0] == _level1(tree, r["label_l1"])
    # names and keywords alone: far better than chance among 15 level-1 classes, far from a trained model
    assert answered > 0.8 * len(test) and right / len(test) > 0.4


def test_trained_model_suggests_well_and_stays_in_its_department(zw_env, split):
    train, test = split
    report = classify.train(ADMIN, train, label_field="label_l1")
    assert report.n == len(train) and not report.skipped and report.corrections == 0
    tree = classify.taxonomy_for(ADMIN)
    top1 = top3 = 0
    sugg_all = classify.suggest_many(AGENT, [(r["title"], r["text"]) for r in test])
    for r, sugg in zip(test, sugg_all):
        assert len(sugg) == 3 and all(s.source == "model" for s in sugg)
        assert sugg[0].confidence >= sugg[1].confidence >= sugg[2].confidence
        assert 0 < sum(s.confidence for s in sugg) <= 1.0001
        gold = _level1(tree, r["label_l1"])
        top1 += sugg[0].path[0] == gold
        top3 += any(s.path[0] == gold for s in sugg)
        assert dispatch.department_for(AGENT, sugg[0].path, None)
    assert top1 / len(test) >= 0.75 and top3 / len(test) >= 0.92
    # the same call one suggestion at a time gives the same answer
    one = classify.suggest(AGENT, test[0]["title"], test[0]["text"])
    assert [s.code for s in one] == [s.code for s in sugg_all[0]]
    # another department has no model: it gets the tree's keyword suggestions, not this department's model
    assert all(s.source == "keywords" for s in classify.suggest(OTHER, test[0]["title"], test[0]["text"]))


def test_confidence_is_calibrated_on_held_out_messages(zw_env, split):
    train, test = split
    classify.train(ADMIN, train, label_field="label_l1")
    tree = classify.taxonomy_for(ADMIN)
    sugg = classify.suggest_many(AGENT, [(r["title"], r["text"]) for r in test], k=1)
    conf = [s[0].confidence for s in sugg]
    right = [s[0].path[0] == _level1(tree, r["label_l1"]) for s, r in zip(sugg, test)]
    mean_conf, acc = sum(conf) / len(conf), sum(right) / len(right)
    assert abs(mean_conf - acc) < 0.12, (mean_conf, acc)
    ranked = [r for _, r in sorted(zip(conf, right), key=lambda t: -t[0])]
    half = len(ranked) // 2
    assert sum(ranked[:half]) / half > sum(ranked[half:]) / (len(ranked) - half)  # surer means right more often


def test_corrections_are_kept_and_folded_into_the_next_training(zw_env, split):
    train, test = split
    classify.train(ADMIN, train[:200], label_field="label_l1")
    tree = classify.taxonomy_for(ADMIN)
    wrong = []
    for r in test:
        s = classify.suggest(AGENT, r["title"], r["text"], k=1)[0]
        if s.path[0] != _level1(tree, r["label_l1"]):
            wrong.append(r)
    assert wrong
    for r in wrong:
        classify.record_correction(AGENT, r["title"], r["text"], [r["label_l1"]])
    from zhengwu.store import session_scope
    with session_scope() as s:
        stored = s.query(Example).filter_by(department=AGENT.department, source="correction").all()
    assert len(stored) == len(wrong) and {e.user for e in stored} == {"agent1"}
    report = classify.train(ADMIN)  # no new history: retrain on what is stored
    assert report.n == 200 + len(wrong) and report.corrections == len(wrong)
    fixed = sum(classify.suggest(AGENT, r["title"], r["text"], k=1)[0].path[0] == _level1(tree, r["label_l1"])
                for r in wrong)
    assert fixed >= 0.8 * len(wrong)


def test_roles_and_bad_labels(zw_env, split):
    train, _ = split
    with pytest.raises(Forbidden):
        classify.train(AGENT, train, label_field="label_l1")
    with pytest.raises(ZhengwuError) as e:
        classify.record_correction(AGENT, train[0]["title"], train[0]["text"], ["不存在的分类"])
    assert e.value.code == "category_unknown"
    with pytest.raises(ZhengwuError):
        classify.record_correction(AGENT, "  ", "", ["城乡建设"])
    # unknown labels are reported, not stored; the known ones are trained on
    odd = [dict(train[i], label_l1="外星事务") for i in range(5)]
    report = classify.train(ADMIN, train[:100] + odd, label_field="label_l1")
    assert report.skipped == {"外星事务": 5} and report.n == 100
    # a single class cannot make a classifier: a clear error, and the earlier model still answers
    one_class = [r for r in train if r["label_l1"] == "教育文体"]
    with pytest.raises(ZhengwuError) as e:
        classify.train(ADMIN, one_class, label_field="label_l1", replace=True)
    assert e.value.code == "train_too_few"
    assert classify.suggest(AGENT, train[0]["title"], train[0]["text"])[0].source == "model"
    assert classify.train(ADMIN).n == 100  # the failed replace lost none of the stored history


def test_a_new_tree_reports_removed_codes_and_keeps_suggesting(zw_env, split, tmp_path):
    train, test = split
    tipdm = EVAL / "citizen_messages" / "taxonomy.jsonl"
    if not tipdm.exists():
        pytest.skip(f"evaluation data missing: {tipdm}")
    ch = classify.set_taxonomy(ADMIN, tx.load(tipdm))
    assert ch["removed"] and all(r["path"] for r in ch["removed"])
    assert classify.taxonomy_for(OTHER).source == "default"  # the other department keeps ours
    report = classify.train(ADMIN, train, label_field="label_l1")
    assert "卫生计生" in report.labels  # this tree's own spelling
    s = classify.suggest(AGENT, test[0]["title"], test[0]["text"])[0]
    assert classify.taxonomy_for(AGENT).find(s.path) is not None
    with pytest.raises(Forbidden):
        classify.set_taxonomy(AGENT, tx.default())


def test_a_tree_change_reports_open_tickets_on_retired_codes(zw_env, split):
    from zhengwu.hotline.tickets import create_ticket, get_ticket

    _, test = split
    tree = tx.default()
    leaf = tree.categories[0]
    made = []
    for r in test[:2]:
        made.append(create_ticket(AGENT, {"title": r["title"], "text": r["text"], "category_code": leaf.code,
                                          "category_path": list(leaf.path)}))
    create_ticket(Caller("agent2", "county12345", "agent"), {"title": test[2]["title"], "text": test[2]["text"],
                                                            "category_code": leaf.code, "category_path": list(leaf.path)})
    smaller = tx.parse_rows([r for r in tree.to_rows() if r["code"] != leaf.code], source="smaller")
    dry = classify.set_taxonomy(ADMIN, smaller, dry_run=True)
    gone = [e for e in dry["removed"] if e["code"] == leaf.code]
    assert gone == [{"code": leaf.code, "path": list(leaf.path), "open_tickets": 2}] and dry["open_tickets"] == 2
    assert classify.taxonomy_for(ADMIN).source == "default"  # a dry run changes nothing
    classify.set_taxonomy(ADMIN, smaller)
    assert classify.taxonomy_for(ADMIN).get(leaf.code) is None
    kept = get_ticket(AGENT, made[0]["id"])
    assert kept["category_code"] == leaf.code and kept["category_path"] == list(leaf.path)  # nothing rewritten
