"""Sibling service guides told apart by the condition the citizen states in everyday words (fourteenth round).

The demo's 临沂 户政 guides come in families that differ in one condition their titles state (婚生 / 非婚生 /
国（境）外出生 children, 新生儿出生落户同名人数查询 beside the birth registrations, 居住落户 / 租房落户 …); citizens
name the condition in their own words (没领证生的, 出生在国外, 查一下重名, 随我姓, 户口怎么销, 爷爷奶奶, 买了房),
and the synonym table puts the guide's term beside them. The siblings of each family go into a real store; each
question (phrasings written for these tests, not the everyday sets') goes through the product path without
abstention — rewrite, search, the coverage filter, the ranker — and the first document is asserted.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.qa.conftest import first_document, ingest_demo

_L = "linyi-huzheng-"
DOCS = {_L + n for n in (
    "MarriageBabiesRegistrationInstructions", "UnMarriageBabiesRegistrationInstructions",
    "ForeignBabiesRegistrationInstructions", "GrandparentsBabiesRegistrationInstructions",
    "FemaleBabiesRegistrationInstructions", "CheckBabyNameInstructions", "ReturnSettleInstructions",
    "ChangeSurnameInstructions", "ChangeNameInstructions", "LedgerAccountInstructions",
    "DeathCancellationInstructions", "ResidenceCancellationInstructions", "ResidenceSettleInstructions",
    "RentSettleInstructions", "ChildrenParentsDependenceInstructions", "ParentsChildrenDependenceInstructions",
    "RelativesDependenceInstructions", "ParentsDeathBabiesRegistrationInstructions", "CoupleDependenceInstructions")}


@pytest.fixture
def siblings_kb(zw_env, tmp_path: Path):
    ingest_demo(tmp_path, DOCS)
    return zw_env


@pytest.mark.parametrize("question, official", [
    ("我们没领证生了个女儿，想随她爸登记户口", "非婚生"),
    ("宝宝出生在国外，回国以后怎么登记户口", "国（境）外出生"),
    ("孩子起名之前想查一下重名的人多不多", "同名人数查询"),
    ("孩子以后想随我姓，要办什么手续", "变更姓氏"),
    ("老父亲去世了，户口怎么销", "死亡注销"),
    ("两口子都在外地读书，孩子能落在爷爷家吗", "祖父母"),
    ("孩子户口想落在外婆家", "外祖父母"),
    ("在临沂买了房子，能把户口落过来吗", "房屋产权证"),
    # fifteenth round: who moves to whom (投靠's direction), a household of one's own, a child without parents
    ("老家父母的户口迁过来跟我住，需要啥手续", "父母投靠成年子女"),
    ("嫁出去以后户口想迁回我爸妈那，怎么办", "子女投靠父母"),
    ("结婚以后想单独立个户，去哪办", "立户"),
    ("侄子父母都去世了，户口想跟着我", "父母死亡"),
])
def test_a_condition_in_everyday_words_gets_the_guides_term(question, official):
    from zhengwu.qa.rewrite import rewrite

    assert official in rewrite(question).query.split()


def test_the_condition_groups_leave_neighbouring_wordings_alone():
    from zhengwu.qa.rewrite import expand_synonyms

    # a certificate of a cancelled registration is not a death; a grandmother's care subsidy names no registration
    # with her; a flat bought with the housing fund is about the fund's loan as well as the deed
    assert "死亡注销" not in [o for _, o in expand_synonyms("注销户口证明怎么开")[1]]
    assert "祖父母" not in [o for _, o in expand_synonyms("我奶奶八十岁了，上门养老服务有补贴吗")[1]]
    assert "非婚生" not in [o for _, o in expand_synonyms("结婚生孩子要带什么材料上户口")[1]]
    # a child moving to its parents is the other direction of 投靠
    assert "父母投靠成年子女" not in [o for _, o in expand_synonyms("孩子户口想迁到爸妈那边")[1]]


@pytest.mark.parametrize("question, expected", [
    ("我们没领证生了个女儿，想随她爸登记户口，要带什么", _L + "UnMarriageBabiesRegistrationInstructions"),
    ("宝宝出生在国外，回国以后登记户口要什么材料", _L + "ForeignBabiesRegistrationInstructions"),
    ("宝宝起名之前想查一下重名的人多不多，要带什么", _L + "CheckBabyNameInstructions"),
    ("孩子以后想随我姓，派出所要带什么", _L + "ChangeSurnameInstructions"),
    ("老父亲去世了，户口怎么销", _L + "DeathCancellationInstructions"),
    ("在临沂买了房子，户口落过来要带什么", _L + "ResidenceSettleInstructions"),
    ("嫁出去以后户口想迁回我爸妈那，要带什么", _L + "ChildrenParentsDependenceInstructions"),
    ("侄子父母都去世了，由我这个姑姑监护，他的户口投靠我要带什么", _L + "RelativesDependenceInstructions"),
])
def test_the_sibling_guide_of_the_stated_condition_comes_first(siblings_kb, question, expected):
    assert first_document(question) == expected
