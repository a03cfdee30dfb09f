#!/usr/bin/env bash
# Runs a command as on a desktop with a keychain: in its own D-Bus session, with GNOME Keyring's
# Secret Service started and unlocked (the app keeps the keys of its local files there). The
# keyring is a throwaway one, removed at the end; the user's own is never touched.
# CQC_REQUIRE_KEYCHAIN=1 makes the keychain tests fail, not skip, if it does not answer.
set -euo pipefail
if [ -z "${CQC_KEYRING_SESSION:-}" ]; then
  exec dbus-run-session -- env CQC_KEYRING_SESSION=1 "$0" "$@"
fi
keyrings=$(mktemp -d)
trap 'rm -rf "$keyrings"' EXIT
# The test keyring's password: it guards nothing but test keys.
printf 'cqc-tests' | XDG_DATA_HOME="$keyrings" gnome-keyring-daemon --unlock --components=secrets >/dev/null
export CQC_REQUIRE_KEYCHAIN=1
"$@"
