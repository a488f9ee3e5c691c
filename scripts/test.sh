#!/usr/bin/env bash
# Runs every test: formatting, the native test suites (unit, property, golden conversations,
# kefu-server's routes on SQLite and then on a throw-away PostgreSQL),
# the wasm32 build of the pure core, the matcher's acceptance gate on tests/eval/cases.jsonl,
# and the browser tests (wasm-bindgen in headless Chromium, then the end-to-end widget test).
# Installs whatever is missing first (scripts/setup.sh); fast when nothing is.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "setup"
bash scripts/setup.sh

step "format"
cargo fmt --all -- --check

step "kefu-core and kefu-protocol build for wasm32 (no I/O, no platform code)"
cargo build -q -p kefu-core -p kefu-protocol --target wasm32-unknown-unknown

step "native tests"
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --workspace --exclude kefu-widget --no-fail-fast
else
  cargo test --workspace --exclude kefu-widget --no-fail-fast
fi
cargo test -q --doc -p kefu-core

# kefu-server: the route, realtime and live tests above ran on SQLite; the same test
# binaries (no rebuild) run again against a throw-away PostgreSQL cluster (live.rs then also
# runs its two-instance test).
step "server tests on PostgreSQL"
if cargo nextest --version >/dev/null 2>&1; then
  bash scripts/with-postgres.sh cargo nextest run --workspace --exclude kefu-widget --no-fail-fast \
    -E 'binary(routes) | binary(realtime) | binary(live)'
else
  bash scripts/with-postgres.sh cargo test --workspace --exclude kefu-widget --no-fail-fast \
    --test routes --test realtime --test live
fi
cargo test -q --doc -p kefu-protocol

step "knowledge base: compile, self-test, acceptance gate"
cargo build -q --release -p kefu-cli
kefu=target/release/kefu
mkdir -p target/test
$kefu build kb -o target/test/kb.bin
$kefu check kb
# The matcher's bar on held-out questions written independently of the entries.
$kefu eval --kb target/test/kb.bin --cases tests/eval/cases.jsonl --min-top1 0.90 --max-false-answer 0.05

step "browser tests"
bash scripts/test-browser.sh

echo
echo "all tests passed"
