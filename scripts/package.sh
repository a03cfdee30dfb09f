#!/usr/bin/env bash
# Builds the release packages this machine can build: the .deb and the .rpm of the desktop app,
# in target/release/bundle/. AppImage, Windows and macOS packages are built by
# .github/workflows/release.yml on hosted runners (README, « Installer l'application »).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
export PATH="$HOME/.cargo/bin:$PATH"
(cd ui && npx --no-install vite build --logLevel warn)
cargo build --release --workspace --bin cqc-desktop --quiet
rm -rf target/release/bundle
ui/node_modules/.bin/tauri bundle --bundles deb,rpm --ci
for package in target/release/bundle/deb/*.deb target/release/bundle/rpm/*.rpm; do
  printf '%s\t%s\n' "$(du -h "$package" | cut -f1)" "$package"
done
