# Shared by the integration scripts (sourced): installing what is missing, spare loopback
# ports, and stopping every process a script started. Expects `work` (a temporary
# directory) and `pids` (an array) to be set by the script.

# install_missing COMMAND:PACKAGE... — apt-installs the packages whose command is missing.
install_missing() {
    local missing=() pair
    for pair in "$@"; do
        command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "== installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Stops the started processes (TERM, then KILL after 5 s) and removes the work directory.
stop_started() {
    local pid
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
    for pid in "${pids[@]}"; do
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null
    done
    rm -rf "$work"
}

spare_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# wait_port PORT — waits up to 10 s for something to listen on 127.0.0.1:PORT.
wait_port() {
    local port=$1
    for _ in $(seq 1 100); do
        if python3 -c "import socket,sys; s=socket.socket(); s.settimeout(0.2); sys.exit(s.connect_ex(('127.0.0.1',$port)))" 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    return 1
}

# squid_config SQUID_PORT ICAP_PORT ACCESS_LOG [respmod] — writes $work/squid/squid.conf (in a
# directory owned by proxy): Squid on loopback sending every request to ExportGuard over ICAP
# with bypass=off (fail closed), and downloads too when "respmod" is given.
squid_config() {
    local squid_port=$1 icap_port=$2 access_log=$3 respmod=${4:-}
    install -d -o proxy -g proxy "$work/squid"
    {
        cat <<CONF
http_port 127.0.0.1:$squid_port
visible_hostname exportguard-test
pid_filename $work/squid/squid.pid
cache_log $work/squid/cache.log
access_log $access_log
coredump_dir $work/squid
cache_effective_user proxy
cache deny all
cache_mem 8 MB
shutdown_lifetime 1 seconds
pinger_enable off
acl loopback src 127.0.0.1
http_access allow loopback
http_access deny all
icap_enable on
icap_preview_enable on
icap_service svc reqmod_precache bypass=off icap://127.0.0.1:$icap_port/reqmod
adaptation_access svc allow all
CONF
        if [ "$respmod" = respmod ]; then
            echo "icap_service svc_resp respmod_precache bypass=off icap://127.0.0.1:$icap_port/respmod"
            echo "adaptation_access svc_resp allow all"
        fi
    } > "$work/squid/squid.conf"
    chown proxy:proxy "$work/squid/squid.conf"
}
