"""Ingestion into a real SQLite store: idempotence, replacement, versions, tokens, JSONL fields, isolation."""

from __future__ import annotations

import json
import shutil
import threading

import pytest
from sqlalchemy import func, select

from tests.conftest import wait_for
from tests.kb.conftest import DEMO, FIXTURES
from zhengwu.errors import NotFound
from zhengwu.gateway.models import AuditRecord
from zhengwu.kb.ingest import ingest_paths, resume_job
from zhengwu.kb.jobs import cancel_job
from zhengwu.kb.manage import create_kb, delete_kb, get_kb, list_kbs
from zhengwu.kb.models import Chunk, Document, IngestItem, IngestJob, KnowledgeBase
from zhengwu.store import session_scope


def _counts(kb_name, caller):
    with session_scope() as s:
        kb = get_kb(s, caller, kb_name)
        docs = s.scalar(select(func.count(Document.id)).where(Document.kb_id == kb.id))
        chunks = s.scalar(select(func.count(Chunk.id)).where(Chunk.kb_id == kb.id))
        return docs, chunks, kb.version


def test_demo_jsonl_fields_and_idempotent_reingest(zw_env, caller, demo_rows):
    r1 = ingest_paths([DEMO], kb="demo", caller=caller, progress=False)
    assert (r1.added, r1.unchanged, r1.replaced, r1.failed) == (60, 0, 0, [])
    docs, chunks, version = _counts("demo", caller)
    assert docs == 60 and chunks > 600 and version == 60
    with session_scope() as s:
        d = s.scalar(select(Document).where(Document.external_id == "govcn-000014349/2019-00007"))
        assert d.source == "jsonl:state_council_2018_2019.jsonl#govcn-000014349/2019-00007"
        assert (d.title, d.issuer, d.doc_number, d.doc_type) == (
            "国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见", "国务院", "国发〔2019〕5号", "意见")
        assert d.meta["url"].startswith("http://www.gov.cn/") and d.department == caller.department
        c = s.scalars(select(Chunk).where(Chunk.document_id == d.id).order_by(Chunk.ordinal)).all()
        assert all(x.tokens and x.department == caller.department for x in c)
        assert "监管" in c[1].tokens.split()
    r2 = ingest_paths([DEMO], kb="demo", caller=caller, progress=False)
    assert (r2.added, r2.unchanged, r2.replaced) == (0, 60, 0)
    assert _counts("demo", caller) == (docs, chunks, version)  # nothing duplicated, version unchanged


def test_changed_jsonl_line_replaces_only_that_document(zw_env, caller, tmp_path, demo_rows):
    path = tmp_path / "state_council_2018_2019.jsonl"
    rows = demo_rows[:5]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    ingest_paths([path], kb="k", caller=caller, progress=False)
    docs, chunks, version = _counts("k", caller)
    rows[2] = dict(rows[2], text=rows[2]["text"] + "\n（此件公开发布）", doc_number="国发〔2019〕99号")
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    rep = ingest_paths([path], kb="k", caller=caller, progress=False)
    assert (rep.added, rep.unchanged, rep.replaced) == (0, 4, 1)
    d2, c2, v2 = _counts("k", caller)
    assert d2 == docs == 5 and c2 == chunks and v2 == version + 1
    with session_scope() as s:
        d = s.scalar(select(Document).where(Document.external_id == rows[2]["id"]))
        assert d.doc_number == "国发〔2019〕99号"
        assert s.scalar(select(func.count(Chunk.id)).where(Chunk.document_id == d.id)) > 0


def test_changed_file_replaces_its_chunks_in_place(zw_env, caller, tmp_path):
    f = tmp_path / "guide.docx"
    shutil.copy(FIXTURES / "gz_guide_06_resident_medical_insurance.docx", f)
    r1 = ingest_paths([f], kb="k", caller=caller, progress=False)
    assert r1.added == 1
    with session_scope() as s:
        doc_id = s.scalar(select(Document.id))
        n_old = s.scalar(select(func.count(Chunk.id)))
    shutil.copy(FIXTURES / "guofa_2019_5_shuangsuiji.docx", f)  # same path, new content
    r2 = ingest_paths([f], kb="k", caller=caller, progress=False)
    assert r2.replaced == 1 and r2.added == 0
    with session_scope() as s:
        assert s.scalar(select(func.count(Document.id))) == 1
        d = s.get(Document, doc_id)
        assert d.doc_number == "国发〔2019〕5号" and d.issuer == "国务院"
        texts = list(s.scalars(select(Chunk.text)))
        assert not any("参保缴费" in t for t in texts)  # no chunk of the old content is left
        assert any("双随机" in t for t in texts) and len(texts) != n_old
        assert all(c.document_id == doc_id for c in s.scalars(select(Chunk)))


SAMPLES = ["guobanfa_2018_118_gbk.txt", "guobanfa_2019_4_hospital_assessment.pdf", "guofa_2019_5_shuangsuiji.docx",
           "gz_guide_06_channels_table.pdf", "gz_guide_06_resident_medical_insurance.docx",
           "gz_minimum_living_standard_2025.html", "gz_startup_loan_faq.xlsx", "gz_unemployment_insurance_faq.csv",
           "xingzheng_chufa_fa_excerpt.md", "make_fixtures.py"]


def test_every_supported_type_ingests_with_metadata(zw_env, caller, tmp_path):
    folder = tmp_path / "samples"
    (folder / "sub").mkdir(parents=True)
    for i, name in enumerate(SAMPLES):
        shutil.copy(FIXTURES / name, folder / ("sub" if i % 2 else "") / name)
    (folder / ".hidden.txt").write_text("隐藏文件不入库", encoding="utf-8")
    rep = ingest_paths([folder], kb="all", caller=caller, progress=False)
    # the folder is walked; make_fixtures.py is an unsupported type and is reported, the rest goes on
    assert rep.added == 9 and [p.rsplit("/", 1)[-1] for p, _, _ in rep.failed] == ["make_fixtures.py"]
    with session_scope() as s:
        by_type = {d.source_type: d for d in s.scalars(select(Document))}
        assert set(by_type) == {"txt", "pdf", "docx", "html", "xlsx", "csv", "md"}
        assert by_type["txt"].doc_number == "国办发〔2018〕118号" and by_type["txt"].meta["encoding"] == "gb18030"
        html = by_type["html"]
        assert (html.doc_number, html.validity) == ("穗民规字〔2025〕2号", "expired")
        assert html.issuer == "广州市民政局"  # the page's ContentSource <meta> wins over the title
        assert html.meta["url"].startswith("https://www.gz.gov.cn/")
        assert by_type["xlsx"].doc_type == "FAQ"
        faq_kinds = set(s.scalars(select(Chunk.kind).where(Chunk.document_id == by_type["csv"].id)))
        assert faq_kinds == {"faq"}
        pdfs = s.scalars(select(Document).where(Document.source_type == "pdf")).all()
        assert {d.doc_number for d in pdfs} == {"国办发〔2019〕4号", ""}
        page_nos = set(s.scalars(select(Chunk.page).where(Chunk.document_id == pdfs[0].id)))
        assert len(page_nos) > 3  # chunks remember their PDF page


def test_duplicate_content_under_another_name_is_not_stored_twice(zw_env, caller, tmp_path):
    a = tmp_path / "a" / "faq.xlsx"
    b = tmp_path / "b" / "faq-copy.xlsx"
    for p in (a, b):
        p.parent.mkdir()
        shutil.copy(FIXTURES / "gz_startup_loan_faq.xlsx", p)
    rep = ingest_paths([a, b], kb="k", caller=caller, progress=False)
    assert (rep.added, rep.unchanged) == (1, 1)
    assert "faq-copy.xlsx" in rep.files[1].path and "not stored twice" in rep.files[1].message_en
    assert _counts("k", caller)[0] == 1


def test_department_isolation(zw_env, caller, other_caller):
    ingest_paths([FIXTURES / "gz_startup_loan_faq.xlsx"], kb="faq", caller=caller, progress=False)
    with session_scope() as s:
        assert [k.name for k in list_kbs(s, caller)] == ["faq"]
        assert list_kbs(s, other_caller) == []
        with pytest.raises(NotFound):
            get_kb(s, other_caller, "faq")
        with pytest.raises(NotFound):
            delete_kb(s, other_caller, "faq")
        create_kb(s, other_caller, "faq")  # the same name in another department is another KB
    ingest_paths([FIXTURES / "gz_startup_loan_faq.xlsx"], kb="faq", caller=other_caller, progress=False)
    with session_scope() as s:
        kbs = s.scalars(select(KnowledgeBase).order_by(KnowledgeBase.id)).all()
        assert [(k.name, k.department) for k in kbs] == [("faq", caller.department), ("faq", other_caller.department)]
        # other department's copy is its own document, not "unchanged" against ours
        assert s.scalar(select(func.count(Document.id))) == 2
        delete_kb(s, other_caller, "faq")
    with session_scope() as s:
        assert s.scalar(select(func.count(Document.id))) == 1
        assert [k.name for k in list_kbs(s, caller)] == ["faq"]


def test_job_and_items_are_recorded(zw_env, caller):
    rep = ingest_paths([FIXTURES / "gz_startup_loan_faq.xlsx", FIXTURES / "missing.pdf"], kb="k", caller=caller,
                       progress=False)
    with session_scope() as s:
        job = s.get(IngestJob, rep.job_id)
        assert (job.status, job.total, job.done, job.failed) == ("done", 2, 1, 1)
        items = s.scalars(select(IngestItem).where(IngestItem.job_id == job.id).order_by(IngestItem.id)).all()
        assert [i.status for i in items] == ["added", "failed"]
        assert "missing.pdf" in items[1].message and "not found" in items[1].message


def test_every_ingest_leaves_an_audit_record(zw_env, caller):

    ingest_paths([FIXTURES / "gz_startup_loan_faq.xlsx", FIXTURES / "missing.pdf"], kb="k", caller=caller,
                 progress=False)
    with session_scope() as s:
        recs = s.scalars(select(AuditRecord).where(AuditRecord.scenario == "kb_ingest")
                         .order_by(AuditRecord.id)).all()
        assert [(r.action, r.department, r.user) for r in recs] == [("ingest", caller.department, "tester")] * 2
        extras = [json.loads(r.extra) for r in recs]
    assert [e["status"] for e in extras] == ["added", "failed"] and extras[0]["kb"] == "k"


def test_cancelled_job_stops_and_resumes_without_duplicates(zw_env, caller, tmp_path, demo_rows):
    """A job cancelled from elsewhere stops between documents; resuming stores the rest exactly once."""


    corpus = tmp_path / "corpus"
    corpus.mkdir()
    # one document per file: cancellation is checked between files, so it lands long before the 60th
    for i, row in enumerate(demo_rows):
        (corpus / f"part{i:02d}.jsonl").write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    total = len(demo_rows)
    out: dict = {}
    worker = threading.Thread(target=lambda: out.setdefault(
        "report", ingest_paths([corpus], kb="k", caller=caller, progress=False)))
    worker.start()
    def stored() -> bool:
        with session_scope() as s:
            return (s.scalar(select(func.count(Document.id))) or 0) >= 1

    wait_for(stored, 60, every=0.01)
    with session_scope() as s:
        job_id = s.scalar(select(IngestJob.id))
        assert cancel_job(s, caller, job_id)["status"] == "cancelled"
    worker.join(60)
    first = out["report"]
    assert first.cancelled and first.added < total
    with session_scope() as s:
        stored = s.scalar(select(func.count(Document.id)))
    assert stored == first.added
    second = resume_job(job_id, caller=caller, progress=False)
    assert not second.cancelled and first.added + second.added == total
    with session_scope() as s:
        assert s.scalar(select(func.count(Document.id))) == total
        assert s.scalar(select(func.count(func.distinct(Document.source)))) == total
        assert s.get(IngestJob, job_id).status == "done"
