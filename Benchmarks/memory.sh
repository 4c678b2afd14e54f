#!/usr/bin/env bash
# Shows that inspection stays flat in memory as inputs grow: peak RSS (from /usr/bin/time -v)
# for 1 GiB-expanding .gz, .xz, .zst and solid .7z files and a zip inside a zip expanding to
# 4,000,000,000 bytes. For the compressors it also times the reference tool decompressing
# the same file to /dev/null (gzip -dc, xz -dc, zstd -dc, 7z x -so) in the same run, and
# prints scan time / tool time: the scan decompresses and also matches every byte.
# Usage: Benchmarks/memory.sh            (inputs are generated once into Benchmarks/corpus/)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=Benchmarks/corpus/memory
mkdir -p "$corpus"
command -v /usr/bin/time >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }
command -v zip >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq zip >/dev/null; }

flock /tmp/swift-build.lock swift build -c release --product exportguard >/dev/null
binary=$(swift build -c release --show-bin-path)/exportguard

# Text from a seeded pool of lines: compressible like real documents, never one repeated block.
generate() { # BYTES
    python3 - "$1" <<'PY'
import random, sys
random.seed(7)
words = "数据 报告 项目 客户 季度 市场 产品 分析 会议 安排 计划 technology market report quarterly revenue".split()
pool = [" ".join(random.choice(words) for _ in range(random.randint(6, 20))) + " %d\n" % i for i in range(5000)]
target = int(sys.argv[1]); written = 0
out = sys.stdout.buffer
while written < target:
    block = "".join(random.choice(pool) for _ in range(2000)).encode()
    block = block[: target - written]
    out.write(block); written += len(block)
PY
}

if [ ! -f "$corpus/text-1g.gz" ]; then
    echo "== generating a 1 GiB text as gzip"
    generate $((1 << 30)) | gzip -1 > "$corpus/text-1g.gz"
fi
if [ ! -f "$corpus/text-1g.xz" ]; then
    echo "== the same text as xz, zstd and a solid 7z of four files"
    gzip -dc "$corpus/text-1g.gz" | xz -1 -T1 > "$corpus/text-1g.xz"
    gzip -dc "$corpus/text-1g.gz" | zstd -q -3 > "$corpus/text-1g.zst"
    rm -rf "$corpus/parts" && mkdir -p "$corpus/parts"
    gzip -dc "$corpus/text-1g.gz" | split -b 268435456 - "$corpus/parts/part-"
    (cd "$corpus/parts" && 7z a -bd -y -bso0 -mx=1 -ms=on -mmt=1 ../text-1g.7z ./part-*)
    rm -rf "$corpus/parts"
fi
if [ ! -f "$corpus/nested-4g.zip" ]; then
    echo "== generating a zip in a zip that expands to 4,000,000,000 bytes"
    rm -f "$corpus/inner.zip"
    generate 4000000000 | zip -q -1 "$corpus/inner.zip" -
    (cd "$corpus" && zip -q -0 nested-4g.zip inner.zip && rm inner.zip)
fi
ls -l "$corpus"

seconds() { # "Elapsed (wall clock) time (h:mm:ss or m:ss): 0:12.34" → 12.34
    grep -E "Elapsed" "$1" | awk '{print $NF}' | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }'
}
for input in text-1g.gz text-1g.xz text-1g.zst text-1g.7z nested-4g.zip; do
    echo "== $input"
    /usr/bin/time -v "$binary" scan --format json "$corpus/$input" 2> "$corpus/time.txt" \
        | python3 -c 'import json,sys; d=json.loads(sys.stdin.read()); print("verdict", d["verdict"], "decodedBytes", d["stats"]["decodedBytes"], "uninspected", len(d["uninspected"]))' || true
    grep -E "Maximum resident set size|Elapsed" "$corpus/time.txt"
    case $input in
        *.gz) tool=(gzip -dc) ;; *.xz) tool=(xz -dc) ;; *.zst) tool=(zstd -dc) ;; *.7z) tool=(7z x -so -mmt=1) ;; *) continue ;;
    esac
    /usr/bin/time -v "${tool[@]}" "$corpus/$input" 2> "$corpus/tool.txt" > /dev/null
    scan=$(seconds "$corpus/time.txt"); reference=$(seconds "$corpus/tool.txt")
    echo "${tool[*]}: ${reference} s, peak $(grep -E 'Maximum resident' "$corpus/tool.txt" | awk '{print $NF}') KiB; scan / ${tool[0]} = $(python3 -c "print(round($scan / $reference, 2))")"
done
