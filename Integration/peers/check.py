#!/usr/bin/env python3
"""Checks `exportguard scan --format json` output over ../shared/peers against expectations.tsv.

Usage: check.py EXPECTATIONS JSONL PEERS_DIR [--write]

expectations.tsv: one line per file, tab-separated: path (relative to the peers folder),
what is expected, and why. Expected is `allow`, `review` or `block` (the verdict must be
that), `error` (a file its own project expects to fail: any verdict but allow), or `gap`
(such a file that ExportGuard still allows: a known gap, listed until it is closed). Every
file must be listed; a verdict that differs fails the check, an improvement included, so
each change is looked at and the file updated (`--write` rewrites it from this run, keeping
`error` and `gap` lines as such). Prints the valid files still reviewed and the gaps.
"""
import json
import sys

expectations_path, jsonl_path, peers = sys.argv[1], sys.argv[2], sys.argv[3].rstrip("/") + "/"
write = "--write" in sys.argv[4:]

expected = {}
with open(expectations_path, encoding="utf-8") as handle:
    for line in handle:
        if not line.strip() or line.startswith("#"):
            continue
        path, want, why = (line.rstrip("\n").split("\t") + ["", ""])[:3]
        expected[path] = (want, why)

results = {}
with open(jsonl_path, encoding="utf-8") as handle:
    for line in handle:
        if not line.startswith('{"path"'):
            continue
        row = json.loads(line)
        path = row["path"][len(peers):] if row["path"].startswith(peers) else row["path"]
        reasons = [f'{u.get("code")}: {u.get("reason", "")}' for u in row.get("uninspected", [])]
        why = reasons[0] if reasons else row.get("decision", "")
        results[path] = (row["verdict"], " ".join(why.split())[:160])

problems = []
for path in sorted(set(expected) | set(results)):
    if path not in results:
        problems.append(f"{path}: not scanned")
        continue
    verdict, why = results[path]
    if path not in expected:
        problems.append(f"{path}: not in the expectations ({verdict}: {why})")
        continue
    want = expected[path][0]
    if want == "error":
        if verdict == "allow":
            problems.append(f"{path}: its project expects an error, but it was allowed")
    elif want == "gap":
        if verdict != "allow":
            problems.append(f"{path}: a known gap is closed ({verdict}: {why}): mark it `error`")
    elif verdict != want:
        problems.append(f"{path}: expected {want}, got {verdict} ({why})")

valid_reviewed = sorted(p for p, (v, _) in results.items() if v != "allow" and expected.get(p, ("",))[0] not in ("error", "gap"))
errors = [p for p, (w, _) in expected.items() if w in ("error", "gap")]
gaps = sorted(p for p, (w, _) in expected.items() if w == "gap")
print(f"{len(results)} files: {sum(1 for v, _ in results.values() if v == 'allow')} allowed; "
      f"{len(errors)} expected to fail, {len(errors) - len(gaps)} of them flagged, {len(gaps)} allowed (known gaps); "
      f"{len(valid_reviewed)} valid files reviewed or blocked")
for path in valid_reviewed:
    print(f"  reviewed: {path} — {results[path][1]}")
for path in gaps:
    print(f"  gap: {path} — {expected[path][1]}")

if write:
    with open(expectations_path, "w", encoding="utf-8") as handle:
        handle.write("# path\texpected (allow, review, block, or error: any verdict but allow)\twhy\n")
        for path in sorted(results):
            old = expected.get(path)
            if old and old[0] in ("error", "gap"):
                kind = "gap" if results[path][0] == "allow" else "error"
                handle.write(f"{path}\t{kind}\t{old[1]}\n")
            else:
                verdict, why = results[path]
                handle.write(f"{path}\t{verdict}\t{why if verdict != 'allow' else ''}\n")
    print(f"wrote {expectations_path}")
    sys.exit(0)

for problem in problems:
    print("FAIL -", problem)
print("peers: " + ("passed" if not problems else f"{len(problems)} problems"))
sys.exit(1 if problems else 0)
