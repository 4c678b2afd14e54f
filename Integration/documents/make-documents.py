"""Writes the flat ODF sources and the OFD and TNEF files the documents check converts and
scans: each in a "marked" form (a classification marking, resident IDs, a PLA unit
designator) and a "benign" one. Usage: make-documents.py OUTDIR"""
import struct, sys, zipfile
from pathlib import Path

out = Path(sys.argv[1])
MARKED = ["机密★10年 项目审查", "名单：张伟 11010119800101103X，王芳 310104197512311378", "交付地点：61398部队"]
BENIGN = ["季度产品发布会议纪要", "Quarterly product launch notes", "会议时间：下午三点"]

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
      'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"')

def fodt(lines):
    body = "".join(f"<text:p>{line}</text:p>" for line in lines)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document {NS} office:version="1.2" '
            f'office:mimetype="application/vnd.oasis.opendocument.text"><office:body><office:text>{body}</office:text></office:body></office:document>\n')

def fods(lines):
    rows = "".join(f'<table:table-row><table:table-cell office:value-type="string"><text:p>{line}</text:p></table:table-cell></table:table-row>' for line in lines)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document {NS} office:version="1.2" '
            f'office:mimetype="application/vnd.oasis.opendocument.spreadsheet"><office:body><office:spreadsheet>'
            f'<table:table table:name="Sheet1">{rows}</table:table></office:spreadsheet></office:body></office:document>\n')

def fodp(lines):
    frames = "".join(f'<draw:frame svg:x="2cm" svg:y="{2 + 3 * i}cm" svg:width="20cm" svg:height="2cm"><draw:text-box><text:p>{line}</text:p></draw:text-box></draw:frame>'
                     for i, line in enumerate(lines))
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document {NS} office:version="1.2" '
            f'office:mimetype="application/vnd.oasis.opendocument.presentation"><office:body><office:presentation>'
            f'<draw:page draw:name="p1">{frames}</draw:page></office:presentation></office:body></office:document>\n')

def ofd(path, lines):
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    codes = "".join(f'<ofd:TextObject ID="{10 + i}" Boundary="10 {10 + 10 * i} 150 8" Font="3" Size="4"><ofd:TextCode X="0" Y="4">{line}</ofd:TextCode></ofd:TextObject>'
                    for i, line in enumerate(lines))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("OFD.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {ns} Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>1</ofd:DocID></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>')
        z.writestr("Doc_0/Document.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document {ns}><ofd:CommonData><ofd:MaxUnitID>20</ofd:MaxUnitID></ofd:CommonData><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>')
        z.writestr("Doc_0/Pages/Page_0/Content.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page {ns}><ofd:Content><ofd:Layer ID="2">{codes}</ofd:Layer></ofd:Content></ofd:Page>')

def tnef(path, lines):
    """A winmail.dat whose body is stored RTF (MELA) in GBK, as Outlook sends Chinese mail."""
    def attribute(level, ident, data):
        return struct.pack("<BII", level, ident, len(data)) + data + struct.pack("<H", sum(data) & 0xFFFF)
    body = "".join(line + "\\par " for line in lines).encode("gbk")
    escaped = b"".join(b"\\'%02x" % b if b > 0x7F else bytes([b]) for b in body)
    rtf = b"{\\rtf1\\ansi\\ansicpg936{\\fonttbl{\\f0\\fcharset134 SimSun;}}\\f0 " + escaped + b"}"
    stored = struct.pack("<III", len(rtf) + 12, len(rtf), 0x414C454D) + struct.pack("<I", 0) + rtf
    prop = struct.pack("<HHII", 0x0102, 0x1009, 1, len(stored)) + stored + b"\0" * ((4 - len(stored) % 4) % 4)
    data = struct.pack("<IH", 0x223E9F78, 1) + attribute(1, 0x00018004, b"Report\0") + attribute(1, 0x00069003, struct.pack("<I", 1) + prop)
    path.write_bytes(data)

for kind, lines in (("marked", MARKED), ("benign", BENIGN)):
    (out / f"{kind}.fodt").write_text(fodt(lines), encoding="utf-8")
    (out / f"{kind}.fods").write_text(fods(lines), encoding="utf-8")
    (out / f"{kind}.fodp").write_text(fodp(lines), encoding="utf-8")
    ofd(out / f"{kind}.ofd", lines)
    tnef(out / f"{kind}-winmail.dat", lines)
