#!/usr/bin/env bash
# Sizes and load times of the widget in headless Chromium (tests/e2e/bench.mjs); prints the
# table recorded in docs/benchmarks.md. Builds the widget once (scripts/build-widget.sh) unless
# DIST points at an existing build with kb.bin.
set -euo pipefail
cd "$(dirname "$0")/.."
dist=${DIST:-target/bench/dist}
if [ -z "${DIST:-}" ]; then
  bash scripts/setup.sh >/dev/null
  cargo build --release -q -p kefu-cli
  bash scripts/build-widget.sh "$dist" >/dev/null
  ./target/release/kefu build kb -o "$dist/kb.bin" -q
fi
(cd tests/e2e && KEFU_DIST="../../$dist" node bench.mjs)
