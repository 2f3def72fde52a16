"""Reading a resident's situation: the facts of the vocabulary, by rules, from everyday Chinese.

The patterns live in `wording.py` (one table per kind of statement); this module applies them and decides what a
reading may claim.

"我今年58岁，在本市失业半年了，有残疾证" -> {age: 58, disability_certificate: True, ...}. The rules are patterns for
*kinds* of statement (an age, a duration of insurance, a place of household registration, a negated status), each
bound to one fact of `vocabulary.py`, so a form and a description are matched by the same rules.

What the reader promises, because matching on a guessed fact would tell a resident something untrue:
- a fact is read only when the text states it: nothing defaults, a question ("是不是低保户") states nothing;
- two different values of one fact are a conflict (asked back), never a choice;
- an impossible value ("200岁", "-3个月") is an error with `check_value`'s bilingual message, never a fact;
- a place that cannot be placed is listed in `unknown_areas`, not dropped and not guessed;
- personal identifiers (ID and phone numbers) are blanked before reading, so they end up in no fact and no span,
  and the text itself is never logged; only an ID number's date of birth is taken first (`read_id_birth`).
When a generative model is configured, `complete_with_model` asks it only for the facts the rules left unknown.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING

from zhengwu.errors import ZhengwuError
from zhengwu.match import festivals, places, spoken
from zhengwu.match import wording as w
from zhengwu.match.numerals import (approximate_range, cn_int, count_range, duration_hours, duration_months, signed_int,
                                    two_digit_year)
from zhengwu.match.ranges import Range, compare, shown
from zhengwu.match.vocabulary import ValueSet, age_on, check_value, fact as vocabulary_fact, value_sets, vocabulary

if TYPE_CHECKING:
    from zhengwu.gateway import Governed

_LENGTHS = ("residence_months", "ui_contribution_months", "social_insurance_years", "death_after_rescue_hours")
"""Facts that are lengths of time, which a record or a form may restate ("记录显示只有八个月", "死亡证明上算下来是52个小时")."""

MAX_CHARS = 10_000
"""Longer than any description of one situation; a longer text is refused rather than half read."""


@dataclass
class Reading:
    """The facts read from one description, with what could not be read cleanly."""

    facts: dict[str, object] = field(default_factory=dict)          # canonical values (vocabulary.check_value)
    conflicts: dict[str, list] = field(default_factory=dict)        # fact -> the values stated; not in facts
    errors: list[dict] = field(default_factory=list)                # impossible values: {fact, value, zh, en}
    spans: dict[str, str] = field(default_factory=dict)             # fact -> the words it was read from
    unknown_areas: list[str] = field(default_factory=list)          # place names not recognised
    decision_request: bool = False                                  # "你直接批给我"
    inferred: dict[str, dict] = field(default_factory=dict)         # facts the model added (complete_with_model):
                                                                    # fact -> {value, words}; also in facts

    def to_dict(self) -> dict:
        return {**asdict(self), "facts": shown(self.facts), "conflicts": shown(self.conflicts)}


@dataclass
class _Hit:
    fact: str
    value: object
    span: str
    start: int
    within: tuple[int, int] | None = None  # a value reckoned from a date: the values the date's precision allows
    alone: bool = True                     # False: the date only checks a value stated in words (a birth year)


class _Reader:
    """One pass over one (prepared) description: each `read_*` adds hits; `_settle` turns them into a Reading.

    `_free` keeps two patterns of one fact from reading the same words (the negated form is tried first), so
    "没有办失业登记" is one statement, not a False and a True that would look like a conflict.
    """

    def __init__(self, text: str, *, today: dt.date, city: str) -> None:
        self.text = text
        self.today = today
        self.city = city
        self.hits: list[_Hit] = []
        self.unknown: list[str] = []
        self.read_ranges: dict[str, list[tuple[int, int]]] = {}

    # bookkeeping ------------------------------------------------------------------------------------------------
    def add(self, name: str, value: object, start: int, end: int) -> None:
        if self.not_a_statement(start):
            return
        self.hits.append(_Hit(name, value, self.text[start:end], start))

    def not_a_statement(self, pos: int) -> bool:
        """A hypothesis ("如果公司倒闭了") or a question about the rule ("是不是要交满一年失业保险？") in the clause
        at `pos`: it names facts without stating them."""
        start, end = self.clause_at(pos)
        clause = self.text[start:end]
        if w.HYPOTHETICAL.search(clause) or w.COUNTERFACTUAL.search(clause):
            return True
        asked = clause.endswith(("吗", "呢", "么")) or self.text[end:end + 1] in ("？", "?")
        return asked and bool(w.ABOUT_THE_RULE.search(clause))

    def _free(self, name: str, start: int, end: int) -> bool:
        ranges = self.read_ranges.setdefault(name, [])
        if any(s < end and start < e for s, e in ranges):
            return False
        ranges.append((start, end))
        return True

    def unknown_area(self, words: str) -> None:
        words = words.strip()
        if words and words not in self.unknown:
            self.unknown.append(words)

    def clause_at(self, pos: int) -> tuple[int, int]:
        start = max(self.text.rfind(ch, 0, pos) for ch in "，,。！!？?；;\n") + 1
        ends = [i for i in (self.text.find(ch, pos) for ch in "，,。！!？?；;\n") if i != -1]
        return start, min(ends) if ends else len(self.text)

    def _clause(self, pos: int) -> str:
        start, end = self.clause_at(pos)
        return self.text[start:end]

    def in_the_past(self, pos: int) -> bool:
        """"以前在深圳工作": the clause speaks of the past, not of the resident's situation now."""
        start, _ = self.clause_at(pos)
        return bool(w.PAST.search(self.text, start, pos + 1))

    def slot(self, m: re.Match, *groups: str) -> str:
        """The text from the first matched place group on (a lazy group may stop inside "中山大学")."""
        g = next(g for g in groups if m.group(g) is not None)
        return self.text[m.start(g):m.start(g) + 12]

    def place(self, words: str, *, strong: bool) -> places.Place | None:
        """The place `words` begin with; an unplaceable name in a place slot ("户口在火星") is reported."""
        place, _ = places.place_at(words, city=self.city)
        if place is None and strong:
            m = re.match(r"[\u4e00-\u9fff]{2,6}?(?=[的了，,。；;、\s]|老家|户口|户籍|注册|$)|[\u4e00-\u9fff]{2,6}", words)
            if m and not re.match(r"农村|城镇|城里|乡下|集体|学校|单位|家里|那边|我|他|她|这|那|哪|什么|不|没|还|也|都|一直", m.group(0)):
                self.unknown_area(m.group(0))
        return place

    # readers ----------------------------------------------------------------------------------------------------
    def read_bools(self, here: str) -> None:
        job_loss = bool(w.JOB_LOSS.search(self.text))
        for name, rules in w.BOOL_RULES.items():
            if name == "disability_certificate" and "残疾" not in self.text and "残疾人证" not in self.text:
                continue
            for pattern, value in rules:
                for m in w.rx(pattern, here).finditer(self.text):
                    if (w.A_NOT_A.search(self.text[max(0, m.start() - 5):m.start() + 1])
                            or re.match(r"\s*(?:吗|么|嘛|\?)", self.text[m.end():m.end() + 3])
                            or w.OTHERS.search(self.text, self.clause_at(m.start())[0], m.start())):
                        continue  # a question ("有残疾证吗？") or someone else ("村里有人是低保户") states nothing
                    if name == "continuous_study" and value and w.STUDY_TO_COME.search(
                            self.text, self.clause_at(m.start())[0], m.start()):
                        continue  # "孩子明年要上幼儿园", "给儿子读书用": a study to come or a purpose
                    if name == "involuntary_job_loss" and "我" not in m.group(0) \
                            and w.THIRD_PARTY.search(self.text, self.clause_at(m.start())[0], m.start()):
                        continue  # "…业主闹到物业公司后被开除的": someone else's job ("主管把我辞了" is the resident's)
                    if name == "stable_job" and value and (job_loss or self.in_the_past(m.start())):
                        continue  # "在广州上班…公司裁员了", "以前在深圳工作": worked there, not working now
                    if self._free(name, m.start(), m.end()):
                        self.add(name, value, m.start(), m.end())

    def read_age(self) -> None:
        for m in w.AGE.finditer(self.text):
            before = self.text[max(0, m.start() - 4):m.start()]
            if re.search(r"(?:不满|未满|超过|年满|虚岁|虚|不到|不足|离|距离?)$", before):  # "离60岁还差两三个月"
                continue  # "不到一岁半的小孩": a child's, and no age of the writer's under one
            k = next(k for k in ("", *map(str, range(2, 13))) if m.group("n" + k))
            n = signed_int(m.group("sign" + k), m.group("n" + k).replace("有", ""))  # 七十有五 = 七十五
            about = re.search(r"(?:快要?|将近|接近|差不多|大概|大约|约)(?:有|都)?$", before)
            if about and n is not None and n > 0:  # "快60岁" = 59 to under 60: the range its words state
                self.add("age", approximate_range(re.sub(r"[有都]$", "", about.group(0)), n), m.start(), m.end())
            elif n is not None and not about:
                self.add("age", n, m.start(), m.end())
        for m in w.AGE_CORRECTED.finditer(self.text):
            sentence_start = max(self.text.rfind(ch, 0, m.start()) for ch in "。！!？?\n") + 1
            if w.AGE_SAID_BARE.search(self.text, sentence_start, m.start()):
                n = cn_int(m.group("n"))
                if n is not None and self._free("age", m.start("n"), m.end("n")):
                    self.add("age", n, m.start("n"), m.end())
        for m in w.AGE_PAIRED.finditer(self.text):
            before, after = self._clause(max(0, m.start() - 1)), self._clause(min(len(self.text), m.end() + 1))
            n = cn_int(m.group("n"))
            if n is not None and (_an_age(before) or _an_age(after)) and self._free("age", m.start(), m.end()):
                self.add("age", n, m.start(), m.end())
        for m in w.AGE_DECADE.finditer(self.text):  # "六十多岁": 61 to 69 (a range, not 60)
            n = cn_int(m.group("n"))
            if n and n % 10 == 0 and self._free("age", m.start(), m.end()):
                self.add("age", Range(n + 1, n + 9), m.start(), m.end())
        for m in w.AGE_EN.finditer(self.text):
            self.add("age", int(m.group("n") or m.group("n2")), m.start(), m.end())

    def read_birth_date(self) -> None:
        for m in w.BIRTH.finditer(self.text):
            k = "" if m.group("y") or m.group("yy") else "2"
            mo, d = (cn_int(m.group(g + k)) for g in ("mo", "d"))
            y = two_digit_year(m.group("yy")) if m.group("yy") else cn_int(m.group("y" + k))  # "六六年十二月五号生的"
            try:
                born = dt.date(y, mo, d)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                self.error("birth_date", m.group(0), "出生日期不是有效的日期，请核对。",
                           "the date of birth is not a valid date; please check.")
                continue
            if born > self.today:
                self.error("birth_date", born.isoformat(), f"出生日期 {born.isoformat()} 晚于今天，请核对。",
                           f"date of birth {born.isoformat()} is after today; please check.")
                continue
            self.add("birth_date", born.isoformat(), m.start(), m.end())

    def read_id_birth(self, unblanked: str) -> None:
        """The date of birth in an ID number (or its eight birth digits), from the text before identifiers are blanked.

        Only the date is kept, with no span: the number itself reaches no fact, span or log. A full 18-digit number
        counts only with a valid GB 11643 check digit, so a stray long number is not taken for a birthday.
        """
        from stdnum.cn import ric

        for m in w.ID_BIRTH.finditer(unblanked):
            if m.group("d") and not ric.is_valid(m.group(0)):
                continue
            digits = m.group("d") or m.group("d2")
            try:
                born = dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
            except ValueError:
                continue
            if born <= self.today and not self.not_a_statement(m.start()):
                self.hits.append(_Hit("birth_date", born.isoformat(), "", m.start()))

    def error(self, name: str, value: object, zh: str, en: str) -> None:
        self.hits.append(_Hit(name, _Impossible(value, zh, en), "", -1))

    def read_gender(self) -> None:
        for m in w.GENDER.finditer(self.text):
            self.add("gender", m.group("g"), m.start(), m.end())

    def read_hukou(self) -> None:
        for m in w.HUKOU_AFTER.finditer(self.text):
            words = m.group("p")
            place = self.place(words, strong=bool(m.group("prep")))
            if place is None or re.search(r"(?:想|要|准备|打算|能不能|怎么|如何)把?$", self.text[max(0, m.start() - 4):m.start()]):
                continue  # "想把户口迁到广州": the registration wanted, not the one held
            end = m.start("p") + len(places.place_at(words, city=self.city)[1])
            value = self._hukou_value(place, negated=bool(m.group("neg")))
            instead = re.match(r"的?[，,]\s*(?:而|我)?是([\u4e00-\u9fff]{2,6})", self.text[end:])
            if m.group("neg") and instead:  # "户口不是广州的，是茂名的"
                value = getattr(places.place_at(instead.group(1), city=self.city)[0], "name", value)
            if value and self._free("hukou", m.start(), m.end()):
                self.add("hukou", value, m.start(), end)
        for m in w.HUKOU_BEFORE.finditer(self.text):
            cs, _ = self.clause_at(m.start())
            before = self.text[max(cs, m.start() - 12):m.start()]
            gap = re.search(r"的?老?$", before).group(0)  # "广州的户口", "广州老户口"
            before = before[:len(before) - len(gap)]
            place, words = places.place_before(before, city=self.city)
            if place is None:
                tail = re.search(r"[\u4e00-\u9fff]{1,4}[省市县州]$", before)
                if tail:
                    self.unknown_area(tail.group(0))
                continue
            start = m.start() - len(words) - len(gap)
            if re.search(r"(?:入|迁|落|转|办|上|改成|换成)$", self.text[max(0, start - 2):start]):
                continue  # "入广州户口", "想落户口": the registration wanted, not the one held
            if (re.match(r"的?(?:老人|人员|居民|人|家庭|职工|市民|学生|儿童|孩子)", self.text[m.end():])
                    and not re.search(r"(?:是|系|属于|为)$", self.text[max(0, start - 2):start])):
                continue  # "广州户籍老人可以享受…": a class of people, not the resident
            negated = bool(re.search(r"(?:不是|非|不)$", self.text[max(0, start - 2):start]))
            value = self._hukou_value(place, negated=negated)
            if value and self._free("hukou", start, m.end()):
                self.add("hukou", value, start, m.end())
        for m in w.HUKOU_NATIVE_OF.finditer(self.text):  # "衡阳籍", "广东揭阳籍"
            place, words = places.place_before(self.text[max(0, m.start() - 8):m.start()], city=self.city)
            if place is not None and place.level in ("city", "province") and self._free("hukou", m.start() - len(words), m.end()):
                self.add("hukou", place.name, m.start() - len(words), m.end())
        self._answered_hukou()

    def _answered_hukou(self) -> None:
        """"户口是广州的吗？不是，是佛山的": the resident's own answer to the question is the registration; what the
        question only asked about ("广州") is dropped."""
        for m in w.HUKOU_ANSWERED.finditer(self.text):
            place, words = places.place_at(m.group("p"), city=self.city)
            question_end = self.text.find("？", m.start()) if "？" in m.group(0) else self.text.find("?", m.start())
            if place is None and not m.group("neg"):
                continue  # "户口在广州吗？是的": the place asked about stands
            self.hits = [h for h in self.hits if not (h.fact == "hukou" and m.start() <= h.start < question_end)]
            if place is not None and place.level in ("city", "province"):
                self.add("hukou", place.name, m.start("p"), m.start("p") + len(words))

    def read_claimed_move(self) -> None:
        """Someone's claim that the registration named earlier in the sentence moved: the subject carries over."""
        for m in w.HUKOU_MOVED.finditer(self.text):
            sentence_start = max(self.text.rfind(ch, 0, m.start()) for ch in "。！!？?\n") + 1
            place = places.place_at(m.group("p") or m.group("p2") or m.group("p3"), city=self.city)[0]
            if place is not None and re.search(r"户口|户籍", self.text[sentence_start:m.start()]):
                self.add("hukou", place.name, m.start(), m.end())

    def read_kept_hukou(self) -> None:
        """"河南来的，户口没迁": a registration not moved is where the resident says they came from."""
        kept = w.HUKOU_KEPT.search(self.text)
        if not kept:
            return
        for m in w.ORIGIN.finditer(self.text):
            place = places.place_at(m.group("p") or m.group("p2") or m.group("p3"), city=self.city)[0]
            if place is not None and place.level in ("city", "province") and place.name != self.city:
                if self._free("hukou", m.start(), m.end()):
                    self.add("hukou", place.name, m.start(), m.end())
                return

    def read_introduced_origin(self) -> None:
        """"安徽阜阳人，38岁，在广州…", "我是河南周口人，三个月前才到广州": a description that opens with where the resident
        is from, and says nothing else of the registration, states a registration there. Only another place than the
        city asked about (one who came from elsewhere and moved the registration says so; "广州人" may be said by one
        who only lives here), not Hong Kong, Macao or Taiwan ("我是香港人": a resident there, with no 户口), only the
        opening clause, and only when the registration is not spoken of at all (户口, 户籍, 落户了; 积分入户 is a scheme)."""
        if any(h.fact == "hukou" for h in self.hits) or re.search(r"户口|户籍|落户了|落了户|已经落户|(?<![想要能办分请])落户(?![政策条件手续指标])", self.text):
            return  # "湖南人，户口早迁到广州了": the registration is spoken of, and read or asked, never guessed
        start, end = self.clause_at(0)
        m = w.SELF_INTRODUCED.fullmatch(self.text, start, end)
        if m is None:
            return
        said = "p" if m.group("p") else "p2"  # "安徽阜阳人", "俺是河南周口的"
        place, words = places.place_at(m.group(said), city=self.city)
        if place is not None and place.level in ("city", "province") and place.name != self.city and words == m.group(said) \
                and place.name not in w.NO_HUKOU_THERE:
            self.add("hukou", place.name, m.start(said), m.end())

    def read_native(self) -> None:
        """"广州本地人", "土生土长的广州人": a native of a place is registered there (老户口 is read with 户口)."""
        for m in w.NATIVE.finditer(self.text):
            if m.group("p"):
                place = places.place_at(m.group("p"), city=self.city)[0]
                start = m.start()
            else:  # "我是广州本地人", "广州本地人，…"; not "D市本地人占大多数" (a class of people)
                cs, ce = self.clause_at(m.start())
                place, words = places.place_before(self.text[max(cs, m.start() - 8):m.start()], city=self.city)
                start = m.start() - len(words)
                fragment = cs == start and ce == m.end()
                if not (fragment or w.SELF_SAID.search(self.text, cs, start)):
                    continue
                named = re.search(r"[\u4e00-\u9fffA-Za-z0-9]{1,5}[省市县区镇村州]$",
                                  re.split(r"是|属于|一个", self.text[cs:start])[-1])
                if place is None and named:  # "X市本地人": a place that cannot be placed is not this city
                    self.unknown_area(named.group(0))
                    continue
                place = place or places.place_at("本地", city=self.city)[0]
            if place is None:
                continue
            negated = bool(re.search(r"(?:不是|并非|不算)$", self.text[max(0, start - 2):start]))
            value = self._hukou_value(place, negated=negated)
            if value and self._free("hukou", start, m.end()):
                self.add("hukou", value, start, m.end())

    def drop_relatives_hukou(self) -> None:
        """Only the applicant's registration: a relative's ("我爸是湖南户口") is dropped when another registration is
        stated with no relative opening its clause ("户口一直在越秀区那边"); when every one is said of a relative,
        none is the applicant's for sure, and they stay (two values are asked about)."""
        def opening(hit: _Hit) -> int:  # the clause's start, or a bracket's: "贵州户口（我老公是广州户口…）"
            start, _ = self.clause_at(hit.start)
            return max(start, *(self.text.rfind(b, start, hit.start) + 1 for b in "（("))

        def relatives(hit: _Hit) -> bool:
            return bool(w.RELATIVE_SAID.match(self.text, opening(hit)))

        def of_someone_else(hit: _Hit) -> bool:  # "他爸爸是广州户口": a relative of the one asked about, never the applicant
            return bool(w.THEIR_RELATIVE_SAID.match(self.text, opening(hit)))
        self.hits = [h for h in self.hits if h.fact != "hukou" or not of_someone_else(h)]
        hukou = [h for h in self.hits if h.fact == "hukou"]
        if any(not relatives(h) for h in hukou):
            self.hits = [h for h in self.hits if h.fact != "hukou" or not relatives(h)]
        elif not w.ASKED_FOR_CHILD.search(self.text) and any(not w.CHILDREN_SAID.match(self.text, opening(h)) for h in hukou):
            # "我老婆是佛山顺德户口…两个小孩都是跟我落的广州户口…她能…吗": the children are not the one asked for
            self.hits = [h for h in self.hits if h.fact != "hukou" or not w.CHILDREN_SAID.match(self.text, opening(h))]

    def _hukou_value(self, place: places.Place, *, negated: bool) -> str | None:
        if negated:  # "户口不在广州": not here, but where is not said
            return places.OTHER_CITY if place.name == self.city else None
        return place.name

    def here_is_elsewhere(self, words: str, pos: int) -> bool:
        """"这边" after the resident said they live in another city ("来佛山两年多了，…也在这边上班") is that city."""
        return bool(w.DEICTIC.match(words)) and any(
            h.fact == "residence_city" and h.value != self.city and h.start < pos for h in self.hits)

    def read_residence(self) -> None:
        for m in w.RESIDE.finditer(self.text):
            place = self.place(self.slot(m, "p", "p2", "p3", "p4"), strong=False)
            if self.here_is_elsewhere(self.slot(m, "p", "p2", "p3", "p4"), m.start()):
                continue
            if place is None or place.level != "city" or self.in_the_past(m.start()) or self._not_lived_in(m, "p", "p2", "p3", "p4"):
                continue
            if m.group("p4") and not w.HOME_PLACE_END.match(
                    self.text, m.start("p4") + len(places.place_at(m.group("p4"), city=self.city)[1])):
                continue
            self.add("residence_city", place.name, m.start(), m.end())
            self._stay_so_far(m.start())
        job_lost = w.JOB_LOSS.search(self.text)
        for m in w.WORK_HERE.finditer(self.text):  # "在番禺电子厂做了两年": one lives where one works now
            place = self.place(self.slot(m, "p"), strong=False)
            if place is None or place.level != "city" or self.in_the_past(m.start()) or self._not_lived_in(m, "p") \
                    or self.here_is_elsewhere(m.group("p"), m.start()) \
                    or w.NOT_A_WORKPLACE.search(m.group(0)) or w.NOT_A_NAMED_PLACE.match(m.group("p")) \
                    or w.WISH.search(self.text, self.clause_at(m.start())[0], m.start()):
                continue  # a shop one owns, or means to open, says nothing of where one lives
            if self._free("residence_city", m.start(), m.end()):
                self.add("residence_city", place.name, m.start(), m.end())
            if not job_lost:  # "在白云一家酒店做了三年服务员": one has lived there as long as the job
                _, clause_end = self.clause_at(m.start())
                held = w.JOB_LENGTH.search(self.text, m.end() - 2, clause_end) or w.STAY_SO_FAR.search(self.text, m.end(), clause_end)
                if held and not re.match(r"前|以前|之前|后|以后", self.text[held.end():]):
                    self._add_months("residence_months", held)
                else:
                    self._stay_so_far(m.start())
        self._home_in_hukou_district()
        for m in w.RESIDE_TIME.finditer(self.text):
            before = self.text[max(0, m.start("dur") - 2):m.start("dur")]
            after = self.text[m.end("dur"):m.end("dur") + 2]
            if re.search(r"差$", before) or re.match(r"前|以前|之前", after):  # 不到半年: a range (numerals)
                continue
            if self.text[m.start() - 1:m.start()] == "入" and re.search(r"不到|不满|没到|不足", m.group(0)):
                continue  # "房屋入住不到3年": the flat's stay bounds the city's from below, never from above
            if w.STAY_AWAY.search(self.text, self.clause_at(m.start())[0], m.start("dur")):
                continue  # "前年回老家住了一年多": the stay at home
            if m.group("now") is not None or (m.group("p") is not None and w.UNTIL_NOW.match(m.group("p"))):
                # "来广州读中专，到今天整整半年": the stay the clause before began, counted to now
                if not (re.search(r"来了|住了|待了|呆了", m.group(0)) or self._arrived_before(m.start())
                        or self._came_to_a_city(m.end("p") if m.group("p") else m.end("now"), m.start("dur"))):
                    continue
            elif m.group("p") is not None:
                place = places.place_at(self.slot(m, "p"), city=self.city)[0]
                if place is None or place.level != "city" or not re.search(
                        r"住|居住|生活|打工|打了|上班|工作|读|上学|干活|定居|带|待|呆|开(?:滴滴|网约车|出租|货车)|^来|^到", self.text[m.start():m.start("dur")]):
                    continue
            months = duration_months(m)
            if months is not None:
                self.add("residence_months", months, m.start(), m.end())
        for m in w.STAY_FILLED.finditer(self.text):
            self._add_months("residence_months", m)
        for m in w.ARRIVED_AGO.finditer(self.text):
            place = places.place_at(m.group("p"), city=self.city)[0]
            if place is not None and place.level == "city" and not self.in_the_past(m.start()):
                self._add_months("residence_months", m)

    def read_address_line(self) -> None:
        """A form's address line ("现住址：广州市天河区…"): the city lived in; "现住址：同上" names the place of the line above
        it (a 户籍 line), never a place guessed."""
        for m in w.ADDRESS_LINE.finditer(self.text):
            words = m.group("v").strip()
            if w.SAME_AS_ABOVE.match(words):
                above = self.text.rfind("\n", 0, max(0, m.start() - 1)) + 1
                key = re.match(r"\s*[\u4e00-\u9fff]{1,8}\s*:\s*", self.text[above:m.start()])
                words = self.text[above + key.end():m.start()].strip() if key else ""
            place = self.place(words, strong=False) if words else None
            if place is not None and place.level == "city" and self._free("residence_city", m.start(), m.end()):
                self.add("residence_city", place.name, m.start(), m.end())

    def _came_to_a_city(self, start: int, end: int) -> bool:
        """"到现在来广州十四个月了": the words before the length say an arrival in a city themselves."""
        came = re.search(r"(?:来|到|来到)(?=[\u4e00-\u9fff])", self.text[start:end])
        place = came and places.place_at(self.text[start + came.end():end], city=self.city)[0]
        return bool(place) and place.level == "city"

    def _role_in(self, m: re.Match, *groups: str) -> tuple[str, re.Match] | tuple[None, None]:
        """`role_after` for the place in the first of `m`'s groups that matched."""
        g = next(g for g in groups if m.group(g) is not None)
        words = places.place_at(self.text[m.start(g):m.start(g) + 12], city=self.city)[1]
        return self.role_after(m.start(g) + len(words))

    def _not_lived_in(self, m: re.Match, *groups: str) -> bool:
        """The place in `m`'s group is an issuing office or a status's place (`role_after`), not where one lives or works."""
        return self._role_in(m, *groups)[0] is not None

    def _issued_else(self, m: re.Match, *groups: str) -> bool:
        """The place in `m`'s group issued something other than a business licence or registration ("在佛山办了残疾证"),
        or is a status's place: not where a business is registered."""
        role, r = self._role_in(m, *groups)
        if role == "status":
            return True
        return role == "issuer" and not (r.group("what") == "执照" or (
            r.group("what") == "登记" and not w.NOT_A_BUSINESS_REGISTRATION.search(self.text, 0, r.start("what"))))

    def _stay_so_far(self, pos: int) -> None:
        """"在天河一栋写字楼做清洁，一年了": the next clause is only a length (or only a job's length, when no job was
        lost), the stay in the place just named."""
        _, end = self.clause_at(pos)
        nxt_start, nxt_end = self.clause_at(end + 1) if end < len(self.text) else (end, end)
        m = w.STAY_SO_FAR.fullmatch(self.text, nxt_start, nxt_end) or (
            None if w.JOB_LOSS.search(self.text) else w.JOB_LENGTH.fullmatch(self.text, nxt_start, nxt_end))
        if m:  # "嚟广州白云区个电子厂做嘢，做咗一年零八个月": a job held there now, as long as the stay
            self._add_months("residence_months", m)

    def _home_in_hukou_district(self) -> None:
        """"户口在海珠，老伴走后我一个人住在家里": a home with no place of its own is in the district of the registration.

        Only a district of the resident's city (a city-wide or provincial registration does not place a home), only
        when no residence is stated otherwise, and only for one's own home (not a care home, not someone else's).
        """
        home = [h for h in self.hits if h.fact == "living_at_home" and h.value is True and not w.SOMEONE_ELSES.search(h.span)]
        if not home or any(h.fact == "residence_city" for h in self.hits):
            return
        for hit in (h for h in self.hits if h.fact == "hukou" and h.value == self.city):
            # the clause from the registration on: "户口在广州天河" names its district after the city
            said = self.text[hit.start:self.clause_at(hit.start + len(hit.span))[1]] if hit.start >= 0 else hit.span
            if any(places.is_district(name, city=self.city) for _, _, name in _places_in(said, self.city)):
                self.hits.append(_Hit("residence_city", self.city, home[0].span, home[0].start))
                return

    def role_after(self, end: int) -> tuple[str, re.Match] | tuple[None, None]:
        """The role of the place mention ending at `end`, by the words it is attached to in its clause.

        One decision for every place the residence, insured-city and registration readers take: "在广州办了居住证"
        names the office that issued a certificate (no residence), "广州的低保户" / "在佛山是低保户" the place a status
        is granted in, which is where the household is registered.
        """
        _, clause_end = self.clause_at(end)
        for role, rx in w.PLACE_ROLES:
            m = rx.match(self.text, end, clause_end)
            if m:
                return role, m
        return None, None

    def read_status_place(self) -> None:
        """"我是广州的低保户", "在佛山是低保户": 低保, 特困 and 低收入 are granted where the household is registered."""
        for clause in re.finditer(r"[^，,。！!？?；;\n]+", self.text):
            for offset, place, name in _places_in(clause.group(0), self.city):
                start = clause.start() + offset
                role, m = self.role_after(start + len(name))
                if role != "status":
                    continue
                fact = w.HUKOU_STATUS_FACT[m.group("s")]
                held = any(h.fact == fact and h.value is True and start <= h.start < m.end() for h in self.hits)
                asked = clause.group(0).endswith(("吗", "呢", "么")) or self.text[clause.end():clause.end() + 1] in ("？", "?")
                if held and not asked and self._free("hukou", start, m.end()):  # "广州的低保户可以领多少钱？" asks
                    self.add("hukou", place.name, start, m.end())

    def _arrived_before(self, pos: int) -> bool:
        """The clause before `pos` tells of coming to (or settling in) a city of its own, and nothing else is counted."""
        start, _ = self.clause_at(pos)
        before_start, _ = self.clause_at(max(0, start - 2))
        came = w.ARRIVED.search(self.text, before_start, max(before_start, start - 1)) or any(
            self.place(self.slot(r, "p", "p2", "p3"), strong=False) is not None
            for r in w.RESIDE.finditer(self.text, before_start, start))
        return bool(came) and not w.INSURANCE_WORDS.search(self.text, before_start, start)

    def read_durations(self) -> None:
        for names, rx in w.NOTHING_PAID:  # first, so "失业保险一个月都没交过" is not read as one month
            for m in rx.finditer(self.text):
                for name in names:
                    if self._free(name, m.start(), m.end()):
                        self.add(name, 0, m.start(), m.end())
        for name, rx in w.DURATION_FACTS:
            for m in rx.finditer(self.text):
                months = duration_months(m)
                if months is None:
                    continue
                value = _in_years(months) if name == "social_insurance_years" else months
                if self._free(name, m.start(), m.end()):
                    self.add(name, value, m.start(), m.end())
        for m in (m for rx in w.PAID_AGAIN for m in rx.finditer(self.text)):  # "之前交了两年": the insurance last named
            named = [k for k in w.INSURANCE_WORDS.finditer(self.text, 0, m.start())]
            name = w.INSURANCE_FACT.get(named[-1].group(0)) if named else None
            if name and not re.search("其中", self.text[self.clause_at(m.start())[0]:m.start()]):  # a part, not the total
                self._add_months(name, m)
        for rx in (w.COUNTED_TO_NOW, w.LENGTH_ALONE):  # "社保从来广州第二年开始交，到现在刚好五年"
            for m in rx.finditer(self.text):
                start, _ = self.clause_at(m.start())
                before = self.clause_at(max(0, start - 2))[0]
                named = list(w.INSURANCE_WORDS.finditer(self.text, before, m.start()))
                name = w.INSURANCE_FACT.get(named[-1].group(0)) if named else None
                if rx is w.LENGTH_ALONE and any(h.fact == name and before <= h.start < start for h in self.hits):
                    continue  # "交了五年多，整整六十三个月": the same length said more exactly, read by its own clause's words
                if name:
                    self._add_months(name, m)
        for m in w.INSURED_ALONG.finditer(self.text):  # "做了四年嘢，失业保险一直是公司同我一起交的"
            self._insured_along(m)
        for rx in w.RESCUE:
            for m in rx.finditer(self.text):
                hours = duration_hours(m)
                if hours is not None and self._free("death_after_rescue_hours", m.start(), m.end()):
                    self.add("death_after_rescue_hours", hours, m.start(), m.end())

    def read_restated(self) -> None:
        """A length stated again by another source (a record, a memory, someone else), after the lengths stated in
        words and reckoned from dates are read: the same fact again, so `_settle` asks when the values differ."""
        for rx, m in ((rx, m) for rx in (w.RESTATED, w.SAID_AGAIN, w.CORRECTED) for m in rx.finditer(self.text)):
            # "…记录显示只有八个月", "…我自己记得是两年": the length last stated, as recorded or as someone else says it
            before = [h for h in self.hits if h.fact in _LENGTHS and 0 <= h.start < m.start()]
            said_here = any(h.fact in _LENGTHS and m.start() <= h.start < m.end() and h.within is None for h in self.hits)
            if rx is w.RESTATED and w.OTHER_LENGTH.search(self.text, self.clause_at(m.start())[0], m.start("dur")):
                continue  # "在广州住了两年，劳动合同上签的是三年": another length, not the stay again
            if said_here:  # "我自己记得失业保险交了十四个月": the clause names its fact itself
                continue
            if before:
                self._add_months(max(before, key=lambda h: h.start).fact, m)
            elif rx is w.RESTATED:  # "工资条上每个月都扣失业险，我数了一下扣了十四个月": the insurance named, no length yet
                named = list(w.INSURANCE_WORDS.finditer(self.text, 0, m.start()))
                name = w.INSURANCE_FACT.get(named[-1].group(0)) if named else None
                if name:
                    self._add_months(name, m)

        for m in w.LEASE_RESTATED.finditer(self.text):  # "租房合同…到现在五个月，但其实…算下来有九个月"
            if any(h.fact == "residence_months" and h.start >= m.end() for h in self.hits):
                self._add_months("residence_months", m)

    def _insured_along(self, m: re.Match) -> None:
        """The insurance, named in a clause with no number of its own, paid along the job whose length the clause next
        to it gives (before or after)."""
        start, end = self.clause_at(m.start())
        clause = self.text[start:end]
        if w.NOT_ALONG.search(clause) or w.A_LENGTH.search(clause) or self.not_a_statement(m.start()):
            return
        before = self.clause_at(max(0, start - 2))
        if before != (start, end) and before[0] > 0 and w.INSURANCE_WORDS.search(self.text, *before) \
                and not (w.A_LENGTH.search(self.text, *before) or w.NOT_ALONG.search(self.text, *before)):
            before = self.clause_at(before[0] - 2)  # "干了三年，厂里一直给我交社保，失业险也交了": past another insurance paid
        for other in (before, self.clause_at(end + 1) if end < len(self.text) else None):
            if other is None or other == (start, end):
                continue
            job = w.JOB_LENGTH.search(self.text, *other)
            if job:  # the job may be over ("上一份工做了两年"): the insurance was paid while it lasted
                self._add_months("ui_contribution_months", job)
                return

    def _add_months(self, name: str, m: re.Match) -> None:
        """The length `m` gives, in the unit of fact `name` (years of social insurance, hours before death, months)."""
        amount = duration_hours(m) if name == "death_after_rescue_hours" else duration_months(m)
        if amount is not None and self._free(name, m.start(), m.end()):
            self.add(name, _in_years(amount) if name == "social_insurance_years" else amount, m.start(), m.end())

    def read_dated(self) -> None:
        """Facts reckoned from a date the resident gives: a stay from the month of arrival, an insurance's length from
        the month it began, an age from the year (and month) of birth.

        A date is a second source of a fact also stated in words ("住了七个月了…今年七月份过来的"): each is read as a
        hit of its own, with the values the date's precision allows (`_Hit.within`), and `_settle` reads them once when
        they agree and asks when they do not — never choosing one.
        """
        for m in w.ARRIVED_ON.finditer(self.text):
            place = places.place_at(m.group("p"), city=self.city)[0] if m.group("p") else None
            came_here = m.group("verb") in ("过来", "搬过来") or (
                m.group("verb") in ("来", "到") and re.match(r"的(?:[，,。；;！!？?\s]|$)", self.text[m.end("verb"):]))
            if m.group("verb") == "出来":  # left home: the stay is here only when the next clause says so
                stayed = w.STAYED_SINCE.match(self.text, m.end("verb") + 1)
                stayed_at = places.place_at(stayed.group("p"), city=self.city)[0] if stayed else None
                place, came_here = None, bool(re.match(r"的(?:[，,]|$)", self.text[m.end("verb"):])) and \
                    stayed_at is not None and stayed_at.name == self.city
            if not (place is not None and place.level == "city" or place is None and came_here) \
                    or self._not_now(m.start()):
                continue
            _, clause_end = self.clause_at(m.end())
            if w.A_VISIT.search(self.text, m.start("verb"), clause_end):
                continue  # "去年3月来广州看病": a visit, no stay
            since = self._months_since(m)
            if since is not None and m.group("verb") in ("回来", "回到"):
                if not w.AWAY_FOR.search(self.text, 0, m.start()):
                    continue  # a return after a trip home says nothing of the stay's length
                self.hits = [h for h in self.hits if not (h.fact == "residence_months" and h.start < m.start())]
            if since is not None:
                self.hits.append(_Hit("residence_months", since[0], m.group(0), m.start(),
                                      within=self._bound("residence_months", since[1])))
                if place is not None and self._free("residence_city", m.start(), m.end()):  # "前年三月份来的广州"
                    self.add("residence_city", place.name, m.start(), m.end())
                elif m.group("verb") == "出来" and self._free("residence_city", m.start(), m.end()):
                    self.add("residence_city", self.city, m.start(), m.end())  # placed by the clause after
        for m in w.INSURED_SINCE.finditer(self.text):
            said = m.group("ins") or m.group("ins2")
            if not said:  # "失业保险我交了两年，其实是今年1月才开始交的": the insurance this clause or the one before names
                start, _ = self.clause_at(m.start())
                named = list(w.INSURANCE_WORDS.finditer(self.text, self.clause_at(max(0, start - 2))[0], m.start()))
                said = named[-1].group(0) if named else ""
            name = w.INSURANCE_FACT.get(said)
            if name is None:
                continue
            sentence_end = min([i for i in (self.text.find(ch, m.end()) for ch in "。！!？?\n") if i != -1] or [len(self.text)])
            job_lost = w.JOB_LOSS.search(re.sub(r"失业(?:保险|险|金|登记)", "", self.text))  # not the insurance's own name
            if job_lost or w.INSURANCE_STOPPED.search(self.text, m.start(), sentence_end) or self._not_now(m.start()):
                continue  # paid until a job was lost, or with a gap: not counted to today
            since = self._months_since(m)
            if since is not None:
                value, (low, high) = since
                if name == "social_insurance_years":
                    low, high = low // 12, high // 12
                    value = value // 12 if not isinstance(value, Range) else high if low == high else Range(low, high)
                self.hits.append(_Hit(name, value, m.group(0), m.start(), within=self._bound(name, (low, high))))
        for m in (m for rx in (w.BORN_IN, w.BORN_IN_AFTER) for m in rx.finditer(self.text)):
            if self._not_now(m.start()) or w.NOT_OWN_BIRTH.search(self.text, self.clause_at(m.start())[0], m.start()):
                continue
            year = cn_int(m.group("y")) if m.group("y") else two_digit_year(m.group("yy"))
            month = cn_int(m.group("mo")) if m.group("mo") else None
            if year is None or year > self.today.year or (month is not None and not 1 <= month <= 12):
                continue
            age = self.today.year - year
            if month is not None and month != self.today.month:
                age -= month > self.today.month
                self.hits.append(_Hit("age", age, m.group(0), m.start(), within=(age, age)))
            else:  # a birth year, or this month: two ages are possible
                self.hits.append(_Hit("age", age, m.group(0), m.start(), within=(age - 1, age), alone=False))

    def drop_left_stays(self) -> None:
        """A stay the resident has since left ("去年3月来的广州，现在已经回老家了") is no current residence: the
        residence and its length read before the words of leaving are dropped; what is said after them stands."""
        for m in w.MOVED_AWAY.finditer(self.text):
            start, _ = self.clause_at(m.start())
            if self.not_a_statement(m.start()) or w.A_TRIP_HOME.search(self.text, start, m.start()) \
                    or w.OTHERS.search(self.text, start, m.start()) \
                    or w.THIRD_PARTY.search(self.text, start, m.start()) or re.search(w.KIN, self.text[start:m.start()]):
                continue  # "我妈上个月回老家了": someone else left
            self.hits = [h for h in self.hits
                         if not (h.fact in ("residence_city", "residence_months") and 0 <= h.start < m.start())]

    def _bound(self, name: str, within: tuple[int, int]) -> tuple[int, int]:
        """The values a start date allows for `name`; only an upper bound when the length is stated as a total
        ("前年三月开始交的，到现在一共二十个月": months paid, with gaps, can be fewer than the months since the start; more
        than that is still a conflict)."""
        totals = [h for h in self.hits if h.fact == name and h.within is None and h.start >= 0
                  and w.A_TOTAL.search(self.text, self.clause_at(h.start)[0], h.start + len(h.span))]
        return (0, within[1]) if totals else within

    def _not_now(self, pos: int) -> bool:
        """Not a statement of the resident's own situation: a hypothesis, the past, a plan, or someone else's."""
        start = max(self.clause_at(pos)[0], pos - 8)  # the words just before: a transcript may have no commas
        return self.not_a_statement(pos) or self.in_the_past(pos) or bool(
            w.WISH.search(self.text, start, pos) or w.OTHERS.search(self.text, start, pos)
            or re.search(r"(?:明年|后年|下个?|下一个)$", self.text[max(0, pos - 3):pos]))

    def _year_said(self, m: re.Match) -> int | None:
        if m.group("y"):
            return cn_int(m.group("y"))
        return self.today.year - ("今年", "去年", "前年", "大前年").index(m.group("rel")) if m.group("rel") else None

    def _months_since_festival(self, m: re.Match) -> tuple[int | Range, tuple[int, int]] | None:
        """Whole months from the festival in `m` ("前年中秋前后") to today: one number when every day it may mean gives
        the same count, else the range of counts; with no year, the last such festival."""
        year = self._year_said(m)
        if year is None:
            year = self.today.year if festivals.window(m.group("fest"), self.today.year)[0] <= self.today \
                else self.today.year - 1
        first, last = festivals.around(m.group("fest"), m.group("fpart"), year)
        if first > self.today:
            return None
        high, low = (_whole_months(day, self.today) for day in (first, min(last, self.today)))
        return (high if low == high else Range(low, high)), (low, high)

    def _months_since(self, m: re.Match) -> tuple[int | Range, tuple[int, int]] | None:
        """Whole months from the month in `m` (SINCE's groups) to today, and the range its precision allows."""
        if m.group("fest"):
            return self._months_since_festival(m)
        month = cn_int(m.group("mo"))
        if month is None or not 1 <= month <= 12:
            return None
        year = self._year_said(m)
        if year is None:  # "七月底才过来": the last July
            year = self.today.year if month <= self.today.month else self.today.year - 1
        months = (self.today.year - year) * 12 + self.today.month - month
        day = cn_int(m.group("d")) if m.group("d") else None
        if day is not None:
            months -= self.today.day < day
            return (months, (months, months)) if months >= 0 else None
        return (months, (max(0, months - 1), months)) if months >= 0 else None

    def read_ui_city(self) -> None:
        if "失业" not in self.text:
            return
        for m in w.UI_EMPLOYER.finditer(self.text):
            place, words = places.place_before(self.text[max(0, m.start() - 8):m.start()], city=self.city)
            if place is not None and place.level == "city" and self._free("ui_insured_city", m.start() - len(words), m.end()):
                self.add("ui_insured_city", place.name, m.start() - len(words), m.end())
        for m in w.UI_PLACE.finditer(self.text):
            place = self.place(self.slot(m, "p", "p3"), strong=False)
            if place is not None and place.level == "city" and not self._not_lived_in(m, "p", "p3"):
                self.add("ui_insured_city", place.name, m.start(), m.end())
        for m in w.UI_PLACE_BEFORE.finditer(self.text):
            place, words = places.place_before(self.text[max(0, m.start() - 8):m.start()], city=self.city)
            if place is not None and place.level == "city":
                self.add("ui_insured_city", place.name, m.start() - len(words), m.end())

    def read_work_here(self) -> None:
        """在本市合法稳定就业或创业: a job or a business of one's own, in a clause that places it in this city."""
        if w.JOB_LOSS.search(self.text):
            return
        for m in w.WORK_HERE.finditer(self.text):
            place = self.place(self.slot(m, "p"), strong=False)
            if place is not None and place.name == self.city and not self.in_the_past(m.start()) \
                    and not self.here_is_elsewhere(m.group("p"), m.start()):
                self.add("stable_job_gz", True, m.start(), m.end())
                return

    def read_employment_injury(self) -> None:
        """An employee hurt at or on the way to work; how it happened (`injury_context`) is a closed value."""
        if not w.INJURY.search(self.text):
            return
        said = w.EMPLOYEE_SAID.search(self.text)
        if said:
            self.add("employee", True, said.start(), said.end())
            return
        for sentence_match in re.finditer(r"[^。！!？?；;\n]+", self.text):
            sentence, offset = sentence_match.group(0), sentence_match.start()
            work = w.WORK_WORDS.search(sentence)
            if work and w.INJURY.search(sentence):
                self.add("employee", True, offset + work.start(), offset + work.end())
                return

    def read_closed(self, name: str, *, skip_before: re.Pattern | None = None) -> None:
        """A closed-value fact read from its vocabulary cues (data/facts.yaml, `values`): one reading for every such
        fact, so the reader can only produce the catalogue's canonical values.

        A cue counts only where it states the resident's own situation: not negated just before it ("我不是骑手",
        "还没退休"; except for a grievance, "儿子不给赡养费"), not said of someone else ("邻居家儿子…"), not a wish or a
        question (except for a value asked for: "想用公积金还房贷", "能提取公积金还贷吗"), and not in a clause
        `skip_before` matches before it ("招了4个退役军人"). In one sentence the first value listed whose cue counts is
        read; values in different sentences are a conflict, or, for `several: first`, the first stated is kept.
        """
        vs = value_sets()[name]
        if vs.when and not w.rx(vs.when, "").search(self.text):
            return
        found: list[tuple[int, int, str]] = []
        for sentence in re.finditer(r"[^。！!？?；;\n]+", self.text):
            for value in vs.values:
                if value.with_ and not w.rx(value.with_, "").search(self.text):
                    continue
                hit = next((h for cue in value.cues for h in self._cue_hits(vs, cue, sentence, skip_before)), None)
                if hit is not None:
                    found.append((*hit, value.name))
                    if vs.several != "first":
                        break
        if vs.several == "first" and found:
            found = [min(found)]
        for start, end, value_name in found:
            self.add(name, value_name, start, end)

    def _cue_hits(self, vs: ValueSet, cue: tuple[str, ...], sentence: re.Match,
                  skip_before: re.Pattern | None) -> Iterator[tuple[int, int]]:
        """Where `cue` counts in `sentence`: its first pattern, with every other pattern of the cue in the sentence."""
        s, e = sentence.span()
        if not all(w.rx(p, "").search(self.text, s, e) for p in cue[1:]):
            return
        for m in w.rx(cue[0], "").finditer(self.text, s, e):
            cs, _ = self.clause_at(m.start())
            before = self.text[cs:m.start()]
            if vs.negation and w.NEGATED.search(before):
                continue
            if w.OTHERS.search(before) or w.OTHER_PERSON.match(before) or (skip_before and skip_before.search(before)):
                continue
            asked = (w.A_NOT_A.search(self.text[max(0, m.start() - 5):m.start() + 1])
                     or re.match(r"\s*(?:吗|么|嘛|\?)", self.text[m.end():m.end() + 3]))
            if not vs.wanted and (w.CLOSED_WISH.search(before) or asked):
                continue
            yield m.start(), m.end()

    def read_education(self) -> None:
        for m in w.EDUCATION.finditer(self.text):
            cs, ce = self.clause_at(m.start())
            fragment = cs == m.start() and ce == m.end()  # "本科毕业，在天河上班"
            if (m.group("grad") or m.group("e3")) and not fragment and not w.PERSON.search(self.text, cs, m.start()):
                continue
            level = m.group("e") or m.group("e2") or m.group("e3")
            self.add("education", value_sets()["education"].canonical(level), m.start(), m.end())

    def read_platform_contract(self) -> None:
        """A platform worker's "没签劳动合同" is about the platform: the only employer the description names."""
        if "platform_labor_relation" in {h.fact for h in self.hits}:
            return
        if any(h.fact == "flexible_work_type" and h.value == "新业态平台" for h in self.hits):
            m = re.search(r"没有?签(?:劳动)?合同|没有劳动关系", self.text)
            if m:
                self.add("platform_labor_relation", False, m.start(), m.end())

    def read_points(self) -> None:
        for m in w.POINTS.finditer(self.text):
            if not m.group("fen") and m.group("gap") and not re.search(r"(?:有|是|为|下来|刚好|共|达到|算了|算出来?是?)$", m.group("gap")):
                continue
            n = signed_int(m.group("sign"), m.group("n"))
            if n is not None and self._free("points", m.start("n"), m.end()):
                self.add("points", n, m.start(), m.end())
        for m in w.POINTS_BARE.finditer(self.text):
            n = cn_int(m.group("n"))
            if n is not None and self._free("points", m.start("n"), m.end()):
                self.add("points", n, m.start(), m.end())
        if "积分" in self.text:  # "再算了一遍只有140分": the score restated without the word
            for m in re.finditer(r"(?<![\d.])(\d{2,5}|[一二三四五六七八九十百千两零]{2,8})分(?!钟|之|期|数线|及?以上|以下|就|才|即可)", self.text):
                # not a threshold ("听人说140分以上就能批"): a line heard of, no score of the resident's
                n = cn_int(m.group(1))
                if n is not None and self._free("points", m.start(1), m.end()):
                    self.add("points", n, m.start(), m.end())

    def read_criminal_years(self) -> None:
        for m in w.CRIME_AGO.finditer(self.text):
            years = cn_int(m.group("n"))
            if years is not None and self._free("criminal_record_5y", m.start(), m.end()):
                self.add("criminal_record_5y", years <= 5, m.start(), m.end())
        for m in w.CRIME_IN_YEAR.finditer(self.text):
            years = self.today.year - int(m.group("y"))
            if years >= 0 and self._free("criminal_record_5y", m.start(), m.end()):
                self.add("criminal_record_5y", years <= 5, m.start(), m.end())

    def read_disability(self) -> None:
        for sentence_match in re.finditer(r"[^。！!？?；;\n]+", self.text):
            sentence, offset = sentence_match.group(0), sentence_match.start()
            about_disability = re.search(r"残|证上|证是|等级", sentence) or (
                "残疾" in self.text and re.search(r"视力|听力|言语|肢体|智力|精神|多重", sentence)) or (  # "不对，是肢体三级"
                any(h.fact == "disability_grade" for h in self.hits) and w.GRADE_SAID.search(sentence))
            if not about_disability or re.search(r"职称|建造师|台风|风力|大风|阵风|地震|工资|企业", sentence):
                continue
            for m in w.GRADE.finditer(sentence):
                n = signed_int(m.group("sign"), m.group("n"))
                if n is not None:
                    self.add("disability_grade", n, offset + m.start(), offset + m.end())
                    if not any(h.fact == "disability_certificate" for h in self.hits):  # a grade is on a certificate
                        self.add("disability_certificate", True, offset + m.start(), offset + m.end())

    def read_own_business(self) -> None:
        """A person's own business (创业担保贷款, 个人借款人): the applicant only when a loan or money is wanted."""
        loan = w.LOAN_INTENT.search(self.text)
        if loan and (w.BUSINESS_WORDS.search(self.text) or (w.LOAN_WANTED.search(self.text) and w.BUSINESS.search(self.text))):
            self.add("applicant", "individual", loan.start(), loan.end())
        self.read_closed("key_group", skip_before=w.HIRED)  # "招了4个退役军人": hires, not the speaker
        m = w.BUSINESS.search(self.text)
        if m:
            self.add("business_project", True, m.start(), m.end())
        m = w.NOT_REGISTERED.search(self.text)
        if m:
            self.add("business_registered", False, m.start(), m.end())
        else:
            done = w.REGISTERED.search(self.text)
            if done:
                self.add("business_registered", True, done.start(), done.end())
            for m in w.BUSINESS_PLACE.finditer(self.text):
                place = self.place(self.slot(m, "p", "p2", "p3", "p4", "p5", "p6"), strong=bool(m.group("strong")))
                if place is not None and place.level == "city" and not self._issued_else(m, "p", "p2", "p3", "p4", "p5", "p6"):
                    self.add("business_registered_area", place.name, m.start(), m.end())
            for m in w.BUSINESS_BEFORE.finditer(self.text):
                place, words = places.place_before(self.text[max(0, m.start() - 8):m.start()], city=self.city)
                if place is not None and place.level == "city":
                    self.add("business_registered_area", place.name, m.start() - len(words), m.end())
        for m in w.BUSINESS_AGE.finditer(self.text):
            months = duration_months(m)
            if months is not None:
                self.add("business_registered_months", months, m.start(), m.end())
                break
        else:
            self._registered_when()
        m = w.FUNDS_SHORT.search(self.text)
        if m:
            self.add("self_funds_insufficient", True, m.start(), m.end())

    def _registered_when(self) -> None:
        """A registration's age from the month it came through, said in its sentence before it (REGISTERED_WHEN)."""
        done = w.REGISTERED.search(self.text)
        if done is None or w.NOT_REGISTERED.search(self.text):
            return
        start = max(self.text.rfind(ch, 0, done.start()) for ch in "。！!？?\n") + 1
        # in the registration's own clause, or in one that opens the business ("上个月在白云区…开了家奶茶店"), not
        # "上个月过了生日"
        when = [m for m in w.REGISTERED_WHEN.finditer(self.text, start, done.end())
                if m.start() >= self.clause_at(done.start())[0] or w.BUSINESS.search(self._clause(m.start()))]
        if not when:
            return
        m = when[-1]
        if m.group("month"):  # "今年5月": calendar months to today
            month = cn_int(m.group("month"))
            months = None if month is None or not 1 <= month <= 12 else \
                12 * (m.group("year") == "去年") + self.today.month - month
            months = months if months is not None and months >= 0 else None
        else:
            months = 1 if m.group("last") else 0 if m.group("this") else cn_int(m.group("n"))
        if months is not None and not self._not_now(m.start()):
            self.add("business_registered_months", months, m.start(), done.end())

    def read_violence_described(self) -> None:
        """"我老公喝了酒，他又动手打我了": hitting told of by a pronoun is domestic violence when the last person named
        before it (in its sentence or the one before) is a relative or partner, not a neighbour or a stranger; with
        nobody named before it, when the text speaks of a marriage or partnership ("他又动手打我了…我想起诉离婚")."""
        for m in w.HURT_BY_PRONOUN.finditer(self.text):
            sentence = max(self.text.rfind(ch, 0, m.start()) for ch in "。！!？?\n")
            before = max(self.text.rfind(ch, 0, max(0, sentence)) for ch in "。！!？?\n") + 1
            named = list(w.PERSON_BEFORE.finditer(self.text, before, m.start()))
            kin = re.fullmatch(w.KIN, named[-1].group(0)) if named else w.A_PARTNERSHIP.search(self.text)
            if kin and self._free("domestic_violence_victim", m.start(), m.end()):
                self.add("domestic_violence_victim", True, m.start(), m.end())

    def read_other_loans(self) -> None:
        """本人及配偶的其他贷款: a mortgage, a car loan or a credit card does not count (the rule's own exceptions)."""
        stated: list[tuple[bool, re.Match]] = []
        for m in w.NO_LOANS.finditer(self.text):
            stated.append((False, m))
        for m in w.LOAN.finditer(self.text):
            if any(s.start() <= m.start() < s.end() for _, s in stated):
                continue
            context = self.text[self.clause_at(m.start())[0]:m.end()]
            if re.search(r"想|申请|要贷|能贷|贷多少|担保贷款", context) or w.LOAN_HEARD.search(context):
                continue  # the loan asked for or heard of, not one held
            amount = re.search(r"(\d+)\s*万", context)
            small = not ("消费贷" in context and amount and int(amount.group(1)) > 10)  # 10万元以下小额消费贷款
            if w.EXCEPTED_LOAN.search(context) and small:
                if re.search(r"只有|就一个|就一笔|除了|只是", context):
                    stated.append((False, m))
                continue
            stated.append((True, m))
        spouse_has_one = any(value and w.SPOUSE.search(self._clause(m.start())) for value, m in stated)
        for value, m in stated:
            clause = self._clause(m.start())
            if spouse_has_one and not value and w.SELF_ONLY.search(clause) and not w.SPOUSE.search(clause):
                continue  # "我自己没贷款，不过我老婆有一笔经营贷": the couple has a loan
            self.add("other_loans", value, m.start(), m.end())

    def read_enterprise(self) -> None:
        for m in w.ENTERPRISE.finditer(self.text):  # not the scheme's name in the question ("…小微企业创业担保贷款？")
            self.add("applicant", "enterprise", m.start(), m.end())
        said = w.ENTERPRISE_OWN.search(self.text) or w.ENTERPRISE_APPLIES.search(self.text)
        if said and not any(h.fact == "applicant" for h in self.hits):  # "公司是白云区注册的…", "以公司名义能贷吗"
            self.add("applicant", "enterprise", said.start(), said.end())
        self.read_closed("enterprise_size")
        for clause in re.finditer(r"[^，,。！!？?；;\n]+", self.text):
            words = clause.group(0)
            if not re.search(r"注册|企业|公司|执照", words) or (re.search(r"厂子?在|人在|住在|边上", words) and "注册" not in words):
                continue
            if re.search(r"申请|能不能|可不可以|能否|行不行", words):
                continue  # "能申请广州的小微企业创业担保贷款吗": the scheme asked about, not where the enterprise is registered
            for offset, place, name in _places_in(words, self.city):
                if place.level == "city":
                    self.add("registered_area", place.name, clause.start() + offset, clause.start() + offset + len(name))
        for m in w.STAFF.finditer(self.text):
            cs, _ = self.clause_at(m.start())
            if w.HIRED.search(self.text, cs, m.start()) or (m.group("tail") in ("个", "名") and not m.group("noun")):
                continue  # "招了4个", "3个": hires or things, not the staff
            if w.NOT_STAFF.search(self.text, max(cs, m.start("n") - 8), m.start("n")):
                continue  # "股东42人": people who are not the staff
            word = re.search(r"(?:差不多|大概|大约|约|将近|接近|快要?|不到)(?:有|是)?$", self.text[max(0, m.start("n") - 5):m.start("n")])
            n = signed_int(m.group("sign"), m.group("n")) if m.group("sign") else count_range(
                m.group("n"), m.group("about") or "", word and re.sub(r"[有是]$", "", word.group(0)))
            if n is not None:
                self.add("staff_count", n, m.start(), m.end())
        for m in w.HIRES.finditer(self.text):
            k = "" if m.group("n") else "2"
            n = signed_int(m.group("sign" + k), m.group("n" + k))
            if n is not None and not w.KEY_GROUP_WORDS.search(m.group("who") or m.group("who2")):
                n = self._key_group_part(n, m.end())
            if n is not None:
                self.add("new_key_group_hires_12m", n, m.start(), m.end())
        for m in w.NO_CONTRACT.finditer(self.text):
            if self._free("hires_contract_1y_plus", m.start(), m.end()):
                self.add("hires_contract_1y_plus", False, m.start(), m.end())
        for rx in w.CONTRACT_TERM:
            for m in rx.finditer(self.text):
                months = duration_months(m)
                long = None if months is None else compare(months, ">=", 12)
                if long is not None and self._free("hires_contract_1y_plus", m.start(), m.end()):
                    self.add("hires_contract_1y_plus", long, m.start(), m.end())
        for pattern, value in w.ARREARS:
            for m in pattern.finditer(self.text):  # "有没有失信记录不清楚": the words are taken, nothing is stated
                asked = self.text[max(0, m.start() - 1):m.start() + 2] == "有没有" or re.search(
                    r"(?:是否|是不是|有没有)$", self.text[max(0, m.start() - 3):m.start()])
                if self._free("arrears", m.start(), m.end()) and not asked:
                    self.add("arrears", value, m.start(), m.end())

    def _key_group_part(self, hired: int, end: int) -> int | None:
        """Of `hired` people just counted ("新招了4个人"), how many are of a key group, by the kinds the rest of the
        sentence gives them: the parts naming a key group ("其中2个退役军人、2个应届高校毕业生" = 4, "其中1个是退伍军人" = 1),
        or all of them ("全部都是退役军人"); None when no kind is named (hires, but of whom is not said)."""
        sentence_end = min((i for i in (self.text.find(ch, end) for ch in "。！!？?；;\n") if i != -1), default=len(self.text))
        rest = self.text[end:sentence_end]
        parts = [(cn_int(p.group("n")), p.group("who")) for p in w.HIRES_PARTS.finditer(rest)]
        key = [n for n, who in parts if n is not None and w.KEY_GROUP_WORDS.search(who)]
        if key and sum(key) <= hired:
            return sum(key)
        if not parts and any(w.KEY_GROUP_WORDS.match(rest, a.end()) for a in w.ALL_HIRES_KEY.finditer(rest)):
            return hired
        return None

    def read_decision_request(self) -> bool:
        return bool(w.DECISION.search(self.text))


@dataclass(frozen=True)
class _Impossible:
    value: object
    zh: str
    en: str


def _places_in(words: str, city: str) -> Iterator[tuple[int, places.Place, str]]:
    i = 0
    while i < len(words):
        place, name = places.place_at(words[i:], city=city)
        if place is not None and place.level != "elsewhere":
            yield i, place, name
            i += len(name)
        else:
            i += 1


def _an_age(clause: str) -> bool:
    """A clause stating someone's age: with 岁 or 今年, or a person and a bare number ("我老伴七十一")."""
    return bool(w.AGE.search(clause) or w.PERSON_NAMED.search(clause) and w.BARE_AGE_END.search(clause))


def _in_years(months: int | Range) -> int | Range:
    """Whole years of a length in months (a negative one stays negative: an impossible value is refused by name);
    a range in years, its bounds kept."""
    if isinstance(months, Range):
        return months.scaled(1 / 12)
    return months // 12 if months >= 0 else -((-months) // 12) or -1


def _check(name: str, value: object) -> tuple[object | None, dict | None]:
    if isinstance(value, _Impossible):
        return None, {"fact": name, "value": value.value, "zh": value.zh, "en": value.en}
    try:
        return check_value(name, value), None
    except ZhengwuError as exc:
        return None, {"fact": name, "value": value, "zh": exc.zh, "en": exc.en}


def _corrected(hits: list[_Hit], text: str) -> list[_Hit]:
    """Drop the values a speaker corrected: a value of a fact stated before a correction ("不对", "说错了") that a later
    value of the same fact follows. A record disagreeing with a record, with no correction said, stays a conflict."""
    kept = []
    for hit in hits:
        end = hit.start + len(hit.span)
        later = [h.start + len(h.span) for h in hits if h.fact == hit.fact and h.start >= end and h.value != hit.value]
        if hit.start >= 0 and any(w.CORRECTION.search(text, end, later_end) for later_end in later):
            continue
        kept.append(hit)
    return kept


def _settle(hits: list[_Hit], reading: Reading) -> None:
    """Hits -> facts, conflicts and errors: one stated value is a fact, two are a conflict, an impossible one an error."""
    by_fact: dict[str, list[_Hit]] = {}
    for hit in sorted(hits, key=lambda h: h.start):
        by_fact.setdefault(hit.fact, []).append(hit)
    for name, found in by_fact.items():
        found = _reckoned_once(found)
        values: list[object] = []
        spans: list[str] = []
        failed = False
        for hit in found:
            value, err = _check(name, hit.value)
            if err is not None:
                if err not in reading.errors:
                    reading.errors.append(err)
                failed = True
                continue
            if value not in values:
                values.append(value)
                spans.append(hit.span)
        if failed:
            continue
        values = _agreed(values)
        if len(values) == 1:
            reading.facts[name] = values[0]
            if spans[0]:
                reading.spans[name] = spans[0]
        elif len(values) > 1:
            reading.conflicts[name] = values
            reading.spans[name] = "…".join(s for s in spans if s)


def _agreed(values: list[object]) -> list[object]:
    """Readings of one amount where some are ranges ("不到一天，大概二十个小时"): a range holding a stated number
    agrees with it (the number is what was said), overlapping ranges agree on the values they share. What is left
    is the fact, or, when readings still share no value (不到半年 / 两年), a conflict, asked."""
    ranges = [v for v in values if isinstance(v, Range)]
    if not ranges:
        return values
    numbers = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if len(numbers) + len(ranges) < len(values):   # not amounts: nothing to agree on
        return values
    out: list[object] = []
    for v in values:
        if not isinstance(v, Range):
            out.append(v)
        elif not any(v.overlaps(n) for n in numbers):
            shared = next((i for i, o in enumerate(out) if isinstance(o, Range) and o.overlaps(v)), None)
            if shared is None:
                out.append(v)
            else:
                out[shared] = out[shared].intersect(v)
    return out


def _reckoned_once(found: list[_Hit]) -> list[_Hit]:
    """A value reckoned from a date (`_Hit.within`) next to values stated in words: dropped when a stated value is
    within what the date allows (one fact, read once: "住了八个多月…今年3月份来的"), kept when none is (a conflict,
    asked); with no stated value, kept when the date alone gives one value."""
    stated = [h for h in found if h.within is None]
    kept = []
    for hit in found:
        if hit.within is None:
            kept.append(hit)
        elif stated:
            low, high = hit.within
            if not any(isinstance(h.value, int) and low <= h.value <= high for h in stated):
                kept.append(hit)
        elif hit.alone:
            kept.append(hit)
    return kept


def _whole_months(start: dt.date, today: dt.date) -> int:
    return (today.year - start.year) * 12 + today.month - start.month - (today.day < start.day)


def _age_of(born: object, today: dt.date) -> int:
    return age_on(dt.date.fromisoformat(str(born)), today)


def _read(prepared: str, *, today: dt.date, city: str, unblanked: str | None = None) -> _Reader:
    """One reading of a prepared text; `unblanked` (the text before identifiers are blanked, same positions) gives an
    ID number's date of birth."""
    reader = _Reader(prepared, today=today, city=city)
    here = "|".join(re.escape(word) for word in ("本市", "本地", "这边", city, city.rstrip("市")) if word)
    enterprise = (bool(w.ENTERPRISE.search(prepared) and w.ENTERPRISE_PROFILE.search(prepared)) or bool(
        (w.ENTERPRISE_OWN.search(prepared) or w.ENTERPRISE_APPLIES.search(prepared)) and w.ENTERPRISE_SAYS.search(prepared)
        and not w.EMPLOYEE_WRONGED.search(prepared))) and not (  # "我们公司一位员工…被砸伤": the employee's case
        re.search(w.EMPLOYER_ABOUT, prepared) and (w.INJURY.search(prepared) or w.JOB_LOSS.search(prepared)))
    own_business = not enterprise and bool(w.LOAN_INTENT.search(prepared) or w.BUSINESS.search(prepared))
    reader.read_bools(f"(?:{here})")
    reader.read_age()
    reader.read_birth_date()
    if unblanked is not None:
        reader.read_id_birth(unblanked)
    reader.read_gender()
    reader.read_hukou()
    reader.read_native()
    reader.read_kept_hukou()
    reader.read_status_place()
    reader.read_claimed_move()
    reader.drop_relatives_hukou()
    reader.read_introduced_origin()
    reader.read_residence()
    reader.read_address_line()
    reader.read_durations()
    reader.read_dated()
    reader.read_restated()
    reader.drop_left_stays()
    reader.read_ui_city()
    reader.read_work_here()
    reader.read_employment_injury()
    reader.read_violence_described()
    for name, vs in value_sets().items():
        if vs.read == "text":
            reader.read_closed(name)
    reader.read_education()
    reader.read_platform_contract()
    reader.read_points()
    reader.read_criminal_years()
    reader.read_disability()
    if enterprise:
        reader.read_enterprise()
        reader.hits = [h for h in reader.hits if h.fact not in ("legal_matter", "stable_job", "employee")]
    else:
        reader.read_other_loans()  # also "家里没有任何贷款" said before the business is
        if own_business:
            reader.read_own_business()
    return reader


def _new_statements(found: list[_Hit], held: list[_Hit], kept: list[int], original: str) -> list[_Hit]:
    """Hits of a second reading (on the text `spoken.normalise` closed up) moved back to the original's positions and
    words, less those where the first reading already read the same fact: only statements the insertions hid."""
    new = []
    for hit in found:
        if hit.start < 0:  # an impossible value is refused only as the resident wrote it, never as closed up
            continue
        start = kept[hit.start]
        end = kept[hit.start + len(hit.span) - 1] + 1 if hit.span else start
        if hit.span and any(h.fact == hit.fact and h.start < end and start < h.start + max(len(h.span), 1) for h in held):
            continue
        if not hit.span and any(h.fact == hit.fact and h.value == hit.value for h in held):
            continue  # a spanless reading (an ID's birthday) already held
        new.append(replace(hit, span=original[start:end], start=start))
    return new


def _the_writers(hit: _Hit, text: str) -> bool:
    """In a description written for someone else, a statement of the writer's own ("我自己在深圳上班")."""
    if hit.start < 0:
        return False
    start = max(text.rfind(ch, 0, hit.start) for ch in "。！!？?；;\n") + 1
    opened = w.ASKER_OPENS.match(text, start)
    return bool(opened) and not w.THIRD_PERSON.search(text, opened.end(), hit.start)


def _about(hit: _Hit, text: str) -> str | None:
    """Whom the clause of a hit speaks of at the hit: "other" (a relative, 他/她), "stranger" (对方, 同事 …), "own"
    (我, or 我 and a relative together) or None (nobody named in the clause before it)."""
    if hit.start < 0:
        return None
    start = max(text.rfind(ch, 0, hit.start) for ch in "，,。！!？?；;\n") + 1
    named: list[str] = []
    speaker = None
    last = None
    for m in w.PERSON_NAMED.finditer(text, start, hit.start):
        if w.SPEAKS.match(text, m.end()):  # "人家讲是八个月": the one who speaks is a source, not the subject
            speaker = m.lastgroup
            continue
        # "同事说他在广州住了三年": 他 after a stranger who speaks is that stranger
        named.append("stranger" if speaker == "stranger" and m.group(0) in ("他", "她") else m.lastgroup)
        speaker, last = None, m
    opens = w.PERSON_NAMED.match(text, hit.start)  # "他七十了": the statement's own words open on the person
    if opens:
        named.append(opens.lastgroup)
        last = opens
    if not named:
        return None
    if named[-1] == "other" and last.group(0) in ("他", "她") and _antecedent(text, last.start()) == "stranger":
        return "stranger"  # "隔壁老王…，他六十七了": the pronoun stands for the neighbour
    return "own" if named[-1] == "both" else named[-1]


def _relative_named(hit: _Hit, text: str) -> str | None:
    """The relative (`wording.KIN_GROUPS`) the clause of `hit` last names before it, when it names one by kin: "我妈也有个
    残疾证是四级的" -> mother."""
    if hit.start < 0:
        return None
    start = max(text.rfind(ch, 0, hit.start) for ch in "，,。！!？?；;\n") + 1
    named = [m for m in w.PERSON_NAMED.finditer(text, start, hit.start) if not w.SPEAKS.match(text, m.end())]
    opens = w.PERSON_NAMED.match(text, hit.start)  # "我爸六十八了": the statement opens on the person
    named += [opens] if opens else []
    return w.kin_of(named[-1].group(0)) if named and named[-1].lastgroup == "other" else None


def _antecedent(text: str, pos: int) -> str | None:
    """Whom a 他/她 at `pos` stands for: the last person named before it in its sentence who is not the writer (a
    pronoun never stands for 我) nor another pronoun."""
    start = max(text.rfind(ch, 0, pos) for ch in "。！!？?\n") + 1
    found = [m.lastgroup for m in w.PERSON_NAMED.finditer(text, start, pos)
             if m.lastgroup in ("other", "stranger") and m.group(0) not in ("他", "她")]
    return found[-1] if found else None


def _someone_elses(hits: list[_Hit], text: str) -> list[_Hit]:
    """The facts of one person said in a clause about someone else are not the applicant's: a stranger's ("对方司机
    喝醉了酒") never, unless the description is written for someone; a relative's not when the writer asks about
    themselves and nobody else is asked for ("我同我老婆都是广州户口，她今年61，我58。…我能不能也跟着办": 61 is the
    wife's age). "我阿妈今年七十三…佢想去…有冇补贴" asks for the mother and "我能帮他办吗" for the one helped: their facts
    stand; with no question of whose ("我妈七十了…我今年45"), both are asked, never one chosen. Dropping errs towards
    "maybe": a parent's "我能申请吗" for a child loses the child's facts, and the matcher asks them."""
    behalf = w.ON_BEHALF.search(text)
    if behalf:
        asked = w.kin_of(behalf.group(0))
        return [h for h in hits if not (asked and h.fact in w.OWN_FACTS_ONLY and _relative_named(h, text) not in (None, asked))]
    writer = bool(w.ASKED_FOR_SELF.search(text)) and not w.ASKED_FOR_OTHER.search(text)
    dropped = {"stranger", "other"} if writer else {"stranger"}
    return [h for h in hits if not (h.fact in w.OWN_FACTS_ONLY and _about(h, text) in dropped)]


def _disputed(hits: list[_Hit], text: str) -> list[_Hit]:
    """A length stated, then set against another source's account of when it began that cannot be reckoned
    (`wording.RESTATED_UNREAD`): the length is not read, so it is asked — keeping the first value would choose it."""
    for m in w.RESTATED_UNREAD.finditer(text):
        names = ("residence_months",) if m.group("came") else ("ui_contribution_months", "social_insurance_years")
        before = [h for h in hits if h.fact in names and 0 <= h.start < m.start()]
        if not before:
            continue
        name = max(before, key=lambda h: h.start).fact
        if not any(h.fact == name and m.start() <= h.start < m.end() for h in hits):  # a value of its own: _settle asks
            hits = [h for h in hits if h.fact != name]
    return hits


def _ended(hits: list[_Hit], text: str) -> list[_Hit]:
    """A status held once and lost since ("他以前有残疾证…证就收回去了，现在手上没有残疾证", "以前在广州办过居住证…居住证就
    过期了"): a yes in a clause about the past is no statement of now, so beside a no of the same fact it is dropped and
    the no is read — a status that ended is its negation, not a conflict. A yes about the past with no no stays. Likewise
    a length of none said of the time before ("之前从来没交过失业保险") beside a length paid since."""
    def past(h: _Hit) -> bool:
        if h.start < 0:
            return False
        start = max(text.rfind(ch, 0, h.start) for ch in "，,。！!？?；;\n") + 1
        return bool(w.PAST.search(text, start, h.start + 1))
    def was_none(h: _Hit) -> bool:  # "之前从来没交过失业保险" beside the months paid since: none before, not none now
        return h.fact in _LENGTHS and h.value == 0 and not isinstance(h.value, bool) and past(h)
    ended = {h.fact for h in hits if h.value is False} & {h.fact for h in hits if h.value is True and past(h)}
    since = {h.fact for h in hits if h.fact in _LENGTHS and h.value != 0 and not past(h)}
    return [h for h in hits if not (h.fact in ended and h.value is True and past(h) or h.fact in since and was_none(h))]


def _undecided(hits: list[_Hit], text: str) -> list[_Hit]:
    """A living arrangement in a sentence that says the choice is not made yet is no statement of one."""
    spans = []
    for m in w.UNDECIDED.finditer(text):
        start = max(text.rfind(ch, 0, m.start()) for ch in "。！!？?\n") + 1
        spans.append((start, m.end()))
    return [h for h in hits if not (h.fact in w.CHOICE_FACTS and any(s <= h.start < e for s, e in spans))]


def read_facts(text: str, *, today: dt.date, city: str = "广州市") -> Reading:
    """The facts a description states, by rules; see the module docstring for what is never guessed."""
    if not isinstance(text, str):
        raise ZhengwuError("match_bad_input", "情况描述必须是文字。", "the description must be text.")
    if len(text) > MAX_CHARS:
        raise ZhengwuError("match_text_too_long", f"情况描述太长（{len(text)} 字），请在 {MAX_CHARS} 字以内说明您的情况。",
                           f"the description is too long ({len(text)} characters); please keep it under {MAX_CHARS}.")
    prepared = spoken.break_run_on(w.prepare(text))
    reader = _read(prepared, today=today, city=city, unblanked=text.translate(w.WIDE))
    hits = list(reader.hits)
    closed, kept = spoken.normalise(prepared, city=city)
    if closed != prepared:  # "今年都六十二了": read again with the spoken insertions taken out; only new statements count
        again = _read(closed, today=today, city=city)
        hits += _new_statements(again.hits, hits, kept, prepared)
        reader.unknown += [u for u in again.unknown if u not in reader.unknown and u in prepared]
    if w.ON_BEHALF.search(prepared):
        hits = [h for h in hits if not _the_writers(h, prepared)]
    hits = _ended(_disputed(_undecided(_someone_elses(hits, prepared), prepared), prepared), prepared)
    reading = Reading(unknown_areas=reader.unknown, decision_request=reader.read_decision_request())
    _settle(_corrected(hits, prepared), reading)
    at_home = reading.facts.get("living_at_home")
    if at_home is not None and "lives_in_care_home" not in reading.facts:  # the catalogue's word for the same statement
        reading.facts["lives_in_care_home"] = not at_home
        reading.spans["lives_in_care_home"] = reading.spans.get("living_at_home", "")
    stated = reading.conflicts.get("hukou", [])
    named = [v for v in stated if v != places.OTHER_CITY]
    if len(stated) == 2 and len(named) == 1 and named[0] not in (city, reading.facts.get("residence_city")):
        reading.facts["hukou"] = named[0]  # "广西玉林人，户口在老家": 老家 (another place) is the place named
        del reading.conflicts["hukou"]
    born = reading.facts.get("birth_date")
    if born and "age" in reading.facts and _age_of(born, today) != reading.facts["age"]:
        reading.conflicts["age"] = [reading.facts.pop("age"), _age_of(reading.facts.pop("birth_date"), today)]
    return reading


_PROMPT = "data/facts_prompt.txt"
_JSON_OBJECT = re.compile(r"\{.*\}", re.S)


def _prompt(names: list[str]) -> str:
    from importlib import resources

    lines = []
    for name in names:
        f = vocabulary_fact(name)
        allowed = f", 可选值: {'/'.join(f.values)}" if f.values else ""
        unit = f"（单位: {f.unit}）" if f.unit else ""
        lines.append(f"- {name}: {f.type}, {f.zh}{unit}{allowed}")
    template = resources.files("zhengwu.match").joinpath(_PROMPT).read_text("utf-8")
    return template.format(facts="\n".join(lines))


MODEL_REPLY_TOKENS = 768
"""The most a model may answer when filling facts: a JSON object of a few dozen facts with their words fits well
within it, and a model that runs on (gemma3 270M repeated the ~2,150-token prompt for 158 s, bench/match_with_model.py)
does not hold the server for minutes per resident."""


def complete_with_model(g: Governed, text: str, reading: Reading) -> Reading:
    """Ask the configured model, through the caller's governed interaction `g`, for the facts the rules left unknown.

    Rules first: the model only fills gaps. Each value it gives is checked by `check_value` and kept only when the
    words it quotes occur in the description (grounded or silent); a value that disagrees with a rule's reading
    becomes a conflict, asked back like any other. Without a model, or when the model fails or answers something
    that is not the JSON asked for, the rules' reading is returned unchanged: matching never depends on the model.
    """
    if not g.generative() or not isinstance(text, str) or not text.strip():
        return reading
    settled = set(reading.conflicts) | {e["fact"] for e in reading.errors}
    wanted = [n for n in vocabulary() if n not in settled]
    try:
        reply = g.chat([{"role": "system", "content": _prompt(wanted)}, {"role": "user", "content": text}],
                       temperature=0, max_tokens=MODEL_REPLY_TOKENS)
    except ZhengwuError:
        return reading  # the door recorded the failure; the rules' reading stands
    found = _JSON_OBJECT.search(reply.text or "")
    try:
        proposed = json.loads(found.group(0)) if found and not reply.blocked else {}
    except ValueError:
        proposed = {}
    if not isinstance(proposed, dict):
        return reading
    prepared = w.prepare(text)
    out = Reading(facts=dict(reading.facts), conflicts=dict(reading.conflicts), errors=list(reading.errors),
                  spans=dict(reading.spans), unknown_areas=list(reading.unknown_areas),
                  decision_request=reading.decision_request, inferred=dict(reading.inferred))
    for name, item in proposed.items():
        if name not in wanted or not isinstance(item, dict):
            continue
        words = item.get("words")
        quoted = isinstance(words, str) and words.strip() and (
            (words in prepared and "＊" not in words) or (words in text and not w.PII.search(words)))
        if not quoted:
            continue  # not in the resident's words (or an identifier): a guess, not a reading
        try:
            value = check_value(name, item.get("value"))
        except ZhengwuError:
            continue
        if name in out.facts:
            if out.facts[name] != value:
                out.conflicts[name] = [out.facts.pop(name), value]
                out.spans[name] = f"{out.spans.get(name, '')}…{words}"
            continue
        out.facts[name] = value
        out.spans[name] = words
        out.inferred[name] = {"value": value, "words": words}
    return out
