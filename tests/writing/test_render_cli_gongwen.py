"""`zhengwu write render` and `zhengwu write check` as real subprocesses, and the PDF path (GONGWEN)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import run_cli
from zhengwu.eval.gongwen import spec_from_record

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "official_docs_sample.jsonl"
RECORDS = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]


def write_spec(tmp_path: Path, prefix: str = "国务院办公厅关于2019年部分节假日", **changes) -> Path:
    rec = next(r for r in RECORDS if r["title"].startswith(prefix))
    spec = dict(spec_from_record(rec)[0], **changes)
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    return path


def test_render_then_check_cli(zw_env, tmp_path):
    spec = write_spec(tmp_path)
    out = tmp_path / "notice.docx"
    r = run_cli("write", "render", str(spec), "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert out.is_file()
    r = run_cli("write", "check", str(out), "--json")
    assert r.returncode == 0, r.stdout + r.stderr
    data = json.loads(r.stdout)
    assert data["ok"] and data["violations"] == [] and data["elements"]["type"] == "通知"
    txt = tmp_path / "notice.txt"
    txt.write_text("国办发明电[2018]15号\n国务院办公厅关于2019年部分节假日安排的通知\n"
                   "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n"
                   "经国务院批准，现将2019年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。\n"
                   "国务院办公厅\n二〇一八年十二月四日\n", encoding="utf-8")
    r = run_cli("write", "check", str(txt))
    assert r.returncode == 1
    assert "number.brackets" in r.stdout and "date.chinese" in r.stdout and "line 1" in r.stdout


def test_cli_bad_input(zw_env, tmp_path):
    spec = tmp_path / "bad.json"
    spec.write_text(json.dumps({"type": "请示", "title": "x"}), encoding="utf-8")
    r = run_cli("write", "render", str(spec), "--out", str(tmp_path / "x.docx"))
    assert r.returncode == 2
    for word in ("issuer", "signer", "发文字号", "签发人"):
        assert word in r.stderr
    locked = tmp_path / "locked.docx"
    locked.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    r = run_cli("write", "check", str(locked))
    assert r.returncode == 2 and ("encrypted" in r.stderr or "legacy" in r.stderr)


@pytest.mark.slow
def test_pdf_fonts_and_page_size(zw_env, tmp_path):
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        pytest.skip("LibreOffice (soffice) not installed: apt-get install libreoffice-writer-nogui")
    if not shutil.which("pdffonts"):
        pytest.skip("pdffonts not installed: apt-get install poppler-utils")
    spec = write_spec(tmp_path, "国务院关于在市场监管领域")
    out = tmp_path / "yijian.docx"
    r = run_cli("write", "render", str(spec), "--out", str(out), "--pdf")
    assert r.returncode == 0, r.stderr
    pdf = out.with_suffix(".pdf")
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    # 仿宋 → AR PL SungtiL (BousungEG), 楷体 → AR PL KaitiM (GBZenKai), 黑体 → Noto Sans CJK, 小标宋 → Noto Serif Bold
    for face in ("BousungEG", "ZenKai", "NotoSansCJK", "NotoSerifCJK"):
        assert face in fonts, fonts
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "(A4)" in info
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    compact = "".join(text.split())
    assert "国发〔2019〕5号" in compact and "—1—" in compact and "—2—" in compact
    # the 版记 sits on the lower edge of the type area of the last page (262 mm = 742.7 pt from the top),
    # the page number's 一字线 about 7 mm below it
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    bbox = subprocess.run(["pdftotext", "-bbox", "-f", str(pages), "-l", str(pages), str(pdf), "-"],
                          capture_output=True, text=True).stdout
    words = re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]+)<', bbox)
    printed = [float(y1) for _, y1, w in words if w.endswith("印发")]
    assert printed and abs(printed[0] - 742.7) < 8, words[-6:]
    dash = [float(y0) for y0, _, w in words if w == "—"]
    assert dash and 4 < (dash[0] - 742.7) * 25.4 / 72 < 10
    # an AI-generated rendering keeps its labels in the PDF (visible text and the AIGC Info key)
    from zhengwu.gateway.labels import read_pdf_aigc

    ai = tmp_path / "ai.docx"
    r = run_cli("write", "render", str(spec), "--out", str(ai), "--pdf", "--ai-generated")
    assert r.returncode == 0, r.stderr
    ai_text = subprocess.run(["pdftotext", str(ai.with_suffix(".pdf")), "-"], capture_output=True, text=True).stdout
    assert "人工智能生成" in ai_text and read_pdf_aigc(ai.with_suffix(".pdf"))


def test_pdf_missing_soffice_message(tmp_path, monkeypatch):
    from zhengwu.errors import ZhengwuError
    from zhengwu.writing.render_pdf import docx_to_pdf

    monkeypatch.setenv("ZHENGWU_SOFFICE", str(tmp_path / "no-such-soffice"))
    (tmp_path / "a.docx").write_bytes(b"PK")
    with pytest.raises(ZhengwuError) as exc:
        docx_to_pdf(tmp_path / "a.docx", tmp_path / "a.pdf")
    assert exc.value.code == "soffice_missing" and "LibreOffice" in exc.value.en and "libreoffice" in exc.value.zh


def _fake_soffice(tmp_path: Path, script: str) -> Path:
    exe = tmp_path / "soffice"
    exe.write_text("#!/bin/sh\n" + script + "\n", encoding="utf-8")
    exe.chmod(0o755)
    return exe


def test_pdf_hang_is_killed_and_crash_reported(tmp_path, monkeypatch):
    import time

    from zhengwu.errors import ZhengwuError
    from zhengwu.writing.render_pdf import docx_to_pdf, missing_fonts

    if missing_fonts():
        pytest.skip("CJK fonts for the 公文 aliases not installed (fonts-noto-cjk, fonts-arphic-*)")
    src = tmp_path / "a.docx"
    src.write_bytes(b"PK")
    marker = tmp_path / "child.pid"
    monkeypatch.setenv("ZHENGWU_SOFFICE", str(_fake_soffice(tmp_path, f"sleep 60 & echo $! > {marker}; wait")))
    t0 = time.time()
    with pytest.raises(ZhengwuError) as exc:
        docx_to_pdf(src, tmp_path / "a.pdf", timeout=2)
    assert exc.value.code == "soffice_timeout" and time.time() - t0 < 20
    child = int(marker.read_text())
    time.sleep(0.2)
    assert not Path(f"/proc/{child}").exists() or "Z" in Path(f"/proc/{child}/stat").read_text().split()[2]
    monkeypatch.setenv("ZHENGWU_SOFFICE", str(_fake_soffice(tmp_path, "echo 'Error: source file could not be loaded' >&2; exit 1")))
    with pytest.raises(ZhengwuError) as exc:
        docx_to_pdf(src, tmp_path / "a.pdf", timeout=10)
    assert exc.value.code == "pdf_failed" and "could not be loaded" in exc.value.en
