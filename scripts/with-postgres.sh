#!/usr/bin/env bash
# Runs CMD with a throw-away PostgreSQL cluster on 127.0.0.1: initdb into a temporary folder
# (owned by the postgres user when run as root), start it on a free port, export
# KEFU_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:PORT/postgres, run CMD, and always
# stop the cluster and delete the folder. No system service is involved.
# Usage: scripts/with-postgres.sh CMD [ARGS…]   (PG_PORT=… to choose the port)
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 CMD [ARGS...]" >&2
  exit 2
fi

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "with-postgres: no PostgreSQL found under /usr/lib/postgresql (run scripts/setup.sh)" >&2
  exit 2
fi

# A free port: the one asked for, or the first free one from 55432 on.
port=${PG_PORT:-}
if [ -z "$port" ]; then
  for p in $(seq 55432 55532); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
  done
fi

dir=$(mktemp -d /tmp/kefu-pg.XXXXXX)
if [ "$(id -u)" -eq 0 ]; then
  chown postgres "$dir"
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi

stop() {
  as_pg "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT

as_pg "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
  || as_pg "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 30 \
  -o "-k $dir -p $port -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null \
  || { cat "$dir/log" >&2; exit 1; }

export KEFU_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
echo "with-postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
"$@"
