#!/usr/bin/env bash
# Whole-process speed of `exportguard scan` and `filter` against anchors (Hyperscan, zlib,
# libxml2) on the same bytes, interleaved in one command: see end-to-end.py and the README.
#
#   Benchmarks/end-to-end.sh [--runs N] [--size 64M] [--cases text,gz,xml,docx,xlsx,dir,filter]
#                            [--baseline OTHER_EXPORTGUARD] [--binary EXPORTGUARD]
#
# Needs cc, pkg-config, libxml2-dev, zlib1g-dev and libhyperscan-dev (run as root, it
# installs the missing ones with apt-get). Environment: SWIFT_BUILD_LOCK (default
# /tmp/swift-build.lock) serialises Swift builds.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [[ ! -f /usr/include/hs/hs.h ]]; then
    apt-get install -y -qq libhyperscan-dev >/dev/null \
        || { echo "end-to-end.sh: Hyperscan is missing: apt-get install libhyperscan-dev" >&2; exit 69; }
fi
exec python3 "$HERE/end-to-end.py" "$@"
