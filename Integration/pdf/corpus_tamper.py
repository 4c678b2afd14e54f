"""Byte-level and pikepdf variants of corpus PDFs. Usage: corpus_tamper.py MODE SRC DST
  incremental   append a hand-written incremental update (new objects, an xref section
                with /Prev, a new trailer) that replaces page 1's content and the title;
                pikepdf cannot save incrementally, so the update is written by hand.
  acroform-zh   add an AcroForm text field whose value and appearance are Chinese
                (reportlab's acroform only takes base-14 fonts); appearance text uses the
                page's STSong-Light (UniGB-UCS2-H) font object, so any CJK code works.
  shift         insert bytes after the header: every xref offset is wrong by that much.
  bad-startxref point startxref at a wrong offset.
  no-xref       remove the xref table, keep trailer and (now wrong) startxref.
SRC must have a classic (uncompressed) xref table for the byte-level modes."""
import re
import sys

import pikepdf

mode, src, dst = sys.argv[1:4]
data = open(src, "rb").read()


def ucs2_hex(text: str) -> str:
    # UniGB-UCS2-H: each character is its 2-byte UCS-2 code.
    return "<" + "".join(f"{ord(ch):04X}" for ch in text) + ">"


def font_named(pdf, page, basefont):
    for key, font in page.Resources.Font.items():
        if str(font.BaseFont) == basefont:
            return key, font
    raise SystemExit(f"{src}: no font {basefont} on page 1")


if mode == "incremental":
    pdf = pikepdf.open(src)
    page = pdf.pages[0].obj
    helv, _ = font_named(pdf, page, "/Helvetica")
    song, _ = font_named(pdf, page, "/STSong-Light")
    size = int(pdf.trailer.Size)
    root = pdf.trailer.Root.objgen[0]
    prev = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    content = (f"BT {helv} 12 Tf 1 0 0 1 70 770 Tm (Revision 2: Confidential final) Tj ET\n"
               f"BT {song} 14 Tf 1 0 0 1 70 740 Tm {ucs2_hex('修订版 绝密')} Tj ET\n").encode()
    new_content = size          # new object numbers start at the old /Size
    new_info = size + 1
    # Page 1 is rewritten under its own object number with /Contents pointing to the new
    # stream only, so the original text must disappear from an extractor that follows /Prev.
    page_dict, n = re.subn(rb"/Contents (\d+ 0 R|\[[^]]*\])", b"/Contents %d 0 R" % new_content,
                           page.unparse(resolved=True))
    assert n == 1, "page 1 has no /Contents"
    objs = {
        page.objgen[0]: page_dict,
        new_content: b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream",
        new_info: b"<< /Title <FEFF" + "修订版".encode("utf-16-be").hex().upper().encode() +
                  b"> /Producer (hand-written incremental update) >>",
    }
    out = bytearray(data if data.endswith(b"\n") else data + b"\n")
    offsets = {}
    for num, body in sorted(objs.items()):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n"
    for num in sorted(offsets):  # one subsection per object keeps it simple and valid
        out += b"%d 1\n%010d 00000 n \n" % (num, offsets[num])
    out += (b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /Prev %d /ID %s >>\nstartxref\n%d\n%%%%EOF\n"
            % (new_info + 1, root, new_info, prev, pdf.trailer.ID.unparse(), xref))
    open(dst, "wb").write(out)

elif mode == "acroform-zh":
    pdf = pikepdf.open(src)
    page = pdf.pages[0].obj
    song_key, song = font_named(pdf, page, "/STSong-Light")
    value = "机密★10年"
    rect = [70.9, 640, 297.6, 662.7]
    ap = pdf.make_stream(
        f"/Tx BMC q BT /ZH 12 Tf 0 g 2 6 Td {ucs2_hex(value)} Tj ET Q EMC".encode(),
        Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form,
        BBox=[0, 0, rect[2] - rect[0], rect[3] - rect[1]],
        Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(ZH=song)))
    field = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Widget, FT=pikepdf.Name.Tx,
        T=pikepdf.String("classification"), V=pikepdf.String(value), DA=pikepdf.String("/ZH 12 Tf 0 g"),
        Rect=rect, F=4, P=page, AP=pikepdf.Dictionary(N=ap)))
    page.Annots.append(field)
    pdf.Root.AcroForm.Fields.append(field)
    pdf.Root.AcroForm.DR.Font.ZH = song
    pdf.save(dst, deterministic_id=True)

elif mode == "shift":
    # After the first two lines (%PDF-x.y and the binary comment): a comment line.
    cut = data.index(b"\n", data.index(b"\n") + 1) + 1
    open(dst, "wb").write(data[:cut] + b"% 37 bytes that shift every offset\n" + data[cut:])

elif mode == "bad-startxref":
    start = data.rindex(b"startxref")
    open(dst, "wb").write(data[:start] + b"startxref\n123\n%%EOF\n")

elif mode == "no-xref":
    # Drop the xref table but keep the trailer (a reader must rebuild the table by scanning
    # for "N 0 obj"; the stale startxref now points into the trailer).
    open(dst, "wb").write(data[:data.rindex(b"\nxref") + 1] + data[data.rindex(b"trailer"):])

else:
    raise SystemExit(f"unknown mode {mode}")
