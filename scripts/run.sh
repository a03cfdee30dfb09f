#!/usr/bin/env bash
# Installs what is missing, builds, starts the central server on its one-machine defaults
# (SQLite file, email outbox folder under .cqc-data/server) and opens the desktop app on it.
# A first agent is created: agent@cqc.localhost / Agent-Passe-2024!, and a demonstration training
# centre (approval AGR-69-0042) with its staff account centre@cqc.localhost / Centre-Passe-2024!,
# and the first administrator admin@cqc.localhost / Admin-Passe-2024! (change them in production).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
export PATH="$HOME/.cargo/bin:$PATH"

(cd ui && npx --no-install vite build --logLevel warn)
cargo build --quiet -p cqc-server -p cqc-desktop

export CQC_DATA_DIR_SERVER="${CQC_DATA_DIR_SERVER:-$PWD/.cqc-data/server}"
bind="${CQC_BIND:-127.0.0.1:8737}"
CQC_DATA_DIR="$CQC_DATA_DIR_SERVER" target/debug/cqc-server serve --bind "$bind" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -fs "http://$bind/api/v1/health" >/dev/null 2>&1 && break; sleep 0.2; done
echo 'Agent-Passe-2024!' | CQC_DATA_DIR="$CQC_DATA_DIR_SERVER" target/debug/cqc-server create-agent \
  --email agent@cqc.localhost --name "Agent de traitement" 2>/dev/null || true
CQC_DATA_DIR="$CQC_DATA_DIR_SERVER" target/debug/cqc-server create-centre --approval AGR-69-0042 \
  --name "Centre de formation routière de Vénissieux" --address "3 allée des Forgerons, 69200 Vénissieux" \
  2>/dev/null || true
echo 'Admin-Passe-2024!' | CQC_DATA_DIR="$CQC_DATA_DIR_SERVER" target/debug/cqc-server create-admin \
  --email admin@cqc.localhost --name "Administration du service" 2>/dev/null || true
echo 'Centre-Passe-2024!' | CQC_DATA_DIR="$CQC_DATA_DIR_SERVER" target/debug/cqc-server create-centre-staff \
  --centre AGR-69-0042 --email centre@cqc.localhost --name "Accueil du centre" 2>/dev/null || true

echo "Server: http://$bind   emails: $CQC_DATA_DIR_SERVER/outbox/*.eml"
CQC_SERVER_URL="http://$bind" CQC_DATA_DIR="$PWD/.cqc-data/app" target/debug/cqc-desktop
