"""The learned fact reader (zhengwu/match/learned.py, weights in zhengwu/match/data/fact_reader.json): it only adds
what the rules left unread, never about a relative, never over a fact read or a conflict, marks what it adds as
inferred, and serves from its coefficients without scikit-learn. Phrasings here are our own, not from a case set."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

from zhengwu.context import Caller
from zhengwu.match import learned
from zhengwu.match.catalog import load_catalog
from zhengwu.match.facts import complete_with_learned, read_facts

TODAY = dt.date(2026, 11, 29)
ROOT = Path(__file__).resolve().parents[2]
PERMIT_RENEWED = "我在广州上班七年了，居住证每年都有在续，社保交了六年"


def test_adds_a_fact_the_rules_leave_unread_and_says_where_it_came_from():
    rules = read_facts(PERMIT_RENEWED, today=TODAY)
    assert "residence_permit_local" not in rules.facts        # the rules do not read "居住证…在续"
    reading = complete_with_learned(PERMIT_RENEWED, rules)
    assert reading.facts["residence_permit_local"] is True
    found = reading.inferred["residence_permit_local"]
    assert found["words"] == "居住证每年都有在续" and found["probability"] >= learned.shipped().threshold
    assert {k: v for k, v in reading.facts.items() if k != "residence_permit_local"} == rules.facts
    assert set(reading.inferred) == set(reading.facts) - set(rules.facts)


def test_nothing_about_a_relative_or_from_a_question_or_a_wish():
    for text in ("我老婆的居住证每年都有在续，我自己在广州上班",      # the spouse's permit
                 "我妈妈的居住证每年都有在续，我在广州做保洁",         # the mother's
                 "居住证每年都有在续吗",                            # a question
                 "老板叫我去办个居住证"):                           # an errand: nothing held yet
        reading = complete_with_learned(text, read_facts(text, today=TODAY))
        assert "residence_permit_local" not in reading.facts, text
        assert "residence_permit_local" not in reading.inferred, text


def test_written_for_a_relative_reads_the_relatives_clauses_not_the_writers():
    text = "帮我爸问一下，他的居住证每年都有在续"
    assert learned.additions(text, {}, {}, [])["residence_permit_local"]["value"] is True
    text = "帮我爸问一下，我自己的居住证每年都有在续"
    assert "residence_permit_local" not in learned.additions(text, {}, {}, [])


def test_never_overrides_a_read_fact_a_conflict_or_an_error():
    assert learned.additions(PERMIT_RENEWED, {}, {}, [])["residence_permit_local"]["value"] is True
    assert "residence_permit_local" not in learned.additions(PERMIT_RENEWED, {"residence_permit_local": False}, {}, [])
    assert "residence_permit_local" not in learned.additions(
        PERMIT_RENEWED, {}, {"residence_permit_local": [True, False]}, [])
    assert "residence_permit_local" not in learned.additions(
        PERMIT_RENEWED, {}, {}, [{"fact": "residence_permit_local", "value": "?", "zh": "", "en": ""}])
    stated = "我在广州上班七年了，没有居住证，社保交了六年"      # the rules read the negation: it stands
    reading = complete_with_learned(stated, read_facts(stated, today=TODAY))
    assert reading.facts["residence_permit_local"] is False and reading.inferred == {}


def test_two_values_of_one_fact_add_nothing():
    weights = learned.Weights(threshold=0.5, models=(
        learned.Model("stable_job", True, 5.0, {}), learned.Model("stable_job", False, 5.0, {})))
    assert learned.additions("我在厂里上班", {}, {}, [], weights) == {}


def test_the_inferred_mark_reaches_the_result_json(zw_env, monkeypatch):
    from zhengwu.config import reset_settings
    from zhengwu.match.service import match_text, result_dict
    from zhengwu.match.store import import_catalog

    admin, clerk = Caller("admin-a", "civil-affairs", "admin"), Caller("clerk-a", "civil-affairs", "officer")
    import_catalog(admin, load_catalog(Path(__file__).parent / "fixtures" / "catalog_subset.yaml"), publish=True)
    text = "我今年65岁，湖南户口，在广州住了十年，居住证每年都有在续"
    off = result_dict(match_text(clerk, text, today=TODAY))           # default: rules only
    assert off["inferred"] == {} and "residence_permit_local" not in off["facts"]
    monkeypatch.setenv("ZHENGWU_MATCH_LEARNED_READER", "true")
    reset_settings()
    on = json.loads(json.dumps(result_dict(match_text(clerk, text, today=TODAY)), ensure_ascii=False))
    assert on["facts"]["residence_permit_local"] is True
    assert on["inferred"]["residence_permit_local"]["words"] == "居住证每年都有在续"
    assert on["policies"]["gz-policy-33"] == "eligible"                # 60+ and a permit, the permit inferred
    answered = match_text(clerk, text, today=TODAY, answers={"residence_permit_local": False})
    assert answered.inferred == {} and answered.facts["residence_permit_local"] is False  # the resident corrects it


def test_the_weights_serve_without_training_libraries():
    code = ("import sys; sys.modules['sklearn'] = None; sys.modules['scipy'] = None; sys.modules['numpy'] = None\n"
            "from zhengwu.match import learned\n"
            f"print(learned.additions({PERMIT_RENEWED!r}, {{}}, {{}}, [])['residence_permit_local']['value'])")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
    data = json.loads((ROOT / "zhengwu/match" / learned.WEIGHTS).read_text("utf-8"))
    assert 0.5 <= data["threshold"] <= 1.0 and data["models"]
    assert "cases_fresh7.jsonl" not in data["trained_on"]             # the lead's unseen set is never trained on
