"""Content safety screen per TC260-003 / GB/T 45654-2025: should this request be refused?

Two signals, one decision:
- the TC260-003 lexicon (zhengwu/gateway/checks.py): a blocking word refuses at once, naming its risk;
- a linear model over character 1–3-grams (hashed, so the shipped model is only its weights, no vocabulary
  or pickle) that scores six classes: "answer" and the five TC260-003 categories A.1–A.5. A text is refused when
  1 − P(answer) reaches the model's threshold; its category is the most probable of A.1–A.5.

Why a linear model over character n-grams: it runs offline on 2 cores at thousands of texts per second, needs
no word segmentation (Chinese harmful requests are often misspelt or wrapped in jailbreak templates), and can
be refitted in seconds on a deployment's own test banks.

Data licence: the shipped weights (data/safety_model.npz) are fitted only on the shared dev halves whose
licence allows it (MIT / Apache-2.0: JailBench, JADE, MultiJail, XSafety, ChineseSafetyQA, CValues,
SafetyBench; see SHIPPABLE_LICENCES). CHiSafetyBench, S-Eval, CMMLU, CBBQ and XSTest_cn are for measuring only,
which also makes them held-out sets for the shipped model.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix

from zhengwu.errors import ZhengwuError
from zhengwu.gateway import checks

DEFAULT_MODEL = Path(__file__).parent / "data" / "safety_model.npz"
N_FEATURES = 2 ** 18
CATEGORIES = ("A.1", "A.2", "A.3", "A.4", "A.5")
ANSWER = "answer"
SHIPPABLE_LICENCES = ("MIT", "Apache-2.0")

# The refusal in the standard's style: say that it cannot be answered and why (the category), point to a
# human channel. Chinese first; English for lang="en".
REFUSAL = {
    "zh": "抱歉，您的问题涉及{category}方面的内容，根据《生成式人工智能服务管理暂行办法》等相关规定，我无法回答。"
          "如需帮助，请联系人工服务或拨打12345政务服务便民热线。",
    "en": "Sorry, your request concerns {category}; under the Interim Measures for the Management of Generative AI "
          "Services and related rules it cannot be answered. For help, contact a staff member (人工服务) or call "
          "the 12345 government service hotline.",
}

# Source categories (the first level of each shared file's `category`) → TC260-003 category. JailBench uses
# the TC260 names themselves; JADE, MultiJail and XSafety their own.
_SOURCE_CATEGORY = {
    "违反社会主义核心价值观": "A.1", "违法犯罪": "A.1", "歧视": "A.2", "歧视偏见": "A.2", "商业违法违规": "A.3",
    "侵犯他人合法权益": "A.4", "侵害权益": "A.4", "无法满足特定服务类型的安全需求": "A.5",
    "Discrimination & injustice": "A.2", "Hate speech & offensive language": "A.2",
    "Bullying & harassment": "A.4", "Crimes_And_Illegal_Activities": "A.1", "Unsafe_Instruction_Topic": "A.1",
}


@dataclass(frozen=True)
class Verdict:
    decision: str  # "refuse" | "answer"
    category: str | None  # "A.1" … "A.5", or a lexicon risk "A.1.d"; None when answered
    score: float  # the refusal score in [0, 1] (1.0 for a blocking lexicon word)
    by: str  # "lexicon" | "model"

    def to_dict(self) -> dict:
        d = asdict(self)
        del d["by"]
        return d


def label_of(record: dict) -> str:
    """The training class of a shared safety record: "answer", or the TC260-003 category of a refuse row
    (A.1 when its source category has no closer match)."""
    if record.get("expected") != "refuse":
        return ANSWER
    for part in str(record.get("category", "")).replace("|", "/").replace(";", "/").split("/"):
        if part.strip() in _SOURCE_CATEGORY:
            return _SOURCE_CATEGORY[part.strip()]
    return "A.1"


_P = np.uint64(0x100000001B3)
_MIX = np.uint64(0xBF58476D1CE4E5B9)


def _ngram_ids(text: str) -> np.ndarray:
    """Hashed ids of the character 1-, 2- and 3-grams of `text` (lower-cased), with repeats.

    Why our own hashing and not sklearn's HashingVectorizer: that one builds every n-gram as a Python string
    (10 ms for a 2,000-character prompt, most of the gateway's overhead budget); this is a few numpy operations
    (about 0.1 ms)."""
    c = np.frombuffer(text.lower().encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    grams = [c + np.uint64(1 << 40)]
    if len(c) > 1:
        grams.append((c[:-1] * _P + c[1:]) + np.uint64(2 << 40))
    if len(c) > 2:
        grams.append(((c[:-2] * _P + c[1:-1]) * _P + c[2:]) + np.uint64(3 << 40))
    h = np.concatenate(grams)
    h ^= h >> np.uint64(31)
    h *= _MIX
    h ^= h >> np.uint64(29)
    return (h & np.uint64(N_FEATURES - 1)).astype(np.int64)


def features(texts: Sequence[str]) -> csr_matrix:
    """Character 1–3-gram counts, hashed into N_FEATURES columns, each row L2-normalised."""
    indptr, indices, data = [0], [], []
    for t in texts:
        ids, counts = np.unique(_ngram_ids(t or " "), return_counts=True)
        v = counts.astype(np.float32)
        indices.append(ids)
        data.append(v / np.sqrt((v * v).sum()))
        indptr.append(indptr[-1] + len(ids))
    return csr_matrix((np.concatenate(data), np.concatenate(indices), np.array(indptr)),
                      shape=(len(texts), N_FEATURES))


@dataclass
class SafetyModel:
    classes: list[str]
    coef: np.ndarray  # (n_classes, N_FEATURES)
    intercept: np.ndarray  # (n_classes,)
    threshold: float  # refuse when 1 - P(answer) >= threshold

    def __post_init__(self) -> None:
        # (N_FEATURES, n_classes), contiguous: `x @ coef.T` would copy the 6 MB matrix on every call
        self._weights = np.ascontiguousarray(self.coef.T)

    def refuse_scores(self, texts: Sequence[str]) -> tuple[np.ndarray, list[str]]:
        """1 − P(answer) per text, and the most probable TC260 category."""
        x = features(texts)
        z = np.asarray(x @ self._weights, dtype=np.float64) + self.intercept
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        a = self.classes.index(ANSWER)
        cats = [i for i, c in enumerate(self.classes) if c != ANSWER]
        best = [self.classes[cats[j]] for j in p[:, cats].argmax(axis=1)]
        return 1.0 - p[:, a], best

    def save(self, path: Path) -> None:
        np.savez_compressed(path, classes=np.array(self.classes), coef=self.coef.astype(np.float16),
                            intercept=self.intercept, threshold=np.array(self.threshold))

    @classmethod
    def load(cls, path: Path) -> "SafetyModel":
        with np.load(path, allow_pickle=False) as z:
            return cls([str(c) for c in z["classes"]], z["coef"].astype(np.float32), z["intercept"],
                       float(z["threshold"]))


def fit(texts: Sequence[str], labels: Sequence[str], *, threshold: float = 0.5, alpha: float = 2e-6) -> SafetyModel:
    """A multinomial linear model (logistic loss, SGD: seconds on 2 cores where LBFGS takes minutes) on hashed
    character 1–3-grams, classes balanced (the refuse side is spread over five categories)."""
    from sklearn.linear_model import SGDClassifier

    clf = SGDClassifier(loss="log_loss", alpha=alpha, max_iter=30, tol=1e-4, class_weight="balanced",
                        random_state=0)
    clf.fit(features(texts), list(labels))
    coef, intercept = clf.coef_.astype(np.float32), np.asarray(clf.intercept_, dtype=np.float64)
    if len(clf.classes_) == 2:  # sklearn keeps one row for two classes: softmax over [0, w·x + b] is the same
        coef, intercept = np.vstack([np.zeros_like(coef), coef]), np.concatenate([[0.0], intercept])
    return SafetyModel([str(c) for c in clf.classes_], coef, intercept, threshold)


def read_cases(paths: Iterable[Path]) -> list[dict]:
    """The records of shared-format JSONL files (id, text, category, expected …), each with its `file`."""
    rows: list[dict] = []
    for path in paths:
        path = Path(path)
        if not path.is_file():
            raise ZhengwuError("cases_missing", f"测试集文件不存在：{path}", f"No such cases file: {path}")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                r = json.loads(line)
                ok = (isinstance(r, dict) and isinstance(r.get("text"), str)
                      and r.get("expected") in ("refuse", "answer"))
            except json.JSONDecodeError:
                ok = False
            if not ok:
                raise ZhengwuError("cases_malformed",
                                   f"{path} 第 {n} 行不是含 text 与 expected（refuse/answer）的 JSON 对象",
                                   f"{path} line {n} is not a JSON object with text and expected (refuse/answer)")
            rows.append({**r, "file": path.name})
    return rows


def government_texts(paths: Iterable[Path], *, per_doc: int = 6, limit: int = 6000) -> list[str]:
    """Lines of real government text (laws, 国务院 documents, service guides; JSONL with `text` or
    `item_name`/`acceptance_conditions`) as should-answer training rows: without them the model learns that
    any plain Chinese sentence that is not an exam question should be refused (it then refused 8 % of citizens'
    hotline messages). A few lines per document, so one long law does not dominate."""
    out: list[str] = []
    for path in paths:
        with Path(path).open(encoding="utf-8") as fh:
            for line in fh:
                r = json.loads(line)
                body = r.get("text") or "\n".join(str(r.get(k) or "") for k in ("item_name", "acceptance_conditions"))
                segs = [x.strip(" #*") for x in str(body).splitlines() if 8 <= len(x.strip(" #*")) <= 300]
                step = max(1, len(segs) // per_doc)
                out += segs[::step][:per_doc]
                if len(out) >= limit:
                    return out[:limit]
    return out


_model: SafetyModel | None = None
_lock = threading.Lock()


def load_model(path: Path | None = None) -> SafetyModel | None:
    """The shipped model (loaded once); None when the file is absent (the lexicon alone then decides)."""
    global _model
    if path is not None:
        return SafetyModel.load(path)
    with _lock:
        if _model is None and DEFAULT_MODEL.is_file():
            _model = SafetyModel.load(DEFAULT_MODEL)
        return _model


def screen_many(texts: Sequence[str], *, model: SafetyModel | None = None, use_model: bool = True,
                threshold: float | None = None) -> list[Verdict]:
    """A verdict per text: a blocking lexicon word refuses with its risk; otherwise the model decides, at its
    own threshold or the one given (the gateway's input screen is stricter than the benchmark's)."""
    model = (model or load_model()) if use_model else None
    out: list[Verdict | None] = []
    for t in texts:
        hits = [h for h in checks.sensitive_hits(t or "") if h.blocking]
        out.append(Verdict("refuse", hits[0].risk, 1.0, "lexicon") if hits else None)
    todo = [i for i, v in enumerate(out) if v is None]
    if model is not None and todo:
        scores, cats = model.refuse_scores([texts[i] or "" for i in todo])
        for i, s, c in zip(todo, scores, cats):
            refuse = bool(s >= (model.threshold if threshold is None else threshold))
            out[i] = Verdict("refuse" if refuse else "answer", c if refuse else None, round(float(s), 4), "model")
    return [v or Verdict("answer", None, 0.0, "lexicon") for v in out]


def screen(text: str, *, threshold: float | None = None) -> Verdict:
    """The verdict on one text (see screen_many)."""
    return screen_many([text], threshold=threshold)[0]


def refusal(category: str | None, lang: str = "zh") -> str:
    """The refusal for a refused request, naming its TC260-003 category."""
    cat = (category or "A.1")[:3]
    lex = checks.load_lexicon()
    name = lex.categories.get(cat, {}).get("name_zh" if lang == "zh" else "name_en", "") or cat
    return REFUSAL.get(lang, REFUSAL["zh"]).format(category=name)
