"""Q&A benchmark: does the answer cite the right document, and is it the gold answer span?

Why it is shaped like this: it measures the product path. The corpus is ingested into a fresh temporary
store with the retrieval benchmark's helpers (zhengwu.eval.retrieval: same isolation, same vector cache, so
vectors embedded by one benchmark are reused by the other), and every question goes through
`zhengwu.qa.answer.ask_stream` exactly as a citizen's would, in whichever mode is configured.

Metrics: citation accuracy (the first cited document is the gold `docid`), answer char-F1 and ROUGE-L
(character level, on the asserted answer text without lead-in, citation marks, notes or label; whitespace
and punctuation ignored), the share of "no basis" replies, time to first answer token (p50) and total
time (p95), in ms.

Per question (`details`): one JSON line `{"qid", "cited": [docid, ...], "no_basis", "answer"}` so two runs can be
compared question by question. Questions without answers (`unanswerable`): the gold documents of a seeded
fraction of the questions are left out of the corpus before ingesting (a question whose gold document is
removed that way is unanswerable even if it was not drawn); `abstain_rate_unanswerable` is the share of those
answered with "no basis", `wrong_answer_rate_unanswerable` the share given a cited answer, and the usual keys
(citation accuracy, F1, ...) are computed on the answerable rest. Near-duplicate copies (zhengwu.kb.dedup) of a
removed document are removed with it, and a citation of a copy of the gold document counts as right
(`citation_accuracy_exact` counts the gold docid only).
"""

from __future__ import annotations

import json
import random
import re
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

from zhengwu.eval.retrieval import DEFAULT_CORPUS, _say, load_questions
from zhengwu.eval.store import embed_all, temporary_store

from zhengwu.gateway import generative_available

DEFAULT_QUESTIONS = DEFAULT_CORPUS.parent / "questions.dev.jsonl"
KB_NAME = "eval_qa"
_DROP = re.compile(r"[\s\W_]+", re.UNICODE)


def _chars(text: str) -> list[str]:
    return list(_DROP.sub("", text or ""))


def char_f1(pred: str, gold: str) -> float:
    p, g = _chars(pred), _chars(gold)
    common = sum((Counter(p) & Counter(g)).values())
    if not common:
        return 0.0
    prec, rec = common / len(p), common / len(g)
    return 2 * prec * rec / (prec + rec)


def rouge_l(pred: str, gold: str) -> float:
    """ROUGE-L F-measure over characters (longest common subsequence)."""
    p, g = _chars(pred), _chars(gold)
    if not p or not g:
        return 0.0
    prev = [0] * (len(g) + 1)
    for a in p:
        cur = [0] * (len(g) + 1)
        for j, b in enumerate(g, 1):
            cur[j] = prev[j - 1] + 1 if a == b else max(prev[j], cur[j - 1])
        prev = cur
    lcs = prev[-1]
    if not lcs:
        return 0.0
    prec, rec = lcs / len(p), lcs / len(g)
    return 2 * prec * rec / (prec + rec)


def _pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    v = sorted(values)
    return v[min(len(v) - 1, int(round(q * (len(v) - 1))))]


def drop_gold(qs: list[dict], fraction: float, seed: int = 0) -> set[str]:
    """The gold docids of a seeded `fraction` of the questions: the documents to leave out of the corpus."""
    if fraction <= 0 or not qs:
        return set()
    k = min(len(qs), int(round(fraction * len(qs))))
    picked = random.Random(seed).sample(range(len(qs)), k)
    return {str(qs[i]["docid"]) for i in picked}


def _copies(corpus: Path) -> dict[str, set[str]]:
    from zhengwu.kb.dedup import near_duplicates
    from zhengwu.kb.parsers.jsonl import iter_records

    return near_duplicates({r.docid: r.text for r in iter_records(corpus) if r.text})


def _corpus_without(corpus: Path, drop: set[str], out_dir: Path) -> Path:
    from zhengwu.kb.parsers.jsonl import ID_FIELDS

    out = out_dir / corpus.name
    with corpus.open(encoding="utf-8") as src, out.open("w", encoding="utf-8") as dst:
        for line in src:
            if not line.strip():
                continue
            obj = json.loads(line)
            docid = next((str(obj[k]) for k in ID_FIELDS if obj.get(k) not in (None, "")), None)
            if docid not in drop:
                dst.write(line)
    return out


def run(corpus: Path, questions: Path, *, limit: int | None = None, dense: bool = True, progress: bool = True,
        details: Path | None = None, unanswerable: float = 0.0, seed: int = 0) -> dict:
    """Ingest `corpus` into a temporary store, ask every question, return the figures (keys as --json)."""
    from zhengwu.context import Caller
    from zhengwu.errors import ZhengwuError
    from zhengwu.cli.progress import progress_bar
    from zhengwu.kb.ingest import ingest_paths
    from zhengwu.qa.answer import ask_stream

    corpus, questions = Path(corpus), Path(questions)
    if not corpus.is_file():
        raise ZhengwuError("eval_missing", f"找不到语料文件：{corpus}", f"Corpus file not found: {corpus}")
    qs = load_questions(questions, limit)
    copies = _copies(corpus)
    dropped = drop_gold(qs, unanswerable, seed)
    dropped |= {c for d in dropped for c in copies.get(d, ())}
    caller = Caller(user="eval", department="eval", role="admin")
    with temporary_store("zhengwu-evalqa-") as tmp:
        src = _corpus_without(corpus, dropped, Path(tempfile.mkdtemp(dir=tmp))) if dropped else corpus
        with progress_bar("入库 ingest → eval", enabled=progress) as on_progress:
            report = ingest_paths([src], kb=KB_NAME, caller=caller, on_progress=on_progress)
        if dense:
            embed_all(progress)
        mode = "generative" if generative_available() else "extractive"
        # warm-up: builds the in-memory indexes (a running server has them already)
        list(ask_stream("预热 warm-up", caller=caller, kb=KB_NAME))
        cit, cit_exact, f1s, rls, nob, first, total = [], [], [], [], [], [], []
        abstain_u, wrong_u, lines = [], [], []
        for i, q in enumerate(qs):
            t = time.perf_counter()
            t_first = None
            done: dict = {}
            for event, data in ask_stream(q["question"], caller=caller, kb=KB_NAME):
                if event == "delta" and t_first is None:
                    t_first = time.perf_counter()
                elif event == "done":
                    done = data
                elif event == "error":
                    done = {"no_basis": True, "citations": [], "body": ""}
            end = time.perf_counter()
            first.append(((t_first or end) - t) * 1000)
            total.append((end - t) * 1000)
            cites = done.get("citations") or []
            no_basis = bool(done.get("no_basis"))
            lines.append({"qid": q.get("qid", i), "cited": [str(c.get("external_id") or "") for c in cites],
                          "no_basis": no_basis, "answer": done.get("answer") or ""})
            if str(q["docid"]) in dropped:
                lines[-1]["unanswerable"] = True
                abstain_u.append(no_basis)
                wrong_u.append(not no_basis and bool(cites))
                continue
            right = {str(q["docid"])} | copies.get(str(q["docid"]), set())
            ok = bool(cites) and cites[0].get("current", True)
            cit.append(ok and str(cites[0].get("external_id")) in right)
            cit_exact.append(ok and str(cites[0].get("external_id")) == str(q["docid"]))
            body = done.get("body") or ""
            f1s.append(char_f1(body, q.get("answer", "")))
            rls.append(rouge_l(body, q.get("answer", "")))
            nob.append(no_basis)
            if progress and (i + 1) % 100 == 0:
                _say(progress, f"已提问 asked {i + 1}/{len(qs)}")
        if details:
            with open(details, "w", encoding="utf-8") as fh:
                for row in lines:
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        n = len(cit)
        res = {
            "n": n,
            "citation_accuracy": round(sum(cit) / n, 4) if n else 0.0,
            "citation_accuracy_exact": round(sum(cit_exact) / n, 4) if n else 0.0,
            "answer_f1": round(statistics.fmean(f1s), 4) if n else 0.0,
            "rouge_l": round(statistics.fmean(rls), 4) if n else 0.0,
            "no_basis_rate": round(sum(nob) / n, 4) if n else 0.0,
            "first_token_ms_p50": round(_pct(first, 0.5), 1),
            "total_ms_p95": round(_pct(total, 0.95), 1),
            "mode": mode,
            "documents": report.added + report.unchanged + report.replaced,
        }
        if unanswerable > 0:
            res.update({"n_unanswerable": len(abstain_u), "removed_documents": len(dropped), "seed": seed,
                        "abstain_rate_unanswerable": round(sum(abstain_u) / len(abstain_u), 4) if abstain_u else 0.0,
                        "wrong_answer_rate_unanswerable": round(sum(wrong_u) / len(wrong_u), 4) if wrong_u else 0.0})
        return res


def format_report(r: dict) -> str:
    return (f"问答基准 Q&A benchmark — {r['n']} 问题 questions, {r.get('documents', '?')} 文档 documents, 模式 mode {r['mode']}\n"
            f"引用准确率 citation accuracy  {r['citation_accuracy']:.3f}\n"
            f"答案字符 F1 answer char-F1     {r['answer_f1']:.3f}\n"
            f"ROUGE-L (字符 chars)           {r['rouge_l']:.3f}\n"
            f"无依据占比 no-basis rate       {r['no_basis_rate']:.3f}\n"
            f"首字延迟 first token p50       {r['first_token_ms_p50']:.1f} ms\n"
            f"总耗时 total p95               {r['total_ms_p95']:.1f} ms"
            + (f"\n不可答 unanswerable ({r['n_unanswerable']} 问题 questions, {r['removed_documents']} 文档移除 documents removed)"
               f"\n  无依据 abstained             {r['abstain_rate_unanswerable']:.3f}"
               f"\n  仍作答 wrong answer          {r['wrong_answer_rate_unanswerable']:.3f}"
               if "abstain_rate_unanswerable" in r else ""))
