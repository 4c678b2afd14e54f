"""Writes the flat ODF sources (.fodt text, .fods spreadsheet, .fodp presentation) that
make-corpus.sh converts to PDF with LibreOffice. Usage: corpus_office.py WORKDIR
Flat ODF is plain XML, so no office library is needed to make them. Western text is set in
Liberation Serif/Sans, East Asian text in WenQuanYi Zen Hei (fonts-wqy-zenhei)."""
import sys
from pathlib import Path
from xml.sax.saxutils import escape as x

import corpus_common as C

work = Path(sys.argv[1])
IDS = C.resident_ids()

NS = """xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
 office:version="1.3\""""

FONTS = """<office:font-face-decls>
  <style:font-face style:name="Liberation Serif" svg:font-family="'Liberation Serif'" style:font-family-generic="roman"/>
  <style:font-face style:name="Liberation Sans" svg:font-family="'Liberation Sans'" style:font-family-generic="swiss"/>
  <style:font-face style:name="WenQuanYi Zen Hei" svg:font-family="'WenQuanYi Zen Hei'" style:font-family-generic="system"/>
 </office:font-face-decls>"""

# Western and Asian font/language on every text style, so Chinese is laid out as zh-CN.
TEXTPROPS = ('style:font-name="{w}" style:font-name-asian="WenQuanYi Zen Hei" fo:font-size="{s}pt" '
             'style:font-size-asian="{s}pt" fo:language="en" fo:country="US" '
             'style:language-asian="zh" style:country-asian="CN"')


def meta(title):
    return f"<office:meta><dc:title>{x(title)}</dc:title><dc:creator>ExportGuard corpus</dc:creator></office:meta>"


def p(t, style=None):
    s = f' text:style-name="{style}"' if style else ""
    return f"<text:p{s}>{x(t)}</text:p>"


def cell(t, style=None):
    s = f' table:style-name="{style}"' if style else ""
    return f'<table:table-cell{s} office:value-type="string"><text:p>{x(t)}</text:p></table:table-cell>'


# ---- Writer: headings, paragraphs, a table, header/footer with page number, a footnote.
rows = [["序号", "姓名", "公民身份号码"]] + [[str(k + 1), n, i] for k, (n, i) in enumerate(zip(C.NAMES, IDS))]
table = "".join("<table:table-row>" + "".join(cell(v, "Cell") for v in r) + "</table:table-row>" for r in rows)
body = [
    f'<text:h text:style-name="H1" text:outline-level="1">{x(C.MARK_SECRET_10Y)} 数据导出审查报告</text:h>',
    p(f"{C.MARK_INTERNAL}。This report is {C.MARK_EN} and intended for the review board only."),
    '<text:h text:style-name="H2" text:outline-level="2">1. 背景 Background</text:h>',
    "<text:p>导出请求来自财务部" +
    '<text:note text:id="ftn1" text:note-class="footnote"><text:note-citation>1</text:note-citation>'
    "<text:note-body>" + p("脚注：依据《数据出境安全评估办法》Footnote text.", "Foot") + "</text:note-body></text:note>"
    "，涉及个人信息 (personal information)。</text:p>",
    '<text:h text:style-name="H2" text:outline-level="2">2. 人员名单 Personnel list</text:h>',
    f'<table:table table:name="IDs" table:style-name="Tbl"><table:table-column table:style-name="ColA"/>'
    f'<table:table-column table:style-name="ColB"/><table:table-column table:style-name="ColC"/>{table}</table:table>',
    p(f"{C.MARK_TOP_SECRET}：名单不得外传。End of the Confidential section."),
]
fodt = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document {NS} office:mimetype="application/vnd.oasis.opendocument.text">
 {meta(C.MARK_SECRET_10Y + " 数据导出审查报告")}
 {FONTS}
 <office:styles>
  <style:default-style style:family="paragraph"><style:text-properties {TEXTPROPS.format(w="Liberation Serif", s=11)}/></style:default-style>
  <style:style style:name="Standard" style:family="paragraph"/>
  <style:style style:name="H1" style:display-name="Heading 1" style:family="paragraph" style:default-outline-level="1">
   <style:paragraph-properties fo:margin-bottom="0.3cm"/>
   <style:text-properties {TEXTPROPS.format(w="Liberation Sans", s=18)} fo:font-weight="bold" style:font-weight-asian="bold"/></style:style>
  <style:style style:name="H2" style:display-name="Heading 2" style:family="paragraph" style:default-outline-level="2">
   <style:text-properties {TEXTPROPS.format(w="Liberation Sans", s=14)} fo:font-weight="bold" style:font-weight-asian="bold"/></style:style>
  <style:style style:name="Foot" style:family="paragraph"><style:text-properties {TEXTPROPS.format(w="Liberation Serif", s=9)}/></style:style>
 </office:styles>
 <office:automatic-styles>
  <style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm"
    fo:margin-top="1.5cm" fo:margin-bottom="1.5cm" fo:margin-left="2cm" fo:margin-right="2cm"/>
   <style:header-style><style:header-footer-properties fo:min-height="0.8cm"/></style:header-style>
   <style:footer-style><style:header-footer-properties fo:min-height="0.8cm"/></style:footer-style></style:page-layout>
  <style:style style:name="Tbl" style:family="table"><style:table-properties style:width="15cm" table:align="left"/></style:style>
  <style:style style:name="ColA" style:family="table-column"><style:table-column-properties style:column-width="2cm"/></style:style>
  <style:style style:name="ColB" style:family="table-column"><style:table-column-properties style:column-width="4cm"/></style:style>
  <style:style style:name="ColC" style:family="table-column"><style:table-column-properties style:column-width="9cm"/></style:style>
  <style:style style:name="Cell" style:family="table-cell"><style:table-cell-properties fo:border="0.5pt solid #000000" fo:padding="0.1cm"/></style:style>
 </office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Standard" style:page-layout-name="pm1">
   <style:header>{p(C.MARK_SECRET_10Y + " | Confidential header")}</style:header>
   <style:footer><text:p>{x(C.MARK_INTERNAL)} · 第 <text:page-number text:select-page="current">1</text:page-number> 页</text:p></style:footer>
  </style:master-page>
 </office:master-styles>
 <office:body><office:text>
  {chr(10).join(body)}
 </office:text></office:body>
</office:document>
"""
(work / "writer-report-zh-en.fodt").write_text(fodt, encoding="utf-8")

# ---- Calc: two sheets, string IDs (not numbers, which would lose digits), numbers, a total.
def sheet(name, rows, widths):
    cols = "".join(f'<table:table-column table:style-name="{w}"/>' for w in widths)
    body = ""
    for r in rows:
        body += "<table:table-row>"
        for v in r:
            if isinstance(v, float):
                body += f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v:.2f}</text:p></table:table-cell>'
            else:
                body += cell(v)
        body += "</table:table-row>"
    return f'<table:table table:name="{x(name)}">{cols}{body}</table:table>'


s1 = [[C.MARK_SECRET_10Y, "员工名单 Staff list", "", ""], ["姓名", "公民身份号码", "部门", "Salary"]] + \
     [[n, i, ["财务部", "研发部"][k % 2], 10000.0 + 250 * k] for k, (n, i) in enumerate(zip(C.NAMES, IDS))]
s2 = [["说明 Notes"], [C.MARK_INTERNAL], ["Confidential spreadsheet, second sheet"]]
fods = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document {NS} office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
 {meta("员工名单")}
 {FONTS}
 <office:styles>
  <style:default-style style:family="table-cell"><style:text-properties {TEXTPROPS.format(w="Liberation Sans", s=10)}/></style:default-style>
 </office:styles>
 <office:automatic-styles>
  <style:style style:name="cw3" style:family="table-column"><style:table-column-properties style:column-width="3cm"/></style:style>
  <style:style style:name="cw5" style:family="table-column"><style:table-column-properties style:column-width="5cm"/></style:style>
  <style:style style:name="cw8" style:family="table-column"><style:table-column-properties style:column-width="8cm"/></style:style>
 </office:automatic-styles>
 <office:body><office:spreadsheet>
  {sheet("名单", s1, ["cw5", "cw5", "cw3", "cw3"])}
  {sheet("Notes", s2, ["cw8"])}
 </office:spreadsheet></office:body>
</office:document>
"""
(work / "calc-staff-ids.fods").write_text(fods, encoding="utf-8")

# ---- Impress: three slides with title and body text frames.
def frame(y, h, size, lines):
    ps = "".join(f'<text:p><text:span text:style-name="T{size}">{x(t)}</text:span></text:p>' for t in lines)
    return (f'<draw:frame draw:style-name="gr1" svg:x="1.5cm" svg:y="{y}cm" svg:width="25cm" svg:height="{h}cm">'
            f"<draw:text-box>{ps}</draw:text-box></draw:frame>")


slides = [
    (f"{C.MARK_SECRET_10Y} 项目汇报", ["Quarterly review — Confidential", C.MARK_INTERNAL]),
    ("数据分类 Data classification", [f"{C.MARK_TOP_SECRET}：核心数据", "重要数据 Important data", "一般数据 General data"]),
    ("身份证样例 ID samples", IDS[:3]),
]
pages = "".join(f'<draw:page draw:name="slide{k + 1}" draw:master-page-name="Default">'
                f"{frame(1, 3, 28, [t])}{frame(5, 9, 20, b)}</draw:page>" for k, (t, b) in enumerate(slides))
fodp = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document {NS} office:mimetype="application/vnd.oasis.opendocument.presentation">
 {meta("项目汇报")}
 {FONTS}
 <office:automatic-styles>
  <style:page-layout style:name="PM1"><style:page-layout-properties fo:margin-top="0cm" fo:margin-bottom="0cm"
    fo:margin-left="0cm" fo:margin-right="0cm" fo:page-width="28cm" fo:page-height="15.75cm" style:print-orientation="landscape"/></style:page-layout>
  <style:style style:name="dp1" style:family="drawing-page"/>
  <style:style style:name="gr1" style:family="graphic"><style:graphic-properties draw:stroke="none" draw:fill="none"/></style:style>
  <style:style style:name="T28" style:family="text"><style:text-properties {TEXTPROPS.format(w="Liberation Sans", s=28)}/></style:style>
  <style:style style:name="T20" style:family="text"><style:text-properties {TEXTPROPS.format(w="Liberation Sans", s=20)}/></style:style>
 </office:automatic-styles>
 <office:master-styles><style:master-page style:name="Default" style:page-layout-name="PM1" draw:style-name="dp1"/></office:master-styles>
 <office:body><office:presentation>{pages}</office:presentation></office:body>
</office:document>
"""
(work / "impress-slides-zh-en.fodp").write_text(fodp, encoding="utf-8")
