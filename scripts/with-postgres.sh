#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL server on 127.0.0.1 (a free port, a temp directory),
# exported to it as ROTOR_TEST_POSTGRES_URL. The server is always stopped and its directory removed.
# Usage: scripts/with-postgres.sh COMMAND [ARG...]
set -euo pipefail

find_bin() {
    local name=$1
    if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return; fi
    local candidate
    candidate=$(ls -d /usr/lib/postgresql/*/bin/"$name" 2>/dev/null | sort -V | tail -n 1 || true)
    [ -n "$candidate" ] && echo "$candidate"
}
INITDB=$(find_bin initdb)
PG_CTL=$(find_bin pg_ctl)
if [ -z "$INITDB" ] || [ -z "$PG_CTL" ]; then
    echo "with-postgres: initdb/pg_ctl not found; run 'make deps' (installs the postgresql package)" >&2
    exit 1
fi

# PostgreSQL refuses to run as root: run the server as the unprivileged 'postgres' user then.
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
DIR=$(mktemp -d /tmp/rotor-pg.XXXXXX)
chmod 755 "$DIR"
[ "$(id -u)" -eq 0 ] && chown postgres "$DIR"
DATA="$DIR/data"

cleanup() {
    as_pg "$PG_CTL" -D "$DATA" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$DIR"
}
trap cleanup EXIT INT TERM

PASSWORD=rotor-test-$RANDOM$RANDOM
printf '%s\n' "$PASSWORD" > "$DIR/pwfile"
[ "$(id -u)" -eq 0 ] && chown postgres "$DIR/pwfile"
as_pg "$INITDB" -D "$DATA" -U rotor --pwfile="$DIR/pwfile" -A scram-sha-256 --no-instructions >"$DIR/initdb.log" 2>&1 || {
    cat "$DIR/initdb.log" >&2; echo "with-postgres: initdb failed" >&2; exit 1; }
rm -f "$DIR/pwfile"
as_pg "$PG_CTL" -D "$DATA" -l "$DIR/server.log" -w -t 60 \
    -o "-h 127.0.0.1 -p $PORT -k $DIR -c fsync=off -c max_connections=200" start >/dev/null || {
    cat "$DIR/server.log" >&2; echo "with-postgres: the server did not start" >&2; exit 1; }

export ROTOR_TEST_POSTGRES_URL="postgres://rotor:$PASSWORD@127.0.0.1:$PORT/postgres"
echo "with-postgres: PostgreSQL on 127.0.0.1:$PORT (data in $DIR, removed on exit)" >&2
set +e
"$@"
status=$?
set -e
exit $status
