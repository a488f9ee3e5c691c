//! `kefu fit-prior`: fits the confidence model's built-in prior (the weights a knowledge
//! base with too few similar questions to learn from keeps) on labelled questions of
//! several knowledge bases, and prints the weights to paste into `Model::default` in
//! `crates/kefu-core/src/model.rs`, with what they would do at a range of thresholds.
//!
//! With `--label in-scope` (the default) an example is positive when the question is in
//! scope, whatever came first: the prior then separates what a knowledge base covers from
//! what it does not, which is what the answer floor and the clarify threshold cut on. With
//! `--label correct` it is positive only when the best candidate is its entry.
//! `--signals` restricts the fit to some signals (the others get weight 0): a few signals
//! that hold across sets carry over to other shops better than all of them.

use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::Args;
use kefu_core::model::{Model, Signals};
use kefu_core::RankOptions;
use serde::Deserialize;

use crate::kbfile::load;
use crate::Verdict;

#[derive(Args)]
pub struct FitPriorArgs {
    /// `kb.bin=cases.jsonl` pairs (compiled knowledge base and its labelled questions).
    #[arg(required = true)]
    sets: Vec<String>,
    /// What counts as a positive example: `in-scope` or `correct`.
    #[arg(long, default_value = "in-scope")]
    label: String,
    /// Comma-separated signal names to fit (default: all; see `Signals::NAMES`).
    #[arg(long)]
    signals: Option<String>,
    /// L2 penalty on the weights (the bias excepted).
    #[arg(long, default_value_t = 1e-2)]
    lambda: f64,
}

#[derive(Deserialize)]
struct Case {
    query: String,
    expected: Option<String>,
}

/// One question's signals, whether its best candidate was right, whether it was in scope.
type Example = (Signals, bool, bool);

pub fn run(args: FitPriorArgs) -> anyhow::Result<Verdict> {
    // Per set; each set weighs the same in the fit.
    let mut sets: Vec<(String, Vec<Example>)> = Vec::new();
    for pair in &args.sets {
        let Some((kb, cases)) = pair.split_once('=') else {
            bail!("`{pair}`: expected kb.bin=cases.jsonl");
        };
        let engine = load(&PathBuf::from(kb))?;
        let text =
            std::fs::read_to_string(cases).with_context(|| format!("cannot read {cases}"))?;
        let mut examples = Vec::new();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let case: Case =
                serde_json::from_str(line).with_context(|| format!("{cases}: bad case"))?;
            let expected = case
                .expected
                .as_deref()
                .and_then(|id| engine.kb().entry_by_id(id).map(|(i, _)| i));
            let r = engine.rank(
                &case.query,
                &RankOptions {
                    limit: 5,
                    ..RankOptions::default()
                },
            );
            let Some(best) = r.candidates.first() else {
                continue;
            };
            examples.push((r.signals, Some(best.entry) == expected, expected.is_some()));
        }
        sets.push((pair.clone(), examples));
    }
    let label = match args.label.as_str() {
        "in-scope" => |e: &Example| e.2,
        "correct" => |e: &Example| e.1,
        other => bail!("unknown label `{other}` (known: in-scope, correct)"),
    };
    // Balance the sets by repeating the smaller ones.
    let largest = sets.iter().map(|s| s.1.len()).max().unwrap_or(0);
    let mut pooled: Vec<(Signals, bool)> = Vec::new();
    for (_, ex) in &sets {
        let times = (largest / ex.len().max(1)).max(1);
        for _ in 0..times {
            pooled.extend(ex.iter().map(|e| (e.0, label(e))));
        }
    }
    let mut active = [true; Signals::COUNT];
    if let Some(list) = &args.signals {
        let wanted: Vec<&str> = list.split(',').map(str::trim).collect();
        for name in &wanted {
            if !Signals::NAMES.contains(name) {
                bail!(
                    "unknown signal `{name}` (known: {})",
                    Signals::NAMES.join(", ")
                );
            }
        }
        for (a, name) in active.iter_mut().zip(Signals::NAMES) {
            *a = name == "bias" || wanted.contains(&name);
        }
    }
    let model = Model::fit_toward(
        &pooled,
        &[0.0; Signals::COUNT],
        &[0.0; Signals::COUNT],
        args.lambda,
        &active,
    );
    println!(
        "weights: [{}]",
        model
            .weights
            .iter()
            .map(|w| format!("{w:.3}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut line = "OOD AUROC:".to_string();
    for (name, ex) in &sets {
        let (pos, neg): (Vec<_>, Vec<_>) = ex.iter().partition(|e| e.2);
        let conf = |v: Vec<&Example>| v.iter().map(|e| model.confidence(&e.0)).collect::<Vec<_>>();
        if let Some(a) = crate::eval::auroc(&conf(pos), &conf(neg)) {
            line += &format!("  {}: {a:.3}", short(name));
        }
    }
    println!("{line}");
    for threshold in [0.5f32, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95] {
        let mut line = format!("threshold {threshold:.2}:");
        for (name, ex) in &sets {
            let in_scope = ex.iter().filter(|e| e.2).count().max(1);
            let ood = ex.iter().filter(|e| !e.2).count();
            let answered: Vec<_> = ex
                .iter()
                .filter(|e| model.confidence(&e.0) >= threshold)
                .collect();
            let right = answered.iter().filter(|e| e.1).count();
            let false_ood = answered.iter().filter(|e| !e.2).count();
            let direct = answered.iter().filter(|e| e.2).count();
            line += &format!(
                "  {}: direct {:.0}% right {:.0}% false {:.0}%",
                short(name),
                100.0 * direct as f64 / in_scope as f64,
                100.0 * right as f64 / answered.len().max(1) as f64,
                if ood == 0 {
                    0.0
                } else {
                    100.0 * false_ood as f64 / ood as f64
                }
            );
        }
        println!("{line}");
    }
    Ok(Verdict::Ok)
}

fn short(pair: &str) -> &str {
    let kb = pair.split('=').next().unwrap_or(pair);
    let file = kb.rsplit('/').next().unwrap_or(kb);
    file.strip_suffix(".bin").unwrap_or(file)
}
