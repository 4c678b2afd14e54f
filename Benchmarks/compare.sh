#!/usr/bin/env bash
# Compares ExportGuard's matching core with Hyperscan, ripgrep and GNU grep on one corpus.
#
#   Benchmarks/compare.sh [SIZE] [--keywords 100,1000] [--modes plain,detectors] [--runs 3] [--seed 1]
#
# SIZE is the corpus size (1M to 256M, default 64M); the corpus and keyword sets are
# generated into Benchmarks/corpus/ when missing. Builds match-count (release) and hs-count,
# then, for every keyword set and mode, on one core (taskset -c 0):
#
#   1. a counting pass that checks the counts that must agree, and
#   2. RUNS timed rounds, the tools interleaved within each round; the median is reported.
#
# Modes: "plain" is keywords only; "detectors" adds ExportGuard's identifier detectors and,
# for Hyperscan, regular expressions approximating them. ripgrep and grep have no detectors
# and run in plain mode only.
#
# Throughput is MB/s = bytes / 10^6 / seconds. ExportGuard and Hyperscan report their own
# scan time (match-count: read(2) + scan, streaming in 1 MiB chunks; match-count --in-memory
# ("exportguard-mem", EG-mem): the same 1 MiB chunks fed from the file already in memory;
# hs-count block mode: hs_scan over the file already in memory; hs-count --stream: read(2)
# + hs_scan_stream in 1 MiB chunks). "wall" columns time the whole process (startup,
# pattern compilation, reading), which is the only figure available for rg and grep.
#
# Environment: SWIFT_BUILD_LOCK (default /tmp/swift-build.lock) serialises Swift builds.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SIZE=64M
KEYWORD_SETS=100,1000
MODES=plain,detectors
RUNS=3
SEED=1
LOCK=${SWIFT_BUILD_LOCK:-/tmp/swift-build.lock}

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
    exit 64
}

while [[ $# -gt 0 ]]; do
    case $1 in
        --keywords) KEYWORD_SETS=$2; shift 2 ;;
        --modes) MODES=$2; shift 2 ;;
        --runs) RUNS=$2; shift 2 ;;
        --seed) SEED=$2; shift 2 ;;
        -h|--help) usage ;;
        -*) echo "compare.sh: unknown option $1" >&2; usage ;;
        *) SIZE=${1^^}; shift ;;
    esac
done

say() { printf '%s\n' "$*" >&2; }

# ---------------------------------------------------------------------------------------
# Tools

install_debian() {  # install_debian PACKAGE: only as root with apt-get, otherwise explain
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        say "installing $1 from Debian..."
        apt-get install -y -qq "$1" >/dev/null || { apt-get update -qq && apt-get install -y -qq "$1" >/dev/null; }
    else
        say "compare.sh: $1 is missing: apt-get install $1"
        return 1
    fi
}

[[ -f /usr/include/hs/hs.h ]] || install_debian libhyperscan-dev || exit 69
command -v rg >/dev/null || install_debian ripgrep || true
HAVE_RG=$(command -v rg >/dev/null && echo yes || echo no)
if command -v taskset >/dev/null; then PIN=(taskset -c 0); else PIN=(); say "note: taskset missing, not pinning to one core"; fi
with_lock() { if command -v flock >/dev/null; then flock "$LOCK" "$@"; else "$@"; fi; }

# ---------------------------------------------------------------------------------------
# Corpus

CORPUS_DIR=$HERE/corpus
CORPUS=$CORPUS_DIR/corpus-$SIZE-seed$SEED.txt
if [[ ! -f $CORPUS || ! -f $CORPUS_DIR/keywords-100.txt || ! -f $CORPUS_DIR/keywords-1000.txt ]]; then
    say "generating the $SIZE corpus..."
    python3 "$HERE/generate-corpus.py" --size "$SIZE" --seed "$SEED" --out "$CORPUS_DIR" >/dev/null
fi
[[ -f $CORPUS ]] || { say "compare.sh: $CORPUS was not generated (use sizes like 1M, 64M, 256M)"; exit 65; }
BYTES=$(stat -c %s "$CORPUS")

# ---------------------------------------------------------------------------------------
# Builds

say "building match-count (release)..."
with_lock swift build --package-path "$HERE" -c release --product match-count >&2
MATCH_COUNT=$(with_lock swift build --package-path "$HERE" -c release --show-bin-path)/match-count

OUT=$HERE/.build/compare
mkdir -p "$OUT"
say "building hs-count..."
cc -O2 -o "$OUT/hs-count" "$HERE/hyperscan/hs-count.c" $(pkg-config --cflags --libs libhs 2>/dev/null || echo -lhs)
HS_COUNT=$OUT/hs-count

# ---------------------------------------------------------------------------------------
# Helpers

field() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" | head -n1; }     # field NAME < output
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
mbps() { awk -v b="$BYTES" -v s="$1" 'BEGIN { printf "%.1f", b / 1e6 / s }'; }
now() { echo "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "n/a" }'; }

# run_tool TOOL MODE PATTERNS SORTED_PATTERNS: prints "internal_mbps wall_seconds count"
run_tool() {
    local tool=$1 mode=$2 patterns=$3 sorted=$4 flag=() start end output
    [[ $mode == detectors ]] && flag=(--detectors)
    start=$(now)
    case $tool in
        exportguard) output=$("${PIN[@]}" "$MATCH_COUNT" "${flag[@]}" --patterns "$patterns" "$CORPUS") ;;
        exportguard-mem) output=$("${PIN[@]}" "$MATCH_COUNT" "${flag[@]}" --in-memory --patterns "$patterns" "$CORPUS") ;;
        hyperscan) output=$("${PIN[@]}" "$HS_COUNT" "${flag[@]}" --patterns "$patterns" "$CORPUS") ;;
        hyperscan-stream) output=$("${PIN[@]}" "$HS_COUNT" "${flag[@]}" --stream 1M --patterns "$patterns" "$CORPUS") ;;
        ripgrep) output="count=$("${PIN[@]}" rg -F -i -o --no-filename -f "$sorted" "$CORPUS" | wc -l)" ;;
        grep) output="count=$(LC_ALL=C "${PIN[@]}" grep -F -i -o -f "$patterns" "$CORPUS" | wc -l)" ;;
    esac
    end=$(now)
    local internal
    internal=$(field MBps <<<"$output")
    echo "${internal:--} $(elapsed "$start" "$end") $(field count <<<"$output")"
}

# ---------------------------------------------------------------------------------------
# Runs

SUMMARY=()
FAILED=0
say ""
say "corpus: $CORPUS ($BYTES bytes); $RUNS timed rounds, median; pinned: ${PIN[*]:-no}"
[[ -r /proc/loadavg ]] && say "load average before the runs: $(cut -d' ' -f1-3 /proc/loadavg) (another build on the machine skews the figures)"
[[ -f $CORPUS_DIR/manifest-$SIZE-seed$SEED.txt ]] && say "$(grep -E '^(chinese words|keywords planted)' "$CORPUS_DIR/manifest-$SIZE-seed$SEED.txt")"

IFS=, read -ra KEYWORD_LIST <<<"$KEYWORD_SETS"
IFS=, read -ra MODE_LIST <<<"$MODES"
for k in "${KEYWORD_LIST[@]}"; do
    PATTERNS=$CORPUS_DIR/keywords-$k.txt
    [[ -f $PATTERNS ]] || { say "compare.sh: no $PATTERNS"; exit 65; }
    # ripgrep's multi-literal search is leftmost-first in pattern order; longest first makes
    # it leftmost-longest, as grep -o is, so their counts are comparable.
    SORTED=$OUT/keywords-$k.longest-first.txt
    awk '{ print length($0) "\t" $0 }' "$PATTERNS" | LC_ALL=C sort -s -t $'\t' -k1,1nr | cut -f2- >"$SORTED"

    for mode in "${MODE_LIST[@]}"; do
        TOOLS=(exportguard exportguard-mem hyperscan hyperscan-stream)
        if [[ $mode == plain ]]; then
            TOOLS+=(grep)
            [[ $HAVE_RG == yes ]] && TOOLS+=(ripgrep)
        fi
        flag=()
        [[ $mode == detectors ]] && flag=(--detectors)

        say ""
        say "== $k keywords, $mode"
        # Counting pass.
        eg=$("${PIN[@]}" "$MATCH_COUNT" --verbose "${flag[@]}" --patterns "$PATTERNS" "$CORPUS")
        hs=$("${PIN[@]}" "$HS_COUNT" --verbose "${flag[@]}" --patterns "$PATTERNS" "$CORPUS")
        hss=$("${PIN[@]}" "$HS_COUNT" "${flag[@]}" --stream 1M --patterns "$PATTERNS" "$CORPUS")
        eg_count=$(field count <<<"$eg"); eg_ll=$(field leftmostLongest <<<"$eg"); eg_det=$(field detectors <<<"$eg")
        hs_count=$(field count <<<"$hs"); hs_det=$(field detectors <<<"$hs"); hss_count=$(field count <<<"$hss")
        say "counts (every match, overlapping included; must agree exactly):"
        say "  exportguard=$eg_count hyperscan=$hs_count hyperscan-stream=$hss_count"
        agree=yes
        [[ $eg_count == "$hs_count" && $eg_count == "$hss_count" ]] || agree=NO
        if [[ $mode == plain ]]; then
            gr=$(LC_ALL=C grep -F -i -o -f "$PATTERNS" "$CORPUS" | wc -l)
            line="  exportguard-leftmost-longest=$eg_ll grep=$gr"
            lagree=yes
            [[ $eg_ll == "$gr" ]] || lagree=NO
            if [[ $HAVE_RG == yes ]]; then
                rgc=$(rg -F -i -o --no-filename -f "$SORTED" "$CORPUS" | wc -l)
                line+=" ripgrep=$rgc"
                [[ $eg_ll == "$rgc" ]] || lagree=NO
            fi
            say "counts (non-overlapping, leftmost-longest, as grep -o prints them; must agree):"
            say "$line"
            say "  -> overlapping matches only ExportGuard and Hyperscan report: $((eg_count - eg_ll))"
            [[ $lagree == yes ]] || agree=NO
        else
            say "detector matches (not comparable: ExportGuard validates, the Hyperscan regexes only match shapes):"
            say "  exportguard=$eg_det ($(field detectorKinds <<<"$eg" | tail -n1))"
            say "  hyperscan=$hs_det ($(field detectorKinds <<<"$hs"))"
        fi
        say "  counts agree: $agree"
        [[ $agree == yes ]] || FAILED=1

        # Timed rounds, interleaved.
        declare -A INTERNAL=() WALL=()
        for ((r = 1; r <= RUNS; r++)); do
            for tool in "${TOOLS[@]}"; do
                read -r internal wall _ < <(run_tool "$tool" "$mode" "$PATTERNS" "$SORTED")
                [[ $internal == - ]] || INTERNAL[$tool]+="$internal "
                WALL[$tool]+="$wall "
            done
        done
        printf '  %-18s %14s %12s   %s\n' tool "MB/s (scan)" "MB/s (wall)" "runs (scan MB/s | wall s)" >&2
        declare -A MED=()
        for tool in "${TOOLS[@]}"; do
            wall_median=$(tr ' ' '\n' <<<"${WALL[$tool]}" | grep . | median)
            internal_median=-
            if [[ -n ${INTERNAL[$tool]:-} ]]; then
                internal_median=$(tr ' ' '\n' <<<"${INTERNAL[$tool]}" | grep . | median)
            fi
            MED[$tool]=$internal_median
            MED[$tool-wall]=$(mbps "$wall_median")
            printf '  %-18s %14s %12s   %s| %s\n' "$tool" "$internal_median" "${MED[$tool-wall]}" "${INTERNAL[$tool]:-}" "${WALL[$tool]}" >&2
        done
        r_block=$(ratio "${MED[exportguard]}" "${MED[hyperscan]}")
        r_stream=$(ratio "${MED[exportguard]}" "${MED[hyperscan-stream]}")
        r_mem=$(ratio "${MED[exportguard-mem]}" "${MED[hyperscan]}")
        say "  ratio exportguard/hyperscan (scan MB/s, this run): block $r_block, stream $r_stream; in memory/block $r_mem"
        SUMMARY+=("$(printf '%-6s %-10s %10s %10s %10s %10s %8s %8s %8s %8s %9s   %s' "$k" "$mode" "${MED[exportguard]}" "${MED[exportguard-mem]}" \
            "${MED[hyperscan]}" "${MED[hyperscan-stream]}" "${MED[ripgrep-wall]:--}" "${MED[grep-wall]:--}" "$r_block" "$r_stream" "$r_mem" "$agree")")
        unset INTERNAL WALL MED
    done
done

echo ""
echo "Summary: $SIZE corpus ($BYTES bytes), median of $RUNS, one core. MB/s = 10^6 bytes/s."
echo "EG = ExportGuard match-count (read + scan), EG-mem = the same from memory, HS = Hyperscan block,"
echo "HS-str = Hyperscan streaming (scan MB/s); rg, grep = whole-process MB/s (plain mode only)."
echo "Ratios: EG / HS, EG / HS-str, EG-mem / HS."
printf '%-6s %-10s %10s %10s %10s %10s %8s %8s %8s %8s %9s   %s\n' keys mode EG EG-mem HS HS-str rg grep EG/HS EG/HSstr EGmem/HS "counts agree"
printf '%s\n' "${SUMMARY[@]}"
exit $FAILED
