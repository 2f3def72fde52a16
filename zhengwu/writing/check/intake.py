"""What kind of file was handed to the checker, and refusing what cannot be checked, in both languages.

Why a module of its own: users drop whatever they received onto `write check` — a legacy .doc or .wps, a
Word template, a macro document, a spreadsheet, a damaged or password-protected DOCX, a scanned PDF, a
document of hundreds of pages. Each of these is named here, before any parser runs, so the user reads what is
wrong and what to do instead of "unknown text encoding" or a KeyError. The readers (reader.py, pdf_reader.py)
then only see files of the kind they read.
"""

from __future__ import annotations

import math
import re
import zipfile
from pathlib import Path

from zhengwu.errors import ZhengwuError
from zhengwu.writing.check.model import Document

MAX_PAGES = 100  # a 公文 with its 附件 stays far below; a longer file is not one document to check at a time
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28  # GB/T 9704: the page count of a DOCX is estimated on its grid
MAIN_TYPES = {  # the main part's content type → (code, zh, en) when it is not a document python-docx reads
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml":
        ("docx_template", "这是 Word 模板（.dotx），不是文档；请用模板新建文档并另存为 .docx 后再检查。",
         "This is a Word template (.dotx), not a document; create a document from it, save it as .docx and check "
         "that."),
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml":
        ("docx_template", "这是启用宏的 Word 模板（.dotm），不是文档；请另存为 .docx 后再检查。",
         "This is a macro-enabled Word template (.dotm), not a document; save it as .docx and check that."),
    "application/vnd.ms-word.document.macroEnabled.main+xml":
        ("docx_macro", "这是启用宏的 Word 文档（.docm）；请另存为不含宏的 .docx 后再检查。",
         "This is a macro-enabled Word document (.docm); save it as a .docx without macros and check that."),
}
OTHER_PACKAGES = {  # a ZIP that is some other office format
    "xl/": ("Excel 表格", "an Excel workbook"), "ppt/": ("PowerPoint 演示文稿", "a PowerPoint presentation"),
}


def sniff(path: Path) -> str:
    """"docx", "pdf" or "text" for a file the checker can read; a bilingual ZhengwuError naming what is wrong
    otherwise."""
    path = Path(path)
    if not path.is_file():
        raise ZhengwuError("file_not_found", f"找不到文件：{path}", f"File not found: {path}", status=404)
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise ZhengwuError("unreadable", f"无法读取文件：{path}", f"Cannot read {path}") from exc
    suffix = path.suffix.lower()
    if not head:
        raise ZhengwuError("empty_file", f"文件为空：{path.name}", f"The file is empty: {path.name}")
    if head.startswith(CFB_MAGIC):
        _refuse_cfb(path, suffix)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04") or zipfile.is_zipfile(path):
        _check_package(path)
        return "docx"
    if head.startswith(b"{\\rtf"):
        raise ZhengwuError("rtf_unsupported", "这是 RTF 文件；请另存为 .docx 后再检查。",
                           "This is an RTF file; save it as .docx and check that.")
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"GIF8")):
        raise ZhengwuError("image_unsupported", "这是图片（扫描件），没有可检查的文字；请提供 .docx 或带文字层的 PDF。",
                           "This is an image (a scan) with no text to check; provide a .docx or a PDF with a text "
                           "layer.")
    if suffix in (".docx", ".pdf"):
        raise ZhengwuError("docx_invalid" if suffix == ".docx" else "pdf_invalid",
                           f"文件扩展名为 {suffix}，但内容不是 {suffix[1:].upper()} 文件（可能已损坏）。",
                           f"The file is named {suffix} but its content is not a {suffix[1:].upper()} file (it may "
                           "be damaged).")
    return "text"


def _refuse_cfb(path: Path, suffix: str) -> None:
    """An OLE compound file: a password-protected DOCX, or a legacy .doc / .wps (WPS 文字's own format)."""
    import msoffcrypto

    encrypted = None
    try:
        with open(path, "rb") as fh:
            encrypted = msoffcrypto.OfficeFile(fh).is_encrypted()
    except Exception:  # noqa: BLE001 - msoffcrypto does not know every OLE file (e.g. .wps): not an encrypted DOCX
        encrypted = None
    if encrypted:
        raise ZhengwuError("docx_encrypted", "该文件设有密码（已加密），无法检查；请在 Word 或 WPS 中解除密码后再试。",
                           "The file is password-protected (encrypted); remove the password in Word or WPS and try "
                           "again.")
    if suffix == ".wps":
        raise ZhengwuError("wps_legacy", "这是 WPS 文字的旧格式（.wps），无法检查；请在 WPS 中另存为 .docx 后再检查。",
                           "This is WPS Writer's legacy format (.wps); save it as .docx in WPS and check that.")
    raise ZhengwuError("doc_legacy", "这是旧版 Word 格式（.doc），无法检查；请另存为 .docx 后再检查。",
                       "This is a legacy Word file (.doc); save it as .docx and check that.")


def _check_package(path: Path) -> None:
    """A ZIP must be a Word document whose main part is present; name the format it is otherwise."""
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            types = z.read("[Content_Types].xml").decode("utf-8", "replace") if "[Content_Types].xml" in names \
                else ""
            rels = z.read("_rels/.rels").decode("utf-8", "replace") if "_rels/.rels" in names else ""
            mimetype = z.read("mimetype").decode("ascii", "replace") if "mimetype" in names else ""
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError) as exc:
        raise ZhengwuError("docx_invalid", "文件已损坏，无法作为 DOCX（ZIP 压缩包）打开。",
                           "The file is damaged and cannot be opened as a DOCX (ZIP package).") from exc
    if mimetype.startswith("application/vnd.oasis.opendocument"):
        raise ZhengwuError("odf_unsupported", "这是 OpenDocument 文件（.odt），请在 LibreOffice 或 WPS 中另存为 .docx 后再检查。",
                           "This is an OpenDocument file (.odt); save it as .docx in LibreOffice or WPS and check "
                           "that.")
    for prefix, (zh, en) in OTHER_PACKAGES.items():
        if any(n.startswith(prefix) for n in names) and not any(n.startswith("word/") for n in names):
            raise ZhengwuError("not_docx", f"这是{zh}，不是 Word 文档。", f"This is {en}, not a Word document.")
    target = re.search(r'Type="[^"]*/officeDocument"[^>]*Target="/?([^"]+)"', rels) or \
        re.search(r'Target="/?([^"]+)"[^>]*Type="[^"]*/officeDocument"', rels)
    main = target.group(1) if target else "word/document.xml"
    if not types or main not in names:
        raise ZhengwuError("docx_no_main_part", f"DOCX 文件不完整：缺少正文部分（{main}），文件可能已损坏或被截断。",
                           f"The DOCX is incomplete: its main part ({main}) is missing; the file may be damaged or "
                           "truncated.", part=main)
    m = re.search(rf'PartName="/{re.escape(main)}"\s+ContentType="([^"]+)"', types) or \
        re.search(rf'ContentType="([^"]+)"\s+PartName="/{re.escape(main)}"', types)
    if m and m.group(1) in MAIN_TYPES:
        code, zh, en = MAIN_TYPES[m.group(1)]
        raise ZhengwuError(code, zh, en)


def estimate_pages(doc: Document) -> int:
    """Pages of a DOCX or text on the 22 × 28 grid (each paragraph at least one line)."""
    lines = sum(max(1, math.ceil(len(ln.text) / CHARS_PER_LINE)) for ln in doc.lines)
    return math.ceil(lines / LINES_PER_PAGE)


def guard_length(pages: int) -> None:
    """Refuse a document of more than MAX_PAGES pages, before the rules run on it."""
    if pages > MAX_PAGES:
        raise ZhengwuError("document_too_long", f"文档过长（约 {pages} 页），超过公文检查的 {MAX_PAGES} 页上限；"
                                                "请将附件拆分后分别检查。",
                           f"The document is too long (about {pages} pages), over the checker's limit of "
                           f"{MAX_PAGES} pages; split off the attachments and check them separately.", pages=pages)
