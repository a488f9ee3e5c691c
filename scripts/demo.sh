#!/usr/bin/env bash
# Builds the demo and serves it on this machine: the widget (Trunk, release, offline), the
# demo knowledge base compiled from kb/ into dist/kb.bin next to the page, and a small static
# server on 127.0.0.1. Usage: scripts/demo.sh   (PORT=8080 by default; DIST=dist)
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-8080}
DIST=${DIST:-dist}

step() { printf '\n== %s\n' "$*"; }

build_cli() {
  step "building the kefu CLI"
  cargo build --release -p kefu-cli
}

build_widget() {
  step "building the widget into $DIST/"
  bash scripts/build-widget.sh "$DIST"
}

# After the widget: `trunk build` empties the dist folder.
build_kb() {
  step "compiling kb/ into $DIST/kb.bin"
  ./target/release/kefu build kb -o "$DIST/kb.bin"
}

serve_static() {
  step "serving $DIST/"
  printf '\nkefu demo: http://127.0.0.1:%s/\n' "$PORT"
  printf '           http://127.0.0.1:%s/chat.html   (full-screen chat page)\n\n' "$PORT"
  exec python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$DIST"
}

step "setup"
bash scripts/setup.sh
build_cli
build_widget
build_kb
serve_static
