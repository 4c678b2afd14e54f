#!/usr/bin/env bash
# Builds a corpus of PDFs made by real tools (reportlab, LibreOffice, qpdf, pikepdf,
# Ghostscript, cairo via pdftocairo) for testing ExportGuard's PDF text extractor against
# poppler's pdftotext (compare.sh).
# Writes the PDFs and OUTDIR/MANIFEST.tsv (file, tool, tests, expected, markers), where
# expected is `readable` or `encrypted` and markers are '|'-separated strings pdftotext
# finds in the file once all whitespace is removed (check-corpus.sh checks them).
# Needs (Debian 12): poppler-utils qpdf poppler-data ghostscript libreoffice-writer-nogui
# libreoffice-calc-nogui libreoffice-impress-nogui fonts-wqy-zenhei fonts-liberation2;
# pip: reportlab pikepdf. See README.md.
# Usage: Integration/pdf/make-corpus.sh OUTDIR   (OUTDIR is created; keep it out of the repo)
set -euo pipefail

out=${1:?usage: make-corpus.sh OUTDIR}
here=$(cd "$(dirname "$0")" && pwd)
# Refuse an OUTDIR inside the repository (checked before anything is created).
case "$(realpath -m "$out")/" in "$(cd "$here/../.." && pwd)"/*)
    echo "make-corpus.sh: OUTDIR must be outside the repository" >&2; exit 2 ;;
esac
mkdir -p "$out"
out=$(cd "$out" && pwd)
export PYTHONDONTWRITEBYTECODE=1  # no __pycache__ beside the generators in the repo

for tool in python3 soffice qpdf gs ps2pdf; do
    command -v "$tool" >/dev/null || { echo "make-corpus.sh: $tool is missing (see README.md)" >&2; exit 2; }
done
python3 -c 'import reportlab, pikepdf' || { echo "make-corpus.sh: pip install reportlab pikepdf" >&2; exit 2; }
[ -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || { echo "make-corpus.sh: fonts-wqy-zenhei is missing" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -f "$out"/*.pdf "$out/MANIFEST.tsv"
rows="$work/rows.tsv"
: >"$rows"

# add FILE TOOL TESTS EXPECTED MARKERS — one manifest row; fails if FILE was not made.
add() {
    [ -s "$out/$1" ] || { echo "make-corpus.sh: $1 was not produced" >&2; exit 1; }
    printf '%s\t%s\t%s\t%s\t%s\n' "$@" >>"$rows"
}
# markers_of FILE — the markers of an earlier row (variants keep their source's text).
markers_of() { awk -F'\t' -v f="$1" '$1 == f { print $5 }' "$rows"; }

# ---- reportlab: fonts and encodings (see corpus_reportlab.py for each file's purpose).
echo "== reportlab"
(cd "$here" && python3 corpus_reportlab.py "$out") >>"$rows"

# ---- LibreOffice: flat ODF sources converted headless, with a throwaway profile so no
# user settings leak in and runs are repeatable. OOXML variants go ODF -> OOXML -> PDF.
echo "== LibreOffice"
(cd "$here" && python3 corpus_office.py "$work")
lo_version="LibreOffice $(soffice --version | awk '{print $2}')"
soffice_() { soffice "-env:UserInstallation=file://$work/lo-profile" --headless "$@" >>"$work/soffice.log" 2>&1; }
# lo_pdf SRC FILTER DEST — convert SRC with the export FILTER (JSON options allowed) to $out/DEST.
lo_pdf() {
    local dir="$work/lo-$RANDOM"
    soffice_ --convert-to "$2" --outdir "$dir" "$1"
    mv "$dir/$(basename "${1%.*}").pdf" "$out/$3"
}
writer="$work/writer-report-zh-en.fodt" calc="$work/calc-staff-ids.fods" impress="$work/impress-slides-zh-en.fodp"
soffice_ --convert-to 'docx:MS Word 2007 XML' --outdir "$work" "$writer"
soffice_ --convert-to 'xlsx:Calc MS Excel 2007 XML' --outdir "$work" "$calc"
soffice_ --convert-to 'pptx:Impress MS PowerPoint 2007 XML' --outdir "$work" "$impress"

writer_markers="机密★10年|数据导出审查报告|Confidentialheader|This report is Confidential|导出请求来自财务部|脚注：依据《数据出境安全评估办法》|11010119800101103X|610113199911113594|第1页"
calc_markers="员工名单Stafflist|公民身份号码|11010119800101103X|610113199911113594|财务部|11750|内部资料不得外传|Confidentialspreadsheet"
impress_markers="项目汇报|Quarterlyreview—Confidential|绝密：核心数据|Importantdata|11010119800101103X|440305199202291741"

lo_pdf "$writer" pdf lo-writer-fodt-headings-table-header-footer-footnote.pdf
add lo-writer-fodt-headings-table-header-footer-footnote.pdf "$lo_version" "Writer from flat ODT: headings, bordered table, header/footer with page field, footnote; subset TrueType fonts with 8-bit custom encodings + ToUnicode" readable "$writer_markers"
lo_pdf "$writer" 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}' lo-writer-pdfa2b.pdf
add lo-writer-pdfa2b.pdf "$lo_version" "PDF/A-2b export (XMP metadata, tagged, embedded fonts)" readable "$writer_markers"
lo_pdf "$writer" 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}' lo-writer-tagged.pdf
add lo-writer-tagged.pdf "$lo_version" "tagged PDF (StructTreeRoot, marked content BDC/EMC)" readable "$writer_markers"
lo_pdf "${writer%.fodt}.docx" pdf lo-writer-from-docx.pdf
add lo-writer-from-docx.pdf "$lo_version" "same report after a .docx round trip (DOCX import path)" readable "$writer_markers"
lo_pdf "$writer" 'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},"DocumentOpenPassword":{"type":"string","value":"s3cret"}}' lo-writer-encrypted-open-password.pdf
add lo-writer-encrypted-open-password.pdf "$lo_version" "LibreOffice's own encryption with a document-open (user) password s3cret: must not be readable" encrypted ""
lo_pdf "$calc" pdf lo-calc-fods-two-sheets.pdf
add lo-calc-fods-two-sheets.pdf "$lo_version" "Calc: two sheets (one page each), ID strings, numbers, default sheet header/footer" readable "$calc_markers"
lo_pdf "${calc%.fods}.xlsx" pdf lo-calc-from-xlsx.pdf
add lo-calc-from-xlsx.pdf "$lo_version" "same spreadsheet after an .xlsx round trip" readable "$calc_markers"
lo_pdf "$impress" pdf lo-impress-fodp-3-slides.pdf
add lo-impress-fodp-3-slides.pdf "$lo_version" "Impress: 3 landscape slides with text frames" readable "$impress_markers"
lo_pdf "${impress%.fodp}.pptx" pdf lo-impress-from-pptx.pdf
add lo-impress-from-pptx.pdf "$lo_version" "same slides after a .pptx round trip" readable "$impress_markers"

# ---- pikepdf and byte-level edits (corpus_tamper.py): incremental update, a Chinese
# form field, and damaged cross-reference data that readers must reconstruct.
echo "== tamper"
tamper() { (cd "$here" && python3 corpus_tamper.py "$@"); }
pike="pikepdf $(python3 -c 'import pikepdf; print(pikepdf.__version__)')"
plain=rl-plain-xref-table-uncompressed.pdf
tamper incremental "$out/$plain" "$out/tamper-incremental-update-replaces-page-text.pdf"
add tamper-incremental-update-replaces-page-text.pdf "hand-written update over reportlab" "incremental update: second xref section with /Prev, page 1 rewritten to new content, new Info title; the original text must NOT appear" readable "Revision2:Confidentialfinal|修订版绝密"
tamper acroform-zh "$out/rl-acroform-textfield-ascii-value.pdf" "$out/pikepdf-acroform-textfield-zh-value.pdf"
add pikepdf-acroform-textfield-zh-value.pdf "$pike" "AcroForm text field with Chinese /V and an appearance stream in STSong-Light (UniGB-UCS2-H) inside a form XObject" readable "$(markers_of rl-acroform-textfield-ascii-value.pdf)|机密★10年"
tamper shift "$out/$plain" "$out/broken-xref-offsets-shifted-rl.pdf"
add broken-xref-offsets-shifted-rl.pdf "byte edit of reportlab" "37 bytes inserted after the header: every xref offset and startxref is wrong" readable "$(markers_of $plain)"
tamper bad-startxref "$out/$plain" "$out/broken-startxref-wrong-offset-rl.pdf"
add broken-startxref-wrong-offset-rl.pdf "byte edit of reportlab" "startxref points at byte 123 (inside an object)" readable "$(markers_of $plain)"
tamper no-xref "$out/$plain" "$out/broken-xref-table-missing-rl.pdf"
add broken-xref-table-missing-rl.pdf "byte edit of reportlab" "xref table removed, trailer kept, startxref stale" readable "$(markers_of $plain)"
tamper shift "$out/lo-writer-fodt-headings-table-header-footer-footnote.pdf" "$out/broken-xref-offsets-shifted-lo-writer.pdf"
add broken-xref-offsets-shifted-lo-writer.pdf "byte edit of LibreOffice" "LibreOffice PDF with every xref offset off by 37 bytes (compressed streams)" readable "$writer_markers"

# ---- qpdf structural variants and encryption. RC4 needs --allow-weak-crypto in qpdf 11.
# Unencrypted variants use --deterministic-id (same bytes from the same input); encrypted
# ones keep qpdf's random salts/IVs like real files, so their bytes differ per run.
echo "== qpdf"
qv="qpdf $(qpdf --version | awk 'NR==1 {print $3}')"
lo_w=lo-writer-fodt-headings-table-header-footer-footnote.pdf
stsong=rl-cid-stsong-unigb-ucs2-h-no-tounicode.pdf
ttf=rl-ttf-wqyzenhei-simple-subset-tounicode.pdf
tbl=rl-platypus-table-resident-ids.pdf
# qv_variant NAME SOURCE EXPECTED TESTS QPDF-ARGS... — qpdf SOURCE into NAME, add the row.
qv_variant() {
    local name=$1 src=$2 expected=$3 tests=$4; shift 4
    qpdf "$@" "$out/$src" "$out/$name"
    local markers=""
    [ "$expected" = readable ] && markers=$(markers_of "$src")
    add "$name" "$qv" "$tests (from $src)" "$expected" "$markers"
}
qv_variant qpdf-objstm-xrefstream-lo-writer.pdf "$lo_w" readable "object streams + cross-reference stream" --object-streams=generate --deterministic-id
qv_variant qpdf-objstm-xrefstream-rl-stsong.pdf "$stsong" readable "object streams + cross-reference stream, CID font without ToUnicode" --object-streams=generate --deterministic-id
qv_variant qpdf-uncompressed-lo-writer.pdf "$lo_w" readable "all streams decoded (no filters), no object streams" --stream-data=uncompress --object-streams=disable --deterministic-id
qv_variant qpdf-linearized-lo-impress.pdf lo-impress-fodp-3-slides.pdf readable "linearized (hint stream, first-page xref + main xref)" --linearize --deterministic-id
qv_variant qpdf-rc4-40-emptyuser-rl-stsong.pdf "$stsong" readable "RC4 40-bit (V1 R2), empty user password, owner password set: strings with raw UCS-2 bytes are encrypted" --allow-weak-crypto --encrypt "" owner 40 --
qv_variant qpdf-rc4-128-emptyuser-lo-writer.pdf "$lo_w" readable "RC4 128-bit (V2 R3), empty user password" --allow-weak-crypto --encrypt "" owner 128 --use-aes=n --
qv_variant qpdf-aes128-emptyuser-rl-table.pdf "$tbl" readable "AES-128 (V4 R4 AESV2 crypt filters), empty user password" --encrypt "" owner 128 --use-aes=y --
qv_variant qpdf-aes256-emptyuser-lo-calc.pdf lo-calc-fods-two-sheets.pdf readable "AES-256 (V5 R6 AESV3), empty user password" --encrypt "" owner 256 --
qv_variant qpdf-aes256-emptyuser-objstm-rl-ttf.pdf "$ttf" readable "AES-256 with object streams and xref stream (encrypted object streams)" --object-streams=generate --encrypt "" owner 256 --
qv_variant qpdf-aes128-emptyuser-no-extract-rl-ttf.pdf "$ttf" readable "AES-128, empty user password, permissions forbid extraction (pdftotext ignores the P bits)" --encrypt "" owner 128 --use-aes=y --extract=n --
qv_variant qpdf-aes256-userpw-lo-writer.pdf "$lo_w" encrypted "AES-256 with user password 'user-secret': must not be readable" --encrypt user-secret owner 256 --
qv_variant qpdf-rc4-128-userpw-rl-ttf.pdf "$ttf" encrypted "RC4 128-bit with user password 'user-secret': must not be readable" --allow-weak-crypto --encrypt user-secret owner 128 --use-aes=n --

# ---- Ghostscript: ps2pdf from hand-written PostScript (Courier re-encoded to ISO Latin-1).
echo "== ghostscript"
gv="Ghostscript $(gs --version)"
cat >"$work/latin.ps" <<'PS'
%!PS-Adobe-3.0
% /New /Old reencode: a copy of font Old with ISOLatin1Encoding, defined as New.
/reencode { findfont dup length dict begin { 1 index /FID ne { def } { pop pop } ifelse } forall
  /Encoding ISOLatin1Encoding def currentdict end definefont pop } def
/Courier-L1 /Courier reencode
/Helvetica-Bold findfont 18 scalefont setfont 72 750 moveto (Confidential - Internal Use Only) show
/Times-Roman findfont 12 scalefont setfont
72 720 moveto (PostScript source converted with ps2pdf.) show
72 700 moveto (Account ledger ACCT-7731 exported on 2024-03-01.) show
/Courier-L1 findfont 10 scalefont setfont 72 680 moveto (Accented: caf\351 na\357ve r\351sum\351) show
showpage
/Helvetica findfont 12 scalefont setfont 72 750 moveto (Second page: Confidential appendix) show
showpage
PS
ps2pdf "$work/latin.ps" "$out/gs-ps2pdf-latin-2pages.pdf"
add gs-ps2pdf-latin-2pages.pdf "$gv" "ps2pdf from PostScript: base-14 fonts (not embedded, StandardEncoding / Differences), ISO Latin-1 re-encoded Courier, 2 pages" readable "Confidential-InternalUseOnly|ACCT-7731|café|naïve|résumé|Secondpage:Confidentialappendix"

# ---- cairo (poppler's pdftocairo -pdf re-renders a PDF through cairo): the only tool here
# that writes embedded TrueType as Type0 / CIDFontType2 / Identity-H with /ToUnicode.
echo "== cairo"
cv="pdftocairo $(pdftocairo -v 2>&1 | awk 'NR==1 {print $3}') (cairo)"
pdftocairo -pdf "$out/$ttf" "$out/cairo-identity-h-tounicode-from-rl-ttf.pdf"
add cairo-identity-h-tounicode-from-rl-ttf.pdf "$cv" "Type0 CIDFontType2 Identity-H (2-byte glyph IDs) + ToUnicode, plus a simple TrueType subset for ASCII (from $ttf)" readable "$(markers_of "$ttf")"
pdftocairo -pdf "$out/$lo_w" "$out/cairo-identity-h-tounicode-from-lo-writer.pdf"
add cairo-identity-h-tounicode-from-lo-writer.pdf "$cv" "LibreOffice report re-rendered by cairo: Identity-H CJK + simple TrueType Latin, text placed glyph run by glyph run (from $lo_w)" readable "$writer_markers"

{ printf 'file\ttool\ttests\texpected\tmarkers\n'; sort "$rows"; } >"$out/MANIFEST.tsv"
echo "== $(($(wc -l <"$rows"))) PDFs in $out (MANIFEST.tsv)"
