#!/usr/bin/env bash
# A bounded loopback load benchmark of kefu-server: starts the server (profile `server`) with
# the demo orders on a fresh SQLite file — or on the PostgreSQL in KEFU_TEST_DATABASE_URL when
# run under scripts/with-postgres.sh — and drives it with the `load` example: verified and
# anonymous order lookups, beside two peers from the same run (GET /healthz, one database
# round trip; a small static file, no database). Prints a Markdown table.
# Usage: scripts/bench-server.sh   (SECONDS_PER_TARGET=5 CLIENTS=32 PORT=18080)
set -euo pipefail
cd "$(dirname "$0")/.."

SECS=${SECONDS_PER_TARGET:-5}
CLIENTS=${CLIENTS:-32}
PORT=${PORT:-18080}

cargo build -q --profile server -p kefu-server --bin kefu-server --example load

tmp=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

db="sqlite://$tmp/kefu.db"
if [ -n "${KEFU_TEST_DATABASE_URL:-}" ]; then db=$KEFU_TEST_DATABASE_URL; fi
mkdir -p "$tmp/static"
head -c 2048 /dev/zero | tr '\0' 'k' >"$tmp/static/file.txt"

KEFU_LOG=warn ./target/server/kefu-server --listen "127.0.0.1:$PORT" --database-url "$db" \
  --static "$tmp/static" --demo --max-wrong-guesses 1000000 >"$tmp/out" 2>"$tmp/err" &
server_pid=$!
for _ in $(seq 1 100); do
  if curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; then break; fi
  sleep 0.1
done
curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null || { cat "$tmp/err" >&2; exit 1; }
hash=$(awk '$1 == "demo-alice" { print $2 }' "$tmp/out")

case "$db" in sqlite:*) kind=SQLite ;; *) kind=PostgreSQL ;; esac
echo "kefu-server on $kind, $(nproc) cores, load generator on the same machine, ${SECS}s per row"
echo
./target/server/examples/load --base "http://127.0.0.1:$PORT" --seconds "$SECS" --concurrency "$CLIENTS" \
  "order lookup, verified (HMAC)=/api/v1/orders/123456|X-Kefu-User: demo-alice|X-Kefu-User-Hash: $hash" \
  "order lookup, anonymous (phone digits)=/api/v1/orders/123456?phone_last4=5678" \
  "peer: GET /healthz (SELECT 1)=/healthz" \
  "peer: static file 2 KB=/file.txt"
