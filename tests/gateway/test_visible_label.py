"""Where a scenario's generated text shows the visible AI label (GB 45438-2025 §5.1: start or end; or, when the
application shows it in its interface, not in the text): the setting, its rules, its audit trail, the CLI and
the admin console, and `complete` honouring it. The /v1 endpoint's side is in test_openai_endpoint.py."""

from __future__ import annotations

import json

import pytest

from tests.conftest import running_server, signed_in


def _label_records() -> list[dict]:
    from zhengwu.gateway import audit
    from zhengwu.store import session_scope

    with session_scope() as s:
        assert audit.verify(s).ok
        return [{"user": r.user, "scenario": r.scenario, "extra": json.loads(r.extra)}
                for r in audit.query(s) if r.action == "scenario_visible_label"]


def _policy(sid: str):  # noqa: ANN202
    from zhengwu.gateway.scenarios import get_policy
    from zhengwu.store import session_scope

    with session_scope() as s:
        return get_policy(s, sid)


def test_every_scenario_starts_with_the_label_at_the_end(zw_env):
    """The migration gives existing scenarios (built-in ones and those other packages seeded) `append`."""
    from zhengwu.gateway.scenarios import list_policies
    from zhengwu.store import session_scope

    with session_scope() as s:
        pols = list_policies(s)
    assert len(pols) >= 10 and {p.visible_label for p in pols} == {"append"}


def test_setting_is_checked_audited_and_admin_only(zw_env, callers):
    from zhengwu.errors import Forbidden, NotFound, ZhengwuError
    from zhengwu.gateway.scenarios import add_scenario, set_visible_label
    from zhengwu.store import session_scope

    with session_scope() as s:
        assert set_visible_label(s, callers["admin"], "policy_qa", "prepend").visible_label == "prepend"
    assert _policy("policy_qa").visible_label == "prepend"
    assert _label_records() == [{"user": "admin1", "scenario": "policy_qa",
                                 "extra": {"from": "append", "to": "prepend"}}]
    bad = [("policy_qa", "hidden", "bad_visible_label"), ("policy_qa", "", "bad_visible_label"),
           ("policy_qa", "APPEND", "bad_visible_label"),
           ("pii_mask", "metadata_only", "label_free_retention")]  # pii_mask keeps no history: Art. 9 needs logs
    for sid, placement, code in bad:
        with pytest.raises(ZhengwuError) as exc, session_scope() as s:
            set_visible_label(s, callers["admin"], sid, placement)
        assert exc.value.code == code and exc.value.zh and exc.value.en
    with pytest.raises(Forbidden), session_scope() as s:
        set_visible_label(s, callers["user"], "policy_qa", "metadata_only")
    with pytest.raises(NotFound), session_scope() as s:
        set_visible_label(s, callers["admin"], "no_such", "append")
    # a new scenario: metadata_only only with at least six months of logs
    with pytest.raises(ZhengwuError) as exc, session_scope() as s:
        add_scenario(s, callers["admin"], id="short_logs", name_zh="短留存", retention_days=90,
                     visible_label="metadata_only")
    assert exc.value.code == "label_free_retention"
    with session_scope() as s:
        p = add_scenario(s, callers["admin"], id="vendor_app", name_zh="厂商应用", retention_days=365,
                         visible_label="metadata_only")
    assert p.visible_label == "metadata_only" and _policy("vendor_app").visible_label == "metadata_only"
    # nothing of the refused changes was written; the label survives: policy_qa is still prepend
    assert len(_label_records()) == 1 and _policy("policy_qa").visible_label == "prepend"


def test_cli_shows_and_sets_the_placement(zw_env, run_cli_ok):
    r = run_cli_ok("scenario", "label", "policy_qa", "metadata_only")
    assert r.returncode == 0, r.stderr
    assert "metadata_only" in r.stdout and "AIGC" in r.stdout
    rows = {p["id"]: p for p in json.loads(run_cli_ok("scenario", "list", "--json").stdout)}
    assert rows["policy_qa"]["visible_label"] == "metadata_only" and rows["doc_draft"]["visible_label"] == "append"
    assert "metadata_only" in run_cli_ok("scenario", "list", env_extra={"COLUMNS": "250"}).stdout
    r = run_cli_ok("scenario", "label", "policy_qa", "nowhere")
    assert r.returncode == 2 and "显式标识位置无效" in r.stdout + r.stderr and "Invalid visible label" in r.stdout + r.stderr
    r = run_cli_ok("scenario", "add", "leaflet", "--name-zh", "宣传单", "--visible-label", "prepend")
    assert r.returncode == 0, r.stderr
    assert _policy("leaflet").visible_label == "prepend"
    assert [x["user"] for x in _label_records()] == ["cli"]


def test_complete_honours_the_placement(model_server, callers):
    from zhengwu.gateway import complete
    from zhengwu.gateway.scenarios import set_visible_label
    from zhengwu.store import session_scope

    msgs = [{"role": "user", "content": "生育津贴怎么申请？"}]
    seen = {}
    for placement in ("append", "prepend", "metadata_only"):
        with session_scope() as s:
            set_visible_label(s, callers["admin"], "policy_qa", placement)
        comp = complete(callers["user"], "policy_qa", msgs)
        streamed = list(complete(callers["user"], "policy_qa", msgs, stream=True))
        text = "".join(x for x in streamed if isinstance(x, str))
        seen[placement] = (comp.labelled_text(), text, streamed[-1].to_dict())
    body = "收到：生育津贴怎么申请？"
    assert seen["append"][0] == body + "\n\n（人工智能生成）" and seen["append"][1] == body
    assert seen["prepend"][0] == "（人工智能生成）\n\n" + body
    assert seen["prepend"][1] == "（人工智能生成）\n\n" + body  # the stream sends the label with its first text
    assert seen["metadata_only"][0] == body and seen["metadata_only"][1] == body
    for placement, (_, _, d) in seen.items():  # the implicit label and the label text are always there
        assert d["visible_label"] == placement and d["ai_label"] == "人工智能生成" and d["AIGC"]["Label"] == "1"


def test_admin_console_form_sets_the_placement(zw_env):
    with running_server() as base:
        admin = signed_in(base, "root", "default", "admin")
        page = admin.get("/admin/scenarios").text
        assert 'action="/admin/scenarios/policy_qa/label"' in page and 'name="visible_label"' in page
        r = admin.post("/admin/scenarios/policy_qa/label", data={"visible_label": "prepend"}, follow_redirects=False)
        assert r.status_code == 303 and "error=" not in r.headers["location"]
        r = admin.post("/admin/scenarios/policy_qa/label", data={"visible_label": "<script>"}, follow_redirects=False)
        assert r.status_code == 303 and "error=" in r.headers["location"]
        r = admin.post("/admin/scenarios", data={"id": "web_made", "name_zh": "网页登记", "retention_days": "30",
                                                 "visible_label": "metadata_only"}, follow_redirects=False)
        assert "error=" in r.headers["location"]  # under six months of logs
        officer = signed_in(base, "clerk", "default", "officer")
        r = officer.post("/admin/scenarios/policy_qa/label", data={"visible_label": "metadata_only"},
                         follow_redirects=False)
        assert r.status_code in (303, 403) and _policy("policy_qa").visible_label == "prepend"
        page = admin.get("/admin/scenarios").text
        row = page[page.index('id="scenario-policy_qa"'):]
        assert '<option value="prepend" selected>' in row[:row.index("</tr>")]
        en = admin.get("/admin/scenarios", params={"lang": "en"}).text
        assert "Visible label" in en and "Metadata only" in en
        # the same through the REST API
        r = admin.post("/api/scenarios/doc_draft/label", json={"visible_label": "prepend"})
        assert r.status_code == 200 and r.json()["visible_label"] == "prepend"
        r = admin.post("/api/scenarios/doc_draft/label", json={"visible_label": "below"})
        assert r.status_code == 400 and r.json()["error"]["code"] == "bad_visible_label"
        assert officer.post("/api/scenarios/doc_draft/label", json={"visible_label": "append"}).status_code == 403
    assert [(x["user"], x["scenario"], x["extra"]["to"]) for x in _label_records()] == [
        ("root", "policy_qa", "prepend"), ("root", "doc_draft", "prepend")]


def _migrate(url: str, target: str, down: bool = False) -> None:
    from pathlib import Path

    from alembic import command
    from alembic.config import Config

    import zhengwu.store.db as db

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(db.__file__).parent / "migrations"))
    with db.get_engine(url).begin() as conn:
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, target)


def _columns_and_labels(url: str) -> tuple[set[str], set[str]]:
    from sqlalchemy import inspect, text

    from zhengwu.store.db import get_engine

    eng = get_engine(url)
    cols = {c["name"] for c in inspect(eng).get_columns("gw_scenario")}
    if "visible_label" not in cols:
        return cols, set()
    with eng.connect() as conn:
        return cols, {r[0] for r in conn.execute(text("select distinct visible_label from gw_scenario"))}


def test_migration_adds_and_removes_the_column_on_sqlite(tmp_path):
    from zhengwu.store.db import reset_engines

    url = f"sqlite:///{tmp_path / 'm.db'}"
    reset_engines()
    _migrate(url, "heads")
    cols, values = _columns_and_labels(url)
    assert "visible_label" in cols and values == {"append"}
    _migrate(url, "gateway@-1", down=True)  # the gateway branch one step back: the column goes, the rows stay
    cols, _ = _columns_and_labels(url)
    assert "visible_label" not in cols and {"id", "pii_mode", "approved"} <= cols
    _migrate(url, "heads")
    assert _columns_and_labels(url)[1] == {"append"}
    reset_engines()


def test_migration_on_postgres(pg_server):
    from sqlalchemy import text

    from zhengwu.store.db import get_engine, init_db, reset_engines

    reset_engines()
    init_db(pg_server)
    cols, values = _columns_and_labels(pg_server)
    assert "visible_label" in cols and values == {"append"}
    with get_engine(pg_server).begin() as conn:  # the server default fills rows other packages insert
        conn.execute(text("insert into gw_scenario (id, department, name_zh, name_en, description, risk, pii_mode, "
                          "allowed_backends, human_review, no_history, approved, created_by, created_at) values "
                          "('pg_row', '*', 'x', '', '', 'low', 'mask', '[\"*\"]', false, false, false, 't', '')"))
        assert conn.execute(text("select visible_label from gw_scenario where id = 'pg_row'")).scalar() == "append"
        heads = {r[0] for r in conn.execute(text("select version_num from alembic_version"))}
    assert "gateway_0003" in heads
    reset_engines()
