"""Writes small PDF seeds for FuzzPDF into the directory given: a page of Helvetica and
one of STSong-Light (UniGB-UCS2-H), a ToUnicode font, a form XObject, an annotation, an
outline and an embedded file. make-seeds.sh then has qpdf write compressed, object-stream
and encrypted forms of it."""
import sys

def pdf(objects, root=1, extra=""):
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root {root} 0 R {extra} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)

def stream(dictionary, data):
    return f"<< {dictionary} /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream"

def hex16(text):
    return "<" + "".join(f"{ord(c):04X}" for c in text) + ">"

cmap = b"""/CIDInit /ProcSet findresource begin 12 dict begin begincmap
1 begincodespacerange <0000> <FFFF> endcodespacerange
2 beginbfchar <0001> <673A> <0002> <5BC6> endbfchar
1 beginbfrange <0010> <0012> <0041> endbfrange
endcmap end end"""
objects = [
    b"<< /Type /Catalog /Pages 2 0 R /Outlines 9 0 R /Names << /EmbeddedFiles << /Names [(a) 11 0 R] >> >> >>",
    b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
    b"<< /Type /Page /Parent 2 0 R /Contents 5 0 R /Resources 7 0 R /Annots [10 0 R] >>",
    b"<< /Type /Page /Parent 2 0 R /Contents 6 0 R /Resources 7 0 R >>",
    stream("", b"BT /F1 12 Tf 72 700 Td [(Quar) -20 (terly)] TJ 0 -14 Td (report) Tj ET /Fm Do"),
    stream("", f"BT /F2 14 Tf 72 700 Td {hex16('机密★10年')} Tj /F3 12 Tf <000100020010> Tj ET".encode()),
    b"<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Differences [1 /uni673A] >> >>"
    b" /F2 << /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [<< /Subtype /CIDFontType0"
    b" /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> >>] >>"
    b" /F3 << /Type /Font /Subtype /Type0 /Encoding /Identity-H /DescendantFonts [<< /Subtype /CIDFontType2 >>] /ToUnicode 8 0 R >> >>"
    b" /XObject << /Fm 12 0 R >> >>",
    stream("", cmap),
    b"<< /Type /Outlines /First 13 0 R >>",
    b"<< /Type /Annot /Subtype /Text /T (Reviewer) /Contents (internal only) >>",
    b"<< /Type /Filespec /F (ids.csv) /EF << /F 14 0 R >> >>",
    stream("/Type /XObject /Subtype /Form /BBox [0 0 9 9]", b"BT /F1 9 Tf (form text) Tj ET"),
    b"<< /Title (Chapter) >>",
    stream("/Type /EmbeddedFile", "张伟,11010119800101103X\n".encode()),
]
open(sys.argv[1] + "/two-pages.pdf", "wb").write(pdf(objects, extra="/Info << /Title (Report) >>"))
