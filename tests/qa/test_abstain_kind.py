"""The abstention's evidence of the thirteenth round: which kind of question it is.

A few of data/demo's documents go into a real store; questions written for these tests (not the everyday sets')
go through the product path — rewrite, search, the coverage filter, the ranker — and the abstention's evidence
(`evidence.basis_features`) is read: a citizen's phrasing and a phrasing copied from a document are told apart
(`colloquial`, `citizen_kind`), and a model fitted with `bench/fit_abstain.py --by-kind` judges each kind with its
own weights.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.qa.conftest import ingest_demo, judged
from zhengwu.qa import abstain

DOCS = {"gz-policy-11", "gz-policy-16", "gz-policy-19", "gz-policy-21", "gz-policy-29", "gz-guide-22",
        "law-社会救助暂行办法-2019-03-02", "law-居住证暂行条例-2015-11-26"}


@pytest.fixture
def demo_kb(zw_env, tmp_path: Path):
    ingest_demo(tmp_path, DOCS)
    return zw_env


@pytest.mark.parametrize("question, kind", [
    ("我闺女刚毕业想自己开店，政府能补多少钱啊", 1.0),
    ("失业了咋领失业金", 1.0),
    ("家里老人想办社保卡，有没有上门办的", 1.0),
    ("高校毕业生创业补贴的申请条件是什么？", 0.0),
    ("临时救助的审批时限为多少个工作日？", 0.0),
    ("灵活就业人员参加基本养老保险的缴费基数如何确定？", 0.0),
])
def test_the_kind_of_question_a_citizen_s_phrasing_or_one_copied_from_a_document(question, kind):
    assert abstain.colloquial(question) == kind


def test_the_kind_of_question_reaches_the_evidence_with_the_same_document_cited(demo_kb):
    """Asked both ways, the same matter finds the same document; only the kind of question differs."""
    cited_c, f_c = judged("我刚大学毕业想自己创业，政府给不给补贴啊")
    cited_f, f_f = judged("高校毕业生一次性创业补贴的申请条件是什么？")
    assert cited_c == cited_f == "gz-policy-16"
    assert f_c["colloquial"] == 1.0 and f_f["colloquial"] == 0.0
    assert abstain.citizen_kind(f_c) and not abstain.citizen_kind(f_f)


def test_a_model_with_a_citizen_part_judges_each_kind_of_question_with_its_own_weights(demo_kb):
    """The same evidence, once of the citizens' kind and once not: a model fitted with --by-kind judges the first
    with its `citizen` part, the second with its own; a model without one judges both alike."""
    import numpy as np

    _, f = judged("高校毕业生一次性创业补贴的申请条件是什么？")
    assert not abstain.citizen_kind(f)
    n = len(abstain.FEATURES)
    own = {"mean": [0.0] * n, "scale": [1.0] * n, "weights": [0.0] * n, "bias": 2.0}
    citizen = {**own, "bias": -2.0}
    as_citizen = {**f, "colloquial": 1.0}
    assert abstain.citizen_kind(as_citizen)
    model = {**own, "citizen": citizen}
    assert abstain.probability(f, model) == pytest.approx(1 / (1 + np.exp(-2.0)))
    assert abstain.probability(as_citizen, model) == pytest.approx(1 / (1 + np.exp(2.0)))
    assert abstain.probability(as_citizen, own) == abstain.probability(f, own)


def test_fit_abstain_by_kind_fits_and_predicts_each_kind_apart():
    """bench/fit_abstain.py --by-kind: rows of the citizens' kind get the `citizen` part's probabilities; its
    parameters are written with the model's."""
    import importlib.util

    import numpy as np

    path = Path(__file__).resolve().parents[2] / "bench" / "fit_abstain.py"
    spec = importlib.util.spec_from_file_location("fit_abstain_for_kind_test", path)
    fit = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fit)  # type: ignore[union-attr]
    rng = np.random.default_rng(0)
    n = len(abstain.FEATURES)
    x = rng.normal(size=(400, n))
    kinds = np.arange(400) % 2 == 0
    x[:, abstain.FEATURES.index("colloquial")] = kinds.astype(float)
    x[:, abstain.FEATURES.index("citizen_words")] = 0.0
    j = abstain.FEATURES.index("doc_coverage")
    # the evidence points one way for one kind and the other way for the other
    y = np.where(kinds, x[:, j] > 0, x[:, j] < 0).astype(float)
    used = np.ones(n, dtype=bool)
    assert (fit.kinds_of(x) == kinds).all()
    one = fit.fit_model(x, y, np.ones(400), used, 1e-3)
    two = fit.fit_model(x, y, np.ones(400), used, 1e-3, kinds)
    right = lambda p: float(((p >= 0.5) == (y > 0)).mean())  # noqa: E731
    assert right(fit.predict_model(two, x, kinds)) > 0.9 > right(fit.predict_model(one, x, kinds))
    stored = fit._params(two)
    assert set(stored["citizen"]) == {"mean", "scale", "weights", "bias"} and "citizen" not in stored["citizen"]


def test_the_shipped_embedder_model_has_a_part_for_the_citizens_kind_the_lexical_one_not():
    """Thirteenth round: the embedder mode's model is fitted per kind (its `citizen` part), the lexical model stays
    one model; neither leaks into the other through `load`."""
    with_vectors, lexical = abstain.load(vectors=True), abstain.load(vectors=False)
    n = len(abstain.FEATURES)
    assert len(with_vectors["citizen"]["weights"]) == n and with_vectors["citizen"] != {
        k: with_vectors[k] for k in ("mean", "scale", "weights", "bias")}
    assert "citizen" not in lexical
    # `colloquial` only chooses the part: no weight of its own in either
    j = abstain.FEATURES.index("colloquial")
    assert with_vectors["weights"][j] == with_vectors["citizen"]["weights"][j] == lexical["weights"][j] == 0.0
