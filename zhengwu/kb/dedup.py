"""Near-duplicate documents: the same notice reposted by several sites is one group, shown once.

Why: a corpus gathered from government sites holds the same notice two or three times (reposted by a
ministry, a province and a city). Shown as separate hits they crowd out other documents, and a citation of
one copy looks wrong to a scorer that expects another. Grouped, search shows one copy with "同文另见" and
all its sources, and a citation of any copy is a citation of the group. Validity still applies per copy:
every copy keeps its own validity, and search prefers a copy in force.

Method: the set of character 5-grams (shingles) of the text without whitespace and punctuation, a MinHash
signature of NUM_PERM permutations stored on the document; two documents are near-duplicates when the
estimated Jaccard similarity of their shingle sets is at least THRESHOLD (0.8; the estimate's standard
error at 0.8 is about 0.035 with 128 permutations). Two versions of one law (different dates or different
validity) are not grouped: they are different documents, not copies.
"""

from __future__ import annotations

import re
import zlib

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from zhengwu.kb.models import Document

SHINGLE = 5
NUM_PERM = 128
THRESHOLD = 0.8
_rng = np.random.RandomState(20261129)  # fixed: signatures must be comparable across runs and processes
_SEEDS = _rng.randint(0, 2**63 - 1, size=NUM_PERM, dtype=np.int64).astype(np.uint64)


_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)
_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: a well-mixed 64-bit hash (a linear (a*h+b) mod p family correlates small inputs
    across permutations, which made unrelated short texts look alike)."""
    return _mix_into(x.copy(), np.empty_like(x))


def _mix_into(x: np.ndarray, tmp: np.ndarray) -> np.ndarray:
    """`_mix` of x computed in x itself (tmp: scratch of x's shape): the same values, no temporary arrays."""
    np.right_shift(x, _S30, out=tmp)
    x ^= tmp
    x *= _M1
    np.right_shift(x, _S27, out=tmp)
    x ^= tmp
    x *= _M2
    np.right_shift(x, _S31, out=tmp)
    x ^= tmp
    return x


_DROP = re.compile(r"[\s\W_]+", re.UNICODE)
_BLOCK = 2048  # shingles hashed at once by `signature` (NUM_PERM x _BLOCK x 8 bytes = 2 MB)
PIECE = 524_288  # shingle starts per piece: a set of at most ~40 MB of short strings per process


def shingles(text: str, n: int = SHINGLE) -> set[str]:
    """Character n-grams of `text` with whitespace and punctuation removed (layout differences vanish)."""
    t = _DROP.sub("", text or "")
    if len(t) <= n:
        return {t} if t else set()
    return {t[i:i + n] for i in range(len(t) - n + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def pieces(text: str, size: int | None = None) -> list[str]:
    """The text without whitespace and punctuation, cut into pieces of `size` shingle starts that overlap by
    SHINGLE - 1 characters: every shingle of the whole text is a shingle of one piece, and a piece's shingle set
    stays small (a 10 MB text's whole set was 300 MB of Python strings)."""
    size = size or PIECE
    t = _DROP.sub("", text or "")
    if len(t) <= SHINGLE:
        return [t] if t else []
    return [t[i:i + size + SHINGLE - 1] for i in range(0, len(t) - SHINGLE + 1, size)]


def _crc_table() -> np.ndarray:
    """zlib's CRC-32 table (reflected polynomial 0xEDB88320), one entry per byte value."""
    c = np.arange(256, dtype=np.uint32)
    for _ in range(8):
        c = np.where(c & 1, (c >> np.uint32(1)) ^ np.uint32(0xEDB88320), c >> np.uint32(1))
    return c.astype(np.uint32)


_CRC = _crc_table()
_UTF8_LIMITS = (0x80, 0x800, 0x10000)  # a code point from each takes one more UTF-8 byte


def shingle_hashes(piece: str) -> np.ndarray:
    """zlib.crc32 of the UTF-8 of every SHINGLE-character window of `piece` (uint32, repeats kept).

    Why computed this way: a Python set of every shingle string, each encoded and hashed apart, was half of a
    text's MinHash. Here each window's CRC runs byte by byte over all windows at once (numpy): SHINGLE characters
    of at most 4 UTF-8 bytes are at most 20 table steps over the whole piece."""
    cp = np.frombuffer(piece.encode("utf-32-le"), dtype=np.uint32)
    size = 1 + sum((cp >= lim).astype(np.uint8) for lim in _UTF8_LIMITS)  # UTF-8 bytes of each character
    lead = np.array([0, 0x00, 0xC0, 0xE0, 0xF0], dtype=np.uint32)[size]
    # byte j of each character's UTF-8 (for j < its size): the lead byte, then continuation bytes
    shift = (size.astype(np.uint32) - 1) * 6
    utf8 = [(lead | (cp >> shift)) & 0xFF]
    for j in range(1, int(size.max(initial=1))):
        utf8.append((0x80 | (cp >> np.where(shift >= 6 * j, shift - 6 * j, 0)) & 0x3F).astype(np.uint32))
    n = len(cp) - SHINGLE + 1
    crc = np.full(n, 0xFFFFFFFF, dtype=np.uint32)
    for k in range(SHINGLE):  # the k-th character of every window
        for j, byte in enumerate(utf8):
            step = _CRC[(crc ^ byte[k:k + n]) & 0xFF] ^ (crc >> np.uint32(8))
            crc = step if j == 0 else np.where(size[k:k + n] > j, step, crc)
    return crc ^ np.uint32(0xFFFFFFFF)


def piece_minima(piece: str) -> np.ndarray:
    """The NUM_PERM minima (uint64) of one piece's shingles. Why minima: the minimum over the whole text is the
    minimum of the pieces' minima, so pieces can be hashed apart (in any process) and give the same signature."""
    best = np.full(NUM_PERM, np.iinfo(np.uint64).max, dtype=np.uint64)
    if len(piece) <= SHINGLE:
        h = np.array([zlib.crc32(piece.encode())], dtype=np.uint64)
    else:  # a shingle seen twice has the same hash and the same minima: the distinct hashes are enough
        h = np.unique(shingle_hashes(piece)).astype(np.uint64)
    # in blocks, in place (no temporaries): NUM_PERM x all shingles of a 10 MB text at once would be 3.5 GB
    x = np.empty((NUM_PERM, min(_BLOCK, len(h))), dtype=np.uint64)
    tmp = np.empty_like(x)
    with np.errstate(over="ignore"):  # multiplication modulo 2**64 is intended
        h = _mix(h)
        for i in range(0, len(h), _BLOCK):
            block = h[i:i + _BLOCK]
            xv, tv = x[:, :len(block)], tmp[:, :len(block)]
            np.bitwise_xor(block[None, :], _SEEDS[:, None], out=xv)
            np.minimum(best, _mix_into(xv, tv).min(axis=1), out=best)
    return best


def combine(minima: list[np.ndarray]) -> np.ndarray:
    """The signature (NUM_PERM uint32) from the minima of a text's pieces (none: the empty text's)."""
    if not minima:
        return np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
    return (np.minimum.reduce(minima) >> np.uint64(32)).astype(np.uint32)


def signature(text: str) -> np.ndarray:
    """MinHash signature (NUM_PERM uint32) of the text's shingle set (kb/parallel.py hashes a large text's
    pieces on every core)."""
    return combine([piece_minima(p) for p in pieces(text)])


def similarity(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.mean(sig_a == sig_b))


def _same_edition(a: Document, b: Document) -> bool:
    """Copies, not versions: the same validity, and no two different dates of the same kind."""
    if (a.validity or "effective") != (b.validity or "effective"):
        return False
    for f in ("pub_date", "effective_date"):
        x, y = getattr(a, f), getattr(b, f)
        if x is not None and y is not None and x != y:
            return False
    return True


class KnownSignatures:
    """The stored signatures of one knowledge base, read once for a batch of documents being written (read
    for every document, ingesting N records read O(N²) rows) and kept current as the batch is written."""

    def __init__(self, session: Session, kb_id: int) -> None:
        rows = session.execute(select(Document.id, Document.minhash).where(
            Document.kb_id == kb_id, Document.minhash.is_not(None)).order_by(Document.id)).all()
        self.ids = np.array([r[0] for r in rows], dtype=np.int64)
        self.sigs = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.uint32).reshape(len(rows), NUM_PERM)

    def put(self, doc_id: int, sig: np.ndarray) -> None:
        at = np.flatnonzero(self.ids == doc_id)
        if len(at):
            self.sigs = self.sigs.copy()
            self.sigs[at[0]] = sig
        else:
            self.ids = np.append(self.ids, doc_id)
            self.sigs = np.vstack([self.sigs, sig[None, :]])


def assign_group(session: Session, doc: Document, text: str | None = None, *,
                 sig: np.ndarray | None = None, known: KnownSignatures | None = None) -> int | None:
    """Store `doc`'s signature (given, or computed from `text`) and put it in the group of its nearest
    near-duplicate in the same knowledge base (called by ingestion after the document is stored; `known`: the
    knowledge base's signatures when several documents are written together). Returns the group id, or None
    without copies."""
    sig = signature(text or "") if sig is None else sig
    doc.minhash = sig.tobytes()
    doc.dup_group = None
    known = known if known is not None else KnownSignatures(session, doc.kb_id)
    others = known.ids != doc.id
    ids, sigs = known.ids[others], known.sigs[others]
    known.put(doc.id, sig)
    if not len(ids):
        return None
    sims = (sigs == sig).mean(axis=1)
    for j in np.argsort(-sims, kind="stable"):
        if sims[j] < THRESHOLD:
            break
        other = session.get(Document, int(ids[j]))
        if other is None or not _same_edition(doc, other):
            continue
        group = other.dup_group or min(other.id, doc.id)
        if other.dup_group is None:
            other.dup_group = group
        doc.dup_group = group
        return group
    return None


def copies(session: Session, document_ids: list[int]) -> dict[int, list]:
    """For each given document in a group: every member of its group (itself included), oldest first, as rows
    with id, dup_group, title, source, external_id, validity. Two light queries, none when no hit has copies
    (this runs on every search)."""
    grouped = session.execute(select(Document.id, Document.dup_group).where(
        Document.id.in_(document_ids), Document.dup_group.is_not(None))).all()
    if not grouped:
        return {}
    members: dict[int, list] = {}
    for m in session.execute(select(Document.id, Document.dup_group, Document.title, Document.source,
                                    Document.external_id, Document.validity)
                             .where(Document.dup_group.in_({g for _, g in grouped})).order_by(Document.id)):
        members.setdefault(m.dup_group, []).append(m)
    return {i: members.get(g, []) for i, g in grouped}


def collapse_hits(session: Session, hits: list) -> list:  # noqa: ANN001 (SearchHit, imported lazily)
    """One hit per group: the best-ranked copy in force (else the best-ranked), with `also_in` listing the
    other copies {title, source, docid, document_id, validity} ("同文另见"). Hits without copies pass."""
    if not hits:
        return hits
    groups = copies(session, [h.document_id for h in hits])
    if not groups:
        return hits
    by_group: dict[int, list] = {}
    for h in hits:
        members = groups.get(h.document_id)
        if members:
            by_group.setdefault(members[0].dup_group, []).append(h)
    out = []
    seen: set[int] = set()
    for h in hits:
        members = groups.get(h.document_id)
        if not members:
            out.append(h)
            continue
        g = members[0].dup_group
        if g in seen:
            continue
        seen.add(g)
        cands = by_group[g]
        keep = next((c for c in cands if c.validity == "effective"), cands[0])
        keep.score = max(keep.score, h.score)
        keep.also_in = [{"title": m.title or "", "source": m.source, "docid": m.external_id, "document_id": m.id,
                         "validity": m.validity or "effective"} for m in members if m.id != keep.document_id]
        out.append(keep)
    return out


def group_key(session: Session, kb_id: int | None = None) -> dict[str, str]:
    """external_id -> its group's key (the canonical copy's external_id, or itself): lets a scorer count a
    citation of any copy as a citation of the group."""
    q = select(Document.external_id, Document.dup_group, Document.id)
    if kb_id is not None:
        q = q.where(Document.kb_id == kb_id)
    rows = session.execute(q).all()
    canon = {i: e for e, _, i in rows}
    return {str(e): str(canon.get(g, e) if g is not None else e) for e, g, _ in rows if e is not None}


def near_duplicates(texts: dict[str, str]) -> dict[str, set[str]]:
    """For benchmarks working on raw corpus files: docid -> the docids of its near-duplicate copies (itself
    excluded; only documents with copies are keys). Same signature and threshold as ingestion."""
    ids = list(texts)
    if len(ids) < 2:
        return {}
    sigs = np.stack([signature(texts[i]) for i in ids])
    out: dict[str, set[str]] = {}
    for a in range(len(ids)):
        sims = (sigs[a + 1:] == sigs[a]).mean(axis=1)
        for j in np.flatnonzero(sims >= THRESHOLD):
            b = a + 1 + int(j)
            out.setdefault(ids[a], set()).add(ids[b])
            out.setdefault(ids[b], set()).add(ids[a])
    return out
