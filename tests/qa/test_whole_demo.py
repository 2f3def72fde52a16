"""The passage inside the right document, taken whole, on real demo documents as the knowledge base stores them.

Each test ingests a few documents of data/demo into a real store, reads one document's text the way the answer
path reads it (answer_inputs: its chunks joined with their heading marks), and grows a span taken verbatim from
that text (what the ranker hands over) for a question in a citizen's words. Asserted: the whole list, section or
table row the answer needs comes with it, and nothing starts or ends mid-sentence.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.qa.conftest import caller, ingest_demo
from zhengwu.qa.whole import whole_answer, whole_section

DOCS = {"gz-guide-22", "gz-guide-35b", "gz-policy-09", "law-住房公积金管理条例-2019-03-24",
        "linyi-huzheng-LedgerAccountInstructions"}


@pytest.fixture
def demo_texts(zw_env, tmp_path: Path) -> dict[str, str]:
    """external id -> the document's text as the answer path reads it."""
    from zhengwu.qa.evidence import answer_inputs
    from zhengwu.store.db import session_scope

    ingest_demo(tmp_path, DOCS)
    texts: dict[str, str] = {}
    with session_scope() as session:
        for query in ("住房公积金提取", "生育津贴办理材料", "学历型人才入户年龄", "家庭户立户分户申请材料", "社会保障卡申领相片"):
            ev = answer_inputs(session, caller(), query, kb="demo")
            for text, doc in ev.texts.values():
                texts[str(doc.external_id)] = text
    assert DOCS <= set(texts), set(texts)
    return texts


def _ends_whole(body: str) -> None:
    for line in body.split("\n"):
        assert not line.endswith(("，", ",", "、")), line


def test_a_lead_in_ending_in_a_colon_comes_with_its_list_whatever_the_question(demo_texts):
    law = demo_texts["law-住房公积金管理条例-2019-03-24"]
    lead = "第二十四条 职工有下列情形之一的，可以提取职工住房公积金账户内的存储余额："
    assert lead in law
    # a yes/no question: no list asked, but the lead-in promises one and the answer is its last item
    body, label = whole_answer(law, lead + "(一)购买、建造、翻建、大修自住住房的；", "第二十四条", "我在外面租房子住，公积金能拿出来用吗")
    assert body.startswith(lead)
    assert "(六)房租超出家庭工资收入的规定比例的。" in body
    assert "第二十五条" not in body and label == "第二十四条"


def test_a_section_answer_is_the_whole_section_with_its_short_lines(demo_texts):
    guide = demo_texts["gz-policy-09"]
    ranker_section = "a.病历资料：职工住院生育或施行计生手术的，提供医疗机构盖章的出院记录"
    body = whole_section(guide, "一、办理材料", ranker_section)
    assert body.startswith("a.病历资料") and "《信息采集表》" in body  # the short second item, read as a label
    assert "办理步骤" not in body  # the next section is another answer
    _ends_whole(body)
    assert whole_section(guide, "没有这个标题", ranker_section) == ranker_section


def test_a_table_row_s_value_labels_come_with_its_last_cell(demo_texts):
    guide = demo_texts["gz-guide-35b"]
    cell = "拥有硕士研究生学历或硕士学位即可。"
    assert cell in guide
    body, _ = whole_answer(guide, cell, "", "研究生想在广州落户，对年纪有限制吗")
    assert body.endswith(cell) and "45周岁以下" in body and "50周岁" not in body
    # a line under a label without a value gets no prefix: a heading is not a fact
    assert not whole_answer(guide, "与广州用人单位签订劳动合同，或在广州注册企业并持股参保", "", "要在广州上班吗")[0].startswith("基础条件")


def test_a_materials_question_in_other_words_gets_the_whole_list(demo_texts):
    guide = demo_texts["linyi-huzheng-LedgerAccountInstructions"]
    item = "2. 房屋所有权、使用权证明或其他合法稳定住所证明"
    assert item in guide
    body, _ = whole_answer(guide, item, "申请材料", "想从父母户口里分出来自己单独立户，要什么")
    assert "居民户口簿" in body and "结婚证" in body and item in body
    assert "派出所于3个工作日内预审" not in body  # the next section (流程和时限) is not materials


def test_a_how_to_question_asking_a_period_keeps_the_step_that_states_it(demo_texts):
    guide = demo_texts["gz-guide-22"]
    span = "社保卡经办机构将在1个至5个工作日内完成审核"
    assert span in guide
    body, _ = whole_answer(guide, span, "四、申领方法 > 第一步：提前准备社保卡相片回执号", "社保卡的相片怎么弄，审核几天能好")
    assert "1个至5个工作日" in body and "…" not in body  # the whole sentence, not a step outline cut short
    _ends_whole(body)
    # the same span for a plain how-to question is still answered by every step
    outline, _ = whole_answer(guide, span, "四、申领方法 > 第一步：提前准备社保卡相片回执号", "社保卡怎么申领")
    assert "第一步" in outline and "第二步" in outline


def test_the_same_question_grows_the_same_answer(demo_texts):
    law = demo_texts["law-住房公积金管理条例-2019-03-24"]
    args = (law, "(二)离休、退休的；", "第二十四条", "退休了公积金能取吗")
    assert whole_answer(*args) == whole_answer(*args)
