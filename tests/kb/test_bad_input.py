"""Bad input: each file fails alone with a bilingual message naming it; nothing stored is lost or duplicated."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import func, select

from tests.kb.conftest import FIXTURES
from zhengwu.config import reset_settings
from zhengwu.kb.ingest import ingest_paths
from zhengwu.kb.models import Chunk, Document
from zhengwu.kb.parsers import ParseError, parse_file
from zhengwu.kb.parsers.text import parse_txt
from zhengwu.store import session_scope

CASES = {
    "corrupt_pdf": ("corrupt.pdf", "damaged"),
    "encrypted_pdf": ("encrypted.pdf", "encrypted"),
    "scan_pdf": ("scan.pdf", "needs OCR"),
    "bomb_docx": ("bomb.docx", "zip bomb"),
    "bomb_xlsx": ("bomb.xlsx", "zip bomb"),
    "broken_docx": ("broken.docx", "damaged"),
    "unsupported": ("scan.tiff", "unsupported file type"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_bad_file_gets_a_clear_message(bad_files, case):
    name, reason = CASES[case]
    with pytest.raises(ParseError) as exc:
        parse_file(bad_files[case])
    assert exc.value.en.startswith(name + ":") and reason in exc.value.en
    assert exc.value.zh.startswith(name + "：")


def test_bad_files_in_a_batch_do_not_stop_it_nor_touch_stored_documents(zw_env, caller, bad_files):
    first = ingest_paths([FIXTURES / "gz_startup_loan_faq.xlsx"], kb="k", caller=caller, progress=False)
    assert first.added == 1
    batch = [*bad_files.values(), FIXTURES / "gz_startup_loan_faq.xlsx", FIXTURES / "guofa_2019_5_shuangsuiji.docx"]
    rep = ingest_paths(batch, kb="k", caller=caller, progress=False)
    assert (rep.added, rep.unchanged, len(rep.failed)) == (1, 1, len(bad_files))
    failed_names = sorted(p.rsplit("/", 1)[-1] for p, _, _ in rep.failed)
    assert failed_names == sorted(p.name for p in bad_files.values())
    for path, zh, en in rep.failed:
        name = path.rsplit("/", 1)[-1]
        assert zh.startswith(name) and en.startswith(name)
    with session_scope() as s:
        assert s.scalar(select(func.count(Document.id))) == 2
        assert s.scalar(select(func.count(func.distinct(Chunk.document_id)))) == 2


def test_gbk_text_is_decoded():
    parsed = parse_txt(FIXTURES / "guobanfa_2018_118_gbk.txt")
    assert parsed.meta["encoding"] == "gb18030"
    assert parsed.text.startswith("国务院办公厅关于全面推行\n行政执法公示制度执法全过程记录制度")


def test_files_over_the_size_limit_are_refused(zw_env, caller, tmp_path, monkeypatch):
    big = tmp_path / "big.txt"
    line = (FIXTURES / "guobanfa_2018_118_gbk.txt").read_bytes().decode("gbk").encode("utf-8")
    big.write_bytes(line * (1024 * 1024 // len(line) + 2))  # just over 1 MB of real text
    small = tmp_path / "small.md"
    shutil.copy(FIXTURES / "xingzheng_chufa_fa_excerpt.md", small)
    monkeypatch.setenv("ZHENGWU_MAX_FILE_MB", "1")
    reset_settings()
    rep = ingest_paths([big, small], kb="k", caller=caller, progress=False)
    assert rep.added == 1 and len(rep.failed) == 1
    path, zh, en = rep.failed[0]
    assert path.endswith("big.txt") and "file too large" in en and "limit 1 MB" in en and "文件过大" in zh
