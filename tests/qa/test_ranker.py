"""The answer ranker: shipped weights, candidate spans on real documents, the listwise fit."""

from __future__ import annotations

import importlib.util
import json

import numpy as np
import pytest

from tests.qa.conftest import REAL_DOCS
from zhengwu.qa import ranker

ROOT = REAL_DOCS.parents[3]


def _doc(docid: str) -> dict:
    return next(r for r in map(json.loads, REAL_DOCS.read_text(encoding="utf-8").splitlines()) if r["docid"] == docid)


def _fit_module():  # noqa: ANN202 - the fitting script, loaded as a module
    spec = importlib.util.spec_from_file_location("fit_answer_ranker", ROOT / "bench" / "fit_answer_ranker.py")
    fit = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fit)
    return fit


def test_shipped_weights_match_the_features_and_record_their_validation():
    data = json.loads(ranker.WEIGHTS_FILE.read_text(encoding="utf-8"))
    assert tuple(data["features"]) == ranker.FEATURES
    assert tuple(data["sentence_features"]) == ranker.SENTENCE_FEATURES
    for models in (data["models"], data["models_with_vectors"]):  # lexical, and for candidates with vectors
        for name, width in (("sentence", len(ranker.SENTENCE_FEATURES)), ("within", len(ranker.WITHIN)),
                            ("span", len(ranker.FEATURES))):
            m = models[name]
            assert len(m["weights"]) == len(m["mean"]) == len(m["scale"]) == width
            assert all(s > 0 for s in m["scale"])
    dense = [ranker.FEATURES.index(f) for f in ("dense_sent", "dense_doc")]
    assert all(data["models"]["span"]["weights"][i] == 0 for i in dense)  # never fitted on vectors
    assert any(data["models_with_vectors"]["span"]["weights"][i] != 0 for i in dense)
    with_vectors, lexical = ranker.load_weights(vectors=True), ranker.load_weights(vectors=False)
    assert not np.allclose(with_vectors["within"][2], lexical["within"][2])
    cv = data["cross_validated"]
    assert cv["folds"] >= 2 and 0 < cv["citation_accuracy"] <= 1 and 0 < cv["answer_f1"] <= 1
    assert cv["everyday"]["n"] > 0 and 0 < cv["everyday"]["key_facts"] <= 1  # fitted on citizens' words too


def test_stale_weights_file_is_refused_with_a_reason(tmp_path):
    data = json.loads(ranker.WEIGHTS_FILE.read_text(encoding="utf-8"))
    data["features"] = data["features"][:-1]
    p = tmp_path / "w.json"
    p.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="refit"):
        ranker.load_weights(str(p))


def test_a_lexical_refit_keeps_the_set_for_vectors_and_its_space(tmp_path):
    """A lexical refit rewrote the file without `vector_space`: the embedder mode then silently lost its set."""
    shipped = json.loads(ranker.WEIGHTS_FILE.read_text(encoding="utf-8"))
    assert shipped["vector_space"] and shipped["models_with_vectors"]  # the shipped file holds both
    out = tmp_path / "w.json"
    out.write_text(json.dumps(shipped), encoding="utf-8")
    fit = _fit_module()
    doc = fit.keep_other_fit({"models": {"sentence": {}}, "cross_validated": {"n": 1}}, out)
    for key in fit.WITH_VECTORS_KEYS:
        assert doc[key] == shipped[key]
    assert doc["models"] == {"sentence": {}} and doc["cross_validated"] == {"n": 1}  # the new fit's own
    assert "vector_space" not in fit.keep_other_fit({"models": {}}, tmp_path / "absent.json")


@pytest.mark.parametrize("question, must, must_not", [
    ("春节放假几天？", "4天", "1天"),
    ("国庆节放假几天？", "3天", "4天"),
])
def test_the_sentence_naming_the_subject_answers_not_its_neighbour(question, must, must_not):
    doc = _doc("lrb-a719366336c28362")
    sn = ranker.choose_answer(question, [doc["text"]], priors=[1.0], titles=[doc["title"]])
    assert sn is not None and must in sn.text and must_not not in sn.text


def test_sentence_rows_append_the_pairwise_products():
    x = np.random.default_rng(1).random((3, len(ranker.FEATURES)))
    rows = ranker.sentence_rows(x)
    assert rows.shape == (3, len(ranker.SENTENCE_FEATURES))
    i, j = ranker.FEATURES.index("overlap"), ranker.FEATURES.index("prior")
    assert np.allclose(rows[:, ranker.SENTENCE_FEATURES.index("overlap*prior")], x[:, i] * x[:, j])


def test_candidates_cut_the_words_restating_the_question():
    doc = _doc("lrb-a719366336c28362")
    q = ranker.analyse("春节放假几天？")
    spans, x = ranker.candidates(q, [doc["text"]], priors=[1.0], titles=[doc["title"]])
    dense = [ranker.FEATURES.index(f) for f in ("dense_sent", "dense_doc")]
    assert x.shape == (len(spans), len(ranker.FEATURES))
    assert np.isfinite(np.delete(x, dense, axis=1)).all() and np.isnan(x[:, dense]).all()  # no vectors: missing
    spring = [s for s in spans if "春节" in s.sentence and "4天" in s.text]
    kinds = {s.kind for s in spring}
    assert "sent" in kinds and kinds & {"trim", "after", "tail"}
    assert any("春节" not in s.text for s in spring)  # a cut without the question's own words exists


def test_aspect_question_is_answered_by_its_whole_section():
    doc = _doc("gz-guide-22")
    sn = ranker.choose_answer("申领社保卡需要什么材料？", [doc["text"]], priors=[1.0], titles=[doc["title"]])
    assert sn is not None and "材料" in sn.heading
    assert "身份证件" in sn.text and "相片回执号" in sn.text


def test_listwise_fit_learns_which_feature_marks_the_target():
    fit = _fit_module()
    rng = np.random.default_rng(0)
    lists = []
    for _ in range(60):
        x = rng.normal(size=(8, 3))
        lists.append((x, (x[:, 1] == x[:, 1].max()).astype(float), 1.0))  # target: the row with the largest 2nd feature
    m = fit.listwise_fit(lists, tau=0.1, l2=1e-4, iters=300)
    assert int(np.argmax(np.abs(m["weights"]))) == 1 and m["weights"][1] > 0
    test = rng.normal(size=(50, 8, 3))
    hits = sum(int(np.argmax(((t - m["mean"]) / m["scale"]) @ m["weights"])) == int(np.argmax(t[:, 1])) for t in test)
    assert hits >= 45


def test_refit_within_keeps_the_shipped_sentence_and_span_models_and_fits_the_within_one():
    """`--refit within`: the document choice (sentence model) and the span choice stay as shipped; the within
    model learns which sentence of the gold document answers from the within features alone."""
    fit = _fit_module()
    rng = np.random.default_rng(1)
    at = ranker.WITHIN.index("focus")
    items = []
    for _ in range(40):
        x = rng.uniform(size=(6, len(ranker.FEATURES)))
        spans = [ranker.Span(text=f"s{j}", hit_index=0, sentence_index=j, sentence=f"s{j}", heading="", kind="sent")
                 for j in range(6)]
        focus = x[:, ranker.FEATURES.index("focus")]
        target = focus == focus.max()  # the answering sentence: the one with the most focus
        items.append({"spans": spans, "x": x, "gold": np.ones(6, bool), "f1": target.astype(float), "everyday": True})
    shipped = {k: {"mean": np.zeros(3), "scale": np.ones(3), "weights": np.arange(3.0)} for k in ("sentence", "span")}
    models = fit.fit(items, tau=0.1, l2=1e-4, docw=0.5, shipped=shipped)
    assert models["sentence"] is shipped["sentence"] and models["span"] is shipped["span"]
    w = models["within"]["weights"]
    assert len(w) == len(ranker.WITHIN) and int(np.argmax(w)) == at


def test_list_weights_decide_between_conflicting_lists():
    """An everyday list weighted above a policy list pulls the fit its way (--everyday-weight)."""
    fit = _fit_module()
    rng = np.random.default_rng(1)
    lists = []
    for k in range(80):  # half the lists mark the largest 1st feature, half the largest 2nd
        x = rng.normal(size=(6, 2))
        col = k % 2
        lists.append((x, (x[:, col] == x[:, col].max()).astype(float), 5.0 if col == 1 else 1.0))
    m = fit.listwise_fit(lists, tau=0.1, l2=1e-4, iters=300)
    assert m["weights"][1] > m["weights"][0] > 0


def test_fact_target_prefers_the_shorter_span_holding_the_same_facts():
    fit = _fit_module()
    short = "失业保险金领取期限最长为二十四个月。"
    long_ = "失业人员缴费时间一至四年的，每满一年，失业保险金领取期限为一个月；" + short
    assert fit.fact_target(short, ["二十四个月|24个月"]) > fit.fact_target(long_, ["二十四个月|24个月"]) > 0
    assert fit.fact_target("失业保险金按月发放。", ["二十四个月|24个月"]) == 0


def test_focus_marks_the_part_of_a_document_on_the_question_s_rarer_words():
    """In the 个税专项附加扣除 rules every chapter says 扣除; the question's 子女教育 singles out its chapter."""
    demo = ROOT / "data" / "demo" / "state_council_2018_2019.jsonl"
    doc = next(r for r in map(json.loads, demo.read_text(encoding="utf-8").splitlines())
               if r["id"] == "govcn-000014349/2018-00219")
    q = ranker.analyse("个人所得税的子女教育扣除每个月扣多少")
    ss = [(s, h) for s, h in ranker.X.sections(doc["text"]) if len(s) >= 4]
    focus = ranker._focus(q, [(h + " " + s).lower() for s, h in ss])
    best = ss[int(np.argmax(focus))]
    assert "子女" in best[0] + best[1]
    assert sum("扣除" in s for s, _ in ss) > 3  # the topic word is everywhere: it cannot single anything out


def _chunks(text: str, size: int = 120) -> list[str]:
    """The document cut at line ends into pieces of about `size` characters, as the chunker keeps sections."""
    out, cur = [], ""
    for line in text.splitlines(keepends=True):
        if cur and len(cur) + len(line) > size:
            out.append(cur)
            cur = ""
        cur += line
    return out + [cur] if cur else out


def test_the_chunk_closest_in_meaning_is_evidence_for_its_sentences_and_missing_vectors_are_not():
    """dense_sent: the cosine of the query and the chunk holding a sentence, less the document's best; dense_doc:
    the document's best less the best candidate's. Without vectors both are missing (NaN), and a missing value
    scores as the fitted mean: the answer is the one the lexical evidence alone picks."""
    doc = _doc("gz-guide-22")
    chunks = _chunks(doc["text"])
    sims = [0.70 + 0.01 * (i % 5) for i in range(len(chunks))]
    q = ranker.analyse("申领社保卡需要什么材料？")
    spans, x = ranker.candidates(q, [doc["text"]], priors=[1.0], titles=[doc["title"]],
                                 dense=[list(zip(chunks, sims))])
    col = ranker.FEATURES.index("dense_sent")
    whole = [k for k, s in enumerate(spans) if s.kind == "sent"]
    found = [k for k in whole if not np.isnan(x[k, col])]
    assert len(found) > 0.8 * len(whole)  # nearly every sentence is found in its chunk
    assert max(x[k, col] for k in found) == pytest.approx(0.0)
    assert all(x[k, col] <= 0 for k in found)
    assert all(spans[k].dense == pytest.approx(max(sims)) for k in found if x[k, col] == pytest.approx(0.0))
    assert np.all(x[:, ranker.FEATURES.index("dense_doc")] == 0.0)  # the only document is the best one
    models = ranker.load_weights()
    plain = ranker.choose_answer("申领社保卡需要什么材料？", [doc["text"]], priors=[1.0], titles=[doc["title"]])
    assert np.isfinite(ranker.scores(x[:, ranker._WITHIN_AT], models["within"])).all()
    missing = ranker.choose_answer("申领社保卡需要什么材料？", [doc["text"]], priors=[1.0], titles=[doc["title"]],
                                   dense=[[]])
    assert missing.text == plain.text and np.isnan(missing.dense)


def test_two_articles_are_never_joined_into_one_answer():
    law = "\n".join(["第二十七条 申请人申请住房公积金贷款的，应当提供担保。",
                     "第二十八条 住房公积金管理中心在保证住房公积金提取和贷款的前提下，经住房公积金管理委员会批准，"
                     "可以将住房公积金用于购买国债。"])
    spans, _ = ranker.candidates(ranker.analyse("公积金贷款要担保吗"), [law], priors=[1.0])
    assert spans and not any("第二十七条" in s.text and "第二十八条" in s.text for s in spans)


def test_a_question_asking_how_long_is_answered_by_a_sentence_holding_a_period():
    # 广州社保卡申领指南 (data/demo/guangzhou_linyi_service_guides.jsonl), abridged: the materials sentence shares
    # the question's words; the period is in another section. Whatever the fitted "within" model prefers (here
    # turned against sentences holding the asked kind), a sentence without a period never answers "多久".
    from zhengwu.qa import answer_types
    from zhengwu.qa.extract import SECTION_MARK

    guide = "\n".join([
        SECTION_MARK + "二、申领所需材料 > （一）申领人本人有效身份证件原件",
        "1.居住在中国境内16周岁以上（含16周岁）的中国公民申领社保卡：居民身份证。",
        SECTION_MARK + "四、申领方法 > 第二步：办理申领",
        "（一）网上办理（可选付费邮寄或银行网点现场领卡，需等待12个工作日领卡）",
        "方法1：在“穗好办”APP的“办事>社保>社会保障卡>申领”栏目办理。",
    ])
    models = dict(ranker.load_weights())
    mean, scale, w = models["within"]
    against = np.zeros_like(w)
    against[ranker.WITHIN.index("fine_type")] = -10.0
    models["within"] = (mean, scale, against)
    for question in ("社保卡办了多久能拿到", "申领社保卡要几天"):
        q = ranker.analyse(question)
        spans, x = ranker.candidates(q, [guide], priors=[1.0])
        best = ranker.best_sentence(spans, x, models, q.types)[0]
        assert answer_types.holds(spans[best].sentence, ("duration",)), question


def test_choose_answer_is_the_choice_among_every_candidate():
    """choose_answer builds the spans of the best sentence's neighbourhood only (issue 15: the ask's cost); its
    answer must be exactly the one chosen among every candidate of every sentence (what the fits read)."""
    from zhengwu.qa.evidence import INJECTION

    docs = [json.loads(line) for line in REAL_DOCS.read_text(encoding="utf-8").splitlines()]
    passages, titles = [d["text"] for d in docs], [d["title"] for d in docs]
    priors = [1.0 - 0.1 * i for i in range(len(docs))]
    questions = [r["question"] for r in map(json.loads, (ROOT / "tests/qa/data/everyday.jsonl").read_text(
        encoding="utf-8").splitlines()) if r.get("split") == "dev"][:60]
    kinds = set()
    for question in questions:
        q = ranker.analyse(question)
        spans, x = ranker.candidates(q, passages, priors=priors, titles=titles, exclude=INJECTION)
        best, k = ranker.choose(spans, x, ranker.load_weights(), q.types)
        sn = ranker.choose_answer(question, passages, priors=priors, titles=titles, exclude=INJECTION)
        got = (sn.text, sn.hit_index, sn.sentence, sn.heading, sn.kind, sn.focus)
        assert got == (spans[k].text, spans[k].hit_index, spans[k].sentence, spans[k].heading, spans[k].kind,
                       float(x[best, ranker.FEATURES.index("focus")])), question
        kinds.add(sn.kind)
    assert len(kinds) >= 3, kinds  # whole sentences, parts of one and sections were all compared
