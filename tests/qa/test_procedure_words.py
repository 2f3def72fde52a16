"""Everyday words for the employer and for the procedure asked about (sixteenth round), on real demo documents.

Citizens say 公司 where the regulations say 用人单位, 报工伤 for applying for 工伤认定, 养老金的认证 / 养老认证 for
the yearly 养老保险待遇资格认证, and 没领结婚证 / 没结婚的孩子 for a child born outside marriage (the 非婚生 guide,
not 结婚登记). Without the official term the right document lacks the question's words: the coverage filter
dropped the 工伤保险条例 for "公司多少天内要去报工伤", and the 养老金 申领 guide beat the 资格认证 notice. A few of
data/demo's documents go into a real store; each question (phrasings written for these tests, not the everyday
sets') goes through the product path without abstention and the first document is asserted.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.qa.conftest import first_document, ingest_demo

_L = "linyi-huzheng-"
DOCS = {"law-工伤保险条例-2010-12-20", "gz-policy-19", "law-中华人民共和国法律援助法-2021-08-20", "gz-guide-23",
        "gz-guide-24", "gz-guide-25", "gz-guide-25b", "gz-policy-09", "govcn-000014349/2004-00209",
        _L + "MarriageBabiesRegistrationInstructions", _L + "UnMarriageBabiesRegistrationInstructions",
        _L + "FemaleBabiesRegistrationInstructions", _L + "ForeignBabiesRegistrationInstructions"}


@pytest.fixture
def words_kb(zw_env, tmp_path: Path):
    ingest_demo(tmp_path, DOCS)
    return zw_env


@pytest.mark.parametrize("question, official", [
    ("厂里烫伤了手 老板说不帮我报工伤", "工伤认定"),
    ("公司把我辞退了 失业金怎么领", "用人单位"),
    ("我爸每年都要做养老金的认证吗", "养老保险待遇资格认证"),
    ("我妈不会用手机 养老认证能去社区做吗", "养老保险待遇资格认证"),
    ("我们没领结婚证 孩子上户口要带什么", "非婚生"),
    ("没结婚的孩子随妈妈落户怎么办", "非婚生"),
])
def test_an_everyday_word_gets_the_official_term(question, official):
    from zhengwu.qa.rewrite import rewrite

    assert official in rewrite(question).query.split()


def test_the_new_words_leave_neighbouring_wordings_alone():
    from zhengwu.qa.rewrite import expand_synonyms

    said = lambda q: [o for _, o in expand_synonyms(q)[1]]  # noqa: E731
    # not having the marriage certificate is not registering a marriage; registering one is not 非婚生
    assert "结婚登记" not in said("没领结婚证生的孩子怎么上户口")
    assert "非婚生" not in said("领结婚证要带什么材料")
    # an employer's word that is already official is not translated again
    assert "用人单位" not in said("用人单位不给缴社保公司也不管")


@pytest.mark.parametrize("question, expected", [
    ("在厂里被机器轧伤了 公司多少天之内要帮我报工伤", "law-工伤保险条例-2010-12-20"),
    ("我爸七十多了不会用手机 领养老金的认证去哪里现场做", "gz-guide-24"),
    ("生孩子那个津贴现在是自己去申请还是公司申请", "gz-policy-09"),
    ("我们没领结婚证生的儿子 在临沂上户口要带啥", _L + "UnMarriageBabiesRegistrationInstructions"),
])
def test_the_document_of_the_official_term_comes_first(words_kb, question, expected):
    assert first_document(question) == expected
