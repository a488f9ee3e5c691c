#!/usr/bin/env bash
# Builds the demo and serves it with kefu-server on this machine: the widget (Trunk, release,
# offline), the demo knowledge base compiled from kb/ into dist/kb.bin (+ its companion
# dist/kb.more.bin: kefu build --split), and kefu-server on
# 127.0.0.1 serving dist/ with the demo orders (and the demo agent) seeded. Prints the URLs,
# the demo orders and the demo logins.
# Usage: scripts/demo.sh   (PORT=8080 by default; DIST=dist; DEMO_DB=target/demo/kefu.db)
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-8080}
DIST=${DIST:-dist}
DEMO_DB=${DEMO_DB:-target/demo/kefu.db}

step() { printf '\n== %s\n' "$*"; }

build_native() {
  step "building the kefu CLI and kefu-server"
  cargo build --release -p kefu-cli
  # The server's own profile (unwinding panics, fast code): target/server/kefu-server.
  cargo build --profile server -p kefu-server
}

build_widget() {
  step "building the widget into $DIST/"
  bash scripts/build-widget.sh "$DIST"
}

# After the widget: `trunk build` empties the dist folder.
build_kb() {
  step "compiling kb/ into $DIST/kb.bin and its companion $DIST/kb.more.bin"
  # Split: the widget answers from kb.bin and fetches the details and translations after.
  ./target/release/kefu build --split kb -o "$DIST/kb.bin"
}

serve() {
  step "starting kefu-server on 127.0.0.1:$PORT"
  mkdir -p "$(dirname "$DEMO_DB")"
  local base="http://127.0.0.1:$PORT"
  cat <<URLS

kefu demo:   $base/
full screen: $base/chat.html
console:     $base/console/
API base:    $base/api/v1   (health: $base/healthz)
try:         curl '$base/api/v1/orders/123456?phone_last4=5678'

URLS
  exec ./target/server/kefu-server \
    --listen "127.0.0.1:$PORT" \
    --database-url "sqlite://$DEMO_DB" \
    --kb "$DIST/kb.bin" \
    --static "$DIST" \
    --demo
}

step "setup"
bash scripts/setup.sh
build_native
build_widget
build_kb
serve
