#!/usr/bin/env bash
# Builds ExportGuard's fuzz targets with libFuzzer and AddressSanitizer, and runs each.
#
#   Fuzz/run.sh SECONDS [TARGET...]     (targets: Fuzz/Sources/Fuzz*, all when none is named)
#
# Each target starts from its committed seeds (Fuzz/seeds/TARGET, made by make-seeds.sh)
# and its format's dictionary (Fuzz/dictionaries); the working corpus grows in
# Fuzz/corpus-work/ and crashes land in Fuzz/artifacts/. Prints executions, coverage and
# corpus size per target; exits non-zero when a target crashed or found a wrong answer.
# FUZZ_SEED=N fixes libFuzzer's random seed (CI does, so a run can be repeated).
# FUZZ_NO_BUILD=1 runs the targets as last built (a long run beside ongoing work).
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
if [[ ${#TARGETS[@]} -eq 0 ]]; then
    for source in "$HERE"/Sources/Fuzz*; do
        [[ $(basename "$source") == FuzzSupport ]] || TARGETS+=("$(basename "$source")")
    done
fi

TOOLCHAIN=$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")
FUZZLIB=$(find "$TOOLCHAIN/lib/clang" -name 'libclang_rt.fuzzer_no_main-x86_64.a' 2>/dev/null | head -n 1)
[[ -n $FUZZLIB ]] || { echo "Fuzz/run.sh: libclang_rt.fuzzer_no_main not found under $TOOLCHAIN/lib/clang" >&2; exit 69; }

BIN="$HERE/.build/release"
if [[ -n ${FUZZ_NO_BUILD:-} ]]; then
    echo "== fuzz targets as last built (FUZZ_NO_BUILD)"
else
    echo "== building fuzz targets (release, libFuzzer + AddressSanitizer)"
    # SwiftPM's cached build plan does not see files added to the root package (a path
    # dependency here): planning again is cheap, and the build itself stays incremental.
    rm -f "$HERE/.build/release.yaml"
    build_log=$(mktemp)
    # Release: 5 to 19 times the executions of a debug build; Swift's bounds and overflow
    # checks stay on (-O, not -Ounchecked), so every trap is still found.
    if ! swift build -c release --package-path "$HERE" --scratch-path "$HERE/.build" \
        -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp \
        -Xcc -fsanitize=address,fuzzer-no-link -Xlinker "$FUZZLIB" -Xlinker -lstdc++ >"$build_log" 2>&1; then
        grep -E "error" "$build_log" | sort -u | head -n 20 >&2
        echo "Fuzz/run.sh: the build failed" >&2
        rm -f "$build_log"
        exit 70
    fi
    grep -E "Build complete" "$build_log" || true
    rm -f "$build_log"
fi

dictionary() {  # dictionary TARGET: the dictionary file for a target's format, if any
    local name
    case $1 in
        FuzzZip) name=zip ;; FuzzArchives) name=archives ;; FuzzCompression) name=compression ;;
        FuzzMarkup) name=markup ;; FuzzMail | FuzzTransferEncodings) name=mail ;;
        FuzzICAP) name=icap ;; FuzzMultipart) name=multipart ;; FuzzPolicy) name=policy ;;
        FuzzPDF) name=pdf ;; FuzzContent) name=all ;;
        *) return 0 ;;
    esac
    if [[ $name == all ]]; then
        cat "$HERE"/dictionaries/{zip,archives,compression,markup,mail,media,pdf}.dict > "$HERE/corpus-work/content.dict"
        echo "-dict=$HERE/corpus-work/content.dict"
    else
        echo "-dict=$HERE/dictionaries/$name.dict"
    fi
}

crashed=0
mkdir -p "$HERE/artifacts"
for target in "${TARGETS[@]}"; do
    [[ -x $BIN/$target ]] || { echo "Fuzz/run.sh: no target $target" >&2; exit 64; }
    corpus="$HERE/corpus-work/$target"
    mkdir -p "$corpus"
    seeds=()
    [[ -d $HERE/seeds/$target ]] && seeds=("$HERE/seeds/$target")
    options=(-max_total_time="$SECONDS_EACH" -max_len=65536 -timeout=20 -rss_limit_mb=3072
        -artifact_prefix="$HERE/artifacts/$target-" -print_final_stats=1)
    [[ -n ${FUZZ_SEED:-} ]] && options+=(-seed="$FUZZ_SEED")
    dict=$(dictionary "$target")
    [[ -n $dict ]] && options+=("$dict")
    log=$(mktemp)
    echo "== $target for ${SECONDS_EACH}s"
    status=0
    SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1 "$BIN/$target" "${options[@]}" "$corpus" "${seeds[@]}" >"$log" 2>&1 || status=$?
    executions=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
    coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | grep -o '[0-9]*' || echo 0)
    files=$(find "$corpus" -type f | wc -l)
    echo "$target: $executions executions, $coverage coverage edges, corpus $files files"
    if [[ $status -ne 0 ]]; then
        crashed=1
        echo "$target: CRASHED (status $status); the input is in Fuzz/artifacts/. Last lines:" >&2
        grep -E "WRONG ANSWER|ERROR|Fatal error|SUMMARY|Test unit written" "$log" | head -n 20 >&2 || tail -n 30 "$log" >&2
    fi
    rm -f "$log"
done
exit $crashed
