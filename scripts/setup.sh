#!/usr/bin/env bash
# Installs what building and testing the widget needs, and only what is missing, so a second
# run takes seconds: the wasm32 target, Chromium and its driver, CJK fonts for screenshots,
# Trunk, the wasm-bindgen CLI matching Cargo.lock, and the browser tooling's npm packages
# (playwright-core, axe-core, and binaryen's wasm-opt — not Debian's binaryen 108, which
# corrupts wasm-bindgen output).
# Everything comes from the package registries (crates.io, Debian, npm): this machine has no
# other internet access, so nothing here downloads prebuilt binaries.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14

say() { printf 'setup: %s\n' "$*"; }

# The wasm-bindgen CLI must be exactly the version of the wasm-bindgen crate in Cargo.lock.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

missing_debs=()
command -v chromium >/dev/null 2>&1 || missing_debs+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing_debs+=(chromium-driver)
# Chinese in screenshots needs a CJK font (else boxes).
fc-list 2>/dev/null | grep -qi 'wqy\|noto sans cjk' || missing_debs+=(fonts-wqy-microhei)
if [ ${#missing_debs[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing_debs[*]}"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing_debs[@]}"
fi

# kefu-server's tests run against a throw-away PostgreSQL cluster (scripts/with-postgres.sh):
# Debian's server package, no service started.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  say "installing Debian package: postgresql"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql
fi

if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (takes several minutes)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

bindgen=$(wasm_bindgen_version)
if [ -z "$bindgen" ]; then
  echo "setup: no wasm-bindgen entry in Cargo.lock; run 'cargo generate-lockfile' first" >&2
  exit 2
fi
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $bindgen" ]; then
  say "installing wasm-bindgen-cli $bindgen (takes several minutes)"
  # Not --locked: one of its locked dependency versions is no longer in the registry.
  cargo install wasm-bindgen-cli --version "$bindgen"
fi

if [ -f tests/e2e/package-lock.json ] && { [ ! -d tests/e2e/node_modules ] ||
  [ tests/e2e/package-lock.json -nt tests/e2e/node_modules/.package-lock.json ]; }; then
  say "installing the browser tooling's npm packages (playwright-core, axe-core, binaryen)"
  (cd tests/e2e && npm ci --no-audit --no-fund)
fi

say "ok (trunk $TRUNK_VERSION, wasm-bindgen $bindgen, $(tests/e2e/node_modules/.bin/wasm-opt --version 2>/dev/null), $(chromium --version 2>/dev/null | head -n 1))"
