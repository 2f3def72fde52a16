"""Chain-head anchors: checkpoints of the audit chain written outside the database.

A keyed chain stops edits, but someone who can write the database can still delete the latest records and move
the head back: what is left is a valid prefix. So every committed append also writes the new head, signed, to an
append-only file (setting `audit_anchor_file`) and optionally to syslog (`audit_syslog`):

    {"seq": 42, "hash": "<record hmac>", "at": "<utc iso>", "kid": "<key id>", "mac": HMAC(key, "42|hash|at")}

Verification then requires that every anchored seq is still in the database with the same hash.

Anchors are written after COMMIT, never before: a record whose transaction rolls back must not leave an anchor
(verify would call its absence a truncation). `append` only marks the session; at `before_commit` the head is
read inside the committing transaction (so appends undone by a rolled-back savepoint are not anchored), and at
`after_commit` of the outermost transaction the line is written. A crash between the two loses at most that
one anchor; `zhengwu audit anchor` re-anchors the current head after an operator has looked.
"""

from __future__ import annotations

import hmac
import json
import logging
import logging.handlers
import os
import re
import socket
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import event, text
from sqlalchemy.orm import Session

from zhengwu.config import get_settings
from zhengwu.gateway.audit_keys import Keyring, load_keyring, mac

_log = logging.getLogger("zhengwu.audit")
_PENDING = "zw_audit_appended"  # session.info: this transaction appended a record
_TO_ANCHOR = "zw_audit_anchor"  # session.info: (seq, hash) read at before_commit
_SAFE = re.compile(r"[0-9a-f]*")
_READ_HEAD = text("SELECT seq, hash FROM gw_audit_head WHERE id = 1")


def anchor_mac(key: bytes, seq: int, hash_: str, at: str) -> str:
    return mac(key, f"{seq}|{hash_}|{at}")


def anchor_line(ring: Keyring, seq: int, hash_: str, at: str | None = None) -> str:
    """One checkpoint line (JSON, no newline) signed with the current key."""
    at = at or datetime.now(timezone.utc).isoformat(timespec="microseconds")
    m = anchor_mac(ring.signer(), seq, hash_, at)
    if not _SAFE.fullmatch(hash_):  # the head came from the database: never trust it to be plain hex
        return json.dumps({"seq": seq, "hash": hash_, "at": at, "kid": ring.current, "mac": m},
                          separators=(",", ":"))
    # every value is an int or plain ASCII (hex, ISO time), so formatting by hand is valid JSON and cheaper
    return f'{{"seq":{int(seq)},"hash":"{hash_}","at":"{at}","kid":"{ring.current}","mac":"{m}"}}'


def write_anchor(seq: int, hash_: str) -> None:
    """Append a signed checkpoint of the chain head to the anchor file (O_APPEND, 0600) and the syslog sink."""
    if seq <= 0:
        return
    ring = load_keyring(create=True)
    if ring is None:
        return
    line = anchor_line(ring, seq, hash_)
    path = _anchor_path()
    data = (line + "\n").encode("ascii")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    except FileNotFoundError:
        Path(path).parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, data)  # one write() of a short line with O_APPEND: lines of concurrent writers never mix
    finally:
        os.close(fd)
    sink = _syslog_logger()
    if sink is not None:
        sink.info("zhengwu-audit-anchor %s", line)


_path_cache: tuple[tuple, str] | None = None


def _anchor_path() -> str:
    """The anchor file's path as a string, resolved once per settings (this runs on every gateway call)."""
    global _path_cache
    s = get_settings()
    where = (s.audit_anchor_file, s.data_dir)
    cached = _path_cache
    if cached is None or cached[0] != where:
        cached = _path_cache = (where, str(s.resolved_audit_anchor_file))
    return cached[1]


_syslog: tuple[str, logging.Logger | None] = ("", None)


def _syslog_logger() -> logging.Logger | None:
    """A logger bound to the `audit_syslog` target, built once per target value (not per call)."""
    global _syslog
    target = get_settings().audit_syslog
    if not target:
        return None
    if _syslog[0] == target:
        return _syslog[1]
    if target.startswith("unix:"):
        handler = logging.handlers.SysLogHandler(address=target[5:])
    else:
        scheme, _, rest = target.partition("://")
        host, _, port = rest.rpartition(":")
        kind = socket.SOCK_STREAM if scheme == "tcp" else socket.SOCK_DGRAM
        handler = logging.handlers.SysLogHandler(address=(host or "127.0.0.1", int(port or 514)), socktype=kind,
                                                 facility=logging.handlers.SysLogHandler.LOG_AUTHPRIV)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger(f"zhengwu.audit.anchor.{len(target)}.{abs(hash(target))}")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO)
    logger.propagate = False
    _syslog = (target, logger)
    return logger


# ------------------------------------------------------------------------------------- session hooks


def mark_appended(session: Session) -> None:
    """Called by `append`: anchor this session's head when (and only if) its transaction commits."""
    session.info[_PENDING] = True


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    if not session.info.get(_PENDING) or session.in_nested_transaction():
        return
    row = session.connection().execute(_READ_HEAD).first()
    session.info[_TO_ANCHOR] = (int(row[0]), row[1] or "") if row else None


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return
    head = session.info.pop(_TO_ANCHOR, None)
    session.info.pop(_PENDING, None)
    if head:
        try:
            write_anchor(*head)
        except Exception:  # noqa: BLE001 - the record is committed; a missing anchor is reported by verify
            _log.exception("audit anchor write failed (seq %s)", head[0])


@event.listens_for(Session, "after_transaction_end")
def _after_end(session: Session, transaction) -> None:  # noqa: ANN001
    if transaction.parent is None:  # the outermost transaction ended (committed or rolled back)
        session.info.pop(_PENDING, None)
        session.info.pop(_TO_ANCHOR, None)


# ------------------------------------------------------------------------------------------ reading


@dataclass
class Anchor:
    line: int
    seq: int
    hash: str
    at: str
    kid: str
    mac_ok: bool | None  # None: signed by a key not in the keyring


@dataclass
class AnchorFile:
    path: Path
    exists: bool
    anchors: list[Anchor]
    bad_lines: list[int]  # not JSON / missing fields: the file was edited


def read_anchors(ring: Keyring, path: Path | None = None) -> AnchorFile:
    """Parse and check every line's MAC (lines may be out of seq order: concurrent writers commit in any order)."""
    path = path or get_settings().resolved_audit_anchor_file
    if not path.exists():
        return AnchorFile(path, False, [], [])
    anchors, bad = [], []
    with path.open("r", encoding="utf-8", errors="replace") as f:
        for n, raw in enumerate(f, 1):
            raw = raw.strip()
            if not raw:
                continue
            try:
                d = json.loads(raw)
                seq, h, at, kid, m = int(d["seq"]), str(d["hash"]), str(d["at"]), str(d["kid"]), str(d["mac"])
            except (ValueError, KeyError, TypeError):
                bad.append(n)
                continue
            key = ring.keys.get(kid)
            ok = None if key is None else hmac.compare_digest(anchor_mac(key, seq, h, at), m)
            anchors.append(Anchor(n, seq, h, at, kid, ok))
    return AnchorFile(path, True, anchors, bad)
