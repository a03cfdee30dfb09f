#!/usr/bin/env bash
# Checks the deployment files that can be checked on this machine: the systemd units pass
# `systemd-analyze verify` (their ExecStart pointed at the binary just built). The container
# image needs a Docker daemon and registry access, which CI has not: see docs/operations/containers.md.
set -euo pipefail
cd "$(dirname "$0")/.."

binary="$PWD/target/debug/cqc-server"
[ -x "$binary" ] || cargo build -p cqc-server --quiet
if ! command -v systemd-analyze >/dev/null; then
  echo "systemd-analyze is not installed: the units are not checked" >&2
  exit 0
fi
units=$(mktemp -d)
trap 'rm -rf "$units"' EXIT
for unit in deploy/systemd/*; do
  sed "s|/usr/local/bin/cqc-server|$binary|" "$unit" >"$units/$(basename "$unit")"
done
systemd-analyze verify "$units"/*
echo "systemd units: $(ls deploy/systemd | tr '\n' ' ')verified"
