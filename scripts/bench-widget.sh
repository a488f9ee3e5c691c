#!/usr/bin/env bash
# Sizes and load times of the widget in headless Chromium (tests/e2e/bench.mjs); prints the
# table recorded in docs/benchmarks.md. Builds the widget once (scripts/build-widget.sh) unless
# DIST points at an existing build with kb.bin. BASE_DIST: a second build (with kb.bin) whose
# cold open is measured in the same runs, for a before/after.
#
# Then the engine time in WebAssembly (tests/engine_time.rs: the 20-turn demo conversation, the
# matcher on tests/eval/cases.jsonl and, when ../shared/eval is there, the matcher and the
# typeahead on all real data sets in one knowledge base; release build, headless Chromium)
# beside the native figures of the same machine (`kefu eval` on the same questions, BM25
# beside it on the large set; with NATIVE_BENCH=1 also
# `cargo bench -p kefu-core --bench conversation`, the same 20 turns natively — a long build).
# ENGINE=0 skips this part, PAGE=0 the first.
set -euo pipefail
cd "$(dirname "$0")/.."
dist=${DIST:-target/bench/dist}
bash scripts/setup.sh >/dev/null
cargo build --release -q -p kefu-cli
if [ "${PAGE:-1}" != 0 ]; then
  if [ -z "${DIST:-}" ]; then
    bash scripts/build-widget.sh "$dist" >/dev/null
    ./target/release/kefu build kb -o "$dist/kb.bin" -q
  fi
  base=()
  if [ -n "${BASE_DIST:-}" ]; then base=(BASE_DIST="$(realpath "$BASE_DIST")"); fi
  (cd tests/e2e && env KEFU_DIST="../../$dist" "${base[@]}" node bench.mjs)
fi

if [ "${ENGINE:-1}" != 0 ]; then
  mkdir -p target/browser-test
  ./target/release/kefu build kb -o target/browser-test/kb.bin -q
  # The large knowledge base: every real data set of ../shared/eval in one, compiled here at
  # run time (the data stays where it is; target/ is not committed). Empty files when the
  # data is absent: the wasm bench then says so and skips that part.
  large=target/browser-test/large
  : > "$large.bin"
  : > "$large-queries.jsonl"
  if ls ../shared/eval/*/faq.jsonl >/dev/null 2>&1; then
    cat ../shared/eval/*/faq.jsonl > "$large.jsonl"
    cat ../shared/eval/*/queries.dev.jsonl > "$large-queries.jsonl"
    ./target/release/kefu build "$large.jsonl" -o "$large.bin" -q
  fi
  echo
  echo "engine time, wasm in headless Chromium (tests/engine_time.rs, release):"
  CHROMEDRIVER=${CHROMEDRIVER:-$(command -v chromedriver)} \
    cargo test --release --target wasm32-unknown-unknown -p kefu-widget --test engine_time \
    -- --include-ignored --nocapture 2>&1 | grep 'engine-time:' | sed 's/^.*engine-time: //'
  echo
  echo "native, same machine: kefu eval on tests/eval/cases.jsonl (Engine::ask, each question once):"
  ./target/release/kefu eval --kb target/browser-test/kb.bin --cases tests/eval/cases.jsonl | grep -i 'latency'
  if [ -s "$large.bin" ]; then
    echo
    echo "native, same machine: kefu eval on the large knowledge base (Engine::ask, each question once), BM25 beside it:"
    ./target/release/kefu eval --kb "$large.bin" --cases "$large-queries.jsonl" --baseline bm25 \
      --source "$large.jsonl" | grep -E '^(knowledge base|latency|-- BM25)'
  fi
  if [ "${NATIVE_BENCH:-0}" = 1 ]; then
    echo
    echo "native, same machine: cargo bench -p kefu-core --bench conversation (the same 20 turns):"
    cargo bench -q -p kefu-core --bench conversation 2>/dev/null | grep '^| '
  fi
fi
