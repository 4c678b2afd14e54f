#!/usr/bin/env bash
# Times two match-count binaries against each other, interleaved, in one command: the way to
# say how much a change to the matching core costs or gains on a shared, noisy machine.
#
#   Benchmarks/match-count-ab.sh OLD NEW [--runs 15] [--read] [--corpus FILE]
#
# OLD and NEW are match-count binaries (build one per checkout with
# `swift build --package-path Benchmarks -c release --product match-count`). For keywords-100
# and keywords-1000, plain and with detectors, each round runs OLD then NEW on core 0
# (taskset -c 0); the counts of both must agree. Prints the median and the best MB/s of each
# and their ratios (NEW / OLD). Without --read, the corpus is scanned from memory
# (match-count --in-memory); with it, read(2) + scan. The corpus defaults to
# Benchmarks/corpus/corpus-64M-seed1.txt (generate it with generate-corpus.py).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RUNS=15
MEMORY=--in-memory
CORPUS=$HERE/corpus/corpus-64M-seed1.txt
POSITIONAL=()
while [[ $# -gt 0 ]]; do
    case $1 in
        --runs) RUNS=$2; shift 2 ;;
        --read) MEMORY=; shift ;;
        --corpus) CORPUS=$2; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 64 ;;
        *) POSITIONAL+=("$1"); shift ;;
    esac
done
if [[ ${#POSITIONAL[@]} -ne 2 ]]; then
    echo "usage: match-count-ab.sh OLD NEW [--runs N] [--read] [--corpus FILE]" >&2
    exit 64
fi
OLD=${POSITIONAL[0]}
NEW=${POSITIONAL[1]}
for file in "$OLD" "$NEW" "$CORPUS" "$HERE/corpus/keywords-100.txt" "$HERE/corpus/keywords-1000.txt"; do
    [[ -e $file ]] || { echo "match-count-ab.sh: $file is missing" >&2; exit 66; }
done

run() {  # run BINARY KEYWORDS [--detectors]: prints "count detectors MBps"
    taskset -c 0 "$1" ${3:-} $MEMORY --patterns "$HERE/corpus/keywords-$2.txt" "$CORPUS" |
        sed -n 's/^count=\([0-9]*\) detectors=\([0-9]*\) .*MBps=\([0-9.]*\)$/\1 \2 \3/p'
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
best() { sort -n | tail -1; }

how="read + scan"; [[ -n $MEMORY ]] && how="in memory"
echo "corpus $(basename "$CORPUS"), $how, $RUNS interleaved rounds, MB/s"
printf '%-6s %-10s %10s %10s %7s   %10s %10s %7s\n' keys mode "old med" "new med" ratio "old best" "new best" ratio
for keys in 100 1000; do
    for mode in plain detectors; do
        flag=; [[ $mode == detectors ]] && flag=--detectors
        old=() new=()
        for _ in $(seq "$RUNS"); do
            read -r oc od os < <(run "$OLD" "$keys" $flag)
            read -r nc nd ns < <(run "$NEW" "$keys" $flag)
            if [[ $oc != "$nc" || $od != "$nd" ]]; then
                echo "match-count-ab.sh: counts differ ($keys $mode): old $oc/$od, new $nc/$nd" >&2
                exit 1
            fi
            old+=("$os") new+=("$ns")
        done
        om=$(printf '%s\n' "${old[@]}" | median) nm=$(printf '%s\n' "${new[@]}" | median)
        ob=$(printf '%s\n' "${old[@]}" | best) nb=$(printf '%s\n' "${new[@]}" | best)
        printf '%-6s %-10s %10s %10s %7.3f   %10s %10s %7.3f\n' "$keys" "$mode" "$om" "$nm" \
            "$(echo "$nm / $om" | bc -l)" "$ob" "$nb" "$(echo "$nb / $ob" | bc -l)"
    done
done
