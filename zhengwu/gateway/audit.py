"""Tamper-evident audit log: append-only, HMAC-chained, anchored outside the database, retention-aware.

Every record carries a sequence number and `hash = HMAC-SHA256(key, canonical JSON of its metadata +
content_hash + prev_hash + key_id)`. The key is kept outside the database (gateway/audit_keys.py), so someone who
can write the database cannot re-sign an edited chain; every committed head is also written, signed, to an
anchor file and optionally syslog (gateway/audit_anchors.py), so deleting the latest records is seen too.
Verification is in gateway/audit_verify.py.

The content (masked input, output, sources) is hashed separately into `content_hash`, so the retention purge
can blank the content and the chain still verifies; the purge itself appends a `retention_purge` record naming
the purged seqs and its time, so a purge can be told from someone blanking records by hand. Appends are
serialised through the single-row chain head `gw_audit_head`: the appending transaction first UPDATEs that row
(SQLite takes its write lock, PostgreSQL a row lock), so two writers can never attach to the same predecessor.

Raw personal information is never stored: `input_text` / `output_text` go through the PII masker first.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from zhengwu.context import Caller
from zhengwu.errors import NotFound, ZhengwuError
from zhengwu.gateway import pii
from zhengwu.gateway.audit_anchors import mark_appended
from zhengwu.gateway.audit_keys import Keyring, load_keyring, mac
from zhengwu.gateway.metrics import AUDIT_RECORDS
from zhengwu.gateway.models import AuditRecord

if TYPE_CHECKING:
    from zhengwu.gateway.audit_verify import VerifyResult

# Content kept when a scenario is unknown to the registry (PIPL Art. 56: processing records >= 3 years).
DEFAULT_RETENTION_DAYS = 1095
# Keys of a source dict that are references, not content (the retrieved text itself is not logged twice).
_SOURCE_KEYS = ("chunk_id", "document_id", "kb", "title", "doc_number", "issuer", "doc_type", "validity",
                "pub_date", "heading_path", "score", "source", "external_id", "id", "url")
_META_FIELDS = ("seq", "created_at", "department", "user", "role", "scenario", "action", "backend", "model",
                "output_hash", "content_hash", "checks", "extra", "expires_at", "prev_hash")
# A keyed record's MAC also covers which key signed it (so a record cannot be moved to another key's chain).
_KEYED_FIELDS = _META_FIELDS + ("key_id",)
# The action of the chain record a retention purge appends (verify looks for it).
PURGE_ACTION = "retention_purge"


_BUMP_HEAD = text("UPDATE gw_audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
_INSERT_HEAD = text("INSERT INTO gw_audit_head (id, seq, hash) VALUES (1, 1, '')")
_READ_HEAD = text("SELECT seq, hash FROM gw_audit_head WHERE id = 1")
_SET_HEAD = text("UPDATE gw_audit_head SET hash = :hash WHERE id = 1")
_READ_POLICY = text("SELECT retention_days, no_history FROM gw_scenario WHERE id = :id")
_RECORD_COLS = ("seq", "created_at", "department", "user", "role", "scenario", "action", "backend", "model",
                "input_text", "output_text", "sources", "content_hash", "output_hash", "checks", "extra",
                "expires_at", "prev_hash", "hash", "key_id")
_INSERT_RECORD = text(
    "INSERT INTO gw_audit (" + ", ".join(f'"{c}"' for c in _RECORD_COLS) + ") VALUES ("
    + ", ".join(f":{c}" for c in _RECORD_COLS) + ") RETURNING id")


def canonical(obj: Any) -> str:
    """The one JSON spelling used for hashing and storage (sorted keys, no spaces, UTF-8 kept)."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def sha256(data: str) -> str:
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def now_iso(dt: datetime | None = None) -> str:
    return (dt or datetime.now(timezone.utc)).astimezone(timezone.utc).isoformat(timespec="microseconds")


def content_hash(input_text: str | None, output_text: str | None, sources: str | None) -> str:
    return sha256(canonical({"input": input_text, "output": output_text, "sources": sources}))


def chain_hash(meta: dict) -> str:
    """The legacy plain SHA-256 link (records written before the keyed chain, key_id NULL)."""
    return sha256(canonical({k: meta.get(k) for k in _META_FIELDS}))


def record_mac(key: bytes, meta: dict) -> str:
    """The keyed link: only a holder of the key can produce it, so re-chaining needs the key."""
    return mac(key, canonical({k: meta.get(k) for k in _KEYED_FIELDS}))


def _signing_keyring() -> Keyring:
    """The keyring for appending; no key means no record (an unsigned record would weaken the whole chain)."""
    try:
        ring = load_keyring(create=True)
    except OSError as exc:
        raise ZhengwuError("audit_key_unavailable", f"无法读取或创建审计密钥：{exc}",
                           f"Cannot read or create the audit key: {exc}") from exc
    if ring is None:
        raise ZhengwuError("audit_key_unavailable", "没有审计密钥。", "No audit key.")
    return ring


def mask_for_log(text_: str | None) -> tuple[str | None, bool]:
    """PII-mask text before it is stored. Returns (masked text, ok); never returns the raw text on failure."""
    if not text_:
        return text_, True
    try:
        return pii.mask(text_, mode="mask").text, True
    except Exception:  # noqa: BLE001 - a masker failing on this text: keep only the hash, never the raw text
        return None, False


def _slim_sources(sources: list[dict] | None) -> str | None:
    if not sources:
        return None
    slim = []
    for s in sources:
        if isinstance(s, dict):
            slim.append({k: s[k] for k in _SOURCE_KEYS if k in s and s[k] is not None})
        else:
            slim.append(str(s)[:200])
    return canonical(slim)


def _policy(session: Session, scenario: str) -> tuple[int | None, bool]:
    """(retention_days, no_history) for a scenario; unknown scenarios keep content DEFAULT_RETENTION_DAYS."""
    row = session.connection().execute(_READ_POLICY, {"id": scenario}).first()
    if row is None:
        return DEFAULT_RETENTION_DAYS, False
    return row[0], bool(row[1])


def append(
    session: Session,
    *,
    caller: Caller,
    scenario: str,
    action: str,
    input_text: str | None = None,
    output_text: str | None = None,
    sources: list[dict] | None = None,
    checks: list[str] | None = None,
    backend: str | None = None,
    model: str | None = None,
    extra: dict | None = None,
    masked: bool = False,
    retention: tuple[int | None, bool] | None = None,
    when: datetime | None = None,
) -> int:
    """Append one record (the gateway pipeline calls this with text it has already masked)."""
    extra = dict(extra or {})
    if not masked:
        input_text, ok_in = mask_for_log(input_text)
        output_masked, ok_out = mask_for_log(output_text)
        if not (ok_in and ok_out):
            extra["content_withheld"] = "pii_masker_unavailable"
    else:
        output_masked = output_text
    retention_days, no_history = retention if retention is not None else _policy(session, scenario)
    created = when or datetime.now(timezone.utc)
    out_hash = sha256(output_text) if output_text else ""
    if no_history:
        input_text, output_masked, src = None, None, None
    else:
        src = _slim_sources(sources)
    c_hash = content_hash(input_text, output_masked, src)
    expires = now_iso(created + timedelta(days=retention_days)) if retention_days is not None else None

    ring = _signing_keyring()
    # Serialise appends: take the chain head's lock first, then read it inside the same transaction.
    # (Plain SQL through the session's connection: this runs on every gateway call and must stay cheap.)
    conn = session.connection()
    head = conn.execute(_BUMP_HEAD).first()
    if head is None:  # the migration inserts it; if someone deleted it, verify reports the break
        conn.execute(_INSERT_HEAD)
        head = conn.execute(_READ_HEAD).one()
    seq, prev = int(head[0]), head[1] or ""
    meta = {
        "seq": seq, "created_at": now_iso(created), "department": caller.department, "user": caller.user,
        "role": caller.role, "scenario": scenario, "action": action, "backend": backend, "model": model,
        "output_hash": out_hash, "content_hash": c_hash, "checks": canonical(list(checks or [])),
        "extra": canonical(extra), "expires_at": expires, "prev_hash": prev, "key_id": ring.current,
    }
    h = record_mac(ring.signer(), meta)
    rid = conn.execute(_INSERT_RECORD, {**meta, "input_text": input_text, "output_text": output_masked,
                                        "sources": src, "hash": h}).scalar_one()
    conn.execute(_SET_HEAD, {"hash": h})
    mark_appended(session)  # the anchor is written after COMMIT (gateway/audit_anchors.py)
    AUDIT_RECORDS.labels(action=action).inc()
    return int(rid)




# ----------------------------------------------------------------------------------------------- verify


def verify(session: Session, **kw: Any) -> "VerifyResult":
    """Check the chain, its keys, its anchors and its purges (gateway/audit_verify.py)."""
    from zhengwu.gateway.audit_verify import verify as _verify

    return _verify(session, **kw)


# ----------------------------------------------------------------------------------------------- export


EXPORT_FIELDS = ("id", "seq", "created_at", "department", "user", "role", "scenario", "action", "backend",
                 "model", "input_text", "output_text", "output_hash", "sources", "checks", "extra",
                 "content_hash", "expires_at", "purged_at", "prev_hash", "hash", "key_id")


def _parse_day(value: str, end: bool) -> str:
    try:
        d = datetime.fromisoformat(value)
    except ValueError as exc:
        raise ZhengwuError("bad_date", f"日期格式无效：{value}（应为 YYYY-MM-DD）",
                           f"Invalid date: {value} (expected YYYY-MM-DD)") from exc
    if d.tzinfo is None:
        d = d.replace(tzinfo=timezone.utc)
    if end and len(value) <= 10:
        d = d + timedelta(days=1)
    return now_iso(d)


def _in_range(caller: Caller | None, date_from: str | None, date_to: str | None):  # noqa: ANN202 - a Select
    """Records in a date range ([from, to], whole days), scoped to the caller's department unless admin."""
    stmt = select(AuditRecord)
    if date_from:
        stmt = stmt.where(AuditRecord.created_at >= _parse_day(date_from, False))
    if date_to:
        stmt = stmt.where(AuditRecord.created_at < _parse_day(date_to, True))
    if caller is not None and not caller.is_admin:
        stmt = stmt.where(AuditRecord.department == caller.department)
    return stmt


def query(session: Session, caller: Caller | None = None, *, date_from: str | None = None,
          date_to: str | None = None, limit: int | None = None, newest_first: bool = False) -> list[AuditRecord]:
    """Records in a date range ([from, to], whole days), scoped to the caller's department unless admin."""
    stmt = _in_range(caller, date_from, date_to)
    stmt = stmt.order_by(AuditRecord.seq.desc() if newest_first else AuditRecord.seq)
    if limit:
        stmt = stmt.limit(limit)
    return list(session.execute(stmt).scalars())


def export(session: Session, caller: Caller, *, date_from: str | None = None, date_to: str | None = None,
           fmt: str = "jsonl") -> tuple[str, int]:
    """Disclosure export (JSONL or CSV) of the records in range; the export itself is audited.

    Returns (text, number of records). The text carries no AI label: audit records are system records,
    not generated content.
    """
    if fmt not in ("jsonl", "csv"):
        raise ZhengwuError("bad_format", f"不支持的导出格式：{fmt}（jsonl 或 csv）",
                           f"Unsupported export format: {fmt} (jsonl or csv)")
    rows = query(session, caller, date_from=date_from, date_to=date_to)
    dicts = [{k: getattr(r, k) for k in EXPORT_FIELDS} for r in rows]
    if fmt == "jsonl":
        body = "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in dicts)
    else:
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=list(EXPORT_FIELDS))
        w.writeheader()
        w.writerows(dicts)
        body = buf.getvalue()
    append(session, caller=caller, scenario="audit", action="audit_export", masked=True,
           retention=(DEFAULT_RETENTION_DAYS, False),
           extra={"from": date_from, "to": date_to, "format": fmt, "records": len(dicts),
                  "first_seq": dicts[0]["seq"] if dicts else None, "last_seq": dicts[-1]["seq"] if dicts else None,
                  "export_sha256": sha256(body)})
    return body, len(dicts)


def export_to_file(session: Session, caller: Caller, out: Path, **kw: Any) -> int:
    body, n = export(session, caller, **kw)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(body, encoding="utf-8")
    return n


# ------------------------------------------------------------------------------------------------ purge


def seq_ranges(seqs: list[int]) -> list[list[int]]:
    """[1, 2, 3, 7] -> [[1, 3], [7, 7]]: a daily purge names thousands of records in a few bytes."""
    out: list[list[int]] = []
    for q in sorted(seqs):
        if out and q == out[-1][1] + 1:
            out[-1][1] = q
        else:
            out.append([q, q])
    return out


def purge(session: Session, caller: Caller, *, now: datetime | None = None) -> int:
    """Blank the content of records past their retention time, and say so inside the chain.

    The purge appends a `retention_purge` record listing the purged seqs and its time (the same stamp written
    to their `purged_at`), so verify can tell a purge from content blanked by hand, and check that it happened
    only after each record's `expires_at`. The chain stays valid: it covers `content_hash`, not the content.
    """
    moment = now or datetime.now(timezone.utc)
    stamp = now_iso(moment)
    rows = session.execute(
        select(AuditRecord.id, AuditRecord.seq).where(AuditRecord.expires_at.is_not(None),
                                                      AuditRecord.expires_at < stamp,
                                                      AuditRecord.purged_at.is_(None))).all()
    if not rows:  # nothing expired: no record, so the daily job does not fill the log with no-ops
        return 0
    ids = [r[0] for r in rows]
    for i in range(0, len(ids), 500):  # bounded IN lists
        session.execute(update(AuditRecord).where(AuditRecord.id.in_(ids[i:i + 500])).values(
            input_text=None, output_text=None, sources=None, purged_at=stamp))
    append(session, caller=caller, scenario="audit", action=PURGE_ACTION, masked=True,
           retention=(None, False), when=moment,
           extra={"purged": len(ids), "seqs": seq_ranges([r[1] for r in rows]), "at": stamp})
    return len(ids)


def record_review(session: Session, caller: Caller, *, audit_id: int, decision: str, note: str = "",
                  scenario: str = "review") -> int:
    """A reviewer's decision on a generated output (approved / rejected / edited) as its own audit event."""
    if decision not in ("approved", "rejected", "edited"):
        raise ZhengwuError("bad_decision", "审核结论须为 approved / rejected / edited。",
                           "The review decision must be approved, rejected or edited.")
    reviewed = session.get(AuditRecord, audit_id)
    if reviewed is None or (caller.department != "*" and reviewed.department != caller.department):
        raise NotFound("audit_not_found", f"找不到审计记录 {audit_id}（或不属于本部门）。",
                       f"Audit record {audit_id} not found (or not your department's).")
    return append(session, caller=caller, scenario=scenario, action="review", input_text=note or None,
                  extra={"reviewer": caller.user, "decision": decision, "reviewed_audit_id": audit_id})


def head_info(session: Session) -> dict:
    """The chain head as the database has it (seq and hash of the latest record)."""
    row = session.execute(text("SELECT seq, hash FROM gw_audit_head WHERE id = 1")).first()
    return {"seq": int(row[0]) if row else 0, "hash": row[1] if row else ""}


def anchor_head(session: Session) -> dict:
    """Write the database's current head to the anchors now (after an operator has checked a verify warning
    that the anchor file is behind, e.g. after a crash between a commit and its anchor write)."""
    from zhengwu.gateway.audit_anchors import write_anchor

    head = head_info(session)
    write_anchor(head["seq"], head["hash"])
    return head


def rotate_key() -> tuple[str, str | None]:
    """A new signing key first in the key file, the old ones kept for verification (gateway/audit_keys.py)."""
    from zhengwu.gateway.audit_keys import rotate_key as _rotate

    return _rotate()


_retention_thread: threading.Thread | None = None


def start_retention_job(interval_seconds: float = 24 * 3600) -> threading.Thread:
    """Run `purge` now and then every `interval_seconds` in a daemon thread (once per process).

    Meant for `zhengwu serve`; the CLI equivalent is `zhengwu audit purge` (e.g. from cron).
    """
    global _retention_thread
    if _retention_thread is not None and _retention_thread.is_alive():
        return _retention_thread

    def loop() -> None:
        import logging

        from zhengwu.store import session_scope

        system = Caller(user="system", department="*", role="admin")
        while True:
            try:
                with session_scope() as s:
                    purge(s, system)
            except Exception:  # noqa: BLE001 - a failed purge is retried at the next interval
                logging.getLogger("zhengwu").exception("audit retention purge failed")
            time.sleep(interval_seconds)

    _retention_thread = threading.Thread(target=loop, name="zhengwu-audit-retention", daemon=True)
    _retention_thread.start()
    return _retention_thread


def record_admin_action(session: Session, caller: Caller, action: str, *, target: str = "",
                        extra: dict | None = None) -> int:
    """An administrative action (accounts, roles, departments, keys, settings) in the same chain as every model
    interaction; administrative records keep the default retention."""
    return append(session, caller=caller, scenario="admin", action=action, input_text=target or None, masked=True,
                  retention=(DEFAULT_RETENTION_DAYS, False), extra=extra)


# ----------------------------------------------------------------------------------------------- admin console


def search(session: Session, caller: Caller, *, date_from: str | None = None, date_to: str | None = None,
           user: str | None = None, scenario: str | None = None, action: str | None = None,
           request_id: str | None = None, limit: int = 50, offset: int = 0) -> tuple[list[AuditRecord], int]:
    """A page of records, newest first, filtered like `query` (same department scoping) and by user, scenario
    and action (exact; user also matches as a prefix so "app:" finds every application key), and by the
    request id an application's support desk sees in /v1's X-Request-Id header. Returns (rows, total matching).

    The request id lives in the canonical JSON of `extra`; inside a JSON string a quote is escaped, so the
    key-and-value text `"request_id":"…"` can only match the field itself, never text quoted in another value."""
    from sqlalchemy import func

    stmt = _in_range(caller, date_from, date_to)
    if user:
        stmt = stmt.where(AuditRecord.user.startswith(user, autoescape=True) if user.endswith(":")
                          else AuditRecord.user == user)
    if scenario:
        stmt = stmt.where(AuditRecord.scenario == scenario)
    if action:
        stmt = stmt.where(AuditRecord.action == action)
    if request_id:
        stmt = stmt.where(AuditRecord.extra.contains(canonical({"request_id": request_id})[1:-1], autoescape=True))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.execute(stmt.order_by(AuditRecord.seq.desc()).limit(max(1, min(limit, 500)))
                           .offset(max(0, offset))).scalars()
    return list(rows), int(total)


def usage_counts(session: Session, *, date_from: str, date_to: str,
                 departments: set[str] | None = None) -> list[tuple[str, str, int]]:
    """(department, scenario, records) of the model and feature interactions in [from, to] (whole days),
    administrative records left out; `departments` None = all. For the usage dashboard."""
    from sqlalchemy import func

    stmt = (select(AuditRecord.department, AuditRecord.scenario, func.count(AuditRecord.id))
            .where(AuditRecord.created_at >= _parse_day(date_from, False),
                   AuditRecord.created_at < _parse_day(date_to, True), AuditRecord.scenario != "admin")
            .group_by(AuditRecord.department, AuditRecord.scenario))
    if departments is not None:
        stmt = stmt.where(AuditRecord.department.in_(sorted(departments)))
    return [(d, sc, int(n)) for d, sc, n in session.execute(stmt)]
