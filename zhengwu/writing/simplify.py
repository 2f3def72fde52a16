"""Plain-language rewriting (政务文字通俗化) with audience presets, and readability before and after.

Presets: 通俗版 (general public), 老年人版 (older readers: short sentences, no jargon), 儿童版 (children),
English (a plain English version). With a generative model (scenario ``simplify``, through the gateway) the
model rewrites; without one, rules do what rules can do safely:
1. sentences are split at ；and, when still longer than the preset's limit, at the ，nearest the middle
   (never inside a 、 list or quotation marks);
2. officialese words are replaced by plain ones from a small hand-written table (予以→给予, 即→就是, 系→是,
   须→必须, 凡→凡是, 逾期→超过期限, 兹→现在 …), only where jieba sees the whole word, so 即使 or 系统 stay;
3. Chinese numerals with a unit (十六周岁, 一九八六年, 百分之三十) become Arabic numerals.
English needs a generative model: without one the rule mode says so and returns no translation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from zhengwu.gateway import Governed
from zhengwu.context import Caller
from zhengwu.errors import ZhengwuError
from zhengwu.sentences import split_sentences
from zhengwu.writing import assist
from zhengwu.writing.readability import compare

MAX_INPUT_CHARS = 50_000

AUDIENCES: dict[str, dict] = {
    "通俗版": {"max_sentence": 40, "desc": "普通群众都能看懂的通俗版", "style": "句子简短，用日常用语代替公文套话。"},
    "老年人版": {"max_sentence": 30, "desc": "适合老年人阅读的版本", "style": "句子更短，一句话只讲一件事，少用术语和外来词，重要的数字和地点单独说明。"},
    "儿童版": {"max_sentence": 24, "desc": "小学生能看懂的儿童版", "style": "用孩子熟悉的词语和短句，必要时加一句简单解释。"},
    "English": {"max_sentence": 0, "desc": "plain English for foreign residents",
                "style": "Translate into plain English (CEFR B1), short sentences, keep names of offices and amounts exact."},
}
AUDIENCE_ALIASES = {"plain": "通俗版", "elderly": "老年人版", "senior": "老年人版", "children": "儿童版",
                    "child": "儿童版", "en": "English", "english": "English"}

# Officialese → plain words. Keys are whole jieba words; only unambiguous ones are listed.
PLAIN_WORDS: dict[str, str] = {
    "予以": "给予", "给予": "给", "即": "就是", "系": "是", "须": "必须", "凡": "凡是", "逾期": "超过期限", "兹": "现在",
    "业经": "已经", "拟": "打算", "尚未": "还没有", "届时": "到时候", "亦": "也", "均": "都", "皆": "都",
    "毋须": "不用", "无须": "不用", "不得": "不能", "应当": "应该", "依照": "按照", "依据": "根据", "鉴于": "因为",
    "酌情": "根据情况", "责令": "要求", "如下": "下面这些", "若": "如果", "倘若": "如果", "其他": "别的",
    "上述": "上面说的", "前款": "上一款", "自行": "自己", "即日起": "从今天起", "于": "在", "该": "这个",
    "办理": "办", "缴纳": "交", "申领": "申请领取", "受理": "接收办理", "告知": "告诉", "知悉": "知道",
}
_HAN_NUM = "零〇一二两三四五六七八九十百千万"
_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNIT = {"十": 10, "百": 100, "千": 1000}
# Words that start with a numeral but are not numbers.
_NOT_NUMBERS = ("十分", "百姓", "千万", "万一", "百货", "十足", "一千零一", "百般", "千方百计", "万万", "十全十美",
                "三令五申", "一五一十", "万事", "千古", "百家", "万物", "一一", "四五", "二三")
_NUM_RE = re.compile(f"(百分之)?([{_HAN_NUM}]{{2,}})")
# A single digit 二…九 before a measure word (三年内, 五日, 两倍): converted too; 一 is left (一个, 一项, 统一).
_SINGLE_RE = re.compile(f"(?<![{_HAN_NUM}第])([二两三四五六七八九])(?=(?:个月|年|日|天|倍|周岁|岁|次|名|小时|元|万元|周))")


def normalise_audience(audience: str) -> str:
    a = (audience or "通俗版").strip()
    a = AUDIENCE_ALIASES.get(a.lower(), a)
    if a not in AUDIENCES:
        raise ZhengwuError("bad_audience", f"不支持的读者对象：{audience}（可选：{'、'.join(AUDIENCES)}）。",
                           f"Unknown audience {audience} (choose {', '.join(AUDIENCES)}).")
    return a


def han_to_int(s: str) -> int | None:
    """十六 → 16, 一九八六 → 1986, 二千零五 → 2005, 三万五千 → 35000; None when it is not a clean numeral."""
    if all(ch in _DIGIT for ch in s):
        return int("".join(str(_DIGIT[ch]) for ch in s)) if len(s) >= 2 else _DIGIT[s]
    total, section, number = 0, 0, None
    for ch in s:
        if ch in "零〇":
            continue
        if ch in _DIGIT:
            if number is not None:  # two digits in a row inside a unit numeral: not clean
                return None
            number = _DIGIT[ch]
        elif ch in _UNIT:
            section += (number if number is not None else 1) * _UNIT[ch]
            number = None
        elif ch == "万":
            total += (section + (number or 0)) * 10000
            section, number = 0, None
        else:
            return None
    return total + section + (number or 0)


def arabic_numerals(text: str) -> str:
    """Chinese numerals with a unit or a year (十六周岁, 一九八六年, 百分之三十) as Arabic numerals."""
    def repl(m: re.Match) -> str:
        pct, num = m.group(1), m.group(2)
        start = m.start(2)
        if any(text.startswith(w, start) for w in _NOT_NUMBERS):
            return m.group(0)
        after = text[m.end(): m.end() + 1]
        is_year = all(ch in _DIGIT for ch in num) and len(num) == 4 and after == "年"
        has_unit = any(ch in "十百千万" for ch in num)
        if not (is_year or has_unit or pct):
            return m.group(0)
        value = han_to_int(num)
        if value is None:
            return m.group(0)
        return f"{value}%" if pct else str(value)
    text = _NUM_RE.sub(repl, text)
    return _SINGLE_RE.sub(lambda m: str(_DIGIT[m.group(1)]), text)


def plain_words(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Replace whole officialese words; returns the text and the (old, new) pairs used."""
    out, used = [], []
    for w in assist.lcut(text):
        new = PLAIN_WORDS.get(w)
        if new:
            out.append(new)
            used.append((w, new))
        else:
            out.append(w)
    return "".join(out), used


def _split_long(sentence: str, limit: int) -> list[str]:
    """Split at the ，nearest the middle (outside quotes and 、 lists) until each piece fits the limit."""
    if len(sentence) <= limit:
        return [sentence]
    depth, candidates = 0, []
    for i, ch in enumerate(sentence):
        if ch in "“‘《（(":
            depth += 1
        elif ch in "”’》）)":
            depth = max(0, depth - 1)
        elif ch in "，," and depth == 0 and 8 <= i <= len(sentence) - 8 and sentence[i - 1] != "的":
            # never after "…的，": that comma ends a condition whose consequence follows
            candidates.append(i)
    if not candidates:
        return [sentence]
    mid = len(sentence) / 2
    cut = min(candidates, key=lambda i: abs(i - mid))
    end = sentence[-1] if sentence[-1] in "。！？" else "。"
    left = sentence[:cut] + "。"
    right = sentence[cut + 1:]
    if right and right[-1] not in "。！？":
        right += end
    return _split_long(left, limit) + _split_long(right, limit)


def split_sentences_for(text: str, limit: int) -> str:
    """；becomes a sentence end, then long sentences are cut at commas (see module docstring)."""
    out_lines = []
    for line in text.splitlines():
        sents = []
        for p in split_sentences(line, semicolons=True):
            p = re.sub(r"[；;]$", "。", p)
            sents.extend(_split_long(p, limit))
        out_lines.append("".join(sents))
    return "\n".join(out_lines)


def simplify_rules(text: str, audience: str = "通俗版") -> tuple[str, list[tuple[str, str]]]:
    """The rule-based rewrite (Chinese presets only)."""
    limit = AUDIENCES[audience]["max_sentence"]
    t = arabic_numerals(text)
    t, used = plain_words(t)
    t = split_sentences_for(t, limit)
    return t, used


@dataclass
class SimplifyResult:
    text: str
    audience: str
    mode: str  # "generative" | "rules" | "unavailable"
    ai_generated: bool
    readability: dict = field(default_factory=dict)
    replacements: list[tuple[str, str]] = field(default_factory=list)
    message_zh: str = ""
    message_en: str = ""
    backend: str | None = None
    model: str | None = None
    audit_id: int | None = None

    def to_dict(self) -> dict:
        out = {"text": self.text, "audience": self.audience, "mode": self.mode, "ai_generated": self.ai_generated,
               "readability": self.readability, "replacements": [list(r) for r in self.replacements],
               "message_zh": self.message_zh, "message_en": self.message_en, "backend": self.backend,
               "model": self.model, "audit_id": self.audit_id,
               "label": Governed.explicit_label() if self.ai_generated else None}
        return Governed.label_json(out) if self.ai_generated else out


def simplify(caller: Caller, text: str, *, audience: str = "通俗版", use_model: bool | None = None) -> SimplifyResult:
    """Rewrite for an audience; readability before/after; one audit record in scenario simplify."""
    text = (text or "").strip()
    if not text:
        raise ZhengwuError("empty_text", "没有需要改写的文字。", "There is no text to rewrite.")
    if len(text) > MAX_INPUT_CHARS:
        raise ZhengwuError("text_too_long", f"文字过长（超过 {MAX_INPUT_CHARS} 字），请分段改写。",
                           f"The text is too long (over {MAX_INPUT_CHARS} characters); rewrite it in parts.")
    audience = normalise_audience(audience)
    preset = AUDIENCES[audience]
    messages = [{"role": "system", "content": assist.fill(assist.load_prompt("simplify"), audience_desc=preset["desc"],
                                                          style=preset["style"])},
                {"role": "user", "content": text}]
    completion = assist.try_complete(caller, "simplify", messages, use_model=use_model)
    if completion is not None:
        out = completion.text.replace(f"（{Governed.explicit_label()}）", "").strip()
        info = assist.completion_info(completion)
        return SimplifyResult(text=out, audience=audience, mode="generative", ai_generated=True,
                              readability=compare(text, out) if audience != "English" else {},
                              backend=info["backend"], model=info["model"], audit_id=info["audit_id"])
    if audience == "English":
        audit_id = assist.audit(caller, "simplify", "simplify", input_text=text[:2000],
                                extra={"mode": "unavailable", "audience": audience})
        return SimplifyResult(text="", audience=audience, mode="unavailable", ai_generated=False,
                              message_zh="英文版需要接入生成模型；当前为无模型模式，无法翻译。",
                              message_en="An English version needs a generative model; none is configured, "
                                         "so no translation was made.", backend="rules", audit_id=audit_id)
    out, used = simplify_rules(text, audience)
    audit_id = assist.audit(caller, "simplify", "simplify", input_text=text[:2000], output_text=out[:2000],
                            extra={"mode": "rules", "audience": audience})
    return SimplifyResult(text=out, audience=audience, mode="rules", ai_generated=False,
                          readability=compare(text, out), replacements=used, backend="rules", audit_id=audit_id,
                          message_zh="无模型模式：按规则拆分长句、替换公文用语、转换数字。",
                          message_en="Rule mode: long sentences split, officialese replaced, numerals converted.")
