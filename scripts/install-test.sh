#!/usr/bin/env bash
# The app as installed software, on this machine (Debian): builds the .deb and .rpm from the app
# the tests built (target/debug, through the pinned Tauri CLI), installs the .deb with dpkg,
# starts the installed app under Xvfb against a server and checks its first screen and a login
# (tests/e2e_installed.rs), updates it to the next version through its updater (a forged
# signature refused first), then removes the package and checks that nothing of it is left but
# the user's data folder. Run by scripts/test.sh; scripts/package.sh builds the release packages.
set -euo pipefail
cd "$(dirname "$0")/.."
sudo_cmd=""
[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"

# The updater: a throwaway release key built into both versions (the real one is the release
# workflow's secret), the next version's package signed with it, and signed by another key too.
keys=$(mktemp -d)
trap 'rm -rf "$keys"' EXIT
signer() { ui/node_modules/.bin/tauri signer "$@" >/dev/null; }
signer generate --ci -p "" -w "$keys/release.key"
signer generate --ci -p "" -w "$keys/other.key"
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
next_version=$(python3 -c "import sys; v = sys.argv[1].split('.'); v[2] = str(int(v[2]) + 1); print('.'.join(v))" "$version")
# The app the tests built, as version $1 with the release key, packaged as $2.
package_as() {
  local config
  config="{\"version\":\"$1\",\"plugins\":{\"updater\":{\"pubkey\":\"$(cat "$keys/release.key.pub")\"}}}"
  TAURI_CONFIG="$config" cargo build --workspace --bin cqc-desktop --quiet
  rm -rf target/debug/bundle
  ui/node_modules/.bin/tauri bundle --debug --bundles "$2" --ci --config "$config" >/dev/null
}
package_as "$next_version" deb
next_deb="$keys/$(basename target/debug/bundle/deb/*.deb)"
mv target/debug/bundle/deb/*.deb "$next_deb"
signer sign -f "$keys/other.key" -p "" "$next_deb"
mv "$next_deb.sig" "$keys/forged.sig"
signer sign -f "$keys/release.key" -p "" "$next_deb"
package_as "$version" deb,rpm
deb=$(ls target/debug/bundle/deb/*.deb)
rpm=$(ls target/debug/bundle/rpm/*.rpm)
echo "built: $deb ($(du -h "$deb" | cut -f1)), $rpm ($(du -h "$rpm" | cut -f1))"
# The .rpm is read by rpm itself (Debian's rpm tool; installing it needs an RPM system): its
# name and version are the .deb's, and it holds the same files.
rpm_files=$(rpm -qpl "$rpm" 2>/dev/null | sort)
[ "$(rpm -qp --queryformat '%{NAME} %{VERSION}' "$rpm" 2>/dev/null)" = "$(dpkg-deb -f "$deb" Package Version | paste -sd' ' | sed 's/Package: //; s/ Version: / /')" ] \
  || { echo "the .rpm's name and version differ from the .deb's" >&2; exit 1; }
[ "$rpm_files" = "$(dpkg-deb -c "$deb" | awk '$1 !~ /^d/ {sub(/^\.?\/?/, "/", $6); print $6}' | sort)" ] \
  || { printf 'the .rpm and the .deb hold different files:\n%s\n' "$rpm_files" >&2; exit 1; }

package=$(dpkg-deb -f "$deb" Package)
if dpkg-query -W "$package" >/dev/null 2>&1; then
  echo "$package is already installed here: remove it first (dpkg -r $package)" >&2
  exit 1
fi
$sudo_cmd dpkg -i "$deb" >/dev/null
installed_files=$(dpkg -L "$package")
home=$(mktemp -d)
cleanup() {
  dpkg-query -W "$package" >/dev/null 2>&1 && $sudo_cmd dpkg -r "$package" >/dev/null
  rm -rf "$home" "$keys"
}
trap cleanup EXIT

desktop_file=$(grep '^/usr/share/applications/.*\.desktop$' <<<"$installed_files")
desktop-file-validate "$desktop_file"
grep -qx 'MimeType=x-scheme-handler/cqc;' "$desktop_file" || { echo "the desktop entry does not handle cqc:// links" >&2; exit 1; }
binary=/usr/bin/$(sed -n 's/^Exec=//p' "$desktop_file" | cut -d' ' -f1)
[ -x "$binary" ] || { echo "the desktop entry starts $binary, which is not installed" >&2; exit 1; }
for size in 32x32 128x128 512x512; do
  grep -q "/usr/share/icons/hicolor/$size/apps/" <<<"$installed_files" || { echo "no $size icon installed" >&2; exit 1; }
done

# -noreset: Xvfb otherwise resets when its last client leaves, and an app started right then
# (the restart after an update) found no display.
CQC_APP_BINARY="$binary" CQC_INSTALL_HOME="$home" CQC_UPDATER_PUBKEY="$(cat "$keys/release.key.pub")" \
  CQC_NEXT_VERSION="$next_version" CQC_NEXT_PACKAGE="$next_deb" CQC_NEXT_FORGED_SIGNATURE="$keys/forged.sig" \
  xvfb-run -a --server-args="-screen 0 1280x900x24 -noreset" \
  cargo test --workspace --test e2e_installed --quiet -- --ignored --test-threads 1
cat test-artifacts/e2e/installed-mise-a-jour/duree.txt
[ "$(dpkg-query -W -f '${Version}' "$package")" = "$next_version" ] \
  || { echo "the app did not update itself to $next_version" >&2; exit 1; }

data_folder="$home/.local/share/$(python3 -c 'import json; print(json.load(open("tauri.conf.json"))["identifier"])')"
[ -d "$data_folder" ] || { echo "the installed app kept no data in $data_folder" >&2; exit 1; }

$sudo_cmd dpkg -r "$package" >/dev/null
left=""
while IFS= read -r path; do
  [ -f "$path" ] && left+="$path"$'\n'
done <<<"$installed_files"
if [ -n "$left" ]; then
  printf 'left behind by dpkg -r:\n%s' "$left" >&2
  exit 1
fi
[ -d "$data_folder" ] || { echo "removing the package deleted the user's data" >&2; exit 1; }
echo "installed, started, logged in, updated to $next_version, removed: nothing left but the user's data ($(du -sh "$data_folder" | cut -f1))"
