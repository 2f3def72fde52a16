"""The audit log: hash chain, tamper detection (edit, delete, reorder via raw SQL), export, purge, concurrency."""

from __future__ import annotations

import csv
import io
import json

from tests.gateway.conftest import append_concurrently
from zhengwu.context import Caller


def _write(n: int, caller: Caller, scenario: str = "kb_search", **kw) -> list[int]:
    from zhengwu.gateway import audit
    from zhengwu.store import session_scope

    ids = []
    with session_scope() as s:
        for i in range(n):
            ids.append(audit.append(s, caller=caller, scenario=scenario, action="search",
                                    input_text=f"最低生活保障标准 第{i}次查询", output_text=f"结果{i}",
                                    sources=[{"chunk_id": i, "title": "广州市最低生活保障标准", "text": "全文"}],
                                    checks=["ok"], backend="none", model="", **kw))
    return ids


def _verify():
    from zhengwu.gateway import audit
    from zhengwu.store import session_scope

    with session_scope() as s:
        return audit.verify(s)


def test_chain_links_and_verifies(zw_env, callers):
    from zhengwu.gateway.models import AuditRecord
    from zhengwu.store import session_scope

    ids = _write(4, callers["user"])
    assert ids == sorted(ids) and len(set(ids)) == 4
    with session_scope() as s:
        rows = s.query(AuditRecord).order_by(AuditRecord.seq).all()
        assert [r.seq for r in rows] == [1, 2, 3, 4]
        assert rows[0].prev_hash == ""
        for a, b in zip(rows, rows[1:]):
            assert b.prev_hash == a.hash and len(a.hash) == 64
        assert rows[0].user == "zhangsan" and rows[0].department == "办公厅"
        assert json.loads(rows[0].sources) == [{"chunk_id": 0, "title": "广州市最低生活保障标准"}]  # no text copy
    res = _verify()
    assert res.ok and res.checked == 4


def test_verify_cli_detects_edited_record(zw_env, callers, tamper, run_cli_ok):
    ids = _write(5, callers["user"])
    assert _verify().ok
    tamper(f"UPDATE gw_audit SET \"user\" = 'mallory' WHERE id = {ids[2]}")
    r = run_cli_ok("audit", "verify")
    assert r.returncode == 1
    assert f"id={ids[2]}" in r.stderr and "edited" in r.stderr


def test_verify_detects_edited_content(zw_env, callers, tamper):
    ids = _write(3, callers["user"])
    tamper(f"UPDATE gw_audit SET output_text = '改过的回答' WHERE id = {ids[1]}")
    res = _verify()
    assert not res.ok and res.first_broken_id == ids[1] and "content" in res.reason


def test_verify_cli_detects_deleted_record(zw_env, callers, tamper, run_cli_ok):
    ids = _write(5, callers["user"])
    tamper(f"DELETE FROM gw_audit WHERE id = {ids[1]}")
    r = run_cli_ok("audit", "verify", "--json")
    assert r.returncode == 1
    out = json.loads(r.stdout)
    assert out["ok"] is False and out["first_broken_id"] == ids[2] and "deleted" in out["reason"]


def test_verify_detects_deleted_last_record(zw_env, callers, tamper):
    ids = _write(3, callers["user"])
    tamper(f"DELETE FROM gw_audit WHERE id = {ids[-1]}")
    res = _verify()
    assert not res.ok and "deleted" in res.reason


def test_verify_cli_detects_reordered_records(zw_env, callers, tamper, run_cli_ok):
    ids = _write(5, callers["user"])
    a, b = ids[1], ids[2]
    tamper(f"UPDATE gw_audit SET seq = -1 WHERE id = {a}", f"UPDATE gw_audit SET seq = 2 WHERE id = {b}",
           f"UPDATE gw_audit SET seq = 3 WHERE id = {a}")
    res = _verify()
    assert not res.ok and res.first_broken_id == b and "reordered" in res.reason


def test_concurrent_writers_do_not_fork_the_chain(zw_env, callers):
    from zhengwu.gateway import audit
    from zhengwu.store import init_db, session_scope

    init_db()
    assert append_concurrently(4, 15, "办公厅") == []
    res = _verify()
    assert res.ok and res.checked == 60
    with session_scope() as s:
        assert audit.head_info(s)["seq"] == 60


def test_export_jsonl_and_csv_is_audited(zw_env, callers, run_cli_ok, tmp_path):
    _write(3, callers["user"])
    out = tmp_path / "audit.jsonl"
    r = run_cli_ok("audit", "export", "--from", "2000-01-01", "--to", "2999-12-31", "--out", str(out))
    assert r.returncode == 0, r.stderr
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [x["seq"] for x in lines] == [1, 2, 3]
    assert lines[0]["scenario"] == "kb_search" and lines[0]["user"] == "zhangsan"
    from zhengwu.gateway import audit
    from zhengwu.store import session_scope

    with session_scope() as s:
        body, n = audit.export(s, callers["admin"], date_from="2000-01-01", date_to="2999-12-31", fmt="csv")
    rows = list(csv.DictReader(io.StringIO(body)))
    # the CLI export is itself audited, so the second export sees 4 records, the last an audit_export by "cli"
    assert n == 4 and len(rows) == 4 and rows[-1]["action"] == "audit_export" and rows[-1]["user"] == "cli"
    assert json.loads(rows[-1]["extra"])["records"] == 3
    assert _verify().ok


def test_export_date_range_and_bad_date(zw_env, callers):
    import pytest

    from zhengwu.errors import ZhengwuError
    from zhengwu.gateway import audit
    from zhengwu.store import session_scope

    _write(2, callers["user"])
    with session_scope() as s:
        body, n = audit.export(s, callers["admin"], date_from="2001-01-01", date_to="2001-12-31")
        assert (body, n) == ("", 0)
        with pytest.raises(ZhengwuError) as ei:
            audit.export(s, callers["admin"], date_from="yesterday", date_to="2999-12-31")
        assert "YYYY-MM-DD" in ei.value.zh
        body, n = audit.export(s, callers["other"], date_from="2000-01-01", date_to="2999-12-31")
        assert n == 0  # another department's officer sees none of 办公厅's records


def test_purge_blanks_expired_content_and_keeps_chain(zw_env, callers, run_cli_ok):
    from zhengwu.gateway.models import AuditRecord
    from zhengwu.gateway.scenarios import add_scenario
    from zhengwu.store import session_scope

    with session_scope() as s:
        add_scenario(s, callers["admin"], id="short_keep", name_zh="短期保存", retention_days=0)
    _write(2, callers["user"], scenario="short_keep")
    _write(1, callers["user"], scenario="kb_search")
    r = run_cli_ok("audit", "purge")
    assert r.returncode == 0 and "已清除 2 条" in r.stdout
    with session_scope() as s:
        rows = s.query(AuditRecord).order_by(AuditRecord.seq).all()
        purged = [x for x in rows if x.scenario == "short_keep" and x.action == "search"]
        kept = [x for x in rows if x.scenario == "kb_search"]
        assert all(x.input_text is None and x.output_text is None and x.purged_at for x in purged)
        assert all(x.output_hash for x in purged)  # the output hash stays as metadata
        assert kept[0].input_text and kept[0].purged_at is None
        assert rows[-1].action == "retention_purge" and json.loads(rows[-1].extra)["purged"] == 2
        assert json.loads(rows[-1].extra)["seqs"] == [[purged[0].seq, purged[-1].seq]]
    assert _verify().ok
    from sqlalchemy import update  # re-inserting content into a purged record is detected

    with session_scope() as s:
        s.execute(update(AuditRecord).where(AuditRecord.id == purged[0].id).values(input_text="伪造"))
    assert not _verify().ok


def test_no_history_scenario_keeps_metadata_only(zw_env, callers):
    from zhengwu.gateway.models import AuditRecord
    from zhengwu.store import session_scope

    _write(1, callers["user"], scenario="pii_mask")  # built-in no-history scenario
    with session_scope() as s:
        r = s.query(AuditRecord).one()
        assert r.input_text is None and r.output_text is None and r.sources is None
        assert len(r.output_hash) == 64 and r.user == "zhangsan"
    assert _verify().ok


def test_record_never_stores_raw_pii(zw_env, callers):
    """Whether or not the PII masker is present, a raw ID number never lands in the table."""
    from zhengwu.gateway.models import AuditRecord
    from zhengwu.store import session_scope
    from zhengwu.gateway import audit

    with session_scope() as s:
        audit.append(s, caller=callers["user"], scenario="policy_qa", action="answer",
                     input_text="我的身份证号是11010519491231002X，电话13812345678", output_text="好的")
    with session_scope() as s:
        r = s.query(AuditRecord).one()
        stored = (r.input_text or "") + (r.output_text or "") + r.extra
        assert "11010519491231002X" not in stored and "13812345678" not in stored
