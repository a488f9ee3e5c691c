//! `kefu eval`: top-1, hit@5, answer rates, false answers on out-of-scope questions and
//! latency, for a file of labelled questions.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context};
use clap::Args;
use kefu_core::Outcome;
use serde::{Deserialize, Serialize};

use crate::kbfile::load;
use crate::Verdict;

#[derive(Args)]
pub struct EvalArgs {
    #[arg(long, default_value = "kb.bin")]
    kb: PathBuf,
    /// JSON Lines: {"query": "...", "expected": "<entry id>" | null}.
    #[arg(long)]
    cases: PathBuf,
    /// Fail (exit 1) when top-1 accuracy is below this (0..1).
    #[arg(long)]
    min_top1: Option<f64>,
    /// Fail (exit 1) when the false-answer rate on out-of-scope questions is above this.
    #[arg(long)]
    max_false_answer: Option<f64>,
    /// Print the questions the engine got wrong.
    #[arg(long)]
    errors: bool,
    /// Print the N slowest questions with their times.
    #[arg(long, default_value_t = 0)]
    slowest: usize,
    /// Print the report as one JSON object.
    #[arg(long)]
    json: bool,
}

#[derive(Deserialize)]
struct Case {
    query: String,
    expected: Option<String>,
}

/// The measures of one evaluation.
#[derive(Serialize, Default)]
pub struct Report {
    pub cases: usize,
    pub in_scope: usize,
    pub out_of_scope: usize,
    /// Best candidate is the expected entry.
    pub top1: f64,
    /// Expected entry among the first five.
    pub hit5: f64,
    /// Answered directly with the expected entry.
    pub answered_correct: f64,
    /// Answered directly with another entry (in-scope questions).
    pub answered_wrong: f64,
    /// Offered choices that include the expected entry.
    pub clarified_with_expected: f64,
    /// Answered directly although the question is out of scope.
    pub false_answer: f64,
    pub latency_us_p50: f64,
    pub latency_us_p90: f64,
    pub latency_us_p99: f64,
    pub latency_us_max: f64,
}

pub fn run(args: EvalArgs) -> anyhow::Result<Verdict> {
    let engine = load(&args.kb)?;
    let text = std::fs::read_to_string(&args.cases)
        .with_context(|| format!("cannot read {}", args.cases.display()))?;
    let mut cases = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let case: Case = serde_json::from_str(line)
            .with_context(|| format!("{}:{}: bad case", args.cases.display(), i + 1))?;
        let expected = match &case.expected {
            None => None,
            Some(id) => match engine.kb().entry_by_id(id) {
                Some((idx, _)) => Some(idx),
                None => bail!(
                    "{}:{}: expected entry `{id}` is not in the knowledge base",
                    args.cases.display(),
                    i + 1
                ),
            },
        };
        cases.push((case.query, expected));
    }
    if cases.is_empty() {
        bail!("{} has no cases", args.cases.display());
    }
    // warm up, then time each question
    for (q, _) in cases.iter().take(20) {
        engine.ask(q, None);
    }
    let mut r = Report {
        cases: cases.len(),
        ..Report::default()
    };
    let mut latencies = Vec::with_capacity(cases.len());
    let (mut top1, mut hit5, mut ok, mut wrong, mut clar, mut false_answers) = (0, 0, 0, 0, 0, 0);
    for (query, expected) in &cases {
        let start = Instant::now();
        let m = engine.ask(query, None);
        latencies.push(start.elapsed().as_secs_f64() * 1e6);
        let ids = |e: u32| engine.kb().entries[e as usize].id.as_str();
        match expected {
            Some(exp) => {
                r.in_scope += 1;
                let first = m.candidates.first().map(|c| c.entry);
                top1 += usize::from(first == Some(*exp));
                hit5 += usize::from(m.candidates.iter().take(5).any(|c| c.entry == *exp));
                let verdict = match &m.outcome {
                    Outcome::Answer(e) if e == exp => {
                        ok += 1;
                        None
                    }
                    Outcome::Answer(e) => {
                        wrong += 1;
                        Some(format!("wrong answer `{}`", ids(*e)))
                    }
                    Outcome::Clarify(list) if list.contains(exp) => {
                        clar += 1;
                        Some("clarify (includes it)".to_string())
                    }
                    Outcome::Clarify(_) => Some("clarify without it".to_string()),
                    Outcome::Fallback => Some("fallback".to_string()),
                };
                if args.errors && first != Some(*exp) {
                    println!(
                        "MISS {:.2} `{}` expected `{}` top `{}` ({})",
                        m.confidence,
                        query,
                        ids(*exp),
                        first.map_or("-", ids),
                        verdict.unwrap_or_default()
                    );
                }
            }
            None => {
                r.out_of_scope += 1;
                if let Outcome::Answer(e) = m.outcome {
                    false_answers += 1;
                    if args.errors {
                        println!(
                            "FALSE {:.2} `{}` answered `{}`",
                            m.confidence,
                            query,
                            ids(e)
                        );
                    }
                }
            }
        }
    }
    let share = |n: usize, d: usize| if d == 0 { 0.0 } else { n as f64 / d as f64 };
    r.top1 = share(top1, r.in_scope);
    r.hit5 = share(hit5, r.in_scope);
    r.answered_correct = share(ok, r.in_scope);
    r.answered_wrong = share(wrong, r.in_scope);
    r.clarified_with_expected = share(clar, r.in_scope);
    r.false_answer = share(false_answers, r.out_of_scope);
    if args.slowest > 0 {
        let mut timed: Vec<(f64, &str)> = latencies
            .iter()
            .copied()
            .zip(cases.iter().map(|c| c.0.as_str()))
            .collect();
        timed.sort_by(|a, b| b.0.total_cmp(&a.0));
        for (us, q) in timed.iter().take(args.slowest) {
            println!("SLOW {us:.0} µs `{q}`");
        }
    }
    latencies.sort_by(f64::total_cmp);
    let pct = |p: f64| latencies[((latencies.len() - 1) as f64 * p).round() as usize];
    r.latency_us_p50 = pct(0.5);
    r.latency_us_p90 = pct(0.9);
    r.latency_us_p99 = pct(0.99);
    r.latency_us_max = *latencies.last().expect("non-empty");
    if args.json {
        println!("{}", serde_json::to_string(&r)?);
    } else {
        println!(
            "cases {} (in scope {}, out of scope {})",
            r.cases, r.in_scope, r.out_of_scope
        );
        println!("top-1 {:.1}%  hit@5 {:.1}%", r.top1 * 100.0, r.hit5 * 100.0);
        println!(
            "answered right {:.1}%  answered wrong {:.1}%  clarify incl. right {:.1}%",
            r.answered_correct * 100.0,
            r.answered_wrong * 100.0,
            r.clarified_with_expected * 100.0
        );
        println!(
            "false answers on out-of-scope {:.1}%",
            r.false_answer * 100.0
        );
        println!(
            "latency µs p50 {:.0}  p90 {:.0}  p99 {:.0}  max {:.0}",
            r.latency_us_p50, r.latency_us_p90, r.latency_us_p99, r.latency_us_max
        );
    }
    let mut failed = false;
    if let Some(min) = args.min_top1 {
        if r.top1 < min {
            eprintln!(
                "kefu: top-1 {:.1}% is below {:.1}%",
                r.top1 * 100.0,
                min * 100.0
            );
            failed = true;
        }
    }
    if let Some(max) = args.max_false_answer {
        if r.out_of_scope > 0 && r.false_answer > max {
            eprintln!(
                "kefu: false-answer rate {:.1}% is above {:.1}%",
                r.false_answer * 100.0,
                max * 100.0
            );
            failed = true;
        }
    }
    Ok(if failed {
        Verdict::FailureFound
    } else {
        Verdict::Ok
    })
}
