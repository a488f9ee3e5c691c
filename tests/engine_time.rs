//! Engine time in WebAssembly, in headless Chromium: the widget's own build of kefu-core
//! (release profile, `opt-level = "z"`) timing
//!
//! 1. every turn of the 20-turn demo conversation of `crates/kefu-core/benches/conversation.rs`
//!    (the same inputs, the same clock), `Conversation::respond` one by one over many runs,
//!    with the FAQ matcher alone (`Engine::ask`) on the same typed messages interleaved as the
//!    peer, as the native bench does;
//! 2. the matcher alone (`Engine::ask`) on every question of `tests/eval/cases.jsonl` (what
//!    `kefu eval` times natively);
//! 3. when `scripts/bench-widget.sh` found the real data sets: the large knowledge base of
//!    all of them together (compiled by the script at run time into
//!    `target/browser-test/large.bin`, never committed), its load, `Engine::ask` on every
//!    development question and `Engine::suggest` on every keystroke of the first of them.
//!
//! A benchmark, not a test: ignored by default, it prints a table and fails on nothing.
//! `scripts/bench-widget.sh` runs it (`cargo test --release --target wasm32-unknown-unknown
//! --test engine_time -- --include-ignored --nocapture`) next to the native figures.
//! The test runner serves the page cross-origin isolated, so `performance.now()` has 5 µs
//! resolution (not 100 µs): the table says which it got.

#![cfg(target_arch = "wasm32")]

use kefu_core::dialogue::{Conversation, Input};
use kefu_core::Engine;
use std::hint::black_box;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

#[allow(dead_code)]
mod common;

#[path = "../crates/kefu-core/benches/shared/turns.rs"]
mod turns;
use turns::{by_turn_summary, pct, turns, START};

wasm_bindgen_test_configure!(run_in_browser);

const RUNS: usize = 100;
const CASES: &str = include_str!("eval/cases.jsonl");

fn performance() -> web_sys::Performance {
    js_sys::global()
        .unchecked_into::<web_sys::Window>()
        .performance()
        .expect("performance")
}

/// The large knowledge base and its questions (JSON Lines), written by
/// `scripts/bench-widget.sh` from the real data sets; both empty when it found none.
static LARGE_KB: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/target/browser-test/large.bin"
));
static LARGE_CASES: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/target/browser-test/large-queries.jsonl"
));

/// The questions of a JSON Lines file (`{"query": "…", …}` per line).
fn queries(cases: &str) -> Vec<String> {
    cases
        .lines()
        .filter_map(|line| {
            let at = line.find("\"query\"")? + "\"query\"".len();
            let rest = line[at..].trim_start().strip_prefix(':')?.trim_start();
            json_string(rest.strip_prefix('"')?)
        })
        .collect()
}

/// The JSON string starting at `s` (after its opening quote), unescaped.
fn json_string(s: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = s.chars();
    let hex = |chars: &mut std::str::Chars| -> Option<u32> {
        let digits: String = chars.by_ref().take(4).collect();
        u32::from_str_radix(&digits, 16).ok()
    };
    loop {
        match chars.next()? {
            '"' => return Some(out),
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'r' => out.push('\r'),
                'b' => out.push('\u{8}'),
                'f' => out.push('\u{c}'),
                'u' => {
                    let mut code = hex(&mut chars)?;
                    if (0xd800..0xdc00).contains(&code) {
                        // A surrogate pair: \uD83D\uDE00.
                        let rest = chars.as_str().strip_prefix("\\u")?;
                        chars = rest.chars();
                        let low = hex(&mut chars)?;
                        code = 0x10000 + ((code - 0xd800) << 10) + (low.checked_sub(0xdc00)?);
                    }
                    out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                }
                c => out.push(c),
            },
            c => out.push(c),
        }
    }
}

#[wasm_bindgen_test]
#[ignore = "a benchmark: scripts/bench-widget.sh runs it"]
fn engine_time_in_wasm() {
    let perf = performance();
    let isolated = js_sys::Reflect::get(&js_sys::global(), &"crossOriginIsolated".into())
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    let t = perf.now();
    let engine: Engine = common::engine();
    let load_ms = perf.now() - t;
    let turns = turns();

    // 1. The conversation, turn by turn, with the matcher on the same messages as the peer.
    let mut by_turn = vec![Vec::with_capacity(RUNS); turns.len()];
    let mut matcher = Vec::new();
    for _ in 0..RUNS {
        let mut conversation = Conversation::new();
        for (i, input) in turns.iter().enumerate() {
            let start = perf.now();
            black_box(conversation.respond(&engine, input.clone(), START + 20 * i as i64));
            by_turn[i].push((perf.now() - start) * 1e3);
            if let Input::Text(text) = input {
                let start = perf.now();
                black_box(engine.ask(text, Some(START)));
                matcher.push((perf.now() - start) * 1e3);
            }
        }
    }
    let (p50, p99, max, slowest, slowest_p99) = by_turn_summary(&mut by_turn);
    let (m50, m99) = (pct(&mut matcher, 0.5), pct(&mut matcher, 0.99));

    // 2. The matcher on the held-out questions (each asked once after a warm-up of 20).
    let queries = queries(CASES);
    assert!(queries.len() > 100, "tests/eval/cases.jsonl read");
    for q in queries.iter().take(20) {
        black_box(engine.ask(q, Some(START)));
    }
    let mut cases = Vec::with_capacity(queries.len() * 5);
    for _ in 0..5 {
        for q in &queries {
            let start = perf.now();
            black_box(engine.ask(q, Some(START)));
            cases.push((perf.now() - start) * 1e3);
        }
    }
    let (c50, c99) = (pct(&mut cases, 0.5), pct(&mut cases, 0.99));

    console_log!(
        "engine-time: clock {} (crossOriginIsolated {isolated}); demo kb loaded in {load_ms:.1} ms",
        if isolated { "5 µs" } else { "100 µs, coarse" }
    );
    console_log!(
        "engine-time: | conversation, {} turns × {RUNS} runs (Conversation::respond) | p50 {p50:.0} µs | p99 {p99:.0} µs | max {max:.0} µs | slowest turn #{} p99 {slowest_p99:.0} µs |",
        turns.len(),
        slowest + 1
    );
    console_log!(
        "engine-time: | FAQ matcher alone (Engine::ask), same messages, same run | p50 {m50:.0} µs | p99 {m99:.0} µs |"
    );
    console_log!(
        "engine-time: | FAQ matcher (Engine::ask), tests/eval/cases.jsonl, {} questions × 5 | p50 {c50:.0} µs | p99 {c99:.0} µs |",
        queries.len()
    );
    large_knowledge_base(&perf);
}

/// 3. The real data sets in one knowledge base: load, every question once, every keystroke.
fn large_knowledge_base(perf: &web_sys::Performance) {
    if LARGE_KB.is_empty() {
        console_log!("engine-time: no large knowledge base (the real data sets were not found)");
        return;
    }
    let mut loads = Vec::new();
    for _ in 0..5 {
        let start = perf.now();
        black_box(Engine::load(LARGE_KB).expect("the large knowledge base loads"));
        loads.push(perf.now() - start);
    }
    let engine = Engine::load(LARGE_KB).expect("the large knowledge base loads");
    let queries = queries(LARGE_CASES);
    assert!(queries.len() > 1000, "the large set's questions read");
    // The first question builds the correction keys, the first keystroke the typeahead keys:
    // both once per loaded knowledge base, timed apart.
    let start = perf.now();
    black_box(engine.ask(&queries[0], None));
    let first_ask = perf.now() - start;
    let start = perf.now();
    black_box(engine.suggest("a", 5));
    let first_suggest = perf.now() - start;
    let mut asks = Vec::with_capacity(queries.len());
    for q in &queries {
        let start = perf.now();
        black_box(engine.ask(q, None));
        asks.push((perf.now() - start) * 1e3);
    }
    // Typeahead: every prefix of the first 300 questions, as typed.
    let mut keys = Vec::new();
    for q in queries.iter().take(300) {
        let mut typed = String::new();
        for c in q.chars() {
            typed.push(c);
            let start = perf.now();
            black_box(engine.suggest(&typed, 5));
            keys.push((perf.now() - start) * 1e3);
        }
    }
    let (a50, a99) = (pct(&mut asks, 0.5), pct(&mut asks, 0.99));
    let (k50, k99) = (pct(&mut keys, 0.5), pct(&mut keys, 0.99));
    console_log!(
        "engine-time: large knowledge base: {} entries, {} KB, load median {:.1} ms; first question {first_ask:.1} ms, first keystroke {first_suggest:.1} ms",
        engine.kb().entries.len(),
        LARGE_KB.len() / 1024,
        pct(&mut loads, 0.5)
    );
    console_log!(
        "engine-time: | FAQ matcher (Engine::ask), large knowledge base, {} questions | p50 {a50:.0} µs | p99 {a99:.0} µs |",
        queries.len()
    );
    console_log!(
        "engine-time: | typeahead (Engine::suggest), large knowledge base, {} keystrokes | p50 {k50:.0} µs | p99 {k99:.0} µs |",
        keys.len()
    );
}

#[wasm_bindgen_test]
fn json_strings_unescape() {
    assert_eq!(
        queries("{\"query\": \"a\\\"b\\\\c\\u00e9\\ud83d\\ude00\", \"expected\": null}"),
        ["a\"b\\cé😀"]
    );
    assert_eq!(queries("{\"query\":\"发票\"}"), ["发票"]);
}
