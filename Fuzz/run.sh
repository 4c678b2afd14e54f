#!/usr/bin/env bash
# Builds ExportGuard's fuzz targets with libFuzzer and AddressSanitizer, and runs each.
#
#   Fuzz/run.sh SECONDS [TARGET...]     (targets: FuzzContent FuzzParsers FuzzMatcher; default all)
#
# Seeds come from Samples/ and from small files made here with the system's tools
# (zip, tar, gzip, ImageMagick, Python); the working corpus grows in Fuzz/corpus-work/
# and crashes land in Fuzz/artifacts/. Prints executions, coverage and corpus size per
# target; exits non-zero when a target crashed.
#
# Built in Fuzz/.build with -sanitize-coverage=…,inline-8bit-counters,pc-table (what
# libFuzzer reads) and libclang_rt.fuzzer_no_main: the targets are Swift executables whose
# entry points call LLVMFuzzerRunDriver. (`--sanitize=fuzzer` would link libFuzzer's main
# into the package's build tool too.)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
SECONDS_EACH=${1:?usage: Fuzz/run.sh SECONDS [TARGET...]}
shift
TARGETS=("$@")
[[ ${#TARGETS[@]} -gt 0 ]] || TARGETS=(FuzzContent FuzzParsers FuzzMatcher)

TOOLCHAIN=$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")
FUZZLIB=$(find "$TOOLCHAIN/lib/clang" -name 'libclang_rt.fuzzer_no_main-x86_64.a' 2>/dev/null | head -n 1)
[[ -n $FUZZLIB ]] || { echo "Fuzz/run.sh: libclang_rt.fuzzer_no_main not found under $TOOLCHAIN/lib/clang" >&2; exit 69; }

echo "== building fuzz targets (libFuzzer + AddressSanitizer)"
# SwiftPM's cached build plan does not see files added to the root package (a path
# dependency here): planning again is cheap, and the build itself stays incremental.
rm -f "$HERE/.build/debug.yaml"
build_log=$(mktemp)
if ! swift build --package-path "$HERE" --scratch-path "$HERE/.build" \
    -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp \
    -Xcc -fsanitize=address,fuzzer-no-link -Xlinker "$FUZZLIB" -Xlinker -lstdc++ >"$build_log" 2>&1; then
    grep -E "error" "$build_log" | sort -u | head -n 20 >&2
    echo "Fuzz/run.sh: the build failed" >&2
    rm -f "$build_log"
    exit 70
fi
grep -E "Build complete" "$build_log" || true
rm -f "$build_log"
BIN="$HERE/.build/debug"

seed_content() {  # seed_content DIR: small inputs of every kind the dispatcher reads
    local dir=$1 work
    work=$(mktemp -d)
    cp "$ROOT"/Samples/* "$dir"/ 2>/dev/null || true
    (
        cd "$work"
        printf '机密★10年\n内部资料 110101199003074514\n' > a.txt
        printf '<?xml version="1.0"?><w:document xmlns:w="urn:w"><w:p>国发〔2023〕5号</w:p></w:document>' > doc.xml
        printf 'From: a@b.c\nTo: d@e.f\nSubject: =?UTF-8?B?5py65a+G?=\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n5py65a+G4piFMTDlubQK\n--x--\n' > mail.eml
        zip -q a.zip a.txt doc.xml && tar -cf a.tar a.txt doc.xml && gzip -kc a.tar > a.tar.gz
        if command -v convert >/dev/null && convert -version >/dev/null 2>&1; then
            for format in png jpg gif bmp webp tiff; do convert -size 4x4 xc:white -set comment '机密' "a.$format" 2>/dev/null || true; done
        fi
        cp -- * "$dir"/ 2>/dev/null || true
    )
    rm -rf "$work"
}

seed_parsers() {  # seed_parsers DIR: a policy, an ICAP request and a multipart body, each behind its selector byte
    printf '\x00' > "$1/policy"; cat "$ROOT/Policies/example-firm.yaml" >> "$1/policy"
    printf '\x01REQMOD icap://127.0.0.1:1344/reqmod ICAP/1.0\r\nHost: 127.0.0.1\r\nEncapsulated: req-hdr=0, req-body=59\r\nPreview: 0\r\n\r\nPOST /up HTTP/1.1\r\nHost: example.com\r\nContent-Length: 5\r\n\r\n5\r\nhello\r\n0; ieof\r\n\r\n' > "$1/icap"
    printf '\x02--b0undary\r\nContent-Disposition: form-data; name="f"; filename*=UTF-8'"''"'%%E6%%9C%%BA.txt\r\n\r\n机密\r\n--b0undary--\r\n' > "$1/multipart"
}

seed_matcher() {  # seed_matcher DIR: patterns and text of a, b, c
    printf '\x03\x05\x02abc\x03bca\x02cab abcabcabcbcabca' > "$1/seed1"
    printf '\x01\x00\x04aaaa aaaaaaaaab' > "$1/seed2"
}

crashed=0
mkdir -p "$HERE/artifacts"
for target in "${TARGETS[@]}"; do
    corpus="$HERE/corpus-work/$target"
    if [[ ! -d $corpus ]]; then
        mkdir -p "$corpus"
        case $target in
            FuzzContent) seed_content "$corpus" ;;
            FuzzParsers) seed_parsers "$corpus" ;;
            FuzzMatcher) seed_matcher "$corpus" ;;
        esac
    fi
    log=$(mktemp)
    echo "== $target for ${SECONDS_EACH}s"
    status=0
    ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1 "$BIN/$target" "$corpus" \
        -max_total_time="$SECONDS_EACH" -max_len=65536 -timeout=20 -rss_limit_mb=3072 \
        -artifact_prefix="$HERE/artifacts/$target-" -print_final_stats=1 >"$log" 2>&1 || status=$?
    executions=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
    coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | grep -o '[0-9]*' || echo 0)
    files=$(find "$corpus" -type f | wc -l)
    echo "$target: $executions executions, $coverage coverage edges, corpus $files files"
    if [[ $status -ne 0 ]]; then
        crashed=1
        echo "$target: CRASHED (status $status); the input is in Fuzz/artifacts/. Last lines:" >&2
        grep -E "ERROR|Fatal error|==ERROR|SUMMARY|Test unit written" "$log" | head -n 20 >&2 || tail -n 30 "$log" >&2
    fi
    rm -f "$log"
done
exit $crashed
