"""The 权责清单: the most specific line wins, {area} is filled in, administrators edit, files import whole."""

from __future__ import annotations

import pytest

from zhengwu.context import Caller
from zhengwu.errors import Forbidden, NotFound, ZhengwuError
from zhengwu.hotline import dispatch

ADMIN = Caller("admin1", "city12345", "admin")
AGENT = Caller("agent1", "city12345", "agent")
OTHER = Caller("admin2", "county12345", "admin")


def test_defaults_most_specific_line_and_area(zw_env):
    assert dispatch.department_for(AGENT, ["教育文体", "基础教育", "入学招生"], "岳麓区") == "岳麓区教育局"
    assert dispatch.department_for(AGENT, ["教育文体"], None) == "市教育局"
    # a deeper line beats its level-1 line
    assert dispatch.department_for(AGENT, ["城乡建设", "市政设施", "供水"], None) == "市水务局"
    assert dispatch.department_for(AGENT, ["城乡建设", "市政设施", "路灯照明"], None) == "市城市管理和综合执法局"
    assert dispatch.department_for(AGENT, ["没有这一类"], "岳麓区") is None
    assert dispatch.department_for(AGENT, [], None) is None


def test_administrator_edits_per_area_and_department(zw_env):
    dispatch.set_line(ADMIN, "教育文体/基础教育", "{area}教育局基础教育科", area="岳麓区")
    assert dispatch.department_for(AGENT, ["教育文体", "基础教育", "幼儿园"], "岳麓区") == "岳麓区教育局基础教育科"
    assert dispatch.department_for(AGENT, ["教育文体", "基础教育", "幼儿园"], "天心区") == "天心区教育局"
    assert dispatch.department_for(OTHER, ["教育文体", "基础教育", "幼儿园"], "岳麓区") == "岳麓区教育局"
    dispatch.set_line(ADMIN, "教育文体", "市教育局（统一受理）")  # same specificity as the default: ours wins
    assert dispatch.department_for(AGENT, ["教育文体", "基础教育"], None) == "市教育局（统一受理）"
    assert dispatch.department_for(AGENT, ["教育文体", "文化体育"], None) == "市文化旅游广电体育局"  # deeper default
    dispatch.remove_line(ADMIN, "教育文体")
    assert dispatch.department_for(AGENT, ["教育文体", "基础教育"], None) == "市教育局"
    with pytest.raises(NotFound):
        dispatch.remove_line(ADMIN, "教育文体")
    with pytest.raises(Forbidden):
        dispatch.set_line(AGENT, "教育文体", "某局")
    with pytest.raises(ZhengwuError):
        dispatch.set_line(ADMIN, " / ", "某局")


def test_import_is_all_or_nothing(zw_env, tmp_path):
    good = tmp_path / "duty.jsonl"
    good.write_text('{"category": "交通运输/公共交通", "responsible": "{area}公交集团"}\n'
                    '{"category": ["民政", "养老服务"], "area": "雨花区", "responsible": "雨花区养老服务中心"}\n',
                    encoding="utf-8")
    assert dispatch.import_lines(ADMIN, good) == 2
    assert dispatch.department_for(AGENT, ["交通运输", "公共交通", "公交线路"], None) == "市公交集团"
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"category": "环境保护", "responsible": "市环保热线"}\n{"category": "民政"}\n', encoding="utf-8")
    with pytest.raises(ZhengwuError) as e:
        dispatch.import_lines(ADMIN, bad)
    assert e.value.code == "duty_row" and "2" in e.value.zh
    assert dispatch.department_for(AGENT, ["环境保护"], None) == "市生态环境局"  # nothing of the bad file
    gbk = tmp_path / "gbk.jsonl"
    gbk.write_bytes('{"category": "民政", "responsible": "民政局"}\n'.encode("gbk"))
    with pytest.raises(ZhengwuError) as e:
        dispatch.import_lines(ADMIN, gbk)
    assert e.value.code == "not_utf8"
