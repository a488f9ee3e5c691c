#!/usr/bin/env bash
# Prints the matcher's figures: the demo knowledge base on its development questions and
# on its own held-out paraphrases, and the English sets in ../shared/eval when present.
# Usage: scripts/measure.sh [cases.jsonl]   (default tests/eval/dev.jsonl)
set -euo pipefail
cd "$(dirname "$0")/.."
cases=${1:-tests/eval/dev.jsonl}
cargo build --release -q -p kefu-cli
kefu=target/release/kefu
mkdir -p target/measure
$kefu build kb -o target/measure/kb.bin -q
echo "== demo knowledge base, $cases"
$kefu eval --kb target/measure/kb.bin --cases "$cases"
echo "== demo knowledge base, held-out paraphrases"
$kefu check kb | tail -n 1 || true
for set in banking77 clinc150; do
  dir=../shared/eval/$set
  [ -d "$dir" ] || continue
  echo "== $set (dev)"
  $kefu build "$dir/faq.jsonl" -o "target/measure/$set.bin" -q
  $kefu eval --kb "target/measure/$set.bin" --cases "$dir/queries.dev.jsonl"
done
