#!/usr/bin/env bash
# Compares ExportGuard's PDF text extraction with poppler's pdftotext on every readable PDF
# of a corpus (make-corpus.sh). Texts are compared with ALL whitespace removed (spaces, tabs,
# newlines, form feeds, U+3000, NBSP, ...), since line breaking and spacing legitimately
# differ between extractors; what must match is the characters and their order.
# Prints agree / DISAGREE per file (with similarity ratio and the first difference), then
# "N of M agree"; exits 1 when fewer than THRESHOLD percent agree, 2 on usage errors.
# Usage: Integration/pdf/compare.sh PATH/TO/exportguard CORPUSDIR
set -euo pipefail

# How our extractor is run: "$BIN" $EXTRACT_ARGS FILE must print the PDF's text on stdout.
EXTRACT_ARGS=${EXTRACT_ARGS:-text --plain --only page=}
# Minimum percentage of readable files that must agree for exit status 0.
THRESHOLD=${THRESHOLD:-90}
# Seconds one extraction may take before it counts as a disagreement.
TIMEOUT=${TIMEOUT:-60}
# Extra pdftotext options for the reference text: empty = its default reading order (it
# reorders table cells column-wise); -raw = content-stream order; -layout = physical layout.
PDFTOTEXT_ARGS=${PDFTOTEXT_ARGS:-}
# exact: same characters in the same order. chars: same characters in any order also agree.
MATCH=${MATCH:-exact}

bin=${1:?usage: compare.sh PATH/TO/exportguard CORPUSDIR}
corpus=${2:?usage: compare.sh PATH/TO/exportguard CORPUSDIR}
[ -x "$bin" ] || { echo "compare.sh: $bin is not executable" >&2; exit 2; }
[ -d "$corpus" ] || { echo "compare.sh: no directory $corpus" >&2; exit 2; }
command -v pdftotext >/dev/null || { echo "compare.sh: pdftotext missing (apt-get install poppler-utils)" >&2; exit 2; }

case "$MATCH" in exact|chars) ;; *) echo "compare.sh: MATCH must be exact or chars" >&2; exit 2 ;; esac

exec python3 - "$bin" "$corpus" "$EXTRACT_ARGS" "$THRESHOLD" "$TIMEOUT" "$PDFTOTEXT_ARGS" "$MATCH" <<'PY'
import csv, difflib, re, subprocess, sys, unicodedata
from collections import Counter
from pathlib import Path

bin_, corpus, extract_args = sys.argv[1], Path(sys.argv[2]), sys.argv[3].split()
threshold, timeout, ref_args, match = float(sys.argv[4]), float(sys.argv[5]), sys.argv[6].split(), sys.argv[7]

# str.split()/\s in Python covers all Unicode whitespace, incl. U+3000, U+00A0, \f, \v.
def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)

def run(cmd):
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=timeout)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        return None, "", f"timed out after {timeout:g} s"

def first_difference(a: str, b: str, width: int = 25) -> str:
    i = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    start = max(0, i - width)
    return (f"first difference at char {i} (pdftotext {len(a)} chars, ours {len(b)}):\n"
            f"      pdftotext: …{a[start:i + width]!r}\n      ours:      …{b[start:i + width]!r}")

# Which files to compare: the manifest's `readable` rows, or every *.pdf pdftotext can read.
manifest = corpus / "MANIFEST.tsv"
if manifest.exists():
    rows = list(csv.DictReader(open(manifest, encoding="utf-8"), delimiter="\t"))
    readable = [r["file"] for r in rows if r["expected"] == "readable"]
    encrypted = [r["file"] for r in rows if r["expected"] == "encrypted"]
else:
    readable = sorted(p.name for p in corpus.glob("*.pdf"))
    encrypted = []

agree = 0
compared = 0
for name in readable:
    path = str(corpus / name)
    rc, ref, err = run(["pdftotext", *ref_args, "-enc", "UTF-8", path, "-"])
    if rc != 0:
        print(f"skip      {name}: pdftotext failed ({err.strip()[:100]})")
        continue
    compared += 1
    rc, ours, err = run([bin_, *extract_args, path])
    a, b = squeeze(ref), squeeze(ours)
    same_chars = Counter(a) == Counter(b)
    if rc == 0 and (a == b or (match == "chars" and same_chars)):
        agree += 1
        print(f"agree     {name}" + ("" if a == b else " [same characters, different order]"))
        continue
    ratio = difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
    hints = " (exit %s: %s)" % (rc, err.strip().splitlines()[-1][:100] if err.strip() else "") if rc != 0 else ""
    if rc == 0 and same_chars:
        hints += " [same characters, different order]"
    elif rc == 0 and unicodedata.normalize("NFKC", a) == unicodedata.normalize("NFKC", b):
        hints += " [equal after NFKC]"
    print(f"DISAGREE  {name}: similarity {ratio:.3f}{hints}\n      " + first_difference(a, b))

# Files that need a password must be reported as encrypted, with no text read.
refused = 0
for name in encrypted:
    rc, ours, err = run([bin_, *extract_args, str(corpus / name)])
    ok = rc == 0 and not squeeze(ours) and "not inspected: encrypted" in err
    refused += ok
    print(f"{'encrypted' if ok else 'LEAKED   '} {name}: exit {rc}, {len(squeeze(ours))} chars printed, "
          f"{'reported encrypted' if 'not inspected: encrypted' in err else 'NOT reported encrypted'}")

share = 100.0 * agree / compared if compared else 0.0
print(f"{agree} of {compared} agree ({share:.1f}%, threshold {threshold:g}%, match {match}, "
      f"pdftotext {' '.join(ref_args) or 'default order'})")
print(f"{refused} of {len(encrypted)} password-protected files reported encrypted")
sys.exit(0 if compared and share >= threshold and refused == len(encrypted) else 1)
PY
