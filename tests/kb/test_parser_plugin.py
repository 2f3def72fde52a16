"""A deployment adds a document format through a plugin named in settings, without editing zhengwu."""

from __future__ import annotations

import json
import os
import textwrap

import pytest
from sqlalchemy import select

from tests.conftest import run_cli
from zhengwu import plugins
from zhengwu.config import reset_settings
from zhengwu.kb import parsers
from zhengwu.kb.ingest import ingest_paths
from zhengwu.kb.models import Document
from zhengwu.store import session_scope

PLUGIN = textwrap.dedent('''
    """A house format: OFD exported as text behind a marker line, and a stricter .txt reader."""
    from pathlib import Path

    from zhengwu.hookspecs import hookimpl
    from zhengwu.kb.chunking import blocks_from_text
    from zhengwu.kb.parsers import Parsed, ParseError


    def parse_ofd(path: Path) -> Parsed:
        raw = path.read_text(encoding="utf-8")
        if not raw.startswith("OFD-TEXT\\n"):
            raise ParseError(path, "not_ofd", "不是 OFD 文本导出文件。", "not an OFD text export.")
        text = raw.split("\\n", 1)[1]
        return Parsed(blocks_from_text(text), text, "ofd", title=text.splitlines()[0], meta={"exporter": "test"})


    def parse_txt(path: Path) -> Parsed:
        text = path.read_text(encoding="utf-8")
        return Parsed(blocks_from_text(text), text, "txt", meta={"reader": "house"})


    @hookimpl
    def register_parsers(register):
        register((".ofd",), "ofd", parse_ofd)
        register((".txt",), "txt", parse_txt)  # registered after the built-in one: it wins
''')

NOTICE = ("OFD-TEXT\n广州市民政局关于调整最低生活保障标准的通知\n穗民规字〔2025〕9号\n各区民政局：\n"
          "经市人民政府同意，现将本市最低生活保障标准调整为每人每月1500元，自2025年7月1日起执行。\n"
          "广州市民政局\n2025年6月20日\n")


@pytest.fixture
def ofd_plugin(zw_env, tmp_path, monkeypatch):
    """The plugin module on sys.path and named in the setting `plugins` (env ZHENGWU_PLUGINS)."""
    (tmp_path / "zw_house_formats.py").write_text(PLUGIN, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")]))
    monkeypatch.setenv("ZHENGWU_PLUGINS", json.dumps(["zw_house_formats"]))
    reset_settings()
    plugins.reset_plugins()
    yield tmp_path
    monkeypatch.delenv("ZHENGWU_PLUGINS")
    reset_settings()
    plugins.reset_plugins()


def test_plugin_parser_is_used_in_process(ofd_plugin, caller):
    doc = ofd_plugin / "通知.ofd"
    doc.write_text(NOTICE, encoding="utf-8")
    assert parsers.source_type_of(doc) == "ofd"
    plain = ofd_plugin / "note.txt"
    plain.write_text("国务院办公厅关于做好政务公开工作的通知\n正文。", encoding="utf-8")
    assert parsers.parse_file(plain).meta == {"reader": "house"}  # a plugin may replace a built-in format
    with pytest.raises(parsers.ParseError) as exc:
        parsers.check_supported(ofd_plugin / "scan.tiff")
    assert "OFD" in exc.value.en and "OFD" in exc.value.zh  # the supported list names the plugin's format

    rep = ingest_paths([doc], kb="k", caller=caller)
    assert rep.added == 1 and not rep.failed
    with session_scope() as s:
        d = s.scalar(select(Document))
        assert (d.source_type, d.doc_number, d.meta["exporter"]) == ("ofd", "穗民规字〔2025〕9号", "test")


def test_cli_ingests_a_plugin_format(ofd_plugin):
    doc = ofd_plugin / "通知.ofd"
    doc.write_text(NOTICE, encoding="utf-8")
    r = run_cli("ingest", str(doc), "--kb", "民政", "--json", "--no-progress")
    assert r.returncode == 0, r.stderr
    rep = json.loads(r.stdout)
    assert (rep["added"], rep["files"][0]["status"]) == (1, "added")


def test_without_the_plugin_the_format_is_refused(zw_env, caller, tmp_path):
    doc = tmp_path / "通知.ofd"
    doc.write_text(NOTICE, encoding="utf-8")
    rep = ingest_paths([doc], kb="k", caller=caller)
    assert rep.added == 0 and "unsupported file type '.ofd'" in rep.failed[0][2]
