#!/usr/bin/env bash
# Runs a command with a throwaway S3-compatible server (moto's server mode) on loopback and an
# empty bucket in it, then stops the server. The command sees CQC_TEST_S3_ENDPOINT and
# CQC_TEST_S3_BUCKET. Usage: scripts/with-s3.sh COMMAND [ARGS...]
set -euo pipefail

moto="${CQC_TOOLS_DIR:-$HOME/.cache/cqc-tools}/moto/bin/moto_server"
[ -x "$moto" ] || { echo "moto is not installed: run scripts/install-deps.sh" >&2; exit 1; }
port=59000
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
log=$(mktemp /tmp/cqc-s3.XXXXXX)
"$moto" -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -f "$log"' EXIT

endpoint="http://127.0.0.1:$port"
for _ in $(seq 1 100); do
  curl -sf -o /dev/null "$endpoint/" && break
  sleep 0.1
done
bucket=cqc-documents
curl -sf -X PUT "$endpoint/$bucket" -o /dev/null || { echo "the S3 server did not start; its log:" >&2; cat "$log" >&2; exit 1; }

export CQC_TEST_S3_ENDPOINT="$endpoint" CQC_TEST_S3_BUCKET="$bucket"
"$@"
