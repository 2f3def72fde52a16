"""The audit log against an attacker who can write the database file (but not the key or the anchor file).

Each test writes a real chain to a real SQLite file, attacks it with raw SQL the way someone with file access
would (knowing the open-source algorithm, but not the key), and checks that verify catches it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import socket
import sqlite3
import stat
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.conftest import sqlite_only
from zhengwu.context import Caller
from zhengwu.gateway import audit_keys

pytestmark = sqlite_only  # the same attacks on PostgreSQL: tests/gateway/test_audit_postgres.py

USER = Caller("zhangsan", "办公厅", "user")
ADMIN = Caller("admin1", "办公厅", "admin")
META = ("seq", "created_at", "department", "user", "role", "scenario", "action", "backend", "model",
        "output_hash", "content_hash", "checks", "extra", "expires_at", "prev_hash")


def _write(n: int, scenario: str = "kb_search") -> None:
    from zhengwu.gateway import audit
    from zhengwu.store import session_scope

    for i in range(n):  # one transaction per call, like the gateway
        with session_scope() as s:
            audit.append(s, caller=USER, scenario=scenario, action="search", input_text=f"低保标准 第{i}次",
                         output_text=f"结果{i}", checks=["ok"], backend="none", model="")


def _verify():
    from zhengwu.gateway import audit
    from zhengwu.store import session_scope

    with session_scope() as s:
        return audit.verify(s)


def _db(zw_env: Path) -> sqlite3.Connection:
    con = sqlite3.connect(zw_env / "zhengwu.db")
    con.row_factory = sqlite3.Row
    return con


def _canonical(obj) -> str:  # noqa: ANN001 - the published canonical JSON, as an attacker would copy it
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def _rechain(con: sqlite3.Connection, sign, from_seq: int = 1, key_id: str | None = "keep") -> None:  # noqa: ANN001
    """Recompute every link from `from_seq` with `sign(meta) -> hash` and fix the head row."""
    rows = con.execute("SELECT * FROM gw_audit ORDER BY seq").fetchall()
    prev = ""
    for r in rows:
        if r["seq"] >= from_seq:
            meta = {k: r[k] for k in META}
            meta["prev_hash"] = prev
            meta["key_id"] = r["key_id"] if key_id == "keep" else key_id
            h = sign(meta)
            con.execute("UPDATE gw_audit SET prev_hash = ?, hash = ?, key_id = ? WHERE id = ?",
                        (prev, h, meta["key_id"], r["id"]))
            prev = h
        else:
            prev = r["hash"]
    con.execute("UPDATE gw_audit_head SET seq = ?, hash = ? WHERE id = 1", (len(rows), prev))
    con.commit()


def _edit_output(con: sqlite3.Connection, seq: int, text: str) -> None:
    """Change a record's output and its content hash (so the content check alone cannot see it)."""
    r = con.execute("SELECT input_text, sources FROM gw_audit WHERE seq = ?", (seq,)).fetchone()
    ch = hashlib.sha256(_canonical({"input": r["input_text"], "output": text, "sources": r["sources"]})
                        .encode()).hexdigest()
    con.execute("UPDATE gw_audit SET output_text = ?, content_hash = ? WHERE seq = ?", (text, ch, seq))


def _plain(meta: dict) -> str:
    return hashlib.sha256(_canonical(meta).encode()).hexdigest()


def _plain_legacy(meta: dict) -> str:
    return hashlib.sha256(_canonical({k: meta[k] for k in META}).encode()).hexdigest()


WRONG_KEY = b"\x01" * 32


def _wrong_hmac(meta: dict) -> str:
    return hmac.new(WRONG_KEY, _canonical(meta).encode(), hashlib.sha256).hexdigest()


def _anchors(zw_env: Path) -> Path:
    return zw_env / "audit" / "anchors.log"


# --------------------------------------------------------------------------------------------- the basics


def test_key_and_anchor_files_are_private_and_verify_is_intact(zw_env):
    _write(3)
    key, anchors = zw_env / "keys" / "audit.key", _anchors(zw_env)
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and stat.S_IMODE(key.parent.stat().st_mode) == 0o700
    assert len(bytes.fromhex(key.read_text().strip())) == 32
    assert stat.S_IMODE(anchors.stat().st_mode) == 0o600
    lines = [json.loads(x) for x in anchors.read_text().splitlines()]
    assert [x["seq"] for x in lines] == [1, 2, 3] and set(lines[0]) == {"seq", "hash", "at", "kid", "mac"}
    res = _verify()
    kid = hashlib.sha256(bytes.fromhex(key.read_text().strip())).hexdigest()[:8]
    assert res.ok and res.status == "intact" and res.checked == 3 and res.anchors_checked == 3
    assert res.key_ids == [kid] and res.exit_code == 0


def test_rolled_back_append_leaves_no_anchor(zw_env):
    from zhengwu.gateway import audit
    from zhengwu.store import session_scope

    _write(2)
    with pytest.raises(RuntimeError):
        with session_scope() as s:
            audit.append(s, caller=USER, scenario="kb_search", action="search", input_text="回滚")
            raise RuntimeError("the feature failed after auditing")
    with session_scope() as s:  # a savepoint that rolls back inside a transaction that commits
        nested = s.begin_nested()
        audit.append(s, caller=USER, scenario="kb_search", action="search", input_text="保存点")
        nested.rollback()
    assert [json.loads(x)["seq"] for x in _anchors(zw_env).read_text().splitlines()] == [1, 2, 2]
    _write(1)
    res = _verify()
    assert res.ok and res.checked == 3, res.reason


def test_key_rotation_verifies_both_keys(zw_env, run_cli_ok):
    _write(2)
    r = run_cli_ok("audit", "rotate-key")
    assert r.returncode == 0, r.stderr
    # the appending side picks up another process's rotation within audit_keys._RECHECK_SECONDS (it stats the key
    # file at most that often); on an idle machine the CLI returns sooner than that
    time.sleep(audit_keys._RECHECK_SECONDS)
    _write(2)
    res = _verify()
    assert res.ok and len(res.key_ids) == 2 and res.checked == 4, res.reason
    keys = (zw_env / "keys" / "audit.key").read_text().split()
    assert len(keys) == 2 and stat.S_IMODE((zw_env / "keys" / "audit.key").stat().st_mode) == 0o600


def test_env_key_wins_over_the_file(zw_env, monkeypatch):
    from zhengwu.config import reset_settings

    key = os.urandom(32)
    monkeypatch.setenv("ZHENGWU_AUDIT_KEY", key.hex())
    reset_settings()
    _write(2)
    assert not (zw_env / "keys" / "audit.key").exists()
    res = _verify()
    assert res.ok and res.key_ids == [hashlib.sha256(key).hexdigest()[:8]]


def test_anchor_line_also_goes_to_syslog(zw_env, monkeypatch):
    from zhengwu.config import reset_settings

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(5)
    monkeypatch.setenv("ZHENGWU_AUDIT_SYSLOG", f"udp://127.0.0.1:{sock.getsockname()[1]}")
    reset_settings()
    try:
        _write(1)
        msg = sock.recv(4096).decode()
    finally:
        sock.close()
    line = json.loads(msg[msg.index("{"):].rstrip("\x00\n"))
    assert "zhengwu-audit-anchor" in msg and line["seq"] == 1
    assert line == json.loads(_anchors(zw_env).read_text().splitlines()[0])


# ------------------------------------------------------------------------------------------ the attacks


def test_a_edit_and_rechain_with_plain_sha256_is_caught(zw_env, run_cli_ok):
    _write(6)
    con = _db(zw_env)
    _edit_output(con, 3, "伪造的答复")
    _rechain(con, _plain, from_seq=3)
    con.close()
    res = _verify()
    assert not res.ok and res.status == "tampered" and res.first_broken_seq == 3 and "HMAC" in res.reason
    r = run_cli_ok("audit", "verify")
    assert r.returncode == 1 and "seq=3" in r.stderr and "篡改" in r.stderr


def test_a_rechain_as_legacy_unkeyed_records_is_caught(zw_env):
    """Pretend the whole log predates the keyed chain (key_id NULL, plain SHA-256): the anchors disagree."""
    _write(5)
    con = _db(zw_env)
    _edit_output(con, 2, "伪造的答复")
    _rechain(con, _plain_legacy, from_seq=1, key_id=None)
    con.close()
    res = _verify()
    assert not res.ok and res.status == "tampered" and "anchor" in res.reason, res.reason


def test_a_rechain_with_a_wrong_key_is_caught(zw_env, run_cli_ok):
    _write(6)
    con = _db(zw_env)
    _edit_output(con, 4, "伪造的答复")
    _rechain(con, _wrong_hmac, from_seq=4)  # keeps the real key id
    con.close()
    res = _verify()
    assert not res.ok and res.first_broken_seq == 4 and "HMAC" in res.reason
    con = _db(zw_env)  # ... and naming the attacker's own key instead
    _rechain(con, _wrong_hmac, from_seq=4, key_id=hashlib.sha256(WRONG_KEY).hexdigest()[:8])
    con.close()
    res = _verify()
    assert not res.ok and res.first_broken_seq == 4 and "not in the keyring" in res.reason
    r = run_cli_ok("audit", "verify", "--json")
    out = json.loads(r.stdout)
    assert r.returncode == 1 and out["status"] == "tampered" and out["first_broken_seq"] == 4


def test_b_truncate_and_move_head_back_is_caught_by_anchors(zw_env, run_cli_ok):
    _write(8)
    con = _db(zw_env)
    con.execute("DELETE FROM gw_audit WHERE seq > 5")
    last = con.execute("SELECT hash FROM gw_audit WHERE seq = 5").fetchone()[0]
    con.execute("UPDATE gw_audit_head SET seq = 5, hash = ? WHERE id = 1", (last,))
    con.commit()
    con.close()
    res = _verify()
    assert not res.ok and res.status == "tampered" and res.first_broken_seq == 6
    assert "deleted" in res.reason and "seq 8" in res.reason and "删除" in res.reason_zh
    r = run_cli_ok("audit", "verify")
    assert r.returncode == 1 and "deleted" in r.stderr


def test_b_a_record_inserted_beyond_the_head_is_caught(zw_env):
    """verify walks up to the head it read first (so live traffic never looks like tampering) and still catches a
    record appended behind the application's back, which leaves the head where it was."""
    _write(4)
    con = _db(zw_env)
    cols = [r[1] for r in con.execute("PRAGMA table_info(gw_audit)") if r[1] != "id"]
    sel = ", ".join(f'"{c}"' if c != "seq" else "5" for c in cols)
    con.execute(f"INSERT INTO gw_audit ({', '.join(chr(34) + c + chr(34) for c in cols)}) "
                f"SELECT {sel} FROM gw_audit WHERE seq = 4")
    con.commit()
    con.close()
    res = _verify()
    assert not res.ok and res.status == "tampered" and res.first_broken_seq == 5
    assert "beyond the chain head" in res.reason and "超出链头" in res.reason_zh


def _expired_scenario() -> None:
    from zhengwu.gateway.scenarios import add_scenario
    from zhengwu.store import session_scope

    with session_scope() as s:
        add_scenario(s, ADMIN, id="short_keep", name_zh="短期保存", retention_days=0)


def test_c_fake_purge_before_expiry_is_caught(zw_env):
    _write(4)  # kb_search: kept 1095 days
    con = _db(zw_env)
    early = datetime.now(timezone.utc).isoformat(timespec="microseconds")
    con.execute("UPDATE gw_audit SET input_text = NULL, output_text = NULL, sources = NULL, purged_at = ? "
                "WHERE seq = 2", (early,))
    con.commit()
    con.close()
    res = _verify()
    assert not res.ok and res.first_broken_seq == 2 and "fake purge" in res.reason
    assert "before its expiry" in res.reason and "伪造的清除" in res.reason_zh


def test_c_blanked_after_expiry_without_purge_record_is_caught(zw_env):
    _expired_scenario()
    _write(3, scenario="short_keep")
    con = _db(zw_env)
    seq = con.execute("SELECT seq FROM gw_audit WHERE action = 'search' ORDER BY seq LIMIT 1").fetchone()[0]
    late = (datetime.now(timezone.utc) + timedelta(seconds=1)).isoformat(timespec="microseconds")
    con.execute("UPDATE gw_audit SET input_text = NULL, output_text = NULL, sources = NULL, purged_at = ? "
                "WHERE seq = ?", (late, seq))
    con.commit()
    con.close()
    res = _verify()
    assert not res.ok and res.first_broken_seq == seq and "no retention_purge record names it" in res.reason


def test_c_blanked_without_purged_at_is_caught(zw_env):
    _write(3)
    con = _db(zw_env)
    con.execute("UPDATE gw_audit SET input_text = NULL, output_text = NULL, sources = NULL WHERE seq = 3")
    con.commit()
    con.close()
    res = _verify()
    assert not res.ok and res.first_broken_seq == 3 and "fake purge" in res.reason


def test_c_real_purge_after_expiry_is_intact_and_its_time_is_covered(zw_env, run_cli_ok):
    _expired_scenario()
    _write(2, scenario="short_keep")
    _write(1)
    r = run_cli_ok("audit", "purge")
    assert r.returncode == 0 and "已清除 2 条" in r.stdout
    res = _verify()
    assert res.ok, res.reason
    con = _db(zw_env)  # moving a real purge's purged_at is seen: it no longer matches the purge record
    con.execute("UPDATE gw_audit SET purged_at = '2000-01-01T00:00:00.000000+00:00' WHERE purged_at IS NOT NULL "
                "AND seq = (SELECT MIN(seq) FROM gw_audit WHERE purged_at IS NOT NULL)")
    con.commit()
    con.close()
    res = _verify()
    assert not res.ok and "purge" in res.reason


def test_d_anchor_file_truncated_while_db_intact_is_named(zw_env, run_cli_ok):
    _write(6)
    path = _anchors(zw_env)
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[:-2]))
    res = _verify()
    assert not res.ok and res.status == "anchors_behind" and res.first_broken_seq == 5
    assert "anchor file" in res.reason and "database chain itself verifies" in res.reason
    assert "锚点文件被截断" in res.reason_zh
    r = run_cli_ok("audit", "verify", "--json")
    assert r.returncode == 1 and json.loads(r.stdout)["status"] == "anchors_behind"


def test_d_edited_anchor_line_is_caught(zw_env):
    _write(4)
    path = _anchors(zw_env)
    lines = path.read_text().splitlines()
    forged = json.loads(lines[1])
    forged["hash"] = "0" * 64
    lines[1] = json.dumps(forged)
    path.write_text("\n".join(lines) + "\n")
    res = _verify()
    assert not res.ok and res.status == "tampered" and "anchor line 2 fails its HMAC" in res.reason


def test_e_missing_key_cannot_verify(zw_env, run_cli_ok):
    _write(3)
    (zw_env / "keys" / "audit.key").unlink()
    res = _verify()
    assert not res.ok and res.status == "cannot_verify" and res.exit_code == 2
    r = run_cli_ok("audit", "verify")
    assert r.returncode == 2 and "无法校验" in r.stderr and "cannot verify" in r.stderr
    assert "intact" not in (r.stdout + r.stderr) and "完整" not in r.stdout
