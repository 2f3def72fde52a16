"""AI labels per GB 45438-2025: explicit text, Annex E metadata in JSON, DOCX and PDF, no duplicates."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
ANNEX_E_CHARS = re.compile(r"^[\x21\x23-\x5b\x5d-\x7e]*$")


def _check_annex_e(value: str) -> dict:
    obj = json.loads(value)
    assert list(obj) == ["AIGC"]
    inner = obj["AIGC"]
    assert set(inner) == {"Label", "ContentProducer", "ProduceID", "ReservedCode1", "ContentPropagator",
                          "PropagateID", "ReservedCode2"}
    assert all(isinstance(v, str) and ANNEX_E_CHARS.match(v) for v in inner.values())
    assert inner["Label"] in ("1", "2", "3")
    assert inner["ContentPropagator"] == inner["ContentProducer"] and inner["PropagateID"] == inner["ProduceID"]
    return inner


def test_explicit_label_has_ai_and_generation_elements():
    from zhengwu.gateway.labels import explicit_label, has_explicit_label

    assert explicit_label() == "人工智能生成" and explicit_label("en") == "AI生成"
    assert has_explicit_label("本回答由AI生成") and has_explicit_label("人工智能合成")
    assert not has_explicit_label("AI 助手") and not has_explicit_label("机器写作")


def test_aigc_metadata_annex_e(zw_env, monkeypatch):
    from zhengwu.config import reset_settings
    from zhengwu.gateway.labels import aigc_json, aigc_metadata

    meta = aigc_metadata("zw-123", "生成的内容")
    inner = _check_annex_e(json.dumps(meta))
    assert inner["ProduceID"] == "zw-123" and inner["ContentProducer"] == "zhengwu"
    assert len(inner["ReservedCode1"]) == 64 and inner["ReservedCode2"] == ""
    assert aigc_metadata()["AIGC"]["ProduceID"] != aigc_metadata()["AIGC"]["ProduceID"]  # fresh ids
    # a producer name outside the Annex E character set is turned into a valid code
    monkeypatch.setenv("ZHENGWU_CONTENT_PRODUCER", "某市 政务\"平台\"")
    reset_settings()
    _check_annex_e(aigc_json("a b"))


def test_label_json_adds_visible_and_implicit_label():
    from zhengwu.gateway.labels import label_json

    once = label_json({"answer": "居民医保集中参保缴费期为每年9月至12月。"}, produce_id="p1")
    assert once["ai_label"] == "人工智能生成"
    _check_annex_e(json.dumps({"AIGC": once["AIGC"]}))
    twice = label_json(once, produce_id="p1")
    assert twice == once and list(twice).count("AIGC") == 1


def test_label_text_is_idempotent():
    from zhengwu.gateway.labels import label_text

    t = label_text("申请材料包括身份证明和病历资料。")
    assert t.endswith("（人工智能生成）")
    assert label_text(t) == t


def test_label_docx_one_custom_property_and_visible_label(tmp_path, zw_env):
    import docx

    from zhengwu.gateway.labels import label_docx, read_docx_aigc

    path = tmp_path / "draft.docx"
    shutil.copy(FIXTURES / "guofa_2019_5_shuangsuiji.docx", path)
    before = [p.text for p in docx.Document(str(path)).paragraphs]
    # a human-written document carries no AI label until the gateway labels generated output
    assert not any("人工智能生成" in p for p in before) and read_docx_aigc(path) == []
    label_docx(path, produce_id="doc-1")
    label_docx(path, produce_id="doc-2")  # re-labelling overwrites
    values = read_docx_aigc(path)
    assert len(values) == 1
    inner = _check_annex_e(values[0])
    assert inner["ProduceID"] == "doc-2"
    after = [p.text for p in docx.Document(str(path)).paragraphs]
    assert sum("人工智能生成" in p for p in after) == 1
    assert after[: len(before)] == before  # the document itself is untouched
    with zipfile.ZipFile(path) as z:
        ct = z.read("[Content_Types].xml").decode()
        rels = z.read("_rels/.rels").decode()
        assert ct.count("/docProps/custom.xml") == 1 and rels.count("custom-properties") == 1


def test_label_docx_in_memory_document(zw_env):
    import docx

    from zhengwu.gateway.labels import label_docx

    d = docx.Document(str(FIXTURES / "guofa_2019_5_shuangsuiji.docx"))
    d.add_paragraph("本稿由AI生成，请审核。")
    out = label_docx(d)
    assert out is d
    assert sum("AI生成" in p.text or "人工智能生成" in p.text for p in d.paragraphs) == 1  # existing label kept


def test_label_pdf_stamps_once_and_sets_one_info_key(tmp_path, zw_env):
    from pypdf import PdfReader

    from zhengwu.gateway.labels import label_pdf, pdf_text, read_pdf_aigc

    path = tmp_path / "report.pdf"
    shutil.copy(FIXTURES / "guobanfa_2019_4_hospital_assessment.pdf", path)
    assert "人工智能生成" not in pdf_text(path) and read_pdf_aigc(path) is None
    label_pdf(path, produce_id="pdf-1")
    label_pdf(path, produce_id="pdf-2")
    text = pdf_text(path)
    assert text.count("人工智能生成") == 1
    assert "三级公立医院" in text  # the original content is still there
    meta = PdfReader(str(path)).metadata
    assert [k for k in meta if "AIGC" in k] == ["/AIGC"]
    assert _check_annex_e(read_pdf_aigc(path))["ProduceID"] == "pdf-2"


def test_validate_aigc_rejects_bad_objects():
    from zhengwu.gateway.labels import validate_aigc

    with pytest.raises(ValueError):
        validate_aigc('{"AIGC":{"Label":1}}')
    with pytest.raises(ValueError):
        validate_aigc({"AIGC": {"Label": "1", "ContentProducer": "中文", "ProduceID": "x", "ReservedCode1": "",
                                "ContentPropagator": "x", "PropagateID": "x", "ReservedCode2": ""}})
