"""The one 文种 registry: built-ins come through the register_doctypes hook, a plugin adds or replaces a type,
and drafting, checking, rendering and metadata extraction all see it."""

from __future__ import annotations

import json

import pytest

from zhengwu import plugins
from zhengwu.context import Caller
from zhengwu.errors import ZhengwuError
from zhengwu.writing import doctypes

CALLER = Caller(user="tester", department="办公厅", role="officer")


@pytest.fixture()
def with_plugin(zw_env, monkeypatch):
    """The test plugin loaded the way a deployment names one: the setting `plugins` (env ZHENGWU_PLUGINS)."""
    from zhengwu.config import reset_settings

    monkeypatch.setenv("ZHENGWU_PLUGINS", json.dumps(["tests.writing.doctype_plugin"]))
    reset_settings()
    plugins.reset_plugins()
    yield
    monkeypatch.delenv("ZHENGWU_PLUGINS")
    reset_settings()
    plugins.reset_plugins()


def test_builtins_come_through_the_hook(zw_env):
    registered = [args[0].name for args in plugins.collect("register_doctypes")]
    assert registered[:15] == doctypes.gongwen_names() and "新闻稿" in registered
    minutes = doctypes.get_doctype("会议纪要")
    assert minutes.name == "纪要" and minutes.layout == "minutes" and not minutes.recipients_required
    assert not minutes.sealed and "seal" in minutes.forbidden
    assert doctypes.get_doctype("令").name == "命令" and doctypes.find_doctype("Minutes").name == "纪要"
    assert doctypes.normalise_type("新闻稿") is None  # drafted like a 公文, but not one
    with pytest.raises(ZhengwuError) as exc:
        doctypes.get_doctype("便条")
    assert exc.value.code == "bad_doc_type"


def test_minutes_draft_needs_no_recipients(zw_env):
    """The bug: a 纪要 has no 主送机关, yet drafting asked for one (two registries disagreed)."""
    from zhengwu.writing.draft import draft
    from zhengwu.writing.spec import load_spec

    r = draft(CALLER, doc_type="纪要", issuer="国务院办公厅", recipients=None,
              points=["会议同意成立治理工作小组", "各地于2019年4月底前完成摸底排查"], subject="幼儿园治理工作部署会",
              use_model=False)
    assert r.spec["type"] == "纪要" and r.spec["recipients"] == ""
    assert r.spec["body"].startswith("为做好幼儿园治理工作部署会工作，现将会议主要精神纪要如下：")
    doc = load_spec(r.spec)
    assert doc.type == "纪要" and not doc.doctype.sealed
    for doc_type in ("决议", "命令", "公告"):  # no 主送 either, per the same registry
        assert draft(CALLER, doc_type=doc_type, issuer="国务院", recipients=None, points=["x"], use_model=False)


def test_plugin_adds_a_doctype(with_plugin, tmp_path):
    from zhengwu.kb.metadata import guess_doc_type
    from zhengwu.writing.check import check_file, check_text
    from zhengwu.writing.draft import draft
    from zhengwu.writing.render_docx import render_docx
    from zhengwu.writing.spec import load_spec

    dt = doctypes.get_doctype("proposal")
    assert dt.name == "倡议书" and "倡议书" in doctypes.gongwen_names()
    assert doctypes.type_from_title("广州市人民政府关于节约用水的倡议书") == "倡议书"
    assert guess_doc_type("广州市人民政府关于节约用水的倡议书") == "倡议书"

    r = draft(CALLER, doc_type="倡议书", issuer="广州市人民政府", recipients=None, points=["节约用水"],
              subject="节约用水", date="2019年3月22日", use_model=False)
    assert r.spec["title"] == "广州市人民政府关于节约用水的倡议书"
    assert r.spec["body"].split("\n\n")[-1] == "让我们共同行动起来！"
    doc = load_spec(r.spec)
    assert doc.type == "倡议书"

    report = check_text("广州市人民政府关于节约用水的倡议书\n全体市民：\n" + r.spec["body"].replace("\n\n", "\n")
                        + "\n广州市人民政府\n2019年3月22日")
    assert report.elements["type"] == "倡议书" and report.ok, report.to_dict()
    out = render_docx(doc, tmp_path / "changyi.docx")
    assert check_file(out).elements["type"] == "倡议书"

    # The plugin's 批复 replaced the built-in one.
    reply = draft(CALLER, doc_type="批复", issuer="国务院", recipients="广东省人民政府", points=["同意"],
                  subject="设立试验区", use_model=False)
    assert reply.spec["body"].endswith("特此批复。")


def test_office_page_lists_plugin_types(with_plugin):
    from zhengwu.web.routes.office import doc_type_names

    names = doc_type_names()
    assert names[0] == "通知" and "倡议书" in names and "新闻稿" in names


def test_plugin_gone_after_reset(zw_env):
    assert doctypes.find_doctype("倡议书") is None
    assert doctypes.get_doctype("批复").closing == "此复。"


def test_a_plugin_must_register_doctype_objects(zw_env):
    pm = plugins.get_plugin_manager()

    class Broken:
        @staticmethod
        @plugins.hookspecs.hookimpl
        def register_doctypes(register) -> None:  # noqa: ANN001
            register("倡议书")

    broken = Broken()
    pm.register(broken)
    doctypes.clear_cache()
    try:
        with pytest.raises(ZhengwuError) as exc:
            doctypes.all_doctypes()
        assert exc.value.code == "bad_doctype"
    finally:
        pm.unregister(broken)
        plugins.reset_plugins()
