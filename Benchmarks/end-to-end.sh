#!/usr/bin/env bash
# Times `exportguard scan` end to end (decoding, matching, positions, scoring, report) on the
# benchmark corpus in four containers, on one core, with hyperfine.
#
#   Benchmarks/end-to-end.sh [BASELINE_BINARY]
#
# Builds the release binary, generates (once, into Benchmarks/corpus/end-to-end/) from the
# first 16 MiB of the 64M corpus: the text itself, a gzip of it, a mail with it as a base64
# attachment and a .docx with one paragraph per line. With BASELINE_BINARY (an exportguard
# built from another commit), each input is timed with both in the same hyperfine run, so
# the ratio is measured on the same machine at the same time.
#
# Environment: SWIFT_BUILD_LOCK (default /tmp/swift-build.lock) serialises Swift builds.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BASELINE=${1:-}
LOCK=${SWIFT_BUILD_LOCK:-/tmp/swift-build.lock}
OUT=$HERE/corpus/end-to-end

command -v hyperfine >/dev/null || apt-get install -y -qq hyperfine >/dev/null \
    || { echo "end-to-end.sh: hyperfine is missing: apt-get install hyperfine" >&2; exit 69; }
[[ -f $HERE/corpus/corpus-64M-seed1.txt ]] || python3 "$HERE/generate-corpus.py" --size 64M --seed 1 --out "$HERE/corpus" >/dev/null

echo "building exportguard (release)..." >&2
flock "$LOCK" swift build --package-path "$ROOT" -c release --product exportguard >&2
BINARY=$(flock "$LOCK" swift build --package-path "$ROOT" -c release --show-bin-path)/exportguard

mkdir -p "$OUT"
if [[ ! -f $OUT/report.docx ]]; then
    echo "generating inputs into $OUT..." >&2
    python3 - "$HERE/corpus/corpus-64M-seed1.txt" "$OUT" <<'PY'
import base64, gzip, html, sys, zipfile
source, out = sys.argv[1], sys.argv[2]
raw = open(source, "rb").read(16 << 20)
raw = raw[: raw.rfind(b"\n") + 1]
open(f"{out}/text.txt", "wb").write(raw)
with gzip.open(f"{out}/text.txt.gz", "wb", compresslevel=6) as f:
    f.write(raw)
body = base64.encodebytes(raw).replace(b"\n", b"\r\n")
head = (b"From: a@example.com\r\nTo: b@example.org\r\nSubject: report\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: multipart/mixed; boundary=\"XX\"\r\n\r\n--XX\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        b"see attachment\r\n--XX\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n"
        b"Content-Disposition: attachment; filename=\"data.txt\"\r\n\r\n")
open(f"{out}/message.eml", "wb").write(head + body + b"\r\n--XX--\r\n")
lines = raw.decode("utf-8", "replace").split("\n")
paragraphs = "".join(f"<w:p><w:r><w:t>{html.escape(line)}</w:t></w:r></w:p>" for line in lines)
document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body>{paragraphs}</w:body></w:document>")
types = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
         '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
         'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
with zipfile.ZipFile(f"{out}/report.docx", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml", types)
    z.writestr("word/document.xml", document)
PY
fi

commands=()
for input in text.txt text.txt.gz message.eml report.docx; do
    [[ -n $BASELINE ]] && commands+=("taskset -c 0 $BASELINE scan --quiet $OUT/$input")
    commands+=("taskset -c 0 $BINARY scan --quiet $OUT/$input")
done
# scan exits 1 or 2 for review and block: that is the answer, not a failure (-i).
hyperfine -N -i -w 1 -r "${RUNS:-5}" "${commands[@]}"
