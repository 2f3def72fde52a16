"""Minutes from a transcript of real government text: every item links to the line it came from."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli
from zhengwu.context import Caller

CALLER = Caller(user="tester", department="国务院办公厅", role="officer")
TRANSCRIPT = Path(__file__).parent / "fixtures" / "kindergarten_meeting_transcript.txt"


def _line_of(fragment: str, start: bool = False) -> int:
    for no, line in enumerate(TRANSCRIPT.read_text(encoding="utf-8").splitlines(), 1):
        if (line.startswith(fragment) if start else fragment in line) and not line.startswith("#"):
            return no
    raise AssertionError(fragment)


def test_decisions_and_actions_link_to_their_lines(zw_env):
    from zhengwu.writing.minutes import make_minutes

    m = make_minutes(CALLER, TRANSCRIPT.read_text(encoding="utf-8"), meeting="城镇小区配套幼儿园治理工作部署会",
                     issuer="国务院办公厅", date="2019年1月9日", use_model=False)
    assert m.mode == "rules" and m.audit_id
    text_lines = TRANSCRIPT.read_text(encoding="utf-8").splitlines()
    for item in m.decisions + m.actions:  # every item's text is on its lines
        body = item.text if hasattr(item, "text") else item.what
        assert all(1 <= n <= len(text_lines) for n in item.lines)
        assert body.split("，")[-1].rstrip("。；")[:8] in "".join(text_lines[n - 1] for n in item.lines)

    group = [d for d in m.decisions if "成立城镇小区配套幼儿园治理工作小组" in d.text]
    assert len(group) == 1 and group[0].lines == [_line_of("成立城镇小区配套幼儿园治理工作小组")]

    april = [a for a in m.actions if a.when == "2019年4月底前"]
    assert len(april) == 1
    assert april[0].lines == [_line_of("各地以县（市、区）为单位"), _line_of("该项工作于2019年4月底前完成")]
    assert april[0].who == "各地"

    by_who = {a.who: a for a in m.actions}
    for body in ("教育行政部门", "住房城乡建设部门", "地方各级人民政府"):
        assert by_who[body].lines == [_line_of(body + "要", start=True)]
    whens = {a.when for a in m.actions}
    assert {"2019年6月底前", "2019年9月底前", "2019年12月底前"} <= whens
    assert not any("畅通群众反映意见渠道" in d.text for d in m.decisions)


def test_minutes_spec_is_a_jiyao(zw_env):
    from zhengwu.writing.minutes import make_minutes

    m = make_minutes(CALLER, TRANSCRIPT.read_text(encoding="utf-8"), meeting="城镇小区配套幼儿园治理工作部署会",
                     issuer="国务院办公厅", date="2019年1月9日", use_model=False)
    spec = m.spec
    assert spec["type"] == "纪要" and spec["title"] == "城镇小区配套幼儿园治理工作部署会纪要"
    assert "一、会议议定事项" in spec["body"] and "二、工作任务" in spec["body"]
    assert "（责任单位：教育行政部门）" in spec["body"]
    from zhengwu.writing.spec import load_spec

    doc = load_spec(spec)
    assert doc.type == "纪要" and not doc.doctype.sealed


def test_speakers_are_recognised(zw_env):
    from zhengwu.writing.minutes import extract_rules

    transcript = "主持人：下面研究幼儿园治理工作。\n教育部：该项工作于2019年4月底前完成。\n\n会议同意成立城镇小区配套幼儿园治理工作小组。\n"
    m = extract_rules(transcript)
    assert m.speakers == ["主持人", "教育部"]
    assert m.actions[0].who == "教育部" and m.actions[0].lines == [1, 2]
    assert m.decisions[0].lines == [4]


def test_cli_minutes_json(zw_env, tmp_path):
    out = tmp_path / "jiyao.json"
    res = run_cli("write", "minutes", str(TRANSCRIPT), "--json", "--meeting", "治理工作部署会", "--out", str(out))
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["decisions"] and data["actions"] and data["spec"]["type"] == "纪要"
    assert json.loads(out.read_text(encoding="utf-8"))["type"] == "纪要"


def test_nouns_and_relative_clauses_are_not_cues():
    from zhengwu.writing.minutes import extract_rules

    # sentences of 国函〔2018〕144号 (国务院职业教育工作部际联席会议制度), one per line
    m = extract_rules("同意建立由国务院领导同志牵头负责的国务院职业教育工作部际联席会议制度。\n"
                      "设副召集人2人，由教育部主要负责同志和协助分管教育工作的国务院副秘书长担任。\n"
                      "认真落实联席会议确定的工作任务和议定事项。\n"
                      "联席会议办公室要及时向各成员单位通报相关情况，推动会议议定事项的落实。\n")
    assert [d.lines for d in m.decisions] == [[1]]
    assert [(a.who, a.lines) for a in m.actions] == [("联席会议办公室", [4])]
