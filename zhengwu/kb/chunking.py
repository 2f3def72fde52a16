"""Chinese-aware chunking that follows the structure of government text.

Why this shape: citizens' questions are answered by one passage of one section, so a chunk should stay inside
one section (一、 （一） 1. （1）, or 第X编/章/节 and whole 第X条 in laws), carry the path of headings above it
("一、总体要求 > （二）基本原则") as metadata rather than repeated text, break only at sentence ends
(。！？；), and never cut a table row or an FAQ pair in two.

Parsers turn a file into a list of `Block`s (heading, text, row, faq); `blocks_from_text` does it for plain
text and Markdown; `chunk_blocks` packs blocks into chunks of about 300–500 characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from zhengwu.sentences import sentence_spans

TARGET_MIN = 300  # a chunk this long may be closed at the next paragraph boundary
MAX_CHARS = 500  # a chunk is closed before it grows past this (a single table row or FAQ may be longer)

_CN_NUM = "一二三四五六七八九十百千零〇两"
_LAW_PART = re.compile(rf"^第[{_CN_NUM}\d]+([编章节])(?=\s|　|$|[^\s{_CN_NUM}\d])")
_ARTICLE = re.compile(rf"^第[{_CN_NUM}\d]+条(?:之[{_CN_NUM}]+)?(?=\s|　|[^\s])")
_MARKERS: list[tuple[re.Pattern[str], int]] = [
    (re.compile(rf"^[{_CN_NUM}]+、"), 3),  # 一、
    (re.compile(rf"^[（(][{_CN_NUM}]+[）)]"), 4),  # （一）
    (re.compile(r"^\d{1,3}(?:[.．]\d{1,3})+(?![\d.．])\s*"), 5),  # 5.5 / 1.2.3 (level adjusted by depth)
    (re.compile(r"^\d{1,3}[.．、](?![\d.．])"), 5),  # 1. 1． 1、
    (re.compile(r"^[（(]\d{1,3}[）)]"), 6),  # （1）
]
_LEVEL_OF_PART = {"编": 0, "章": 1, "节": 2}
_INVISIBLE = {0x200B: None, 0x200C: None, 0x200D: None, 0xFEFF: None, 0x00AD: None}
_CLAUSE = re.compile(r"[，,：:；;]")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_TABLE_SEP = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


@dataclass(slots=True)  # slots: a 100 MB text is over a million blocks
class Block:
    """One structural unit from a parser: kind is heading | text | row | faq."""

    kind: str
    text: str
    level: int = 0  # headings only: 0 is the outermost
    page: int | None = None
    start: int | None = None  # character offset in the source text, when known
    raw: str = ""  # headings: the line as written, restored if the heading turns out to be an enumerated item
    label: str = ""  # a law article ("第十一条"): added to the heading path of the article's continuation chunks


@dataclass(slots=True)
class ChunkOut:
    kind: str  # text | table | faq
    heading_path: str
    text: str
    page: int | None = None
    char_start: int | None = None


@dataclass
class _Acc:
    parts: list[str] = field(default_factory=list)
    length: int = 0
    kind: str = "text"
    page: int | None = None
    start: int | None = None
    label: str = ""


def split_sentences(text: str) -> list[str]:
    """Cut points of the shared splitter (at ；too), as pieces that keep every character.

    Why lossless: chunk_blocks glues pieces back together, so the whitespace and line breaks between
    sentences must stay in the pieces (each piece runs to the start of the next sentence)."""
    starts = [s.start for s in sentence_spans(text, semicolons=True)[1:]]
    return [text[a:b] for a, b in zip([0, *starts], [*starts, len(text)])]


def _hard_split(text: str, limit: int) -> list[str]:
    """Split an over-long sentence at commas when possible, else at the limit."""
    out: list[str] = []
    while len(text) > limit:
        cut = max(text.rfind(c, 0, limit) for c in "，,、：:")
        cut = cut + 1 if cut >= limit // 3 else limit
        out.append(text[:cut])
        text = text[cut:]
    if text:
        out.append(text)
    return out


def format_row(cells: list[str], header: list[str] | None = None) -> str:
    """One table row as one line: "列1：值 | 列2：值" when a header is known, else "值 | 值"."""
    cells = [re.sub(r"\s+", " ", c).strip() for c in cells]
    if header and len(header) == len(cells):
        pairs = [f"{h.strip()}：{c}" if h.strip() and h.strip() != c else c for h, c in zip(header, cells)]
    else:
        pairs = cells
    return " | ".join(p for p in pairs if p)


def _marker_heading(line: str, law_mode: bool) -> tuple[int, str, str] | None:
    """(level, heading, body) when the line opens with a heading marker, else None."""
    m = _LAW_PART.match(line)
    if m and len(line) <= 40:
        return _LEVEL_OF_PART[m.group(1)], line.strip(), ""
    if law_mode:
        return None
    for pattern, level in _MARKERS:
        m = pattern.match(line)
        if not m:
            continue
        token = m.group(0).strip().rstrip(".．、")
        dots = token.count(".") + token.count("．")
        if level == 5 and dots:
            level = min(5 + dots, 7)
        rest = line[m.end():].strip()
        if not rest:
            return None
        sentences = split_sentences(line)
        # a heading is a phrase ("（一）指导思想。"); a clause with commas or a colon is an enumerated item
        if len(line) <= 40 and len(sentences) == 1 and not _CLAUSE.search(line.rstrip("。.")) \
                and not line.endswith(("；", ";", "、")):
            return level, line.rstrip("。.").strip(), ""
        first = sentences[0]
        if len(sentences) > 1 and first.endswith("。") and len(first) <= 32 and not _CLAUSE.search(first):
            return level, first.rstrip("。").strip(), line[len(first):].strip()
        return None
    return None


def marker_level(line: str) -> int | None:
    """The level of the numbering marker a line opens with (一、 （一） 1. （1）), or None."""
    for pattern, level in _MARKERS:
        m = pattern.match(line)
        if m:
            token = m.group(0).strip().rstrip(".．、")
            dots = token.count(".") + token.count("．")
            return min(5 + dots, 7) if level == 5 and dots else level
    return None


def blocks_from_text(text: str, page: int | None = None, offset: int = 0) -> list[Block]:
    """Blocks of a plain-text or Markdown document: headings, paragraphs, table rows.

    Law mode (three or more lines opening with 第X条): only 编/章/节 are headings, and each article with
    its continuation paragraphs becomes one paragraph, so an article is split only when it is too long.
    """
    lines = text.split("\n")
    law_mode = sum(1 for ln in lines if _ARTICLE.match(ln.strip())) >= 3
    blocks: list[Block] = []
    header: list[str] | None = None
    pos = offset
    for raw in lines:
        start = pos
        pos += len(raw) + 1
        line = raw.translate(_INVISIBLE).strip().replace("\u3000", " ").strip()
        if not line or line.startswith("<!--"):
            header = None if not line else header
            continue
        if line.startswith("|") and line.count("|") >= 2:
            if _MD_TABLE_SEP.match(line):
                continue
            cells = [c for c in line.strip("|").split("|")]
            if header is None:
                header = [c.strip() for c in cells]
                blocks.append(Block("row", format_row(cells), page=page, start=start))
            else:
                blocks.append(Block("row", format_row(cells, header), page=page, start=start))
            continue
        header = None
        md = _MD_HEADING.match(line)
        if md:
            inner = md.group(2).strip()
            mh = _marker_heading(inner, law_mode=False)
            level = mh[0] if mh else len(md.group(1)) - 1
            if inner:
                blocks.append(Block("heading", inner, level=level, page=page, start=start))
            continue
        mh = _marker_heading(line, law_mode)
        if mh:
            level, heading, body = mh
            blocks.append(Block("heading", heading, level=level, page=page, start=start,
                                raw=line if not body else heading + "。"))
            if body:
                blocks.append(Block("text", body, page=page, start=start + raw.find(body[:8]) if body else start))
            continue
        if law_mode and blocks and blocks[-1].kind == "text" and not _ARTICLE.match(line) \
                and _ARTICLE.match(blocks[-1].text):
            blocks[-1].text += "\n" + line
            continue
        art = _ARTICLE.match(line) if law_mode else None
        blocks.append(Block("text", line, page=page, start=start, label=art.group(0).strip() if art else ""))
    return blocks


def demote_empty_headings(blocks: list[Block]) -> list[Block]:
    """A "heading" directly followed by a sibling or higher heading (or nothing) is an enumerated item.

    E.g. "（四）对宗旨、业务范围相同相似的社会团体，予以合并。" followed by "（五）…": such lines are content, so
    they become text of the enclosing section instead of vanishing into a heading path.
    """
    out: list[Block] = []
    for i, b in enumerate(blocks):
        if b.kind == "heading":
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None  # (a slice here was quadratic)
            if nxt is None or (nxt.kind == "heading" and nxt.level <= b.level) or (
                    nxt.kind == "text" and b.raw and marker_level(nxt.text) == b.level):
                out.append(Block("text", b.raw or b.text, page=b.page, start=b.start))
                continue
        out.append(b)
    return out


def chunk_blocks(blocks: list[Block], *, target: int = TARGET_MIN, max_chars: int = MAX_CHARS,
                 title: str | None = None) -> list[ChunkOut]:
    """Pack blocks into chunks that stay inside one section and keep its heading path.

    A heading equal to the document title is left out of heading paths (the title is on the document)."""
    return list(iter_chunks(blocks, target=target, max_chars=max_chars, title=title))


def iter_chunks(blocks: list[Block], *, target: int = TARGET_MIN, max_chars: int = MAX_CHARS,
                title: str | None = None) -> Iterator[ChunkOut]:
    """`chunk_blocks` one chunk at a time: ingestion tokenises the first chunks of a large document on other
    cores while the rest is being cut (kb/parallel.py)."""
    norm = re.sub(r"\s+", "", title or "")
    blocks = [b for b in blocks if not (norm and b.kind == "heading" and re.sub(r"\s+", "", b.text) == norm)]
    blocks = demote_empty_headings(blocks)
    chunks: list[ChunkOut] = []
    stack: list[tuple[int, str]] = []
    acc = _Acc()

    def path() -> str:
        return " > ".join(h for _, h in stack)

    def flush() -> None:
        nonlocal acc
        if acc.parts:
            text = "\n".join(acc.parts).strip()
            if text:
                hp = path() + (f" > {acc.label}" if acc.label and path() else acc.label)
                chunks.append(ChunkOut(acc.kind, hp, text, acc.page, acc.start))
        acc = _Acc()

    def add(piece: str, kind: str, b: Block) -> None:
        if not acc.parts:
            acc.kind, acc.page, acc.start = kind, b.page, b.start
        acc.parts.append(piece)
        acc.length += len(piece) + (1 if acc.length else 0)

    for b in blocks:
        if chunks:
            yield from chunks
            chunks.clear()
        text = b.text.strip()
        if not text:
            continue
        if b.kind == "heading":
            flush()
            while stack and stack[-1][0] >= b.level:
                stack.pop()
            stack.append((b.level, text))
            continue
        if b.kind == "faq":
            flush()
            add(text, "faq", b)
            flush()
            continue
        if b.kind == "row":
            if acc.parts and (acc.kind != "table" or acc.length + len(text) + 1 > max_chars):
                flush()
            add(text, "table", b)
            continue
        # plain text
        if acc.parts and acc.kind != "text":
            flush()
        if acc.length + len(text) + (1 if acc.parts else 0) <= max_chars:
            add(text, "text", b)
            continue
        if acc.length >= target and len(text) <= max_chars:
            flush()
            add(text, "text", b)
            continue
        # fill sentence by sentence
        sep_pending = bool(acc.parts)
        first_piece = True
        for sent in split_sentences(text):
            for piece in _hard_split(sent, max_chars):
                if acc.parts and acc.length + len(piece) + (1 if sep_pending else 0) > max_chars:
                    flush()
                    sep_pending = False
                if not acc.parts:
                    add(piece, "text", b)
                    if not first_piece:  # a continuation of a long article names the article
                        acc.label = b.label
                elif sep_pending:
                    add(piece, "text", b)
                else:
                    acc.parts[-1] += piece
                    acc.length += len(piece)
                sep_pending = False
                first_piece = False
    flush()
    yield from chunks


def chunk_text(text: str, **kw: int) -> list[ChunkOut]:
    """Convenience: plain text or Markdown straight to chunks."""
    return chunk_blocks(blocks_from_text(text), **kw)
