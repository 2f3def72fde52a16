"""What a fresh `zhengwu search` process loads: not the modules it does not need (issue 15: a CLI fast enough
to script). A module set that grows back to one of these (an eager import somewhere on the path) fails here.

Real documents: State Council documents of the bundled demo corpus, ingested through the real ingestion path
into the test's own store; the search runs as a real subprocess, twice (the first saves the index and the
query dictionary, as the first search after an ingest does; the second is the process measured)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT
from zhengwu.context import cli_caller
from zhengwu.kb.ingest import ingest_paths
from zhengwu.kb.search import clear_indexes

DEMO = ROOT / "data" / "demo" / "state_council_2018_2019.jsonl"

# what a search never needs: setuptools' resource API (jieba's), scipy (bm25s' optional backend), alembic
# (the schema is current), the HTTP client of remote models, YAML recognisers, encoding detection, lxml (DOCX
# labels)
NOT_LOADED = ("pkg_resources", "scipy", "alembic", "httpx", "yaml", "charset_normalizer", "lxml")
# the ORM classes a search declares: its knowledge-base tables and the gateway's (audit, policy); no other
# package's models (hotline, Q&A, writing, admin, identity ...): the schema check reads alembic_version only
MODELS = {"zhengwu.kb.models", "zhengwu.gateway.models"}

SCRIPT = """
import json, sys
sys.argv = ["zhengwu", "search", sys.argv[1], "--json"]
from zhengwu.cli import main
try:
    main()
except SystemExit as exc:
    assert not exc.code, exc.code
from zhengwu.gateway.pii import address
from zhengwu.store import Base
print(json.dumps({"modules": sorted(sys.modules), "address_patterns_compiled": address._FULL._rx is not None,
                  "mapped": sorted({m.class_.__module__ for m in Base.registry.mappers})}))
"""


def _search_process(query: str) -> tuple[list[dict], dict]:
    r = subprocess.run([sys.executable, "-c", SCRIPT, query], cwd=ROOT, capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr
    out, _, last = r.stdout.rstrip().rpartition("\n")
    return json.loads(out), json.loads(last)


def test_a_search_process_loads_none_of_the_modules_it_does_not_need(zw_env, tmp_path):
    rows = [json.loads(line) for _, line in zip(range(4), DEMO.open(encoding="utf-8"))]
    f = tmp_path / "docs.jsonl"
    f.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    assert ingest_paths([f], kb="policies", caller=cli_caller(), progress=False).added == 4
    clear_indexes()
    query = rows[0]["title"][:12]
    _search_process(query)  # saves the index and the query dictionary
    hits, seen = _search_process(query)
    assert hits and hits[0]["title"] == rows[0]["title"], "the search itself works"
    loaded = set(seen["modules"])
    assert "zhengwu.gateway.govern" in loaded and "bm25s" in loaded, "the check looks at a real search"
    assert not [m for m in NOT_LOADED if m in loaded or any(x.startswith(m + ".") for x in loaded)]
    assert set(seen["mapped"]) == MODELS, "the ORM classes declared"
    assert seen["address_patterns_compiled"] is False, "a query without an address character compiles none"


def test_an_address_still_compiles_and_finds(zw_env):
    """The patterns compiled on first use find what they found when compiled at import."""
    from zhengwu.gateway.pii import scan

    text = "我住在北京市朝阳区建国路88号SOHO现代城5号楼1203室，联系人王小明，电话13912345678"
    kinds = {f.entity for f in scan(text)}
    assert {"address", "person", "mobile"} <= kinds


POS_SCRIPT = """
import json, sys
import jieba
from zhengwu.kb.query_dict import pos_cutter
from zhengwu.gateway.pii import scan
qs = json.loads(sys.stdin.read())
tags = [[(w, f) for w, f in pos_cutter().cut(q)] for q in qs]
names = [[(f.start, f.end, f.pattern) for f in scan(q, entities=["person"], deep_names=True)] for q in qs]
print(json.dumps({"tags": tags, "names": names, "jieba_loaded": jieba.dt.initialized}))
"""


def test_ask_tags_and_masks_over_the_saved_dictionary_as_over_jiebas_own(zw_env):
    """`zhengwu ask` tags the question's parts of speech and masks names over the saved dictionary (without
    loading jieba's table): the same tags and the same names as with jieba's own table."""
    import jieba
    import jieba.posseg as pseg

    from zhengwu.gateway.pii import scan
    from zhengwu.kb import query_dict

    jieba.dt.check_initialized()
    query_dict.save_dict(query_dict.dict_path())
    rows = [json.loads(line) for line in (ROOT / "tests" / "qa" / "data" / "everyday.jsonl").open(encoding="utf-8")]
    qs = [r["question"] for r in rows if "question" in r]
    qs += [json.loads(line)["title"] for _, line in zip(range(40), DEMO.open(encoding="utf-8"))]
    qs += ["我叫王小明，住在天河区，想问下社保卡怎么补办", "联系人：李建国老师，电话找张秀英"]
    r = subprocess.run([sys.executable, "-c", POS_SCRIPT], input=json.dumps(qs, ensure_ascii=False), cwd=ROOT,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)
    assert got["jieba_loaded"] is False, "the fresh process did not load jieba's table"
    assert got["tags"] == [[[w, f] for w, f in pseg.cut(q)] for q in qs]
    assert got["names"] == [[[f.start, f.end, f.pattern] for f in scan(q, entities=["person"], deep_names=True)]
                            for q in qs]
    assert any(got["names"]), "names were found at all"


HOOK_SCRIPT = """
import json, sys, threading
import zhengwu
if sys.argv[1] == "threaded":
    done = threading.Event()
    threading.Thread(target=done.wait, daemon=True).start()
import bm25s, jieba
state = {"scipy": "scipy" in sys.modules, "pkg_resources": "pkg_resources" in sys.modules}
m = bm25s.sp.csc_matrix(([1.0], ([0], [0])), shape=(1, 1))  # the scipy backend still works when chosen
state["csc"] = float(m.toarray()[0][0])
print(json.dumps(state))
"""


def test_the_import_hooks_hide_only_in_a_single_thread():
    """jieba and bm25s come without pkg_resources and scipy in a single-threaded process (a CLI command);
    with another thread running, nothing is hidden (it could be importing them at that moment)."""
    def state(mode: str) -> dict:
        r = subprocess.run([sys.executable, "-c", HOOK_SCRIPT, mode], cwd=ROOT, capture_output=True, text=True,
                           timeout=120)
        assert r.returncode == 0, r.stderr
        return json.loads(r.stdout)

    assert state("single") == {"scipy": False, "pkg_resources": False, "csc": 1.0}
    threaded = state("threaded")
    assert threaded["scipy"] is True and threaded["csc"] == 1.0
