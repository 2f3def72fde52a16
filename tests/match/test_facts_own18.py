"""Seventeenth round of the reader: the wordings where the words decide (tests/match/data/facts_own18_words.jsonl, our
own phrasings) and the festival dates a stay is told by (zhengwu/match/festivals.py)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from zhengwu.match import festivals
from zhengwu.match.catalog import demo_catalog_path, load_catalog
from zhengwu.match.engine import policy_labels
from zhengwu.match.facts import read_facts
from zhengwu.match.ranges import Range
from zhengwu.match.service import advise
from zhengwu.match.vocabulary import vocabulary

DEC1 = dt.date(2026, 12, 1)
OWN18 = [json.loads(line) for line in
         (Path(__file__).parent / "data" / "facts_own18_words.jsonl").read_text(encoding="utf-8").splitlines() if line]
LEFT_UNREAD = {"a04": "stable_job", "l07": "residence_city", "n03": "age"}
"""Facts of our phrasings the reader still leaves unread (asked): "做普工，合同签了三年" is no 签了合同 yet,
"孩子上一年级那年我们来的广州" places the stay in a clause about the child, and "我五十九，是不是也能办" is a bare number."""


def _wanted(name: str, value: object) -> object:
    return Range(*value["range"], unit=vocabulary()[name].unit) if isinstance(value, dict) else value


@pytest.mark.parametrize("case", OWN18, ids=lambda c: c["id"])
def test_wordings_where_the_words_decide(case):
    """低保批下来了, 持残疾人证, 不是特殊工种, 刑事处罚：无, 前年中秋节前后来的, 也没领过失业金 after 以前, 隔壁…他六十七了,
    六六年十二月五号生的, 现住址：同上, 年龄忘了填，六十四, 帮我爸问…我妈也有个残疾证, 被货车撞…货车全责, 包工头跑路 — each
    read as the words state it; nothing else of the same facts, and no conflict."""
    r = read_facts(case["description"], today=DEC1)
    wanted = {k: _wanted(k, v) for k, v in case["facts"].items() if k != LEFT_UNREAD.get(case["id"])}
    assert {k: r.facts.get(k) for k in wanted} == wanted and not r.conflicts, (r.facts, r.conflicts)


@pytest.mark.parametrize("cid, unread", [
    ("r03", "traffic_main_responsibility"),  # 我开货车撞了人…货车全责: the resident's own vehicle
    ("g02", "legal_matter"),                 # 健身房老板跑路了: a customer's loss, no wages
    ("l03", "job_seeking"),                  # 后来找到工作: found, not looking
    ("l02", "residence_months"),             # 回老家住了半年: the stay at home
])
def test_what_only_looks_like_the_wording_is_not_read(cid, unread):
    r = read_facts(next(c for c in OWN18 if c["id"] == cid)["description"], today=DEC1)
    assert unread not in r.facts, r.facts


def test_a_neighbours_age_is_not_the_writers():
    """"邻居老陈…他今年六十八，早就办了优待证。我五十九…": 他 stands for the neighbour, so 68 is not read (and not a
    conflict with the writer's age)."""
    r = read_facts(next(c for c in OWN18 if c["id"] == "n03")["description"], today=DEC1)
    assert r.facts.get("age") != 68 and "age" not in r.conflicts


def test_festival_windows_come_from_the_holiday_calendar():
    assert festivals.window("中秋节", 2024) == (dt.date(2024, 9, 15), dt.date(2024, 9, 17))   # 2024-09-17 is 中秋
    assert festivals.window("端午", 2026) == (dt.date(2026, 6, 19), dt.date(2026, 6, 21))
    assert festivals.window("国庆节", 2025) == (dt.date(2025, 10, 1),) * 2
    first, last = festivals.window("正月十五", 2025)                                          # 元宵 2025-02-12
    assert first <= dt.date(2025, 2, 12) <= last
    assert festivals.window("中秋", 2031) == (dt.date(2031, 9, 7), dt.date(2031, 10, 8))    # beyond the calendar: every day it can be
    assert festivals.around("端午", "过后", 2026) == (dt.date(2026, 6, 19), dt.date(2026, 7, 22))
    assert festivals.around("冬至", "前后", 2025)[0] == dt.date(2025, 12, 6)


@pytest.mark.parametrize("text, months", [
    ("我户口在江西，今年端午节过后才来的广州。", Range(4, 5, unit="月")),
    ("我湖北户口，前年中秋过来番禺的，在电子厂上班。", 26),
    ("去年国庆节搬到广州的。", 14),
])
def test_a_stay_told_by_a_festival(text, months):
    assert read_facts(text, today=DEC1).facts.get("residence_months") == months


def test_a_festival_range_decides_the_residence_permit_when_every_day_it_may_mean_does():
    """"今年端午节过后才来广州" is 4 to 5 months: under 居住半年以上 on every day it may mean, so not eligible — never a
    guessed day."""
    r = read_facts("我户口江西的，今年端午节过后才来广州，在一家餐馆做服务员，包吃住。想办居住证。", today=DEC1)
    result = advise(r.facts, load_catalog(demo_catalog_path()), today=DEC1, conflicts=r.conflicts)
    assert policy_labels(result)["law-居住证暂行条例-2015-11-26"] == "not_eligible"
