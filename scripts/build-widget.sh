#!/usr/bin/env bash
# Builds the widget for release into DIST (default dist/): Trunk compiles the WebAssembly and
# copies the static files (www/app.html lists them), then npm binaryen's wasm-opt (pinned in
# tests/e2e/package.json; Debian's binaryen 108 corrupts wasm-bindgen's externref table)
# optimises the module in place and drops its names. -O1, not -Oz: on this module -Oz is 9 %
# smaller raw but 8 % larger gzipped (docs/benchmarks.md); inlining is what costs gzip. Dead
# argument elimination and merging identical functions on top: 0.75 % smaller gzipped. One
# release build; callers add kb.bin.
set -euo pipefail
cd "$(dirname "$0")/.."
dist=${1:-dist}

trunk build --release --offline --dist "$dist"
wasm=$dist/kefu-widget_bg.wasm
opt=tests/e2e/node_modules/.bin/wasm-opt
if [ ! -x "$opt" ]; then
  echo "build-widget: $opt missing; run scripts/setup.sh" >&2
  exit 2
fi
before=$(stat -c %s "$wasm")
# Kept for scripts/wasm-sizes.py (it still has the function names).
mkdir -p target/widget && cp "$wasm" target/widget/kefu-widget_bg.unopt.wasm
"$opt" -O1 --dae-optimizing --duplicate-function-elimination --strip-debug --strip-producers --enable-bulk-memory --enable-reference-types --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-multivalue "$wasm" -o "$wasm.opt"
mv "$wasm.opt" "$wasm"
# Trunk writes its build target as index.html; the demo page takes that place.
cp www/index.html "$dist/index.html"
# The service worker's version: a hash of the files it keeps, so each build is a new worker
# whose activation deletes the previous build's cache (www/kefu-sw.js).
version=$(cd "$dist" && cat kefu-widget_bg.wasm kefu-widget.js kefu.js kefu.css chat.html chat.css | sha256sum | cut -c1-12)
sed -i "s/^var VERSION = 'dev';/var VERSION = '$version';/" "$dist/kefu-sw.js"
grep -q "^var VERSION = '$version';" "$dist/kefu-sw.js" || { echo "build-widget: no VERSION line in kefu-sw.js" >&2; exit 2; }
echo "build-widget: wasm-opt $before -> $(stat -c %s "$wasm") bytes"
