"""Question rewriting: the conversation so far + the synonym table -> a standalone search query.

Why: citizens ask follow-ups ("那需要带什么材料？") that only make sense with the earlier turns, and use
everyday words (社保卡, 落户) where the documents use official terms (社会保障卡, 户口迁入). A follow-up
keeps the topic of the conversation; colloquial terms are mapped to the official ones (both are kept in
the query, so a document using either still matches). The synonym table ships as data
(zhengwu/qa/data/synonyms.json) and an administrator can override or extend it with
<data_dir>/qa/synonyms.json (same format; a group whose official term matches replaces the shipped one).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from zhengwu.match.cantonese import question_in_mandarin

DATA = Path(__file__).parent / "data"

# Words that name an aspect of a service, not its topic: a question made only of these is a follow-up.
ASPECT_WORDS = frozenset("""
材料 申请材料 资料 证件 证明 时间 时限 办理时限 多久 多长 期限 电话 咨询电话 联系方式 地点 办理地点 地址 哪里 哪儿 费用 收费
钱 条件 要求 流程 步骤 程序 办理 办 申请 申领 需要 带 准备 提供 网上 线上 在线 窗口 具体 怎么 如何 什么 哪些 多少 可以 能
吗 呢 还 那 那么 另外 还有 此外 然后 这个 那个 它 该 上述 这项 这 也 其他 别的 一下 请问 谁 几 天 工作日 去 到 交 我 我们
material materials document documents time long phone contact where fee fees cost step steps what how need bring
do does did i you we my me the a an to for of in on at is are be can could should would will apply get which when who
please about and or with this that it there any much many
""".split())
FOLLOWUP_PREFIX = re.compile(r"^\s*(那么|那|还有|另外|此外|然后|这个|那个|它|该|上述|这项|and\b|what about\b|how about\b|then\b|also\b)",
                             re.IGNORECASE)
# a turn's lead-in that says a new question follows ("对了，", "顺便问下", "另外想问", "换个问题"): no part of the question
LEAD_IN = re.compile(r"^\s*(对了|顺便(?:再)?(?:问(?:一)?下|问问|问一句|问)?|另外(?:再)?(?:想)?(?:问(?:一)?下|问问|问)?"
                     r"|还有(?:个问题|一个问题|件事|一件事)?|换个(?:问题|话题)|再问(?:一)?(?:下|个|句)?"
                     r"|我?还想问(?:一)?下?|我?想再问(?:一)?下?|再回到|再说回|说回到?|回到刚才(?:的|那个)?(?:问题|话题)?"
                     r"|by the way|another question)[\s，,。：:！!]*",
                     re.IGNORECASE)
PRONOUNS = re.compile(r"(这个|那个|它|上述|该事项|这项|此事|\bit\b|\bthat\b|\bthis\b)", re.IGNORECASE)
_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")


def detect_language(text: str) -> str:
    """"zh" when the question carries Chinese characters at all (mixed questions count as Chinese,
    the documents being Chinese); "en" for a question written in Latin letters only."""
    if _CJK.search(text or ""):
        cjk = len(_CJK.findall(text))
        latin_words = len(re.findall(r"[A-Za-z]+", text))
        return "en" if latin_words >= 4 and cjk <= 4 else "zh"
    return "en" if _LATIN.search(text or "") else "zh"


# --- synonyms ----------------------------------------------------------------------------------------------

def override_path() -> Path:
    from zhengwu.config import get_settings

    return get_settings().data_dir / "qa" / "synonyms.json"


def _stamp(path: Path) -> int | None:
    """The file's modification time (None when absent): what the tables' caches are keyed by."""
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


def _read_groups(path: Path) -> list[list[str]]:
    """The groups of one synonym file, read again only when the file changes (every question reads the tables
    several times: rewrite, subjects, abstention terms)."""
    stamp = _stamp(path)
    return [] if stamp is None else _parse_groups(path, stamp)


@lru_cache(maxsize=16)
def _parse_groups(path: Path, stamp: int) -> list[list[str]]:  # noqa: ARG001 - stamp keys the cache
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    groups = data.get("groups", data) if isinstance(data, dict) else data
    return [[str(t).strip() for t in g if str(t).strip()] for g in groups if isinstance(g, list) and len(g) >= 2]


def load_synonyms() -> list[list[str]]:
    """Shipped groups, with the administrator's groups replacing those of the same official term."""
    shipped = _read_groups(DATA / "synonyms.json")
    admin = _read_groups(override_path())
    by_official = {g[0]: g for g in shipped}
    for g in admin:
        by_official[g[0]] = g
    return list(by_official.values())


def save_synonym_group(terms: list[str]) -> Path:
    """Add or replace one group (first term = the official one) in the administrator's table."""
    terms = [t.strip() for t in terms if t.strip()]
    if len(terms) < 2:
        from zhengwu.errors import ZhengwuError

        raise ZhengwuError("synonyms_short", "同义词组至少需要两个词（第一个为官方用语）。",
                           "A synonym group needs at least two terms (the first is the official one).")
    path = override_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    groups = [g for g in _read_groups(path) if g[0] != terms[0]] + [terms]
    path.write_text(json.dumps({"groups": groups}, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def _spans(text: str, term: str) -> list[tuple[int, int]]:
    """Where `term` occurs in `text` (Latin terms as whole words, case-insensitive)."""
    if _LATIN.search(term):
        pat = re.compile(r"(?<![A-Za-z])" + re.escape(term) + r"(?![A-Za-z])", re.IGNORECASE)
    else:
        pat = re.compile(re.escape(term))
    return [m.span() for m in pat.finditer(text)]


def expand_synonyms(text: str, groups: list[list[str]] | None = None) -> tuple[str, list[tuple[str, str]]]:
    """-> (text with the official terms appended, [(colloquial, official) ...]).

    Longest match first, and a place of the text is read as one term only: "领养老金" is 养老金 (not 领养 →
    收养登记), "社保卡" is 社会保障卡 (not also 社保 → 社会保险)."""
    groups = load_synonyms() if groups is None else groups
    found = sorted(((end - start, start, end, term, g[0]) for g in groups if g[0] not in text
                    for term in g[1:] for start, end in _spans(text, term)), key=lambda m: (-m[0], m[1]))
    taken: list[tuple[int, int]] = []
    chosen: dict[str, tuple[int, str]] = {}  # official -> (position, colloquial)
    for _, start, end, term, official in found:
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        if official not in chosen or start < chosen[official][0]:
            chosen[official] = (start, term)
    added = [(term, official) for official, (_, term) in sorted(chosen.items(), key=lambda kv: kv[1][0])]
    if not added:
        return text, []
    return text + " " + " ".join(o for _, o in added), added


# a year said with two digits before a holiday or a month ("19年五一", "20年国庆", "21年3月"): the notices name it
# in full (2019年部分节假日安排), and "19年" alone matches every year's notice equally (a 1997 one came first)
_SHORT_YEAR = re.compile(r"(?<![\d０-９])([0-3]\d)年(?=的?(?:春节|过年|元旦|清明|五一|劳动节|端午|中秋|国庆|十一"
                         r"|[一二三四五六七八九十\d]{1,2}月|放假|节假日|上半年|下半年))")


def full_years(query: str) -> str:
    """`query` with each two-digit year before a holiday or a month appended in full ("19年五一" + 2019年)."""
    years = dict.fromkeys(f"20{m.group(1)}年" for m in _SHORT_YEAR.finditer(query))
    added = [y for y in years if y not in query]
    return f"{query} {' '.join(added)}" if added else query


_HAN_ONLY = re.compile(r"[\u4e00-\u9fff]+")


def restore_typos(text: str) -> str:
    """`text` with a synonym-table term of three or more characters typed with a character of the same sound put
    back ("设保卡" → 社保卡, "居住正" → 居住证, "公组房" → 公租房): citizens type with a pinyin input method, and a term
    read wrong finds neither its document nor its official form. The same rule as the matching rules' typos
    (`zhengwu.match.soundalike`: one character may differ, two in terms of five or more; a differing character
    that makes a common word with its neighbour is a word, not a typo), over the table's terms and the matching
    cues."""
    from zhengwu.match.soundalike import restore

    return restore(text, _typo_vocabulary(_stamp(DATA / "synonyms.json"), _stamp(override_path())))


@lru_cache(maxsize=4)
def _typo_vocabulary(*stamps: int | None) -> tuple[str, ...]:  # noqa: ARG001 - the tables' stamps key the cache
    """The terms a typo is restored to: built once per version of the synonym tables, not for every question."""
    from zhengwu.match.soundalike import CUES

    terms = {t for g in load_synonyms() for t in g
             if len(t) >= 3 and _HAN_ONLY.fullmatch(t) and not _ASKING_FRAME.search(t)}
    return tuple(sorted(terms | set(CUES)))


# a term that is an asking frame ("要不要钱", "收不收费", "要钱吗", "算不算工伤") is no matter to restore: its frame
# sounds alike in any question of the same form, so one differing character turned "户口要不要迁" into "要不要钱"
_ASKING_FRAME = re.compile(r"(.)不\1|[吗不]$")


LONG_MESSAGE = 30  # characters from which a message may carry a preamble before its question
_CLAUSES = re.compile(r"[，,。.！!？?；;：:\s]+")
_ASKING = re.compile(r"吗|呢|啥|什么|怎么|怎样|如何|哪|多少|几[个天年月号岁次]|能不能|可不可以|有没有|要不要|会不会|是否|多久|多长")


def asked_part(text: str) -> str:
    """The real question of a long message: its clauses from the last one that asks something (with the clause
    before it when that one names no matter of its own: "…上门养老服务的补贴，一个月多少"), or "" for a message
    short enough to be all question.

    Why: residents tell their story first ("你好，我是湖南的，刚来广州这边打工没多久，在电子厂上班住厂里宿舍，想办个
    居住证要啥材料啊"); counted whole, the preamble's words outweigh the question's, and the document that answers
    it looks as if it covered too little of the message to compete."""
    if len(text) < LONG_MESSAGE:
        return ""
    clauses = [c for c in _CLAUSES.split(text) if c]
    asking = [i for i, c in enumerate(clauses) if _ASKING.search(c)]
    if len(clauses) < 3 or not asking or asking[-1] == 0:
        return ""
    i = asking[-1]
    if not content_words(clauses[i]):
        i -= 1
    return " ".join(clauses[i:])


# --- conversation-aware rewrite -----------------------------------------------------------------------------

@dataclass
class Rewritten:
    original: str
    query: str  # sent to search: standalone question + official terms
    standalone: str  # the question as it reads on its own
    topic: str  # what the conversation is about (carried to the next turn)
    followup: bool = False
    synonyms: list[tuple[str, str]] = field(default_factory=list)
    language: str = "zh"
    asks: str = ""  # what the turn asks, for the kind of fact it wants: the question, or for "学生呢" the
    # earlier question it repeats for another subject ("一年交多少钱 学生")
    returns_to: str = ""  # the earlier topic a return continues ("我那个失业金…" after 生育津贴): its turn's document
    corrects: bool = False  # "不是 我们是没领证的": the previous answer rejected, its document not preferred


def _content_words(text: str) -> list[str]:
    from zhengwu.kb.tokenize import query_tokens

    return [t for t in query_tokens(text) if t not in ASPECT_WORDS and len(t) > 1 or (t.isascii() and len(t) > 3
                                                                                     and t not in ASPECT_WORDS)]


# content words that say how much, when or what is asked, not what about ("一个月", "能领", "怎么弄"): carried to
# the next turn they pulled its answer towards the earlier question's wording ("能领几个月" answered by
# "额外支付一个月工资")
_NOT_TOPIC = re.compile(r"^[\d一二两三四五六七八九十百千几每这那哪今明去本上下半多]+个?(年|月|天|日|号|次|周|岁|块|元)?$"
                        r"|^(怎么|如何|怎样|什么|哪些|哪里|哪个|多少|多久|是否|咋|啥|有没有|能不能|要不要|最多|最长|最少|自己)")


def content_words(question: str, *, generic: bool = False) -> list[str]:
    """A question's content words without the aspect asked about, the question words and the counts ("一个月"),
    nor words that start with a modal verb ("能领", "最多能"); generic nouns (银行, 手机) only if `generic`.
    A citizen's word of the synonym table is kept whole ("失业金", not 失业 / 金), unless the table translates it
    into an aspect ("材料" → 申请材料: what is asked, not what about)."""
    words: list[str] = []
    said = [c for c, official in expand_synonyms(question)[1] if official not in ASPECT_WORDS]
    for w in said + _content_words(question):
        if _NOT_TOPIC.match(w) or w.startswith(_MODAL_START) or (w in GENERIC_NOUNS and not generic):
            continue
        if not any(w in x for x in words):
            words = [x for x in words if x not in w] + [w]
    return words


def topic_of(question: str) -> str:
    """The topic words of a question: its content words (`content_words`), generic nouns included: they do not
    make a question a new topic, but they narrow the one it opens ("照片 审核" of "照片审核要几天": the next turn's
    "多久能拿到卡" read with 照片 alone found a passage on assistive devices). Family members ("我妈") and
    details ("以下" of "多少岁以下") are not carried: they name no matter, and the next turn's search and the
    abstention read them as terms its answer lacks."""
    return " ".join(w for w in content_words(question, generic=True)
                    if w.removeprefix("我") not in KIN_WORDS and w not in _BOUNDS)


# Nouns that name an aspect, a place or a generic thing rather than a service: "在哪个银行办？" or "有什么补贴？"
# asked after a topic still continue it.
GENERIC_NOUNS = frozenset("""
时候 手续 东西 问题 情况 地方 结果 进度 审核 标准 补贴 待遇 名额 网点 银行 单位 部门 人 事 事情 东西 办法 方式 渠道 途径
资格 手机 网上 现场 本人 家人 别人 小孩 孩子 老人 今年 明年 每月 每年 一年 一个月 几天 多少天
岁数 年纪 年龄 号码 电话号码 打电话 比例 费率
""".split())
_SUBJECT_FLAGS = frozenset({"n", "nz", "nt", "ns", "nl", "ng", "j", "eng", "vn", "l", "i", "nr", "t"})
_MODAL_START = tuple("能要可会该想得")
# jieba sometimes keeps a question phrase as one word ("多久能办好", "要带什么", "在哪办"): not a subject; nor is a
# Cantonese question word ("边度" = 哪里, "点样" = 怎么, "几耐" = 多久, "几时" = 什么时候, "乜嘢"/"咩" = 什么)
_QUESTION_BITS = ("什么", "多少", "怎么", "怎样", "哪", "吗", "呢", "多久", "多长", "几", "钱", "带",
                  "边度", "边处", "边个", "边间", "点样", "点解", "点搞", "乜", "咩", "唔", "喺", "冇", "攞", "咗")
# the family a citizen speaks of ("我老婆", "我爸", "小孙子") says whom the matter concerns, not which matter:
# "那我老婆孩子能一起迁吗" after a 户口 answer continues it (a group a policy names — 独生子女, 残疾人 — is a subject)
KIN_WORDS = frozenset("""
老婆 老公 妻子 丈夫 爱人 配偶 媳妇 老伴 两口子 夫妻 孩子 小孩 娃 娃娃 宝宝 儿子 女儿 闺女 儿媳 女婿 孙子 孙女 小孙子
小孙女 外孙 外孙女 爸 妈 爸爸 妈妈 老爸 老妈 父亲 母亲 爸妈 父母 爷爷 奶奶 外公 外婆 姥姥 姥爷 公公 婆婆 岳父 岳母
哥哥 姐姐 弟弟 妹妹 兄弟 姐妹 兄弟姐妹 家人 家里人 家属 亲戚 我们 他们 她们 自己
""".split())
# nouns naming a detail of a matter (its validity, its interest, the photo it needs, when it is declared) or the
# other party (公司, 政府), and time words: asked after a topic ("有效期几年", "利息政府补多少", "照片要审核多久",
# "批下来以后"), they continue it
DETAIL_NOUNS = frozenset("""
有效期 期限 利息 利率 贴息 额度 金额 照片 相片 密码 进度 截止 手续费 工本费 押金 回执 年限 申报 报名 预审 审批 公司 老板
政府 雇主 派出所 办事处 服务中心 政务服务中心 大厅 下来 过期 以后 之后 以前 之前 现在 目前 当时 今年 明年 去年 时候
期间 平时 最近 以下 以内 以上 过去 原件 复印件 房东 房主 业主
""".split())
# the other party of a matter ("房东要写什么", "公司要交吗"): whose act is asked about, not what the answer must name
OTHER_PARTIES = frozenset({"公司", "老板", "政府", "雇主", "房东", "房主", "业主"})
# where the asker is or comes from, said relative to them ("我人在外地", "外省户口的也能交吗", "我爸在老家"): no matter of
# its own (a policy's term for it — 异地就医, 省外 — is read in its own words by the document)
RELATIVE_PLACES = frozenset({"外地", "外省", "外市", "老家", "本地", "当地", "家乡", "原籍", "省外", "市外"})
# a place the asker says they are in ("我在广州回不去", "我人在深圳"): where they are, not the matter they ask about
_ASKER_AT = re.compile(r"(?:我|我们|我人|人)(?:现在|目前)?在([\u4e00-\u9fff]{2,4}?)"
                       r"(?=[，,。\s]|回|上班|工作|打工|住|读书|上学|办|交|领|不|没|去|$)")
_BOUNDS = frozenset({"以下", "以内", "以上"})  # "多少岁以下": the bound of what is asked, not its matter
# an ordinal or a degree says which time or how much, not what about ("第一次", "头一回", "最多", "最快")
_ORDINAL_OR_DEGREE = re.compile(r"^([第头首][\d一二两三四五六七八九十几]*[次回遍个]|最)")


def _subject_word(word: str, flag: str) -> bool:
    return (len(word) >= 2 and word.lower() not in ASPECT_WORDS and word not in GENERIC_NOUNS
            and word not in KIN_WORDS and word not in DETAIL_NOUNS and word not in RELATIVE_PLACES
            and not _NOT_TOPIC.match(word) and not _ORDINAL_OR_DEGREE.match(word)
            and not word.startswith(_MODAL_START) and not any(b in word for b in _QUESTION_BITS)
            # a "name" the tagger makes of a noun and the modal after it ("卡能" of "办好了卡能寄到家吗") is a fragment
            and not (flag == "nr" and word.endswith(_MODAL_START))
            and (flag in _SUBJECT_FLAGS or flag[:1] == "n"))


def own_subjects(question: str) -> list[str]:
    """The things a question names itself (居住证, 社保卡, 失业金 …), not the aspect it asks about.

    Why: a question that names its own subject ("如何办理居住证？") starts a new topic and is searched on
    its own, even right after a conversation about something else; only a question naming no subject of its
    own ("那需要带什么材料？", "多久能办好？") borrows the conversation's topic. Colloquial terms of the
    synonym table count as subjects (暂住证, 上户口), so do nouns of two characters or more that are neither
    aspect words nor generic nouns; words jieba mis-tags as nouns but that start with a modal verb
    ("能领") do not. Only words naming a matter (a service, a benefit, a document, a group a policy names) are
    subjects: a question word (Cantonese ones too: "喺边度办"), an ordinal or a degree ("第一次", "最多"), a table
    word standing for an aspect ("批下来" → 办理时限), a family member ("我老婆") or a detail of a matter
    ("有效期", "利息") is not — asked after an answer, such a question continues its topic.
    """
    from zhengwu.kb.query_dict import pos_cutter  # jieba's tagger without loading its whole table

    subjects: list[str] = []
    _, syn = expand_synonyms(question)
    # a citizen's word the table translates into an aspect ("批下来" → 办理时限, "收不收钱" → 收费) names no matter
    subjects += [c for c, official in syn if official not in ASPECT_WORDS and _subject_word(c, "n")]
    subjects += [w.word.strip() for w in pos_cutter().cut(question) if _subject_word(w.word.strip(), w.flag)]
    where = {m.group(1) for m in _ASKER_AT.finditer(question)}
    return [s for s in dict.fromkeys(subjects) if s not in where]


def is_followup(question: str, has_history: bool) -> bool:
    """Does `question` continue the conversation's topic? Only when it names no subject of its own, or points
    back with a pronoun ("这个", "它", "上述"). A demonstrative before a subject it names is no pronoun: "我那个失业金"
    names its matter (an earlier one, or a new one), it does not point at the latest."""
    if not has_history:
        return False
    subjects = own_subjects(FOLLOWUP_PREFIX.sub("", question))
    if any(not any(question[m.end():].lstrip().startswith(s) for s in subjects) for m in PRONOUNS.finditer(question)):
        return True
    return not subjects


def returned_topic(question: str, history: list[dict]) -> str:
    """The topic of an earlier turn the question returns to, or "": every subject it names is a word of that turn's
    topic or question, and of no later topic ("我那个失业金最长领几耐" after a 失业金 turn and a 生育津贴 one).

    Why: a return is a continuation of *that* turn — its topic carried, its document preferred — not a new topic
    searched from a few words, nor a follow-up of the topic in between."""
    subjects = own_subjects(FOLLOWUP_PREFIX.sub("", question))
    current = current_topic(history)
    if not subjects or not current or any(s in current for s in subjects):
        return ""
    earlier = [t for t in reversed(history) if (t.get("topic") or "").strip() not in ("", current)]
    # a turn whose topic holds them first ("失业金"'s own turn, not a later one that spoke of 医保 while 领失业金)
    for said in (lambda t: t["topic"], lambda t: f"{t['topic']} {_without_lead_in(t.get('question') or '')}"):
        for turn in earlier:
            if _all_said(question, subjects, said(turn)):
                return turn["topic"].strip()
    return ""


def _all_said(question: str, subjects: list[str], said: str) -> bool:
    """Every subject is in `said`, or is a tagger's fragment overlapping one that is ("金能领" of "失业金能领")."""
    found = [span for s in subjects if s in said for span in _spans(question, s)]
    return bool(found) and all(s in said or any(a < e and b > st for a, b in _spans(question, s) for st, e in found)
                               for s in subjects)


def current_topic(history: list[dict] | None) -> str:
    """The conversation's topic: that of the latest turn which has one."""
    for turn in reversed(history or []):
        topic = (turn.get("topic") or "").strip()
        if topic:
            return topic
    return ""


def rewrite(question: str, history: list[dict] | None = None, *, continuing: bool | None = None) -> Rewritten:
    """Rewrite `question` given earlier turns [{"question", "topic"} ...] (oldest first).

    `continuing`: read it as a continuation of the topic (True) or on its own (False) instead of deciding by
    `is_followup` — the answer path tries a question that names a subject of its own ("学生呢", "沙河街电话多少")
    as a continuation only when read on its own it finds no basis (zhengwu/qa/followup.py).
    A continuing turn keeps the conversation's topic as it is: its own words name the aspect asked ("审批",
    "几年"), and carried on they pulled the next turn's answer towards this one's wording."""
    q = restore_typos(question.strip())
    lang = detect_language(q)
    if history and continuing is None:
        corrected = _correction(q, history)
        if corrected is not None:
            return corrected
    prev_topic = current_topic(history)
    # a later turn's lead-in is dropped: a new topic is read exactly as if it were asked first
    asked = _without_lead_in(q) if history else q
    # a turn after others is read in Mandarin to decide whether it continues ("能寄到屋企吗": 屋企 is 家里, no matter)
    mandarin = question_in_mandarin(asked) if history else asked
    returns_to = returned_topic(mandarin, history or []) if continuing is None and prev_topic else ""
    if returns_to:
        prev_topic = returns_to
    more = bool(prev_topic and continuing is None and (_more(q) or _more(mandarin)))
    follow = bool(returns_to) or more or (is_followup(mandarin, bool(prev_topic)) if continuing is None
                                          else bool(continuing and prev_topic))
    asks = asked
    if follow:
        # searched and answered in Mandarin: "喺边度办" is found and answered as "在哪里办"
        body = FOLLOWUP_PREFIX.sub("", mandarin).strip() or mandarin
        same_for = _SAME_FOR.fullmatch(body)
        if same_for:  # "学生呢": the previous question again, for this subject
            body = question_in_mandarin(f"{_repeated_question(history or [])} {same_for.group(1)}".strip())
        asks = body  # what kind of fact it asks for is read in Mandarin
        if more:  # "还有别的吗": more of what the turn before asked for (materials, conditions …)
            asks = f"{_previous_reading(history or [])} {body}".strip()
        # a return names some of its topic's words itself: carried once
        carried = " ".join(w for w in prev_topic.split() if not returns_to or w not in body)
        standalone = f"{carried} {body}".strip()
        topic = prev_topic
    else:
        standalone = asked
        topic = topic_of(asked)
    query, syn = expand_synonyms(standalone)
    query = full_years(query)
    if not topic and syn:
        topic = " ".join(o for _, o in syn)
    return Rewritten(original=q, query=query, standalone=standalone, topic=topic, followup=follow, synonyms=syn,
                     language=lang, asks=asks, returns_to=returns_to)


def _without_lead_in(question: str) -> str:
    return LEAD_IN.sub("", question).strip() or question


# a turn that rejects the answer before: "不是，我问的是…", "不对 我们是没领证的", "我问的是医保卡"; the mark must stand
# apart ("不是本地户口能办吗" asks about a condition, it corrects nothing)
_CORRECTION = re.compile(r"^\s*(?:(?:不是|不对|错了|搞错了|弄错了)(?:的|啦|了|呀|哦)?(?:[，,。.！!\s]+|(?=[我俺]))"
                         r"(?:[我俺](?:是|其实)?(?:想|要)?(?:问|说|讲)(?:的是?)?[，,：:\s]*)?"
                         r"|[我俺](?:是|其实)?(?:想|要)?(?:问|说|讲)的是[，,：:\s]*)")
_ASKS_ITSELF = re.compile(f"{_ASKING.pattern}|谁")
# "还有别的吗", "还要别的不", "还有其他要带的吗": more of what was asked before, whatever the turn names besides
_MORE = re.compile(r"还(?:有|要|需要|得|用)(?:没有)?(?:别的|其他|其它|另外)")


def _more(question: str) -> bool:
    """Does the question ask for more of what was asked before ("要跟爸爸落户的话 还有别的吗")? Not when it names
    the other thing it wants ("还有没有别的创业补贴可以拿" asks for other subsidies: a search of its own)."""
    m = _MORE.search(question)
    return m is not None and not own_subjects(question[m.end():])


def _correction(question: str, history: list[dict]) -> Rewritten | None:
    """A turn that corrects the answer before it, or None when it is no correction.

    Why: "不是 我们是没领结婚证生的那种" after a 户口 answer is the question before asked again with what the first
    reading missed: searched on its own, its few words found a sibling guide at random; read as a follow-up, it
    was answered from the very document the citizen rejected. So a correction that asks nothing of its own is the
    previous question read again with its words — a new search, whose answer may not be the rejected document
    (answer.py) —, and one that asks a whole question ("不是，我问的是长护险一天能报多少") is read on its own, the
    mark dropped, as a new topic."""
    m = _CORRECTION.match(question)
    rest = question[m.end():].strip() if m else ""
    if not rest:
        return None
    if _ASKS_ITSELF.search(rest) and own_subjects(question_in_mandarin(rest)):
        rw = rewrite(rest, history, continuing=False)
    else:
        standalone = f"{_without_lead_in(_previous_reading(history))} {rest}".strip()
        query, syn = expand_synonyms(standalone)
        rw = Rewritten(original=question, query=query, standalone=standalone, topic=topic_of(standalone),
                       synonyms=syn, language=detect_language(question), asks=standalone)
    rw.original, rw.corrects = question, True
    return rw


def _previous_reading(history: list[dict]) -> str:
    """How the latest turn with a question was read on its own (its rewritten form, else its question)."""
    for turn in reversed(history):
        said = (turn.get("rewritten") or turn.get("question") or "").strip()
        if said:
            return said
    return ""


# "学生呢？", "那残疾人呢": a subject alone with 呢 asks the previous question again for it
_SAME_FOR = re.compile(r"(?:那|那么)?\s*([^，,。？?！!\s]{1,10}?)\s*呢\s*[？?]?")


def _repeated_question(history: list[dict]) -> str:
    """The latest earlier question that is not itself of the "…呢" form (what "学生呢" repeats)."""
    for turn in reversed(history):
        question = _without_lead_in((turn.get("question") or "").strip())
        if question and not _SAME_FOR.fullmatch(FOLLOWUP_PREFIX.sub("", question).strip()):
            return question
    return ""
