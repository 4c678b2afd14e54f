#!/usr/bin/env bash
# PDF text extraction against poppler's pdftotext, whole processes on the same files in
# one run: wall time (best of 3) and peak RSS (/usr/bin/time -v) of
#   exportguard text --plain FILE   (what a scan reads: pages, annotations, metadata)
#   pdftotext FILE -
# for a 200-page and a 2,000-page report (reportlab: STSong-Light CID text, an embedded
# TrueType CJK subset and Helvetica, compressed), and the same 2,000 pages in object
# streams (qpdf). Prints each ratio pdftotext time / exportguard time (above 1: faster).
# Usage: Benchmarks/pdf.sh      (inputs are generated once into Benchmarks/corpus/pdf/)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=Benchmarks/corpus/pdf
mkdir -p "$corpus"
bash Integration/pdf/install-deps.sh
command -v /usr/bin/time >/dev/null || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }

flock /tmp/swift-build.lock swift build -c release --product exportguard >/dev/null
binary=$(swift build -c release --show-bin-path)/exportguard

generate() { # PAGES FILE
    python3 - "$1" "$2" <<'PY'
import random, sys
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, PageBreak
random.seed(11)
pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
pdfmetrics.registerFont(TTFont("WQY", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", subfontIndex=0))
words = "数据 报告 项目 客户 季度 市场 产品 分析 会议 安排 计划 出境 评估".split()
latin = "technology market report quarterly revenue export review customer analysis".split()
styles = [ParagraphStyle("s", fontName="STSong-Light", fontSize=10.5, leading=15),
          ParagraphStyle("t", fontName="WQY", fontSize=10.5, leading=15),
          ParagraphStyle("h", fontName="Helvetica", fontSize=10.5, leading=14)]
pages, story = int(sys.argv[1]), []
for page in range(pages):
    for _ in range(9):
        style = random.choice(styles)
        pool = latin if style.name == "h" else words
        story.append(Paragraph(" ".join(random.choice(pool) for _ in range(random.randint(30, 60))), style))
    story.append(PageBreak())
SimpleDocTemplate(sys.argv[2], pagesize=A4, invariant=1).build(story)
PY
}
[ -f "$corpus/report-200.pdf" ] || generate 200 "$corpus/report-200.pdf"
[ -f "$corpus/report-2000.pdf" ] || generate 2000 "$corpus/report-2000.pdf"
[ -f "$corpus/report-2000-objstm.pdf" ] || qpdf --object-streams=generate "$corpus/report-2000.pdf" "$corpus/report-2000-objstm.pdf"
ls -l "$corpus"

best() { # COMMAND... → best wall seconds of 3, and peak RSS (KiB) of the last
    local best=999999 run
    for run in 1 2 3; do
        /usr/bin/time -v "$@" > /dev/null 2> "$corpus/time.txt"
        local s
        s=$(grep -E "Elapsed" "$corpus/time.txt" | awk '{print $NF}' | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
        best=$(python3 -c "print(min($best, $s))")
    done
    echo "$best $(grep -E 'Maximum resident' "$corpus/time.txt" | awk '{print $NF}')"
}
for input in report-200.pdf report-2000.pdf report-2000-objstm.pdf; do
    read -r ours ours_rss < <(best "$binary" text --plain "$corpus/$input")
    read -r poppler poppler_rss < <(best pdftotext -enc UTF-8 "$corpus/$input" -)
    chars=$("$binary" text --plain --only page= "$corpus/$input" | python3 -c 'import sys,re; print(len(re.sub(r"\s+", "", sys.stdin.read())))')
    echo "$input: exportguard ${ours} s, peak ${ours_rss} KiB; pdftotext ${poppler} s, peak ${poppler_rss} KiB;" \
        "pdftotext/exportguard = $(python3 -c "print(round($poppler / max($ours, 0.001), 2))"); ${chars} characters of page text"
done
