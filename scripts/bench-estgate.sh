#!/usr/bin/env bash
# Measures estgate against baselines taken in the same run and writes every figure to one
# results directory. Everything listens on 127.0.0.1 with ephemeral ports, and every server this
# script starts is stopped by PID when it exits.
#
# Sections, in order (select with SECTIONS):
#   speed       openssl speed for ECDSA P-256 and RSA-2048 sign and verify rates
#   throughput  enroll, poll (with HTTP Basic and with a client certificate) and cacerts against
#               estgate, and GET against openssl s_server -www right before and after them, at
#               each CONCURRENCY level, with a P-256 and an RSA-2048 server key
#   scaling     poll latency with 0, 10^4, 10^5 and 10^6 pending requests preloaded, then
#               the time of the common admin commands on the largest and on an unseeded database
#   idle        RSS of estgate serve holding IDLE_CONNECTIONS idle keep-alive TLS connections
#   soak        SOAK_SECONDS of mixed enroll, poll and cacerts load; RSS and open descriptors
#
# Usage: scripts/bench-estgate.sh [RESULTS-DIR]   (default .build/bench-results/<time>)
#
# Environment:
#   SECTIONS          sections to run (default "speed throughput scaling idle soak")
#   DURATION          seconds per throughput cell (default 4)
#   CONCURRENCY       concurrency levels of the throughput cells (default "1 8 64")
#   SPEED_SECONDS     seconds per openssl speed measurement (default 3)
#   SCALING_LEVELS    pending-request counts of the scaling section (default "0 10000 100000 1000000")
#   SCALING_DURATION  seconds per scaling measurement (default 5)
#   POLL_CONCURRENCY  concurrency of the scaling measurements (default 8)
#   IDLE_CONNECTIONS  connections of the idle section (default 1000)
#   SOAK_SECONDS      length of the soak (default 600)
#   QUIET_WAIT        seconds to wait for running Swift compilers before each section (default 600)
set -euo pipefail
cd "$(dirname "$0")/.."

sections="${SECTIONS:-speed throughput scaling idle soak}"
duration="${DURATION:-4}"
levels="${CONCURRENCY:-1 8 64}"
speed_seconds="${SPEED_SECONDS:-3}"
scaling_levels="${SCALING_LEVELS:-0 10000 100000 1000000}"
scaling_duration="${SCALING_DURATION:-5}"
poll_concurrency="${POLL_CONCURRENCY:-8}"
idle_connections="${IDLE_CONNECTIONS:-1000}"
soak_seconds="${SOAK_SECONDS:-600}"
quiet_wait="${QUIET_WAIT:-600}"
# Enroll runs make their CSRs before the clock starts, so their request cap is kept near what
# the gateway can do in DURATION (under 1,000 per second on two cores), and never above the
# 100,000 that estgate-bench accepts.
enroll_requests=$((1500 * duration))
if [ "$enroll_requests" -gt 100000 ]; then
    enroll_requests=100000
fi
results="${1:-.build/bench-results/$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$results"
results="$(cd "$results" && pwd)"

swift build -c release >&2
bin="$(swift build -c release --show-bin-path)"
estgate="$bin/estgate"
bench="$bin/estgate-bench"

workdir="$(mktemp -d)"
started_pids=()
cleanup() {
    for pid in "${started_pids[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$workdir"
}
trap cleanup EXIT

log() {
    echo "[$(date -u +%H:%M:%S)] $*" >&2
}

has_section() {
    [[ " $sections " == *" $1 "* ]]
}

# Waits (at most QUIET_WAIT seconds) while a Swift compiler runs, so measurements are taken on a
# quiet machine. A measurement taken anyway is noted in warnings.txt.
wait_for_quiet_machine() {
    local waited=0
    while pgrep -f swift-frontend >/dev/null; do
        if [ "$waited" -ge "$quiet_wait" ]; then
            log "a swift-frontend process is still running after $quiet_wait s; measuring anyway"
            echo "$(date -u +%H:%M:%S) swift-frontend running during a measurement" >>"$results/warnings.txt"
            return 0
        fi
        log "a swift-frontend process is running; waiting"
        sleep 5
        waited=$((waited + 5))
    done
}

# Starts estgate serve with the given options, records its PID in server_pid and its port in
# server_port, and waits at most 20 s for the line that announces the port.
server_pid=""
server_port=""
start_estgate() {
    local name="$1"
    shift
    "$estgate" serve --listen 127.0.0.1:0 --log-level warning "$@" \
        >"$workdir/$name.out" 2>>"$results/$name.server.log" &
    server_pid=$!
    started_pids+=("$server_pid")
    for _ in $(seq 1 200); do
        server_port="$(sed -n 's|^estgate is serving EST at https://localhost:\([0-9]*\)/.*|\1|p' "$workdir/$name.out" | head -n 1)"
        [ -n "$server_port" ] && return 0
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "estgate serve ($name) did not report its port; see $results/$name.server.log" >&2
    return 1
}

# Starts openssl s_server -www with a certificate, its issuing CA and key, and sets server_pid
# and server_port. The issuing CA goes out in the handshake, as estgate sends it, so clients
# receive and verify the same chain from both servers.
start_s_server() {
    local name="$1" certificate="$2" issuing_ca="$3" key="$4"
    openssl s_server -www -accept 127.0.0.1:0 -cert "$certificate" -cert_chain "$issuing_ca" -key "$key" \
        </dev/null >"$workdir/$name.out" 2>&1 &
    server_pid=$!
    started_pids+=("$server_pid")
    for _ in $(seq 1 100); do
        server_port="$(sed -n 's/^ACCEPT .*:\([0-9]*\)$/\1/p' "$workdir/$name.out" | head -n 1)"
        [ -n "$server_port" ] && return 0
        sleep 0.1
    done
    echo "openssl s_server ($name) did not start: $(cat "$workdir/$name.out")" >&2
    return 1
}

stop_server() {
    kill "$server_pid"
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
}

# Runs estgate-bench with --json and appends its result, tagged with the given fields, to
# results.jsonl. A run without a single successful response is recorded too.
measure() {
    local tags="$1"
    shift
    local output
    output="$("$bench" --json "$@" || true)"
    if [ -z "$output" ]; then
        output='{"failed_to_run": true}'
    fi
    python3 -c 'import json,sys; r=json.loads(sys.argv[2]); r.update(json.loads(sys.argv[1])); print(json.dumps(r, sort_keys=True))' \
        "$tags" "$output" >>"$results/results.jsonl"
    python3 -c 'import json,sys; r=json.loads(sys.argv[1]); t=json.loads(sys.argv[2]); name=("s_server GET (%s)" % t.get("turn")) if t.get("server") == "s_server" else ("%s, %s database (%s pending)" % (r.get("workload"), t["database"], t["pending"])) if "database" in t else (r.get("workload") or "?") + (" (client certificate)" if t.get("authentication") == "certificate" else ""); print("  %s c=%s: %.1f req/s, p50 %.2f ms, errors %s" % (name, r.get("concurrency"), r.get("requests_per_second", 0), r.get("latency_p50_ms") or 0, r.get("errors")))' \
        "$output" "$tags" >&2
}

password_of() {
    sed -n 's/^password=//p' "$1/demo-device.txt"
}

# Creates a gateway data directory ($1) on a first start, a config file ($1.json) adding the
# domain "open" without workflows and, for rsa2048, the RSA TLS certificate, and the device
# "bench" in that domain with password "$bench_password".
bench_password="estgate-bench-password"
prepare_gateway() {
    local data="$1" key="$2"
    start_estgate "prepare-$key" --data-dir "$data"
    stop_server

    local tls=""
    if [ "$key" = rsa2048 ]; then
        "$estgate" ca init --dir "$data-rsa" --key-type rsa2048 >/dev/null
        tls="\"tls\": {\"certificate\": \"$data-rsa/server.pem\", \"privateKey\": \"$data-rsa/server.key\"},"
    fi
    cat >"$data.json" <<EOF
{
  "dataDirectory": "$data",
  $tls
  "domains": [{"name": "open", "ca": "demo-issuing-ca", "authentication": "basic", "defaultProfile": "device"}]
}
EOF
    start_estgate "prepare-$key" --config "$data.json"
    stop_server
    printf '%s\n' "$bench_password" | "$estgate" devices add bench --domain open --password-stdin --data-dir "$data" >/dev/null
}

# Gets the demo device a certificate from the running gateway, for the poll cells that
# authenticate with it: enrolls with HTTP Basic, approves the request with the admin command and
# enrolls again. Writes $1/bench-device.pem and $1/bench-device.key.
device_certificate() {
    local data="$1" port="$2" ca_file="$3" password="$4"
    local url="https://localhost:$port/.well-known/est/simpleenroll"
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=demo-device \
        -keyout "$data/bench-device.key" -out "$data/bench-device.csr" 2>/dev/null
    openssl req -in "$data/bench-device.csr" -outform DER | base64 -w 0 >"$data/bench-device.b64"
    local request=(curl -sS --fail --max-time 10 --resolve "localhost:$port:127.0.0.1" --cacert "$ca_file"
        -u "demo-device:$password" -H "Content-Type: application/pkcs10" --data-binary "@$data/bench-device.b64" "$url")

    "${request[@]}" >/dev/null
    local id
    id="$("$estgate" requests list --data-dir "$data" --device demo-device --state AwaitingApproval --limit 1 --json |
        python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')"
    "$estgate" requests approve "$id" --data-dir "$data" >/dev/null
    "${request[@]}" | base64 -d | openssl pkcs7 -inform DER -print_certs >"$data/bench-device.pem"
}

record_machine() {
    {
        echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
        echo "nproc: $(nproc)"
        echo "cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
        echo "memory: $(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
        echo "kernel: $(uname -sr)"
        echo "openssl: $(openssl version)"
        echo "swift: $(swift --version 2>&1 | head -n 1)"
        echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
        echo "settings: SECTIONS=\"$sections\" DURATION=$duration CONCURRENCY=\"$levels\" SPEED_SECONDS=$speed_seconds SCALING_LEVELS=\"$scaling_levels\" SCALING_DURATION=$scaling_duration POLL_CONCURRENCY=$poll_concurrency IDLE_CONNECTIONS=$idle_connections SOAK_SECONDS=$soak_seconds QUIET_WAIT=$quiet_wait"
    } >"$results/machine.txt"
}

record_machine
wait_for_quiet_machine

if has_section speed; then
    log "openssl speed, $speed_seconds s per operation"
    openssl speed -mr -seconds "$speed_seconds" ecdsap256 rsa2048 >"$results/speed.txt" 2>/dev/null
fi

if has_section throughput; then
    for key in p256 rsa2048; do
        data="$workdir/gateway-$key"
        prepare_gateway "$data" "$key"
        ca_file="$data/ca-chain.pem"
        if [ "$key" = rsa2048 ]; then
            ca_file="$data-rsa/ca-chain.pem"
            certificate="$data-rsa/server.pem"
            issuing_ca="$data-rsa/issuing-ca.pem"
            private_key="$data-rsa/server.key"
        else
            certificate="$data/pki/server.pem"
            issuing_ca="$data/pki/issuing-ca.pem"
            private_key="$data/pki/server.key"
        fi
        demo_password="$(password_of "$data")"

        wait_for_quiet_machine
        # Both servers run side by side, and each level measures s_server right before and right
        # after estgate's cells: the report averages the two, so a host whose speed drifts
        # during the level moves baseline and estgate alike.
        start_s_server "s_server-$key" "$certificate" "$issuing_ca" "$private_key"
        s_server_pid="$server_pid"
        s_server_port="$server_port"
        start_estgate "estgate-$key" --config "$data.json"
        # One enrollment first checks the device's password with scrypt and caches it, as the
        # poll runs do. Otherwise every client of the first cell would pay for scrypt at once.
        "$bench" --target "127.0.0.1:$server_port" --server-name localhost --ca-file "$ca_file" --concurrency 1 \
            --requests 1 --workload enroll --label open --username bench --password="$bench_password" >/dev/null || true
        device_certificate "$data" "$server_port" "$ca_file" "$demo_password"
        device_tls=(--client-cert "$data/bench-device.pem" --client-key "$data/bench-device.key")
        for concurrency in $levels; do
            common=(--target "127.0.0.1:$server_port" --server-name localhost --ca-file "$ca_file"
                --concurrency "$concurrency" --server-pid "$server_pid")
            baseline=(--target "127.0.0.1:$s_server_port" --server-name localhost --ca-file "$ca_file"
                --concurrency "$concurrency" --server-pid "$s_server_pid" --duration "$duration" --requests 100000
                --workload get --path /)
            log "$key server key, concurrency $concurrency: s_server, estgate, s_server"
            measure "{\"section\":\"throughput\",\"server\":\"s_server\",\"key\":\"$key\",\"turn\":\"before\"}" "${baseline[@]}"
            measure "{\"section\":\"throughput\",\"server\":\"estgate\",\"key\":\"$key\"}" "${common[@]}" \
                --duration "$duration" --requests "$enroll_requests" --workload enroll --label open --username bench --password="$bench_password"
            # The first request of every device pays for scrypt and creates the pending requests.
            "$bench" "${common[@]}" --duration 1 --workload poll --username demo-device --password="$demo_password" >/dev/null || true
            measure "{\"section\":\"throughput\",\"server\":\"estgate\",\"key\":\"$key\"}" "${common[@]}" \
                --duration "$duration" --requests 100000 --workload poll --username demo-device --password="$demo_password"
            # The same device then authenticates with its certificate instead of its password.
            "$bench" "${common[@]}" --duration 1 --workload poll "${device_tls[@]}" >/dev/null || true
            measure "{\"section\":\"throughput\",\"server\":\"estgate\",\"key\":\"$key\",\"authentication\":\"certificate\"}" \
                "${common[@]}" --duration "$duration" --requests 100000 --workload poll "${device_tls[@]}"
            measure "{\"section\":\"throughput\",\"server\":\"estgate\",\"key\":\"$key\"}" "${common[@]}" \
                --duration "$duration" --requests 100000 --workload cacerts
            measure "{\"section\":\"throughput\",\"server\":\"s_server\",\"key\":\"$key\",\"turn\":\"after\"}" "${baseline[@]}"
        done
        stop_server
        server_pid="$s_server_pid"
        stop_server
    done
fi

if has_section scaling; then
    # The seeded gateway grows level by level. A second gateway that is never seeded is measured
    # right before and right after each seeded cell, so the ratios compare databases, not the
    # host's speed minutes apart.
    data="$workdir/gateway-scaling"
    reference_data="$workdir/gateway-scaling-empty"
    start_estgate prepare-scaling --data-dir "$data"
    stop_server
    start_estgate prepare-scaling-empty --data-dir "$reference_data"
    stop_server
    seeded=0
    for level in $scaling_levels; do
        if [ "$level" -gt "$seeded" ]; then
            log "seeding $((level - seeded)) pending requests (total $level)"
            "$bench" seed --data-dir "$data" --pending "$((level - seeded))" 2>/dev/null >>"$results/seed.txt"
            seeded="$level"
            # Seeding writes up to 2.3 GB. Measuring while the kernel still writes that back
            # would time the disk, not the lookup.
            sync
        fi
        if [ "$level" -eq "$(echo "$scaling_levels" | awk '{print $NF}')" ]; then
            sqlite3 "$data/estgate.sqlite" >"$results/query-plan.txt" <<'EOF'
EXPLAIN QUERY PLAN SELECT * FROM enrollment_requests
WHERE fingerprint = 'x' AND protocol = 'est' AND operation = 'simpleenroll' AND ca_id = 1 AND domain_id = 1
    AND COALESCE(device_id, -1) = 1 AND template = 'device' AND finalized = 0;
EXPLAIN QUERY PLAN SELECT * FROM workflow_instances WHERE enrollment_request_id = 'x' ORDER BY id;
SELECT 'pending requests: ' || COUNT(*) FROM enrollment_requests WHERE aggregated_state = 'AwaitingApproval';
EOF
            du -h "$data/estgate.sqlite" | awk '{print "database size: " $1}' >>"$results/query-plan.txt"
        fi

        wait_for_quiet_machine
        start_estgate "estgate-scaling-empty" --data-dir "$reference_data"
        reference_pid="$server_pid"
        reference=(--target "127.0.0.1:$server_port" --server-name localhost --ca-file "$reference_data/ca-chain.pem"
            --concurrency "$poll_concurrency" --server-pid "$reference_pid" --requests 100000 --workload poll
            --username demo-device --password="$(password_of "$reference_data")")
        start_estgate "estgate-scaling" --data-dir "$data"
        seeded_pid="$server_pid"
        common=(--target "127.0.0.1:$server_port" --server-name localhost --ca-file "$data/ca-chain.pem"
            --concurrency "$poll_concurrency" --server-pid "$seeded_pid" --requests 100000 --workload poll
            --username demo-device --password="$(password_of "$data")")
        # The first poll of each device pays for scrypt and opens the pending requests it re-sends.
        "$bench" "${reference[@]}" --duration 1 >/dev/null || true
        "$bench" "${common[@]}" --duration 1 >/dev/null || true
        for mode in new-connection keep-alive; do
            extra=()
            [ "$mode" = keep-alive ] && extra=(--keep-alive)
            log "poll with $level pending requests, $mode: empty database, seeded, empty database"
            measure "{\"section\":\"scaling\",\"pending\":$level,\"mode\":\"$mode\",\"database\":\"empty\",\"turn\":\"before\"}" \
                "${reference[@]}" "${extra[@]}" --duration "$scaling_duration"
            measure "{\"section\":\"scaling\",\"pending\":$level,\"mode\":\"$mode\",\"database\":\"seeded\"}" \
                "${common[@]}" "${extra[@]}" --duration "$scaling_duration"
            measure "{\"section\":\"scaling\",\"pending\":$level,\"mode\":\"$mode\",\"database\":\"empty\",\"turn\":\"after\"}" \
                "${reference[@]}" "${extra[@]}" --duration "$scaling_duration"
        done
        stop_server
        server_pid="$reference_pid"
        stop_server
    done

    # The admin commands read the database directly, so they run with both gateways stopped.
    log "admin commands: unseeded database, then $seeded pending requests"
    python3 scripts/bench-admin.py --estgate "$estgate" --data-dir "$reference_data" --pending 0 --database unseeded \
        >>"$results/results.jsonl"
    python3 scripts/bench-admin.py --estgate "$estgate" --data-dir "$data" --pending "$seeded" --database seeded \
        >>"$results/results.jsonl"
fi

if has_section idle; then
    data="$workdir/gateway-idle"
    start_estgate prepare-idle --data-dir "$data"
    stop_server
    wait_for_quiet_machine
    start_estgate estgate-idle --data-dir "$data"
    log "holding $idle_connections idle keep-alive connections"
    python3 scripts/bench-idle-connections.py --port "$server_port" --pid "$server_pid" \
        --ca-file "$data/ca-chain.pem" --connections "$idle_connections" --hold 8 >"$results/idle.json"
    stop_server
fi

if has_section soak; then
    data="$workdir/gateway-soak"
    prepare_gateway "$data" p256
    demo_password="$(password_of "$data")"
    wait_for_quiet_machine
    start_estgate estgate-soak --config "$data.json"
    soak_pid="$server_pid"
    log "soak for $soak_seconds s"
    python3 scripts/bench-soak.py --bench "$bench" --port "$server_port" --pid "$soak_pid" \
        --ca-file "$data/ca-chain.pem" --seconds "$soak_seconds" \
        --enroll-credentials "bench:$bench_password" --poll-credentials "demo-device:$demo_password" \
        >"$results/soak.json"
    stop_server
fi

python3 scripts/bench-report.py "$results" >"$results/report.md"
log "results in $results (report.md)"
