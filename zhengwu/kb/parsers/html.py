"""HTML pages (BeautifulSoup + lxml): the page's text without scripts, styles, navigation and footers."""

from __future__ import annotations

import re
from pathlib import Path

from zhengwu.kb.chunking import Block, blocks_from_text, format_row
from zhengwu.kb.parsers.base import Parsed, ParseError
from zhengwu.kb.parsers.text import decode_bytes

_DROP = ("script", "style", "nav", "header", "footer", "noscript", "iframe", "form", "button", "svg", "aside")
_HEADINGS = {"h1": 0, "h2": 1, "h3": 2, "h4": 3, "h5": 4, "h6": 5}
_BLOCK_TAGS = ("p", "div", "li", "td", "th", "br", "tr", "section", "article", "blockquote", "pre", "dd", "dt")


_CHROME = re.compile(r"(?:^|[-_\s])(nav|navbar|menu|footer|foot|breadcrumb|crumbs?|share|sidebar|topbar|copyright|"
                     r"skip|toolbar)(?:$|[-_\s])", re.I)


def _is_chrome(tag) -> bool:  # noqa: ANN001
    """Site chrome marked by class or id (gov sites use <div class="nav"> more than <nav>)."""
    if tag.name in ("html", "body", "main", "article"):
        return False
    attrs = getattr(tag, "attrs", None) or {}
    names = " ".join(attrs.get("class", []) if isinstance(attrs.get("class"), list) else [str(attrs.get("class", ""))])
    names += " " + str(attrs.get("id", ""))
    return bool(names.strip()) and bool(_CHROME.search(names))


# <meta> names of the CMS used by most Chinese government sites (gov.cn, provincial and city portals)
_CMS_META = {"articletitle": "title", "pubdate": "pub_date", "contentsource": "issuer", "firstimedate": "pub_date"}


def _cms_fields(soup) -> tuple[dict, dict]:  # noqa: ANN001
    """Structured fields from the page head: title / date / source from CMS <meta>, the page URL."""
    record: dict = {}
    meta: dict = {}
    for tag in soup.find_all("meta"):
        name = str(tag.get("name") or tag.get("property") or "").strip().lower()
        content = str(tag.get("content") or "").strip()
        if not content:
            continue
        if name in _CMS_META and _CMS_META[name] not in record:
            record[_CMS_META[name]] = content
        elif name in ("url", "og:url"):
            meta["url"] = content
    link = soup.find("link", rel="canonical")
    if link is not None and link.get("href") and "url" not in meta:
        meta["url"] = str(link["href"])
    return record, meta


def _decode(data: bytes, path: Path) -> str:
    m = re.search(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_-]+)", data[:4096], re.I)
    if m:
        enc = m.group(1).decode("ascii", "replace").lower()
        if enc in ("gb2312", "gbk"):
            enc = "gb18030"
        try:
            return data.decode(enc)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_bytes(data, path)[0]


def parse(path: Path) -> Parsed:
    from bs4 import BeautifulSoup  # ~150 ms, and the parsers load with every CLI command

    html = _decode(path.read_bytes(), path)
    soup = BeautifulSoup(html, "lxml")
    for tag in soup(list(_DROP)):
        tag.decompose()
    for tag in soup.find_all(_is_chrome):
        tag.decompose()
    title = ""
    if soup.title and soup.title.string:
        title = re.split(r"\s*[_|｜]\s*|\s+-\s+", soup.title.string.strip())[0]  # drop "_某某门户网站"
    record, meta = _cms_fields(soup)
    root = soup.body or soup
    blocks: list[Block] = []
    texts: list[str] = []
    for table in root.find_all("table"):
        rows = []
        for tr in table.find_all("tr"):
            cells = [c.get_text(" ", strip=True) for c in tr.find_all(["td", "th"])]
            if any(cells):
                rows.append(cells)
        marker = soup.new_tag("p")
        if rows:
            header = rows[0]
            lines = [format_row(header)] + [format_row(r, header) for r in rows[1:]]
            marker.string = "\x00ROWS\x00" + "\x01".join(lines)
        table.replace_with(marker)
    for el in root.find_all(list(_HEADINGS)):
        el.insert_before("\n\x00H%d\x00" % _HEADINGS[el.name])
        el.insert_after("\n")
    for el in root.find_all(_BLOCK_TAGS):
        el.insert_after("\n")
    raw = root.get_text("", strip=False)
    for line in raw.split("\n"):
        line = " ".join(line.split())
        if not line:
            continue
        if line.startswith("\x00ROWS\x00"):
            for row in line[6:].split("\x01"):
                blocks.append(Block("row", row))
                texts.append(row)
            continue
        if line.startswith("\x00H") and line[3:4] == "\x00":
            text = line[4:].strip()
            if text:
                blocks.append(Block("heading", text, level=int(line[2])))
                texts.append(text)
            continue
        blocks.extend(blocks_from_text(line))
        texts.append(line)
    full = "\n".join(texts)
    if not full.strip():
        raise ParseError(path, "empty_file", "网页没有正文文字。", "the page contains no text.")
    h1 = next((b.text for b in blocks if b.kind == "heading" and b.level == 0), "")
    return Parsed(blocks, full, "html", title=record.get("title") or h1 or title, meta=meta, record=record)
