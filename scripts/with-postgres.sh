#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL cluster on loopback, then removes the cluster.
# The command sees CQC_TEST_POSTGRES_URL (postgres://postgres@127.0.0.1:PORT, no database).
# Usage: scripts/with-postgres.sh COMMAND [ARGS...]
set -euo pipefail

bin_dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin_dir/initdb" ] || { echo "PostgreSQL is not installed: run scripts/install-deps.sh" >&2; exit 1; }
# The first free port from 25432 (below the range the system gives to the local end of
# connections, where a port no one listens on can still be taken), unless one is given.
free_port() {
  local port=$1
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}
port=${CQC_TEST_POSTGRES_PORT:-$(free_port 25432)}
cluster=$(mktemp -d /tmp/cqc-postgres.XXXXXX)
as_postgres=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres:postgres "$cluster"
  as_postgres=(runuser -u postgres --)
fi

stop() {
  "${as_postgres[@]}" "$bin_dir/pg_ctl" -D "$cluster/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$cluster"
}
trap stop EXIT

"${as_postgres[@]}" "$bin_dir/initdb" -D "$cluster/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
# A port found free can be taken before the server binds it: then the next one is tried.
for attempt in 1 2 3 4 5; do
  if "${as_postgres[@]}" "$bin_dir/pg_ctl" -D "$cluster/data" -l "$cluster/log" -w -t 120 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $cluster -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null 2>&1; then
    break
  fi
  if [ "$attempt" -eq 5 ] || [ -n "${CQC_TEST_POSTGRES_PORT:-}" ] || ! grep -q "Address already in use" "$cluster/log"; then
    echo "PostgreSQL did not start on port $port; its log:" >&2
    cat "$cluster/log" >&2 || true
    exit 1
  fi
  port=$(free_port $((port + 1)))
done

export CQC_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port"
"$@"
