"""Generates the reportlab part of the PDF corpus. Usage: corpus_reportlab.py OUTDIR
Writes the PDFs into OUTDIR and prints one MANIFEST row per file on standard output:
file, tool, what it tests, expected (readable/encrypted), markers ('|'-separated strings
pdftotext must produce, compared with all whitespace removed).
Every document uses invariant=1 (fixed dates and IDs), so reruns give identical bytes."""
import sys
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

import corpus_common as C

out = Path(sys.argv[1])
WQY = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"

# Predefined CMap CID font: /Encoding /UniGB-UCS2-H, no embedding, no /ToUnicode.
pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
# Embedded TrueType subsets from a .ttc. reportlab 5.x writes them as simple /TrueType fonts
# of up to 256 glyphs each (F2+0, F2+1, ...), no /Encoding, with a /ToUnicode CMap; it never
# writes Identity-H (make-corpus.sh gets Identity-H from pdftocairo instead).
pdfmetrics.registerFont(TTFont("WQYZenHei", WQY, subfontIndex=0))
# Embedded Type 1 font (a .pfb shipped with reportlab) with its own glyph names.
pdfmetrics.registerTypeFace(pdfmetrics.EmbeddedType1Face(
    str(Path(canvas.__file__).parent.parent / "fonts" / "DarkGardenMK.afm"),
    str(Path(canvas.__file__).parent.parent / "fonts" / "DarkGardenMK.pfb")))
pdfmetrics.registerFont(pdfmetrics.Font("DarkGardenMK", "DarkGardenMK", "WinAnsiEncoding"))

IDS = C.resident_ids()
rows = []


def row(name, tests, markers, expected="readable"):
    rows.append("\t".join([name, "reportlab " + __import__("reportlab").Version, tests, expected, "|".join(markers)]))


def new_canvas(name, **kw):
    kw.setdefault("invariant", 1)
    return canvas.Canvas(str(out / name), pagesize=A4, **kw)


def lines(c, font, size, texts, x=25 * mm, y=270 * mm, step=None):
    step = step or size * 1.6
    c.setFont(font, size)
    for t in texts:
        c.drawString(x, y, t)
        y -= step
    return y


# 1. Base-14 fonts with WinAnsiEncoding, including non-ASCII WinAnsi characters.
name = "rl-base14-helvetica-times-winansi.pdf"
c = new_canvas(name)
y = lines(c, "Helvetica-Bold", 16, ["Confidential - Internal Use Only"])
y = lines(c, "Helvetica", 11, ["Quarterly export review: 42 records, 3 flagged.",
                               "WinAnsi extras: caf\u00e9 na\u00efve \u00a9 2024 \u20ac100 \u2013 \u201cquoted\u201d \u00bd"], y=y)
y = lines(c, "Times-Roman", 12, ["Times-Roman: The quick brown fox jumps over the lazy dog."], y=y)
y = lines(c, "Courier", 10, ["Courier: ACCOUNT-0042  BALANCE 1,234.56"], y=y)
c.showPage(); c.save()
row(name, "base-14 Helvetica/Times/Courier, WinAnsiEncoding incl. accents, euro sign, curly quotes",
    ["Confidential", "café naïve", "€100", "“quoted”", "lazy dog", "ACCOUNT-0042"])

# 2. Three pages; text order across pages must be kept.
name = "rl-multipage-3pages-helvetica.pdf"
c = new_canvas(name)
for p in range(1, 4):
    lines(c, "Helvetica", 12, [f"Page {p} of 3 - Confidential", f"Section {p}: export batch BATCH-{p:04d}"])
    c.showPage()
c.save()
row(name, "3 pages, base-14 font, page order", ["Page 1 of 3", "Page 2 of 3", "Page 3 of 3", "BATCH-0003"])

# 3. Predefined CJK CID font, no ToUnicode: extractor must know UniGB-UCS2-H (code = UCS-2).
name = "rl-cid-stsong-unigb-ucs2-h-no-tounicode.pdf"
c = new_canvas(name)
y = lines(c, "STSong-Light", 16, [C.MARK_SECRET_10Y, C.MARK_TOP_SECRET, C.MARK_INTERNAL])
y = lines(c, "STSong-Light", 11, [f"{n}  公民身份号码 {i}" for n, i in zip(C.NAMES, IDS)], y=y - 10)
c.showPage(); c.save()
row(name, "Type0/CIDFontType0 STSong-Light, predefined CMap UniGB-UCS2-H, not embedded, no ToUnicode; ID list",
    [C.MARK_SECRET_10Y, C.MARK_TOP_SECRET, C.MARK_INTERNAL, "公民身份号码", IDS[0], IDS[7]])

# 4. Embedded TrueType CJK subsets (simple fonts, codes meaningful only through ToUnicode).
name = "rl-ttf-wqyzenhei-simple-subset-tounicode.pdf"
c = new_canvas(name)
y = lines(c, "WQYZenHei", 16, [C.MARK_SECRET_10Y, C.MARK_TOP_SECRET, C.MARK_INTERNAL, "Confidential 机密文件"])
y = lines(c, "WQYZenHei", 11, [f"{n}  {i}" for n, i in zip(C.NAMES, IDS)], y=y - 10)
c.showPage(); c.save()
row(name, "embedded TrueType subset of wqy-zenhei.ttc (subfontIndex 0) as a simple /TrueType font, no /Encoding (pdffonts says WinAnsi), codes 0-255 = subset order, text only via /ToUnicode",
    [C.MARK_SECRET_10Y, C.MARK_TOP_SECRET, C.MARK_INTERNAL, "Confidential机密文件", IDS[0], IDS[7]])

# 5. Mixed Chinese/English paragraphs laid out by platypus (line wrapping, font switching).
styles = getSampleStyleSheet()
zh = ParagraphStyle("zh", parent=styles["Normal"], fontName="WQYZenHei", fontSize=11, leading=17, wordWrap="CJK")
zh_h = ParagraphStyle("zhh", parent=zh, fontSize=16, leading=22)
name = "rl-platypus-mixed-zh-en-paragraphs.pdf"
doc = SimpleDocTemplate(str(out / name), pagesize=A4, invariant=1)
story = [Paragraph(f"{C.MARK_TOP_SECRET} 导出审查报告 <font name='Helvetica-Bold'>Export Review</font>", zh_h), Spacer(1, 6)]
for para in C.MIXED_PARAGRAPHS * 2:
    story += [Paragraph(para, zh), Spacer(1, 4)]
story.append(Paragraph("<font name='Times-Roman'>English-only paragraph in Times-Roman: the review found "
                       "no unencrypted backups, Confidential data stays inside.</font>", zh))
doc.build(story)
row(name, "platypus paragraphs, CJK line wrapping, switching between TrueType CJK and base-14 fonts mid-line",
    ["导出审查报告", "ExportReview", C.MARK_SECRET_10Y, "未经批准", "externalnetworks", "unencryptedbackups"])

# 6. Table layout with grid lines: fake resident ID list.
name = "rl-platypus-table-resident-ids.pdf"
doc = SimpleDocTemplate(str(out / name), pagesize=A4, invariant=1)
data = [["序号", "姓名", "公民身份号码", "备注"]] + \
       [[str(k + 1), n, i, "Confidential" if k % 2 else C.MARK_INTERNAL] for k, (n, i) in enumerate(zip(C.NAMES, IDS))]
t = Table(data, colWidths=[14 * mm, 24 * mm, 60 * mm, 50 * mm])
t.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "WQYZenHei", 10),
                       ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                       ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey)]))
doc.build([Paragraph(f"{C.MARK_SECRET_10Y} 人员名单", zh_h), Spacer(1, 8), t])
row(name, "platypus Table with grid: cells in reading order, 8 checksum-valid resident IDs (one ending X)",
    ["人员名单", "公民身份号码", IDS[0], IDS[3], IDS[7], "张伟"])

# 7/8. Same content with page compression on and off (invariant=1 both).
for comp in (0, 1):
    name = f"rl-invariant-pagecompression{comp}-stsong-helvetica.pdf"
    c = new_canvas(name, pageCompression=comp)
    y = lines(c, "Helvetica", 12, [f"pageCompression={comp} invariant=1 Confidential"])
    lines(c, "STSong-Light", 14, [C.MARK_SECRET_10Y, C.MARK_INTERNAL], y=y)
    c.showPage(); c.save()
    row(name, f"invariant=1, pageCompression={comp} ({'FlateDecode' if comp else 'plain'} content streams)",
        [f"pageCompression={comp}", C.MARK_SECRET_10Y, C.MARK_INTERNAL])

# 9. Document info in Chinese (UTF-16BE strings in /Info); page text too.
name = "rl-docinfo-chinese-title-author-subject.pdf"
c = new_canvas(name)
c.setTitle(f"{C.MARK_SECRET_10Y} 年度预算")
c.setAuthor("财务部 张伟")
c.setSubject(C.MARK_INTERNAL)
c.setKeywords(["绝密", "Confidential"])
c.setCreator("ExportGuard corpus")
lines(c, "WQYZenHei", 14, ["年度预算（正文）", "Annual budget body text"])
c.showPage(); c.save()
row(name, "Chinese /Title /Author /Subject /Keywords in Info (UTF-16BE); body text only is compared",
    ["年度预算（正文）", "Annualbudgetbodytext"])

# 10. Link annotations (URI and internal GoTo) over text.
name = "rl-link-annotations-uri-goto.pdf"
c = new_canvas(name)
c.bookmarkPage("p1")
lines(c, "Helvetica", 12, ["Visit https://example.invalid/confidential for the policy.", "Jump to page 2 (internal link)."])
c.linkURL("https://example.invalid/confidential", (25 * mm, 268 * mm, 150 * mm, 276 * mm), relative=0)
c.linkAbsolute("page two", "p2", (25 * mm, 258 * mm, 100 * mm, 266 * mm))
c.showPage()
c.bookmarkPage("p2")
lines(c, "STSong-Light", 12, ["第二页：" + C.MARK_TOP_SECRET])
c.showPage(); c.save()
row(name, "Link annotations (/URI and /GoTo) and outline destinations; text unaffected",
    ["example.invalid/confidential", "internallink", "第二页：" + C.MARK_TOP_SECRET])

# 11. AcroForm text field with an ASCII value. reportlab's acroform only takes base-14
# fonts, so corpus_tamper.py adds the field with a Chinese value (STSong-Light appearance,
# reusing this page's STSong-Light font object) as a separate file.
name = "rl-acroform-textfield-ascii-value.pdf"
c = new_canvas(name)
lines(c, "WQYZenHei", 12, ["申请表 Application form"])
lines(c, "STSong-Light", 12, ["密级 / Classification:"], y=255 * mm)
c.acroForm.textfield(name="owner", value="Confidential", x=25 * mm, y=240 * mm, width=80 * mm, height=8 * mm,
                     fontName="Helvetica", fontSize=10, borderWidth=1)
c.showPage(); c.save()
row(name, "AcroForm text field (/Widget with an appearance stream), ASCII value",
    ["申请表Applicationform", "密级/Classification:", "Confidential"])

# 12. Embedded Type 1 font (custom glyph names), WinAnsi.
name = "rl-type1-embedded-darkgarden.pdf"
c = new_canvas(name)
lines(c, "DarkGardenMK", 18, ["Confidential Type1 font", "Embedded PFB glyphs 0123456789"])
c.showPage(); c.save()
row(name, "embedded Type 1 (FontFile) font with WinAnsiEncoding", ["ConfidentialType1font", "0123456789"])

# 13. Text drawn with a text object: character spacing, rise, rotated and horizontal scaling.
name = "rl-textobject-spacing-rotation.pdf"
c = new_canvas(name)
t = c.beginText(25 * mm, 270 * mm)
t.setFont("Helvetica", 12)
t.setCharSpace(3); t.textLine("Spaced out Confidential")
t.setCharSpace(0); t.setHorizScale(70); t.textLine("Condensed export ledger")
t.setHorizScale(100); t.setFont("STSong-Light", 12); t.textLine(C.MARK_INTERNAL)
c.drawText(t)
c.saveState(); c.translate(100 * mm, 150 * mm); c.rotate(90)
c.setFont("Helvetica", 12); c.drawString(0, 0, "Rotated ninety degrees")
c.restoreState()
c.showPage(); c.save()
row(name, "Tc character spacing, Tz horizontal scaling, rotated text matrix",
    ["SpacedoutConfidential", "Condensedexportledger", C.MARK_INTERNAL, "Rotatedninetydegrees"])

# 14. Source for the incremental-update and broken-xref variants: classic xref table,
# uncompressed, so offsets can be edited by hand (corpus_tamper.py).
name = "rl-plain-xref-table-uncompressed.pdf"
c = new_canvas(name, pageCompression=0)
lines(c, "Helvetica", 12, ["Original revision: Confidential draft"])
lines(c, "STSong-Light", 14, [C.MARK_SECRET_10Y, C.MARK_INTERNAL], y=250 * mm)
c.showPage(); c.save()
row(name, "classic xref table, no compression (base of the tamper variants)",
    ["Originalrevision:Confidentialdraft", C.MARK_SECRET_10Y, C.MARK_INTERNAL])

print("\n".join(rows))
