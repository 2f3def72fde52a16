"""`zhengwu pii scan|mask` through the real CLI (subprocess), incl. stdin, --lines, --json and the audit record.
Few invocations on purpose: each one starts a Python process."""

from __future__ import annotations

import json

from tests.conftest import run_cli

TEXT = "张三，手机13812345678，邮箱zhang@test.com，身份证110101199003074610"


def _audit_rows():
    from sqlalchemy import select

    from zhengwu.gateway.models import AuditRecord
    from zhengwu.store import session_scope

    with session_scope() as s:
        return [(r.scenario, r.action, r.input_text, r.output_text, r.checks, r.extra)
                for r in s.execute(select(AuditRecord).order_by(AuditRecord.seq)).scalars()]


def test_scan_json(zw_env):
    r = run_cli("pii", "scan", "--json", TEXT)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["entities"] == ["email", "id_card", "mobile", "person"]
    ids = [f for f in out["findings"] if f["entity"] == "id_card"]
    assert ids[0]["text"] == "110101199003074610" and ids[0]["validated"] is True


def test_mask_text_and_stdin_leave_one_audit_record_each_without_raw_pii(zw_env):
    r = run_cli("pii", "mask", TEXT)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[姓名]，手机[手机号]，邮箱[电子邮箱]，身份证[身份证号]"
    r2 = run_cli("pii", "mask", "-", input=TEXT)
    assert r2.returncode == 0, r2.stderr
    assert r2.stdout == r.stdout
    rows = _audit_rows()
    assert [(x[0], x[1]) for x in rows] == [("pii_mask", "pii_mask"), ("pii_mask", "pii_mask")]
    assert json.loads(rows[0][4]) == ["email", "id_card", "mobile", "person"]
    blob = json.dumps(rows, ensure_ascii=False)
    for raw in ("13812345678", "110101199003074610", "zhang@test.com", "张三"):
        assert raw not in blob


def test_mask_lines_json_one_object_per_line_in_order(zw_env):
    lines = ["联系人王小明，电话13912345678", "", "没有个人信息的一行", "王小明的邮箱 wxm@example.cn"]
    # no TEXT argument: stdin
    r = run_cli("pii", "mask", "--lines", "--json", "--mode", "pseudonym", input="\n".join(lines) + "\n")
    assert r.returncode == 0, r.stderr
    objs = [json.loads(x) for x in r.stdout.splitlines()]
    assert len(objs) == 4
    assert objs[0]["text"] == "联系人【姓名1】，电话【手机号1】"
    assert objs[1]["text"] == "" and objs[2]["text"] == "没有个人信息的一行"
    assert objs[3]["text"] == "【姓名1】的邮箱 【电子邮箱1】"  # stable across lines
    assert objs[3]["mapping"]["reverse"]["【电子邮箱1】"] == "wxm@example.cn"
    rows = _audit_rows()
    assert len(rows) == 1 and json.loads(rows[0][5])["units"] == 4  # one record per command, not per line
    assert "13912345678" not in json.dumps(rows, ensure_ascii=False)


def test_scan_lines_plain(zw_env):
    r = run_cli("pii", "scan", "--lines", "-", input="a 13812345678\n无\n")
    assert r.returncode == 0, r.stderr
    out = r.stdout.splitlines()
    assert len(out) == 2 and out[0].startswith("mobile:13812345678") and out[1] == ""
    assert _audit_rows()[0][1] == "pii_scan"


def test_bad_mode_exit_2_bilingual(zw_env):
    r = run_cli("pii", "mask", "--mode", "shred", "x")
    assert r.returncode == 2
    assert "脱敏方式无效" in r.stderr and "Invalid masking mode" in r.stderr
