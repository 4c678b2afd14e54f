#!/usr/bin/env bash
# Load test of `exportguard serve`, on loopback only: decisions per second and p50/p99
# latency for 100 KiB and 10 MiB benign uploads, straight to the HTTP scan API and through
# Squid (ICAP REQMOD; uploads over 64 KiB are echoed back to Squid in a 200), with the
# server's peak RSS (VmHWM) after each run.
# Usage: Integration/load/run.sh PATH/TO/exportguard [SECONDS] [CONNECTIONS]
# Runs as root. Installs wrk, squid and python3 if missing. Every run is bounded by
# SECONDS (default 10) and wrk's own timeout; everything started is stopped on exit.
set -uo pipefail

binary=$(readlink -f "${1:?usage: run.sh PATH/TO/exportguard [SECONDS] [CONNECTIONS]}")
seconds=${2:-10}
connections=${3:-8}
here=$(cd "$(dirname "$0")" && pwd)
sink_script="$here/../squid/sink.py"
work=$(mktemp -d /tmp/exportguard-load.XXXXXX)
chmod 755 "$work"
pids=()

source "$here/../lib.sh"
install_missing wrk:wrk squid:squid python3:python3
trap stop_started EXIT

icap_port=$(spare_port)
http_port=$(spare_port)
sink_port=$(spare_port)
squid_port=$(spare_port)

"$binary" serve --icap "127.0.0.1:$icap_port" --http "127.0.0.1:$http_port" --log-level warning > "$work/exportguard.log" 2>&1 &
eg_pid=$!
pids+=("$eg_pid")
wait_port "$icap_port" && wait_port "$http_port" || { echo "exportguard did not start"; cat "$work/exportguard.log"; exit 1; }

mkdir -p "$work/sink"
python3 "$sink_script" "$sink_port" "$work/sink" discard > "$work/sink.log" 2>&1 &
pids+=($!)
wait_port "$sink_port" || { echo "sink did not start"; exit 1; }

squid_config "$squid_port" "$icap_port" "none"
squid -N -f "$work/squid/squid.conf" > "$work/squid/stdout.log" 2>&1 &
pids+=($!)
wait_port "$squid_port" || { echo "squid did not start"; cat "$work/squid/cache.log"; exit 1; }

# Benign text bodies (allow), so every request is scanned whole and passed.
python3 - "$work" <<'PY'
import os, random, sys
random.seed(11)
words = "the quarterly report shows revenue growth across regions and a new office in spring".split()
def write(path, size):
    with open(path, "w") as out:
        n = 0
        while n < size:
            line = " ".join(random.choice(words) for _ in range(12)) + "\n"
            out.write(line)
            n += len(line)
write(os.path.join(sys.argv[1], "100k.txt"), 100 * 1024)
write(os.path.join(sys.argv[1], "10m.txt"), 10 * 1024 * 1024)
PY

# wrk script: POST a file's bytes to a path (an absolute URL when talking to the proxy).
cat > "$work/post.lua" <<'LUA'
local file = os.getenv("BODY_FILE")
local target = os.getenv("TARGET_PATH")
local handle = io.open(file, "rb")
local body = handle:read("*a")
handle:close()
local statuses = {}
request = function()
    return wrk.format("POST", target, {["Content-Type"] = "text/plain"}, body)
end
response = function(status, headers, body)
    statuses[status] = (statuses[status] or 0) + 1
end
done = function(summary, latency, requests)
    io.write(string.format("RESULT requests=%d seconds=%.3f rps=%.2f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f errors=%d\n",
        summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
        latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
        summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout))
end
LUA

hwm() { awk '/VmHWM/ {print $2}' "/proc/$eg_pid/status"; }
rss() { awk '/VmRSS/ {print $2}' "/proc/$eg_pid/status"; }
echo "== exportguard pid $eg_pid, RSS at start $(( $(rss) / 1024 )) MiB; $seconds s per run, $connections connections"
printf '%-34s %10s %10s %10s %10s %8s %14s\n' "run" "requests" "dec/s" "p50 ms" "p99 ms" "errors" "peak RSS MiB"

run() {
    local label=$1 body=$2 url=$3 path=$4 conns=$5
    local out
    out=$(BODY_FILE="$body" TARGET_PATH="$path" timeout $((seconds + 60)) wrk -t 2 -c "$conns" -d "${seconds}s" --timeout 60s -s "$work/post.lua" "$url" 2>&1)
    local line
    line=$(grep '^RESULT' <<<"$out")
    if [ -z "$line" ]; then echo "$label: wrk failed"; echo "$out" | tail -5; return; fi
    local requests rps p50 p99 errors
    requests=$(sed -E 's/.*requests=([0-9]+).*/\1/' <<<"$line")
    rps=$(sed -E 's/.*rps=([0-9.]+).*/\1/' <<<"$line")
    p50=$(sed -E 's/.*p50_ms=([0-9.]+).*/\1/' <<<"$line")
    p99=$(sed -E 's/.*p99_ms=([0-9.]+).*/\1/' <<<"$line")
    errors=$(sed -E 's/.*errors=([0-9]+).*/\1/' <<<"$line")
    local non2xx
    non2xx=$(grep -o 'Non-2xx or 3xx responses: [0-9]*' <<<"$out" | grep -o '[0-9]*$')
    errors=$((errors + ${non2xx:-0}))
    printf '%-34s %10s %10s %10s %10s %8s %14s\n' "$label" "$requests" "$rps" "$p50" "$p99" "$errors" "$(( $(hwm) / 1024 ))"
}

api="http://127.0.0.1:$http_port"
proxy="http://127.0.0.1:$squid_port"
sink="http://127.0.0.1:$sink_port/upload"
run "HTTP API, 100 KiB" "$work/100k.txt" "$api" "/v1/scan" "$connections"
run "HTTP API, 10 MiB" "$work/10m.txt" "$api" "/v1/scan" "$connections"
run "Squid + ICAP, 100 KiB" "$work/100k.txt" "$proxy" "$sink" "$connections"
run "Squid + ICAP, 10 MiB" "$work/10m.txt" "$proxy" "$sink" "$connections"

echo "== server-side decisions by verdict:"
curl -s "$api/metrics" | grep -E '^exportguard_(scans_total|scanned_bytes_total|scan_failures_total|decision_seconds_(sum|count))'
echo "== peak RSS (VmHWM) of exportguard: $(( $(hwm) / 1024 )) MiB"
