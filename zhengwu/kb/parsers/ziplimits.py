"""Zip-bomb guard for every ZIP-based file zhengwu accepts (DOCX, XLSX, DOTX, PPTX, OFD …).

Why one module: a small archive can inflate to gigabytes, and the sizes written in its headers can lie. The
standard library's `ZipFile.read()` inflates a member in one call (up to 2 GB at once) *before* cutting it to
the declared size, and python-docx and openpyxl read members that way. So nothing is trusted here:

- `check_zip(path, kind)` first checks the declared sizes (cheap), then streams every member through its own
  inflater in small chunks, counting the REAL bytes of the whole compressed stream, and refuses the file
  when a member or the archive passes its cap, a member's expansion ratio is too high, a member inflates to
  a size other than the one declared, or its CRC is wrong. After it passes, each member inflates to exactly
  its declared size, so handing the file to python-docx / openpyxl is bounded by the caps.
- `safe_zip(path)` is a `ZipFile` whose `open()` / `read()` enforce the same caps while streaming, for code
  that reads members itself.

The limits come from settings (`zip_max_member_mb`, `zip_max_total_mb`, `zip_max_ratio`; env
`ZHENGWU_ZIP_MAX_MEMBER_MB` …), see docs/configuration.md.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from zhengwu.config import get_settings
from zhengwu.kb.parsers.base import ParseError

MAX_MEMBERS = 10_000
RATIO_FLOOR = 1024 * 1024  # the ratio is judged only once a member has produced this many real bytes
ZIP_SUFFIXES = frozenset({".docx", ".docm", ".dotx", ".xlsx", ".xlsm", ".xltx", ".pptx", ".ofd"})
_CHUNK = 64 * 1024
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")  # signature, 5 shorts, crc, sizes, name and extra lengths


@dataclass
class ZipLimits:
    """Caps on real (inflated) bytes: per member, for the whole archive, and the expansion ratio."""

    member_bytes: int
    total_bytes: int
    ratio: int


def limits() -> ZipLimits:
    """The configured caps (settings zip_max_member_mb, zip_max_total_mb, zip_max_ratio)."""
    s = get_settings()
    return ZipLimits(int(getattr(s, "zip_max_member_mb", 100)) * 1048576,
                     int(getattr(s, "zip_max_total_mb", 200)) * 1048576, int(getattr(s, "zip_max_ratio", 100)))


def _bomb(path: Path | str, zh_why: str, en_why: str) -> ParseError:
    return _status(ParseError(path, "zip_bomb", f"疑似压缩炸弹（{zh_why}），已拒绝。",
                              f"suspected zip bomb ({en_why}); refused."))


def _corrupt(path: Path | str, kind: str, detail: str) -> ParseError:
    return ParseError(path, "corrupt_file", f"文件已损坏，不是有效的 {kind} 文件（{detail}）。",
                      f"the file is damaged, not a valid {kind} file ({detail}).")


class _Budget:
    """Real bytes inflated so far in one archive, against the total cap."""

    def __init__(self, path: Path | str, lim: ZipLimits) -> None:
        self.path, self.lim, self.total = path, lim, 0

    def add(self, n: int) -> None:
        self.total += n
        if self.total > self.lim.total_bytes:
            mb = self.lim.total_bytes // 1048576
            raise _bomb(self.path, f"解压后总量超过 {mb} MB 上限", f"more than {mb} MB in total once decompressed")


def _data_offset(fh: io.BufferedReader, info: zipfile.ZipInfo) -> int:
    fh.seek(info.header_offset)
    head = fh.read(_LOCAL_HEADER.size)
    if len(head) != _LOCAL_HEADER.size or head[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"bad local header for {info.filename}")
    fields = _LOCAL_HEADER.unpack(head)
    return info.header_offset + _LOCAL_HEADER.size + fields[9] + fields[10]  # name and extra lengths


def iter_member(fh: io.BufferedReader, info: zipfile.ZipInfo, budget: _Budget) -> Iterator[bytes]:
    """The real inflated bytes of one member, in chunks of at most 64 KB, counted against the caps while they
    are produced; the whole compressed stream is inflated (not only the declared size) and must match the
    declared size and CRC."""
    path, lim = budget.path, budget.lim
    if info.flag_bits & 0x1:
        raise ParseError(path, "encrypted", "压缩包内的文件已加密，无法读取。", "a member of the archive is encrypted.")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise _corrupt(path, "ZIP", f"unsupported compression {info.compress_type}")
    fh.seek(_data_offset(fh, info))
    left = info.compress_size
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    real, crc = 0, 0

    def count(data: bytes) -> bytes:
        nonlocal real, crc
        real += len(data)
        budget.add(len(data))
        if real > lim.member_bytes:
            mb = lim.member_bytes // 1048576
            raise _bomb(path, f"{info.filename} 解压后超过 {mb} MB", f"{info.filename} is over {mb} MB once decompressed")
        if real > RATIO_FLOOR and real / max(info.compress_size, 1) > lim.ratio:
            raise _bomb(path, f"{info.filename} 压缩比超过 {lim.ratio}:1",
                        f"{info.filename} expands more than {lim.ratio}:1")
        crc = zlib.crc32(data, crc)
        return data

    pending = b""
    while True:
        if not pending and left > 0:
            pending = fh.read(min(_CHUNK, left))
            if not pending:
                raise _corrupt(path, "ZIP", f"{info.filename} is truncated")
            left -= len(pending)
        if inflater is None:
            if not pending:
                break
            data, pending = pending, b""
        else:
            try:
                data = inflater.decompress(pending, _CHUNK)  # never more than 64 KB of output per call
            except zlib.error as exc:
                raise _corrupt(path, "ZIP", f"{info.filename}: {exc}") from None
            pending = inflater.unconsumed_tail
            if not data and not pending and (left <= 0 or inflater.eof):
                break  # all input used and nothing more comes out (eof, or a truncated stream: size check below)
        if data:
            yield count(data)
    if real != info.file_size:
        raise _bomb(path, f"{info.filename} 声明 {info.file_size} 字节，实际解压 {real} 字节",
                    f"{info.filename} declares {info.file_size} bytes but inflates to {real}")
    if crc != info.CRC:
        raise _corrupt(path, "ZIP", f"{info.filename}: bad CRC-32")


def _check_declared(path: Path | str, infos: list[zipfile.ZipInfo], lim: ZipLimits) -> None:
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    big = next((i for i in infos if i.file_size > lim.member_bytes
                or (i.file_size > RATIO_FLOOR and i.file_size / max(i.compress_size, 1) > lim.ratio)), None)
    if len(infos) > MAX_MEMBERS or total > lim.total_bytes or (total > RATIO_FLOOR and total / packed > lim.ratio) or big:
        raise _status(ParseError(path, "zip_bomb",
                         f"疑似压缩炸弹：解压后 {total / 1048576:.0f} MB（压缩比 {total / packed:.0f}:1），"
                         f"超过上限 {lim.total_bytes // 1048576} MB / {lim.ratio}:1，已拒绝。",
                         f"suspected zip bomb: {total / 1048576:.0f} MB once decompressed (ratio {total / packed:.0f}:1), "
                         f"over the limit of {lim.total_bytes // 1048576} MB / {lim.ratio}:1; refused."))


def _status(err: ParseError) -> ParseError:
    err.status = 413
    return err


class SafeZip(zipfile.ZipFile):
    """A read-only ZipFile whose `open()` and `read()` inflate through the guard (caps on real bytes)."""

    def __init__(self, path: Path | str, lim: ZipLimits | None = None) -> None:
        super().__init__(path, "r")
        self._lim = lim or limits()
        self._budget = _Budget(path, self._lim)
        _check_declared(path, self.infolist(), self._lim)

    def open(self, name, mode: str = "r", pwd: bytes | None = None, *, force_zip64: bool = False):  # noqa: ANN001, ANN201
        if mode != "r":
            raise ValueError("SafeZip is read-only")
        info = name if isinstance(name, zipfile.ZipInfo) else self.getinfo(name)
        fh = open(self.filename, "rb")  # noqa: SIM115 - closed by the reader below
        return io.BufferedReader(_MemberReader(fh, iter_member(fh, info, self._budget)), _CHUNK)

    def read(self, name, pwd: bytes | None = None) -> bytes:  # noqa: ANN001
        with self.open(name) as member:
            return member.read()


class _MemberReader(io.RawIOBase):
    def __init__(self, fh: io.BufferedReader, chunks: Iterator[bytes]) -> None:
        self._fh, self._chunks, self._buf = fh, chunks, b""

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # noqa: ANN001
        while not self._buf:
            try:
                self._buf = next(self._chunks)
            except StopIteration:
                return 0
        n = min(len(b), len(self._buf))
        b[:n], self._buf = self._buf[:n], self._buf[n:]
        return n

    def close(self) -> None:
        self._fh.close()
        super().close()


def safe_zip(path: Path | str) -> SafeZip:
    """Open a ZIP-based file for reading through the guard; raises ParseError (bilingual) when it is not a zip
    or its declared sizes already pass the caps."""
    try:
        return SafeZip(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _corrupt(path, "ZIP", str(exc)) from None


def check_zip(path: Path | str, kind: str = "ZIP") -> None:
    """Refuse (ParseError, bilingual) a file that is not a readable zip or that inflates past the caps.

    Streams every member once through the guard (memory stays at a few chunks), so a library that opens the
    archive itself afterwards (python-docx, openpyxl) inflates no member beyond its checked, declared size."""
    try:
        zf = SafeZip(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _corrupt(path, kind, str(exc)) from None
    try:
        with zf, open(path, "rb") as fh:
            for info in zf.infolist():
                if not info.is_dir():
                    for _ in iter_member(fh, info, zf._budget):
                        pass
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise _corrupt(path, kind, str(exc)) from None


def is_zip_based(path: Path | str) -> bool:
    """Whether the guard applies: a ZIP-based suffix, or any file that starts like a zip."""
    p = Path(path)
    if p.suffix.lower() in ZIP_SUFFIXES:
        return True
    try:
        with open(p, "rb") as fh:
            return fh.read(4) == b"PK\x03\x04"
    except OSError:
        return False
