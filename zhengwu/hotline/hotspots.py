"""Hotspot mining: which problems, at which places, are citizens raising again and again right now.

    topics = mine(records, top=10)      # records: {msg_id, title, text, time, likes?, dislikes?, location?, user?}

How (docs/hotline.md, "热点发现与分析报告" states it for users):
1. Named places are read by their suffixes: specific ones (小区, 花园, 苑, 小学, 医院, 公司 ...) and areas (村,
   街道, 路 ...), from a ticket's location, else its title, else the opening of its text.
2. Every message becomes a TF-IDF vector of the character bigrams of its title (counted twice) and the start
   of its text, with its specific place names blanked (similarity then measures the problem; the place is
   judged by name). Character bigrams rather than jieba words because they cost almost nothing: 100,000
   tickets must be mined in under two minutes on two cores, and jieba alone would take about that long.
3. Messages are linked at cosine >= THRESHOLD (SAME_PLACE when both name the same specific place), most
   similar first, refusing a link that would put two specific places in one group: the same problem at two
   estates stays two topics. Members far from their group's centre leave it (single linkage chains), and
   groups at one specific place with alike problems are merged (PLACE_MERGE): one topic is one problem at one
   place, and the same place with different problems is several.
4. Heat (stated for users in docs/hotline.md):
       heat = 10 · [ln(1 + people) + 0.5 · ln(1 + repeats)] · [1 + 0.15 · ln(1 + likes + dislikes / 2)]
                 · [1 + 0.25 · ln(growth)]
   people = distinct filers (messages when the filer is unknown), repeats = further messages by the same
   filers (the problem came back), growth = the topic's messages in the last quarter of the window against
   what its average rate predicts (at least 1). Volume counts first: a problem many people raise outranks
   one message with many likes; likes and growth scale it.
5. A burst (emerging event) is a 7-day stretch with at least 3 messages where the topic's count is far above
   the usual rate: the topic's share of all traffic applied to that week's traffic, Poisson tail < 0.001.

Everything here is statistics over the text: no model is needed. A one-line description is extractive (the
member title closest to the topic's centre); `describe_with_model` rewrites it through the governed door
(scenario `hotline_hotspots`) when a generative model is configured.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from zhengwu.context import Caller
from zhengwu.errors import Forbidden, ZhengwuError

TERMS = 32  # bigrams kept per message
TEXT_CHARS = 160  # how much of a message's text beyond the title is read (the problem is stated early)
THRESHOLD = 0.30  # cosine similarity of the problem words that links two messages
SAME_PLACE = 0.18  # ... when both name the same specific place (the place already agrees)
COHESION = 0.12  # a member less similar than this to its group's centre is taken out of the group
PLACE_MERGE = 0.08  # groups at one specific place whose centres are this similar are one problem there
BURST_DAYS = 7
BURST_P = 0.001

ProgressFn = Callable[[int, int, str], None]


@dataclass
class Topic:
    """One hotspot: a problem at a place, with its messages and why it is hot."""

    rank: int
    label: str
    heat: float
    msg_ids: list[Any]
    place: str | None
    time_range: tuple[str, str] | None
    description: str
    burst: bool
    size: int = 0
    people: int = 0
    repeats: int = 0
    likes: int = 0
    dislikes: int = 0
    growth: float = 1.0
    burst_week: str | None = None  # first day of the burst stretch
    weekly: list[tuple[str, int]] = field(default_factory=list)  # (Monday, messages) over the topic's span
    described_by: str = "extractive"  # or "model" when describe_with_model rewrote the description

    def to_dict(self) -> dict:
        d = asdict(self)
        d["time_range"] = list(self.time_range) if self.time_range else None
        d["weekly"] = [list(w) for w in self.weekly]
        return d


# ---------------------------------------------------------------------------------------------- input

_TIME_FORMATS = ("%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M", "%Y/%m/%d",
                 "%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y年%m月%d日 %H:%M:%S", "%Y年%m月%d日 %H:%M", "%Y年%m月%d日")


def parse_time(value: Any) -> datetime | None:
    """A message time as naive local datetime, from the forms seen in hotline exports (2019/2/28 11:25:05,
    2019-11-02 10:18, ISO with or without zone, 2019年3月1日, epoch seconds); None when absent or unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(float(value))
        except (OverflowError, OSError, ValueError):
            return None
    s = str(value).strip()
    try:
        return datetime.fromisoformat(s).replace(tzinfo=None)
    except ValueError:
        pass
    for fmt in _TIME_FORMATS:
        try:
            return datetime.strptime(s, fmt)
        except ValueError:
            continue
    return None


def read_messages(path: str | Path) -> tuple[list[dict], list[str]]:
    """Read a JSONL file of messages. Returns (records, problems): a malformed line, a line without title and
    text, or an unreadable time is reported by its line number (Chinese / English) and the rest is kept."""
    p = Path(path)
    if not p.is_file():
        raise ZhengwuError("hotspots_no_file", f"找不到留言文件：{p}", f"Messages file not found: {p}")
    records: list[dict] = []
    problems: list[str] = []
    with p.open(encoding="utf-8-sig", errors="replace") as fh:
        for no, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(f"第 {no} 行不是合法的 JSON（{exc.msg}），已跳过 / line {no}: not valid JSON, skipped")
                continue
            if not isinstance(row, dict):
                problems.append(f"第 {no} 行不是对象，已跳过 / line {no}: not a JSON object, skipped")
                continue
            if not str(row.get("title") or "").strip() and not str(row.get("text") or "").strip():
                problems.append(f"第 {no} 行没有标题和正文，已跳过 / line {no}: no title and no text, skipped")
                continue
            if row.get("msg_id") in (None, ""):
                row["msg_id"] = f"L{no}"
                problems.append(f"第 {no} 行没有 msg_id，以 L{no} 代替 / line {no}: no msg_id, using L{no}")
            if row.get("time") not in (None, "") and parse_time(row["time"]) is None:
                problems.append(f"第 {no} 行的时间无法识别：{str(row['time'])[:40]} / line {no}: unreadable time")
            records.append(row)
    if not records:
        raise ZhengwuError("hotspots_empty", f"文件中没有可用的留言：{p}", f"No usable messages in {p}",
                       problems="; ".join(problems[:10]))
    return records, problems


# ---------------------------------------------------------------------------------------------- places

# Named places by their suffix. SPECIFIC places (an estate, a school, a company, a hospital, a park) tell two
# topics apart; AREA names (villages, streets, roads, stations) only help the similarity, because two messages
# on one road may well be about one estate on it.
_SPECIFIC = ("小区|花园|家园|新城|新村|公寓|山庄|名苑|华苑|雅苑|苑|华府|府|之城|国际城|城|湾|广场|大厦|商城|小学|中学|"
             "学校|幼儿园|大学|学院|医院|卫生院|有限公司|公司|集团|工厂|市场|公园")
_AREA = "社区|村|街道|镇|乡|大道|路|街|巷|高速|火车站|汽车站|南站|北站|东站|西站|地铁站"
_PLACE_RE = re.compile(r"([\u4e00-\u9fffA-Za-z0-9·.]{1,8}?)(" + _SPECIFIC + "|" + _AREA + ")")
_SPECIFIC_SET = set(_SPECIFIC.split("|"))
# where an address's administrative prefix ends; the named place starts after the last of these
_ADMIN_CUT = re.compile(r".*(?:省|市|区|县|镇|乡|街道|路|村|号|附近|旁边|门口|对面|位于|坐落|在|于|的|和|与|及|、|到|对|向|被|将|把|给)")
# heads that are words of a sentence, not names (投诉小区, 修建搅拌厂, 请政府, 二期)
_NOT_NAME = re.compile(r"政府|部门|有关|相关|周边|附近|所在|居民|业主|城市|城区|城乡|农村|县城|物业|开发|配套|安置")
_NOT_HEAD = re.compile(r"[建设修投诉请反映置要求有无是该本这那我你他其各某每此哪全期个些]")


def places(text: str) -> list[tuple[str, bool]]:
    """Named places in a text as (name, specific), specific ones (estates, schools, companies) first. Words of a
    sentence (投诉小区, 修建搅拌厂) are not names; 小区/社区 are dropped from a name (丽发新城小区 = 丽发新城)."""
    found: dict[str, bool] = {}
    for m in _PLACE_RE.finditer(text):
        head, suffix = m.group(1), m.group(2)
        head = _ADMIN_CUT.sub("", head)
        if len(head) < 2 or _NOT_HEAD.search(head) or _NOT_NAME.search(head + suffix) or re.fullmatch(r"[A-Za-z0-9·.]+", head) or head[0].isdigit():
            continue
        specific = suffix in _SPECIFIC_SET
        found.setdefault(head if suffix in ("小区", "社区") else head + suffix, specific)
    return sorted(found.items(), key=lambda kv: not kv[1])


def _same_name(x: str, y: str) -> bool:
    """One place under two spellings: equal, one inside the other (滨河苑, 伊景园滨河苑) or its start (丽发,
    丽发新城), or the same characters in another order (星展投资 / 展星投资, a typing slip)."""
    if x == y or (len(x) >= 3 and x in y) or (len(y) >= 3 and y in x) or y.startswith(x) or x.startswith(y):
        return True
    a, b = set(x), set(y)
    return min(len(a), len(b)) >= 4 and len(a & b) / len(a | b) >= 0.8


def _same_place(a: set[str], b: set[str]) -> bool:
    """Whether two sets of specific place names can be one place (an empty set fits anything)."""
    return not a or not b or any(_same_name(x, y) for x in a for y in b)


# ---------------------------------------------------------------------------------------------- vectors

def _codes(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """All texts as one array of code points with a 0 between texts, and each position's text index."""
    joined = "\0".join(texts) + "\0"
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    ends = np.flatnonzero(codes == 0)
    doc = np.repeat(np.arange(len(texts)), np.diff(np.concatenate(([-1], ends))))
    return codes, doc


def _bigrams(texts: list[str], weight: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(text index, bigram code, weight) for every bigram of word characters (CJK, letters, digits)."""
    codes, doc = _codes(texts)
    cjk = (codes >= 0x4E00) & (codes <= 0x9FFF)
    alnum = ((codes >= 48) & (codes <= 57)) | ((codes >= 65) & (codes <= 90)) | ((codes >= 97) & (codes <= 122))
    word = cjk | alnum
    ok = word[:-1] & word[1:]
    big = (codes[:-1].astype(np.uint64) << np.uint64(21)) | codes[1:].astype(np.uint64)
    idx = np.flatnonzero(ok)
    return doc[idx], big[idx], np.full(idx.size, weight, dtype=np.float32)


def vectors(titles: list[str], texts: list[str]) -> sparse.csr_matrix:
    """Row-normalised TF-IDF of character bigrams (title twice, text once), with sublinear term frequency,
    each message keeping its TERMS heaviest bigrams (what tells it apart; the rest is noise and cost).
    Bigrams found in one message only, or in more than a fifth of all, carry no similarity and are dropped."""
    n = len(titles)
    d1, b1, w1 = _bigrams(titles, 2.0)
    d2, b2, w2 = _bigrams(texts, 1.0)
    docs = np.concatenate((d1, d2))
    terms, inv = np.unique(np.concatenate((b1, b2)), return_inverse=True)
    m = sparse.coo_matrix((np.concatenate((w1, w2)), (docs, inv)), shape=(n, terms.size)).tocsr()
    m.sum_duplicates()
    df = np.bincount(m.indices, minlength=terms.size)
    keep = (df >= 2) & (df <= max(2, n // 5))
    m = m[:, np.flatnonzero(keep)]
    df = df[keep]
    m.data = (1.0 + np.log(m.data)).astype(np.float32)
    idf = np.log((n + 1) / (df + 1)).astype(np.float32) + 1.0
    m = _top_terms(m.multiply(idf[np.newaxis, :]).tocsr(), TERMS)
    return _normalise(m)


def _normalise(m: sparse.csr_matrix) -> sparse.csr_matrix:
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.diags(1.0 / norms).dot(m).tocsr().astype(np.float32)


def _top_terms(m: sparse.csr_matrix, k: int) -> sparse.csr_matrix:
    """Each row keeping its k heaviest terms."""
    rows, cols, vals = [], [], []
    for i in range(m.shape[0]):
        s, e = m.indptr[i], m.indptr[i + 1]
        if e - s > k:
            part = np.argpartition(-m.data[s:e], k)[:k] + s
        else:
            part = np.arange(s, e)
        rows.append(np.full(part.size, i))
        cols.append(m.indices[part])
        vals.append(m.data[part])
    if not rows:
        return m
    return sparse.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=m.shape)


# ---------------------------------------------------------------------------------------------- clustering

def _links(m: sparse.csr_matrix, threshold: float, place_sets: list[frozenset[str]],
           on_progress: ProgressFn | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs (i < j) of messages whose problem words are similar (cosine >= threshold, or >= SAME_PLACE when
    both name the same specific place), with their similarity, most similar first."""
    low = min(threshold, SAME_PLACE)
    n = m.shape[0]
    mt = m.T.tocsr()
    out_i, out_j, out_s = [], [], []
    step = 2000
    for start in range(0, n, step):
        stop = min(n, start + step)
        prod = (m[start:stop] @ mt).tocoo()
        sel = (prod.data >= low) & (prod.row + start < prod.col)
        i, j, sim = prod.row[sel] + start, prod.col[sel], prod.data[sel]
        ok = sim >= threshold
        for k in np.flatnonzero(~ok).tolist():
            a, b = place_sets[i[k]], place_sets[j[k]]
            ok[k] = bool(a and b and _same_place(a, b))
        out_i.append(i[ok])
        out_j.append(j[ok])
        out_s.append(sim[ok])
        if on_progress:
            on_progress(stop, n, "")
    i, j, s = np.concatenate(out_i), np.concatenate(out_j), np.concatenate(out_s)
    order = np.argsort(-s, kind="stable")
    return i[order], j[order], s[order]


def _join(n: int, i: np.ndarray, j: np.ndarray, place_sets: list[frozenset[str]],
          members: np.ndarray | None = None) -> list[np.ndarray]:
    """Groups from links taken most similar first (single linkage), refusing a link that would put two specific
    places in one group: the same problem at two estates stays two topics, even through a message that names
    neither."""
    parent = np.arange(n)
    group_places: dict[int, frozenset[str]] = {}

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in zip(i.tolist(), j.tolist()):
        ra, rb = root(a), root(b)
        if ra == rb:
            continue
        pa = group_places.get(ra, place_sets[a])
        pb = group_places.get(rb, place_sets[b])
        if not _same_place(pa, pb):
            continue
        parent[rb] = ra
        group_places[ra] = pa | pb
    idx = np.arange(n) if members is None else members
    roots = np.array([root(x) for x in idx.tolist()], dtype=np.int64)
    order = np.argsort(roots, kind="stable")
    cuts = np.flatnonzero(np.diff(roots[order])) + 1
    return [idx[g] for g in np.split(order, cuts)]


def _centres(m: sparse.csr_matrix, labels: np.ndarray, count: int) -> sparse.csr_matrix:
    """Normalised centre of every group at once (group id = labels[k])."""
    member = sparse.csr_matrix((np.ones(labels.size, np.float32), (labels, np.arange(labels.size))),
                               shape=(count, labels.size))
    return _normalise(member @ m)


def _tighten(m: sparse.csr_matrix, groups: list[np.ndarray]) -> list[np.ndarray]:
    """Groups without their outliers: single linkage can chain A~B~C where C has little to do with A; members
    that share too little with their group's centre leave it (and stand alone, or join by place later)."""
    n = m.shape[0]
    labels = np.empty(n, dtype=np.int64)
    for g, members in enumerate(groups):
        labels[members] = g
    count = len(groups)
    for _ in range(4):
        sizes = np.bincount(labels, minlength=count)
        sims = np.asarray(m.multiply(_centres(m, labels, count)[labels]).sum(axis=1)).ravel()
        far = np.flatnonzero((sims < COHESION) & (sizes[labels] > 2))
        if not far.size:
            break
        labels[far] = np.arange(count, count + far.size)
        count += far.size
    order = np.argsort(labels, kind="stable")
    return np.split(order, np.flatnonzero(np.diff(labels[order])) + 1)


def _dominant(place_sets: list[frozenset[str]], members: np.ndarray) -> str | None:
    c = Counter(name for k in members.tolist() for name in place_sets[k])
    return max(c, key=lambda x: (c[x], len(x), x)) if c else None


def _merge_by_place(m: sparse.csr_matrix, groups: list[np.ndarray], place_sets: list[frozenset[str]]
                    ) -> list[np.ndarray]:
    """Groups at one specific place merged when their problems are alike (centres similar at PLACE_MERGE): the
    complaints about one estate's ground-floor restaurants come as 油烟, 噪音, 夜宵摊 and are one problem there,
    while its cracked floors (nothing in common once the name is set aside) stay apart."""
    names = {k: _dominant(place_sets, g) if any(place_sets[x] for x in g[:50].tolist()) else None
             for k, g in enumerate(groups)}
    known = {n for n in names.values() if n}
    # one place under several spellings: a name and the known names inside it (魅力之城 in 万科魅力之城)
    parent = {n: n for n in known}

    def root(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    for n in sorted(known, key=len):
        for a in range(len(n)):
            for b in range(a + 3, len(n) + 1):
                sub = n[a:b]
                if sub != n and sub in parent and root(sub) != root(n):
                    parent[root(n)] = root(sub)
    buckets: dict[str, list[int]] = {}
    for k, n in names.items():
        if n:
            buckets.setdefault(root(n), []).append(k)
    merged: list[np.ndarray] = [g for k, g in enumerate(groups) if not names[k]]
    shared = [ks for ks in buckets.values() if len(ks) > 1]
    merged.extend(groups[ks[0]] for ks in buckets.values() if len(ks) == 1)
    if not shared:
        return merged
    # every group's summed vector at once: a merged group's centre is the sum of its parts, normalised
    labels = np.full(m.shape[0], -1, dtype=np.int64)
    for k in (k for ks in shared for k in ks):
        labels[groups[k]] = k
    inside = labels >= 0
    sums = (sparse.csr_matrix((np.ones(int(inside.sum()), np.float32), (labels[inside], np.flatnonzero(inside))),
                              shape=(len(groups), m.shape[0])) @ m).tocsr()
    for ks in shared:
        parts = [groups[k] for k in ks]
        vecs = [sums[k] for k in ks]
        while len(parts) > 1:
            cents = _normalise(sparse.vstack(vecs).tocsr())
            sims = (cents @ cents.T).toarray()
            np.fill_diagonal(sims, -1)
            a, b = np.unravel_index(int(np.argmax(sims)), sims.shape)
            if sims[a, b] < PLACE_MERGE:
                break
            parts[a] = np.concatenate((parts[a], parts[b]))
            vecs[a] = vecs[a] + vecs[b]
            del parts[b], vecs[b]
        merged.extend(parts)
    return merged


def cluster(m: sparse.csr_matrix, place_sets: list[frozenset[str]], *, threshold: float = THRESHOLD,
            on_progress: ProgressFn | None = None) -> list[np.ndarray]:
    """Groups of message indices: linked groups without their outliers, then merged by place."""
    n = m.shape[0]
    i, j, _ = _links(m, threshold, place_sets, on_progress)
    return _merge_by_place(m, _tighten(m, _join(n, i, j, place_sets)), place_sets)


# ---------------------------------------------------------------------------------------------- heat, bursts

def _monday(t: datetime) -> datetime:
    return (t - timedelta(days=t.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)


def _burst(times: list[datetime], all_days: np.ndarray, day0: datetime, total: int) -> str | None:
    """First day of a 7-day stretch where the topic is far above its usual share of all traffic, or None."""
    # scipy.stats here, not at the top: it is 1-3 s of start-up, and every ticket and job command imports this
    # module (through zhengwu.hotline.jobs) while only mining reaches this line
    from scipy.stats import poisson

    if len(times) < 3:
        return None
    days = np.array(sorted((t - day0).days for t in times))
    span = all_days.size
    # messages of the topic and of everyone in each 7-day stretch starting at each of the topic's days
    cum_all = np.concatenate(([0], np.cumsum(all_days)))
    share = len(times) / max(total, 1)
    for start in np.unique(days):
        k = int(np.searchsorted(days, start + BURST_DAYS) - np.searchsorted(days, start))
        if k < 3:
            continue
        traffic = cum_all[min(span, start + BURST_DAYS)] - cum_all[start]
        expected = max(share * traffic, 1e-9)
        if poisson.sf(k - 1, expected) < BURST_P:
            return (day0 + timedelta(days=int(start))).date().isoformat()
    return None


def _heat(people: int, repeats: int, likes: int, dislikes: int, growth: float) -> float:
    return 10.0 * (math.log1p(people) + 0.5 * math.log1p(repeats)) * (1 + 0.15 * math.log1p(likes + dislikes / 2)) \
        * (1 + 0.25 * math.log(max(growth, 1.0)))


# ---------------------------------------------------------------------------------------------- labels

# words every hotline message uses whatever its problem: they name no problem
_GENERIC = set("""反映 投诉 举报 咨询 建议 求助 表扬 关于 问题 请问 请求 恳请 希望 要求 强烈 严重 什么 何时 时候 能否 是否 为什么
如何 怎么 怎样 还是 一直 已经 没有 不能 可以 能不能 有关 相关 部门 政府 领导 市民 居民 群众 业主 我们 你们 他们 这个 那个 一些
情况 事情 解决 处理 落实 尽快 及时 合理 合法 存在 影响 进行 关注 重视 申请 回复 答复 给予 附近 旁边 周边 一下 再次 多次 还有
小区 社区 街道 一个 不是 就是 这样 现在 目前 今年 去年 请 的 了 和 与 及 在 是 有 对 把 被 让 给 到 从 向 为 吗 呢 啊 吧""".split())
_ALNUM = re.compile(r"^[A-Za-z0-9]+$")
_ADMIN_WORD = re.compile(r"^[A-Z]?\d*(?:省|市|区|县|镇|乡)$|^[A-Za-z0-9]+$|^\W+$")


def _words(text: str) -> list[str]:
    import jieba  # loaded only when labels are made: the dictionary takes a second

    tokens: list[str] = []
    for w in jieba.lcut(text):  # a number belongs to the word after it: 58 + 车贷, 3 + 号线
        if tokens and tokens[-1].isdigit() and not _ALNUM.match(w) and w.strip():
            tokens[-1] += w
        else:
            tokens.append(w)
    return [w for w in tokens if len(w) >= 2 and w not in _GENERIC and not _ADMIN_WORD.match(w)]


def _label(titles: list[str], place_lists: list[list[tuple[str, bool]]]) -> tuple[str | None, str]:
    """The topic's place (the name most of its messages give, a specific one before an area) and a short label:
    the place and the problem words most of its titles share."""
    pc: Counter[tuple[bool, str]] = Counter()
    for ps in place_lists:
        pc.update(dict.fromkeys((spec, name) for name, spec in ps[:3]).keys())  # in order: ties go the same way
    place = max(pc, key=lambda k: (k[0], pc[k], len(k[1]), k[1]))[1] if pc else None
    named = " ".join(name for _, name in pc)  # every place the messages name: not a problem word

    def problem_word(w: str) -> bool:
        return not any(w[k:k + 2] in named for k in range(len(w) - 1))

    wc: Counter[str] = Counter()
    for t in titles[:60]:
        wc.update(dict.fromkeys(w for w in _words(t) if problem_word(w)).keys())
    words = [w for w, c in wc.most_common(3) if c >= min(2, len(titles))]
    label = " ".join(([place] if place else []) + words[:2])
    return place, label or (titles[0][:24] if titles else "")


# ---------------------------------------------------------------------------------------------- mining

def _window(times: list[datetime | None], window: Any, now: datetime | None) -> tuple[datetime | None, datetime | None]:
    if window is None:
        return None, None
    if isinstance(window, (int, float)):
        window = timedelta(days=float(window))
    if isinstance(window, timedelta):
        known = [t for t in times if t is not None]
        end = now or (max(known) if known else None)
        return (end - window if end else None), end
    if isinstance(window, (tuple, list)) and len(window) == 2:
        return parse_time(window[0]), parse_time(window[1])
    raise ZhengwuError("hotspots_bad_window", "时间窗口应为天数、timedelta 或 (开始, 结束)",
                   "The window must be a number of days, a timedelta or (start, end)")


def mine(records: Iterable[dict], *, top: int | None = 10, window: Any = None, now: datetime | None = None,
         threshold: float = THRESHOLD, on_progress: ProgressFn | None = None) -> list[Topic]:
    """The hotspots among `records`, hottest first (`top=None` or 0: every topic, single messages included).

    A record has `msg_id`, `title`, `text`, `time` and optionally `likes`, `dislikes`, `location` (an address
    text or dict, used as a place), `user` (the filer, to tell people from repeats). `window` limits the
    messages to a time span: a number of days or a timedelta back from `now` (default: the newest message), or
    a (start, end) pair; messages without a time are kept only when there is no window."""
    rows = [r for r in records if isinstance(r, dict)]
    times = [parse_time(r.get("time")) for r in rows]
    start, end = _window(times, window, now)
    if window is not None:
        sel = [k for k, t in enumerate(times) if t is not None and (start is None or t >= start)
               and (end is None or t <= end)]
        rows = [rows[k] for k in sel]
        times = [times[k] for k in sel]
    if not rows:
        return []
    titles = [unicodedata.normalize("NFKC", str(r.get("title") or "")) for r in rows]
    bodies = [unicodedata.normalize("NFKC", str(r.get("text") or "")[:TEXT_CHARS]) for r in rows]
    place_lists = [_places_of(r, t, b) for r, t, b in zip(rows, titles, bodies)]
    place_sets = [frozenset(name for name, spec in ps if spec) for ps in place_lists]
    m = vectors(*_without_places(titles, bodies, place_sets))
    groups = cluster(m, place_sets, threshold=threshold, on_progress=on_progress)

    known = [t for t in times if t is not None]
    day0 = min(known).replace(hour=0, minute=0, second=0, microsecond=0) if known else None
    last = max(known) if known else None
    all_days = np.bincount([(t - day0).days for t in known]) if known else np.zeros(0, int)
    span_days = max(1.0, (last - day0).total_seconds() / 86400) if known else 1.0
    scored = []
    for members in groups:
        mem = members.tolist()
        ts = sorted(times[k] for k in mem if times[k] is not None)
        users = [str(rows[k].get("user") or "") for k in mem]
        people = len({u for u in users if u}) + sum(1 for u in users if not u)
        likes = sum(_int(rows[k].get("likes")) for k in mem)
        dislikes = sum(_int(rows[k].get("dislikes")) for k in mem)
        growth = 1.0
        if len(ts) >= 2 and known:
            recent = sum(1 for t in ts if t >= last - timedelta(days=span_days / 4))
            growth = max(1.0, recent / (len(ts) / 4))
        heat = round(_heat(people, len(mem) - people, likes, dislikes, growth), 3)
        scored.append((heat, len(mem), members, ts, people, likes, dislikes, growth))
    scored.sort(key=lambda x: (-x[0], -x[1], int(x[2].min())))
    topics: list[Topic] = []
    for rank, (heat, size, members, ts, people, likes, dislikes, growth) in enumerate(scored[:top or None], 1):
        ordered = _by_centre(m, members)
        place, label = _label([titles[k] for k in ordered], [place_lists[k] for k in ordered])
        burst_day = _burst(ts, all_days, day0, len(known)) if ts else None
        topics.append(Topic(
            rank=rank, label=label, heat=heat, msg_ids=[rows[k].get("msg_id") for k in ordered], place=place,
            time_range=(ts[0].isoformat(sep=" "), ts[-1].isoformat(sep=" ")) if ts else None,
            description=titles[ordered[0]], burst=burst_day is not None, size=size, people=people,
            repeats=size - people, likes=likes, dislikes=dislikes, growth=round(growth, 3), burst_week=burst_day,
            weekly=sorted(Counter(_monday(t).date().isoformat() for t in ts).items())))
    return topics


def _places_of(row: dict, title: str, body: str) -> list[tuple[str, bool]]:
    """A message's places: its `location` when the ticket has one, else the title's, else its text's first
    sentences (a text names many places in passing; the title and the opening name the one it is about)."""
    loc = row.get("location")
    if isinstance(loc, dict):
        loc = loc.get("text") or "".join(str(loc.get(k) or "") for k in ("community", "detail"))
    for source in (str(loc or ""), title, body[:80]):
        found = places(unicodedata.normalize("NFKC", source)) if source else []
        if found:
            return found
    return []


def _without_places(titles: list[str], bodies: list[str], place_sets: list[frozenset[str]]
                    ) -> tuple[list[str], list[str]]:
    """Titles and texts with their specific place names blanked: similarity then measures the problem, and
    the place is judged by name (two estates' names would otherwise make their noise complaints differ, and
    one estate's name would make its noise and its cracked floors alike)."""
    def blank(text: str, names: frozenset[str]) -> str:
        for name in sorted(names, key=len, reverse=True):
            text = text.replace(name, " ")
        return text

    return ([blank(t, ps) for t, ps in zip(titles, place_sets)],
            [blank(b, ps) for b, ps in zip(bodies, place_sets)])


def _by_centre(m: sparse.csr_matrix, members: np.ndarray) -> list[int]:
    """Member indices, the one closest to the topic's centre first (its title describes the topic)."""
    if members.size <= 2:
        return members.tolist()
    centre = np.asarray(m[members].mean(axis=0)).ravel()
    sims = m[members] @ centre
    return members[np.argsort(-sims, kind="stable")].tolist()


def _int(v: Any) -> int:
    try:
        return max(0, int(float(v)))
    except (TypeError, ValueError):
        return 0


# ---------------------------------------------------------------------------------------------- model

SCENARIO = "hotline_hotspots"
_DESCRIBE_PROMPT = ("你是12345热线的分析员。下面每行是一个热点：编号、标签和几条工单标题。请为每个热点写一句不超过40字的"
                    "客观描述（地点、问题、诉求），不评论、不编造。输出格式：每行“编号. 描述”，不要其他内容。")


def describe_with_model(caller: Caller, topics: list[Topic], titles: dict) -> int:
    """Rewrite the topics' extractive descriptions with a generative model, through the governed door (one
    audit record for the batch; the titles are masked before the model sees them). Returns how many were
    rewritten; 0 and nothing changed when no model is configured or the model's reply cannot be read."""
    from zhengwu.gateway import Governed, govern

    if not topics or not Governed.generative():
        return 0
    lines = [f"{t.rank}. {t.label}：" + "；".join(str(titles.get(m, ""))[:60] for m in t.msg_ids[:5]) for t in topics]
    with govern(caller, SCENARIO, input="\n".join(lines), decisions="off") as g:
        reply = g.chat([{"role": "system", "content": _DESCRIBE_PROMPT}, {"role": "user", "content": g.masked}])
        found: dict[int, str] = {}
        for line in (reply.text or "").splitlines():
            m = re.match(r"\s*(\d+)\s*[.、．:：]\s*(.+)", line)
            if m and m.group(2).strip():
                found[int(m.group(1))] = m.group(2).strip()[:120]
        done = 0
        for t in topics:
            if t.rank in found:
                t.description, t.described_by = found[t.rank], "model"
                done += 1
        g.finish(output=reply.text, action="describe", extra={"topics": len(topics), "described": done})
    return done


# ---------------------------------------------------------------------------------------------- tickets

HOTSPOT_ROLES = ("manager", "admin")  # leadership views; agents see tickets, not the department's hotspots


def check_role(caller: Caller) -> None:
    """Hotspots are for the department's managers and administrators, never for citizens."""
    if caller.role not in HOTSPOT_ROLES:
        raise Forbidden("hotspots_forbidden", "只有本部门的决策者和管理员可以查看热点分析",
                        "Only the department's managers and administrators may see the hotspot analysis")


def ticket_count(caller: Caller) -> tuple[int, int]:
    """(number of the department's tickets, newest ticket id): what tells a stored result from a fresh one."""
    from sqlalchemy import func, or_, select

    from zhengwu.hotline.models import Ticket
    from zhengwu.store import session_scope

    check_role(caller)
    with session_scope() as s:
        n, newest = s.execute(select(func.count(Ticket.id), func.max(Ticket.id)).where(or_(
            Ticket.department == caller.department, Ticket.responsible_department == caller.department))).one()
    return n or 0, newest or 0


def ticket_records(caller: Caller, *, since: datetime | None = None, limit: int = 500_000) -> list[dict]:
    """The department's tickets as mining records. The filer is a one-way digest of name and contact, used
    only to tell many people from one person filing again; no contact data leaves this function."""
    from sqlalchemy import or_, select

    from zhengwu.hotline.models import Ticket
    from zhengwu.store import session_scope

    check_role(caller)
    cols = (Ticket.id, Ticket.title, Ticket.summary, Ticket.text, Ticket.received_at, Ticket.likes,
            Ticket.location_text, Ticket.community, Ticket.caller_name, Ticket.contact)
    q = select(*cols).where(or_(Ticket.department == caller.department,
                                Ticket.responsible_department == caller.department))
    if since is not None:
        q = q.where(Ticket.received_at >= since)
    out = []
    with session_scope() as s:
        for tid, title, summary, text, at, likes, loc, community, name, contact in s.execute(
                q.order_by(Ticket.id).limit(limit)):
            who = f"{name or ''}|{contact or ''}"
            out.append({"msg_id": tid, "title": title or summary or "", "text": text or summary or "",
                        "time": at, "likes": likes or 0, "location": loc or community or "",
                        "user": hashlib.sha256(who.encode()).hexdigest()[:16] if who != "|" else ""})
    return out
