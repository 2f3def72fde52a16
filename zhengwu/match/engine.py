"""Evaluating a situation against the scheme catalogue: eligible / maybe / not eligible / closed, with reasons.

Three-valued (Kleene) logic, because a resident rarely states every fact: a condition on a fact nobody stated is
*unknown*, not false, so the scheme is "maybe" and the facts that could settle it become questions. Only a stated
fact can fail a scheme, and only a stated exclusion can bar one. The engine decides nothing about a person: it
reports what the rules' own sentences say about the stated facts, and which office decides.

Conventions (from the case set's README, which quotes the law):
- "以上/以下/不超过/满/达到" include the number itself (民法典第一千二百五十九条), so the catalogue writes them as
  >= / <=; the engine applies the operator exactly as written.
- `birth_date` gives `age` on `today` (周岁: the birthday itself counts).
- `hukou` "外地" means "not the city of residence" (`residence_city`, else the catalogue's city) and "外省" means
  "not this province": compared with a named place they are false when that place is the home city/province
  and unknown otherwise.
- A scheme applies in its `region` (全国, a province, a city): one whose region holds neither where the resident
  lives (the enterprise is registered) nor another stated tie (户籍, 参保地) is not offered, with the reason; when
  nobody said where, the department's own area (`home_city`) is presumed for its own schemes and the place is
  asked for the schemes of other areas, never guessed.
"""

from __future__ import annotations

import datetime as dt
import math
import operator
from dataclasses import dataclass, field

from zhengwu.errors import ZhengwuError
from zhengwu.match.catalog import NATIONAL, Catalog, Condition, Contact, Scheme, Source, Validity
from zhengwu.match.places import OTHER_CITY, place_at
from zhengwu.match.ranges import Range, compare
from zhengwu.match.vocabulary import age_on, check_value, fact as vocab_fact, vocabulary

LABELS = ("eligible", "maybe", "not_eligible", "closed")
LABEL_ZH = {"eligible": "符合条件", "maybe": "可能符合，需补充信息", "not_eligible": "不符合条件",
            "closed": "政策已失效"}
LABEL_EN = {"eligible": "eligible", "maybe": "possibly eligible, more information needed",
            "not_eligible": "not eligible", "closed": "closed (policy expired)"}
DEFAULT_CITY = "广州市"
# Facts that name a place: compared by place, not by string (广州 = 广州市; 外地/外省 are relative).
PLACE_FACTS = ("hukou", "residence_city", "ui_insured_city", "medical_insurance_city", "business_registered_area",
               "registered_area")
# Where the resident lives or the enterprise is registered: a scheme whose region does not hold it is not offered.
WHERE_FACTS = ("residence_city", "registered_area", "business_registered_area")
# Other ties to a place: one inside the region connects (a 广州 hukou holder living in 深圳 keeps the 广州
# 老年人优待), one outside excludes nothing (a 湖南 hukou holder may well live here).
TIE_FACTS = ("hukou", "ui_insured_city", "medical_insurance_city")
PRESUMED = "(presumed)"   # place_in_region's reason when nothing stated places the resident: the home area
MAX_ROUNDS = 3        # the promise: at most three follow-up questions (the page; `eval match --mode dialogue`)
COMMON_SHARE = 0.15        # a fact more than this share of the schemes' rules ask is no pointer to one (questions_for)
ORDER = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt}
OP_ZH = {"==": "为", "!=": "不是", ">=": "≥", "<=": "≤", ">": ">", "<": "<", "in": "属于", "not_in": "不属于"}
NEGATED = {"==": "!=", "!=": "==", ">=": "<", "<=": ">", ">": "<=", "<": ">=", "in": "not_in", "not_in": "in"}
OP_EN = {"==": "is", "!=": "is not", ">=": "≥", "<=": "≤", ">": ">", "<": "<", "in": "is one of",
         "not_in": "is none of"}


@dataclass
class Reason:
    """One condition (leaf) with the rule's own words and whether the stated facts meet it."""
    fact: str
    zh: str
    en: str
    sentence: str
    met: bool | None


@dataclass
class Outcome:
    scheme_id: str
    policy_id: str
    name: str
    target: str
    label: str                    # eligible | maybe | not_eligible | closed
    met: list[Reason]
    failed: list[Reason]          # document order; the first is the one to report
    missing: list[str]            # fact names whose value could settle a "maybe"
    source: Source
    validity: Validity
    decided_by: str
    contact: Contact
    region: str = ""              # where the scheme applies ("" or 全国: everywhere)
    in_region: bool | None = True  # whether the resident's area lies in it (None: the place is asked)
    area_presumed: bool = False    # in_region only because the department's own area was presumed (nothing said)
    barring: list[str] = field(default_factory=list)  # the facts of `missing` that only an exclusion asks: asked last
    steps: dict[str, int] = field(default_factory=dict)  # per fact the rule asks: the fewest answers, this one
                                                          # included, that can make the scheme eligible through it

    @property
    def stated(self) -> bool:
        """Whether a stated fact bears on this scheme: a "maybe" without one is possible only in the sense that
        nothing was said (工伤认定 for a pensioner who said nothing about work), so it is listed apart and its
        questions come after those of the schemes the resident's facts touch."""
        return bool(self.met or self.failed)


@dataclass
class Question:
    fact: str
    zh: str
    en: str
    schemes: list[str]            # scheme ids whose outcome the answer can change


@dataclass
class MatchResult:
    outcomes: list[Outcome]       # the resident's area first, then other areas; each eligible, maybe, not_eligible,
                                  # closed, then by name
    questions: list[Question]     # most informative first
    facts: dict[str, object]      # the facts used (canonical values)
    guidance_zh: str
    guidance_en: str
    # filled by the service (zhengwu.match.service), not by `match`:
    conflicts: dict[str, list] = field(default_factory=dict)   # facts stated twice differently: asked, not used
    unknown_areas: list[str] = field(default_factory=list)     # place names the reader did not recognise
    decision_request: bool = False                             # the resident asked us to decide ("你直接批")
    audit_id: int | None = None                                # the interaction's one audit record
    ignored: list[str] = field(default_factory=list)          # stated names outside the vocabulary (unused)
    inferred: dict[str, dict] = field(default_factory=dict)   # facts the model added: {value, words}; shown as
                                                              # inferred, for the resident to correct


# ---------------------------------------------------------------- facts

def canonical_facts(facts: dict, *, today: dt.date) -> tuple[dict[str, object], list[str]]:
    """Check every stated fact of the vocabulary (an impossible value is refused, naming the fact) and derive
    `age` from `birth_date`. A value of None means "not stated". Returns the facts and the names outside the
    vocabulary, which no condition can use and are ignored (the form API refuses them; see service.py)."""
    out: dict[str, object] = {}
    ignored: list[str] = []
    vocab = vocabulary()
    for name, value in facts.items():
        if value is None:
            continue
        if name not in vocab:
            ignored.append(name)
            continue
        out[name] = check_value(name, value)
    if "birth_date" in out:
        birth = dt.date.fromisoformat(str(out["birth_date"]))
        if birth > today:
            f = vocab_fact("birth_date")
            raise ZhengwuError("match_impossible_value", f"“{f.zh}”{birth} 晚于今天，请核对。",
                               f"{f.en} {birth} is after today; please check.", fact="birth_date")
        derived = check_value("age", age_on(birth, today))
        if "age" in out and compare(out["age"], "==", derived) is False:   # a range holding it agrees
            raise ZhengwuError(
                "match_conflicting_facts",
                f"年龄 {out['age']} 与出生日期 {birth} 推算的 {derived} 周岁不一致，请核对。",
                f"age {out['age']} disagrees with the date of birth {birth} ({derived} years); please check.",
                fact="age")
        out["age"] = derived
    return out, ignored


# ---------------------------------------------------------------- places

def same_place(a: str, b: str, home_city: str) -> bool | None:
    """Whether two place facts name the same place (广州 = 广州市 = 广东省广州市天河区), by the administrative
    divisions of places.py; None when the words cannot tell (外地 against 深圳市, 湖南省 against 长沙市, a name
    that is no known place)."""
    pa, _ = place_at(a.strip(), city=home_city)
    pb, _ = place_at(b.strip(), city=home_city)
    if pa is None or pb is None:
        return True if a.strip() == b.strip() else None
    home, _ = place_at(home_city, city=home_city)
    for x, y in ((pa, pb), (pb, pa)):
        if x.level != "elsewhere":
            continue
        if y.level == "elsewhere":
            return None
        inside = y.name == home.name if x.name == OTHER_CITY else home.province in (y.name, y.province)
        return False if inside else None
    if pa.level == pb.level:
        return pa.name == pb.name
    prov, city = (pa, pb) if pa.level == "province" else (pb, pa)
    return None if city.province == prov.name else False


def region_contains(region: str, value: str, home_city: str) -> bool | None:
    """Whether a scheme's region (全国, 广东省, 广州市, 广州市天河区 read as its city) holds a stated place; None when
    the words cannot tell (a province against a city region inside it, 外地 against another city, no known place)."""
    if region.strip() in NATIONAL:
        return True
    reg, _ = place_at(region.strip(), city=home_city)
    got, _ = place_at(value.strip(), city=home_city)
    if reg is None or got is None:
        return None
    if got.level == "elsewhere":
        home, _ = place_at(home_city, city=home_city)
        if home is None:
            return None
        return False if reg.name == (home.name if got.name == OTHER_CITY else home.province) else None
    if reg.level == "province":
        return reg.name in (got.name, got.province)
    if got.level == "province":
        return None if reg.province == got.name else False
    return reg.name == got.name


def place_in_region(scheme: Scheme, facts: dict[str, object], home_city: str) -> tuple[bool | None, str | None]:
    """Whether the scheme's region holds the resident's area, and the stated fact that says so (PRESUMED: the
    department's own area, presumed; None: everywhere, or unknown). A tie inside the region connects; otherwise a
    stated residence (registration) outside it excludes. Unstated: the department's own area is presumed for the
    schemes whose region holds it (the case sets and every resident of the department's service rest on it); for
    other areas it is unknown."""
    region = scheme.region.strip()
    if region in NATIONAL:
        return True, None
    stated = [(name, facts[name]) for name in WHERE_FACTS + TIE_FACTS if isinstance(facts.get(name), str)]
    if facts.get("residence_permit_local") is True:   # 本市居住证: a tie to the department's city
        stated.append(("residence_permit_local", home_city))
    lives = str(facts.get("residence_city") or home_city)   # what a 外地 hukou is relative to
    verdicts = [(name, region_contains(region, value, home_city if name in WHERE_FACTS else lives))
                for name, value in stated]
    if any(v is True for _, v in verdicts):
        return True, next(name for name, v in verdicts if v is True)
    outside = [name for name, v in verdicts if v is False and name in WHERE_FACTS]
    if outside:
        return False, outside[0]
    if not any(name in WHERE_FACTS for name, _ in stated) and region_contains(region, home_city, home_city):
        return True, PRESUMED
    return None, None


def _region_reason(region: str, name: str, facts: dict[str, object]) -> Reason:
    value = facts[name]
    if name == "residence_city":
        zh, en = f"您在{value}", f"you live in {value}"
    else:
        f = vocab_fact(name)
        zh, en = f"{f.zh}：{value}", f"{f.en}: {value}"
    return Reason(fact=name, zh=f"适用地区：{region}，{zh}——不符合", en=f"applies in {region}; {en} — not met",
                  sentence="", met=False)


# ---------------------------------------------------------------- evaluation

class _Eval:
    """Evaluates one scheme's conditions on the stated facts (three-valued)."""

    def __init__(self, facts: dict[str, object], home_city: str) -> None:
        self.facts = facts
        self.home_city = home_city

    def _equal(self, name: str, a: object, b: object) -> bool | None:
        if name in PLACE_FACTS and isinstance(a, str) and isinstance(b, str):
            return same_place(a, b, self.home_city)
        if isinstance(a, Range) or isinstance(b, Range):   # an approximate amount: equal only if it cannot differ
            return compare(a, "==", b) if _numeric(a) and _numeric(b) else None
        return a == b

    def leaf(self, c: Condition) -> bool | None:
        a = self.facts.get(c.fact)
        if a is None:
            return None
        if c.ref is not None:
            b = self.facts.get(c.ref)
            if b is None:
                return None
            if c.scale is not None:
                b = b.scaled(c.scale) if isinstance(b, Range) else b * c.scale
        else:
            b = c.value
        op = c.op
        if op in ("==", "!="):
            eq = self._equal(c.fact, a, b)
            return None if eq is None else (eq if op == "==" else not eq)
        if op in ("in", "not_in"):
            if not isinstance(b, list):   # `in` against another fact: not a list to look in
                return None
            hits = [self._equal(c.fact, a, v) for v in b]
            found = True if True in hits else (None if None in hits else False)
            return None if found is None else (found if op == "in" else not found)
        if isinstance(a, Range) or isinstance(b, Range):   # met by every value of the range, failed by none
            return compare(a, op, b) if _numeric(a) and _numeric(b) else None
        try:
            return ORDER[op](a, b)
        except TypeError:   # a catalogue comparing a number with text: unknown, never a guess
            return None

    def value(self, c: Condition) -> bool | None:
        """Kleene value of a condition tree."""
        if c.fact is not None:
            return self.leaf(c)
        if c.not_ is not None:
            v = self.value(c.not_)
            return None if v is None else not v
        vals = [self.value(child) for child in (c.all or c.any)]
        if c.all is not None:
            return False if False in vals else (None if None in vals else True)
        return True if True in vals else (None if None in vals else False)

    def failed_leaves(self, c: Condition, want: bool = True) -> list[tuple[Condition, bool]]:
        """(leaf, polarity) pairs that make `c` miss the value `want`, in document order. A failed `any` group
        blames all its leaves, so its first leaf is the one reported; polarity is False under a `not`."""
        v = self.value(c)
        if v is None or v == want:
            return []
        if c.fact is not None:
            return [(c, want)]
        if c.not_ is not None:
            return self.failed_leaves(c.not_, not want)
        return [pair for child in (c.all or c.any) for pair in self.failed_leaves(child, want)]

    def met_leaves(self, c: Condition, want: bool = True) -> list[tuple[Condition, bool]]:
        """(leaf, polarity) pairs whose stated value meets what the rule asks of them."""
        if c.fact is not None:
            return [(c, want)] if self.leaf(c) is want else []
        if c.not_ is not None:
            return self.met_leaves(c.not_, not want)
        return [pair for child in (c.all or c.any) for pair in self.met_leaves(child, want)]

    def stated_failures(self, c: Condition, want: bool = True) -> list[tuple[Condition, bool]]:
        """(leaf, polarity) pairs whose stated value fails what the rule asks, even where the whole is still open
        (深圳 hukou while the 居住证 is unsaid), outside groups a stated sibling already satisfies."""
        if c.fact is not None:
            v = self.leaf(c)
            return [(c, want)] if v is not None and v != want else []
        if c.not_ is not None:
            return self.stated_failures(c.not_, not want)
        if c.any is not None and self.value(c) is want:
            return []
        return [pair for child in (c.all or c.any) for pair in self.stated_failures(child, want)]

    def open_leaves(self, c: Condition) -> list[Condition]:
        """Unknown leaves whose value could still decide `c`: reached through groups that no stated sibling has
        already decided (an `all` with a false child, an `any` with a true child is settled whatever they are)."""
        if c.fact is not None:
            return [c] if self.leaf(c) is None else []
        if c.not_ is not None:
            return self.open_leaves(c.not_)
        children = c.all or c.any
        vals = [self.value(child) for child in children]
        if (c.all is not None and False in vals) or (c.any is not None and True in vals):
            return []
        return [lf for child, v in zip(children, vals) if v is None for lf in self.open_leaves(child)]

    def answers_needed(self, c: Condition, want: bool = True, given: str | None = None) -> float:
        """The fewest unstated leaves that must be answered for `c` to take the value `want`, the leaves on `given`
        counted as already answered as the rule wants (inf: no answer can). An `all` needs every child, an `any`
        its cheapest one (the other way round under a `not`)."""
        if c.fact is not None:
            v = self.leaf(c)
            if v is not None:
                return 0 if v == want else math.inf
            return 0 if given in (c.fact, c.ref) else 1
        if c.not_ is not None:
            return self.answers_needed(c.not_, not want, given)
        needs = [self.answers_needed(child, want, given) for child in (c.all or c.any)]
        return sum(needs) if (c.all is not None) == want else min(needs)

    def missing(self, c: Condition) -> list[str]:
        """The unstated facts of the open leaves, and those stated only approximately (a range that leaves the leaf
        open), in document order: the questions that can settle a maybe."""
        names: list[str] = []
        for lf in self.open_leaves(c):
            for name in (lf.fact, lf.ref):
                if name and (self.facts.get(name) is None or isinstance(self.facts[name], Range)) \
                        and name not in names:
                    names.append(name)
        return names


def _numeric(value: object) -> bool:
    return isinstance(value, (int, float, Range)) and not isinstance(value, bool)


def _show(value: object, unit: str) -> str:
    if isinstance(value, Range):
        return value.zh()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return f"{value}{unit}"


def _show_en(value: object) -> str:
    if isinstance(value, Range):
        return value.en()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def reason_for(leaf: Condition, facts: dict[str, object], met: bool | None, positive: bool = True) -> Reason:
    """Describe one condition: what the rule requires, what was stated, and the rule's sentence. A leaf under
    a `not` (positive=False) is described by its negated operator."""
    f = vocab_fact(leaf.fact)
    op = leaf.op if positive else NEGATED[leaf.op]
    if leaf.ref is not None:
        other = vocab_fact(leaf.ref)
        scale = f"{leaf.scale:g} × " if leaf.scale is not None else ""
        want_zh = f"{OP_ZH[op]} {scale}{other.zh}"
        want_en = f"{OP_EN[op]} {scale}{other.en}"
    elif isinstance(leaf.value, bool) and op in ("==", "!="):
        wanted = leaf.value if op == "==" else not leaf.value
        want_zh, want_en = _show(wanted, ""), _show_en(wanted)
    else:
        want_zh = f"{OP_ZH[op]} {_show(leaf.value, f.unit)}"
        want_en = f"{OP_EN[op]} {_show_en(leaf.value)}"
    stated = facts.get(leaf.fact)
    got_zh = "未说明" if stated is None else _show(stated, f.unit)
    got_en = "not stated" if stated is None else _show_en(stated)
    verdict_zh = {True: "符合", False: "不符合", None: "待确认"}[met]
    verdict_en = {True: "met", False: "not met", None: "to be confirmed"}[met]
    return Reason(fact=leaf.fact, zh=f"{f.zh}：{got_zh}（要求{want_zh}）——{verdict_zh}",
                  en=f"{f.en}: {got_en} (required: {want_en}) — {verdict_en}",
                  sentence=leaf.sentence, met=met)


def evaluate(scheme: Scheme, facts: dict[str, object], *, today: dt.date,
             home_city: str = DEFAULT_CITY) -> Outcome:
    """One scheme's outcome on canonical facts (see `canonical_facts`)."""
    ev = _Eval(facts, facts.get("residence_city") or home_city)
    met: list[Reason] = []
    failed: list[Reason] = []
    missing: list[str] = []
    barring: list[str] = []
    steps: dict[str, int] = {}
    if scheme.is_closed(today):
        label = "closed"
    else:
        elig = ev.value(scheme.eligibility)
        met = [reason_for(lf, facts, True, pos) for lf, pos in ev.met_leaves(scheme.eligibility)]
        # An exclusion stated true bars the scheme whatever else holds; its leaves are the reason.
        barred = [pair for ex in scheme.exclusions for pair in ev.failed_leaves(ex, want=False)]
        if elig is False:
            label = "not_eligible"
            failed = [reason_for(lf, facts, False, pos) for lf, pos in ev.failed_leaves(scheme.eligibility)]
        elif barred:
            label = "not_eligible"
        elif elig is None:
            label = "maybe"
            missing = ev.missing(scheme.eligibility)
            # an exclusion not yet known can settle it too ("尚未办理登记注册的，不符合"): asked as well, after the rule's
            barring = list(dict.fromkeys(name for ex in scheme.exclusions if ev.value(ex) is None
                                         for name in ev.missing(ex) if name not in missing))
            missing = missing + barring
            steps = {name: 1 + ev.answers_needed(scheme.eligibility, True, name) for name in missing
                     if name not in barring}
            steps = {name: int(n) for name, n in steps.items() if n != math.inf}
        else:
            label = "eligible"
        failed += [reason_for(lf, facts, False, pos) for lf, pos in barred]
    inside, why = place_in_region(scheme, facts, home_city)
    if label != "closed" and inside is False:   # the rule's own failures stay first; the area is said last
        if label != "not_eligible":
            failed = [reason_for(lf, facts, False, pos) for lf, pos in ev.stated_failures(scheme.eligibility)]
        label = "not_eligible"
        missing, barring, steps = [], [], {}
        failed.append(_region_reason(scheme.region, why, facts))
    elif label in ("eligible", "maybe") and inside is None:
        ask = "registered_area" if scheme.target == "enterprise" else "residence_city"
        if facts.get(ask) is None:   # the place is a question like any other
            label = "maybe"
            missing = missing + [ask] if ask not in missing else missing
    return Outcome(scheme_id=scheme.id, policy_id=scheme.source.policy_id, name=scheme.name,
                   target=scheme.target, label=label, met=met, failed=failed, missing=missing,
                   source=scheme.source, validity=scheme.validity,
                   decided_by=scheme.decided_by or scheme.source.issuer, contact=scheme.contact,
                   region=scheme.region, in_region=inside, area_presumed=why == PRESUMED, barring=barring,
                   steps=steps)


def common_facts(schemes: list[Scheme]) -> frozenset[str]:
    """The facts the eligibility rules of more than COMMON_SHARE of `schemes` ask (in the demo catalogue 户籍, age,
    the disability certificate and 低保): a resident's saying one of them points at none of those schemes in
    particular."""
    counts: dict[str, int] = {}
    for s in schemes:
        for name in s.eligibility.facts():
            counts[name] = counts.get(name, 0) + 1
    common = {name for name, n in counts.items() if n > COMMON_SHARE * len(schemes)}
    return frozenset(common | ({"birth_date"} if "age" in common else set()))  # an age read from the birthday


def questions_for(outcomes: list[Outcome], facts: dict[str, object] | None = None,
                  common: frozenset[str] = frozenset()) -> list[Question]:
    """The facts worth asking: each can settle at least one "maybe". First the facts nearest to settling a scheme
    the resident's words point at (`Outcome.stated`, through a stated fact met that is not one of the `common` ones):
    the fewest answers, this one included, that can make such a scheme eligible through the fact (`Outcome.steps`: 1
    when the fact is all it still needs), then the number of policies that near (a policy's several schemes count
    once) — so a migrant who said he works here is asked where and how long he has lived here (居住证 needs only that)
    before his criminal record (积分入户 needs two more), and a laid-off 62-year-old about his unemployment insurance,
    not about 特困 support his age alone touches. Ties go to the facts that touch most schemes, then most schemes
    overall, then vocabulary order. A fact only an exclusion asks (`Outcome.barring`) comes after every fact a rule
    asks."""
    by_fact: dict[str, list[str]] = {}
    ruled: dict[str, list[str]] = {}  # the schemes whose rule (not only an exclusion) asks the fact
    near: dict[str, dict[str, int]] = {}   # fact -> policy -> the fewest answers over the schemes pointed at
    for o in outcomes:
        if o.label == "maybe":
            pointed = any(r.fact not in common for r in o.met)   # a stated fact it meets, not a common one
            for name in o.missing:
                by_fact.setdefault(name, []).append(o.scheme_id)
                if name not in o.barring:
                    ruled.setdefault(name, []).append(o.scheme_id)
                if pointed and name in o.steps:
                    policies = near.setdefault(name, {})
                    policies[o.policy_id] = min(policies.get(o.policy_id, o.steps[name]), o.steps[name])
    touched = {o.scheme_id for o in outcomes if o.stated}
    order = {name: i for i, name in enumerate(vocabulary())}

    def rank(n: str) -> tuple:
        schemes = ruled.get(n, by_fact[n])
        steps = list(near.get(n, {}).values())
        fewest = min(steps, default=math.inf)
        return (n not in ruled, fewest, -steps.count(fewest), -len(touched.intersection(schemes)), -len(schemes),
                order.get(n, len(order)))
    ranked = sorted(by_fact, key=rank)
    out = []
    for name in ranked:
        f = vocab_fact(name)
        said = (facts or {}).get(name)
        if isinstance(said, Range):   # stated only approximately: the range is shown, the exact value asked
            out.append(Question(fact=name, zh=f"您说的{f.zh}是{said.zh()}，请说具体些：{f.question_zh}",
                                en=f"You gave {f.en} as {said.en()}; please be more precise. {f.question_en}",
                                schemes=by_fact[name]))
        else:
            out.append(Question(fact=name, zh=f.question_zh, en=f.question_en, schemes=by_fact[name]))
    return out


def next_question(result: MatchResult, asked: list[str], *, schemes: set[str] | None = None) -> Question | None:
    """The question to ask next, or None when the rounds are used up or nothing is left to ask: the first of the
    result's questions (a conflict first, then the engine's most informative) not yet asked — answered or skipped —
    and about one of `schemes` (the page's 个人 / 企业 choice; None: any scheme). The page asks this and the
    benchmark's dialogue mode answers it, so what is measured is what a resident is asked."""
    if len(asked) >= MAX_ROUNDS:
        return None
    vocab = vocabulary()
    return next((q for q in result.questions if q.fact not in asked and q.fact in vocab
                 and (schemes is None or schemes.intersection(q.schemes))), None)


def deciding_offices(outcomes: list[Outcome]) -> dict[str, list[str]]:
    """Each deciding office with the schemes it decides, among the eligible schemes, else the possible ones: the
    office belongs to its scheme (each result names its own), this only groups them."""
    for label in ("eligible", "maybe"):
        groups: dict[str, list[str]] = {}
        for o in outcomes:
            if o.label == label and o.decided_by:
                groups.setdefault(o.decided_by, []).append(o.scheme_id)
        if groups:
            return groups
    return {}


def guidance(outcomes: list[Outcome]) -> tuple[str, str]:
    """The short "guidance, not decision" sentence. It names the deciding office only when one office decides every
    eligible (else possible) scheme; otherwise it points to the office named in each result, so that a resident
    with many matches reads one sentence, not a list of offices."""
    offices = list(deciding_offices(outcomes))
    if len(offices) == 1:
        who_zh = who_en = offices[0]
    else:
        who_zh, who_en = "各项结果所列的审核部门", "the office named in each result"
    return (f"以上结果仅供参考，不是审批决定；是否符合条件、能否享受，以{who_zh}审核为准。",
            f"This is guidance only, not a decision: whether you qualify is decided by {who_en} on review.")


def _target_ok(scheme: Scheme, target: str | None) -> bool:
    if target is None:
        return True
    if target == "enterprise":
        return scheme.target == "enterprise"
    return scheme.target in ("person", "household")


def outcome_order(o: Outcome) -> tuple:
    """The order outcomes are shown in: the resident's area first, then eligible, maybe, not eligible, closed, then
    by name."""
    return (o.in_region is False, LABELS.index(o.label), o.name)


def match(facts: dict, catalog: Catalog, *, today: dt.date, target: str | None = None,
          home_city: str = DEFAULT_CITY) -> MatchResult:
    """Evaluate every published scheme of `catalog` (of `target`, if given) on the stated facts.

    Raises ZhengwuError naming the fact for an impossible or mistyped value: it is refused, never matched.
    Names outside the vocabulary are listed in `ignored` (no condition can read them)."""
    canon, ignored = canonical_facts(facts, today=today)
    schemes = catalog.published()
    outcomes = [evaluate(s, canon, today=today, home_city=home_city) for s in schemes if _target_ok(s, target)]
    if "birth_date" in canon and facts.get("age") is None:   # an age read from the birthday: name what was said
        for o in outcomes:
            for r in o.met + o.failed:
                if r.fact == "age":
                    r.fact = "birth_date"
    outcomes.sort(key=outcome_order)
    zh, en = guidance(outcomes)
    return MatchResult(outcomes=outcomes, questions=questions_for(outcomes, canon, common_facts(schemes)), facts=canon,
                       guidance_zh=zh, guidance_en=en, ignored=ignored)


def policy_labels(result: MatchResult) -> dict[str, str]:
    """policy_id -> label: the best of its schemes' labels; "closed" only when every scheme of it is closed."""
    best: dict[str, str] = {}
    for o in result.outcomes:
        cur = best.get(o.policy_id)
        if cur is None or LABELS.index(o.label) < LABELS.index(cur):
            best[o.policy_id] = o.label
    return best
