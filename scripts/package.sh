#!/usr/bin/env bash
# Builds the release packages this machine can build: the .deb and the .rpm of the desktop app,
# in target/release/bundle/. AppImage, Windows and macOS packages are built by
# .github/workflows/release.yml on hosted runners (docs/operations/install.md).
# With CQC_UPDATER_PUBKEY (the release key's public half) and TAURI_SIGNING_PRIVATE_KEY (and its
# _PASSWORD), the app carries its updater and each package gets its signature (`.sig`), ready for
# `cqc-server publish-update` (docs/operations/updates.md). Without them: no updater.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
export PATH="$HOME/.cargo/bin:$PATH"
(cd ui && npx --no-install vite build --logLevel warn)
config=()
if [ -n "${CQC_UPDATER_PUBKEY:-}" ]; then
  TAURI_CONFIG=$(printf '{"plugins":{"updater":{"pubkey":"%s"}},"bundle":{"createUpdaterArtifacts":true}}' "$CQC_UPDATER_PUBKEY")
  export TAURI_CONFIG
  config=(--config "$TAURI_CONFIG")
fi
cargo build --release --workspace --bin cqc-desktop --quiet
rm -rf target/release/bundle
ui/node_modules/.bin/tauri bundle --bundles deb,rpm --ci "${config[@]}"
for package in target/release/bundle/deb/*.deb* target/release/bundle/rpm/*.rpm*; do
  printf '%s\t%s\n' "$(du -h "$package" | cut -f1)" "$package"
done
