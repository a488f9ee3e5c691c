//! Engine time in WebAssembly, in headless Chromium: the widget's own build of kefu-core
//! (release profile, `opt-level = "z"`) timing
//!
//! 1. every turn of the 20-turn demo conversation of `crates/kefu-core/benches/conversation.rs`
//!    (the same inputs, the same clock), `Conversation::respond` one by one over many runs,
//!    with the FAQ matcher alone (`Engine::ask`) on the same typed messages interleaved as the
//!    peer, as the native bench does;
//! 2. the matcher alone (`Engine::ask`) on every question of `tests/eval/cases.jsonl` (what
//!    `kefu eval` times natively).
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

/// The questions of `tests/eval/cases.jsonl` (`{"query": "…", …}` per line).
fn queries() -> Vec<String> {
    CASES
        .lines()
        .filter_map(|line| {
            // The file's questions hold no escapes (checked: a backslash fails the bench).
            let rest = line.split_once("\"query\": \"")?.1;
            let query = rest.split_once('"')?.0;
            assert!(!query.contains('\\'), "an escaped question: {line}");
            Some(query.to_string())
        })
        .collect()
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
    let queries = queries();
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
}
