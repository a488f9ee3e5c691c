//! `kefu build` and `kefu check`.

use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::Args;
use kefu_compiler::{compile_at, selftest, CompileError, Compiled};
use kefu_core::Engine;

use crate::kbfile::now;
use crate::Verdict;

#[derive(Args)]
pub struct BuildArgs {
    /// A source directory (see kb/README.md), a .csv or a .jsonl file.
    source: PathBuf,
    /// Where to write the compiled knowledge base.
    #[arg(short, long, default_value = "kb.bin")]
    output: PathBuf,
    /// Print only errors.
    #[arg(short, long)]
    quiet: bool,
    /// Also print how many bytes each part of the file takes.
    #[arg(short, long)]
    verbose: bool,
    /// Treat warnings (duplicate questions, long answers, …) as errors: write nothing.
    #[arg(long)]
    strict: bool,
    /// Write two files: the output answers every question, and a companion beside it
    /// (`kb.more.bin` for `kb.bin`) holds the detailed answers and the flows' and
    /// catalogue's translations, which the widget fetches after the first file.
    #[arg(long)]
    split: bool,
}

/// The companion's file name for the first file `output`: `kb.bin` → `kb.more.bin`.
pub fn companion_name(output: &std::path::Path) -> String {
    let stem = output
        .file_stem()
        .map_or_else(|| "kb".into(), |s| s.to_string_lossy());
    format!("{stem}.more.bin")
}

/// Writes `bytes` to `path` through a temporary file, so a reader never sees half a file;
/// the folder is made when missing (`kefu build --split kb -o dist/kb.bin`).
fn write_whole(path: &std::path::Path, bytes: &[u8]) -> anyhow::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let tmp = path.with_extension("bin.tmp");
    std::fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))
}

#[derive(Args)]
pub struct CheckArgs {
    /// A source directory, a .csv or a .jsonl file.
    source: PathBuf,
    /// Also fail on collisions between entries.
    #[arg(long)]
    strict: bool,
    /// List the paraphrases that, held out, find another entry (weak coverage).
    #[arg(long)]
    held_out: bool,
}

fn compile_or_report(source: &std::path::Path) -> anyhow::Result<Compiled> {
    if !source.exists() {
        bail!("{} does not exist", source.display());
    }
    match compile_at(source, now()) {
        Ok(c) => Ok(c),
        Err(CompileError(diags)) => {
            for d in diags.warnings().chain(diags.errors()) {
                eprintln!("{d}");
            }
            bail!(
                "{} error(s) in {}",
                diags.errors().count(),
                source.display()
            )
        }
    }
}

pub fn build(args: BuildArgs) -> anyhow::Result<Verdict> {
    let compiled = compile_or_report(&args.source)?;
    let warnings = compiled.diagnostics.warnings().count();
    if args.strict && warnings > 0 {
        for d in compiled.diagnostics.warnings() {
            eprintln!("{d}");
        }
        bail!(
            "{warnings} warning(s) in {} treated as errors (--strict); nothing written",
            args.source.display()
        );
    }
    if !args.quiet {
        for d in compiled.diagnostics.warnings() {
            eprintln!("{d}");
        }
    }
    let device_kb = compiled.for_device();
    let (bytes, companion) = if args.split {
        let name = companion_name(&args.output);
        let (first, companion) = kefu_core::format::encode_split(&device_kb, &name);
        (first, Some((args.output.with_file_name(name), companion)))
    } else {
        (kefu_core::format::encode(&device_kb), None)
    };
    // The companion first: a first file is never there without the companion it names.
    if let Some((path, companion)) = &companion {
        write_whole(path, companion)?;
    }
    write_whole(&args.output, &bytes)?;
    if !args.quiet {
        let kb = &compiled.kb;
        let questions: usize = kb.entries.iter().map(|e| 1 + e.similar.len()).sum();
        println!(
            "compiled {} entries ({} questions, {} categories, {} synonym groups) into {} ({}); confidence model: {}",
            kb.entries.len(),
            questions,
            kb.categories.len(),
            kb.synonyms.len(),
            args.output.display(),
            match &companion {
                Some((path, c)) => format!(
                    "{} bytes, its companion {} {} bytes",
                    bytes.len(),
                    path.display(),
                    c.len()
                ),
                None => format!("{} bytes", bytes.len()),
            },
            match kb.model.examples {
                0 if kb.model.weights.as_slice() != kefu_core::model::PRIOR.as_slice() => {
                    "built-in prior (too few similar questions to fit on), never-seen words \
                     weighed more (a closed vocabulary)"
                        .to_string()
                }
                0 => "built-in prior (too few similar questions to fit on)".to_string(),
                n => format!("fitted on {n} self-test examples", ),
            }
        );
        println!(
            "thresholds: answer at {:.2} (floor {:.2}), clarify at {:.2} (calibrated on off-topic chat)",
            kb.settings.answer_threshold.max(kb.model.answer_floor),
            kb.model.answer_floor,
            kb.settings.clarify_threshold
        );
    }
    if args.verbose {
        if let Ok(engine) = kefu_core::Engine::from_kb(compiled.kb.clone()) {
            println!(
                "vocabulary openness {:.3} (closed below {})",
                kefu_compiler::fit::openness(&engine),
                kefu_compiler::fit::CLOSED_VOCABULARY
            );
        }
        // A first file's parts are those of the knowledge base it holds.
        let first = companion
            .as_ref()
            .and_then(|_| kefu_core::format::decode(&bytes).ok());
        print_sizes(first.as_ref().unwrap_or(&device_kb), &bytes);
        if let Some((path, c)) = &companion {
            println!(
                "{:<20} {:>8} {:>8}",
                "first file",
                bytes.len(),
                gzip_len(&bytes)
            );
            println!(
                "{:<20} {:>8} {:>8}   ({})",
                "companion",
                c.len(),
                gzip_len(c),
                path.display()
            );
        }
    }
    Ok(Verdict::Ok)
}

/// How many bytes each part of the file takes, as written and gzipped on its own (the
/// widget downloads the file gzipped): where a smaller file has to come from.
fn print_sizes(kb: &kefu_core::KnowledgeBase, file: &[u8]) {
    fn bytes<T: serde::Serialize>(value: &T) -> Vec<u8> {
        postcard::to_allocvec(value).unwrap_or_default()
    }
    let ix = &kb.index;
    let dialogue = kefu_core::stored_dialogue::parts(&kb.dialogue);
    let entry_parts: Vec<(String, Vec<u8>)> = kefu_core::stored_texts::parts(&kb.entries)
        .into_iter()
        .map(|(name, b)| (format!("  {name}"), b))
        .collect();
    let mut parts: Vec<(&str, Vec<u8>)> = vec![
        ("whole file", file.to_vec()),
        ("entries", kefu_core::stored_texts::encode(&kb.entries)),
    ];
    parts.extend(entry_parts.iter().map(|(n, b)| (n.as_str(), b.clone())));
    parts.extend([
        ("character tables", bytes(&kb.tables)),
        ("index", bytes(ix)),
        ("dialogue", dialogue.0.clone()),
        ("  catalogue", bytes(&kb.dialogue.catalogue)),
        ("  flows", bytes(&kb.dialogue.flows)),
        ("  translations", bytes(&kb.dialogue.translations)),
        ("  locales", dialogue.1.clone()),
        ("  lexicon", bytes(&kb.dialogue.lexicon)),
        ("settings", bytes(&kb.settings)),
        ("synonyms", bytes(&kb.synonyms)),
        ("categories", bytes(&kb.categories)),
    ]);
    let at = parts
        .iter()
        .position(|p| p.0 == "index")
        .map_or(parts.len(), |i| i + 1);
    let index_parts: Vec<(String, Vec<u8>)> = kefu_core::stored_index::parts(ix)
        .into_iter()
        .map(|(name, b)| (format!("  {name}"), b))
        .collect();
    parts.splice(
        at..at,
        index_parts.iter().map(|(n, b)| (n.as_str(), b.clone())),
    );
    println!("{:<20} {:>8} {:>8}", "part", "bytes", "gzipped");
    for (part, raw) in parts {
        println!("{part:<20} {:>8} {:>8}", raw.len(), gzip_len(&raw));
    }
}

/// Size of `bytes` gzipped at level 9 (as `gzip -9`).
fn gzip_len(bytes: &[u8]) -> usize {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(bytes).expect("writing to memory");
    gz.finish().map_or(0, |v| v.len())
}

pub fn check(args: CheckArgs) -> anyhow::Result<Verdict> {
    let compiled = compile_or_report(&args.source)?;
    for d in compiled.diagnostics.warnings() {
        println!("{d}");
    }
    let engine = Engine::from_kb(compiled.kb).context("compiled knowledge base is inconsistent")?;
    let report = selftest::run(&engine, &compiled.origins);
    for m in &report.misses {
        println!(
            "{}: miss: `{}` of entry `{}` finds {}",
            m.origin,
            m.question,
            m.entry,
            m.found
                .as_deref()
                .map_or("nothing".to_string(), |f| format!("`{f}`"))
        );
    }
    for c in &report.collisions {
        println!(
            "{}: collision: `{}` of entry `{}` matches entry `{}` with similarity {:.2}",
            c.origin, c.question, c.entry, c.other, c.similarity
        );
    }
    if args.held_out {
        for m in &report.held_out_misses {
            println!(
                "{}: held out: `{}` of `{}` finds {}",
                m.origin,
                m.question,
                m.entry,
                m.found.as_deref().unwrap_or("nothing")
            );
        }
    }
    let held_out = report.held_out_correct as f64 / report.held_out_total.max(1) as f64;
    println!(
        "{} entries, {} questions: {} miss(es), {} collision(s); held-out paraphrase accuracy {:.1}% ({}/{})",
        engine.kb().entries.len(),
        report.questions,
        report.misses.len(),
        report.collisions.len(),
        held_out * 100.0,
        report.held_out_correct,
        report.held_out_total
    );
    let failed = !report.misses.is_empty() || (args.strict && !report.collisions.is_empty());
    Ok(if failed {
        Verdict::FailureFound
    } else {
        Verdict::Ok
    })
}
