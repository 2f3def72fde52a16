"""The right first document for the words of the seventeenth round (a year said with two digits, a farmer's name
for the residents' medical insurance, a factory that kept its staff, a child taking a grandparent's surname, a
newborn's registration, parents both serving, a part-time master's degree, a doctor's visit in another city), on
real demo documents.

Phrasings written for these tests (not the everyday sets'); each goes through the product path without abstention
(rewrite, search, the coverage filter, the ranker) over the documents the words are about and their neighbours,
so a rule that stopped reaching the document, or a word pulling another one first, fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.qa.conftest import first_document, ingest_demo

DOCS = {"govcn-000014349/2018-00213", "govcn-000014349/1997-00073", "govcn-000014349/2018-00212",
        "law-广东省失业保险条例-2022-06-01", "law-失业保险条例-1999-01-22", "gz-policy-19", "gz-guide-06",
        "gz-policy-31", "law-社会救助暂行办法-2019-03-02", "linyi-huzheng-ChangeSurnameInstructions",
        "linyi-huzheng-KinshipProofInstructions", "linyi-huzheng-ChangeNameInstructions",
        "linyi-huzheng-MarriageBabiesRegistrationInstructions", "linyi-huzheng-ParentsDeathBabiesRegistrationInstructions",
        "linyi-huzheng-CoupleDependenceInstructions", "linyi-huzheng-RelativesDependenceInstructions",
        "linyi-huzheng-GrandparentsBabiesRegistrationInstructions", "linyi-huzheng-FemaleBabiesRegistrationInstructions",
        "linyi-huzheng-ArmyCancellationInstructions", "govcn-000014349/2018-00218", "govcn-000014349/2018-00219",
        "gz-guide-07", "gz-guide-22"}


@pytest.fixture
def demo_kb(zw_env, tmp_path: Path):
    ingest_demo(tmp_path, DOCS)
    return zw_env


def test_a_two_digit_year_before_a_holiday_or_a_month_is_searched_in_full():
    from zhengwu.qa.rewrite import full_years, rewrite

    assert rewrite("想问下19年端午节放假怎么安排").query.endswith("2019年")
    assert full_years("21年的国庆 22年3月") == "21年的国庆 22年3月 2021年 2022年"
    # a duration, a year already in full, a year named twice: unchanged or appended once
    assert full_years("养老保险要交满15年") == "养老保险要交满15年"
    assert full_years("2019年中秋节放几天") == "2019年中秋节放几天"
    assert full_years("19年春节和19年清明") == "19年春节和19年清明 2019年"


@pytest.mark.parametrize("question, expected", [
    # 19年 → 2019年: the 2019 holiday notice, not the 1997 one that "19…年" matched as well
    ("想问下19年端午节放假怎么安排", "govcn-000014349/2018-00213"),
    # 没有裁员 → 不裁员: the State Council's opinion that returns half the unemployment insurance paid
    ("厂里去年没有裁员 交的失业保险费能返还一部分吗", "govcn-000014349/2018-00212"),
    # 合作医疗 → 城乡居民基本医疗保险: the residents' insurance notice (the old full name, 新型农村合作医疗, is
    # written verbatim in 社会救助暂行办法's medical aid article: that one is found first for it)
    ("广州农村合作医疗今年交费标准", "gz-guide-06"),
    # 改跟 → 变更姓氏
    ("女儿想改跟外婆的姓 需要带什么去办", "linyi-huzheng-ChangeSurnameInstructions"),
    # 给娃上户口 → 出生登记: a birth registration guide (父母死亡 names which one), not 投靠其他亲属
    ("孩子爸妈都去世了 给娃上户口要带啥", "linyi-huzheng-ParentsDeathBabiesRegistrationInstructions"),
    # 都在部队 → 现役军人: the guide for a child of two serving parents registered with its grandparents
    ("我跟媳妇都在部队 孩子户口可以上到外公外婆家吗", "linyi-huzheng-GrandparentsBabiesRegistrationInstructions"),
    # 在职读研 → 继续教育: the special deductions' measures, not the income tax law's regulation
    ("在职读研的学费可以抵扣个税吗", "govcn-000014349/2018-00219"),
    # 外地看门诊 → 异地就医备案: the filing guide, not the social security card's
    ("要去外地看门诊 需要先办什么手续", "gz-guide-07"),
])
def test_the_rounds_words_find_their_document(demo_kb, question, expected):
    assert first_document(question) == expected


def test_the_new_groups_translate_only_their_own_words():
    from zhengwu.qa.rewrite import expand_synonyms

    assert [o for _, o in expand_synonyms("今年一个都没裁 能返还吗")[1]] == ["不裁员"]
    assert [o for _, o in expand_synonyms("小孩出生了怎么办户口")[1]] == ["出生登记"]
    # 上户口 inside 娃上户口 is read once, as the birth registration; 上户口 alone stays 户口迁入
    assert [o for _, o in expand_synonyms("娃上户口")[1]] == ["出生登记"]
    assert [o for _, o in expand_synonyms("迁到广州上户口")[1]] == ["户口迁入"]
