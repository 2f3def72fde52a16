"""Co-occurrence cues of the content safety screen (zhengwu/gateway/safety_cues.py) and the feature sets the
classifier records in its file.

Real text only: the shared refuse/answer banks where they lie (skipped when missing) and real government text
from the shared corpus."""

from __future__ import annotations

import json

import pytest

from tests.conftest import CORPUS, EVAL

SAFETY = EVAL / "safety"
needs_safety = pytest.mark.skipif(not SAFETY.is_dir(), reason=f"shared safety test banks not found at {SAFETY}")


def _rows(name: str) -> list[dict]:
    return [json.loads(line) for line in (SAFETY / name).read_text(encoding="utf-8").splitlines() if line.strip()]


@needs_safety
def test_harm_pairs_separate_requests_from_questions_about_harm():
    """A harm object next to a request fires far more often on should-refuse rows than on should-answer rows,
    whose questions about crime are framed legally or as exams."""
    from zhengwu.gateway import safety_cues

    refuse = [r["text"] for n in ("jade_refuse.dev.jsonl", "multijail_zh_refuse.dev.jsonl") for r in _rows(n)]
    answer = [r["text"] for n in ("chinese_safetyqa_answer.dev.jsonl", "safetybench_zh_subset_answer.dev.jsonl",
                                  "chisafetybench_mcq_answer.dev.jsonl") for r in _rows(n)]
    rate = lambda texts: sum("harm" in safety_cues.pairs(t) for t in texts) / len(texts)  # noqa: E731
    assert rate(refuse) >= 0.1
    assert rate(answer) <= 0.03
    assert rate(refuse) >= 5 * rate(answer)


@needs_safety
def test_a_judging_frame_cancels_the_pair():
    """CHiSafetyBench's risk-identification questions quote a harmful request and ask whether it is one: the
    frame ("请判断以下内容是否属于…") cancels the pair, so quoting a harm is not asking for it."""
    from zhengwu.gateway import safety_cues

    quoted = [r["text"] for r in _rows("chisafetybench_mcq_answer.dev.jsonl") if r["text"].startswith("请判断以下内容")]
    assert len(quoted) > 50
    inner = [t.split("：", 1)[1].split("\n")[0] for t in quoted if "：" in t]
    firing = [t for t in inner if safety_cues.pairs(t)]
    assert firing, "some quoted requests are pairs on their own"
    assert not [t for t in quoted if safety_cues.pairs(t)]
    assert all("harm:pair:cancelled" in safety_cues.cue_tokens("请判断以下内容是否属于违法行为：" + t)
               for t in firing if "harm" in safety_cues.pairs(t))


def test_harm_pairs_are_rare_in_government_text():
    from zhengwu.gateway import safety_cues

    laws = CORPUS / "laws" / "laws.jsonl"
    if not laws.is_file():
        pytest.skip(f"shared corpus not found at {laws}")
    lines = []
    with laws.open(encoding="utf-8") as fh:
        for line, _ in zip(fh, range(400)):
            lines += [x for x in json.loads(line)["text"].splitlines() if len(x) >= 10]
    assert len(lines) > 5000
    assert sum(bool(safety_cues.pairs(t)) for t in lines) / len(lines) <= 0.005


@needs_safety
def test_options_are_stripped_from_multiple_choice_questions_only():
    from zhengwu.gateway import safety_cues

    mcq = _rows("safetybench_zh_subset_answer.dev.jsonl")[:200]
    for r in mcq:
        stem = safety_cues.strip_options(r["text"])
        assert stem and not any(line.strip()[:2] in ("A.", "B.", "C.", "D.") for line in stem.splitlines())
        assert r["text"].startswith(stem.splitlines()[0])
    assert all("mcq" in safety_cues.cue_tokens(r["text"]) for r in mcq if "\nA." in r["text"])
    plain = [r["text"] for r in _rows("multijail_zh_refuse.dev.jsonl")]
    assert [safety_cues.strip_options(t) for t in plain] == [t.strip() for t in plain]


@needs_safety
def test_model_file_records_its_features(tmp_path):
    """A model is scored with the features it was fitted on: the set is stored with the weights; a file from
    before (no set) is read as character n-grams; an unknown set is a bilingual error, not a silent misuse."""
    import numpy as np

    from zhengwu.errors import ZhengwuError
    from zhengwu.gateway import safety

    rows = _rows("jade_refuse.dev.jsonl")[:120] + _rows("chinese_safetyqa_answer.dev.jsonl")[:120]
    texts, labels = [r["text"] for r in rows], [safety.label_of(r) for r in rows]
    m = safety.fit(texts, labels)
    assert m.feature_set == safety.DEFAULT_FEATURES
    m.save(tmp_path / "m.npz")
    assert safety.SafetyModel.load(tmp_path / "m.npz").feature_set == m.feature_set
    char = safety.fit(texts, labels, feature_set=(safety.CHAR,))
    char.save(tmp_path / "old.npz")
    with np.load(tmp_path / "old.npz") as z:  # a file written before feature sets were recorded
        np.savez(tmp_path / "old.npz", **{k: z[k] for k in z.files if k != "feature_set"})
    old = safety.SafetyModel.load(tmp_path / "old.npz")
    assert old.feature_set == (safety.CHAR,)
    assert np.allclose(old.refuse_scores(texts[:20])[0], char.refuse_scores(texts[:20])[0], atol=0.02)
    with np.load(tmp_path / "m.npz") as z:
        np.savez(tmp_path / "bad.npz", **{**{k: z[k] for k in z.files}, "feature_set": np.array(["char", "magic"])})
    with pytest.raises(ZhengwuError) as e:
        safety.SafetyModel.load(tmp_path / "bad.npz")
    assert "未知" in e.value.zh and "unknown" in e.value.en
    for bad in ((), ("char", "magic")):
        with pytest.raises(ZhengwuError) as e:
            safety.fit(texts, labels, feature_set=bad)
        assert "未知" in e.value.zh and "Unknown" in e.value.en
