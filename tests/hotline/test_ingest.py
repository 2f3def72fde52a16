"""Bulk import: real messages as JSONL, XLSX with Chinese headers, missing columns, bad rows, interruption and
resume, re-import of the same file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.conftest import run_cli
from zhengwu.context import Caller
from zhengwu.errors import ZhengwuError
from zhengwu.hotline import ingest, tickets

AGENT = Caller("agent1", "12345中心", "agent")
ENV = {"ZHENGWU_DEPARTMENT": "12345中心", "ZHENGWU_ROLE": "agent", "ZHENGWU_USER": "agent1"}


def _jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def _xlsx(path: Path, header: list[str], rows: list[list]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_jsonl_import_interrupted_resumed_and_rerun(zw_env, tmp_path, messages):
    src = _jsonl(tmp_path / "pool.jsonl", messages[:1200])
    job = ingest.create_job(src, AGENT)
    assert job["total"] == 1200 and job["missing_recommended"] == ["location_text"]

    def stop_after_first_batch(done: int, total: int, name: str) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ingest.run_job(job["id"], AGENT, on_progress=stop_after_first_batch)
    half = ingest.get_job(AGENT, job["id"])
    assert half["status"] == "interrupted" and half["created"] == ingest.BATCH == half["done"]
    assert tickets.list_tickets(AGENT)["total"] == ingest.BATCH  # the stored batch is whole
    done = ingest.run_job(job["id"], AGENT)
    assert done["status"] == "done" and done["created"] == 1200 and done["failed"] == 0
    assert tickets.list_tickets(AGENT, limit=1)["total"] == 1200
    again = ingest.ingest_file(src, AGENT)  # the same file once more: nothing twice
    assert again["created"] == 0 and again["skipped"] == 1200
    # fields were filled from the text: places and request types of real messages
    listed = tickets.list_tickets(AGENT, limit=500)["items"]
    assert sum(bool(t["district"]) for t in listed) / len(listed) > 0.5
    assert {t["request_type"] for t in listed} >= {"投诉", "咨询"}
    found = tickets.list_tickets(AGENT, q=messages[0]["title"][:15])["items"]
    one = next(t for t in found if t["external_id"] == str(messages[0]["msg_id"]))
    assert one["title"] == messages[0]["title"] and one["received_at"].startswith("2019-02-28")


def test_xlsx_with_chinese_headers_and_bad_rows_through_the_cli(zw_env, tmp_path, messages):
    rows = [[m["msg_id"], m["title"], m["text"], m["time"], "投诉"] for m in messages[:20]]
    rows[3][4] = "闲聊"  # not a request type
    rows[7][3] = "去年冬天"  # not a time
    src = _xlsx(tmp_path / "工单.xlsx", ["工单编号", "标题", "诉求内容", "来电时间", "诉求类型"], rows)
    r = run_cli("hotline", "ingest", str(src), "--json", "--no-progress", env_extra=ENV)
    assert r.returncode == 1, r.stderr  # some rows failed: said, not hidden
    report = json.loads(r.stdout)
    assert report["created"] == 18 and report["failed"] == 2
    assert [e["row"] for e in report["errors"]] == [5, 9]  # sheet rows (header is row 1)
    assert "第 5 行" in r.stderr and "request_type" in r.stderr


def test_xlsx_without_content_column_imports_nothing(zw_env, tmp_path, messages):
    src = _xlsx(tmp_path / "缺列.xlsx", ["工单编号", "来电时间", "地址"],
                [[m["msg_id"], m["time"], "A市A3区"] for m in messages[:5]])
    r = run_cli("hotline", "ingest", str(src), env_extra=ENV)
    assert r.returncode == 2
    assert "缺少诉求内容列" in r.stderr and "Missing content column" in r.stderr
    assert tickets.list_tickets(AGENT)["total"] == 0


@pytest.mark.parametrize("name,content", [("x.csv", b"a,b\n"), ("x.xlsx", b"not a zip at all"),
                                          ("x.jsonl", b"\xff\xfe garbage\n")])
def test_unreadable_or_unsupported_files(zw_env, tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ZhengwuError) as e:
        ingest.create_job(path, AGENT)
    assert e.value.code in ("bad_ingest_format", "bad_ingest_file", "missing_columns")
    assert tickets.list_tickets(AGENT)["total"] == 0


def test_broken_lines_are_reported_with_their_line_numbers(zw_env, tmp_path, messages):
    src = tmp_path / "mixed.jsonl"
    lines = [json.dumps(m, ensure_ascii=False) for m in messages[:4]]
    lines.insert(2, '{"title": "cut off')
    lines.insert(4, "[1, 2]")
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = ingest.ingest_file(src, AGENT)
    assert report["created"] == 4 and report["failed"] == 2
    assert [e["row"] for e in report["errors"]] == [3, 5]


def test_import_needs_a_writer_role(zw_env, tmp_path, messages):
    src = _jsonl(tmp_path / "pool.jsonl", messages[:3])
    with pytest.raises(ZhengwuError) as e:
        ingest.create_job(src, Caller("boss", "12345中心", "manager"))
    assert e.value.status == 403
