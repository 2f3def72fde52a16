"""Extension points: a deployment adds a backend, a recogniser (in code or from YAML) and an output check
without editing zhengwu (the parser and 文种 hooks have their own tests beside their features)."""

from __future__ import annotations

import textwrap

import pytest

PLUGIN = textwrap.dedent('''
    from zhengwu.gateway import NoModel
    from zhengwu.hookspecs import hookimpl

    class Offline:
        name = "offline"
        model = "offline-1"
        def chat(self, messages, **params):
            raise NoModel()
        def stream(self, messages, **params):
            raise NoModel()

    @hookimpl
    def register_backends(register):
        register("offline", lambda settings: Offline())

    @hookimpl
    def register_output_checks(register):
        register("no_shouting", lambda text, call: ["block:X"] if "!!!" in text else [])

    BLOCKED = []

    @hookimpl
    def before_model_call(call):
        BLOCKED.append(call.kind)
        return "夜间禁止调用" if "夜间" in str(call.messages) else None
''')

RECOGNIZERS = textwrap.dedent('''
    recognizers:
      - name: EmployeeNumberRecognizer
        entity: employee_id
        label: 工号
        patterns:
          - {name: gh_number, regex: "GH\\\\d{6}", score: 0.3}
        context: [工号, 员工编号]
      - name: SocialSecurityCardRecognizer
        entity: sscard
        label: 社保卡号
        patterns:
          - {name: card16, regex: "\\\\d{16}", score: 0.2}
        context: [社保卡]
        checksum: luhn
''')


@pytest.fixture
def plugin(zw_env, tmp_path, monkeypatch):  # noqa: ANN001
    from zhengwu.config import reset_settings

    (tmp_path / "deptplugin.py").write_text(PLUGIN, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("ZHENGWU_PLUGINS", '["deptplugin"]')
    reset_settings()
    yield
    monkeypatch.delenv("ZHENGWU_PLUGINS")
    reset_settings()


def test_a_plugin_backend_is_registered_and_chosen(plugin, monkeypatch):
    from zhengwu.config import reset_settings
    from zhengwu.context import Caller
    from zhengwu.gateway import NoModel, complete, registered_backends

    assert "offline" in registered_backends() and "openai" in registered_backends()
    monkeypatch.setenv("ZHENGWU_LLM_BACKEND", "offline")
    reset_settings()
    with pytest.raises(NoModel):
        complete(Caller("u", "default", "user"), "policy_qa", [{"role": "user", "content": "你好"}])


def test_before_model_call_can_block_and_output_checks_run(plugin, model_server):
    import deptplugin

    from zhengwu.context import Caller
    from zhengwu.gateway import Refused, complete

    caller = Caller("u", "default", "user")
    with pytest.raises(Refused) as ei:
        complete(caller, "policy_qa", [{"role": "user", "content": "夜间能办理吗"}])
    assert "夜间禁止调用" in ei.value.zh and model_server.received == []
    model_server.mode, model_server.reply = "fixed", "好的!!!"
    comp = complete(caller, "policy_qa", [{"role": "user", "content": "社保卡怎么办"}])
    assert "output_blocked" in comp.checks and "!!!" not in comp.text
    assert "chat" in deptplugin.BLOCKED


def test_recognisers_from_yaml(zw_env, tmp_path, monkeypatch):
    import json

    from zhengwu.config import reset_settings
    from zhengwu.gateway import mask_pii, scan_pii

    path = tmp_path / "local_ids.yaml"
    path.write_text(RECOGNIZERS, encoding="utf-8")
    monkeypatch.setenv("ZHENGWU_PII_RECOGNIZERS_YAML", json.dumps([str(path)]))
    reset_settings()
    # a low base score alone is not enough; the context word lifts it
    assert [f.entity for f in scan_pii("编号GH123456")] == []
    found = scan_pii("员工工号GH123456，社保卡6222020200112233445")
    assert "employee_id" in {f.entity for f in found}
    assert mask_pii("工号GH123456").text == "工号[工号]"
    # a checksum decides: 4111111111111111 passes Luhn, 4111111111111112 does not
    assert any(f.entity == "sscard" for f in scan_pii("社保卡4111111111111111"))
    assert not any(f.entity == "sscard" for f in scan_pii("社保卡4111111111111112"))


def test_a_bad_yaml_file_is_a_clear_error(zw_env, tmp_path, monkeypatch):
    import json

    from zhengwu.config import reset_settings
    from zhengwu.errors import ZhengwuError
    from zhengwu.gateway import scan_pii

    path = tmp_path / "bad.yaml"
    path.write_text("recognizers:\n  - entity: x\n    patterns:\n      - {name: a, regex: '(', score: 0.5}\n",
                    encoding="utf-8")
    monkeypatch.setenv("ZHENGWU_PII_RECOGNIZERS_YAML", json.dumps([str(path)]))
    reset_settings()
    with pytest.raises(ZhengwuError) as ei:
        scan_pii("任何文字")
    assert ei.value.code == "bad_recognizer_yaml" and "bad.yaml" in ei.value.zh
