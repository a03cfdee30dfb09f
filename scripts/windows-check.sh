#!/usr/bin/env bash
# The Windows check (issue 30): compiles the app for x86_64-pc-windows-gnu with Debian's packages
# only and runs the core's tests under Wine, headless. Nothing here has a Windows machine, and the
# release workflow's hosted runners are the first to build for it otherwise: a `cfg(windows)`
# mistake, a dependency that does not build there or a path written the Unix way would reach users
# first. What is verified this way and what is only configured: docs/operations/windows.md.
#
# Needs root (debootstrap, chroot, mounts). Everything it keeps lives outside the clone, in the
# system's cache folder, so a second run on the same machine starts warm:
#   $CQC_WINDOWS_CACHE (default /var/cache/cqc-windows)
#     chroot/  Debian sid with rustc, rust-src, mingw-w64 and Wine  ($CQC_WINDOWS_CHROOT overrides)
#     target/  the one target folder of every Windows step
#     cargo/   cargo's registry and downloads
#     wine/    the Wine prefix (made once: the first start of Wine takes a minute)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

# debootstrap, chroot and mount need root; re-run through sudo rather than fail halfway.
if [ "$(id -u)" != 0 ]; then
  exec sudo --preserve-env=CQC_WINDOWS_CACHE,CQC_WINDOWS_CHROOT,CQC_WINDOWS_MIRROR,CQC_WINDOWS_RUST "$0" "$@"
fi

cache=${CQC_WINDOWS_CACHE:-/var/cache/cqc-windows}
chroot_dir=${CQC_WINDOWS_CHROOT:-$cache/chroot}
# Pinned: the rustc of sid when this check was written. Debian keeps rust-src in lockstep with
# rustc, and `-Zbuild-std` needs exactly that pair; a new rustc can bring new warnings or break
# the unstable build-std, so a chroot made later with another rustc stops here instead of failing
# somewhere less clear. Check it by hand, then raise the pin (or set CQC_WINDOWS_RUST).
rust_pin=${CQC_WINDOWS_RUST:-1.97}
# sid, not a stable suite: stable's rustc is older than the workspace's dependencies need, and sid
# has rust-src of the same version, mingw-w64 and Wine 10.
suite=sid
# rustc/cargo/rust-src/clippy: the compiler, std's sources for -Zbuild-std (Debian ships no
# Windows std) and the lint; mingw-w64: the linker and the C compiler for the C parts (SQLCipher,
# OpenSSL, ring); wine64: runs the test programs; make/perl/cmake: OpenSSL's vendored build.
packages=(rustc cargo rust-src rust-clippy gcc-mingw-w64-x86-64 g++-mingw-w64-x86-64 wine wine64
  ca-certificates make perl cmake pkg-config)
stamp=$chroot_dir/etc/cqc-windows-ready

step() { printf '\n==> %s (%ss so far)\n' "$*" "$SECONDS"; }

# The same Debian mirror as the host's apt (no host named here): the first `deb` line or
# `URIs:` field that serves the `debian` archive. CQC_WINDOWS_MIRROR overrides it (a dated
# snapshot of the archive pins every package, at the cost of a slower mirror).
mirror=${CQC_WINDOWS_MIRROR:-$(
  cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
    grep -oE '^(deb|URIs:)[[:space:]]+(\[[^]]*\][[:space:]]+)?https?://[^[:space:]]+/debian/?([[:space:]]|$)' |
    grep -oE 'https?://[^[:space:]]+' | head -n 1 || true # a missing sources file is no error
)}
[ -n "$mirror" ] || { echo "no Debian mirror found in /etc/apt; set CQC_WINDOWS_MIRROR" >&2; exit 1; }

mkdir -p "$cache/target" "$cache/cargo" "$cache/wine"
# One run at a time per cache: two would mount over each other and share one target folder.
exec 9>"$cache/lock"
flock -n 9 || { echo "another Windows check holds $cache/lock" >&2; exit 1; }

# Mounts, undone by the trap however the script ends (a failed step included), innermost first;
# /dev is a recursive bind, so it is unmounted recursively.
mounted=()
cleanup() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount -R "${mounted[i]}" 2>/dev/null || umount -lR "${mounted[i]}" || true
  done
}
trap cleanup EXIT
# Mounts left by a run that was killed (no trap then): undone before anything else, so that
# nothing below can mistake a bind-mounted work tree for a part of the chroot.
unmount_stale() {
  local target
  awk -v dir="$chroot_dir/" 'index($2, dir) == 1 {print $2}' /proc/self/mounts | sort -r | while read -r target; do
    umount -l "$target" || true
  done
}
unmount_stale
bind() { # bind SOURCE TARGET-INSIDE-THE-CHROOT
  mkdir -p "$chroot_dir$2"
  mountpoint -q "$chroot_dir$2" && return
  mount --rbind "$1" "$chroot_dir$2"
  mount --make-rslave "$chroot_dir$2"
  mounted+=("$chroot_dir$2")
}
mount_system() {
  mkdir -p "$chroot_dir/proc"
  if ! mountpoint -q "$chroot_dir/proc"; then
    mount -t proc proc "$chroot_dir/proc"
    mounted+=("$chroot_dir/proc")
  fi
  bind /dev /dev   # /dev/null, /dev/urandom, /dev/shm (Wine's shared memory)
  bind /sys /sys
}
in_chroot() { # runs a command in the chroot with a clean environment, at the lowest priority
  nice -n 19 ionice -c3 chroot "$chroot_dir" /usr/bin/env -i HOME=/root LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive "$@"
}

if [ ! -f "$stamp" ]; then
  step "making the sid chroot in $chroot_dir (cold start)"
  # A chroot without the stamp is a run that stopped halfway: start again from nothing.
  if [ -e "$chroot_dir" ]; then
    if awk -v dir="$chroot_dir/" 'index($2, dir) == 1 {found = 1} END {exit !found}' /proc/self/mounts; then
      echo "$chroot_dir still has mounts: not removing it" >&2
      exit 1
    fi
    rm -rf --one-file-system "$chroot_dir"
  fi
  mkdir -p "$(dirname "$chroot_dir")"
  # minbase: apt and dpkg only; what the check needs comes next, without recommended packages.
  nice -n 19 ionice -c3 debootstrap --variant=minbase "$suite" "$chroot_dir" "$mirror"
  # The mirror's sid Release file can read as expired (its Valid-Until has passed on a frozen
  # mirror); the signature is still checked.
  echo 'Acquire::Check-Valid-Until "false";' >"$chroot_dir/etc/apt/apt.conf.d/90cqc-valid-until"
  echo 'APT::Install-Recommends "false";' >"$chroot_dir/etc/apt/apt.conf.d/91cqc-no-recommends"
  mount_system
  in_chroot apt-get update -qq
  in_chroot apt-get install -y -qq "${packages[@]}" >/dev/null
  # Downloaded .deb files are not needed again (about 500 MB).
  in_chroot apt-get clean
  printf '%s\n' "${packages[@]}" >"$stamp"
else
  step "reusing the chroot in $chroot_dir (warm start)"
  mount_system
  # A package added to the list above since the chroot was made: installed, the rest kept.
  if ! printf '%s\n' "${packages[@]}" | cmp -s - "$stamp"; then
    in_chroot apt-get update -qq
    in_chroot apt-get install -y -qq "${packages[@]}" >/dev/null
    in_chroot apt-get clean
    printf '%s\n' "${packages[@]}" >"$stamp"
  fi
fi

# The host's CA certificates: this machine reaches crates.io through a proxy whose certificate
# only the host's bundle has. Copied at every run, so a renewed one is picked up.
mkdir -p "$chroot_dir/etc/ssl/certs"
cp /etc/ssl/certs/ca-certificates.crt "$chroot_dir/etc/ssl/certs/ca-certificates.crt"

rust_version=$(in_chroot rustc --version | awk '{print $2}')
case $rust_version in
  "$rust_pin" | "$rust_pin".*) ;;
  *)
    echo "the chroot has rustc $rust_version, the check is pinned to $rust_pin (see rust_pin)" >&2
    exit 1
    ;;
esac

# The built UI is compiled into the desktop app (tauri's custom protocol): it must exist first.
if [ ! -f ui/dist/index.html ]; then
  step "building the UI (ui/dist) on the host"
  (cd ui && nice -n 19 ionice -c3 npm ci --no-audit --no-fund --loglevel=error &&
    nice -n 19 ionice -c3 npx --no-install vite build --logLevel warn)
fi

# The work tree, the target folder, cargo's cache and the Wine prefix at fixed paths inside.
bind "$root" /src
bind "$cache/target" /target
bind "$cache/cargo" /cargo
bind "$cache/wine" /wine

cargo_windows() {
  in_chroot \
    CARGO_HOME=/cargo CARGO_TARGET_DIR=/target CARGO_TERM_COLOR=never \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt CARGO_HTTP_CAINFO=/etc/ssl/certs/ca-certificates.crt \
    RUSTC_BOOTSTRAP=1 CARGO_INCREMENTAL=0 \
    CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc \
    CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER=wine \
    WINEPREFIX=/wine WINEDEBUG=-all WINEDLLOVERRIDES='mscoree,mshtml=' \
    /bin/sh -c 'cd /src && exec cargo "$@"' cargo \
    "$1" -Zbuild-std=std,panic_unwind --target x86_64-pc-windows-gnu "${@:2}"
}
# RUSTC_BOOTSTRAP + -Zbuild-std: Debian has no prebuilt std for Windows, so std is built from
# rust-src (its few crates come from crates.io). WINEDLLOVERRIDES: no Mono or Gecko install
# prompt when the prefix is made; WINEDEBUG=-all: Wine's own chatter off.
# CARGO_INCREMENTAL=0 as in .ci/run: incremental caches would only grow the target folder.

step "tests under Wine: domain, sync, store (SQLCipher over a vendored OpenSSL), capture (Media Foundation), client, documents, app (keychain = Wine's Credential Manager; integration tests against the in-process server)"
# One cargo command for every crate: the features are resolved once and each crate built once.
# --no-fail-fast: every crate's result in one run, not only the first failure's.
cargo_windows test --no-fail-fast -p cqc-domain -p cqc-sync -p cqc-store -p cqc-capture -p cqc-client \
  -p cqc-documents -p cqc-app

step "clippy of the desktop app (src-tauri: every cfg(windows) line of the shell and its plugins) and of the server"
# A check is enough there: linking adds nothing clippy would see, and the test step above has
# already compiled and run their shared crates. -D warnings: a warning only Windows shows fails.
cargo_windows clippy --quiet -p cqc-desktop -p cqc-server -- -D warnings

# Unmounted first: du would otherwise count the work tree and the target folder inside the chroot.
cleanup
mounted=()
step "done in ${SECONDS}s; disk kept for a warm start"
du -sh "$chroot_dir" "$cache/target" "$cache/cargo" "$cache/wine" 2>/dev/null || true
