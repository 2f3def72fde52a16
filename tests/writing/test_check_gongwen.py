"""Format checker: injected errors are found, clean renderings and texts pass, bad input is refused (GONGWEN)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zhengwu.errors import ZhengwuError
from zhengwu.eval.gongwen import DOCX_ONLY, KINDS, _mutate_docx, _strip_cc_stop, inject_spec, spec_from_record
from zhengwu.writing.check import check_file, check_text
from zhengwu.writing.render_docx import build_document, spec_text
from zhengwu.writing.spec import load_spec

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "official_docs_sample.jsonl"
RECORDS = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]


def spec_of(prefix: str):
    rec = next(r for r in RECORDS if r["title"].startswith(prefix))
    return load_spec(spec_from_record(rec)[0])


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_injected_kind_is_found(kind, tmp_path):
    # 国发〔2019〕5号 has 一、/（一） headings and a 版记; the 批复 has an attachment.
    spec = spec_of("国务院关于同意建立国务院职业教育" if kind == "attachment_punctuation" else "国务院关于在市场监管领域")
    bad = inject_spec(spec, kind)
    assert bad is not None
    out = tmp_path / "bad.docx"
    build_document(bad).save(str(out))
    if kind in DOCX_ONLY or kind == "cc_full_stop":
        _mutate_docx(out, kind)
    report = check_file(out)
    assert report.rules() & set(KINDS[kind]), report.to_dict()["violations"]
    hit = next(v for v in report.violations if v.rule in KINDS[kind])
    assert hit.location and hit.message_zh and hit.message_en
    if kind not in DOCX_ONLY:
        text = spec_text(bad)
        text = _strip_cc_stop(text) if kind == "cc_full_stop" else text
        assert check_text(text).rules() & set(KINDS[kind])


def test_clean_renderings_have_no_violations(tmp_path):
    for i, rec in enumerate(RECORDS):
        spec = load_spec(spec_from_record(rec)[0])
        out = tmp_path / f"{i}.docx"
        build_document(spec).save(str(out))
        assert check_file(out).violations == [], rec["title"]
        assert check_text(spec_text(spec)).violations == [], rec["title"]


def test_plain_text_elements_and_locations():
    rec = next(r for r in RECORDS if r["title"].startswith("国务院办公厅关于2019年部分节假日"))
    spec = load_spec(spec_from_record(rec)[0])
    text = spec_text(spec).replace("2018年12月4日", "2018年12月04日").replace(spec.title, spec.title + "。")
    report = check_text(text)
    assert report.elements["number"] == spec.number and report.elements["recipients"].endswith("：")
    rules = {v.rule: v for v in report.violations}
    assert set(rules) == {"date.padded", "title.punctuation"}
    lines = text.split("\n")
    assert lines[int(rules["title.punctuation"].location.split()[1]) - 1].endswith("。")
    assert "2018年12月04日" in lines[int(rules["date.padded"].location.split()[1]) - 1]
    assert not report.ok


def test_qingshi_with_several_matters_and_recipients():
    lines = next(r for r in RECORDS if r["title"].startswith("国务院办公厅转发国家地震局"))["text"].split("\n")
    start = lines.index("国务院：")
    body = lines[start + 1:-2]
    text = "\n".join(["震发〔1996〕1号　签发人：国家地震局局长",
                      "国家地震局关于我国地震重点监视防御区的确定和加强防震减灾工作意见的请示",
                      "国务院，中央军委：", *body, "另，请批准增加地震监测经费。妥否，请批示。", "国家地震局", "1996年1月25日"])
    rules = check_text(text).rules()
    assert {"qingshi.recipients", "qingshi.matters"} <= rules
    clean = text.replace("国务院，中央军委：", "国务院：").replace("另，请批准增加地震监测经费。妥否，请批示。", "妥否，请批示。")
    assert check_text(clean).ok


def test_proofreading_word_list():
    spec = spec_of("国务院办公厅关于2019年部分节假日")
    paras = spec.paragraphs()
    paras[0] = paras[0].replace("经国务院批准", "截止2018年12月，做为节假日安排的依据，经国务院批准")
    spec.body = "\n\n".join(paras)
    report = check_text(spec_text(spec))
    assert {"proofread.截止", "proofread.做为"} <= report.rules()
    assert all(v.severity == "error" for v in report.violations if v.rule.startswith("proofread."))


def test_encrypted_docx_is_refused(tmp_path):
    msoffcrypto = pytest.importorskip("msoffcrypto", reason="msoffcrypto-tool not installed")
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = tmp_path / "plain.docx"
    build_document(spec_of("国务院办公厅关于2019年部分节假日")).save(str(plain))
    enc = tmp_path / "locked.docx"
    with open(plain, "rb") as src, open(enc, "wb") as dst:
        OOXMLFile(src).encrypt("secret-123", dst)
    assert enc.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    with pytest.raises(ZhengwuError) as exc:
        check_file(enc)
    assert exc.value.code == "docx_encrypted" and "password" in exc.value.en
    assert msoffcrypto is not None


def test_docx_that_is_not_a_gongwen(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("会议室预订表")
    d.add_paragraph("周一上午 第三会议室")
    path = tmp_path / "table.docx"
    d.save(str(path))
    with pytest.raises(ZhengwuError) as exc:
        check_file(path)
    assert exc.value.code == "not_gongwen"
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ZhengwuError) as exc:
        check_file(broken)
    assert exc.value.code == "docx_invalid"


def test_published_web_texts_are_read_correctly():
    """The texts as published on www.gov.cn (title above the 发文字号): elements found, and only the dates
    written in Chinese numerals (documents from before GB/T 9704-2012) are reported."""
    for rec in RECORDS:
        report = check_text(rec["text"])
        assert {v.rule for v in report.violations} <= {"date.chinese"}, (rec["title"], report.violations)
        if report.elements["type"] == "命令":
            assert report.elements["title"] == ""  # a 令 has no title line
            continue
        assert report.elements["title"].replace(" ", "") == rec["title"]
        old = rec["doc_number"][rec["doc_number"].index("〔") + 1:][:4] < "2012"
        assert ("date.chinese" in report.rules()) == (old and report.elements["date"] is not None)


def test_minutes_without_a_number_read_their_red_mark_as_mark(tmp_path):
    """A 纪要 may carry no 发文字号: its red 标志 must not be taken for the title (found by the office work)."""
    from zhengwu.writing.minutes import extract_rules, minutes_spec

    transcript = (Path(__file__).resolve().parent / "fixtures" / "kindergarten_meeting_transcript.txt").read_text(
        encoding="utf-8")
    spec = load_spec(minutes_spec(extract_rules(transcript), meeting="城镇小区配套幼儿园治理工作会议",
                                  issuer="国务院办公厅"))
    assert not spec.number
    out = tmp_path / "jiyao.docx"
    build_document(spec).save(str(out))
    report = check_file(out)
    assert report.violations == [], report.to_dict()["violations"]
    assert report.elements["title"] == spec.title
