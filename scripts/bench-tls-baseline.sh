#!/usr/bin/env bash
# Measures a baseline for estgate numbers: the rate at which a plain TLS server serves a GET with
# a new connection per request. Starts `openssl s_server -www` on 127.0.0.1 with an ECDSA P-256 key, then with an
# RSA-2048 key, and runs estgate-bench against it at concurrency 1, 8 and 64.
#
# Environment:
#   DURATION       seconds per run (default 3)
#   CONCURRENCY    space-separated levels (default "1 8 64")
#   ESTGATE_BENCH  estgate-bench binary to use (default: built here with -c release)
#   BENCH_ARGS     extra estgate-bench options, for example --json
set -euo pipefail
cd "$(dirname "$0")/.."

duration="${DURATION:-3}"
levels="${CONCURRENCY:-1 8 64}"

if [ -z "${ESTGATE_BENCH:-}" ]; then
    swift build -c release --product estgate-bench >&2
    ESTGATE_BENCH="$(swift build -c release --show-bin-path)/estgate-bench"
fi

workdir="$(mktemp -d)"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$workdir"
}
trap cleanup EXIT

# Prints the port s_server reports on its ACCEPT line, waiting at most 10 s.
wait_for_port() {
    local log="$1"
    for _ in $(seq 1 100); do
        if grep -q '^ACCEPT' "$log" 2>/dev/null; then
            sed -n 's/^ACCEPT .*:\([0-9]*\)$/\1/p' "$log" | head -n 1
            return 0
        fi
        sleep 0.1
    done
    echo "openssl s_server did not start: $(cat "$log")" >&2
    return 1
}

for key in p256 rsa2048; do
    case "$key" in
        p256) key_options=(-newkey ec -pkeyopt ec_paramgen_curve:P-256) ;;
        rsa2048) key_options=(-newkey rsa:2048) ;;
    esac
    openssl req -x509 "${key_options[@]}" -nodes -days 1 -subj "/CN=localhost" \
        -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
        -keyout "$workdir/$key.key" -out "$workdir/$key.pem" 2>/dev/null

    openssl s_server -www -accept 127.0.0.1:0 -cert "$workdir/$key.pem" -key "$workdir/$key.key" \
        </dev/null >"$workdir/$key.log" 2>&1 &
    server_pid=$!
    port="$(wait_for_port "$workdir/$key.log")"

    for concurrency in $levels; do
        echo "== openssl s_server -www, $key server key, concurrency $concurrency, new connection per request"
        # shellcheck disable=SC2086 # BENCH_ARGS is a list of options.
        "$ESTGATE_BENCH" --target "127.0.0.1:$port" --workload get --path / \
            --ca-file "$workdir/$key.pem" --concurrency "$concurrency" \
            --duration "$duration" --requests 100000 --server-pid "$server_pid" ${BENCH_ARGS:-} || true
        echo
    done

    kill "$server_pid"
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
done
