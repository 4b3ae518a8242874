#!/usr/bin/env bash
# Start a throw-away PostgreSQL for the server's tests and print its URL (for PFDO_TEST_PG_URL).
# Usage: eval "$(bash tools/start-test-postgres.sh [DIR] [PORT])"   — exports PFDO_TEST_PG_URL.
# Needs Debian's postgresql package; run as root (it switches to the postgres user) or as that user.
set -euo pipefail

dir=${1:-$(mktemp -d /tmp/pfdo-pg.XXXXXX)}
port=${2:-55432}
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

mkdir -p "$dir"
[ "$(id -u)" -eq 0 ] && chown postgres "$dir"
if [ ! -f "$dir/data/PG_VERSION" ]; then
  as_postgres "$bin/initdb" -D "$dir/data" -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
if ! as_postgres "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
  as_postgres "$bin/pg_ctl" -D "$dir/data" -w -l "$dir/server.log" \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off" start >/dev/null
fi
as_postgres "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres pfdo_test 2>/dev/null || true
echo "export PFDO_TEST_PG_URL=postgresql+psycopg://postgres@127.0.0.1:$port/pfdo_test"
echo "export PFDO_TEST_PG_DIR=$dir"
