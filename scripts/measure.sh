#!/usr/bin/env bash
# Prints the matcher's figures.
#
#   scripts/measure.sh [cases.jsonl]   the demo knowledge base on its development questions
#                                      (default tests/eval/dev.jsonl) and on its own
#                                      held-out paraphrases
#   scripts/measure.sh --large         all real sets in one knowledge base: speed and
#                                      decode time of kefu beside BM25, same run
#   scripts/measure.sh --real          every ../shared/eval/*/faq.jsonl compiled and
#                                      evaluated on its dev queries (and far out-of-scope
#                                      chat where present), kefu beside a BM25 over
#                                      characters and bigrams computed in the same run,
#                                      plus the demo sets and the cross-language set;
#                                      one Markdown table
#   scripts/measure.sh --calibration   every real set's and the demo's real questions'
#                                      signals beside the knowledge base's own calibration
#                                      examples (kefu eval --signals / --self-signals),
#                                      read by scripts/calibration-study.py
#
# The real data is read where it lies at run time; nothing of it is copied.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p kefu-cli
kefu=target/release/kefu
mkdir -p target/measure
$kefu build kb -o target/measure/kb.bin -q
if [ "${1:-}" = "--large" ]; then
  # All real sets in one knowledge base (about 8,200 entries), every dev query asked:
  # speed of kefu beside the BM25 reference in the same run.
  ls ../shared/eval/*/faq.jsonl >/dev/null 2>&1 || { echo "../shared/eval not found: skipped"; exit 0; }
  cat ../shared/eval/*/faq.jsonl > target/measure/large.jsonl
  cat ../shared/eval/*/queries.dev.jsonl > target/measure/large-queries.jsonl
  $kefu build target/measure/large.jsonl -o target/measure/large.bin -q
  ls -l target/measure/large.bin | awk '{print "file bytes", $5}'
  $kefu eval --kb target/measure/large.bin --cases target/measure/large-queries.jsonl \
    --baseline bm25 --source target/measure/large.jsonl
  exit 0
fi
if [ "${1:-}" = "--calibration" ]; then
  ls ../shared/eval/*/faq.jsonl >/dev/null 2>&1 || { echo "../shared/eval not found: skipped"; exit 0; }
  for set in afqmc bq lcqmc banking77 clinc150; do
    dir=../shared/eval/$set
    $kefu build "$dir/faq.jsonl" -o "target/measure/$set.bin" -q
    $kefu eval --kb "target/measure/$set.bin" --cases "$dir/queries.dev.jsonl" --json \
      --signals "target/measure/$set.sig.jsonl" --self-signals "target/measure/$set.self.jsonl" >/dev/null
  done
  $kefu eval --kb target/measure/kb.bin --cases tests/eval/cases.jsonl --json \
    --signals target/measure/demo.sig.jsonl --self-signals target/measure/demo.self.jsonl >/dev/null
  python3 scripts/calibration-study.py target/measure/
  exit 0
fi
if [ "${1:-}" = "--real" ]; then
  echo "| set | matcher | top-1 | hit@5 | OOD AUROC | direct answers (in scope) | direct answers right | false answers (OOD) | false answers (far OOD) | p50 µs | p99 µs |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  for set in afqmc bq lcqmc banking77 clinc150; do
    dir=../shared/eval/$set
    [ -f "$dir/faq.jsonl" ] || { echo "| $set | (not found: $dir) |"; continue; }
    $kefu build "$dir/faq.jsonl" -o "target/measure/$set.bin" -q
    far=()
    [ -f "$dir/queries.far_ood.dev.jsonl" ] && far=(--far-ood "$dir/queries.far_ood.dev.jsonl")
    $kefu eval --kb "target/measure/$set.bin" --cases "$dir/queries.dev.jsonl" "${far[@]}" \
      --baseline bm25 --source "$dir/faq.jsonl" --markdown "$set dev"
  done
  for cases in tests/eval/dev.jsonl tests/eval/cases.jsonl; do
    $kefu eval --kb target/measure/kb.bin --cases "$cases" --baseline bm25 --source kb \
      --markdown "demo, $(basename "$cases")"
  done
  # Cross-language: English questions to a Chinese knowledge base and the reverse.
  x=tests/eval/crosslang
  for pair in "zh en-to-zh" "en zh-to-en"; do
    set -- $pair
    $kefu build "$x/faq.$1.jsonl" -o "target/measure/crosslang-$1.bin" -q
    $kefu eval --kb "target/measure/crosslang-$1.bin" --cases "$x/queries.$2.jsonl" \
      --baseline bm25 --source "$x/faq.$1.jsonl" --markdown "cross-language, $2"
  done
  exit 0
fi
cases=${1:-tests/eval/dev.jsonl}
echo "== demo knowledge base, $cases"
$kefu eval --kb target/measure/kb.bin --cases "$cases"
echo "== demo knowledge base, held-out paraphrases"
$kefu check kb | tail -n 1 || true
