"""Fit the extractive answer ranker (zhengwu/qa/ranker.py) on questions with gold documents and answers.

    .venv/bin/python bench/fit_answer_ranker.py [--corpus ../shared/eval/policy_qa/corpus.jsonl]
        [--questions ../shared/eval/policy_qa/questions.dev.jsonl] [--everyday FILE[:SPLIT] ...]
        [--everyday-weight 0.65] [--folds 5] [--cache FILE] [--also-cache FILE ...] [--for-embedder]
        [--refit all|within] [--out zhengwu/qa/ranker_weights.json] [--no-write]

Why it is shaped like this: the candidates and their features come from the product path itself (the corpus
is ingested into a temporary store, every question is rewritten and searched by `zhengwu.qa.answer.answer_inputs`,
the spans built by `zhengwu.qa.ranker.candidates`), so the fitted weights see exactly what the server sees.
Two kinds of question: the policy-QA contest questions (written from a sentence of their document; target: the
char-F1 of a span against the gold answer) and everyday questions in citizens' words over the demo documents
(tests/qa/data/everyday.jsonl dev half, the independently written everyday_team.jsonl train half and the
development sets everyday_fresh, everyday_fresh2 and everyday_fresh4 … everyday_fresh8; never a NEVER_FIT split;
target: the share of the key facts a span holds, less a little per length). Three linear models, listwise soft-max loss (numpy, Adam, L2),
lists weighted (an everyday list `--everyday-weight` times a policy one):
- "sentence": one row per whole sentence of the candidate documents (with pairwise products of some features,
  ranker.sentence_rows); target: the best target any span of the sentence reaches, plus a bonus when the
  sentence's document is a gold one. Its best sentence decides the document cited.
- "within": the sentences of the gold document (ranker.WITHIN features); target as above. At run time it
  picks the answering sentence of the document the sentence model chose.
- "span": the candidates around the chosen sentence (as at run time); target: their own target.
The figures printed first are cross-validated (k folds; policy questions by question, everyday ones by gold
document, so no fold has seen a question on the same guide, whichever cache it comes from; `--fold-seed` shuffles
which documents share a fold, to see the figures' spread; `--refit none` scores the weights file as it is on the
same folds, the figure a refit must beat). `--refit within` keeps
the weights file's sentence and span models and fits the within model alone (a feature telling a document's
sentences apart, measured without moving the document choice).
Embedder mode: as ZHENGWU_EMBEDDER says (default here: none, lexical). With an embedder the chunks are embedded
(cached in the benchmarks' vector cache) and the `dense_*` features are present; collected without, they are
missing and stand at the mean. `--also-cache` adds candidates collected in the other mode; with
`--for-embedder` the models fitted on both are stored as the `models_with_vectors` set, used for questions whose
candidates carry vectors, and the lexical set stays as it is.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import pickle
import sys
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ZHENGWU_EMBEDDER", "none")

from zhengwu.cli.progress import progress_bar  # noqa: E402
from zhengwu.context import Caller  # noqa: E402
from zhengwu.eval.everyday import DEMO_DIR, DEVELOPMENT, NEVER_FIT, facts_met, load_cases  # noqa: E402
from zhengwu.eval.qa import DEFAULT_QUESTIONS, char_f1  # noqa: E402
from zhengwu.eval.retrieval import DEFAULT_CORPUS, load_questions  # noqa: E402
from zhengwu.eval.store import embed_all, temporary_store  # noqa: E402
from zhengwu.gateway import Governed, neutralise_injection  # noqa: E402
from zhengwu.kb.ingest import ingest_paths  # noqa: E402
from zhengwu.qa import ranker  # noqa: E402
from zhengwu.qa.answer import _INJECTION, _search_text, answer_inputs  # noqa: E402
from zhengwu.qa.answer_types import asked  # noqa: E402
from zhengwu.qa.ranker import FEATURES, SENTENCE_FEATURES, WEIGHTS_FILE, choose, sentence_rows  # noqa: E402
from zhengwu.qa.rewrite import rewrite  # noqa: E402
from zhengwu.qa.whole import whole_answer, whole_section  # noqa: E402
from zhengwu.store.db import session_scope  # noqa: E402


# written by a `--for-embedder` fit; a lexical refit rewrites the rest of the file and keeps these
WITH_VECTORS_KEYS = ("models_with_vectors", "cross_validated_with_vectors", "vector_space")


def keep_other_fit(doc: dict, out: Path) -> dict:
    """`doc` (a lexical fit) with the set for candidates with vectors, and the space it was fitted in, taken from
    the weights file at `out`: they are another fit's (`--for-embedder`), and without `vector_space` the product
    would silently stop using them."""
    old = json.loads(out.read_text(encoding="utf-8")) if out.is_file() else {}
    return {**doc, **{k: old[k] for k in WITH_VECTORS_KEYS if k in old}}


def collect(corpus: Path, questions: Path, limit: int | None) -> tuple[list[dict], list[dict]]:
    """Candidate spans, features and targets of every question (None where nothing was retrieved)."""
    qs = load_questions(questions, limit)
    caller = Caller(user="fit", department="fit", role="admin")
    out: list[dict] = []
    with temporary_store("zhengwu-fitranker-"):
        with progress_bar("入库 ingest → fit") as on_progress:
            ingest_paths([corpus], kb="fit", caller=caller, on_progress=on_progress)
        embed_all()
        with session_scope() as session:
            for i, q in enumerate(qs):
                masked = neutralise_injection(q["question"])[0]  # contest questions hold no personal data
                query = rewrite(_search_text(masked), []).query
                ev = answer_inputs(session, caller, query, kb="fit")
                spans, x = ranker.candidates(ranker.analyse(query), ev.passages, priors=ev.priors, titles=ev.titles,
                                             exclude=_INJECTION, dense=ev.dense)
                if not spans:
                    out.append({})
                    continue
                gold = np.asarray([str(ev.cands[s.hit_index].external_id) == str(q["docid"]) for s in spans])
                f1 = np.asarray([char_f1(s.text, q["answer"]) for s in spans])
                out.append({"spans": spans, "x": x, "gold": gold, "f1": f1, "query": query})
                if (i + 1) % 50 == 0:
                    print(f"候选 candidates {i + 1}/{len(qs)}", file=sys.stderr)
    return qs, out


FACT_LENGTH_COST = 0.1  # per 100 characters: among spans holding the same facts, the shorter one is the answer


def fact_target(text: str, facts: list[str]) -> float:
    """An everyday question's span target: the share of its key facts the span holds, less a little per length."""
    met = sum(1 for f in facts if facts_met(text, [f]))
    return max(0.0, met / len(facts) - FACT_LENGTH_COST * len(text) / 100) if facts else 0.0


def collect_everyday(sources: list[tuple[Path, str]]) -> tuple[list[dict], list[dict]]:
    """Candidates of everyday questions over the demo documents, targets from their key facts.

    Why: the contest questions copy a document's sentence; citizens ask for an aspect in their own words
    ("要带啥", "一个月多少钱"). Fitting on both keeps the ranker from learning only the first kind."""
    qs: list[dict] = []
    for path, split in sources:
        if split in NEVER_FIT or any(n in path.name for n in NEVER_FIT):
            raise SystemExit(f"{path}:{split} is never fitted on (NEVER_FIT)")
        qs += [c for c in load_cases(path, split) if c.get("gold") and c.get("key_facts")
               and c.get("split") not in NEVER_FIT]
    caller = Caller(user="fit", department="fit", role="admin")
    out: list[dict] = []
    with temporary_store("zhengwu-fitranker-ev-"):
        ingest_paths(sorted(DEMO_DIR.glob("*.jsonl")), kb="demo", caller=caller, progress=False, embed=False)
        embed_all(pack=DEMO_DIR / "vectors.npz")
        with session_scope() as session:
            for q in qs:
                query = rewrite(_search_text(neutralise_injection(q["question"])[0]), []).query
                ev = answer_inputs(session, caller, query, kb="demo")
                spans, x = ranker.candidates(ranker.analyse(query), ev.passages, priors=ev.priors,
                                             titles=ev.titles, exclude=_INJECTION, dense=ev.dense)
                if not spans:
                    out.append({})
                    continue
                gold_ids = {str(g) for g in q["gold"]}
                gold = np.asarray([str(ev.cands[s.hit_index].external_id) in gold_ids for s in spans])
                f1 = np.asarray([fact_target(s.text, q["key_facts"]) for s in spans])
                out.append({"spans": spans, "x": x, "gold": gold, "f1": f1, "passages": ev.passages,
                            "query": query, "everyday": True})
    print(f"日常问题 everyday questions: {len(qs)}", file=sys.stderr)
    return qs, out


def _load(path: Path) -> tuple:
    """A cache of collected candidates; a feature added since it was collected is missing (NaN) in its rows,
    except the `value_*` features (ranker.VALUE_FEATURES), computed here from the question and the span's text as
    the product computes them (so a cache of the same code otherwise need not be collected again)."""
    qs, items, eqs, eitems = pickle.loads(path.read_bytes())
    for d in items + eitems:
        if d and d["x"].shape[1] < len(FEATURES):
            have = d["x"].shape[1]
            extra = np.full((len(d["x"]), len(FEATURES) - have), np.nan)
            if all(FEATURES.index(f) >= have for f in ranker.VALUE_FEATURES):
                q = ranker.analyse(d["query"])
                at = [FEATURES.index(f) - have for f in ranker.VALUE_FEATURES]
                for r, s in enumerate(d["spans"]):
                    extra[r, at] = ranker.value_features(q, s.text)
            d["x"] = np.hstack([d["x"], extra])
    return qs, items, eqs, eitems


def _segment_softmax(s: np.ndarray, starts: np.ndarray) -> np.ndarray:
    lens = np.diff(np.append(starts, len(s)))
    e = np.exp(s - np.repeat(np.maximum.reduceat(s, starts), lens))
    return e / np.repeat(np.add.reduceat(e, starts), lens)


def listwise_fit(lists: list[tuple[np.ndarray, np.ndarray, float]], *, tau: float, l2: float,
                 iters: int = 500) -> dict:
    """Linear scores whose soft-max over each list matches soft-max(target / tau); lists weighted."""
    xs, ts, starts, ws, n = [], [], [], [], 0
    for x, t, weight in lists:
        if len(t) < 2 or t.max() <= 0:
            continue
        z = np.exp((t - t.max()) / tau)
        xs.append(x)
        ts.append(z / z.sum())
        starts.append(n)
        ws.append(weight)
        n += len(t)
    x = np.vstack(xs)
    target = np.concatenate(ts)
    st = np.asarray(starts)
    lens = np.diff(np.append(st, len(target)))
    row_w = np.repeat(np.asarray(ws) / sum(ws), lens)
    # a missing feature (NaN: no vectors in that mode) stands at the mean of the rows that have it
    with warnings.catch_warnings():  # a feature missing in every row: mean 0, scale 1
        warnings.simplefilter("ignore", RuntimeWarning)
        mean, scale = np.nan_to_num(np.nanmean(x, 0)), np.nan_to_num(np.nanstd(x, 0))
    scale[scale < 1e-9] = 1.0
    x = np.nan_to_num((x - mean) / scale, nan=0.0)
    w = np.zeros(x.shape[1])
    m, v = np.zeros_like(w), np.zeros_like(w)
    for it in range(1, iters + 1):
        g = x.T @ ((_segment_softmax(x @ w, st) - target) * row_w) + l2 * w
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        w -= 0.03 * (m / (1 - 0.9 ** it)) / (np.sqrt(v / (1 - 0.999 ** it)) + 1e-8)
    return {"mean": mean, "scale": scale, "weights": w}


def _window(spans: list, x: np.ndarray, models: dict, query: str) -> list[int]:
    """The candidates the span model chooses among at run time: those around the best sentence."""
    tup = {k: (m["mean"], m["scale"], m["weights"]) for k, m in models.items()}
    return ranker.window(spans, ranker.best_sentence(spans, x, tup, asked(query))[0])


def _unweighed(x: np.ndarray) -> np.ndarray:
    """`x` with the value_* features missing (weight 0 in every model fitted): they act through best_sentence's
    rule, read from the rows as they are; weighed, they would be computed for every candidate at run time
    (ranker._weighs_values: about a fifth of the choice's time) for a gain the tenth round did not find."""
    x = x.copy()
    x[:, ranker._VALUE_AT] = np.nan
    return x


def fit(items: list[dict], *, tau: float, l2: float, docw: float, everyday_weight: float = 1.0,
        within: bool = True, shipped: dict | None = None) -> dict:
    """The sentence model first; the span model on the candidates the sentence model leaves it (as at run time).
    `shipped`: the shipped sentence and span models, kept; only the within model is fitted (`--refit within`)."""
    if shipped is not None:
        return {"sentence": shipped["sentence"], "within": shipped.get("within") or _fit_within(
            items, tau=tau, l2=l2, everyday_weight=everyday_weight), "span": shipped["span"]}
    sent_lists = []
    for d in items:
        if not d:
            continue
        whole = [k for k, s in enumerate(d["spans"]) if s.kind == "sent"]
        best_of: dict[tuple[int, int], float] = {}
        for k, s in enumerate(d["spans"]):
            key = (s.hit_index, s.sentence_index)
            best_of[key] = max(best_of.get(key, 0.0), d["f1"][k])
        t = np.asarray([best_of[(d["spans"][k].hit_index, d["spans"][k].sentence_index)] for k in whole])
        weight = everyday_weight if d.get("everyday") else 1.0
        sent_lists.append((sentence_rows(_unweighed(d["x"][whole])), t + docw * d["gold"][whole], weight))
    sentence = listwise_fit(sent_lists, tau=tau, l2=l2)
    models = {"sentence": sentence}
    if within:
        models["within"] = _fit_within(items, tau=tau, l2=l2, everyday_weight=everyday_weight)
    span_lists = []
    for d in items:
        if d:
            near = _window(d["spans"], d["x"], models, d["query"])
            span_lists.append((_unweighed(d["x"][near]), d["f1"][near], everyday_weight if d.get("everyday") else 1.0))
    models["span"] = listwise_fit(span_lists, tau=tau, l2=l2)
    return models


def _fit_within(items: list[dict], *, tau: float, l2: float, everyday_weight: float) -> dict:
    """The within model: which sentence of the gold document answers (as at run time, among its sentences)."""
    within_lists = []
    for d in items:
        if not d or not d["gold"].any():
            continue
        doc = d["spans"][int(np.argmax(d["gold"]))].hit_index
        rows = [k for k, s in enumerate(d["spans"]) if s.kind == "sent" and s.hit_index == doc]
        best_of = {}
        for k, s in enumerate(d["spans"]):
            if s.hit_index == doc:
                best_of[s.sentence_index] = max(best_of.get(s.sentence_index, 0.0), d["f1"][k])
        t = np.asarray([best_of[d["spans"][k].sentence_index] for k in rows])
        within_lists.append((_unweighed(d["x"][rows])[:, ranker._WITHIN_AT], t,
                             everyday_weight if d.get("everyday") else 1.0))
    return listwise_fit(within_lists, tau=tau, l2=l2)


def evaluate(items: list[dict], qs: list[dict], models: dict) -> tuple[list[bool], list[float]]:
    """Per question: the cited document is a gold one; the answer's score (policy: char-F1 of the span against
    the gold answer; everyday: 1.0 when the whole answer, as the product builds it, holds every key fact)."""
    tup = {k: (m["mean"], m["scale"], m["weights"]) for k, m in models.items()}
    cit, f1 = [], []
    for d, q in zip(items, qs):
        if not d:
            cit.append(False)
            f1.append(0.0)
            continue
        _, k = choose(d["spans"], d["x"], tup, asked(d["query"]))
        sp = d["spans"][k]
        cit.append(bool(d["gold"][k]))
        if d.get("everyday"):
            body = whole_section(d["passages"][sp.hit_index], sp.heading, sp.text) if sp.kind == "section" \
                else whole_answer(d["passages"][sp.hit_index], sp.text, sp.heading, d["query"])[0]
            f1.append(1.0 if cit[-1] and facts_met(body, q["key_facts"]) else 0.0)
        else:
            f1.append(char_f1(sp.text, q["answer"]))
    return cit, f1


def _figures(cit: list[bool], f1: list[float], which: list[int]) -> dict:
    n = len(which) or 1
    return {"n": len(which), "citation_accuracy": round(sum(cit[i] for i in which) / n, 4),
            "answer_score": round(sum(f1[i] for i in which) / n, 4)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--fold-seed", type=int, default=None,
                    help="shuffle the everyday documents' fold assignment with this seed (default: by the documents' "
                         "sorted order); run several seeds to see the cross-validated figures' spread")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--tau", type=float, default=0.1, help="target soft-max temperature")
    ap.add_argument("--l2", type=float, default=1e-3)
    ap.add_argument("--docw", type=float, default=0.5, help="target bonus for spans of the gold document")
    ap.add_argument("--everyday", action="append", default=None, metavar="FILE[:SPLIT]",
                    help="everyday questions over the demo documents to fit on too (repeatable; default: "
                         "the development sets: everyday.jsonl:dev, everyday_team.jsonl:train, everyday_fresh.jsonl,"
                         " everyday_fresh2.jsonl, everyday_fresh4.jsonl … everyday_fresh8.jsonl); 'none' for none")
    # 0.65: the balance of the two kinds the weight 3 gave with 146 everyday questions, kept with 681 (at 3 the
    # policy answers' F1 fell: docs/benchmarks.md, thirteenth round)
    ap.add_argument("--everyday-weight", type=float, default=0.65,
                    help="weight of an everyday question's lists against a policy question's")
    ap.add_argument("--no-within", action="store_true", help="no separate model for the sentence within the document")
    ap.add_argument("--no-policy", action="store_true",
                    help="collect the everyday questions only (with an embedder, embedding the policy corpus takes "
                         "most of an hour on 2 shared cores)")
    ap.add_argument("--cache", type=Path, default=None, help="pickle of the collected candidates (reused if present)")
    ap.add_argument("--also-cache", type=Path, action="append", default=[],
                    help="candidates collected in the other embedder mode, fitted on too (repeatable)")
    ap.add_argument("--for-embedder", action="store_true",
                    help="store the models as the weights file's models_with_vectors set (used for candidates "
                         "that carry the embedder's cosines), keeping the lexical set")
    ap.add_argument("--drop", action="append", default=[], choices=FEATURES, metavar="FEATURE",
                    help="treat this feature as missing in every row (to measure what it adds; repeatable)")
    ap.add_argument("--refit", choices=("all", "within", "none"), default="all",
                    help="within: keep the weights file's sentence and span models (of the set written: "
                         "--for-embedder's or the lexical one) and fit the within model only; none: fit nothing, "
                         "the weights file's models scored on the same rows and folds (the figure a refit is "
                         "compared with; implies --no-write)")
    ap.add_argument("--out", type=Path, default=WEIGHTS_FILE)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    for p in (args.corpus, args.questions):
        if not p.is_file():
            print(f"找不到文件 file not found: {p}", file=sys.stderr)
            return 2
    sources = [] if args.everyday == ["none"] else [
        (Path(e.rsplit(":", 1)[0]), e.rsplit(":", 1)[1] if ":" in e else "all")
        for e in (args.everyday or DEVELOPMENT)]
    if args.cache and args.cache.is_file():
        qs, items, eqs, eitems = _load(args.cache)
    else:
        qs, items = ([], []) if args.no_policy else collect(args.corpus, args.questions, args.limit)
        eqs, eitems = collect_everyday(sources) if sources else ([], [])
        if args.cache:
            args.cache.write_bytes(pickle.dumps((qs, items, eqs, eitems)))
    # rows collected in the other embedder mode (see the module doc): fitted on together, figures given apart
    sets = [(qs, items, eqs, eitems)] + [_load(p) for p in args.also_cache]
    drop = [FEATURES.index(f) for f in args.drop]
    for d in (d for st in sets for d in st[1] + st[3] if d and drop):  # what the fit gets without these features
        d["x"] = d["x"].copy()
        d["x"][:, drop] = np.nan
    qs, items, eqs, eitems = [], [], [], []
    fold, mode_of, efold, emode = [], [], [], []
    gold_docs = sorted({str(q["gold"][0]) for st in sets for q in st[2]})  # one fold per document, in every set
    if args.fold_seed is not None:
        np.random.default_rng(args.fold_seed).shuffle(gold_docs)
    for m, (q1, i1, e1, ei1) in enumerate(sets):
        # folds by question for the policy set; by gold document for the everyday ones (questions on one guide
        # are alike: a fold that saw one of them would flatter the figure); a question falls in the same fold
        # in either mode
        qs, items = qs + q1, items + i1
        fold += [i % args.folds for i in range(len(q1))]
        mode_of += [m] * len(q1)
        eqs, eitems = eqs + e1, eitems + ei1
        efold += [gold_docs.index(str(q["gold"][0])) % args.folds for q in e1]
        emode += [m] * len(e1)
    fold, mode_of = fold + efold, mode_of + emode
    shipped = None
    if args.refit in ("within", "none"):
        kept = json.loads(args.out.read_text(encoding="utf-8"))
        kept = kept["models_with_vectors"] if args.for_embedder else kept["models"]
        shipped = {k: {f: np.asarray(v) for f, v in kept[k].items()}
                   for k in ("sentence", "span", *(("within",) if args.refit == "none" else ()))}
        args.no_write = args.no_write or args.refit == "none"
    all_qs, all_items = qs + eqs, items + eitems
    n, n_policy = len(all_qs), len(qs)
    cit: list[bool] = [False] * n
    f1: list[float] = [0.0] * n
    for k in range(args.folds):
        train = [d for i, d in enumerate(all_items) if fold[i] != k]
        test = [i for i in range(n) if fold[i] == k]
        c, f = evaluate([all_items[i] for i in test], [all_qs[i] for i in test],
                        fit(train, tau=args.tau, l2=args.l2, docw=args.docw, everyday_weight=args.everyday_weight,
                            within=not args.no_within, shipped=shipped))
        for i, a, b in zip(test, c, f):
            cit[i], f1[i] = a, b
    policy, everyday = list(range(n_policy)), list(range(n_policy, n))
    cv = {"folds": args.folds, "n": n_policy, "citation_accuracy": _figures(cit, f1, policy)["citation_accuracy"],
          "answer_f1": _figures(cit, f1, policy)["answer_score"],
          "everyday": {**_figures(cit, f1, everyday), "answer_score": "share with every key fact"}}
    cv["everyday"]["key_facts"] = _figures(cit, f1, everyday)["answer_score"]
    if len(sets) > 1:
        cv["by_cache"] = [{"policy": _figures(cit, f1, [i for i in policy if mode_of[i] == m]),
                           "everyday": _figures(cit, f1, [i for i in everyday if mode_of[i] == m])}
                          for m in range(len(sets))]
    models = fit(all_items, tau=args.tau, l2=args.l2, docw=args.docw, everyday_weight=args.everyday_weight,
                 within=not args.no_within, shipped=shipped)
    c, f = evaluate(all_items, all_qs, models)
    train_fig = {"citation_accuracy": _figures(c, f, policy)["citation_accuracy"],
                 "answer_f1": _figures(c, f, policy)["answer_score"],
                 "everyday_citation": _figures(c, f, everyday)["citation_accuracy"],
                 "everyday_key_facts": _figures(c, f, everyday)["answer_score"]}
    print(json.dumps({"cross_validated": cv, "fitted_on_all": train_fig}, ensure_ascii=False))
    if not args.no_write and args.for_embedder:  # the lexical set stays; this one serves candidates with vectors
        space = Governed.vector_space()
        if space is None:
            print("--for-embedder 需要配置嵌入模型 / needs ZHENGWU_EMBEDDER (the vector space the cosines belong to)",
                  file=sys.stderr)
            return 2
        doc = json.loads(args.out.read_text(encoding="utf-8"))
        doc["models_with_vectors"] = {name: {k: [round(float(x), 6) for x in v] for k, v in m.items()}
                                      for name, m in models.items()}
        doc["cross_validated_with_vectors"] = cv
        doc["vector_space"] = space
        args.out.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"已写入 written: {args.out} (models_with_vectors)", file=sys.stderr)
    elif not args.no_write:
        doc = {"features": list(FEATURES), "sentence_features": list(SENTENCE_FEATURES), "fitted": dt.date.today().isoformat(),
               "data": f"{args.questions.name} ({n_policy} questions) over {args.corpus.name}, and "
                       f"{len(eqs)} everyday questions ({', '.join(f'{p.name}:{sp}' for p, sp in sources) or 'none'}) "
                       "over the demo documents, lexical retrieval",
               "settings": {"tau": args.tau, "l2": args.l2, "docw": args.docw, "everyday_weight": args.everyday_weight},
               "cross_validated": cv, "fitted_on_all": train_fig,
               "models": {name: {k: [round(float(x), 6) for x in v] for k, v in m.items()} for name, m in models.items()}}
        args.out.write_text(json.dumps(keep_other_fit(doc, args.out), ensure_ascii=False, indent=1) + "\n",
                            encoding="utf-8")
        print(f"已写入 written: {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
