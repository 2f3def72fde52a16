"""The stored catalogue (import all-or-nothing, export, list, publish, per department) and the governed
service (one audit record per interaction, guidance not decision), on a real SQLite file (zw_env) and, for the
migration, a real PostgreSQL when installed."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import run_cli
from zhengwu.context import Caller
from zhengwu.errors import ZhengwuError
from zhengwu.match.catalog import dump_catalog, load_catalog, parse_catalog

CATALOG = Path(__file__).parent / "fixtures" / "catalog_subset.yaml"
TODAY = dt.date(2026, 11, 29)
ADMIN = Caller("admin-a", "civil-affairs", "admin")
CLERK = Caller("clerk-a", "civil-affairs", "officer")
OTHER = Caller("admin-b", "human-resources", "admin")


def _records(scenario: str = "match.advise") -> list:
    from zhengwu.gateway.models import AuditRecord
    from zhengwu.store import session_scope

    with session_scope() as s:
        return list(s.scalars(select(AuditRecord).where(AuditRecord.scenario == scenario)))


def test_import_list_publish_export_per_department(zw_env):
    from zhengwu.match.store import export_catalog, import_catalog, list_schemes, publish, published_catalog

    rep = import_catalog(ADMIN, load_catalog(CATALOG))
    assert (rep.created, rep.updated, rep.published) == (5, 0, 0)
    assert {r["status"] for r in list_schemes(ADMIN)} == {"draft"}
    assert published_catalog(ADMIN).schemes == []
    publish(ADMIN, "gz-elderly-preferential")
    assert [s.id for s in published_catalog(ADMIN).schemes] == ["gz-elderly-preferential"]
    # another department sees nothing of it and cannot publish its ids
    assert list_schemes(OTHER) == []
    with pytest.raises(ZhengwuError) as exc:
        publish(OTHER, "residence-permit")
    assert exc.value.status == 404 and exc.value.context["scheme"] == "residence-permit"
    # export → import round trip keeps every condition and sentence
    exported = export_catalog(ADMIN)
    again = parse_catalog(dump_catalog(exported, "json"), "json")
    original = {s.id: s.eligibility for s in load_catalog(CATALOG).schemes}
    assert {s.id: s.eligibility for s in again.schemes} == original
    rep = import_catalog(ADMIN, again, publish=True)     # the export keeps each entry's status
    assert (rep.created, rep.updated, rep.published) == (0, 5, 1)
    # an entry the file marks as draft is not published by --publish
    marked = load_catalog(CATALOG)
    marked.schemes[0].status = "draft"
    assert import_catalog(ADMIN, marked, publish=True).published == 4
    assert marked.schemes[0].id not in [s.id for s in published_catalog(ADMIN).schemes]


def test_only_an_administrator_changes_the_catalogue(zw_env):
    from zhengwu.match.store import import_catalog, list_schemes, publish

    with pytest.raises(ZhengwuError) as exc:
        import_catalog(CLERK, load_catalog(CATALOG))
    assert exc.value.status == 403 and exc.value.zh and exc.value.en
    with pytest.raises(ZhengwuError):
        publish(CLERK, "residence-permit")
    assert list_schemes(ADMIN) == []


def test_an_invalid_entry_loads_nothing(zw_env, tmp_path):
    from zhengwu.match.store import import_catalog, list_schemes

    import_catalog(ADMIN, load_catalog(CATALOG), publish=True)
    before = list_schemes(ADMIN)
    text = CATALOG.read_text("utf-8").replace("op: \">=\", value: 12", "op: \"≈\", value: 12", 1)
    with pytest.raises(ZhengwuError) as exc:
        import_catalog(ADMIN, parse_catalog(text, "yaml"))
    assert exc.value.code == "match_bad_catalog"
    bad = tmp_path / "bad.yaml"
    bad.write_text(CATALOG.read_text("utf-8").replace("fact: job_seeking", "fact: job_hunting"), "utf-8")
    out = run_cli("match", "catalog", "import", str(bad), "--publish")
    assert out.returncode == 2 and "job_hunting" in out.stderr and "Error:" in out.stderr
    assert list_schemes(ADMIN) == before


def test_form_match_is_one_audit_record_with_guidance(zw_env):
    from zhengwu.match.service import match_form
    from zhengwu.match.store import import_catalog

    import_catalog(ADMIN, load_catalog(CATALOG), publish=True)
    result = match_form(CLERK, {"age": 62, "hukou": "广州市"}, today=TODAY)
    labels = {o.scheme_id: o.label for o in result.outcomes}
    assert labels["gz-elderly-preferential"] == "eligible" and labels["gz-internship-base"] == "closed"
    assert "仅供参考" in result.guidance_zh and "街道办事处" in result.guidance_zh
    recs = _records()
    assert len(recs) == 1 and recs[0].id == result.audit_id and recs[0].department == "civil-affairs"
    assert recs[0].input_text is None          # the scenario keeps no history of a person's situation
    assert json.loads(recs[0].extra)["labels"]["gz-policy-33"] == "eligible"
    # the answers settle the open question
    result = match_form(CLERK, {"age": 67}, answers={"residence_permit_local": True}, today=TODAY)
    assert {o.scheme_id: o.label for o in result.outcomes}["gz-elderly-preferential"] == "eligible"
    assert len(_records()) == 2
    # an answered age replaces the birthday given before (they would otherwise disagree)
    result = match_form(CLERK, {"birth_date": "1966-11-30", "hukou": "广州市"}, answers={"age": 60}, today=TODAY)
    assert {o.scheme_id: o.label for o in result.outcomes}["gz-elderly-preferential"] == "eligible"


@pytest.mark.parametrize("facts,code", [({"age": 200}, "match_impossible_value"),
                                        ({"hukuo": "广州市"}, "match_unknown_fact"),
                                        ({"residence_months": "半年"}, "match_bad_type")])
def test_bad_form_input_is_refused_bilingually_and_still_audited(zw_env, facts, code):
    from zhengwu.match.service import match_form
    from zhengwu.match.store import import_catalog

    import_catalog(ADMIN, load_catalog(CATALOG), publish=True)
    with pytest.raises(ZhengwuError) as exc:
        match_form(CLERK, facts, today=TODAY)
    assert exc.value.code == code and exc.value.zh and exc.value.en and exc.value.context["fact"] == next(iter(facts))
    # a misspelt name is refused before the interaction opens; a value inside it leaves the one failed record
    assert len(_records()) == (0 if code == "match_unknown_fact" else 1)


CLOSED = Path(__file__).parent / "fixtures" / "catalog_closed_values.yaml"


def test_a_closed_value_alias_in_a_form_is_mapped_and_an_unknown_one_refused(zw_env):
    """法律援助事项 and 提取原因 answered with the words residents use (讨薪, 退休): the canonical value is matched; a value
    the vocabulary does not know is refused with the allowed values, in the service and on the command line."""
    from zhengwu.match.service import match_form
    from zhengwu.match.store import import_catalog

    import_catalog(ADMIN, load_catalog(CLOSED), publish=True)
    result = match_form(CLERK, {"legal_matter": "讨薪", "economic_hardship": True, "hpf_depositor": True},
                        answers={"withdrawal_reason": "退休"}, today=TODAY)
    assert {o.scheme_id: o.label for o in result.outcomes} == {"legal-aid-wages": "eligible",
                                                                 "hpf-withdrawal-retired": "eligible"}
    assert result.facts["legal_matter"] == "支付劳动报酬" and result.facts["withdrawal_reason"] == "离休退休"
    with pytest.raises(ZhengwuError) as exc:
        match_form(CLERK, {"legal_matter": "离婚"}, today=TODAY)
    assert exc.value.code == "match_bad_value" and "请求给付赡养费" in exc.value.zh and "离婚" in exc.value.zh
    assert "支付劳动报酬" in exc.value.context["allowed"]

    assert run_cli("match", "catalog", "import", str(CLOSED), "--publish").returncode == 0  # the CLI's department
    out = run_cli("match", "我想申请法律援助，家里很困难", "--answer", "legal_matter=欠薪", "--today", "2026-11-29", "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["policies"]["law-中华人民共和国法律援助法-2021-08-20"] == "eligible"
    bad = run_cli("match", "我想申请法律援助", "--answer", "legal_matter=离婚", "--today", "2026-11-29")
    assert bad.returncode == 2 and "法律援助事项" in bad.stderr and "支付劳动报酬" in bad.stderr


def test_no_published_catalogue_is_a_clear_error(zw_env):
    from zhengwu.match.service import match_form
    from zhengwu.match.store import import_catalog

    import_catalog(OTHER, load_catalog(CATALOG), publish=True)   # another department's catalogue is not ours
    with pytest.raises(ZhengwuError) as exc:
        match_form(CLERK, {"age": 62}, today=TODAY)
    assert exc.value.code == "match_no_catalog" and exc.value.status == 404


def test_text_match_and_a_decision_request_get_guidance_never_approval(zw_env):
    from zhengwu.match.service import match_text
    from zhengwu.match.store import import_catalog

    import_catalog(ADMIN, load_catalog(CATALOG), publish=True)
    plain = match_text(CLERK, "我63岁，广州户口，想办老年人优待证", today=TODAY)
    asked = match_text(CLERK, "我63岁，广州户口，老人优待证你直接批给我，别让我跑窗口了", today=TODAY)
    assert [(o.scheme_id, o.label) for o in plain.outcomes] == [(o.scheme_id, o.label) for o in asked.outcomes]
    assert asked.decision_request and not plain.decision_request
    assert "不能替您审批" in asked.guidance_zh and "仅供参考" in asked.guidance_zh
    for text in (asked.guidance_zh, *(r.zh for o in asked.outcomes for r in o.met)):
        assert "已批准" not in text and "批准您" not in text
    assert len(_records()) == 2


def test_empty_text_is_refused(zw_env):
    from zhengwu.match.service import match_text

    for text in ("", "   ", None):
        with pytest.raises(ZhengwuError) as exc:
            match_text(CLERK, text, today=TODAY)
        assert exc.value.code == "match_empty_text"


def test_cli_catalogue_commands(zw_env, tmp_path):
    out = run_cli("match", "catalog", "import", str(CATALOG))
    assert out.returncode == 0, out.stderr
    listed = json.loads(run_cli("match", "catalog", "list", "--json").stdout)
    assert len(listed) == 5 and {r["status"] for r in listed} == {"draft"}
    assert run_cli("match", "catalog", "publish", "residence-permit").returncode == 0
    assert [r["id"] for r in json.loads(run_cli("match", "catalog", "list", "--status", "published",
                                                "--json").stdout)] == ["residence-permit"]
    missing = run_cli("match", "catalog", "publish", "no-such-scheme")
    assert missing.returncode == 2 and "no-such-scheme" in missing.stderr
    dest = tmp_path / "out.json"
    assert run_cli("match", "catalog", "export", "--format", "json", "--out", str(dest)).returncode == 0
    assert len(load_catalog(dest).schemes) == 5
    for args in (["export", "--format", "xml"], ["list", "--status", "gone"],
                 ["import", str(tmp_path / "nothing.yaml")]):
        bad = run_cli("match", "catalog", *args)
        assert bad.returncode == 2 and "错误" in bad.stderr and "Error:" in bad.stderr


def test_cli_match_text(zw_env):
    assert run_cli("match", "catalog", "import", str(CATALOG), "--publish").returncode == 0
    empty = run_cli("match", "  ")
    assert empty.returncode == 2 and "请描述您的情况" in empty.stderr
    out = run_cli("match", "--json", "我今年62岁，广州户口", "--today", "2026-11-29")   # options first work too
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout)
    assert {"outcomes", "questions", "guidance_zh", "guidance_en", "policies"} <= set(d)
    assert d["policies"]["gz-policy-33"] == "eligible"
    table = run_cli("match", "我今年62岁，广州户口", "--today", "2026-11-29")
    assert "符合条件" in table.stdout and "仅供参考" in table.stdout and "广州市人民政府令第179号" in table.stdout


def test_migration_on_postgres(pg_server):
    from sqlalchemy import inspect, text

    from zhengwu.store.db import init_db, reset_engines

    reset_engines()
    eng = init_db(pg_server)
    cols = {c["name"] for c in inspect(eng).get_columns("match_scheme")}
    assert {"department", "scheme_id", "status", "entry", "updated_by", "updated_at"} <= cols
    with eng.connect() as conn:
        row = conn.execute(text("select retention_days, no_history, approved from gw_scenario "
                                "where id = 'match.advise'")).one()
        heads = {r[0] for r in conn.execute(text("select version_num from alembic_version"))}
    assert row == (730, True, True) and "match_0002" in heads
    reset_engines()


def test_demo_load_publishes_the_shipped_catalogue_when_it_exists(zw_env, monkeypatch, tmp_path):
    from zhengwu.match import store

    monkeypatch.setattr(store, "demo_catalog_path", lambda: tmp_path / "absent.yaml")
    assert store.load_demo_catalog(ADMIN) is None and store.list_schemes(ADMIN) == []
    monkeypatch.setattr(store, "demo_catalog_path", lambda: CATALOG)
    rep = store.load_demo_catalog(ADMIN)
    assert rep.published == 5 and len(store.published_catalog(ADMIN).schemes) == 5


def test_with_a_model_the_reader_fills_gaps_in_the_same_audited_interaction(fixed_reply_model):
    """A generative model configured: it is asked through the door, inside the one `match.advise` interaction, and a
    fact it reads from the resident's own words settles a "maybe"."""
    from zhengwu.match.service import match_text
    from zhengwu.match.store import import_catalog

    import_catalog(ADMIN, load_catalog(CATALOG), publish=True)
    from zhengwu.match.facts import read_facts

    text = "我67岁，在广州帮女儿带孩子，兜里揣着广州的居住证"
    assert "residence_permit_local" not in read_facts(text, today=TODAY).facts      # the rules leave it open
    fixed_reply_model.reply = json.dumps({"residence_permit_local": {"value": True, "words": "兜里揣着广州的居住证"}},
                                         ensure_ascii=False)
    result = match_text(CLERK, text, today=TODAY)
    elderly = next(o for o in result.outcomes if o.scheme_id == "gz-elderly-preferential")
    assert elderly.label == "eligible"
    assert len(fixed_reply_model.received) == 1
    recs = _records()
    assert len(recs) == 1 and json.loads(recs[0].extra).get("model_calls")


def test_reimporting_unchanged_entries_keeps_them_offered(zw_env):
    """An administrator re-imports the exported catalogue after correcting one entry, without --publish: the
    unchanged published entries stay offered to residents; the changed one is a draft again, and counted."""
    from zhengwu.match.store import export_catalog, import_catalog, publish, published_catalog

    import_catalog(ADMIN, load_catalog(CATALOG))
    for sid in ("gz-elderly-preferential", "residence-permit"):
        publish(ADMIN, sid)
    exported = parse_catalog(dump_catalog(export_catalog(ADMIN), "json"), "json")
    rep = import_catalog(ADMIN, exported)
    assert rep.withdrawn == 0 and rep.published == 2
    assert sorted(s.id for s in published_catalog(ADMIN).schemes) == ["gz-elderly-preferential", "residence-permit"]
    changed = exported.get("residence-permit")
    changed.name += "（修订）"
    rep = import_catalog(ADMIN, exported)
    assert rep.withdrawn == 1 and [s.id for s in published_catalog(ADMIN).schemes] == ["gz-elderly-preferential"]
