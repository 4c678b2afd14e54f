#!/usr/bin/env bash
# Proves `exportguard serve` with real clients, on loopback only: Squid 5 sending uploads
# to ExportGuard over ICAP (REQMOD), c-icap-client (REQMOD and RESPMOD), and curl against
# the HTTP scan API.
# Usage: Integration/squid/run.sh PATH/TO/exportguard
# Runs as root. Installs squid, c-icap (c-icap-client), curl, python3 and zip if missing.
# Starts ExportGuard first (Squid keeps a service it found down for 30 s or more), then an
# upload sink and Squid, each on a spare 127.0.0.1 port; stops all of them on exit.
# The last line is "N passed, M failed"; the exit status is non-zero on any failure.
set -uo pipefail

binary=$(readlink -f "${1:?usage: run.sh PATH/TO/exportguard}")
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/exportguard-squid.XXXXXX)
chmod 755 "$work"
passed=0
failed=0
pass() { echo "ok   - $1"; passed=$((passed + 1)); }
fail() { echo "FAIL - $1"; failed=$((failed + 1)); }
pids=()

source "$here/../lib.sh"
install_missing squid:squid c-icap-client:c-icap curl:curl python3:python3 zip:zip
trap stop_started EXIT

icap_port=$(spare_port)
http_port=$(spare_port)
sink_port=$(spare_port)
squid_port=$(spare_port)

# 1. ExportGuard first.
"$binary" serve --icap "127.0.0.1:$icap_port" --http "127.0.0.1:$http_port" > "$work/exportguard.log" 2>&1 &
eg_pid=$!
pids+=("$eg_pid")
wait_port "$icap_port" && wait_port "$http_port" || { echo "exportguard did not start"; cat "$work/exportguard.log"; echo "0 passed, 1 failed"; exit 1; }

# 2. The upload sink.
mkdir -p "$work/sink"
python3 "$here/sink.py" "$sink_port" "$work/sink" > "$work/sink.log" 2>&1 &
pids+=($!)
wait_port "$sink_port" || { echo "sink did not start"; cat "$work/sink.log"; echo "0 passed, 1 failed"; exit 1; }

# 3. Squid, sending every request through ExportGuard (bypass=off: fail closed).
squid_config "$squid_port" "$icap_port" "stdio:$work/squid/access.log" respmod
squid -k parse -f "$work/squid/squid.conf" > "$work/squid/parse.log" 2>&1 || { cat "$work/squid/parse.log"; echo "0 passed, 1 failed"; exit 1; }
squid -N -f "$work/squid/squid.conf" > "$work/squid/stdout.log" 2>&1 &
pids+=($!)
wait_port "$squid_port" || { echo "squid did not start"; cat "$work/squid/cache.log"; echo "0 passed, 1 failed"; exit 1; }

proxy=(curl -sS --max-time 60 -x "http://127.0.0.1:$squid_port" -H 'Expect:')
sink_url="http://127.0.0.1:$sink_port"
received() { if [ -f "$work/sink/received.txt" ]; then wc -l < "$work/sink/received.txt"; else echo 0; fi; }
sha() { sha256sum "$1" | cut -d' ' -f1; }

# Test files.
python3 - "$work" <<'PY'
import os, random, sys
work = sys.argv[1]
random.seed(7)
words = "the quarterly report shows revenue growth across regions and a new office in spring".split()
def text(size):
    out = []
    n = 0
    while n < size:
        line = " ".join(random.choice(words) for _ in range(12)) + "\n"
        out.append(line)
        n += len(line)
    return "".join(out)
open(os.path.join(work, "small.txt"), "w").write(text(2000))
open(os.path.join(work, "large.txt"), "w").write(text(300 * 1024))
open(os.path.join(work, "huge.txt"), "w").write(text(12 * 1024 * 1024))
# A multipart body built by hand, so the sink's copy can be compared byte for byte.
boundary = "----egtest7MA4YWxkTrZu0gW"
body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n"
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"large.txt\"\r\n"
        f"Content-Type: text/plain\r\n\r\n").encode() + text(200 * 1024).encode() + f"\r\n--{boundary}--\r\n".encode()
open(os.path.join(work, "form.bin"), "wb").write(body)
open(os.path.join(work, "form.type"), "w").write(f"multipart/form-data; boundary={boundary}")
# 20,000 valid resident IDs (GB 11643 check digit), distinct.
weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
with open(os.path.join(work, "customers.csv"), "w") as out:
    out.write("name,id\n")
    for n in range(20000):
        body17 = "110101%04d%02d%02d%03d" % (1950 + n % 50, 1 + n % 12, 1 + n % 28, n // 600)
        check = "10X98765432"[sum(int(c) * w for c, w in zip(body17, weights)) % 11]
        out.write("customer%d,%s%s\n" % (n, body17, check))
PY
mkdir -p "$work/docx/_rels" "$work/docx/word"
cat > "$work/docx/[Content_Types].xml" <<'XML'
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>
XML
cat > "$work/docx/_rels/.rels" <<'XML'
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>
XML
cat > "$work/docx/word/document.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>项目简介</w:t></w:r></w:p><w:p><w:r><w:t>机密★10年</w:t></w:r></w:p><w:p><w:r><w:t>正文：会议安排。</w:t></w:r></w:p></w:body></w:document>
XML
(cd "$work/docx" && zip -q -X -r ../secret.docx '[Content_Types].xml' _rels word)
(cd "$work" && zip -q -X customers.zip customers.csv)

# --- Squid ---
# A GET (null-body REQMOD) passes.
if [ "$("${proxy[@]}" "$sink_url/hello")" = "sink ok" ]; then pass "a GET through Squid passes (REQMOD with null-body)"; else fail "GET through Squid"; tail -5 "$work/squid/cache.log"; fi

# Benign uploads reach the sink byte-identical: small (Allow: 204), large (no Allow: 204,
# echoed in a 200), and a multipart form.
check_upload() {
    local label=$1 file=$2 type=$3
    local before answer status
    before=$(received)
    answer=$("${proxy[@]}" -w '\n%{http_code}' -H "Content-Type: $type" --data-binary @"$file" "$sink_url/upload")
    status=$(tail -n 1 <<<"$answer")
    local expected got
    expected=$(sha "$file")
    got=$(tail -n 1 "$work/sink/received.txt" 2>/dev/null | cut -d' ' -f2)
    if [ "$status" = 200 ] && [ "$(received)" -eq $((before + 1)) ] && [ "$got" = "$expected" ]; then
        pass "$label reaches the sink byte-identical ($(stat -c %s "$file") bytes, sha256 ${expected:0:12}…)"
    else
        fail "$label: status $status, sink sha256 ${got:-none}, expected $expected"
    fi
}
check_upload "a small benign upload through Squid" "$work/small.txt" text/plain
check_upload "a benign upload over 64 KiB through Squid" "$work/large.txt" text/plain
check_upload "a 12 MiB benign upload through Squid (spilled and spooled to private files)" "$work/huge.txt" text/plain
check_upload "a benign multipart form over 64 KiB through Squid" "$work/form.bin" "$(cat "$work/form.type")"

# A docx with a 机密★10年 marking is refused: 403, block page, nothing reaches the sink.
check_blocked() {
    local label=$1 category=$2
    shift 2
    local before answer status
    before=$(received)
    answer=$("${proxy[@]}" -w '\n%{http_code}' "$@" "$sink_url/upload")
    status=$(tail -n 1 <<<"$answer")
    sleep 0.3
    if [ "$status" = 403 ] && grep -q "Transfer refused" <<<"$answer" && grep -q "Reference: <strong>EG-" <<<"$answer" \
        && grep -q "<code>$category</code>" <<<"$answer" && [ "$(received)" -eq "$before" ]; then
        pass "$label: 403, block page naming $category and a reference; the sink received nothing"
    else
        fail "$label: status $status, sink received $(( $(received) - before ))"
        head -c 600 <<<"$answer"; echo
    fi
    if grep -q "机密★10年\|110101" <<<"$answer"; then fail "$label: the block page shows content"; fi
}
check_blocked "a docx marked 机密★10年 (multipart upload)" state-secret -F "file=@$work/secret.docx;type=application/vnd.openxmlformats-officedocument.wordprocessingml.document"
check_blocked "a docx marked 机密★10年 (raw upload)" state-secret -H "Content-Type: application/octet-stream" --data-binary @"$work/secret.docx"
check_blocked "a zip of 20,000 resident IDs" personal-info -H "Content-Type: application/zip" --data-binary @"$work/customers.zip"

# Downloads are audited too (RESPMOD): benign files arrive unchanged, marked ones do not.
# Squid 5.7 stops reading a response of 64 KiB or more from the origin until its ICAP response
# has started (Squid bug 5352), so for such a body ExportGuard sends the original response head
# once the body stalls, and the body only after the verdict (see README.md).
mkdir -p "$work/sink/files"
cp "$work/small.txt" "$work/large.txt" "$work/huge.txt" "$work/secret.docx" "$work/customers.csv" "$work/sink/files/"
python3 - "$work" <<'PY'
import sys
work = sys.argv[1]
text = open(work + "/large.txt", encoding="utf-8").read()
open(work + "/sink/files/marked-large.txt", "w", encoding="utf-8").write(text[:150000] + "\n机密★10年\n" + text[150000:])
PY
check_download() {
    local label=$1 file=$2
    rm -f "$work/download.out"
    if "${proxy[@]}" -o "$work/download.out" "$sink_url/files/$(basename "$file")" && cmp -s "$work/download.out" "$file"; then
        pass "$label arrives byte-identical ($(stat -c %s "$file") bytes, sha256 $(sha "$file" | cut -c1-12)…)"
    else
        fail "$label: the download differs or failed"
    fi
}
check_download "a benign download through Squid (RESPMOD)" "$work/small.txt"
check_download "a benign download over 64 KiB through Squid (RESPMOD)" "$work/large.txt"
# Squid 5.7 may also stop reading the origin later, whenever its buffer towards the ICAP service
# fills before the service took it, and waits for response body bytes that a fail-closed service
# only sends after its verdict (bug 5352, fixed in later Squid). Such a stall is reported as
# known, not failed, as long as no byte arrived.
rm -f "$work/download.out"
if "${proxy[@]}" --max-time 20 -o "$work/download.out" "$sink_url/files/huge.txt" 2>/dev/null && cmp -s "$work/download.out" "$work/huge.txt"; then
    pass "a 12 MiB benign download through Squid (RESPMOD) arrives byte-identical (sha256 $(sha "$work/huge.txt" | cut -c1-12)…)"
elif [ ! -s "$work/download.out" ]; then
    echo "known - a 12 MiB download through Squid 5.7 stalled with no byte delivered (Squid bug 5352)"
    stalled=1
else
    fail "a 12 MiB benign download through Squid: $(stat -c %s "$work/download.out") bytes, not the file"
fi
# A refused download over 64 KiB: its response head went out before the verdict, so the client
# gets either the block page (403) or the original head and no body byte, cut short (curl fails).
check_download_refused() {
    local label=$1 name=$2 pattern=$3
    local answer rc status size
    rm -f "$work/refused.out"
    answer=$("${proxy[@]}" -o "$work/refused.out" -w '%{http_code} %{size_download}' "$sink_url/files/$name" 2>/dev/null)
    rc=$?
    status=${answer%% *}
    size=${answer##* }
    if grep -q "$pattern" "$work/refused.out" 2>/dev/null; then
        fail "$label: content reached the client"
    elif [ "$status" = 403 ] && grep -q "Transfer refused" "$work/refused.out"; then
        pass "$label: 403 with the block page"
    elif [ "$size" = 0 ] && [ "$rc" -ne 0 ]; then
        pass "$label: no byte of the body reached the client (status $status, curl exit $rc: cut short)"
    else
        fail "$label: status $status, $size bytes, curl exit $rc"
    fi
}
check_download_refused "a download of 20,000 resident IDs (over 64 KiB) through Squid" customers.csv 110101
check_download_refused "a download of a 300 KiB text marked 机密★10年 through Squid" marked-large.txt "机密"
answer=$("${proxy[@]}" -w '\n%{http_code}' "$sink_url/files/secret.docx")
if [ "$(tail -n 1 <<<"$answer")" = 403 ] && grep -q "<code>state-secret</code>" <<<"$answer"; then
    pass "a download of the marked docx through Squid (RESPMOD): 403 with the block page"
else
    fail "download of the marked docx: status $(tail -n 1 <<<"$answer")"
fi

# --- c-icap-client against the service ---
cicap=(timeout 30 c-icap-client -i 127.0.0.1 -p "$icap_port")
out=$("${cicap[@]}" -s reqmod -v 2>&1)
if grep -q "Methods: REQMOD" <<<"$out" && grep -q "Preview: " <<<"$out"; then pass "c-icap-client OPTIONS: Methods REQMOD"; else fail "c-icap-client OPTIONS"; fi
out=$("${cicap[@]}" -s reqmod -req "http://upload.test/form" -f "$work/small.txt" -v 2>&1)
if grep -q "ICAP/1.0 204" <<<"$out"; then pass "c-icap-client REQMOD of a benign file: 204"; else fail "c-icap-client REQMOD benign"; head -20 <<<"$out"; fi
out=$("${cicap[@]}" -s respmod -resp "http://files.test/secret.docx" -f "$work/secret.docx" -v 2>&1)
if grep -q "HTTP/1.1 403 Forbidden" <<<"$out" && grep -q "Transfer refused" <<<"$out"; then pass "c-icap-client RESPMOD of the marked docx: block page"; else fail "c-icap-client RESPMOD blocked"; head -30 <<<"$out"; fi
out=$("${cicap[@]}" -s respmod -resp "http://files.test/large.txt" -f "$work/large.txt" -no204 -o "$work/echo.out" -v 2>&1)
if grep -q "ICAP/1.0 200" <<<"$out" && cmp -s "$work/echo.out" "$work/large.txt"; then pass "c-icap-client RESPMOD -no204 of a benign file: 200 with the body unchanged"; else fail "c-icap-client RESPMOD -no204 echo"; head -20 <<<"$out"; fi

# --- The HTTP API gives the CLI's verdicts for the same files ---
same=0
differ=0
for file in "$work/small.txt" "$work/large.txt" "$work/secret.docx" "$work/customers.zip" "$work/customers.csv" "$work/form.bin"; do
    cli=$("$binary" scan --format json "$file" | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["verdict"])')
    type=application/octet-stream
    api=$(curl -sS --max-time 60 -H 'Expect:' -H "Content-Type: $type" --data-binary @"$file" "http://127.0.0.1:$http_port/v1/scan?name=$(basename "$file")" \
        | python3 -c 'import json,sys; print(max((json.loads(l)["verdict"] for l in sys.stdin if l.strip()), key=["allow","review","block"].index))')
    echo "     $(basename "$file"): CLI $cli, API $api"
    if [ "$cli" = "$api" ]; then same=$((same + 1)); else differ=$((differ + 1)); fi
done
if [ "$differ" -eq 0 ]; then pass "the HTTP API gives the CLI's verdict for $same files"; else fail "$differ file(s) got another verdict from the HTTP API"; fi
api=$(curl -sS --max-time 60 -H 'Expect:' -F "file=@$work/secret.docx" -F "note=hello" "http://127.0.0.1:$http_port/v1/scan")
if grep -q '"path":"upload!part 1 (secret.docx)".*"verdict":"block"' <<<"$api" && grep -q '"path":"upload!part 2 (field note)".*"verdict":"allow"' <<<"$api"; then
    pass "the HTTP API scans each multipart part as its own file"
else
    fail "multipart through the HTTP API"; echo "$api" | head -c 600; echo
fi
status=$(curl -sS --max-time 20 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$http_port/healthz")
[ "$status" = 200 ] && pass "GET /healthz: 200" || fail "GET /healthz: $status"
metrics=$(curl -sS --max-time 20 "http://127.0.0.1:$http_port/metrics")
if grep -q '^exportguard_scans_total{verdict="block"} [1-9]' <<<"$metrics" && grep -q '^exportguard_decision_seconds_count [1-9]' <<<"$metrics"; then
    pass "GET /metrics counts the decisions"
else
    fail "GET /metrics"
fi

# --- The service log: one line per decision, no excerpts ---
decisions=$(grep -c " decision$" "$work/exportguard.log")
if [ "$decisions" -ge 10 ] && grep " decision$" "$work/exportguard.log" | grep "reference=EG-.*verdict=block" >/dev/null; then
    pass "the service logged $decisions decisions with reference and verdict"
else
    fail "decision log lines missing ($decisions)"; tail -5 "$work/exportguard.log"
fi
if grep -q "机密\|110101" "$work/exportguard.log"; then fail "the service log shows content"; else pass "the service log holds no excerpts"; fi

# --- SIGTERM drains and exits 0 ---
# After a stalled download Squid leaves its ICAP transaction open: the drain then waits its
# 30 s for it before closing what is left.
kill -TERM "$eg_pid"
status=124
for _ in $(seq 1 $(( ${stalled:-0} ? 450 : 100 ))); do
    if ! kill -0 "$eg_pid" 2>/dev/null; then wait "$eg_pid"; status=$?; break; fi
    sleep 0.1
done
if [ "$status" -eq 0 ]; then pass "SIGTERM: exportguard drained and exited 0"; else fail "SIGTERM: exit status $status"; fi
# With the service gone and bypass=off, Squid fails closed.
before=$(received)
status=$("${proxy[@]}" -o /dev/null -w '%{http_code}' -H "Content-Type: text/plain" --data-binary @"$work/small.txt" "$sink_url/upload")
if [ "$status" != 200 ] && [ "$(received)" -eq "$before" ]; then pass "with ExportGuard down Squid fails closed ($status)"; else fail "Squid passed an upload with the service down"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
