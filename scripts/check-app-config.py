#!/usr/bin/env python3
"""Checks tauri.conf.json against the schema of the pinned Tauri CLI (ui/node_modules), so that
what only the release workflow's hosted runners build (the Windows installers: NSIS per user,
French first, the WebView2 bootstrapper; the MSI; the macOS bundle) is at least a configuration
the bundler accepts, with no misspelt key or value. Run with the Python of the schemathesis
environment (scripts/install-deps.sh), which has jsonschema_rs."""

import json
import pathlib
import sys

import jsonschema_rs

root = pathlib.Path(__file__).resolve().parent.parent
schema = json.loads((root / "ui/node_modules/@tauri-apps/cli/config.schema.json").read_text())
config = json.loads((root / "tauri.conf.json").read_text())
errors = list(jsonschema_rs.validator_for(schema).iter_errors(config))
for error in errors:
    print(f"tauri.conf.json: {error}", file=sys.stderr)
windows = config["bundle"]["windows"]
expected = {
    "per-user install, no administrator rights": windows["nsis"]["installMode"] == "currentUser",
    "French first": windows["nsis"]["languages"][0] == "French" and windows["wix"]["language"][0] == "fr-FR",
    "WebView2 installed by the installer if missing": windows["webviewInstallMode"]["type"]
    in ("downloadBootstrapper", "embedBootstrapper"),
    "the cqc:// links registered": "cqc" in config["plugins"]["deep-link"]["desktop"]["schemes"],
}
for what, holds in expected.items():
    if not holds:
        print(f"tauri.conf.json: not {what}", file=sys.stderr)
if errors or not all(expected.values()):
    sys.exit(1)
print("tauri.conf.json: valid for the bundler's schema; Windows installer per user, French first, WebView2 bootstrapper")
