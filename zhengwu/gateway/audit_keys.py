"""The audit log's HMAC keyring, kept outside the database.

A plain hash chain only proves that records fit together; anyone who can write the database can recompute it.
The chain is therefore an HMAC-SHA256 chain under a key that lives in a file (or the environment), never in the
database: without the key, an edited record cannot be re-signed.

The keyring is a list of keys, the current (signing) key first and retired keys after it, so that records
signed before a rotation still verify. Each record stores the id of the key that signed it (`key_id`, the first
8 hex digits of sha256(key)). Sources, in order:

- setting `audit_key` (env `ZHENGWU_AUDIT_KEY`): hex keys separated by commas — for several app servers that
  must share one key;
- the file `audit_key_file` (default `<data_dir>/keys/audit.key`): one hex key per line, created 0600 (directory
  0700) with 32 random bytes by the first append.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from zhengwu.config import get_settings
from zhengwu.errors import ZhengwuError


@dataclass(frozen=True)
class Keyring:
    """Keys by id; `current` signs new records and anchors, the others only verify."""

    keys: dict[str, bytes]
    current: str
    source: str

    def signer(self) -> bytes:
        return self.keys[self.current]


def key_id(key: bytes) -> str:
    """Public name of a key (safe to store next to the records it signed)."""
    return hashlib.sha256(key).hexdigest()[:8]


def mac(key: bytes, data: str) -> str:
    """HMAC-SHA256 of UTF-8 text, hex (the same width as the SHA-256 it replaces in the `hash` column)."""
    return hmac.new(key, data.encode("utf-8"), hashlib.sha256).hexdigest()


def _parse(text_: str, source: str) -> Keyring | None:
    keys: dict[str, bytes] = {}
    current = ""
    for part in text_.replace(",", "\n").splitlines():
        part = part.strip()
        if not part or part.startswith("#"):
            continue
        try:
            k = bytes.fromhex(part)
        except ValueError as exc:
            raise ZhengwuError("bad_audit_key", f"审计密钥格式无效（应为十六进制）：{source}",
                               f"Invalid audit key (expected hex): {source}") from exc
        if len(k) < 16:
            raise ZhengwuError("bad_audit_key", f"审计密钥太短（至少 16 字节）：{source}",
                               f"Audit key too short (at least 16 bytes): {source}")
        kid = key_id(k)
        keys.setdefault(kid, k)
        current = current or kid
    return Keyring(keys, current, source) if keys else None


_cache: dict[tuple, Keyring | None] = {}
_lock = threading.Lock()


def _file_state(path: Path) -> tuple | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


_fast: tuple[tuple, float, Keyring] | None = None  # (where the key comes from, valid until, ring): per call
_RECHECK_SECONDS = 1.0


def load_keyring(create: bool = False) -> Keyring | None:
    """The keyring, or None when there is no key (verification then refuses to say "intact").

    `create=True` (the appending side) makes a new key file on first use. Appends run on every gateway call, so
    the file is re-checked (stat) at most once a second: a rotation by another process is picked up within 1 s.
    Verification (`create=False`) always re-reads.
    """
    global _fast
    s = get_settings()
    where = (s.audit_key, s.audit_key_file, s.data_dir)
    if create:
        fast = _fast
        if fast is not None and fast[0] == where and time.monotonic() < fast[1]:
            return fast[2]
    ring = _load(s, create)
    if create and ring is not None:
        _fast = (where, time.monotonic() + _RECHECK_SECONDS, ring)
    return ring


def _load(s, create: bool) -> Keyring | None:  # noqa: ANN001
    if s.audit_key:
        ck = ("env", s.audit_key)
        if ck not in _cache:
            _cache[ck] = _parse(s.audit_key, "ZHENGWU_AUDIT_KEY")
        return _cache[ck]
    path = s.resolved_audit_key_file
    state = _file_state(path)
    if state is None:
        if not create:
            return None
        _create_key_file(path)
        state = _file_state(path)
    ck = ("file", str(path), state)
    ring = _cache.get(ck)
    if ring is None:
        with _lock:
            ring = _parse(path.read_text(encoding="ascii"), str(path))
            if len(_cache) > 32:
                _cache.clear()
            _cache[ck] = ring
    return ring


def _write_new(path: Path, body: str) -> Path:
    """Write `body` to a new 0600 temp file next to `path` (the caller links or renames it into place)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, body.encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    return tmp


def _create_key_file(path: Path) -> None:
    """Create the key file once, even with several processes racing (link() fails if it already exists)."""
    tmp = _write_new(path, secrets.token_bytes(32).hex() + "\n")
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass  # another process won: use its key
    finally:
        os.unlink(tmp)


def rotate_key() -> tuple[str, str | None]:
    """Put a new signing key first in the key file, keeping the old ones for verification.

    Returns (new key id, previous key id). With `audit_key` set in the environment the operator rotates by hand
    (new key first, old keys after a comma), so this refuses.
    """
    s = get_settings()
    if s.audit_key:
        raise ZhengwuError("audit_key_in_env", "审计密钥由环境变量 ZHENGWU_AUDIT_KEY 提供：请手工轮换（新密钥在前，旧密钥用逗号隔开保留在后）。",
                           "The audit key comes from ZHENGWU_AUDIT_KEY: rotate it by hand (new key first, "
                           "old keys kept after a comma).")
    path = s.resolved_audit_key_file
    old = load_keyring(create=False)
    new = secrets.token_bytes(32)
    lines = [new.hex()] + ([k.hex() for k in old.keys.values()] if old else [])
    tmp = _write_new(path, "\n".join(lines) + "\n")
    os.replace(tmp, path)
    global _fast
    _fast = None
    return key_id(new), old.current if old else None
