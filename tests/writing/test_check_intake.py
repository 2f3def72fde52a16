"""Bad input to the 公文 checker, as a careless user or an attacker hands it over: every file it cannot check is
named in Chinese and English, `write check` exits 2, and with --json always prints JSON."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from tests.conftest import EVAL, run_cli

from zhengwu.errors import ZhengwuError
from zhengwu.writing.check import check_file
from zhengwu.writing.check.intake import MAX_PAGES

DOCS = EVAL / "official_docs" / "state_council_2018_2019.jsonl"
needs_docs = pytest.mark.skipif(not DOCS.is_file(), reason=f"official_docs data missing: {DOCS}")


def real_record(number: str) -> dict:
    for line in DOCS.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if rec["doc_number"] == number:
            return rec
    raise LookupError(number)


@pytest.fixture(scope="module")
def gongwen_docx(tmp_path_factory) -> Path:
    """A real 公文 (国办发〔2019〕3号) laid out by python-docx with its default template."""
    if not DOCS.is_file():
        pytest.skip(f"official_docs data missing: {DOCS}")
    import docx

    rec = real_record("国办发〔2019〕3号")
    d = docx.Document()
    for line in rec["text"].splitlines():
        if line.strip():
            d.add_paragraph(line.strip())
    path = tmp_path_factory.mktemp("intake") / "gongwen.docx"
    d.save(str(path))
    return path


def refused(path: Path) -> ZhengwuError:
    with pytest.raises(ZhengwuError) as exc:
        check_file(path)
    err = exc.value
    assert err.zh and err.en and err.zh != err.en  # both languages, always
    return err


def rewrite(src: Path, dst: Path, drop: str = "", patch: tuple[str, bytes, bytes] | None = None) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for name in zin.namelist():
            if name == drop:
                continue
            data = zin.read(name)
            if patch and name == patch[0]:
                data = data.replace(patch[1], patch[2])
            zout.writestr(name, data)
    return dst


@needs_docs
def test_docx_without_its_main_part(gongwen_docx, tmp_path):
    err = refused(rewrite(gongwen_docx, tmp_path / "broken.docx", drop="word/document.xml"))
    assert err.code == "docx_no_main_part" and "word/document.xml" in err.en and "缺少正文部分" in err.zh


@needs_docs
@pytest.mark.parametrize(("kind", "code", "word"), [("template", "docx_template", ".dotx"),
                                                   ("macroEnabled", "docx_macro", ".docm")])
def test_word_template_and_macro_document(gongwen_docx, tmp_path, kind, code, word):
    ct = (b"wordprocessingml.document.main+xml", b"wordprocessingml.template.main+xml") if kind == "template" else \
        (b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
         b"application/vnd.ms-word.document.macroEnabled.main+xml")
    path = rewrite(gongwen_docx, tmp_path / f"x{word}", patch=("[Content_Types].xml", *ct))
    err = refused(path)
    assert err.code == code and word in err.zh and word in err.en


@needs_docs
def test_encrypted_docx(gongwen_docx, tmp_path):
    from msoffcrypto.format.ooxml import OOXMLFile

    enc = tmp_path / "locked.docx"
    with open(gongwen_docx, "rb") as src, open(enc, "wb") as dst:
        OOXMLFile(src).encrypt("secret-123", dst)
    err = refused(enc)
    assert err.code == "docx_encrypted" and "password" in err.en and "密码" in err.zh


@pytest.fixture(scope="module")
def legacy_doc(gongwen_docx, tmp_path_factory) -> Path:
    """The same document saved by LibreOffice as a Word 97 .doc (an OLE compound file)."""
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice (soffice) not installed")
    out = tmp_path_factory.mktemp("legacy")
    subprocess.run(["soffice", f"-env:UserInstallation=file://{out}/profile", "--headless", "--convert-to", "doc",
                    "--outdir", str(out), str(gongwen_docx)], check=True, capture_output=True, timeout=180)
    return out / "gongwen.doc"


@pytest.mark.slow
@needs_docs
def test_legacy_doc_and_wps(legacy_doc, tmp_path):
    assert legacy_doc.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    err = refused(legacy_doc)
    assert err.code == "doc_legacy" and ".doc" in err.en and ".docx" in err.zh
    # the same OLE file under a .docx name is still named for what it is
    renamed = tmp_path / "looks-new.docx"
    renamed.write_bytes(legacy_doc.read_bytes())
    assert refused(renamed).code == "doc_legacy"
    wps = tmp_path / "旧格式.wps"
    wps.write_bytes(legacy_doc.read_bytes())
    err = refused(wps)
    assert err.code == "wps_legacy" and "WPS" in err.zh and ".wps" in err.en


def test_other_files_named_for_what_they_are(tmp_path):
    import openpyxl

    xlsx = tmp_path / "table.docx"  # a spreadsheet under a Word name
    openpyxl.Workbook().save(xlsx)
    assert refused(xlsx).code == "not_docx"
    rtf = tmp_path / "a.rtf"
    rtf.write_bytes(b"{\\rtf1\\ansi \\u20844?\\u25991?}")
    assert refused(rtf).code == "rtf_unsupported"
    empty = tmp_path / "empty.docx"
    empty.write_bytes(b"")
    assert refused(empty).code == "empty_file"
    fake = tmp_path / "fake.docx"
    fake.write_bytes("这不是 DOCX".encode())
    assert refused(fake).code == "docx_invalid"
    binary = tmp_path / "blob.bin"
    binary.write_bytes(bytes(range(256)) * 8)
    err = refused(binary)
    assert err.code == "text_encoding" and "PDF" in err.en


@needs_docs
def test_two_hundred_page_document(tmp_path):
    import docx

    text = [ln for ln in real_record("国发〔2019〕4号")["text"].splitlines() if ln.strip()]
    d = docx.Document()
    body = d.element.body
    para = d.add_paragraph(text[0])._p
    # real paragraphs repeated to ~200 pages of 22 × 28 characters, appended as XML (python-docx is slow at this)
    import copy

    total, i = 0, 0
    while total < 200 * 22 * 28:
        p = copy.deepcopy(para)
        p.findall(".//{*}t")[0].text = text[i % len(text)]
        body.append(p)
        total += len(text[i % len(text)]) + 28
        i += 1
    path = tmp_path / "long.docx"
    d.save(str(path))
    err = refused(path)
    assert err.code == "document_too_long" and str(MAX_PAGES) in err.zh and "pages" in err.en


@needs_docs
def test_cli_json_always(gongwen_docx, tmp_path):
    broken = rewrite(gongwen_docx, tmp_path / "broken.docx", drop="word/document.xml")
    r = run_cli("write", "check", "--json", str(broken))
    assert r.returncode == 2, r.stderr
    out = json.loads(r.stdout)
    assert out["ok"] is False and out["error"]["code"] == "docx_no_main_part"
    assert set(out["error"]) >= {"code", "message_zh", "message_en"} and "Traceback" not in r.stderr
    # a rejected file (not a 公文) is JSON too
    import docx

    note = docx.Document()
    note.add_paragraph("字体测试：仿宋_GB2312 三号")
    note.save(str(tmp_path / "note.docx"))
    r = run_cli("write", "check", "--json", str(tmp_path / "note.docx"))
    assert r.returncode == 2 and json.loads(r.stdout)["error"]["code"] == "not_gongwen"
    # without --json: both languages on stderr, exit 2, nothing on stdout
    r = run_cli("write", "check", str(broken))
    assert r.returncode == 2 and not r.stdout and "错误" in r.stderr and "Error" in r.stderr
    # a checkable 公文 still prints its report as JSON with "ok"
    r = run_cli("write", "check", "--json", str(gongwen_docx))
    assert r.returncode in (0, 1) and "ok" in json.loads(r.stdout)
