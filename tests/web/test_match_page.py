"""The public policy-matching page (/match) over the real HTTP server: a description, at most three follow-up
questions answered by re-posting the page's own forms, the schemes with the rule's sentences and sources; bad
input as a careless user or an attacker would send it; cross-site posts refused."""

from __future__ import annotations

import html
import os
import re
from html.parser import HTMLParser

import httpx
import pytest

from tests.conftest import signed_in
from zhengwu.match.vocabulary import fact, vocabulary


def publish_catalog(department: str, only: set[str] | None = None) -> None:
    """The shipped demo catalogue (or some of its schemes), published in `department` by an administrator."""
    from zhengwu.context import Caller
    from zhengwu.match.catalog import Catalog, demo_catalog_path, load_catalog
    from zhengwu.match.store import import_catalog

    catalog = load_catalog(demo_catalog_path())
    if only is not None:
        catalog = Catalog(schemes=[s for s in catalog.schemes if s.id in only])
    import_catalog(Caller("test-setup", department, "admin"), catalog, publish=True)


class Page(HTMLParser):
    """The parts of a /match page a browser would use: every form's fields (by form id), the question's fact and
    the schemes it can change, each scheme's group and label, links, the alert text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.forms: dict[str, dict[str, str]] = {}
        self.question: dict[str, str] | None = None
        self.schemes: dict[str, str] = {}       # scheme id -> label
        self.missing: dict[str, list[str]] = {}  # scheme id -> the facts still to confirm
        self.links: list[str] = []
        self._form: str | None = None
        self._in_alert = False
        self.alert = ""
        self.textarea = ""
        self._in_textarea = False
        self.feed(html)
        self.text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = a.get("id", "")
            self.forms[self._form] = {}
            if self._form == "match-question":
                self.question = {"fact": a["data-fact"], "schemes": a["data-schemes"]}
        elif tag == "input" and self._form is not None and a.get("type") == "hidden":
            self.forms[self._form][a["name"]] = a.get("value", "")
        elif tag == "article" and "data-scheme" in a:
            self.schemes[a["data-scheme"]] = a["data-label"]
            self.missing[a["data-scheme"]] = a["data-missing"].split()
        elif tag == "a" and "href" in a:
            self.links.append(a["href"])
        elif tag == "p" and a.get("role") == "alert":
            self._in_alert = True
        elif tag == "textarea":
            self._in_textarea = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "p":
            self._in_alert = False
        elif tag == "textarea":
            self._in_textarea = False

    def handle_data(self, data: str) -> None:
        if self._in_alert:
            self.alert += data
        if self._in_textarea:
            self.textarea += data


def audit_records() -> list:
    """The server's audit records of matching (it shares the test's database)."""
    from sqlalchemy import select

    from zhengwu.gateway.models import AuditRecord
    from zhengwu.store import session_scope

    with session_scope() as s:
        return list(s.scalars(select(AuditRecord).where(AuditRecord.scenario == "match.advise")))


def post(client: httpx.Client, data: dict) -> tuple[httpx.Response, Page]:
    r = client.post("/match", data=data)
    return r, Page(r.text)


def answer_for(fact: str, persona: dict) -> str:
    """What a resident who knows their situation answers (the vocabulary decides the widget); otherwise
    "不清楚"."""
    if fact not in persona:
        return "__skip__"
    value = persona[fact]
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@pytest.fixture(scope="module")
def match_server(request, tmp_path_factory):
    """One real server for a module's tests (a start costs seconds of CPU on a shared machine), over an
    isolated installation of its own (as `zw_env` makes one per test) with the shipped demo catalogue published
    in the public department, which anonymous residents are matched in."""
    import tests.conftest as c
    from zhengwu.config import reset_settings
    from zhengwu.store.db import reset_engines

    tmp = tmp_path_factory.mktemp("match-web")
    pg_name = None
    with pytest.MonkeyPatch.context() as mp:
        for key in list(os.environ):
            if key.startswith("ZHENGWU_") and key not in ("ZHENGWU_SHARED", "ZHENGWU_TEST_DATABASE"):
                mp.delenv(key)
        mp.setenv("ZHENGWU_DATA_DIR", str(tmp / "data"))
        mp.setenv("ZHENGWU_CONFIG", str(tmp / "zhengwu.toml"))
        mp.setenv("ZHENGWU_EMBEDDER", "none")
        if c.ON_POSTGRES:
            pg_name = f"zw_t_match_{os.getpid()}_{id(request.module) % 10**6}"
            mp.setenv("ZHENGWU_DATABASE_URL", c._fresh_pg_database(request.getfixturevalue("pg_server"),
                                                                   request.getfixturevalue("pg_template"), pg_name))
        else:
            c._copy_sqlite_template(request.getfixturevalue("sqlite_template"), tmp / "data")
        reset_settings()
        reset_engines()
        publish_catalog("default")
        with c.running_server() as base:
            yield base
        reset_engines()
    reset_settings()
    if pg_name is not None:
        c._drop_pg_database(request.getfixturevalue("pg_server"), pg_name)


@pytest.fixture
def live_server(match_server):
    return match_server


@pytest.fixture
def client(live_server):
    with httpx.Client(base_url=live_server, headers={"Origin": live_server, "Accept-Language": "zh-CN"},
                      timeout=120) as c:
        yield c


def test_page_linked_from_home_and_nav(client):
    home = client.get("/")
    assert 'href="/match"' in home.text
    page = client.get("/match")
    assert page.status_code == 200
    assert "惠民惠企政策匹配" in page.text and "仅供参考，不是审批决定" in page.text
    assert 'name="target" value="enterprise"' in page.text  # the 个人 / 企业 switch
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "<script>" not in page.text  # strict CSP: no inline scripts


def test_unemployed_resident_three_rounds_at_most(client):
    """The issue's example: a laid-off resident; each question changes the schemes it names; after three the
    page stops asking and shows the schemes with reasons, sources and the deciding office."""
    persona = {"ui_contribution_months": 36, "registered_unemployed": True, "job_seeking": True,
               "residence_permit_local": False, "hukou": "广州市", "holds_business_license": False,
               "receiving_pension": False, "remaining_ui_entitlement": False}
    n_records = len(audit_records())
    text = "我今年45岁，广州户籍，上个月被公司裁员了，已经办了失业登记，正在找工作"
    r, page = post(client, {"action": "start", "target": "person", "text": text})
    assert r.status_code == 200, page.alert
    assert page.question is not None
    assert "age" in r.text and 'value="45"' in r.text  # what was understood, editable
    rounds = 0
    while page.question is not None:
        rounds += 1
        assert rounds <= 3
        q = page.question
        assert all(q["fact"] in page.missing[sid] for sid in q["schemes"].split() if sid in page.missing)
        form = dict(page.forms["match-question"], q_value=answer_for(q["fact"], persona))
        r, page = post(client, form)
        assert r.status_code == 200, page.alert
        if form["q_value"] != "__skip__":  # the answer settles that fact for every scheme the question named
            assert not any(q["fact"] in page.missing.get(sid, []) for sid in q["schemes"].split())
    assert "已问满" in page.text or "没有更多需要询问的问题" in page.text
    # one audit record per round (the description and each answer), and the resident's words are not kept
    records = audit_records()[n_records:]
    assert len(records) == rounds + 1
    assert not any(text in (rec.input_text or "") or "45岁" in (rec.input_text or "") for rec in records)
    assert page.schemes, "no scheme shown"
    assert "以上结果仅供参考，不是审批决定" in page.text
    # the national 条例: 36 months paid, laid off, registered, seeking work → eligible, with the rule's words
    assert page.schemes.get("law-失业保险条例-1999-01-22") == "eligible"
    assert "已办理失业登记，并有求职要求的" in page.text
    assert "国务院令第258号" in page.text


def test_elderly_eligible_with_source_link(client):
    r, page = post(client, {"action": "start", "target": "person", "text": "我今年62岁，广州户籍，退休在家"})
    assert r.status_code == 200
    elders = [sid for sid, label in page.schemes.items() if sid.startswith("gz-policy-33")]
    assert elders and all(page.schemes[sid] == "eligible" for sid in elders)
    assert "年满60周岁，具有本市户籍或者持有本市有效居住证件的公民" in page.text
    assert "https://www.gz.gov.cn/zwgk/fggw/wyzzc/content/post_8300620.html" in page.links
    assert "广州市人民政府令第179号" in page.text


def test_conflict_is_asked_back_first(client):
    r, page = post(client, {"action": "start", "target": "person", "text": "我60岁，广州户籍……我今年45岁"})
    assert r.status_code == 200
    assert page.question is not None and page.question["fact"] == "age"
    assert "前后不一致" in page.text and "60" in page.text and "45" in page.text


def test_decision_request_gets_guidance_never_approval(client):
    text = "我今年62岁，广州户籍，我能不能拿到这笔补贴，你直接批给我"
    _, plain = post(client, {"action": "start", "target": "person", "text": "我今年62岁，广州户籍"})
    r, page = post(client, {"action": "start", "target": "person", "text": text})
    assert r.status_code == 200
    assert page.schemes == plain.schemes  # the same outcomes as without the request
    assert "本平台不能替您审批" in page.text
    assert "已批准" not in page.text and "批准您" not in page.text


def test_impossible_value_refused_and_text_kept(client):
    text = "我今年200岁，广州户籍"
    r, page = post(client, {"action": "start", "target": "person", "text": text})
    assert r.status_code == 400
    assert "年龄" in page.alert and "200" in page.alert
    assert page.textarea.strip() == text  # nothing lost: the description is back for correction
    assert not page.schemes


def test_bad_answers_keep_the_round(client):
    _, page = post(client, {"action": "start", "target": "person", "text": "我今年62岁，广州户籍，上个月被公司裁员了"})
    assert page.question is not None
    state = page.forms["match-question"]
    vocab = vocabulary()
    int_fact = next(n for n, f in vocab.items() if f.type == "int" and f.max is not None)
    # an impossible number for an int fact, a word for a number, an unknown fact: bilingual errors, round kept
    for q_fact, q_value, words in ((int_fact, str(vocab[int_fact].max + 1), vocab[int_fact].zh),
                                   (int_fact, "很多", "整数"), ("no_such_fact", "1", "未知的事实项")):
        r, again = post(client, dict(state, q_fact=q_fact, q_value=q_value))
        assert r.status_code == 400, q_value
        assert words in again.alert
        assert again.question == page.question and again.schemes == page.schemes
    r = client.post("/match?lang=en", data=dict(state, q_fact=int_fact, q_value="很多"))
    assert r.status_code == 400 and "whole number" in Page(r.text).alert


def test_tampered_state_refused(client):
    base = {"action": "answer", "target": "person", "text": "我今年62岁", "asked": "[]", "q_fact": "hukou",
            "q_value": "广州市"}
    for answers, words in (("not json", "页面状态"), ('{"age": 999}', "年龄"), ('{"is_admin": true}', "未知的事实项"),
                           ('["age"]', "页面状态")):
        r, page = post(client, dict(base, answers=answers))
        assert r.status_code == 400, answers
        assert words in page.alert
        assert page.textarea.strip() == "我今年62岁"
    r, page = post(client, {"action": "start", "target": "person", "text": "   "})
    assert r.status_code == 400 and "请描述您的情况" in page.alert


def test_at_most_three_rounds_even_if_state_says_more(client):
    _, page = post(client, {"action": "start", "target": "person", "text": "我今年45岁，上个月被公司裁员了"})
    state = dict(page.forms["match-question"])
    state["asked"] = '["hukou", "gender", "stable_job", "points"]'  # a forged longer history
    r, after = post(client, dict(state, q_value="__skip__"))
    assert r.status_code == 200
    assert after.question is None


def test_enterprise_switch_shows_only_enterprise_schemes(client):
    _, person = post(client, {"action": "start", "target": "person", "text": "我们是在广州注册的小微企业，现有20名职工"})
    _, firm = post(client, {"action": "start", "target": "enterprise",
                            "text": "我们是在广州注册的小微企业，现有20名职工"})
    assert firm.schemes and set(firm.schemes).isdisjoint(person.schemes)


def test_cross_site_post_refused(client, live_server):
    r = httpx.post(live_server + "/match", data={"action": "start", "text": "我今年62岁"},
                   headers={"Origin": "https://evil.example"})
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "cross_site_request"


def test_another_departments_catalogue_not_shown(client, live_server):
    """A signed-in officer of another department is matched against that department's catalogue only: here
    one scheme of it, not the public department's 28; a department without a catalogue gets a clear error."""
    publish_catalog("人社局", only={"law-失业保险条例-1999-01-22"})
    other = signed_in(live_server, "hr-officer", "人社局", "officer")
    r, page = post(other, {"action": "start", "target": "person", "text": "我今年62岁，广州户籍，上个月被公司裁员了"})
    assert r.status_code == 200, page.alert
    assert set(page.schemes) == {"law-失业保险条例-1999-01-22"}
    _, public = post(client, {"action": "start", "target": "person", "text": "我今年62岁，广州户籍，上个月被公司裁员了"})
    assert "gz-policy-33" in public.schemes and len(public.schemes) > 1
    empty = signed_in(live_server, "civil-officer", "民政局", "officer")
    r, page = post(empty, {"action": "start", "target": "person", "text": "我今年62岁，广州户籍"})
    assert r.status_code == 404 and "没有已发布的政策目录" in page.alert and not page.schemes


def test_edit_understood_facts_and_add_optional_ones(client):
    """The understood facts are editable (a corrected age changes the outcome) and the optional fields add
    facts without using up a question round; an emptied fact is no longer used."""
    _, page = post(client, {"action": "start", "target": "person", "text": "我今年58岁，广州户籍"})
    assert page.schemes.get("gz-policy-33") == "not_eligible"
    state = page.forms["match-facts"]
    r, fixed = post(client, dict(state, **{"fact.age": "61", "fact.hukou": "广州市"}))
    assert r.status_code == 200 and fixed.schemes.get("gz-policy-33") == "eligible"
    assert fixed.forms["match-facts"]["asked"] == "[]"  # an edit is not a question round
    assert 'name="add.' in r.text  # the optional fields: facts the open questions ask about
    extra = re.findall(r'name="add\.([a-z_0-9]+)"', r.text)
    assert extra and all(name in vocabulary() for name in extra)
    r, dropped = post(client, dict(fixed.forms["match-facts"], **{"fact.age": "", "fact.hukou": "广州市"}))
    assert r.status_code == 200 and dropped.schemes.get("gz-policy-33") == "maybe"
    r, added = post(client, dict(fixed.forms["match-facts"], **{"fact.age": "61", "fact.hukou": "广州市",
                                                                "add.ui_contribution_months": "24"}))
    assert r.status_code == 200 and 'id="fact-ui_contribution_months"' in r.text
    r, bad = post(client, dict(fixed.forms["match-facts"], **{"fact.age": "61", "add.ui_contribution_months": "-3"}))
    assert r.status_code == 400 and "失业保险缴费时间" in bad.alert
    assert bad.schemes == fixed.schemes  # the round before the refused edit, nothing lost


def test_a_closed_value_is_chosen_from_the_vocabulary_and_an_alias_is_mapped(client):
    """提取原因 is a list of the vocabulary's values on the page; a posted alias (退休) is matched as its value and
    shown selected; a value outside the list is refused with the allowed values, the round kept."""
    _, page = post(client, {"action": "start", "target": "person", "text": "我一直在交住房公积金，想把钱取出来"})
    state = page.forms["match-facts"]
    r, done = post(client, dict(state, **{"add.withdrawal_reason": "退休"}))
    assert r.status_code == 200 and done.schemes.get("law-住房公积金管理条例-2019-03-24") == "eligible"
    assert re.search(r'<option value="离休退休"\s+selected>', r.text)
    r, bad = post(client, dict(state, **{"add.withdrawal_reason": "炒股"}))
    assert r.status_code == 400 and "提取原因" in bad.alert and "偿还购房贷款本息" in bad.alert
    assert bad.schemes == page.schemes


def test_unknown_place_said_not_guessed(client):
    r, page = post(client, {"action": "start", "target": "person", "text": "我今年62岁，户口在火星市"})
    assert r.status_code == 200
    assert "火星市" in page.text and "未能识别" in page.text
    assert page.schemes.get("gz-policy-33") == "maybe"  # not taken as 广州


def test_edit_contradicting_birth_date_keeps_the_round(client):
    """Age 66 follows from the date of birth; an edited age of 30 contradicts it: refused naming both, and the
    round before the edit is shown again."""
    _, page = post(client, {"action": "start", "target": "person", "text": "我1960年3月5日出生，广州户籍"})
    assert page.schemes.get("gz-policy-33") == "eligible"
    form = dict(page.forms["match-facts"], **{"fact.birth_date": "1960-03-05", "fact.hukou": "广州市",
                                               "fact.age": "30"})
    r, again = post(client, form)
    assert r.status_code == 400 and "出生日期" in again.alert
    assert again.schemes == page.schemes and again.forms["match-facts"]["answers"] == "{}"


def test_with_a_model_the_understood_facts_carry_the_ai_label(zw_env, fixed_reply_model):
    """Without a model the page shows no AI label (nothing generated); with one, the model fills a fact the rules
    left open (through the door, in the round's one audit record) and the understood facts carry the label."""
    from tests.conftest import running_server

    publish_catalog("default")
    text = "我67岁，在广州帮女儿带孩子，兜里揣着广州的居住证"
    fixed_reply_model.reply = '{"residence_permit_local": {"value": true, "words": "兜里揣着广州的居住证"}}'
    with running_server() as base:
        with httpx.Client(base_url=base, headers={"Origin": base}, timeout=120) as c:
            r, page = post(c, {"action": "start", "target": "person", "text": text})
    assert r.status_code == 200, page.alert
    assert len(fixed_reply_model.received) == 1
    assert "data-ai-label" in r.text and "人工智能生成" in r.text
    assert 'id="fact-residence_permit_local"' in r.text
    # the model's fact is shown as inferred, with its words, for the resident to check (the field stays editable)
    assert "match-inferred" in r.text and "推断自“兜里揣着广州的居住证”，请核对" in page.text
    assert page.schemes.get("gz-policy-33") == "eligible"
    assert len(audit_records()) == 1



def test_without_a_model_no_ai_label(client):
    r, _ = post(client, {"action": "start", "target": "person", "text": "我今年62岁，广州户籍"})
    assert r.status_code == 200 and "data-ai-label" not in r.text


CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")


def test_a_guangzhou_resident_sees_other_areas_apart_and_why(client):
    """The demo catalogue holds 上海, 浙江 and 重庆 schemes: a 广州 resident sees them only in the collapsed
    "other areas" group, counted, each with the reason, never as eligible or maybe."""
    r, page = post(client, {"action": "start", "target": "person",
                            "text": "我住在广州，今年70岁，家里是低保户，没有劳动能力，也没有子女"})
    assert r.status_code == 200
    groups = dict(re.findall(r'data-group="([a-z_]+)".*?match-count">\((\d+)\)', r.text, re.S))
    elsewhere = r.text.split('data-group="elsewhere"', 1)[1].split("</section>", 1)[0]
    ids = set(re.findall(r'data-scheme="([^"]+)"', elsewhere))
    assert ids and all(("上海" in i or "浙江" in i or "重庆" in i) for i in ids)
    assert int(groups["elsewhere"]) == len(ids) and "<details" in elsewhere
    assert "适用地区：重庆市，您在广州市" in elsewhere
    assert all(page.schemes[i] == "not_eligible" for i in ids)
    r = client.post("/match?lang=en", data={"action": "start", "target": "person",
                                             "text": "我住在广州，今年70岁，家里是低保户"})
    assert "Schemes of other areas" in r.text and "applies in 上海市; you live in 广州市" in r.text
    assert 'id="match-area-presumed"' not in r.text   # she said where she lives
    unsaid = client.post("/match?lang=zh", data={"action": "start", "target": "person", "text": "我今年70岁，低保户"})
    assert "您没有说明所在城市" in unsaid.text and "本市（广州市）" in unsaid.text
    # the JSON API: each outcome says its region and whether it is the resident's, other areas last, counted
    body = client.post("/api/match", json={"text": "我住在广州，今年70岁，家里是低保户"}).json()
    flags = [o["in_region"] is False for o in body["outcomes"]]
    assert body["other_regions"] == sum(flags) > 0 and flags == sorted(flags)
    assert {o["region"] for o in body["outcomes"] if o["in_region"] is False} == {"上海市", "浙江省", "重庆市"}
    offered = {o["scheme_id"] for o in body["outcomes"] if o["label"] in ("eligible", "maybe")}
    assert {i for g in body["offices"] for i in g["schemes"]} <= offered and body["offices"]


def test_a_refused_edit_is_one_audit_record_and_keeps_what_was_typed(client):
    """An edited age that contradicts the date of birth, and an impossible number typed into an optional fact: the
    bilingual error, the typed values back in the fields, and one audit record for the request at most."""
    r, page = post(client, {"action": "start", "target": "person",
                            "text": "我1960年3月5日出生，广州户籍，上个月被公司裁员了"})
    state = page.forms["match-facts"]
    # whichever number the optional fields offer (their order follows the questions'), typed below its minimum
    offered = [fact(name) for name in re.findall(r'name="add\.(\w+)"', r.text)]
    numeric = next(f for f in offered if f.type == "int" and f.min is not None)
    for fields, words_zh, words_en in (
            ({"fact.birth_date": "1960-03-05", "fact.hukou": "广州市", "fact.age": "30"}, "出生日期", "date of birth"),
            ({"fact.birth_date": "1960-03-05", "fact.hukou": "广州市", "fact.age": "66",
              f"add.{numeric.name}": str(numeric.min - 1)}, numeric.zh.split("（")[0], numeric.en)):
        for lang, words in (("zh", words_zh), ("en", words_en)):
            before = len(audit_records())
            r = client.post(f"/match?lang={lang}", data=dict(state, **fields))
            again = Page(r.text)
            assert r.status_code == 400 and words in again.alert, (lang, again.alert)
            assert len(audit_records()) - before <= 1
            for key, value in fields.items():   # what the resident typed is still there to correct
                assert re.search(rf'name="{re.escape(key)}"[^>]*value="{re.escape(value)}"', r.text), key
            assert again.forms["match-facts"]["answers"] == "{}"   # the state is the round before the edit


def test_pages_are_gzip_compressed_for_a_client_that_accepts_it(live_server):
    """Over real HTTP: the page, a result and the API answer gzip-compressed when asked, plain otherwise."""
    import gzip
    import http.client
    from urllib.parse import urlencode, urlsplit

    host = urlsplit(live_server)
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=120)
    conn.request("GET", "/match", headers={"Accept-Encoding": "gzip"})
    resp = conn.getresponse()
    raw = resp.read()
    assert resp.status == 200 and resp.getheader("Content-Encoding") == "gzip"
    html = gzip.decompress(raw).decode("utf-8")
    assert "惠民惠企政策匹配" in html and len(raw) < len(html.encode("utf-8"))
    form = urlencode({"action": "start", "target": "person", "text": "我今年62岁，广州户籍，上个月被公司裁员了"})
    conn.request("POST", "/match", body=form, headers={"Accept-Encoding": "gzip", "Origin": live_server,
                                                       "Content-Type": "application/x-www-form-urlencoded"})
    resp = conn.getresponse()
    raw = resp.read()
    assert resp.status == 200 and resp.getheader("Content-Encoding") == "gzip"
    html = gzip.decompress(raw).decode("utf-8")
    assert 'data-scheme="gz-policy-33"' in html and len(raw) < len(html.encode("utf-8")) / 4  # tens of kB → a few
    conn.request("GET", "/match")
    resp = conn.getresponse()
    assert resp.getheader("Content-Encoding") is None and "惠民惠企政策匹配" in resp.read().decode("utf-8")
    conn.request("POST", "/api/match", body='{"text": "我今年62岁，广州户籍"}'.encode("utf-8"),
                 headers={"Accept-Encoding": "gzip", "Content-Type": "application/json", "Origin": live_server})
    resp = conn.getresponse()
    raw = resp.read()
    assert resp.status == 200 and resp.getheader("Content-Encoding") == "gzip"
    assert "outcomes" in gzip.decompress(raw).decode("utf-8")
    conn.close()


def test_english_page_has_no_chinese_only_chrome(live_server):
    """The English page, anonymous and signed in: every word of the page's own chrome is English (the only
    Chinese is the switch back to 中文 and the quoted examples of a description)."""
    anon = httpx.Client(base_url=live_server, headers={"Origin": live_server}, timeout=120)
    user = signed_in(live_server, "en-resident", "default", "officer")
    for c in (anon, user):
        r = c.get("/match?lang=en")
        # the examples of what to type are Chinese on purpose (the reader reads Chinese), quoted and glossed
        text = re.sub(r"“[^”]*”", "", Page(r.text).text).replace("中文", "")
        assert r.status_code == 200 and not CJK.findall(text), CJK.findall(text)[:20]
    assert "Sign out" in user.get("/match?lang=en").text and "Sign in" in anon.get("/match?lang=en").text


def test_a_refused_answer_is_shown_again_in_its_field_escaped(client):
    """A typo in an answer is corrected, not typed again: the refused text is back in the question's field (as
    text, never as markup), the round is the one before it."""
    _, page = post(client, {"action": "start", "target": "person", "text": "广州户口，想办老人优待证"})
    state = page.forms["match-question"]
    vocab = vocabulary()
    q_fact = state["q_fact"]
    assert vocab[q_fact].type == "int" and not vocab[q_fact].values  # this description's first question is a number
    for typed in (str(vocab[q_fact].max + 1), '十二"><script>alert(1)</script>'):
        r, again = post(client, dict(state, q_value=typed))
        assert r.status_code == 400 and again.question == page.question
        field = re.search(r'<input id="q-value"[^>]*>', r.text).group(0)
        assert f'value="{html.escape(typed, quote=True)}"' in field.replace("&#34;", "&quot;").replace("&#39;", "&#x27;")
        assert "<script>alert(1)</script>" not in r.text
    r, _ = post(client, dict(state, q_value="__skip__"))  # the next question starts empty
    field = re.search(r'<input id="q-value"[^>]*>', r.text)
    assert field is None or 'value=""' in field.group(0)
