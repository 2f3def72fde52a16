"""Whole answers (zhengwu.qa.whole): cut only at sentence and list boundaries; a law article's own label."""

from __future__ import annotations

from zhengwu.qa.extract import SECTION_MARK
from zhengwu.qa.whole import article_of, relabel, whole_answer

GUIDE = "\n".join([
    SECTION_MARK + "四、申领方法 > 第二步：办理申领",
    "（一）网上办理（需等待12个工作日领卡）",
    "方法1：在“穗好办”APP的“社会保障卡>申领”栏目办理。",
    "方法2：在“粤省事”微信小程序的“社保卡申领”栏目办理。",
    "方法3：在“广东人社”APP的“社保卡申领”栏目办理。",
    "方法4：在“广东政务服务网”搜索“社会保障卡申领”后办理。",
    "★小贴士",
    "1.姓名中含生僻字的，须到银行网点现场申领。",
])

LAW = "\n".join([
    SECTION_MARK + "第九条",
    "第九条 申领居住证，应当向居住地公安派出所提交本人居民身份证、本人相片以及证明材料。",
    "对申请材料不全的，公安派出所应当一次性告知申领人需要补充的材料；对符合条件的，应当自受理之日起15日内发放居住证。",
    "第十条 居住证由县级人民政府公安机关签发，每年签注1次。",
    "逾期未办理签注手续的，居住证使用功能中止。",
])


def test_a_list_answer_gives_every_method():
    body, _ = whole_answer(GUIDE, "在“广东人社”APP的“社保卡申领”栏目办理", "四、申领方法 > 第二步：办理申领",
                           "社保卡怎么申领")
    for n in "1234":
        assert f"方法{n}" in body
    assert body.startswith("（一）网上办理")  # the lead-in of the list comes with it
    assert "生僻字" not in body  # the tip after the list is another list


def test_a_fact_question_keeps_one_whole_sentence():
    body, _ = whole_answer(GUIDE, "需等待12个工作日领卡", "", "社保卡多久能拿到")
    assert "方法1" not in body and "12个工作日" in body


def test_never_starts_mid_sentence():
    body, _ = whole_answer(LAW, "不全的，公安派出所应当一次性告知申领人需要补充的材料", "第九条", "缺了东西会一次性告知吗")
    assert body.startswith("对申请材料不全的")
    assert body.endswith("发放居住证。")


def test_a_materials_question_gets_the_whole_article():
    body, label = whole_answer(LAW, "不全的，公安派出所应当一次性告知申领人需要补充的材料", "第九条", "办居住证要什么材料")
    assert body.startswith("第九条 申领居住证") and "本人居民身份证" in body
    assert "第十条" not in body and label == "第九条"


def test_the_label_is_the_article_the_quoted_text_belongs_to():
    # the ranker's heading says 第九条 (a long article line is not a heading), the text is from 第十条
    body, label = whole_answer(LAW, "逾期未办理签注手续的，居住证使用功能中止", "第九条", "不签注有什么后果")
    assert label == "第十条"
    assert body == "逾期未办理签注手续的，居住证使用功能中止。"
    lines = LAW.split("\n")
    assert article_of(lines, 4) == "第十条" and article_of(lines, 2) == "第九条"
    assert relabel("第二章 申领 > 第九条", "第十条") == "第二章 申领 > 第十条"


def test_text_not_found_is_returned_unchanged():
    assert whole_answer(GUIDE, "完全不在文中的一句话", "h", "怎么办") == ("完全不在文中的一句话", "h")


def _real_guide(docid: str) -> str:
    """A real service guide's text as the knowledge base stores it (tests/qa/data/real_docs.jsonl)."""
    import json
    from pathlib import Path

    for line in (Path(__file__).parent / "data" / "real_docs.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row.get("docid") == docid:
            return row["text"]
    raise AssertionError(docid)


def test_a_how_to_question_gets_every_step_of_the_procedure():
    text = _real_guide("gz-guide-22")  # 四、申领方法 has 第一步 … 第四步
    span = "在“粤省事”微信小程序的“社保·就业>其他服务>社保卡相关服务>社保卡申领”栏目办理"
    assert span in text
    body, label = whole_answer(text, span, "四、申领方法 > 第二步：办理申领", "社保卡怎么办？")
    assert label == "四、申领方法"
    lines = body.split("\n")
    assert [ln[:3] for ln in lines] == ["第一步", "第二步", "第三步", "第四步"]
    assert "相片回执号" in body  # what step one asks for, which step two's wording did not match
    assert len(body) <= 700
    # a question about one fact of the same passage is not turned into the outline
    fact, _ = whole_answer(text, "需等待12个工作日领卡", "", "社保卡多久能拿到")
    assert "第一步" not in fact and "12个工作日" in fact


def test_a_chunk_repeating_its_own_heading_is_not_its_own_sub_heading():
    """The knowledge base gives a new sub-heading as a line after the chunk's heading path (as in the demo's
    《如何进行企业基本养老保险转移》); the cited label once read "… > 1.线上渠道 > 1.线上渠道"."""
    from zhengwu.qa.extract import sections

    path = "二、企业职工基本养老保险转移材料 > （三）企业职工基本养老保险转移业务办理渠道 > 1.线上渠道"
    text = "\n".join([SECTION_MARK + path, "1.线上渠道",
                      "（1）全国人力资源和社会保障政务服务平台网上办事大厅（zwfw.mohrss.gov.cn）。"])
    assert set(dict(sections(text)).values()) == {path}


# a FAQ answer of the demo's 创业担保贷款常见问题 (data/demo/benefit_policies.jsonl), verbatim
FAQ = "\n".join([
    SECTION_MARK + "二、创业担保贷款最高可以申请多少额度？",
    "答：符合申请条件的个人创业担保贷款额度最高30万元；带动就业5人及以上就业的，贷款额度最高50万元。"
    "小微企业创业担保贷款最高500万元。贷款项目的额度由经办银行在限额以内根据实际情况合理确定。",
    SECTION_MARK + "三、创业担保贷款每次最长可以申请多长时间？",
    "答：个人创业担保贷款每次期限最长不超过3年，小微企业创业担保贷款每次期限最长不超过2年。",
])


def test_a_short_paragraph_is_answered_whole():
    body, _ = whole_answer(FAQ, "小微企业创业担保贷款最高500万元", "二、创业担保贷款最高可以申请多少额度？",
                           "创业担保贷款最多能贷多少")
    assert body.startswith("答：符合申请条件的个人") and "30万元" in body and "500万元" in body
    assert "不超过3年" not in body  # the next question's answer is another paragraph


# 《住房公积金管理条例》 (data/demo/benefit_policies.jsonl), as stored: the article's lead-in line ends with "："
FUND = "\n".join([
    "第二十四条 职工有下列情形之一的，可以提取职工住房公积金账户内的存储余额：",
    "(一)购买、建造、翻建、大修自住住房的；",
    "(二)离休、退休的；",
    "(六)房租超出家庭工资收入的规定比例的。",
    "第二十五条 职工提取住房公积金账户内的存储余额的，所在单位应当予以核实，并出具提取证明。",
    "第二十七条 申请人申请住房公积金贷款的，应当提供担保。",
    "第二十八条 住房公积金管理中心在保证住房公积金提取和贷款的前提下，经住房公积金管理委员会批准，可以将住房公积金用于购买国债。",
])


def test_an_article_lead_in_heads_its_own_items_not_the_next_articles():
    from zhengwu.qa.extract import sections

    heads = dict(sections(FUND))
    assert heads["(二)离休、退休的；"].startswith("第二十四条")
    for s in ("第二十五条 职工提取住房公积金账户内的存储余额的，所在单位应当予以核实，并出具提取证明。",
              "第二十七条 申请人申请住房公积金贷款的，应当提供担保。"):
        assert not heads[s].startswith("第二十四条"), s


def test_a_what_situations_question_gets_the_whole_list_of_situations():
    body, _ = whole_answer(FUND, "离休、退休的", "第二十四条", "什么情况下能把公积金取出来")
    assert body.startswith("第二十四条") and "自住住房" in body and "房租超出" in body
    assert "第二十五条" not in body


def test_a_date_stamp_or_a_source_line_is_not_a_table_cell():
    page = "\n".join(["2021-08-05 11:23", "信息来源： 市人社局", "灵活就业人员可以个人身份参加企业职工基本养老保险。"])
    body, _ = whole_answer(page, "灵活就业人员可以个人身份参加企业职工基本养老保险", "", "灵活就业能交养老保险吗")
    assert body == "灵活就业人员可以个人身份参加企业职工基本养老保险。"
    row = "\n".join(["硕士研究生", "45周岁以下", "拥有硕士研究生学历或硕士学位即可。"])
    assert whole_answer(row, "拥有硕士研究生学历或硕士学位即可", "", "硕士落户年龄")[0] == \
        "硕士研究生 45周岁以下：拥有硕士研究生学历或硕士学位即可。"
