"""DOCX → PDF through LibreOffice headless, with the 公文 font aliases and a time limit.

Why this shape: LibreOffice is the only free engine that lays out a DOCX the way Word does (grid, exact
line spacing, floating 版记 table). It is run with its own throw-away profile (`-env:UserInstallation`), so
parallel conversions and a user's own LibreOffice never interfere, in its own process group, so a hang is
killed with all its children after `timeout` seconds. 公文 fonts (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312,
宋体) are mapped to Debian fonts by `fonts/fonts.conf`, passed through FONTCONFIG_FILE in a wrapper that
includes the system configuration first. A PDF made from a labelled (AI-generated) DOCX is labelled too.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import zipfile
from pathlib import Path

from lxml import etree

from zhengwu.errors import ZhengwuError
from zhengwu.gateway import Governed

FONTS_CONF = Path(__file__).parent / "fonts" / "fonts.conf"
SYSTEM_CONF = Path("/etc/fonts/fonts.conf")
# 公文 font name → (the family fonts.conf maps it to, the Debian package that provides it)
FONT_TARGETS = {
    "仿宋_GB2312": ("AR PL SungtiL GB", "fonts-arphic-gbsn00lp"),
    "方正小标宋简体": ("Noto Serif CJK SC", "fonts-noto-cjk"),
    "黑体": ("Noto Sans CJK SC", "fonts-noto-cjk"),
    "楷体_GB2312": ("AR PL KaitiM GB", "fonts-arphic-gkai00mp"),
    "宋体": ("Noto Serif CJK SC", "fonts-noto-cjk"),
}
INSTALL_HINT = ("apt-get install -y --no-install-recommends libreoffice-writer-nogui fonts-noto-cjk "
                "fonts-arphic-gbsn00lp fonts-arphic-gkai00mp")


def find_soffice() -> str | None:
    """The LibreOffice executable (ZHENGWU_SOFFICE overrides the PATH lookup)."""
    env = os.environ.get("ZHENGWU_SOFFICE")
    if env:
        return env if Path(env).exists() else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def write_fontconfig(directory: Path) -> Path:
    """A fontconfig file that includes the system configuration and then the 公文 aliases."""
    directory.mkdir(parents=True, exist_ok=True)
    conf = directory / "fonts.conf"
    system = f'<include ignore_missing="yes">{SYSTEM_CONF}</include>' if SYSTEM_CONF.exists() else ""
    conf.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
                    f"<fontconfig>{system}<include>{FONTS_CONF}</include></fontconfig>\n", encoding="utf-8")
    return conf


def font_status(conf: Path | None = None) -> dict[str, str | None]:
    """For each 公文 font name, the family fontconfig resolves it to (None when fc-match is unavailable)."""
    fc = shutil.which("fc-match")
    out: dict[str, str | None] = {}
    with tempfile.TemporaryDirectory(prefix="zhengwu-fc-") as tmp:
        conf = conf or write_fontconfig(Path(tmp))
        env = dict(os.environ, FONTCONFIG_FILE=str(conf))
        for name in FONT_TARGETS:
            if not fc:
                out[name] = None
                continue
            r = subprocess.run([fc, "-f", "%{family[0]}", name], capture_output=True, text=True, env=env, timeout=30)
            out[name] = r.stdout.strip() or None
    return out


def missing_fonts(conf: Path | None = None) -> list[tuple[str, str]]:
    """(公文 font, Debian package) pairs whose mapped font is not installed."""
    status = font_status(conf)
    return [(name, pkg) for name, (family, pkg) in FONT_TARGETS.items()
            if status.get(name) is not None and status[name] != family]


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        pass


def docx_to_pdf(docx: Path, out: Path, timeout: float = 120) -> Path:
    """Convert `docx` to the PDF `out`; clear bilingual errors when LibreOffice or a font is missing,
    when the conversion fails, or when it takes longer than `timeout` seconds (the process is killed)."""
    docx, out = Path(docx), Path(out)
    if not docx.is_file():
        raise ZhengwuError("docx_not_found", f"找不到文件：{docx}", f"File not found: {docx}", status=404)
    soffice = find_soffice()
    if not soffice:
        raise ZhengwuError("soffice_missing", f"未安装 LibreOffice，无法生成 PDF。请安装：{INSTALL_HINT}",
                           f"LibreOffice is not installed, so no PDF can be made. Install it: {INSTALL_HINT}",
                           status=503)
    with tempfile.TemporaryDirectory(prefix="zhengwu-soffice-") as tmp:
        work = Path(tmp)
        conf = write_fontconfig(work / "fontconfig")
        missing = missing_fonts(conf)
        if missing:
            pkgs = " ".join(sorted({p for _, p in missing}))
            names = "、".join(n for n, _ in missing)
            raise ZhengwuError("font_missing", f"缺少公文字体 {names} 的替代字体，请安装：apt-get install {pkgs}",
                               f"No substitute installed for the 公文 fonts {names}; install: apt-get install {pkgs}",
                               status=503)
        src = work / "in" / "document.docx"
        src.parent.mkdir()
        shutil.copyfile(docx, src)
        try:
            float_tables_as_textboxes(src)
        except Exception:  # noqa: BLE001 - not our layout (or not a DOCX): let LibreOffice judge the file as is
            shutil.copyfile(docx, src)
        outdir = work / "out"
        profile = work / "profile"
        env = dict(os.environ, FONTCONFIG_FILE=str(conf), HOME=str(work), SAL_USE_VCLPLUGIN="svp")
        cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible", "--norestore",
               "--nologo", "--nodefault", "--nolockcheck", "--convert-to", "pdf:writer_pdf_Export",
               "--outdir", str(outdir), str(src)]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=work,
                                start_new_session=True)
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            raise ZhengwuError("soffice_timeout", f"LibreOffice 转换超时（{timeout:g} 秒），已终止。",
                               f"LibreOffice did not finish within {timeout:g} s and was killed.",
                               status=504) from None
        pdf = outdir / "document.pdf"
        if proc.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
            detail = (stderr or stdout or b"").decode("utf-8", "replace").strip()[-300:]
            raise ZhengwuError("pdf_failed", f"LibreOffice 转换失败（退出码 {proc.returncode}）：{detail}",
                               f"LibreOffice conversion failed (exit code {proc.returncode}): {detail}", status=500)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(pdf), out)
    Governed.carry_label_to_pdf(docx, out)  # an AI label is never dropped on the way to PDF
    return out


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_EMU_PER_TWIP = 635


def float_tables_as_textboxes(path: Path) -> int:
    """Rewrite page-anchored floating tables (the 版记) as anchored text boxes, in place; returns how many.

    Word and WPS honour a table positioned by `w:tblpPr`; LibreOffice 7 lays it out inline, which would put
    the 版记 right under the 成文日期 instead of on the bottom edge of the type area. A DrawingML text box at
    the same absolute position holding the same table is placed correctly by LibreOffice. Only the temporary
    copy handed to LibreOffice is changed; the user's DOCX keeps the Word-native form.
    """
    w = f"{{{_W}}}"
    with zipfile.ZipFile(path) as z:
        items = {n: z.read(n) for n in z.namelist()}
    root = etree.fromstring(items["word/document.xml"])
    body = root.find(f"{w}body")
    sect = body.find(f"{w}sectPr")
    count = 0
    for tbl in list(body.findall(f"{w}tbl")):
        tblpr = tbl.find(f"{w}tblPr")
        pos = tblpr.find(f"{w}tblpPr") if tblpr is not None else None
        if pos is None or pos.get(f"{w}vertAnchor") != "page" or pos.get(f"{w}horzAnchor") != "page":
            continue
        x, y = int(pos.get(f"{w}tblpX", "0")), int(pos.get(f"{w}tblpY", "0"))
        mar, pg = sect.find(f"{w}pgMar"), sect.find(f"{w}pgSz")
        bottom = int(pg.get(f"{w}h")) - int(mar.get(f"{w}bottom"))
        width = int(pg.get(f"{w}w")) - int(mar.get(f"{w}left")) - int(mar.get(f"{w}right"))
        y -= 579  # one spare line: the box is bottom-aligned, so an underestimated wrap never clips a line
        height = max(bottom - y, 300)
        tblpr.remove(pos)
        for extra in tblpr.findall(f"{w}tblOverlap"):
            tblpr.remove(extra)
        nxt = tbl.getnext()
        body.remove(tbl)
        anchor_p = nxt if nxt is not None and nxt.tag == f"{w}p" else None
        if anchor_p is None:
            anchor_p = etree.SubElement(body, f"{w}p")
            sect.addprevious(anchor_p)
        cx, cy = width * _EMU_PER_TWIP, height * _EMU_PER_TWIP
        table_xml = etree.tostring(tbl).decode()
        run = etree.fromstring(
            f'<w:r xmlns:w="{_W}"><w:drawing>'
            '<wp:anchor xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" distT="0" '
            'distB="0" distL="0" distR="0" simplePos="0" relativeHeight="251659264" behindDoc="0" locked="1" '
            'layoutInCell="1" allowOverlap="0"><wp:simplePos x="0" y="0"/>'
            f'<wp:positionH relativeFrom="page"><wp:posOffset>{x * _EMU_PER_TWIP}</wp:posOffset></wp:positionH>'
            f'<wp:positionV relativeFrom="page"><wp:posOffset>{y * _EMU_PER_TWIP}</wp:posOffset></wp:positionV>'
            f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapTopAndBottom/>'
            f'<wp:docPr id="{9000 + count}" name="banji{count}"/><wp:cNvGraphicFramePr/>'
            '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
            '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
            '<wps:wsp xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
            '<wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/>'
            f'<a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/>'
            '<a:ln><a:noFill/></a:ln></wps:spPr>'
            f'<wps:txbx><w:txbxContent>{table_xml}<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" '
            'w:lineRule="exact"/></w:pPr></w:p></w:txbxContent></wps:txbx>'
            '<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="b" '
            'anchorCtr="0"><a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor>'
            "</w:drawing></w:r>")
        anchor_p.append(run)
        count += 1
    if count:
        items["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in items.items():
                z.writestr(name, data)
    return count

