#!/usr/bin/env bash
# Runs exportguard over other projects' test files (../shared/peers from the project root:
# Go's archive/zip and archive/tar data, CPython's email, archive, CJK and XML data, real
# mails from mailgun/flanker, python-docx/pptx, XlsxWriter, odfpy and libxml2 inputs) and
# checks the outcome against Integration/peers/expectations.tsv: no crash, no timeout,
# every file its project expects to fail is flagged, every other verdict as recorded.
# Skips (exit 0) with a message when the peers folder is absent.
# Usage: Integration/peers/run.sh PATH/TO/exportguard [--write]
set -uo pipefail

binary=$(readlink -f "${1:?usage: run.sh PATH/TO/exportguard [--write]}")
here=$(cd "$(dirname "$0")" && pwd)
peers=$(readlink -f "$here/../../../shared/peers" 2>/dev/null || true)
if [[ -z $peers || ! -d $peers ]]; then
    echo "peers: skipped (no ../shared/peers beside the project)"
    exit 0
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# One process for the whole folder; 0, 1 and 2 are verdicts, anything else a crash.
timeout 900 "$binary" scan --format json "$peers" > "$out" 2>/dev/null
status=$?
if [[ $status -eq 124 ]]; then
    echo "FAIL - the scan of the peers folder timed out (900 s)"
    exit 1
fi
if [[ $status -gt 2 ]]; then
    echo "FAIL - exportguard exited with status $status over the peers folder; finding the file:"
    while IFS= read -r -d '' file; do
        timeout 60 "$binary" scan --format json "$file" > /dev/null 2>&1
        s=$?
        [[ $s -gt 2 ]] && echo "  $file: status $s"
    done < <(find "$peers" -type f -print0 | sort -z)
    exit 1
fi
python3 "$here/check.py" "$here/expectations.tsv" "$out" "$peers" "${@:2}"
