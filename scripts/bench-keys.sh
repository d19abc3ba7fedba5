#!/usr/bin/env bash
# Customer key verification benchmarks (issue 13). Prints figures, each with its reference measured in the same
# run, and asserts nothing. Usage: bench-keys.sh BIN_DIR (a release build holding rotor and rotor-bench).
#
# in-process: verification from the in-memory index on one core vs HMAC-SHA256 (rotor-bench verify).
# HTTP: POST /v1/keys/verify of `rotor serve` (valid, unknown and bad-checksum keys) vs a bare Hummingbird POST
#   route answering the same JSON shape (rotor-bench hello), both driven by wrk, 2 threads, 16 connections.
# visibility: a key created, then revoked, by another process, until `rotor serve` answers accordingly; on
#   SQLite, and on PostgreSQL when ROTOR_TEST_POSTGRES_URL names a server (scripts/with-postgres.sh).
set -euo pipefail
BIN=$(cd "${1:?usage: bench-keys.sh BIN_DIR}" && pwd)
ROTOR="$BIN/rotor"
BENCH="$BIN/rotor-bench"
DURATION=${BENCH_DURATION:-8}
WORK=$(mktemp -d /tmp/rotor-bench-keys.XXXXXX)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    if [ -n "${PG_DB:-}" ]; then psql -q "$ROTOR_TEST_POSTGRES_URL" -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_http() { for _ in $(seq 1 150); do curl -fsS -o /dev/null -X POST -H 'Content-Type: application/json' -d '{"key":"x"}' "$1" 2>/dev/null && return 0; sleep 0.2; done; echo "no answer from $1" >&2; return 1; }
command -v wrk >/dev/null || { echo "bench-keys: wrk is not installed (make bench installs it: apt-get install wrk)" >&2; exit 1; }

echo "machine: $(nproc) cores, shared with other builds and tests while this ran: figures vary between runs"
[ -n "${BENCH_SKIP_INPROCESS:-}" ] || "$BENCH" verify

export ROTOR_HOME="$WORK/.rotor" ROTOR_PLAYBOOKS="$WORK/Playbooks" ROTOR_LOG_LEVEL=error
# The bench presents unknown and mistyped keys from one address: the failure limit would answer 429 instead.
export ROTOR_HTTP_FAILURE_LIMIT=1000000000
mkdir -p "$ROTOR_PLAYBOOKS"
"$ROTOR" init > /dev/null
VALID=$("$ROTOR" keys create --org acme --name bench --scopes read --rate-limit 100 --json \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["key"])')
KEYS=$("$BENCH" keys); UNKNOWN=$(echo "$KEYS" | sed -n 1p); BADSUM=$(echo "$KEYS" | sed -n 2p)
SERVE_PORT=$(free_port); HELLO_PORT=$(free_port)
"$ROTOR" serve --port "$SERVE_PORT" > "$WORK/serve.log" 2>&1 & PIDS+=($!)
"$BENCH" hello --port "$HELLO_PORT" > "$WORK/hello.log" 2>&1 & PIDS+=($!)
wait_http "http://127.0.0.1:$SERVE_PORT/v1/keys/verify"
wait_http "http://127.0.0.1:$HELLO_PORT/v1/keys/verify"

# Prints "REQ_PER_S P50_MS P99_MS" for wrk POSTing {"key": KEY} to URL.
measure() {
    local url=$1 key=$2
    printf 'wrk.method = "POST"\nwrk.body = %s\nwrk.headers["Content-Type"] = "application/json"\n' "'{\"key\":\"$key\"}'" > "$WORK/post.lua"
    wrk -t2 -c16 -d1s -s "$WORK/post.lua" "$url" > /dev/null 2>&1 || true   # warm-up
    wrk -t2 -c16 -d"${DURATION}s" --latency -s "$WORK/post.lua" "$url" | python3 -c '
import re, sys
text = sys.stdin.read()
def ms(value, unit): return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
p = {k: ms(v, u) for k, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)}
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print("%.0f %.2f %.2f %s" % (rate, p["50"], p["99"], errors.group(1) if errors else 0))'
}
echo "HTTP, wrk -t2 -c16 -d${DURATION}s on loopback (server and load generator share the $(nproc) cores)"
read -r HELLO_RATE HELLO_P50 HELLO_P99 HELLO_ERR < <(measure "http://127.0.0.1:$HELLO_PORT/v1/keys/verify" "$VALID")
printf '  %-36s %9s req/s  p50 %6s ms  p99 %6s ms\n' "hello-world POST route (reference)" "$HELLO_RATE" "$HELLO_P50" "$HELLO_P99"
for case in "valid key:$VALID" "unknown key:$UNKNOWN" "bad-checksum key:$BADSUM"; do
    read -r RATE P50 P99 ERR < <(measure "http://127.0.0.1:$SERVE_PORT/v1/keys/verify" "${case#*:}")
    printf '  %-36s %9s req/s  p50 %6s ms  p99 %6s ms  ratio %s%s\n' "POST /v1/keys/verify, ${case%%:*}" "$RATE" "$P50" "$P99" \
        "$(python3 -c "print(f'{$RATE/$HELLO_RATE:.2f}')")" "$([ "$ERR" != 0 ] && echo "  ($ERR non-2xx!)" || true)"
done
echo "  goal: ratio ≥ 0.70 with p99 < 2 ms"

echo "visibility across processes (rotor-bench writes, rotor serve answers), SQLite:"
"$BENCH" visibility --url "http://127.0.0.1:$SERVE_PORT/v1/keys/verify"
if [ -n "${ROTOR_TEST_POSTGRES_URL:-}" ] && command -v psql >/dev/null; then
    PG_DB=rotor_bench_$RANDOM$RANDOM
    psql -q "$ROTOR_TEST_POSTGRES_URL" -c "CREATE DATABASE $PG_DB" > /dev/null
    export ROTOR_STORE="${ROTOR_TEST_POSTGRES_URL%/*}/$PG_DB"
    PG_PORT=$(free_port)
    "$ROTOR" serve --port "$PG_PORT" > "$WORK/serve-pg.log" 2>&1 & PIDS+=($!)
    wait_http "http://127.0.0.1:$PG_PORT/v1/keys/verify"
    echo "visibility across processes, PostgreSQL (LISTEN/NOTIFY):"
    "$BENCH" visibility --url "http://127.0.0.1:$PG_PORT/v1/keys/verify"
else
    echo "visibility on PostgreSQL: skipped (no ROTOR_TEST_POSTGRES_URL; make bench runs this under scripts/with-postgres.sh)"
fi
