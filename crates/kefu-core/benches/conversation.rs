//! A 20-turn conversation on the demo knowledge base (welcome, product questions with
//! context, a recommendation, an order lookup and follow-up, a return flow interrupted by
//! an FAQ question, progressive disclosure, emotion, a handoff and a rating). Besides
//! criterion's mean for the whole conversation, prints per-turn latency percentiles, since
//! the target is stated per turn (p99 ≤ 1 ms natively).
//!
//! A peer figure from the same run sits beside it: the FAQ matcher alone (`Engine::ask`) on
//! the same typed messages, interleaved with the turns, so a busy machine shows in both.
//!
//! Run: `cargo bench -p kefu-core --bench conversation`

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use criterion::{criterion_group, Criterion};
use kefu_core::dialogue::{Conversation, Input};
use kefu_core::Engine;

// The 20 turns and their clock, shared with the widget's wasm bench (`tests/engine_time.rs`).
#[path = "shared/turns.rs"]
mod turns;
use turns::{by_turn_summary, pct, turns, START};

fn engine() -> Engine {
    let kb = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../kb"));
    let compiled = kefu_compiler::compile(kb).expect("demo compiles");
    let bytes = kefu_core::format::encode(&compiled.for_device());
    Engine::load(&bytes).expect("demo loads")
}

/// Runs the whole conversation; returns how many messages it produced.
fn converse(engine: &Engine, turns: &[Input]) -> usize {
    let mut conversation = Conversation::new();
    let mut messages = 0;
    for (i, input) in turns.iter().enumerate() {
        let reply = conversation.respond(engine, input.clone(), START + 20 * i as i64);
        messages += reply.messages.len();
    }
    messages
}

fn percentiles(engine: &Engine, turns: &[Input]) {
    const RUNS: usize = 300;
    let mut by_turn = vec![Vec::with_capacity(RUNS); turns.len()];
    let mut matcher: Vec<f64> = Vec::new();
    let mut state_bytes = 0;
    for _ in 0..RUNS {
        let mut conversation = Conversation::new();
        for (i, input) in turns.iter().enumerate() {
            let start = Instant::now();
            black_box(conversation.respond(engine, input.clone(), START + 20 * i as i64));
            by_turn[i].push(start.elapsed().as_secs_f64() * 1e6);
            if let Input::Text(text) = input {
                let start = Instant::now();
                black_box(engine.ask(text, Some(START)));
                matcher.push(start.elapsed().as_secs_f64() * 1e6);
            }
        }
        state_bytes = postcard::to_allocvec(&conversation)
            .expect("serialises")
            .len();
    }
    let (p50, p99, max, slowest, slowest_p99) = by_turn_summary(&mut by_turn);
    println!(
        "| demo | {} turns × {RUNS} runs | per turn p50 {p50:.0} µs | p99 {p99:.0} µs | max {max:.0} µs | slowest turn #{} p99 {slowest_p99:.0} µs | state after 20 turns {state_bytes} bytes |",
        turns.len(),
        slowest + 1,
    );
    if std::env::var("KEFU_BENCH_TURNS").is_ok() {
        for (i, v) in by_turn.iter_mut().enumerate() {
            println!(
                "turn #{:>2}: p50 {:>6.0} µs  p99 {:>6.0} µs",
                i + 1,
                pct(v, 0.5),
                pct(v, 0.99)
            );
        }
    }
    let (m50, m99) = (pct(&mut matcher, 0.5), pct(&mut matcher, 0.99));
    println!(
        "| peer: FAQ matcher alone (Engine::ask), same messages, same run | p50 {m50:.0} µs | p99 {m99:.0} µs |"
    );
}

fn bench(c: &mut Criterion) {
    let engine = engine();
    let turns = turns();
    assert_eq!(turns.len(), 20);
    percentiles(&engine, &turns);
    c.bench_function("conversation/20 turns", |b| {
        b.iter(|| converse(&engine, black_box(&turns)))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(3));
    targets = bench
}

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
}
