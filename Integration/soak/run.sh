#!/usr/bin/env bash
# Soak test of `exportguard serve` on loopback: 100 concurrent clients for SECONDS mixing
# benign and blocked uploads over HTTP and ICAP, slow clients, disconnects mid-body, bodies
# over the limit and malformed requests (soak.py says what each checks). Passes when every
# answer was right, /healthz answered throughout, VmRSS and open descriptors stayed flat
# within 10 % after warm-up, and the server is still running.
# Usage: Integration/soak/run.sh PATH/TO/exportguard SECONDS [CLIENTS]
set -uo pipefail

binary=$(readlink -f "${1:?usage: run.sh PATH/TO/exportguard SECONDS [CLIENTS]}")
seconds=${2:?usage: run.sh PATH/TO/exportguard SECONDS [CLIENTS]}
clients=${3:-100}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/exportguard-soak.XXXXXX)
pids=()

source "$here/../lib.sh"
install_missing python3:python3
trap stop_started EXIT

icap_port=$(spare_port)
http_port=$(spare_port)
max_body=$((8 * 1024 * 1024))
"$binary" serve --icap "127.0.0.1:$icap_port" --http "127.0.0.1:$http_port" --max-body "$max_body" \
    --max-connections 400 --max-queued $((clients * 2)) --log-level warning > "$work/exportguard.log" 2>&1 &
eg_pid=$!
pids+=("$eg_pid")
wait_port "$icap_port" && wait_port "$http_port" || { echo "exportguard did not start"; cat "$work/exportguard.log"; exit 1; }

python3 "$here/soak.py" "$seconds" "$http_port" "$icap_port" "$eg_pid" "$max_body" "$clients"
status=$?
if ! kill -0 "$eg_pid" 2>/dev/null; then
    echo "exportguard exited during the soak; its log ends:"
    tail -n 20 "$work/exportguard.log"
    status=1
fi
exit $status
