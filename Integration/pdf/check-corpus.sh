#!/usr/bin/env bash
# Checks a corpus made by make-corpus.sh against poppler: every `readable` file's markers
# appear in `pdftotext` output (whitespace removed), every `encrypted` file fails in
# pdftotext without a password and opens with its password. With --fonts, also prints
# each file's pdffonts table (type, encoding, embedded, ToUnicode).
# Usage: Integration/pdf/check-corpus.sh CORPUSDIR [--fonts]
set -euo pipefail
corpus=${1:?usage: check-corpus.sh CORPUSDIR [--fonts]}
fonts=${2:-}
command -v pdftotext >/dev/null || { echo "check-corpus.sh: pdftotext missing (poppler-utils)" >&2; exit 2; }

python3 - "$corpus" "$fonts" <<'PY'
import csv, re, subprocess, sys
from pathlib import Path

corpus, fonts = Path(sys.argv[1]), sys.argv[2] == "--fonts"
PASSWORDS = ["s3cret", "user-secret"]  # the user passwords make-corpus.sh sets
strip = lambda s: re.sub(r"[\s\u3000\u00a0]+", "", s)
failed = 0
rows = list(csv.DictReader(open(corpus / "MANIFEST.tsv", encoding="utf-8"), delimiter="\t"))
for row in rows:
    f = corpus / row["file"]
    run = subprocess.run(["pdftotext", "-enc", "UTF-8", str(f), "-"], capture_output=True)
    text = strip(run.stdout.decode("utf-8", "replace"))
    problems = []
    if row["expected"] == "readable":
        if run.returncode:
            problems.append(f"pdftotext exit {run.returncode}: {run.stderr.decode().strip()[:120]}")
        problems += [f"missing marker {m!r}" for m in row["markers"].split("|") if m and strip(m) not in text]
    else:
        if run.returncode == 0:
            problems.append("pdftotext read it without a password")
        if not any(subprocess.run(["pdftotext", "-upw", pw, str(f), "/dev/null"], capture_output=True).returncode == 0
                   for pw in PASSWORDS):
            problems.append("does not open with its password either")
    failed += bool(problems)
    print(f"{'ok  ' if not problems else 'FAIL'} {row['expected']:9} {row['file']}" + "".join(f"\n     {p}" for p in problems))
    if fonts:
        args = ["pdffonts"] + (["-upw", "user-secret"] if "user-secret" in row["tests"] else
                               ["-upw", "s3cret"] if "s3cret" in row["tests"] else []) + [str(f)]
        table = subprocess.run(args, capture_output=True, text=True).stdout.splitlines()[2:]
        for line in table:
            print("       " + line)
print(f"{len(rows) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
