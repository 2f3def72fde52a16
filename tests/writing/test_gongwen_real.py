"""The real-documents benchmark: its generator stays in step with the committed annotations, the scorer
counts what it should, and `zhengwu eval gongwen --real` reports it (the targets of issue 13 included)."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path

import pytest
from tests.conftest import CORPUS, EVAL, ROOT, run_cli

from zhengwu.eval.gongwen_real import category, matches, score_real

DOCS = EVAL / "official_docs" / "state_council_2018_2019.jsonl"
COMMITTED = ROOT / "bench" / "gongwen_real" / "docs"
pytestmark = pytest.mark.skipif(not DOCS.is_file() or not (CORPUS / "laws" / "laws.jsonl").is_file(),
                                reason="shared official_docs / corpus data missing")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The set as make.py builds it (without the LibreOffice producer, which is slow)."""
    spec = importlib.util.spec_from_file_location("gongwen_real_make", ROOT / "bench" / "gongwen_real" / "make.py")
    make = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = make  # dataclasses look their module up while the class is made
    spec.loader.exec_module(make)
    out = tmp_path_factory.mktemp("real")
    make.build(DOCS, CORPUS, out, libreoffice=False)
    return out


def test_generator_matches_committed_annotations(built):
    made = sorted(built.glob("*.json"))
    assert len(made) >= 40
    for p in made:
        ann = json.loads(p.read_text(encoding="utf-8"))
        assert (built / ann["file"]).is_file()
        assert json.loads((COMMITTED / p.name).read_text(encoding="utf-8")) == ann, p.name
    anns = [json.loads(p.read_text(encoding="utf-8")) for p in made]
    assert {a["producer"] for a in anns} >= {"word", "wps", "python-docx"}
    assert sum(not a["is_gongwen"] for a in anns) >= 4
    assert {a["split"] for a in anns} <= {"dev", "check"}
    assert all(a["split"] == ("check" if a["producer"] in ("pandoc", "libreoffice") else "dev") for a in anns)
    assert sum(1 for a in anns if a["is_gongwen"] and not a["deviations"]) >= 10  # conforming documents too


def test_scorer_counts_hits_misses_and_false_alarms(built, tmp_path):
    assert category("page.number.dash") == "page.number" and category("title.font") == "title"
    assert category("proofread.截止") == "other" and matches("page.number.dash", "page.number")
    assert not matches("page.numbers", "page.number")
    for name in ("wps_mark_black", "word_title_font_song", "control_style_test"):
        for ext in (".docx", ".json"):
            shutil.copy(built / f"{name}{ext}", tmp_path / f"{name}{ext}")
    base = score_real(tmp_path)
    assert base["documents"] == 3 and base["controls"] == 1 and base["controls_accepted"] == []
    # an annotated deviation the checker cannot report is a miss; dropping a true annotation makes an alarm false
    ann = json.loads((tmp_path / "wps_mark_black.json").read_text(encoding="utf-8"))
    ann["deviations"].append({"rule": "zzz.never", "where": "-", "note": "test"})
    (tmp_path / "wps_mark_black.json").write_text(json.dumps(ann), encoding="utf-8")
    ann2 = json.loads((tmp_path / "word_title_font_song.json").read_text(encoding="utf-8"))
    ann2["deviations"] = []
    (tmp_path / "word_title_font_song.json").write_text(json.dumps(ann2), encoding="utf-8")
    r = score_real(tmp_path)
    assert r["categories"]["other"]["annotated"] == base["categories"].get("other", {}).get("annotated", 0) + 1
    assert r["categories"]["other"]["found"] == base["categories"].get("other", {}).get("found", 0)
    row = next(d for d in r["per_document"] if d["file"] == "word_title_font_song.docx")
    assert row["false_alarms"] == row["reported"]
    assert r["categories"]["title"]["true_alarms"] < base["categories"]["title"]["true_alarms"] or \
        base["categories"]["title"]["true_alarms"] == 0
    # an optional deviation (a consequence of another) counts when reported and is no miss when not
    ann["deviations"] = [{"rule": "zzz.never", "where": "-", "note": "test", "optional": True}]
    (tmp_path / "wps_mark_black.json").write_text(json.dumps(ann), encoding="utf-8")
    r = score_real(tmp_path)
    assert "zzz.never" not in next(d for d in r["per_document"] if d["file"] == "wps_mark_black.docx")["missed"]


def test_checker_meets_the_issue_targets_on_the_set(built):
    """Issue 13: no real 公文 refused, every control refused, ≥ 90 % of the deviations found and of the alarms
    true (overall here; per category in docs/benchmarks.md, where small categories move by one document)."""
    r = score_real(built)
    assert r["false_rejections"] == [] and r["controls_accepted"] == []
    assert r["recall"] >= 0.9 and r["precision"] >= 0.9, {k: (c["recall"], c["precision"])
                                                          for k, c in r["categories"].items()}


def test_cli_real_option(built, tmp_path):
    r = run_cli("eval", "gongwen", "--real", str(built), "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert {"categories", "recall", "precision", "false_rejections", "controls_accepted",
            "seconds_per_document", "per_document"} <= set(out)
    r = run_cli("eval", "gongwen", "--real", str(built))
    assert r.returncode == 0 and "precision" in r.stdout and "recall" in r.stdout
    assert "dev" in out["splits"] and set(out["splits"]) <= {"dev", "check"}
    assert sum(out["splits"][k]["documents"] for k in out["splits"]) == out["documents"]
    if "check" not in out["splits"]:
        pytest.skip("no pandoc (pypandoc-binary): the check split has no documents to score here")
    r = run_cli("eval", "gongwen", "--real", str(built), "--split", "check", "--json")
    assert r.returncode == 0, r.stderr
    check = json.loads(r.stdout)
    assert check["split"] == "check" and check["documents"] == out["splits"]["check"]["documents"]
    assert {d["producer"] for d in check["per_document"]} <= {"pandoc", "libreoffice"}
    r = run_cli("eval", "gongwen", "--real", str(built), "--split", "held-out")
    assert r.returncode == 2 and "--split" in r.stderr
    r = run_cli("eval", "gongwen", "--real", str(tmp_path / "nowhere"))
    assert r.returncode == 2 and "错误" in r.stderr and "not found" in r.stderr


def test_scorer_formats_unscored_rules_and_the_scan_control(built, tmp_path):
    """A PDF's annotation leaves out what a PDF cannot show ("unscored": neither its deviations nor the
    checker's alarms count); a scanned control must be refused with the "scanned" message itself; DOCX and
    PDF figures are reported apart."""
    assert (built / "control_scan.pdf").is_file()
    scan = json.loads((built / "control_scan.pdf.json").read_text(encoding="utf-8"))
    assert scan["expect_error"] == "pdf_scanned" and scan["format"] == "pdf"
    for name in ("word_title_font_song", "control_scan"):
        for p in built.glob(f"{name}.*"):
            shutil.copy(p, tmp_path / p.name)
    r = score_real(tmp_path)
    assert r["controls_accepted"] == [] and set(r["formats"]) == {"docx", "pdf"}
    assert r["formats"]["docx"]["categories"]["title"]["found"] == 1
    ann = json.loads((tmp_path / "word_title_font_song.json").read_text(encoding="utf-8"))
    ann["unscored"] = ["title.font"]
    (tmp_path / "word_title_font_song.json").write_text(json.dumps(ann), encoding="utf-8")
    scan["expect_error"] = "pdf_encrypted"  # refused, but not with the message a scan calls for
    (tmp_path / "control_scan.pdf.json").write_text(json.dumps(scan), encoding="utf-8")
    r = score_real(tmp_path)
    assert "title" not in r["categories"] or r["categories"]["title"]["alarms"] == 0
    assert r["controls_accepted"] == ["control_scan.pdf"]
