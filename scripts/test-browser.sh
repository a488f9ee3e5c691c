#!/usr/bin/env bash
# Browser tests of the widget:
#   1. wasm-bindgen unit tests (tests/browser.rs, tests/stored.rs) in headless Chromium: kefu-core and the
#      widget's modules as WebAssembly, against the demo knowledge base;
#   2. the end-to-end tests (tests/e2e/widget.test.mjs): one release build (Trunk + wasm-opt)
#      served on 127.0.0.1 and embedded in host pages, driven through Chromium with Playwright;
#      screenshots of the main states in target/e2e/;
#   3. the same build against the real kefu-server (tests/e2e/server.test.mjs): demo orders,
#      anonymous lookups with the phone digits, the order card, the offline queue;
#   4. a split knowledge base (tests/e2e/companion.test.mjs): the first answer from kb.bin, a
#      detailed answer via kb.more.bin, offline after one visit;
#   5. the live handoff (tests/e2e/live.test.mjs): the widget and the agent console talking
#      through the same server, offline and reload included.
# Installs what is missing first (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "setup"
bash scripts/setup.sh

step "compiling the demo knowledge base for the tests"
cargo build --release -q -p kefu-cli
mkdir -p target/browser-test/split
./target/release/kefu build kb -o target/browser-test/kb.bin
# The Hong Kong example (traditional Chinese and English) for the one-script and chip tests.
./target/release/kefu build examples/hk-appliances -o target/browser-test/hk.bin
# The end-to-end dist gets the demo split in two (`kefu build --split`): kb.bin answers,
# kb.more.bin brings the details and translations (tests/e2e/companion.test.mjs).
./target/release/kefu build --split -q kb -o target/browser-test/split/kb.bin

step "browser unit tests (wasm-bindgen-test, headless Chromium)"
CHROMEDRIVER=${CHROMEDRIVER:-$(command -v chromedriver)} \
  cargo test --target wasm32-unknown-unknown -p kefu-widget --test browser --test stored

step "end-to-end tests (release build, Playwright)"
dist=target/e2e/dist
bash scripts/build-widget.sh "$dist"
cp target/browser-test/split/kb.bin target/browser-test/split/kb.more.bin "$dist/"
(cd tests/e2e && KEFU_DIST="../../$dist" KEFU_SHOTS=../../target/e2e node --test --test-concurrency=1 widget.test.mjs)

# --- a split knowledge base: the first answer, a detail via the companion, offline after one visit ---
step "end-to-end tests of the split knowledge base (Playwright)"
(cd tests/e2e && KEFU_DIST="../../$dist" KEFU_SHOTS=../../target/e2e node --test --test-concurrency=1 companion.test.mjs)

step "end-to-end tests against kefu-server"
# A debug build: the native test suites already compiled its dependencies.
cargo build -q -p kefu-server
(cd tests/e2e && KEFU_DIST="../../$dist" KEFU_SHOTS=../../target/e2e KEFU_SERVER_BIN=../../target/debug/kefu-server \
  node --test --test-concurrency=1 server.test.mjs)
echo "screenshots: target/e2e/*.png"

# --- the agent console (kefu-server's /console/) in Chromium: tests/e2e/console.test.mjs ---
step "end-to-end test of the agent console (real kefu-server, Playwright)"
cargo build -q -p kefu-server
(cd tests/e2e && KEFU_SERVER_BIN=../../target/debug/kefu-server KEFU_KB=../../target/browser-test/kb.bin \
  KEFU_CONSOLE_SCREENSHOT=../../target/e2e/console.png node --test console.test.mjs)
echo "screenshot: target/e2e/console.png"

# --- the live handoff: the widget and the console talking through kefu-server: tests/e2e/live.test.mjs ---
step "end-to-end test of the live handoff (widget + console, real kefu-server, Playwright)"
(cd tests/e2e && KEFU_DIST="../../$dist" KEFU_SHOTS=../../target/e2e KEFU_SERVER_BIN=../../target/debug/kefu-server \
  node --test --test-concurrency=1 live.test.mjs)
echo "screenshot: target/e2e/10-live-agent-reply.png"
