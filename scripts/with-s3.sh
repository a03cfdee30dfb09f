#!/usr/bin/env bash
# Runs a command with a throwaway S3-compatible server (moto's server mode) on loopback and an
# empty bucket in it, then stops the server. The command sees CQC_TEST_S3_ENDPOINT and
# CQC_TEST_S3_BUCKET. Usage: scripts/with-s3.sh COMMAND [ARGS...]
set -euo pipefail

moto="${CQC_TOOLS_DIR:-$HOME/.cache/cqc-tools}/moto/bin/moto_server"
[ -x "$moto" ] || { echo "moto is not installed: run scripts/install-deps.sh" >&2; exit 1; }
log=$(mktemp /tmp/cqc-s3.XXXXXX)
server=""
trap 'kill $server 2>/dev/null || true; rm -f "$log"' EXIT
bucket=cqc-documents
# A port no one listens on can still be held by a connection's local end (the ephemeral range):
# the server then cannot bind it, and the next port is tried.
for port in 59000 59013 59029 59047 59063; do
  "$moto" -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
  server=$!
  endpoint="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do
    curl -sf -o /dev/null "$endpoint/" && break
    kill -0 "$server" 2>/dev/null || break
    sleep 0.1
  done
  curl -sf -X PUT "$endpoint/$bucket" -o /dev/null && break
  kill "$server" 2>/dev/null || true
  server=""
done
[ -n "$server" ] || { echo "the S3 server did not start; its log:" >&2; cat "$log" >&2; exit 1; }

export CQC_TEST_S3_ENDPOINT="$endpoint" CQC_TEST_S3_BUCKET="$bucket"
"$@"
