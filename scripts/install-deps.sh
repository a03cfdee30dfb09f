#!/usr/bin/env bash
# Installs what the product and its tests need and is missing on this machine:
# Debian packages (Tauri v2 on Linux, Xvfb, WebKitWebDriver, PostgreSQL, poppler, zbar (a standard
# QR decoder, for the certificates' codes), rpm and
# desktop-file-utils to read the packages the install test builds, libdbus and GNOME Keyring for
# the system keychain the app keeps its keys in, sudo through which the app's updater installs
# a .deb when the computer has no graphical prompt (pkexec), as in the install test), debootstrap
# for the Windows check's Debian sid chroot (scripts/windows-check.sh),
# the UI's npm packages and tauri-driver. Safe to run again: it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

debian_packages=(
  pkg-config build-essential libssl-dev
  libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libayatana-appindicator3-dev libxdo-dev
  xvfb xauth webkit2gtk-driver
  postgresql
  poppler-utils zbar-tools curl desktop-file-utils rpm openssl
  libdbus-1-dev dbus-bin dbus-daemon gnome-keyring xdg-utils x11-apps sudo
  python3-venv
  libv4l-dev libclang-dev clang
  debootstrap
)

missing=()
for p in "${debian_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "==> apt: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  echo "==> npm: installing the UI's packages"
  (cd ui && npm ci --no-audit --no-fund --loglevel=error)
fi

if [ "${CQC_SKIP_TAURI_DRIVER:-0}" != 1 ] && ! command -v tauri-driver >/dev/null 2>&1; then
  echo "==> cargo: installing tauri-driver"
  cargo install tauri-driver --locked --quiet
fi

# schemathesis checks the API against its OpenAPI document (scripts/api-contract.py), from its
# own virtual environment so that the machine's Python stays as it is.
tools_dir="${CQC_TOOLS_DIR:-$HOME/.cache/cqc-tools}"
if [ ! -x "$tools_dir/venv/bin/st" ]; then
  echo "==> pip: installing schemathesis"
  python3 -m venv "$tools_dir/venv"
  "$tools_dir/venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==4.32.5"
fi
# moto's server mode is the S3-compatible store of the several-instances test
# (scripts/with-s3.sh), in a virtual environment of its own.
if [ ! -x "$tools_dir/moto/bin/moto_server" ]; then
  echo "==> pip: installing moto (an S3-compatible server for the tests)"
  python3 -m venv "$tools_dir/moto"
  "$tools_dir/moto/bin/pip" install --quiet --disable-pip-version-check "moto[server]==5.2.5"
fi

# aiosmtpd is the real SMTP server the email delivery is tested against (scripts/smtp-server.py),
# in a virtual environment of its own.
if [ ! -x "$tools_dir/smtp/bin/aiosmtpd" ]; then
  echo "==> pip: installing aiosmtpd (an SMTP server for the tests)"
  python3 -m venv "$tools_dir/smtp"
  "$tools_dir/smtp/bin/pip" install --quiet --disable-pip-version-check "aiosmtpd==1.4.6"
fi

# The desktop app embeds ui/dist at compile time: a first build of the UI before any cargo build.
if [ ! -f ui/dist/index.html ]; then
  echo "==> building the UI once"
  (cd ui && npx --no-install vite build --logLevel warn)
fi
