#!/usr/bin/env bash
# Makes Fuzz/seeds/TARGET/: small starting inputs for each fuzz target, from Samples/,
# Policies/ and files made here with the system's tools (zip, tar, gzip, iconv,
# ImageMagick). The result is committed (kept well under 2 MiB); run this again after
# adding a target or a format, and commit what changed.
#
#   Fuzz/make-seeds.sh
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
SEEDS="$HERE/seeds"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
rm -rf "$SEEDS"
mkdir -p "$SEEDS"

seeds() { mkdir -p "$SEEDS/$1"; echo "$SEEDS/$1"; }
# selector DIR NAME BYTE FILE: FILE behind a first byte that picks the target's mode.
selector() { { printf "\\x$(printf %02x "$3")"; cat "$4"; } > "$1/$2"; }

cd "$WORK"
# Text the detectors react to, and the shapes of common documents.
cp "$ROOT/Samples/secret-marked-meeting-minutes.txt" minutes.txt
cp "$ROOT/Samples/intranet-notice.html" notice.html
head -c 2048 "$ROOT/Samples/customers.csv" > customers.csv
printf '机密★10年\n内部资料 110101199003074514\r\n' > marked.txt
iconv -f UTF-8 -t GB18030 marked.txt > marked.gb18030
iconv -f UTF-8 -t BIG5 <(printf '機密文件 內部資料\n') > marked.big5
{ printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE marked.txt; } > marked.utf16
mkdir -p word && printf '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t xml:space="preserve">国发〔2023〕5号 </w:t></w:r><w:r><w:t>内部文件</w:t></w:r></w:p></w:body></w:document>' > word/document.xml
printf '<?xml version="1.0" encoding="UTF-8"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>' > '[Content_Types].xml'
printf '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY e "机密">]>\n<r a="1"><![CDATA[内部<资料>]]>&e;&#x673A;&amp;<x/>密<?pi data?><!-- 注释 --></r>\n' > entities.xml
printf '<?xml version="1.0" encoding="GB18030"?>\n<r>' > gb.xml; iconv -f UTF-8 -t GB18030 <(printf '秘密 文件') >> gb.xml; printf '</r>\n' >> gb.xml
printf 'From: =?UTF-8?B?5byg5LiJ?= <a@example.com>\r\nTo: b@example.org\r\nSubject: =?GB2312?Q?=BB=FA=C3=DC?=\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="x"\r\n\r\npreamble\r\n--x\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n5py65a+G4piFMTDlubQK\r\n--x\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n<p>=E5=86=85=E9=83=A8=\r\n=E8=B5=84=E6=96=99&nbsp;</p>\r\n--x\r\nContent-Type: message/rfc822\r\n\r\nSubject: inner\r\n\r\n机密\r\n--x\r\nContent-Type: application/octet-stream; name*=UTF-8'"''"'%%E6%%9C%%BA.txt\r\nContent-Disposition: attachment; filename="a.txt"\r\nContent-Transfer-Encoding: base64\r\n\r\n' > mail.eml
base64 marked.txt >> mail.eml; printf '\r\n--x--\r\nepilogue\r\n' >> mail.eml
{ printf 'From a@example.com Mon Dec  7 05:00:00 2026\nSubject: one\n\n机密\n>From the start\n\n'; printf 'From b@example.com Mon Dec  7 05:01:00 2026\nSubject: two\nContent-Type: text/plain; charset=gb18030\nContent-Transfer-Encoding: 8bit\n\n'; cat marked.gb18030; } > mail.mbox

# Archives and compressors.
zip -q plain.zip marked.txt entities.xml
zip -q -0 stored.zip marked.txt
zip -q -r a.docx '[Content_Types].xml' word
zip -q -P secret encrypted.zip marked.txt
printf '内部资料\n' | zip -q streamed.zip -
zip -q -z commented.zip marked.txt <<< "注释 comment"
zip -q nested.zip plain.zip a.docx
tar -cf ustar.tar --format=ustar marked.txt entities.xml
long=$(printf 'd%.0s' {1..120}); mkdir -p "$long"; cp marked.txt "$long/"
tar -cf gnu.tar --format=gnu "$long" marked.gb18030
tar -cf pax.tar --format=pax "$long" marked.txt
truncate -s 64K sparse.bin && printf '机密' | dd of=sparse.bin bs=1 seek=40000 conv=notrunc status=none
tar -cSf sparse.tar --format=gnu sparse.bin
tar -cSf pax-sparse.tar --format=pax sparse.bin
printf 'marked.txt\nentities.xml\n' | cpio --quiet -o -H newc > newc.cpio
printf 'marked.txt\nentities.xml\n' | cpio --quiet -o -H odc > odc.cpio
gzip -c --name marked.txt > named.gz < marked.txt
gzip -c ustar.tar > ustar.tar.gz
{ gzip -c marked.txt; gzip -c entities.xml; } > members.gz
printf '2.0\n' > debian-binary && ar rc x.deb debian-binary ustar.tar.gz "$long/marked.txt"
xz -c ustar.tar > ustar.tar.xz; { xz -c marked.txt; xz -c entities.xml; } > members.xz
xz --format=lzma -c marked.txt > marked.lzma
bzip2 -c ustar.tar > ustar.tar.bz2; { bzip2 -c marked.txt; bzip2 -c entities.xml; } > members.bz2
zstd -q -c ustar.tar > ustar.tar.zst; { zstd -q -c marked.txt; zstd -q -c entities.xml; } > members.zst
if command -v 7z >/dev/null; then
    mkdir -p in && cp marked.txt entities.xml marked.gb18030 in/
    7z a -bd -y -bso0 solid.7z ./in/* && 7z a -bd -y -bso0 -mhc=off -ms=off plain-header.7z ./in/*
    7z a -bd -y -bso0 -m0=BCJ -m1=LZMA bcj.7z ./in/* && 7z a -bd -y -bso0 -m0=Deflate -mhc=off deflate.7z ./in/*
    7z a -bd -y -bso0 -m0=BZip2 bzip2.7z ./in/* && 7z a -bd -y -bso0 -pSECRET encrypted.7z ./in/*
    head -c 3000 /dev/urandom > in/tool.exe
    7z a -bd -y -bso0 -m0=BCJ2 -m1=LZMA -m2=LZMA -m3=LZMA -mb0s0:1 -mb0s1:2 -mb0s2:3 bcj2.7z ./in/*
    rm in/tool.exe
fi
python3 - <<'PY'
import zipfile
for name, method in (("bzip2.zip", zipfile.ZIP_BZIP2), ("lzma.zip", zipfile.ZIP_LZMA)):
    with zipfile.ZipFile(name, "w", compression=method) as z:
        z.write("marked.txt")
        z.write("entities.xml")
PY
if command -v convert >/dev/null && convert -version >/dev/null 2>&1; then
    for format in png jpg gif bmp webp tiff; do convert -size 4x4 xc:white -set comment '机密' "picture.$format" 2>/dev/null || true; done
fi

# Text carrying other encodings: \u escapes, percent-encoding, quoted-printable, base64.
python3 - > encoded.txt <<'PY'
import base64, json, quopri, urllib.parse
s = "机密★10年 内部资料"
print(json.dumps({"note": s}))
print("q=" + urllib.parse.quote(s) + "&gbk=" + urllib.parse.quote(s.encode("gbk")))
print(quopri.encodestring((s * 4).encode()).decode())
print("-----BEGIN NOTE-----\n" + base64.encodebytes((s * 3).encode()).decode() + "-----END NOTE-----")
print("![x](data:text/plain;base64," + base64.b64encode(s.encode()).decode() + ")")
print(base64.b64encode((s * 3).encode()).decode())
PY

dir=$(seeds FuzzContent)
cp minutes.txt notice.html customers.csv marked.* encoded.txt entities.xml gb.xml mail.eml mail.mbox ./*.zip a.docx ./*.tar ./*.gz ./*.xz ./*.bz2 ./*.zst x.deb ./*.cpio "$dir"/
cp ./*.7z "$dir"/ 2>/dev/null || true
cp picture.* "$dir"/ 2>/dev/null || true
dir=$(seeds FuzzZip); cp ./*.zip a.docx "$dir"/
dir=$(seeds FuzzSevenZip); cp ./*.7z "$dir"/ 2>/dev/null || true
dir=$(seeds FuzzPDF)
python3 "$HERE/make-pdf-seeds.py" "$dir"
if command -v qpdf >/dev/null; then
    qpdf --compress-streams=y --object-streams=generate "$dir/two-pages.pdf" "$dir/objstm.pdf"
    qpdf --allow-weak-crypto --encrypt "" owner 128 --use-aes=n -- "$dir/two-pages.pdf" "$dir/rc4.pdf"
    qpdf --encrypt "" owner 256 -- "$dir/two-pages.pdf" "$dir/aes256.pdf"
fi
cp "$dir"/*.pdf "$SEEDS/FuzzContent/"
dir=$(seeds FuzzCompoundFile)
if command -v soffice >/dev/null; then
    # Legacy Office files from flat ODF (what LibreOffice writes; WPS files are the same formats).
    printf '<?xml version="1.0" encoding="UTF-8"?>\n<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text"><office:body><office:text><text:p>机密★10年 110101199003074514</text:p></office:text></office:body></office:document>\n' > memo.fodt
    printf '<?xml version="1.0" encoding="UTF-8"?>\n<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet"><office:body><office:spreadsheet><table:table table:name="名单"><table:table-row><table:table-cell office:value-type="string"><text:p>张伟</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="-12.5"><text:p>-12.5</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document>\n' > book.fods
    soffice -env:UserInstallation="file://$WORK/lo" --headless --convert-to doc memo.fodt >/dev/null 2>&1 || true
    soffice -env:UserInstallation="file://$WORK/lo" --headless --convert-to xls book.fods >/dev/null 2>&1 || true
    cp memo.doc book.xls "$dir"/ 2>/dev/null || true
fi
dir=$(seeds FuzzArchives)  # selector % 3: 0 tar, 1 ar, 2 cpio
for file in ./*.tar; do selector "$dir" "$(basename "$file")" 0 "$file"; done
selector "$dir" x.deb 1 x.deb
selector "$dir" newc.cpio 2 newc.cpio
selector "$dir" odc.cpio 2 odc.cpio
dir=$(seeds FuzzCompression)  # selector % 5: 0 gzip, 1 xz, 2 lzma, 3 bzip2, 4 zstd
for file in ./*.gz ./*.xz ./*.lzma ./*.bz2 ./*.zst; do
    case $file in *.gz) s=0 ;; *.xz) s=1 ;; *.lzma) s=2 ;; *.bz2) s=3 ;; *.zst) s=4 ;; esac
    selector "$dir" "$(basename "$file")" "$s" "$file"
done
dir=$(seeds FuzzMail); cp mail.eml mail.mbox "$dir"/
dir=$(seeds FuzzMarkup)
for file in entities.xml gb.xml word/document.xml; do selector "$dir" "xml-$(basename "$file")" 0 "$file"; done
selector "$dir" html-notice 1 notice.html
printf '{\\rtf1\\ansi\\ansicpg936{\\fonttbl{\\f0\\fcharset134 \\'"'"'cb\\'"'"'ce;}}{\\info{\\title t}}\\uc1\\f0\\'"'"'bb\\'"'"'fa\\u23494?\\par{\\*\\fldinst HYPERLINK x}{\\pict 0100}\\bin2 ab{\\object{\\*\\objdata 0105000002000000}}}' > memo.rtf
selector "$dir" rtf-memo 2 memo.rtf
cp memo.rtf "$SEEDS/FuzzContent/"
dir=$(seeds FuzzCharsets)  # selectors: 0 GB18030, 1 BIG5, 3 UTF-16LE, 9 UTF-8, 11 HZ, 12 UTF-7, 14 ISO-2022-JP
selector "$dir" gb18030 0 marked.gb18030; selector "$dir" big5 1 marked.big5
python3 -c "import sys; sys.stdout.buffer.write('机密★10年 内部资料\n~ tilde\n'.encode('hz'))" > marked.hz; selector "$dir" hz 11 marked.hz
python3 -c "import sys; sys.stdout.buffer.write('机密★10年 内部资料\n'.encode('utf-7'))" > marked.utf7; selector "$dir" utf7 12 marked.utf7
python3 -c "import sys; sys.stdout.buffer.write('この文書は社外秘です。\n'.encode('iso2022_jp'))" > marked.jis; selector "$dir" iso2022jp 14 marked.jis
selector "$dir" utf16le 3 marked.utf16; selector "$dir" utf8 9 marked.txt
dir=$(seeds FuzzTransferEncodings)  # selector % 5: 0 base64, 1 base64 round trip, 2 QP, 3 QP round trip, 4 encoded words
base64 marked.txt > marked.b64; selector "$dir" base64 0 marked.b64
selector "$dir" base64-round-trip 9 marked.txt
printf '=E6=9C=BA=E5=AF=86 soft=\r\nbreak =3D = \r\nbad=ZZ end=' > marked.qp; selector "$dir" qp 2 marked.qp
selector "$dir" qp-round-trip 11 marked.txt
printf '=?UTF-8?B?5py65a+G?= =?GB18030?Q?=C3=DC?= =?utf-8*zh?q?x_y?=' > words; selector "$dir" words 4 words
dir=$(seeds FuzzPolicy); cp "$ROOT"/Policies/*.yaml "$dir"/
dir=$(seeds FuzzICAP)
printf '\x07REQMOD icap://127.0.0.1:1344/reqmod ICAP/1.0\r\nHost: 127.0.0.1\r\nEncapsulated: req-hdr=0, req-body=59\r\nPreview: 0\r\n\r\nPOST /up HTTP/1.1\r\nHost: example.com\r\nContent-Length: 5\r\n\r\n5\r\nhello\r\n0; ieof\r\n\r\n' > "$dir/reqmod"
printf '\x3cOPTIONS icap://127.0.0.1:1344/reqmod ICAP/1.0\r\nHost: 127.0.0.1:1344\r\nAllow: 206\r\n\r\nRESPMOD icap://h/respmod ICAP/1.0\r\nEncapsulated: req-hdr=0, res-hdr=20, res-body=57\r\n\r\nGET / HTTP/1.1\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n4\r\n机\r\n0\r\n\r\n' > "$dir/options-respmod"
dir=$(seeds FuzzMultipart)
printf '\x05preamble\r\n--b0undary\r\nContent-Disposition: form-data; name="f"; filename*=UTF-8'"''"'%%E6%%9C%%BA.txt\r\nContent-Type: text/plain\r\n\r\n机密\r\n--b0undary\r\nContent-Disposition: form-data; name="g"\r\n\r\nvalue\r\n--b0undary--\r\nepilogue' > "$dir/form"
dir=$(seeds FuzzMatcher)
printf '\x03\x05\x02abc\x03bca\x02cab abcabcabcbcabca' > "$dir/three"
printf '\x01\x00\x04aaaa aaaaaaaaab' > "$dir/repeats"

total=$(du -sk "$SEEDS" | cut -f1)
echo "Fuzz/seeds: $(find "$SEEDS" -type f | wc -l) files, ${total} KiB"
[[ $total -le 2048 ]] || { echo "Fuzz/make-seeds.sh: seeds exceed 2 MiB" >&2; exit 1; }
