//! `kefu eval`: top-1, hit@5, answer rates, false answers on out-of-scope questions and
//! latency, for a file of labelled questions.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context};
use clap::Args;
use kefu_core::Outcome;
use serde::{Deserialize, Serialize};

use crate::bm25::{self, Bm25};
use crate::kbfile::load;
use crate::Verdict;

/// `(entry, text)` for every question text of `kb`, entries numbered as in `engine`'s.
fn question_texts(kb: &kefu_core::KnowledgeBase, engine: &kefu_core::Engine) -> Vec<(u32, String)> {
    let index: std::collections::HashMap<&str, u32> = engine
        .kb()
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.as_str(), i as u32))
        .collect();
    let mut docs = Vec::new();
    for entry in &kb.entries {
        let Some(&idx) = index.get(entry.id.as_str()) else {
            continue;
        };
        docs.push((idx, entry.question.clone()));
        for s in &entry.similar {
            docs.push((idx, s.clone()));
        }
    }
    docs
}

#[derive(Args)]
pub struct EvalArgs {
    #[arg(long, default_value = "kb.bin")]
    kb: PathBuf,
    /// JSON Lines: {"query": "...", "expected": "<entry id>" | null}.
    #[arg(long)]
    cases: PathBuf,
    /// More out-of-scope questions (off-topic chat), JSON Lines like `--cases`: their
    /// false-answer rate is reported on its own.
    #[arg(long)]
    far_ood: Option<PathBuf>,
    /// Also measure a reference in the same run: `bm25` (characters and bigrams).
    #[arg(long)]
    baseline: Option<String>,
    /// The sources the knowledge base was compiled from, so the reference indexes the same
    /// question texts (a device file has no similar questions). Default: the file's texts.
    #[arg(long)]
    source: Option<PathBuf>,
    /// Print Markdown table rows labelled with this name instead of the text report.
    #[arg(long)]
    markdown: Option<String>,
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
    /// Write every question's match signals, confidence and label as JSON Lines to this
    /// file (for studying and fitting the confidence model).
    #[arg(long)]
    signals: Option<PathBuf>,
    /// Write the knowledge base's own calibration examples as JSON Lines to this file: its
    /// questions asked with their entry removed (`"kind": "held_out_entry"`, never right)
    /// and its questions changed the way customers change them (`"kind": "perturbed"`),
    /// to compare with the real questions' signals (`--signals`).
    #[arg(long)]
    self_signals: Option<PathBuf>,
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
    /// Share of in-scope questions answered directly.
    pub direct_rate: f64,
    /// Of all direct answers (in scope or not), the share that were right.
    pub direct_precision: f64,
    /// How well the confidence separates in-scope from out-of-scope questions.
    pub ood_auroc: Option<f64>,
    /// False-answer rate on the `--far-ood` questions.
    pub far_ood_false_answer: Option<f64>,
    pub latency_us_p50: f64,
    pub latency_us_p90: f64,
    pub latency_us_p99: f64,
    pub latency_us_max: f64,
}

/// One question's result, whoever computed it.
struct Verdict1 {
    top: Vec<u32>,
    answer: Option<u32>,
    clarify: Vec<u32>,
    confidence: f32,
}

fn read_cases(
    path: &std::path::Path,
    engine: &kefu_core::Engine,
) -> anyhow::Result<Vec<(String, Option<u32>)>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut cases = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let case: Case = serde_json::from_str(line)
            .with_context(|| format!("{}:{}: bad case", path.display(), i + 1))?;
        let expected = match &case.expected {
            None => None,
            Some(id) => match engine.kb().entry_by_id(id) {
                Some((idx, _)) => Some(idx),
                None => bail!(
                    "{}:{}: expected entry `{id}` is not in the knowledge base",
                    path.display(),
                    i + 1
                ),
            },
        };
        cases.push((case.query, expected));
    }
    if cases.is_empty() {
        bail!("{} has no cases", path.display());
    }
    Ok(cases)
}

/// Area under the ROC curve of `scores` for positives against negatives (ties count half).
pub fn auroc(positives: &[f32], negatives: &[f32]) -> Option<f64> {
    if positives.is_empty() || negatives.is_empty() {
        return None;
    }
    let mut all: Vec<(f32, bool)> = positives
        .iter()
        .map(|&s| (s, true))
        .chain(negatives.iter().map(|&s| (s, false)))
        .collect();
    all.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Mann-Whitney U with average ranks for ties.
    let mut rank_sum = 0.0f64;
    let mut i = 0;
    while i < all.len() {
        let mut j = i;
        while j < all.len() && all[j].0 == all[i].0 {
            j += 1;
        }
        let avg = (i + j + 1) as f64 / 2.0;
        rank_sum += avg * all[i..j].iter().filter(|x| x.1).count() as f64;
        i = j;
    }
    let (p, n) = (positives.len() as f64, negatives.len() as f64);
    Some((rank_sum - p * (p + 1.0) / 2.0) / (p * n))
}

/// Measures `ask` on `cases` (and the far out-of-scope questions).
fn measure(
    cases: &[(String, Option<u32>)],
    far: &[(String, Option<u32>)],
    ask: &mut dyn FnMut(&str) -> Verdict1,
    mut on_error: impl FnMut(&str, Option<u32>, &Verdict1),
    slowest: usize,
) -> Report {
    for (q, _) in cases.iter().take(20) {
        ask(q);
    }
    let mut r = Report {
        cases: cases.len(),
        ..Report::default()
    };
    let mut latencies = Vec::with_capacity(cases.len());
    let (mut top1, mut hit5, mut ok, mut wrong, mut clar, mut false_answers) = (0, 0, 0, 0, 0, 0);
    let (mut pos, mut neg) = (Vec::new(), Vec::new());
    for (query, expected) in cases {
        let start = Instant::now();
        let v = ask(query);
        latencies.push(start.elapsed().as_secs_f64() * 1e6);
        match expected {
            Some(exp) => {
                r.in_scope += 1;
                pos.push(v.confidence);
                top1 += usize::from(v.top.first() == Some(exp));
                hit5 += usize::from(v.top.iter().take(5).any(|e| e == exp));
                match v.answer {
                    Some(e) if e == *exp => ok += 1,
                    Some(_) => wrong += 1,
                    None => clar += usize::from(v.clarify.contains(exp)),
                }
                if v.top.first() != Some(exp) {
                    on_error(query, *expected, &v);
                }
            }
            None => {
                r.out_of_scope += 1;
                neg.push(v.confidence);
                if v.answer.is_some() {
                    false_answers += 1;
                    on_error(query, None, &v);
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
    r.direct_rate = share(ok + wrong, r.in_scope);
    r.direct_precision = share(ok, ok + wrong + false_answers);
    r.ood_auroc = auroc(&pos, &neg);
    if !far.is_empty() {
        let answered = far.iter().filter(|(q, _)| ask(q).answer.is_some()).count();
        r.far_ood_false_answer = Some(share(answered, far.len()));
    }
    if slowest > 0 {
        let mut timed: Vec<(f64, &str)> = latencies
            .iter()
            .copied()
            .zip(cases.iter().map(|c| c.0.as_str()))
            .collect();
        timed.sort_by(|a, b| b.0.total_cmp(&a.0));
        for (us, q) in timed.iter().take(slowest) {
            println!("SLOW {us:.0} µs `{q}`");
        }
    }
    latencies.sort_by(f64::total_cmp);
    let pct = |p: f64| latencies[((latencies.len() - 1) as f64 * p).round() as usize];
    r.latency_us_p50 = pct(0.5);
    r.latency_us_p90 = pct(0.9);
    r.latency_us_p99 = pct(0.99);
    r.latency_us_max = *latencies.last().expect("non-empty");
    r
}

fn markdown_row(set: &str, who: &str, r: &Report) -> String {
    let pc = |x: f64| format!("{:.1} %", x * 100.0);
    let opt = |x: Option<f64>, f: &dyn Fn(f64) -> String| x.map_or("–".to_string(), f);
    format!(
        "| {set} | {who} | {} | {} | {} | {} | {} | {} | {} | {:.0} | {:.0} |",
        pc(r.top1),
        pc(r.hit5),
        opt(r.ood_auroc, &|x| format!("{x:.3}")),
        pc(r.direct_rate),
        pc(r.direct_precision),
        if r.out_of_scope > 0 {
            pc(r.false_answer)
        } else {
            "–".to_string()
        },
        opt(r.far_ood_false_answer, &pc),
        r.latency_us_p50,
        r.latency_us_p99
    )
}

fn print_text(r: &Report) {
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
        "direct answers {:.1}% of in-scope, {:.1}% of them right",
        r.direct_rate * 100.0,
        r.direct_precision * 100.0
    );
    println!(
        "false answers on out-of-scope {:.1}%",
        r.false_answer * 100.0
    );
    if let Some(f) = r.far_ood_false_answer {
        println!("false answers on far out-of-scope {:.1}%", f * 100.0);
    }
    if let Some(a) = r.ood_auroc {
        println!("OOD AUROC {a:.3}");
    }
    println!(
        "latency µs p50 {:.0}  p90 {:.0}  p99 {:.0}  max {:.0}",
        r.latency_us_p50, r.latency_us_p90, r.latency_us_p99, r.latency_us_max
    );
}

pub fn run(args: EvalArgs) -> anyhow::Result<Verdict> {
    let engine = load(&args.kb)?;
    let decode_ms = {
        let bytes = std::fs::read(&args.kb)?;
        let mut times: Vec<f64> = (0..5)
            .map(|_| {
                let start = Instant::now();
                let _ = kefu_core::Engine::load(&bytes);
                start.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        times.sort_by(f64::total_cmp);
        times[2]
    };
    let cases = read_cases(&args.cases, &engine)?;
    let far = match &args.far_ood {
        Some(p) => read_cases(p, &engine)?
            .into_iter()
            .filter(|c| c.1.is_none())
            .collect(),
        None => Vec::new(),
    };
    let ids = |e: u32| engine.kb().entries[e as usize].id.as_str();
    if let Some(path) = &args.self_signals {
        let model = &engine.kb().model;
        let mut out = String::new();
        for (signals, _, held_out_entry) in kefu_compiler::fit::examples(&engine) {
            if held_out_entry {
                out += &serde_json::json!({
                    "kind": "held_out_entry",
                    "correct": false,
                    "confidence": model.confidence(&signals),
                    "signals": signals,
                })
                .to_string();
                out.push('\n');
            }
        }
        for (q, entry) in kefu_compiler::fit::perturbed_questions(&engine, 4) {
            let ranking = engine.rank(
                &q,
                &kefu_core::RankOptions {
                    limit: 5,
                    ..kefu_core::RankOptions::default()
                },
            );
            let Some(best) = ranking.candidates.first() else {
                continue;
            };
            out += &serde_json::json!({
                "kind": "perturbed",
                "query": q,
                "correct": best.entry == entry,
                "confidence": model.confidence(&ranking.signals),
                "signals": ranking.signals,
            })
            .to_string();
            out.push('\n');
        }
        std::fs::write(path, out).with_context(|| format!("cannot write {}", path.display()))?;
    }
    if let Some(path) = &args.signals {
        {
            let expected: std::collections::HashMap<&str, Option<u32>> =
                cases.iter().map(|(q, e)| (q.as_str(), *e)).collect();
            let mut out = String::new();
            let asked = cases
                .iter()
                .map(|c| (c, false))
                .chain(far.iter().map(|c| (c, true)));
            for ((q, _), far) in asked {
                let ranking = engine.rank(
                    q,
                    &kefu_core::RankOptions {
                        limit: 5,
                        ..kefu_core::RankOptions::default()
                    },
                );
                let signals = ranking.signals;
                let m = engine.decide_query(q, ranking);
                let exp = expected.get(q.as_str()).copied().flatten();
                out += &serde_json::json!({
                    "query": q,
                    "in_scope": exp.is_some(),
                    "far": far,
                    "correct": exp.is_some() && m.candidates.first().map(|c| c.entry) == exp,
                    "confidence": m.confidence,
                    "outcome": m.outcome.kind(),
                    "signals": signals,
                })
                .to_string();
                out.push('\n');
            }
            std::fs::write(path, out)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
    }
    let mut ask_kefu = |q: &str| {
        let m = engine.ask(q, None);
        Verdict1 {
            top: m.candidates.iter().map(|c| c.entry).collect(),
            answer: match m.outcome {
                Outcome::Answer(e) => Some(e),
                _ => None,
            },
            clarify: match &m.outcome {
                Outcome::Clarify(list) => list.clone(),
                _ => Vec::new(),
            },
            confidence: m.confidence,
        }
    };
    let errors = args.errors;
    let r = measure(
        &cases,
        &far,
        &mut ask_kefu,
        |query, expected, v| {
            if !errors {
                return;
            }
            match expected {
                Some(exp) => println!(
                    "MISS {:.2} `{}` expected `{}` top `{}` ({})",
                    v.confidence,
                    query,
                    ids(exp),
                    v.top.first().map_or("-", |&e| ids(e)),
                    match v.answer {
                        Some(e) => format!("wrong answer `{}`", ids(e)),
                        None if v.clarify.contains(&exp) => "clarify (includes it)".into(),
                        None if v.clarify.is_empty() => "fallback".into(),
                        None => "clarify without it".into(),
                    }
                ),
                None => println!(
                    "FALSE {:.2} `{}` answered `{}`",
                    v.confidence,
                    query,
                    v.answer.map_or("-", ids)
                ),
            }
        },
        args.slowest,
    );
    let baseline = match args.baseline.as_deref() {
        None => None,
        Some("bm25") => {
            let docs: Vec<(u32, String)> = match &args.source {
                Some(src) => {
                    let compiled = kefu_compiler::compile(src).map_err(|e| {
                        anyhow::anyhow!("cannot compile {} for the reference: {e}", src.display())
                    })?;
                    question_texts(&compiled.kb, &engine)
                }
                None => question_texts(engine.kb(), &engine),
            };
            let index = Bm25::new(
                engine.analyzer().tables().clone(),
                &docs,
                engine.kb().entries.len(),
            );
            let (mut scores, mut touched) = (Vec::new(), Vec::new());
            let mut ask_bm25 = |q: &str| {
                let (ranked, confidence) = index.search(q, 5, &mut scores, &mut touched);
                let top: Vec<u32> = ranked.iter().map(|r| r.0).collect();
                Verdict1 {
                    answer: top
                        .first()
                        .copied()
                        .filter(|_| confidence >= bm25::ANSWER_THRESHOLD),
                    clarify: top.iter().take(3).copied().collect(),
                    top,
                    confidence,
                }
            };
            Some(measure(&cases, &far, &mut ask_bm25, |_, _, _| {}, 0))
        }
        Some(other) => bail!("unknown baseline `{other}` (known: bm25)"),
    };
    if args.markdown.is_none() && !args.json {
        println!(
            "knowledge base: {} entries, decode {decode_ms:.1} ms (median of 5)",
            engine.kb().entries.len()
        );
    }
    if let Some(set) = &args.markdown {
        println!("{}", markdown_row(set, "kefu", &r));
        if let Some(b) = &baseline {
            println!("{}", markdown_row(set, "BM25 char+bigram", b));
        }
    } else if args.json {
        match &baseline {
            Some(b) => println!("{}", serde_json::json!({ "kefu": &r, "bm25": b })),
            None => println!("{}", serde_json::to_string(&r)?),
        }
    } else {
        print_text(&r);
        if let Some(b) = &baseline {
            println!("-- BM25 over characters and bigrams (same questions, same run)");
            print_text(b);
        }
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
