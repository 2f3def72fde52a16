"""Hotspot mining on real messages: the pool of 4,326 citizen messages (when /work/shared/eval is present),
real law articles for scale and untimed input, and bad files as a careless user would give them."""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from datetime import datetime, timedelta

import pytest

from tests.conftest import CORPUS, EVAL, run_cli
from zhengwu.context import Caller
from zhengwu.errors import Forbidden, ZhengwuError
from zhengwu.hotline import hotspots
from zhengwu.hotline.hotspots import mine, parse_time, read_messages

POOL = EVAL / "citizen_messages" / "hotspot_pool.jsonl"
LAWS = CORPUS / "laws" / "laws.jsonl"
needs_pool = pytest.mark.skipif(not POOL.is_file(), reason=f"evaluation data not present: {POOL}")
needs_laws = pytest.mark.skipif(not LAWS.is_file(), reason=f"shared corpus not present: {LAWS}")


@pytest.fixture(scope="module")
def pool() -> tuple[list[dict], list[hotspots.Topic]]:
    if not POOL.is_file():
        pytest.skip(f"evaluation data not present: {POOL}")
    rows, problems = read_messages(POOL)
    assert not problems
    return rows, mine(rows, top=0)


def _law_articles(n: int) -> list[dict]:
    """Real text without times: articles of the shared law corpus, one message each."""
    out: list[dict] = []
    with LAWS.open(encoding="utf-8") as fh:
        for line in fh:
            doc = json.loads(line)
            for k, para in enumerate(p for p in doc.get("text", "").split("\n") if len(p) > 20):
                out.append({"msg_id": f"{len(out)}", "title": f"{doc.get('title', '')} 第{k + 1}段", "text": para})
                if len(out) >= n:
                    return out
    return out


@needs_pool
def test_every_message_is_in_exactly_one_topic_and_ranks_follow_heat(pool):
    rows, topics = pool
    ids = Counter(m for t in topics for m in t.msg_ids)
    assert set(ids) == {r["msg_id"] for r in rows} and max(ids.values()) == 1
    heats = [t.heat for t in topics]
    assert heats == sorted(heats, reverse=True)
    assert [t.rank for t in topics] == list(range(1, len(topics) + 1))


@needs_pool
def test_top_topics_are_recurring_problems_each_as_one_topic(pool):
    """The top five are problems many people raised again and again, each as one topic about one place or
    matter: most members name the topic's place or share its problem words, and no place leads two of them."""
    rows, topics = pool
    by_id = {r["msg_id"]: r for r in rows}
    top5 = topics[:5]
    for t in top5:
        assert t.size >= 5 and t.people >= 3, t
        words = t.label.split()
        on_topic = sum(1 for m in t.msg_ids
                       if any(w in by_id[m]["title"] + by_id[m]["text"][:300] for w in words))
        assert on_topic / t.size >= 0.8, (t.label, on_topic, t.size)
    places = [t.place for t in top5 if t.place]
    assert len(places) == len(set(places))
    # the biggest recurring topics of the pool are not scattered among small topics below them
    biggest = max(topics, key=lambda t: t.size)
    assert biggest.rank <= 5


@needs_pool
def test_topics_carry_place_time_range_description_and_bursts(pool):
    rows, topics = pool
    by_id = {r["msg_id"]: r for r in rows}
    for t in topics[:10]:
        # extractive: the title of the member closest to the centre, which is listed first
        assert t.description == unicodedata.normalize("NFKC", by_id[t.msg_ids[0]]["title"])
        start, end = (datetime.fromisoformat(x) for x in t.time_range)
        member_times = [parse_time(by_id[m]["time"]) for m in t.msg_ids]
        assert start == min(member_times) and end == max(member_times)
        assert sum(c for _, c in t.weekly) == t.size
        if t.burst:
            assert start.date().isoformat() <= t.burst_week <= end.date().isoformat()
    assert any(t.burst for t in topics[:10])  # the pool's campaigns came in bursts
    assert not any(t.burst for t in topics if t.size < 3)


@needs_pool
def test_window_keeps_only_recent_messages(pool):
    rows, _ = pool
    newest = max(parse_time(r["time"]) for r in rows)
    topics = mine(rows, top=0, window=30)
    times = {r["msg_id"]: parse_time(r["time"]) for r in rows}
    kept = [m for t in topics for m in t.msg_ids]
    assert kept and all(times[m] >= newest - timedelta(days=30) for m in kept)
    assert len(kept) == sum(1 for t in times.values() if t >= newest - timedelta(days=30))


def test_heat_grows_with_people_likes_and_growth():
    base = hotspots._heat(5, 0, 0, 0, 1.0)
    assert hotspots._heat(10, 0, 0, 0, 1.0) > base
    assert hotspots._heat(5, 3, 0, 0, 1.0) > base
    assert hotspots._heat(5, 0, 100, 0, 1.0) > hotspots._heat(5, 0, 10, 0, 1.0) > base
    assert hotspots._heat(5, 0, 0, 0, 3.0) > base
    # one message with many likes does not outrank a problem many people raised
    assert hotspots._heat(30, 0, 0, 0, 1.0) > hotspots._heat(1, 0, 2000, 0, 1.0)


def test_times_in_the_forms_hotline_exports_use():
    assert parse_time("2019/2/28 11:25:05") == datetime(2019, 2, 28, 11, 25, 5)
    assert parse_time("2019-11-02 10:18:00") == datetime(2019, 11, 2, 10, 18)
    assert parse_time("2019年3月1日") == datetime(2019, 3, 1)
    assert parse_time("2019-11-02T10:18:00+08:00") == datetime(2019, 11, 2, 10, 18)
    for bad in ("", None, "昨天", "2019/13/45", True):
        assert parse_time(bad) is None


@needs_pool
def test_places_tell_estates_apart_and_words_are_not_places(pool):
    rows, _ = pool
    found = Counter(name for r in rows for name, specific in hotspots.places(r["title"]) if specific)
    for name in found:
        assert not any(w in name for w in ("投诉", "政府", "建设", "请")), name
    assert hotspots._same_place(frozenset({"滨河苑"}), frozenset({"伊景园滨河苑"}))
    assert not hotspots._same_place(frozenset({"丽发新城"}), frozenset({"魅力之城"}))


@needs_laws
def test_untimed_ten_thousand_rows(tmp_path):
    rows = _law_articles(10_000)
    assert len(rows) == 10_000
    topics = mine(rows, top=0)
    assert sum(t.size for t in topics) == 10_000
    assert all(t.time_range is None and not t.burst and t.weekly == [] for t in topics)
    assert mine(rows, top=0, window=30) == []  # a window keeps only messages with a time


def test_bad_files_are_reported_by_line_and_nothing_usable_is_lost(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(ZhengwuError) as exc:
        read_messages(empty)
    assert "没有可用的留言" in exc.value.zh and "No usable messages" in exc.value.en
    with pytest.raises(ZhengwuError):
        read_messages(tmp_path / "missing.jsonl")
    messy = tmp_path / "messy.jsonl"
    messy.write_text("\n".join([
        json.dumps({"msg_id": 1, "title": "反映小区噪音扰民", "text": "夜间施工噪音严重", "time": "2019/5/1 8:00:00"},
                   ensure_ascii=False),
        '{"msg_id": 2, "title": "少了括号"',
        json.dumps([1, 2], ensure_ascii=False),
        json.dumps({"msg_id": 4, "title": "", "text": ""}, ensure_ascii=False),
        json.dumps({"title": "无编号的留言", "text": "内容", "time": "某天"}, ensure_ascii=False),
    ]), encoding="utf-8")
    rows, problems = read_messages(messy)
    assert [r["msg_id"] for r in rows] == [1, "L5"]
    text = "\n".join(problems)
    for no in (2, 3, 4):
        assert f"第 {no} 行" in text and f"line {no}" in text
    assert "无法识别" in text  # the unreadable time of line 5
    topics = mine(rows, top=0)
    assert sorted(str(m) for t in topics for m in t.msg_ids) == ["1", "L5"]


def test_cli_reports_bad_lines_and_empty_files(zw_env, tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    r = run_cli("eval", "hotspots", "--messages", str(empty))
    assert r.returncode == 2 and "错误" in r.stderr and "Error" in r.stderr and "Traceback" not in r.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"msg_id": 7, "title": "路灯不亮", "text": "小区路灯坏了一个月"}, ensure_ascii=False)
                   + "\n{oops\n", encoding="utf-8")
    r = run_cli("eval", "hotspots", "--messages", str(bad), "--json")
    assert r.returncode == 0, r.stderr
    assert "第 2 行" in r.stderr and "line 2" in r.stderr
    out = json.loads(r.stdout)
    assert [t["msg_ids"] for t in out["topics"]] == [[7]]
    r = run_cli("hotline", "hotspots", "--messages", str(bad), "--report", str(tmp_path / "r.pdf"))
    assert r.returncode == 2 and ".docx" in r.stderr


@needs_pool
def test_eval_command_json_lists_every_cluster(zw_env):
    r = run_cli("eval", "hotspots", "--messages", str(POOL), "--top", "0", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert set(out) >= {"topics", "seconds"} and out["seconds"] > 0
    topics = out["topics"]
    assert all(set(t) >= {"rank", "label", "heat", "msg_ids"} for t in topics)
    assert [t["heat"] for t in topics] == sorted((t["heat"] for t in topics), reverse=True)
    n = sum(1 for line in POOL.open(encoding="utf-8") if line.strip())
    assert sum(len(t["msg_ids"]) for t in topics) == n
    r = run_cli("eval", "hotspots", "--messages", str(POOL), "--top", "3")
    assert r.returncode == 0 and r.stdout.count("\n#") + r.stdout.startswith("#") == 3 and " s" in r.stdout


@needs_pool
def test_reports_in_html_and_docx_carry_charts_and_the_ai_label(zw_env, tmp_path):
    from docx import Document

    from zhengwu.gateway import read_docx_aigc

    html_out, docx_out = tmp_path / "hot.html", tmp_path / "hot.docx"
    for out in (html_out, docx_out):
        r = run_cli("hotline", "hotspots", "--messages", str(POOL), "--top", "8", "--report", str(out))
        assert r.returncode == 0, r.stderr
    page = html_out.read_text(encoding="utf-8")
    assert page.count("<svg") == 2 and "<polyline" in page and "人工智能" in page
    assert "<script" not in page
    doc = Document(str(docx_out))
    assert len(doc.inline_shapes) == 2
    assert len(doc.tables[0].rows) == 9
    assert "人工智能" in "\n".join(p.text for p in doc.paragraphs)
    assert read_docx_aigc(docx_out)


def _store_tickets(caller: Caller, rows: list[dict]) -> None:
    from zhengwu.hotline.tickets import create_ticket

    for r in rows:
        create_ticket(caller, {"title": r["title"], "text": r["text"][:2000], "likes": int(r.get("likes") or 0),
                               "received_at": parse_time(r["time"]).isoformat(), "external_id": str(r["msg_id"])})


@needs_pool
def test_department_tickets_are_mined_for_managers_only(zw_env, pool):
    rows, topics = pool
    top = topics[0]
    members = set(top.msg_ids)
    chosen = [r for r in rows if r["msg_id"] in members] + [r for r in rows[:60] if r["msg_id"] not in members]
    _store_tickets(Caller("agent1", "city-12345", "agent"), chosen)
    _store_tickets(Caller("agent2", "other-city", "agent"), rows[60:80])
    records = hotspots.ticket_records(Caller("boss", "city-12345", "manager"))
    assert len(records) == len({r["msg_id"] for r in chosen})
    mined = mine(records, top=1)[0]
    assert mined.size >= 0.9 * len(top.msg_ids)
    assert len(hotspots.ticket_records(Caller("boss2", "other-city", "manager"))) == 20
    for role in ("citizen", "agent", "auditor"):
        with pytest.raises(Forbidden):
            hotspots.ticket_records(Caller("x", "city-12345", role))
    r = run_cli("hotline", "hotspots", "--top", "2", "--json",
                env_extra={"ZHENGWU_USER": "boss", "ZHENGWU_DEPARTMENT": "city-12345", "ZHENGWU_ROLE": "manager"})
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["n"] == len(records) and out["topics"][0]["size"] == mined.size
    r = run_cli("hotline", "hotspots", env_extra={"ZHENGWU_DEPARTMENT": "city-12345", "ZHENGWU_ROLE": "agent"})
    assert r.returncode == 2 and "决策者" in r.stderr and "managers" in r.stderr


@needs_pool
def test_descriptions_by_a_model_go_through_the_door_with_one_audit_record(zw_env, monkeypatch, pool):
    from sqlalchemy import func, select

    from tests.conftest import fixed_reply_server, use_backend
    from zhengwu.gateway.models import AuditRecord
    from zhengwu.store import session_scope

    rows, _ = pool
    titles = {r["msg_id"]: r["title"] for r in rows}
    caller = Caller("boss", "city-12345", "manager")
    topics = mine(rows, top=3)
    extractive = [t.description for t in topics]
    assert hotspots.describe_with_model(caller, topics, titles) == 0  # no model configured: nothing changes
    assert [t.description for t in topics] == extractive

    with fixed_reply_server("1. 第一个热点的描述\n2、第二个热点的描述\n说明文字不是描述") as httpd:
        use_backend(monkeypatch, httpd.url, retries="0")
        assert hotspots.describe_with_model(caller, topics, titles) == 2
    assert [t.described_by for t in topics] == ["model", "model", "extractive"]
    assert topics[0].description == "第一个热点的描述" and topics[2].description == extractive[2]
    sent = httpd.received[0]["messages"][-1]["content"]
    assert titles[topics[0].msg_ids[0]][:10] in sent
    with session_scope() as s:
        n = s.scalar(select(func.count()).select_from(AuditRecord).where(AuditRecord.scenario == "hotline_hotspots"))
    assert n == 1
