"""The policy-matching JSON API over the real HTTP server: match by form facts (and text when the reader is
merged), the catalogue per department, administrators only for import / export / publish."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import yaml

from tests.conftest import api_key, run_schemathesis, signed_in
from zhengwu.config import get_settings
from zhengwu.context import Caller
from zhengwu.match.catalog import dump_catalog, load_catalog
from zhengwu.match.store import import_catalog

CATALOG = Path(__file__).resolve().parents[1] / "match" / "fixtures" / "catalog_subset.yaml"


def _client(base: str, department: str, role: str) -> httpx.Client:
    """An administrator signs in (API keys never carry the admin role); others use an application key."""
    if role == "admin":
        return signed_in(base, f"admin-{department}", department, "admin")
    return httpx.Client(base_url=base, headers={**api_key(department, role, app=f"match-{role}"), "Origin": base},
                        timeout=120)


def test_match_api_and_catalogue(live_server):
    admin = _client(live_server, "civil-affairs", "admin")
    clerk = _client(live_server, "civil-affairs", "officer")
    other = _client(live_server, "human-resources", "admin")
    entries = json.loads(dump_catalog(load_catalog(CATALOG), "json"))

    # a non-administrator cannot import; nothing is stored
    r = clerk.post("/api/match/catalog/import", json=entries)
    assert r.status_code == 403 and r.json()["error"]["message_zh"]
    assert admin.get("/api/match/catalog").json().get("schemes", []) == []

    # an invalid entry: refused with the scheme and path, nothing stored
    bad = json.loads(dump_catalog(load_catalog(CATALOG), "json"))
    bad["schemes"][2]["eligibility"]["all"][0]["fact"] = "contribution_years"
    r = admin.post("/api/match/catalog/import", json=bad)
    assert r.status_code == 400 and "contribution_years" in r.json()["error"]["message_en"]
    assert "ui-benefit-national" in r.json()["error"]["message_zh"]

    r = admin.post("/api/match/catalog/import", json=entries)
    assert r.status_code == 200 and r.json()["created"] == 5 and r.json()["published"] == 0
    assert clerk.get("/api/match/catalog").json().get("schemes", []) == []      # drafts are not offered
    assert clerk.post("/api/match/catalog/gz-elderly-preferential/publish").status_code == 403
    # another department's administrator does not see or publish our ids
    assert other.post("/api/match/catalog/gz-elderly-preferential/publish").status_code == 404
    assert "gz-elderly" not in other.get("/api/match/catalog/export").text
    for sid in ("gz-elderly-preferential", "gz-internship-base"):
        assert admin.post(f"/api/match/catalog/{sid}/publish").json()["status"] == "published"
    published = clerk.get("/api/match/catalog").json()["schemes"]
    assert sorted(s["id"] for s in published) == ["gz-elderly-preferential", "gz-internship-base"]
    assert clerk.get("/api/match/catalog/export").status_code == 403
    exported = admin.get("/api/match/catalog/export", params={"format": "yaml"})
    assert exported.status_code == 200 and len(yaml.safe_load(exported.text)["schemes"]) == 5

    r = clerk.post("/api/match", json={"facts": {"age": 60, "hukou": "广州市"}, "today": "2026-11-29"})
    assert r.status_code == 200, r.text
    d = r.json()
    labels = {o["scheme_id"]: o["label"] for o in d["outcomes"]}
    assert labels == {"gz-elderly-preferential": "eligible", "gz-internship-base": "closed"}
    first = d["outcomes"][0]
    assert first["label_zh"] == "符合条件" and first["source"]["doc_number"] == "广州市人民政府令第179号"
    assert first["met"][0]["sentence"].startswith("年满60周岁") and d["audit_id"]
    assert "仅供参考" in d["guidance_zh"] and "guidance" in d["guidance_en"]

    r = clerk.post("/api/match", json={"facts": {"age": 67}, "today": "2026-11-29"}).json()
    assert r["outcomes"][0]["label"] == "maybe"
    assert [q["fact"] for q in r["questions"]][:2] == ["hukou", "residence_permit_local"]
    r = clerk.post("/api/match", json={"facts": {"age": 67}, "answers": {"hukou": "广州市"},
                                       "today": "2026-11-29"}).json()
    assert r["outcomes"][0]["label"] == "eligible" and r["questions"] == []

    # bad input: bilingual errors, naming the fact
    for body, status, code in (({"facts": {"age": 200}}, 400, "match_impossible_value"),
                               ({"facts": {"hukuo": "广州市"}}, 400, "match_unknown_fact"),
                               ({}, 400, "match_empty_text"),
                               ({"text": "   "}, 400, "match_empty_text"),
                               ({"text": "我" * 2001}, 400, "match_text_too_long"),
                               ({"text": "我62岁", "facts": {"age": 62}}, 400, "match_text_and_facts")):
        r = clerk.post("/api/match", json=body)
        assert r.status_code == status and r.json()["error"]["code"] == code, (body, r.text)
        assert r.json()["error"]["message_zh"] and r.json()["error"]["message_en"]
    assert clerk.post("/api/match", json={"facts": [1, 2]}).status_code == 422
    # the other department has no published catalogue: a clear 404, not someone else's schemes
    r = other.post("/api/match", json={"facts": {"age": 62}})
    assert r.status_code == 404 and r.json()["error"]["code"] == "match_no_catalog"

    r = clerk.post("/api/match", json={"text": "我63岁，广州户口，老人优待证你直接批给我", "today": "2026-11-29"})
    assert r.status_code == 200 and r.json()["decision_request"] is True
    assert "不能替您审批" in r.json()["guidance_zh"] and "已批准" not in r.text


def test_a_closed_value_alias_is_mapped_over_the_api(live_server):
    """A form posted with a resident's word for a closed value (退休, 讨薪) is matched on the canonical value; an
    unknown value is a 400 naming the fact and the allowed values."""
    import_catalog(Caller("setup", "housing-fund", "admin"),
                   load_catalog(CATALOG.parent / "catalog_closed_values.yaml"), publish=True)
    clerk = _client(live_server, "housing-fund", "officer")
    r = clerk.post("/api/match", json={"facts": {"hpf_depositor": True, "withdrawal_reason": "退休",
                                                 "legal_matter": "讨薪", "economic_hardship": True},
                                       "today": "2026-11-29"})
    assert r.status_code == 200, r.text
    assert {o["scheme_id"]: o["label"] for o in r.json()["outcomes"]} == {"hpf-withdrawal-retired": "eligible",
                                                                          "legal-aid-wages": "eligible"}
    r = clerk.post("/api/match", json={"facts": {"withdrawal_reason": "炒股"}})
    error = r.json()["error"]
    assert r.status_code == 400 and error["code"] == "match_bad_value"
    assert "离休退休" in error["message_zh"] and "偿还购房贷款本息" in error["message_en"]


def test_no_server_errors_on_generated_match_requests(live_server, tmp_path):
    """Generated bodies for POST /api/match and the catalogue import (anonymous: the public department, with a
    published catalogue to match against): never a 5xx."""
    import_catalog(Caller("setup", get_settings().public_department, "admin"), load_catalog(CATALOG), publish=True)
    run = run_schemathesis(live_server, tmp_path, r"^/api/match(/catalog(/import)?)?$", max_examples=25,
                           time_limit=300)
    out = run.stdout + run.stderr
    assert "operations" in out.lower() or "Selected" in out, out[-3000:]
    assert run.returncode == 0, out[-6000:]
