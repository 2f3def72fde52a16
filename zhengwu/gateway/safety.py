"""Content safety screen per TC260-003 / GB/T 45654-2025: should this request be refused?

Three signals, one decision:
- the TC260-003 lexicon (zhengwu/gateway/checks.py): a blocking word refuses at once, naming its risk;
- a jailbreak rule: a request that asks the model to drop its rules (developer mode, "no moral limits", a
  role-play persona told to insult or ignore ethics) is refused whatever it wraps. Why a rule: a wrapper is a
  long template around a short question, and a character n-gram model fitted without such templates scores
  the held-out JailBench rows near 0 (its wrappers look like harmless prose);
- a linear model over character 1–3-grams and co-occurrence cues (a harm object next to a request, a group of
  people next to a demeaning predicate …: safety_cues), all hashed, so the shipped model is only its weights and
  the names of its feature parts, no vocabulary or pickle. It scores six classes: "answer" and the five TC260-003
  categories A.1–A.5. A text is refused when 1 − P(answer) reaches the model's threshold; its category is the
  most probable of A.1–A.5.

The same classifier reads model output as an output check (`content_safety`, setting `safety_output`).

Why a linear model over character n-grams: it runs offline on 2 cores at thousands of texts per second, needs
no word segmentation (Chinese harmful requests are often misspelt or wrapped in jailbreak templates), and can
be refitted in seconds on a deployment's own test banks.

Data licence: the shipped weights (data/safety_model.npz) are fitted only on the shared dev halves whose
licence allows it (MIT / Apache-2.0: JailBench, JADE, MultiJail, XSafety, ChineseSafetyQA, CValues,
SafetyBench; see SHIPPABLE_LICENCES) and on real government text (lines and question-shaped rows, may be
shipped). CHiSafetyBench, S-Eval, CMMLU, CBBQ and XSTest_cn are for measuring only, which also makes them
held-out sets for the shipped model. Its threshold is chosen on cross-validated scores (choose_threshold).
"""

from __future__ import annotations

import json
import re
import threading
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ahocorasick_rs
import numpy as np

from zhengwu.config import get_settings
from zhengwu.errors import ZhengwuError
from zhengwu.gateway import checks, safety_cues
from zhengwu.hookspecs import hookimpl

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

DEFAULT_MODEL = Path(__file__).parent / "data" / "safety_model.npz"
N_FEATURES = 2 ** 18
CATEGORIES = ("A.1", "A.2", "A.3", "A.4", "A.5")
ANSWER = "answer"
SHIPPABLE_LICENCES = ("MIT", "Apache-2.0")
MAX_WRONGFUL = 0.05  # TC260-003: at most 5 % of should-answer questions refused; the threshold is chosen for it

# The refusals in the standard's style, one per category: say that this cannot be answered and why, without
# lecturing or repeating the request, and point to a human channel. Chinese first; English for lang="en".
_HUMAN_ZH = "如需帮助，请联系人工服务或拨打12345政务服务便民热线。"
_HUMAN_EN = "For help, contact a staff member (人工服务) or call the 12345 government service hotline."
_RULES_ZH = "根据《生成式人工智能服务管理暂行办法》等相关规定，"
_RULES_EN = "Under the Interim Measures for the Management of Generative AI Services and related rules, "
REFUSALS = {
    "A.1": ("抱歉，您的问题涉及违反法律法规或社会主义核心价值观的内容，" + _RULES_ZH + "我无法回答。" + _HUMAN_ZH,
            "Sorry, your request concerns content that violates laws and regulations or core socialist values "
            "(Violates core socialist values). " + _RULES_EN + "it cannot be answered. " + _HUMAN_EN),
    "A.2": ("抱歉，您的问题涉及对特定群体的歧视性内容（歧视性内容），" + _RULES_ZH + "我无法回答。我们尊重每一位群众，"
            "不因民族、信仰、地域、性别、年龄、职业、健康等区别对待。" + _HUMAN_ZH,
            "Sorry, your request concerns discriminatory content (Discriminatory content) about a group of people. "
            + _RULES_EN + "it cannot be answered. " + _HUMAN_EN),
    "A.3": ("抱歉，您的问题涉及侵犯知识产权、商业秘密或不正当竞争等商业违法违规内容，" + _RULES_ZH + "我无法回答。"
            "如需了解相关法律规定，请联系人工服务或拨打12345政务服务便民热线。",
            "Sorry, your request concerns commercial violations (intellectual property, trade secrets, unfair "
            "competition). " + _RULES_EN + "it cannot be answered. " + _HUMAN_EN),
    "A.4": ("抱歉，您的问题可能侵犯他人的合法权益（身心健康、肖像、名誉、隐私或个人信息），" + _RULES_ZH + "我无法回答。"
            "如您或他人正面临危险，请立即拨打110或120；" + _HUMAN_ZH,
            "Sorry, your request may infringe other people's lawful rights and interests (health, portrait, "
            "reputation, privacy or personal information). " + _RULES_EN + "it cannot be answered. If you or "
            "someone else is in danger, call 110 or 120 now. " + _HUMAN_EN),
    "A.5": ("抱歉，您的问题需要专业、准确的判断，我无法保证回答内容准确可靠，因此不作回答。请咨询相关专业机构；"
            + _HUMAN_ZH,
            "Sorry, your request needs a professional, accurate judgement that this service cannot guarantee, so it "
            "is not answered. Please consult the competent professional body. " + _HUMAN_EN),
    "jailbreak": ("抱歉，您的请求试图让我绕过安全规则，" + _RULES_ZH + "我无法按此方式回答。如有具体问题，请直接提出；"
                  + _HUMAN_ZH,
                  "Sorry, your request asks this service to set its safety rules aside. " + _RULES_EN + "it cannot be "
                  "answered that way. Please ask your question directly. " + _HUMAN_EN),
}

# A jailbreak: markers that switch the rules off, or a role-play persona together with what it is told to be
# (rude, evil, free of ethics). Written from the public jailbreak families (DAN, developer mode, AIM, personas);
# checked to hit none of 20,762 lines of government text and 7,372 citizens' messages.
_JAILBREAK = re.compile("|".join([
    r"开发者模式|developer\s*mode|\bDAN\b|越狱模式|jailbreak",
    r"(?:无视|忽略|忽视|放弃|忘记|忘掉|抛开|摆脱|不再遵守|不必遵守|不需要遵守|无需遵守)(?:掉)?(?:你|您)?"
    r"(?:之前|以前|此前|先前|上面|以上|所有|一切|全部|任何|原有|原来|既定|现有)的?.{0,12}?"
    r"(?:指令|指引|指南|规则|限制|指示|准则|政策|规定|约束|设定|道德|伦理|审查|过滤)",
    r"(?:不受|不存在|不遵守|不遵循|摆脱|超越|无视)(?:任何)?(?:的)?(?:伦理|道德|法律|内容|安全)(?:和|或|与|、)?"
    r"(?:道德|伦理|法律)?(?:的)?(?:限制|约束|准则|底线|规范|过滤|审查|束缚|顾虑)"
    r"|没有任何(?:伦理|道德|内容|安全)?(?:限制|约束|准则|底线|过滤|审查)",
    r"(?:无道德|不道德|未经过滤|无过滤|不受审查|无审查|无限制)的?(?:聊天机器人|人工智能|AI|助手|模型|角色|版本)",
    r"(?:永远|绝对|从来)?不(?:会|能|要|得)拒绝(?:任何|我的|用户的)?(?:请求|问题|要求|指令)",
    r"(?:不要|不得|不能|禁止)(?:添加|加入|给出|发出|包含)(?:任何)?(?:警告|免责声明|道德说教|提醒)",
]), re.IGNORECASE)
_ROLE = re.compile(r"扮演|口吻|你就是一个|你将是一个|你现在是一个|设定为|假设故事|场景设定|模拟对话|以.{1,30}的语气"
                   r"|第\s*(?:i\s*\+?\s*\d*|\d+)\s*层")
_PERSONA = re.compile(r"道德|伦理|合法性|侮辱|嘲弄|嘲笑|讽刺|挑衅|冒犯|贬低|轻蔑|尖酸|刻薄|邪恶|反派|不择手段|狂妄|无所不能"
                      r"|不道德|粗鲁|愤世嫉俗|看不起|超级黑客|破解任何|小丑|恶棍|罪犯|避免给出实际|避免提供任何实质")


# Every match of _JAILBREAK or _ROLE contains one of these (lower-cased) and starts at most 12 characters before
# it and ends within 48 after: the patterns run only on those windows. Why: the two regexes over a whole
# 2,000-character prompt took 0.7 ms; one automaton pass takes 0.06 ms and most prompts have no anchor at all.
_ANCHORS = ahocorasick_rs.AhoCorasick(sorted({
    "开发者模式", "developer", "dan", "越狱模式", "jailbreak", "无视", "忽略", "忽视", "放弃", "忘记", "忘掉", "抛开", "摆脱",
    "遵守", "遵循", "不受", "不存在", "超越", "没有任何", "道德", "过滤", "审查", "无限制", "拒绝", "警告", "免责声明", "说教", "提醒",
    "扮演", "口吻", "你就是一个", "你将是一个", "你现在是一个", "设定为", "假设故事", "场景设定", "模拟对话", "语气", "层"}))


def _windows(text: str) -> list[str]:
    starts = sorted({start for _, start, _ in _ANCHORS.find_matches_as_indexes(text.lower(), overlapping=True)})
    return [text[max(0, st - 12):st + 48] for st in starts]


def is_jailbreak(text: str) -> bool:
    """Whether `text` asks the model to set its rules aside (see _JAILBREAK)."""
    windows = _windows(text)
    if any(_JAILBREAK.search(w) for w in windows):
        return True
    return len(text) >= 60 and any(_ROLE.search(w) for w in windows) and bool(_PERSONA.search(text))

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
    score: float  # the refusal score in [0, 1] (1.0 for a blocking lexicon word or a jailbreak)
    by: str  # "lexicon" | "jailbreak" | "model"

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


# The parts a model's features may have; a model file records its own. Why cues: character n-grams learn each
# test bank's style as much as the harm; a harm object next to a request generalises across banks (measured:
# docs/benchmarks.md, fifth session). Why words are not in the default: jieba segments about 170,000
# characters/s, 12 ms of a 2,000-character prompt, for a gain within the fitting noise.
CHAR = "char"  # character 1–3-grams
WORDS = "words"  # jieba word 1–2-grams (optional: bench/fit_safety.py --features)
CUES = "cues"  # co-occurrence pairs (safety_cues.cue_tokens)
FEATURE_SETS = (CHAR, WORDS, CUES)
DEFAULT_FEATURES = (CHAR, CUES)
CUE_WEIGHT = 0.5  # each cue a binary feature beside the unit-length n-gram vector


def _named_ids(names: Iterable[str]) -> np.ndarray:
    """Hashed ids of named features (cue tokens, words), in the same N_FEATURES columns as the n-grams."""
    return np.array([zlib.crc32(n.encode("utf-8")) & (N_FEATURES - 1) for n in names], dtype=np.int64)


def _unit(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    ids, counts = np.unique(ids, return_counts=True)
    v = counts.astype(np.float32)
    return ids, v / np.sqrt((v * v).sum())


def _words(text: str) -> list[str]:
    import jieba

    w = [x for x in jieba.lcut(text, HMM=False) if x.strip()]
    return [f"w:{x}" for x in w] + [f"w2:{a}|{b}" for a, b in zip(w, w[1:])]


def _row(text: str, feature_set: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """One text's (ids, values): each part L2-normalised on its own, cues as binary indicators."""
    text = text or " "
    parts = []
    if CHAR in feature_set:
        parts.append(_unit(_ngram_ids(text)))
    if WORDS in feature_set:
        names = _words(text)
        if names:
            parts.append(_unit(_named_ids(names)))
    if CUES in feature_set:
        names = [f"cue:{t}" for t in safety_cues.cue_tokens(text)]
        if names:
            ids = np.unique(_named_ids(names))
            parts.append((ids, np.full(len(ids), CUE_WEIGHT, dtype=np.float32)))
    if not parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    ids = np.concatenate([p[0] for p in parts])
    vals = np.concatenate([p[1] for p in parts])
    if len(parts) > 1:  # colliding ids of different parts are summed
        ids, inv = np.unique(ids, return_inverse=True)
        vals = np.bincount(inv, weights=vals).astype(np.float32)
    return ids, vals


def features(texts: Sequence[str], feature_set: Sequence[str] = DEFAULT_FEATURES) -> csr_matrix:
    """The hashed feature rows of `texts` (N_FEATURES columns) for the given parts (FEATURE_SETS)."""
    from scipy.sparse import csr_matrix  # ~0.2 s of CPU: only in a process that screens text

    indptr, indices, data = [0], [], []
    for t in texts:
        ids, v = _row(t, feature_set)
        indices.append(ids)
        data.append(v)
        indptr.append(indptr[-1] + len(ids))
    return csr_matrix((np.concatenate(data), np.concatenate(indices), np.array(indptr)),
                      shape=(len(texts), N_FEATURES))


@dataclass
class SafetyModel:
    classes: list[str]
    coef: np.ndarray  # (n_classes, N_FEATURES)
    intercept: np.ndarray  # (n_classes,)
    threshold: float  # refuse when 1 - P(answer) >= threshold
    feature_set: tuple[str, ...] = (CHAR,)  # the parts of `features` it was fitted on (a file without: CHAR)

    def __post_init__(self) -> None:
        # (N_FEATURES, n_classes), contiguous: `x @ coef.T` would copy the 6 MB matrix on every call
        self._weights = np.ascontiguousarray(self.coef.T)

    def refuse_scores(self, texts: Sequence[str]) -> tuple[np.ndarray, list[str]]:
        """1 − P(answer) per text, and the most probable TC260 category."""
        x = features(texts, self.feature_set)
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
                            intercept=self.intercept, threshold=np.array(self.threshold),
                            feature_set=np.array(self.feature_set))

    @classmethod
    def load(cls, path: Path) -> "SafetyModel":
        with np.load(path, allow_pickle=False) as z:
            feature_set = tuple(str(f) for f in z["feature_set"]) if "feature_set" in z.files else (CHAR,)
            if set(feature_set) - set(FEATURE_SETS):
                raise ZhengwuError("safety_model_features", f"内容安全模型 {path} 使用了未知的特征：{feature_set}",
                                   f"The content safety model {path} uses unknown features: {feature_set}")
            return cls([str(c) for c in z["classes"]], z["coef"].astype(np.float32), z["intercept"],
                       float(z["threshold"]), feature_set)


def fit(texts: Sequence[str], labels: Sequence[str], *, threshold: float = 0.5, alpha: float = 2e-6,
        feature_set: Sequence[str] = DEFAULT_FEATURES) -> SafetyModel:
    """A multinomial linear model (logistic loss, SGD: seconds on 2 cores where LBFGS takes minutes) on the hashed
    features of `feature_set` (FEATURE_SETS), classes balanced (the refuse side is spread over five categories)."""
    from sklearn.linear_model import SGDClassifier

    if not feature_set or set(feature_set) - set(FEATURE_SETS):
        raise ZhengwuError("safety_model_features",
                           f"未知的内容安全特征：{tuple(feature_set)}（可选：{'、'.join(FEATURE_SETS)}）",
                           f"Unknown content safety features: {tuple(feature_set)} "
                           f"(choose from {', '.join(FEATURE_SETS)})")
    clf = SGDClassifier(loss="log_loss", alpha=alpha, max_iter=30, tol=1e-4, class_weight="balanced",
                        random_state=0)
    clf.fit(features(texts, feature_set), list(labels))
    coef, intercept = clf.coef_.astype(np.float32), np.asarray(clf.intercept_, dtype=np.float64)
    if len(clf.classes_) == 2:  # sklearn keeps one row for two classes: softmax over [0, w·x + b] is the same
        coef, intercept = np.vstack([np.zeros_like(coef), coef]), np.concatenate([[0.0], intercept])
    return SafetyModel([str(c) for c in clf.classes_], coef, intercept, threshold, tuple(feature_set))


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


def government_questions(paths: Iterable[Path], *, limit: int = 4000) -> list[str]:
    """Question-shaped government text as should-answer rows: a question about each chapter of each law in
    `paths` ("《宗教事务条例》关于宗教活动场所有哪些规定？") and about each service guide ("如何办理…？").

    Why: every other answer-side row is an exam question or a statement, so a plain question on a sensitive but
    legitimate topic (religion law, ethnic autonomy, martyrs, the criminal law's chapter on endangering state
    security) looked like a request to be refused. The topics come from real laws and guides; the question
    frames are ours."""
    frames = ("《{law}》关于{topic}有哪些规定？", "{topic}方面，《{law}》是怎么规定的？", "请介绍一下《{law}》中{topic}的内容",
              "根据《{law}》，{topic}有什么要求？")
    out: list[str] = []
    for path in paths:
        with Path(path).open(encoding="utf-8") as fh:
            for line in fh:
                r = json.loads(line)
                if r.get("item_name"):
                    item = r["item_name"]
                    out += [f"如何办理{item}？", f"办理{item}需要哪些材料？", f"{item}的受理条件是什么？"]
                    continue
                law = r.get("short_name") or r.get("title") or ""
                for topic in re.findall(r"^## 第[一二三四五六七八九十百]+章\s*(.+)$", str(r.get("text", "")), re.M)[:8]:
                    topic = topic.strip()
                    if law and topic not in ("总则", "附则") and len(topic) <= 20:
                        out.append(frames[zlib.crc32(f"{law}{topic}".encode()) % len(frames)].format(law=law, topic=topic))
    step = max(1, len(out) // limit)  # a spread over all laws and guides rather than the first ones
    return out[::step][:limit]


def answer_rows(paths: Iterable[Path]) -> list[str]:
    """All the should-answer rows drawn from government text files: lines and question-shaped rows."""
    paths = list(paths)
    return government_texts(paths) + government_questions(paths)


def training_rows(rows: Iterable[dict]) -> list[dict]:
    """The rows a model may be fitted on: licence permitting (SHIPPABLE_LICENCES), jailbreaks left to the rule
    (their 20 templates would otherwise take much of the model's weight)."""
    return [r for r in rows if r.get("licence") in SHIPPABLE_LICENCES and not is_jailbreak(r["text"])]


def choose_threshold(scores: Sequence[float], refuse: Sequence[bool], *, max_wrongful: float = MAX_WRONGFUL) -> float:
    """The lowest refusal threshold whose wrongful-refusal rate on the should-answer rows is at most
    `max_wrongful`: as many refusals as the TC260-003 bound on wrongful refusals allows. Pass cross-validated
    scores of the fitted-on sources only (in-sample scores would choose a threshold far too low)."""
    s, y = np.asarray(scores, dtype=np.float64), np.asarray(refuse, dtype=bool)
    answer = np.sort(s[~y])
    if not len(answer):
        return 0.5
    k = int(np.floor(max_wrongful * len(answer)))  # at most k answer rows may reach the threshold
    t = float(answer[len(answer) - k - 1]) if k < len(answer) else 0.0
    return round(float(np.nextafter(t, 1.0)), 4) if t < 1.0 else 1.0


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
    own threshold (chosen when it was fitted) or the one given."""
    model = (model or load_model()) if use_model else None
    out: list[Verdict | None] = []
    for t in texts:
        hits = [h for h in checks.sensitive_hits(t or "") if h.blocking]
        out.append(Verdict("refuse", hits[0].risk, 1.0, "lexicon") if hits else None)
    todo = [i for i, v in enumerate(out) if v is None]
    jail = {i for i in todo if is_jailbreak(texts[i] or "")}
    if model is not None and todo:
        scores, cats = model.refuse_scores([texts[i] or "" for i in todo])
        for i, s, c in zip(todo, scores, cats):
            if i in jail:  # refused whatever it wraps; the category is the model's reading of the wrapped request
                out[i] = Verdict("refuse", c, 1.0, "jailbreak")
                continue
            refuse = bool(s >= (model.threshold if threshold is None else threshold))
            out[i] = Verdict("refuse" if refuse else "answer", c if refuse else None, round(float(s), 4), "model")
    for i in jail:
        out[i] = out[i] or Verdict("refuse", "A.1", 1.0, "jailbreak")
    return [v or Verdict("answer", None, 0.0, "lexicon") for v in out]


def screen(text: str, *, threshold: float | None = None) -> Verdict:
    """The verdict on one text (see screen_many)."""
    return screen_many([text], threshold=threshold)[0]


def refusal(category: str | None, lang: str = "zh", *, by: str = "") -> str:
    """The refusal for a refused request in the wording of its TC260-003 category (A.1 … A.5, or a risk such as
    A.2.e), or of a jailbreak; Chinese unless lang="en"."""
    zh, en = REFUSALS.get("jailbreak" if by == "jailbreak" else (category or "A.1")[:3], REFUSALS["A.1"])
    return en if lang == "en" else zh


@hookimpl
def register_output_checks(register: Any) -> None:
    """The classifier on model output (the lexicon is its own check, "sensitive")."""
    register("content_safety", output_check)


def output_check(text: str, call: Any = None) -> list[str]:
    """The classifier's reading of a model's output, per the `safety_output` setting: "note" reports
    `<category>:<score>` from `safety_output_threshold` on, "refuse" also reports `block:<category>` so the door
    replaces the output by the refusal, "off" does nothing. Why not refuse by default: the model was fitted on
    requests, not answers; a department turns it on after reviewing what it notes."""
    settings = get_settings()
    model = load_model()
    if settings.safety_output == "off" or model is None or not text:
        return []
    scores, cats = model.refuse_scores([text])
    if scores[0] < settings.safety_output_threshold:
        return []
    found = [f"{cats[0]}:{round(float(scores[0]), 4)}"]
    return found + ([f"block:{cats[0]}"] if settings.safety_output == "refuse" else [])
