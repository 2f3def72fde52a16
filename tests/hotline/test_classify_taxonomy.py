"""The category tree: our default, any tree in the 12345 JSONL shape, and what a change of tree reports."""

from __future__ import annotations

import json
import random

import pytest

from tests.conftest import EVAL
from zhengwu.errors import ZhengwuError
from zhengwu.hotline import taxonomy as tx

TIPDM_TREE = EVAL / "citizen_messages" / "taxonomy.jsonl"
needs_tree = pytest.mark.skipif(not TIPDM_TREE.exists(), reason=f"evaluation data missing: {TIPDM_TREE}")


def test_default_tree_is_three_levels_with_unique_codes():
    tree = tx.default()
    assert {"城乡建设", "环境保护", "交通运输", "劳动和社会保障", "教育文体", "卫生健康", "商贸旅游", "公安政法",
            "农村农业", "民政"} <= set(tree.level1)
    assert all(len(c.path) == 3 for c in tree.categories)
    assert len({c.code for c in tree.categories}) == len(tree.categories)
    # an older tree's level-1 name still finds its subtree
    assert tree.find(["卫生计生"]).level1 == "卫生健康"


@needs_tree
def test_any_tree_loads_with_codes_that_do_not_depend_on_row_order(tmp_path):
    rows = [json.loads(x) for x in TIPDM_TREE.read_text(encoding="utf-8").splitlines() if x.strip()]
    tree = tx.load(TIPDM_TREE)
    assert len(tree.categories) == len({(r["level1"], r["level2"], r["level3"]) for r in rows})
    random.Random(7).shuffle(rows)
    shuffled = tmp_path / "shuffled.jsonl"
    shuffled.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    again = tx.load(shuffled)
    assert {c.path: c.code for c in tree.categories} == {c.path: c.code for c in again.categories}


@needs_tree
def test_a_change_of_tree_reports_every_code_that_disappears():
    old, new = tx.default(), tx.load(TIPDM_TREE)
    ch = tx.changes(old, new)
    assert ch["kept"] + len(ch["moved"]) + len(ch["removed"]) == len(old.categories)
    removed = {r["code"] for r in ch["removed"]}
    for c in old.categories:  # a code is reported removed exactly when the new tree lacks its path
        assert (c.code in removed) == (new.find(c.path) is None or new.find(c.path).path != c.path)
    assert tx.changes(old, old) == {"kept": len(old.categories), "moved": [], "removed": [], "added": []}


@pytest.mark.parametrize("content,code", [
    (b"", "taxonomy_empty"),
    (b'{"level1": "a"}\nnot json\n', "taxonomy_json"),
    (b'{"level2": "x", "level3": "y"}\n', "taxonomy_row"),
    ('{"level1": "城乡建设"}\n'.encode("gbk"), "taxonomy_encoding"),
    (b'{"level1": "a", "code": "1"}\n{"level1": "b", "code": "1"}\n', "taxonomy_code"),
])
def test_bad_tree_files_are_clear_errors(tmp_path, content, code):
    p = tmp_path / "tree.jsonl"
    p.write_bytes(content)
    with pytest.raises(ZhengwuError) as e:
        tx.load(p)
    assert e.value.code == code and e.value.zh and e.value.en
