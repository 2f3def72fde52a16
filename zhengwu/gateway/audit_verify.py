"""Verification of the audit log against an attacker who can write the database (but not the key or anchors).

Checks, in order:
1. the chain: consecutive seqs, each `prev_hash` the previous record's hash, each record's HMAC under the key
   its `key_id` names (legacy unkeyed records are accepted only as a prefix, before the first keyed record);
2. content: the stored content matches `content_hash`, or is blank because a `retention_purge` record names the
   record, happened at or after its `expires_at`, and carries the same time as its `purged_at`;
3. the head row agrees with the last record;
4. the anchors: every line's MAC checks, every anchored seq is in the database with the anchored hash (a DB that
   ends below the highest anchor was truncated), and the signed DB chain does not run past the last anchor
   (if it does, the anchor file lost its last lines).

Without a key nothing keyed can be checked: the result says so ("cannot verify", exit code 2), never "intact".
"""

from __future__ import annotations

import hmac
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhengwu.gateway.audit import PURGE_ACTION, chain_hash, content_hash, record_mac
from zhengwu.gateway.audit_anchors import AnchorFile, read_anchors
from zhengwu.gateway.audit_keys import Keyring, load_keyring
from zhengwu.gateway.models import AuditHead, AuditRecord
from zhengwu.config import get_settings

_META_ATTRS = ("seq", "created_at", "department", "user", "role", "scenario", "action", "backend", "model",
               "output_hash", "content_hash", "checks", "extra", "expires_at", "prev_hash", "key_id")


@dataclass
class VerifyResult:
    """status: intact | tampered | anchors_behind | cannot_verify; exit_code 0 / 1 / 1 / 2."""

    ok: bool
    checked: int
    first_broken_id: int | None = None
    first_broken_seq: int | None = None
    reason: str = ""
    reason_zh: str = ""
    problems: list[str] = field(default_factory=list)
    status: str = "intact"
    anchors_checked: int = 0
    anchor_file: str = ""
    key_ids: list[str] = field(default_factory=list)
    current_key_id: str | None = None
    legacy_records: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else (2 if self.status == "cannot_verify" else 1)

    def to_dict(self) -> dict:
        return {"ok": self.ok, "status": self.status, "checked": self.checked,
                "anchors_checked": self.anchors_checked, "anchor_file": self.anchor_file,
                "key_ids": self.key_ids, "current_key_id": self.current_key_id,
                "legacy_records": self.legacy_records, "first_broken_id": self.first_broken_id,
                "first_broken_seq": self.first_broken_seq, "reason": self.reason, "reason_zh": self.reason_zh,
                "warnings": self.warnings}


class _Broken(Exception):
    def __init__(self, rid: int | None, seq: int | None, en: str, zh: str) -> None:
        super().__init__(en)
        self.rid, self.seq, self.en, self.zh = rid, seq, en, zh


def _at(rid: int | None, seq: int | None) -> tuple[str, str]:
    if rid is None:
        return f"seq {seq}", f"序号 {seq}"
    return f"record id={rid} seq={seq}", f"记录 id={rid}（序号 {seq}）"


def _broken(rid: int | None, seq: int | None, en: str, zh: str) -> _Broken:
    w_en, w_zh = _at(rid, seq)
    return _Broken(rid, seq, f"{w_en}: {en}", f"{w_zh}：{zh}")


@dataclass
class _Walk:
    n: int = 0
    last_seq: int = 0
    last_hash: str = ""
    last_id: int | None = None
    first_keyed: int | None = None
    legacy: int = 0
    key_ids: set[str] = field(default_factory=set)
    purges: dict[int, str] = field(default_factory=dict)  # seq -> time of the retention_purge naming it
    legacy_purges: list[tuple[int, int, str]] = field(default_factory=list)  # (first id, last id, time)
    claimed: list[tuple] = field(default_factory=list)  # records that are (or say they are) purged


def _check_record(w: _Walk, r: AuditRecord, ring: Keyring | None, anchored: dict[int, tuple]) -> None:
    meta = {k: getattr(r, k) for k in _META_ATTRS}
    if r.seq != w.last_seq + 1:
        raise _broken(r.id, r.seq, f"expected sequence {w.last_seq + 1}: a record was deleted or reordered",
                      f"应为序号 {w.last_seq + 1}：有记录被删除或顺序被调换")
    if r.prev_hash != w.last_hash:
        raise _broken(r.id, r.seq, "previous-hash link broken: a record before it was deleted, edited or reordered",
                      "前序哈希不符：之前的记录被删除、修改或调换")
    if r.key_id is None:
        if w.first_keyed is not None:
            raise _broken(r.id, r.seq, "unsigned record after the keyed chain began: it was rewritten without the key",
                          "密钥链开始后出现未签名记录：记录在没有密钥的情况下被改写")
        w.legacy += 1
        if chain_hash(meta) != r.hash:
            raise _broken(r.id, r.seq, "record hash mismatch: its fields were edited", "记录哈希不符：字段被修改")
    else:
        if w.first_keyed is None:
            w.first_keyed = r.seq
        w.key_ids.add(r.key_id)
        if ring is not None:
            key = ring.keys.get(r.key_id)
            if key is None:
                raise _broken(r.id, r.seq, f"signed by key {r.key_id}, which is not in the keyring: a forged "
                              "re-chain, or a retired key missing from the key file",
                              f"由密钥 {r.key_id} 签名，该密钥不在密钥环中：伪造的重签，或旧密钥未保留在密钥文件中")
            if not hmac.compare_digest(record_mac(key, meta), r.hash):
                raise _broken(r.id, r.seq, "record HMAC mismatch: its fields were edited, or the chain was "
                              "re-computed without the key", "记录 HMAC 不符：字段被修改，或有人在没有密钥的情况下重算了哈希链")
    a = anchored.get(r.seq)
    if a is not None and a[0] != r.hash:
        raise _broken(r.id, r.seq, f"differs from the chain head anchored at {a[1]} (anchor line {a[2]}): "
                      "the chain was rewritten from here", f"与 {a[1]} 锚定的链头（锚点第 {a[2]} 行）不符：哈希链自此被改写")
    blank = r.input_text is None and r.output_text is None and r.sources is None
    intact = content_hash(r.input_text, r.output_text, r.sources) == r.content_hash
    if not intact and not blank:
        raise _broken(r.id, r.seq, "content hash mismatch: its input, output or sources were edited",
                      "内容哈希不符：输入、输出或来源被修改")
    if r.purged_at or not intact:
        w.claimed.append((r.id, r.seq, r.expires_at, r.purged_at, r.key_id, blank))
    if r.action == PURGE_ACTION and r.key_id is not None:
        extra = json.loads(r.extra or "{}")
        for lo, hi in extra.get("seqs", []):
            for q in range(int(lo), int(hi) + 1):
                w.purges[q] = str(extra.get("at"))
    elif r.action == "audit_purge" and r.key_id is None:  # legacy purges named id ranges
        extra = json.loads(r.extra or "{}")
        if "first_id" in extra:
            w.legacy_purges.append((int(extra["first_id"]), int(extra["last_id"]), str(extra.get("before"))))
    w.n, w.last_seq, w.last_hash, w.last_id = w.n + 1, r.seq, r.hash, r.id


def _check_purges(w: _Walk) -> None:
    """Blank content or a purged_at must come from a purge recorded in the chain, after the record's expiry."""
    for rid, seq, expires, purged_at, kid, blank in w.claimed:
        at = w.purges.get(seq)
        if at is None and kid is None:
            at = next((t for lo, hi, t in w.legacy_purges if lo <= rid <= hi), None)
        if at is None:
            early = " (and purged_at is before its expiry)" if purged_at and expires and purged_at < expires else ""
            early_zh = "（且清除时间早于到期时间）" if early else ""
            raise _broken(rid, seq, f"content blanked or purged_at set, but no retention_purge record names it{early}: "
                          "a fake purge", f"内容被清空或设置了清除时间，但没有任何保留期清除记录包含它{early_zh}：伪造的清除")
        if not expires or at < expires:
            raise _broken(rid, seq, f"purged at {at}, before its expiry {expires}",
                          f"清除时间 {at} 早于到期时间 {expires}")
        if purged_at != at and kid is not None:
            raise _broken(rid, seq, f"purged_at {purged_at} differs from its purge record ({at}): edited",
                          f"清除时间 {purged_at} 与清除记录（{at}）不符：被修改")
        if not blank:
            raise _broken(rid, seq, "content present in a purged record", "已清除的记录中出现内容")


def _check_anchors(w: _Walk, af: AnchorFile, ring: Keyring) -> int:
    """Anchor-file integrity and truncation; returns the number of anchors checked."""
    if af.bad_lines:
        raise _broken(None, None, f"anchor file line {af.bad_lines[0]} is not a valid anchor: the anchor file "
                      "was edited", f"锚点文件第 {af.bad_lines[0]} 行不是有效锚点：锚点文件被修改")
    for a in af.anchors:
        if a.mac_ok is None:
            raise _broken(None, a.seq, f"anchor line {a.line} is signed by key {a.kid}, which is not in the keyring",
                          f"锚点第 {a.line} 行由不在密钥环中的密钥 {a.kid} 签名")
        if not a.mac_ok:
            raise _broken(None, a.seq, f"anchor line {a.line} fails its HMAC: the anchor file was edited",
                          f"锚点第 {a.line} 行 HMAC 校验失败：锚点文件被修改")
    top = max(af.anchors, key=lambda a: a.seq, default=None)
    if top is not None and top.seq > w.last_seq:
        raise _broken(None, w.last_seq + 1, f"the database ends at seq {w.last_seq} but seq {top.seq} was anchored "
                      f"at {top.at} (anchor line {top.line}): the latest records were deleted and the head moved back",
                      f"数据库止于序号 {w.last_seq}，但锚点文件（第 {top.line} 行，{top.at}）记录了序号 {top.seq}："
                      "最新记录被删除、链头被回拨")
    return len(af.anchors)


def _anchors_behind(w: _Walk, ring: Keyring, path) -> tuple[int, int] | None:  # noqa: ANN001
    """(last anchored seq, last DB seq) when signed DB records run past the anchor file, else None.

    Read after the DB walk (and once more after a short pause, for an append between its commit and its anchor
    write), so records committed while verify ran are not mistaken for lost anchors.
    """
    if w.first_keyed is None:
        return None
    for attempt in range(2):
        af = read_anchors(ring, path)
        top = max((a.seq for a in af.anchors if a.mac_ok), default=0)
        if top >= w.last_seq:
            return None
        if attempt == 0:
            time.sleep(0.2)
    return top, w.last_seq


def _check_beyond(session: Session, head_seq: int, w: _Walk) -> None:
    """Records past the head read first are newer commits, which moved the head with them, or records inserted
    behind the application's back, which did not: the head read again must reach them (they are walked next time)."""
    top = session.scalar(select(func.max(AuditRecord.seq)).where(AuditRecord.seq > head_seq))
    if top is None:
        return
    now = session.scalar(select(AuditHead.seq).where(AuditHead.id == 1))
    if now is None or int(now) < int(top):
        raise _Broken(w.last_id, int(top), f"records up to seq {top} lie beyond the chain head ({now}): inserted "
                      "outside the application", f"序号至 {top} 的记录超出链头（{now}）：系在应用之外插入")


def verify(session: Session, *, anchor_file: str | None = None) -> VerifyResult:
    """Verify the audit log; the result names the first broken record with reasons in Chinese and English."""
    ring = load_keyring(create=False)
    path = Path(anchor_file) if anchor_file else get_settings().resolved_audit_anchor_file
    af = read_anchors(ring, path) if ring else None  # read BEFORE the DB: every anchor in it is committed
    anchored = {a.seq: (a.hash, a.at, a.line) for a in af.anchors if a.mac_ok} if af else {}
    w = _Walk()
    res = VerifyResult(True, 0, anchor_file=str(path), current_key_id=ring.current if ring else None)
    try:
        # The head is read first and the walk stops at its seq: a record and the head move in one transaction, so
        # what a writer commits while verify runs lies beyond it (each SELECT may see a newer state).
        head = session.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)).first()
        stmt = select(AuditRecord).order_by(AuditRecord.seq, AuditRecord.id)
        if head is not None:
            stmt = stmt.where(AuditRecord.seq <= int(head[0]))
        for r in session.execute(stmt).scalars():
            _check_record(w, r, ring, anchored)
        _check_purges(w)
        if head is not None:
            _check_beyond(session, int(head[0]), w)
        if head is None or int(head[0]) != w.n or (head[1] or "") != w.last_hash:
            raise _Broken(w.last_id, w.n or None,
                          f"chain head expects {head[0] if head else '?'} records ending in "
                          f"{str(head[1] if head else '')[:12]}, found {w.n}: the latest records were deleted",
                          f"链头记录数 {head[0] if head else '?'} 与实际 {w.n} 不符：最新记录被删除")
        if ring is not None and af is not None:
            res.anchors_checked = _check_anchors(w, af, ring)
    except _Broken as b:
        res.ok, res.status, res.first_broken_id, res.first_broken_seq = False, "tampered", b.rid, b.seq
        res.reason, res.reason_zh, res.problems = b.en, b.zh, [b.en]
    res.checked, res.legacy_records, res.key_ids = w.n, w.legacy, sorted(w.key_ids)
    keyfile = get_settings().resolved_audit_key_file
    if not get_settings().audit_key and keyfile.exists() and keyfile.stat().st_mode & 0o077:
        res.warnings.append(f"the key file {keyfile} is readable by others than its owner: chmod 600")
    if w.legacy:
        res.warnings.append(f"{w.legacy} legacy records (plain SHA-256, before the keyed chain): protected by the "
                            "first keyed record's link and the anchors only")
    if not res.ok:
        return res
    if ring is None:
        where = "ZHENGWU_AUDIT_KEY" if get_settings().audit_key else str(get_settings().resolved_audit_key_file)
        res.ok, res.status = False, "cannot_verify"
        res.reason = (f"cannot verify: no audit key ({where}); without it a log that was edited and re-chained "
                      "cannot be told from an untouched one. Restore the key from its backup")
        res.reason_zh = f"无法校验：找不到审计密钥（{where}）；没有密钥，无法区分被修改并重算的日志与未被改动的日志。请从备份恢复密钥"
        return res
    behind = _anchors_behind(w, ring, path)
    if behind is not None:
        top, last = behind
        missing = "is missing" if not path.exists() else f"ends at seq {top}"
        missing_zh = "不存在" if not path.exists() else f"止于序号 {top}"
        res.ok, res.status, res.first_broken_seq = False, "anchors_behind", top + 1
        res.reason = (f"the anchor file {missing} but the database's correctly signed chain goes on to seq {last}: "
                      "the anchor file was truncated (or its writes failed); the database chain itself verifies")
        res.reason_zh = (f"锚点文件{missing_zh}，而数据库中签名正确的哈希链延续到序号 {last}：锚点文件被截断"
                         "（或写入失败）；数据库哈希链本身校验通过")
        res.problems = [res.reason]
    return res
