#!/usr/bin/env bash
# Installs what is missing, then runs every test: formatting and lints, the UI's type check,
# the domain, store and client tests, the PDFs rendered to PNG, the sync fault harness, the
# server's contract tests on SQLite and on a throwaway PostgreSQL, three server instances on
# PostgreSQL and S3, the end-to-end tests of the real app under Xvfb through WebDriver, the core
# built for Windows and tested under Wine, and the app installed from its package.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never
# Every cargo command below names --workspace: the features are then resolved once for the whole
# workspace and each crate is compiled once. With `-p` or a package's own tests, cargo resolves
# the features of that package alone and compiles every test binary a second time (twice the disk).

step() { printf '\n==> %s\n' "$*"; }

step "installing what is missing"
scripts/install-deps.sh
export PATH="$HOME/.cargo/bin:$PATH"

step "UI: type check, formatting, lint (rules of hooks), unit tests, build"
(cd ui && npm run --silent check && npm run --silent lint && npx --no-install vitest run --reporter=dot && npx --no-install vite build --logLevel warn)

step "Rust: formatting and lints"
cargo fmt --all --check
cargo clippy --workspace --all-targets --quiet -- -D warnings

step "tests on SQLite (domain, store, client, PDFs, sync faults, server contract, abuse, bounded fuzzing, the keychain)"
scripts/with-keyring.sh cargo test --workspace --quiet
step "the sync under faults (seeded runs; CQC_FAULT_RUNS sets how many)"
cargo test --workspace --test sync_faults --quiet -- --ignored --nocapture

step "emails through a real SMTP server (aiosmtpd): STARTTLS, a server that refuses, one stopped mid-round"
cargo test --workspace --test smtp --quiet -- --ignored

step "the TypeScript bindings and the window's capability are those of the Rust types and command list"
if [ -d .git ] && [ -n "$(git status --porcelain -- ui/src/bindings capabilities permissions)" ]; then
  git status --porcelain -- ui/src/bindings capabilities permissions
  echo "generated files differ from the Rust sources: commit what 'cargo test' regenerated" >&2
  exit 1
fi

step "the docs: README under 150 lines, every relative link, each guide screenshot one an end-to-end test takes"
python3 scripts/check-docs.py

step "wording: no new French sentence in Rust outside the PDFs (a ratchet: scripts/wording-baseline.txt only goes down)"
python3 scripts/check-wording.py

step "server contract tests on PostgreSQL"
scripts/with-postgres.sh cargo test --workspace --test accounts --test trainings --test applications \
  --test replacements --test abuse --test shared_work --test reminders --test personal_data --test updates --test administration --quiet

step "three server processes on one PostgreSQL and one S3-compatible store, one of them killed midway"
scripts/with-postgres.sh scripts/with-s3.sh cargo test --workspace --test instances --quiet -- --ignored --nocapture

step "the deployment files: systemd units verified"
scripts/check-deploy.sh

step "the app's configuration against the Tauri bundler's schema (the Windows installers, the deep link)"
"${CQC_TOOLS_DIR:-$HOME/.cache/cqc-tools}/venv/bin/python" scripts/check-app-config.py

step "the API against its own OpenAPI document (schemathesis, as a driver, a centre and an agent)"
scripts/api-contract.py target/debug/cqc-server "${CQC_TOOLS_DIR:-$HOME/.cache/cqc-tools}/venv/bin/st" 15

step "end to end: the real app under Xvfb, driven through tauri-driver"
# -noreset: Xvfb otherwise resets when its last client leaves, and an app started right then
# (the restart after an update) found no display.
scripts/with-keyring.sh xvfb-run -a --server-args="-screen 0 1280x900x24 -noreset" \
  cargo test --workspace --test e2e_account --test e2e_trainings --test e2e_application --test e2e_replacement \
  --test e2e_admin --quiet \
  -- --ignored --test-threads 1
echo "screenshots: test-artifacts/e2e/"

step "Windows: the core's tests under Wine, the desktop app and the server through clippy (x86_64-pc-windows-gnu)"
# Cold (the chroot and the Windows build made from nothing) about 27 min and 11 GB in the system's
# cache; warm about 1 min. What it checks and what only the release workflow builds:
# docs/operations/windows.md.
scripts/windows-check.sh

step "the app as installed software: .deb and .rpm built, the .deb installed, started under Xvfb, removed"
scripts/install-test.sh
