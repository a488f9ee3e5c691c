//! `kefu ask`, `kefu match`, `kefu suggest` and `kefu sim`.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use kefu_core::{Engine, Match, Outcome};
use serde::Serialize;

use crate::kbfile::{load, now};
use crate::Verdict;

#[derive(Args)]
pub struct AskArgs {
    /// The compiled knowledge base.
    #[arg(long, default_value = "kb.bin")]
    kb: PathBuf,
    /// The question.
    question: String,
    /// Also print the features the engine read and the candidates' scores.
    #[arg(long)]
    explain: bool,
}

#[derive(Args)]
pub struct MatchArgs {
    #[arg(long, default_value = "kb.bin")]
    kb: PathBuf,
    /// Print JSON lines (the only format for now; accepted for clarity in scripts).
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
pub struct SuggestArgs {
    #[arg(long, default_value = "kb.bin")]
    kb: PathBuf,
    /// What the customer has typed so far.
    partial: String,
    #[arg(long, default_value_t = 5)]
    limit: usize,
}

#[derive(Args)]
pub struct SimArgs {
    /// Use this knowledge base's vocabulary and weights. Without it, the pairs themselves
    /// are the corpus the weights are learned from.
    #[arg(long)]
    kb: Option<PathBuf>,
}

pub fn ask(args: AskArgs) -> anyhow::Result<Verdict> {
    let engine = load(&args.kb)?;
    let m = engine.ask(&args.question, Some(now()));
    print_match(&engine, &m);
    if args.explain {
        let (settings, model) = (&engine.kb().settings, &engine.kb().model);
        println!(
            "thresholds: answer {:.3} (operator {:.3}, floor {:.3}), clarify {:.3}",
            settings.answer_threshold.max(model.answer_floor),
            settings.answer_threshold,
            model.answer_floor,
            settings.clarify_threshold
        );
        println!("features: {}", engine.features(&args.question).join(" "));
        let ranking = engine.rank(
            &args.question,
            &kefu_core::RankOptions {
                now: Some(now()),
                limit: 5,
                ..Default::default()
            },
        );
        println!("signals: {:?}", ranking.signals);
        println!(
            "model: weights {:?}, fitted on {} examples",
            model.weights, model.examples
        );
        for c in &m.candidates {
            let e = &engine.kb().entries[c.entry as usize];
            println!("  {:.3}  {}  {}", c.score, e.id, e.question);
        }
    }
    Ok(Verdict::Ok)
}

fn print_match(engine: &Engine, m: &Match) {
    let kb = engine.kb();
    match &m.outcome {
        Outcome::Answer(e) => {
            let entry = &kb.entries[*e as usize];
            println!(
                "answer ({:.2}) [{}] {}",
                m.confidence, entry.id, entry.question
            );
            println!("{}", entry.answer);
        }
        Outcome::Clarify(choices) => {
            println!(
                "clarify ({:.2}) {}",
                m.confidence, kb.settings.texts.clarify
            );
            for (i, e) in choices.iter().enumerate() {
                let entry = &kb.entries[*e as usize];
                println!("  {}. [{}] {}", i + 1, entry.id, entry.question);
            }
        }
        Outcome::Fallback => {
            println!(
                "fallback ({:.2}) {}",
                m.confidence, kb.settings.texts.fallback
            );
            for e in &kb.settings.hot_questions {
                println!("  - {}", kb.entries[*e as usize].question);
            }
        }
    }
}

#[derive(Serialize)]
struct MatchLine<'a> {
    query: &'a str,
    outcome: &'static str,
    confidence: f32,
    matches: Vec<Scored<'a>>,
}

#[derive(Serialize)]
struct Scored<'a> {
    id: &'a str,
    score: f32,
}

pub fn run_match(args: MatchArgs) -> anyhow::Result<Verdict> {
    let engine = load(&args.kb)?;
    let now = now();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for line in std::io::stdin().lock().lines() {
        let query = line.context("cannot read stdin")?;
        let m = engine.ask(&query, Some(now));
        let record = MatchLine {
            query: &query,
            outcome: m.outcome.kind(),
            confidence: m.confidence,
            matches: m
                .candidates
                .iter()
                .map(|c| Scored {
                    id: &engine.kb().entries[c.entry as usize].id,
                    score: c.score,
                })
                .collect(),
        };
        serde_json::to_writer(&mut out, &record)?;
        writeln!(out)?;
    }
    Ok(Verdict::Ok)
}

pub fn suggest(args: SuggestArgs) -> anyhow::Result<Verdict> {
    let engine = load(&args.kb)?;
    for s in engine.suggest(&args.partial, args.limit) {
        println!(
            "{}\t{}",
            engine.kb().entries[s.entry as usize].id,
            s.question
        );
    }
    Ok(Verdict::Ok)
}

pub fn sim(args: SimArgs) -> anyhow::Result<Verdict> {
    let mut pairs = Vec::new();
    for (i, line) in std::io::stdin().lock().lines().enumerate() {
        let line = line.context("cannot read stdin")?;
        let (a, b) = line
            .split_once('\t')
            .with_context(|| format!("line {}: expected two texts separated by a tab", i + 1))?;
        pairs.push((a.to_string(), b.to_string()));
    }
    let engine = match &args.kb {
        Some(path) => load(path)?,
        None => {
            let texts: Vec<String> = pairs
                .iter()
                .flat_map(|(a, b)| [a.clone(), b.clone()])
                .collect();
            let kb = kefu_compiler::compile_texts(&texts);
            Engine::from_kb(kb).context("corpus knowledge base is inconsistent")?
        }
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for (a, b) in &pairs {
        writeln!(out, "{:.4}", engine.similarity(a, b))?;
    }
    Ok(Verdict::Ok)
}
