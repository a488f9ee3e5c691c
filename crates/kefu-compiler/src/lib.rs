//! kefu-compiler: knowledge-base sources → the compiled file `kefu-core` loads.
//!
//! ```no_run
//! let compiled = kefu_compiler::compile(std::path::Path::new("kb")).expect("valid sources");
//! std::fs::write("kb.bin", kefu_core::format::encode(&compiled.kb)).unwrap();
//! ```
//!
//! Steps: read the sources ([`source`]), validate them ([`validate`]), generate the character
//! tables ([`chartables`]), build the index ([`indexer`]) and fit the confidence model on the
//! knowledge base itself ([`fit`]). [`selftest`] checks that the result answers its own
//! questions.

pub mod chartables;
pub mod diagnostics;
pub mod dialogue;
pub mod fit;
pub mod glossary;
pub mod indexer;
pub mod offtopic;
pub mod selftest;
pub mod source;
pub mod time;
pub mod validate;

use std::path::Path;

use kefu_core::analysis::Analyzer;
use kefu_core::kb::{KnowledgeBase, Meta};
use kefu_core::model::Model;
use kefu_core::Engine;

pub use diagnostics::{Diagnostic, Diagnostics, Origin, Severity};

/// A compiled knowledge base with what the compiler noticed on the way.
#[derive(Debug, Clone)]
pub struct Compiled {
    pub kb: KnowledgeBase,
    /// Warnings (errors stop compilation).
    pub diagnostics: Diagnostics,
    /// Where each entry was written.
    pub origins: Vec<Origin>,
}

impl Compiled {
    /// The knowledge base as shipped to devices: similar questions live on in the index
    /// (their features, postings and the fitted model) but their texts are not needed at
    /// run time, so they are left out of the file.
    pub fn for_device(&self) -> KnowledgeBase {
        let mut kb = self.kb.clone();
        for entry in &mut kb.entries {
            entry.similar = Vec::new();
        }
        kb
    }
}

/// Compilation stopped: the sources have errors.
#[derive(Debug, thiserror::Error)]
#[error("{} error(s) in the knowledge-base sources", .0.errors().count())]
pub struct CompileError(pub Diagnostics);

/// Compiles a source directory, CSV or JSON Lines file.
pub fn compile(path: &Path) -> Result<Compiled, CompileError> {
    compile_at(path, 0)
}

/// Like [`compile`], stamping the result with `built_at` (seconds since 1970).
pub fn compile_at(path: &Path, built_at: i64) -> Result<Compiled, CompileError> {
    let mut diags = Diagnostics::default();
    let draft = source::read(path, &mut diags);
    let own_texts = source_texts(path, &draft);
    let tables = chartables::build_for(own_texts.iter().map(String::as_str));
    let synonym_groups: Vec<Vec<String>> = draft.synonyms.iter().map(|(g, _)| g.clone()).collect();
    let analyzer = Analyzer::new(tables.expand(), &synonym_groups);
    let mut checked = validate::check(&draft, &analyzer, &mut diags);
    let glossary = glossary::groups(&checked.entries, &checked.synonyms, &tables.expand());
    checked.synonyms.extend(glossary);
    let analyzer = Analyzer::new(tables.expand(), &checked.synonyms);
    let ids: std::collections::HashMap<String, u32> = checked
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.clone(), i as u32))
        .collect();
    let dialogue = dialogue::load(path, &ids, &mut diags);
    // Texts in the shop's own language are `answer` / `fallback`; the rest are translations.
    let shop = dialogue.locales.default;
    validate::localize_texts(&mut checked.settings.texts, &draft.settings.texts, shop);
    for (entry, origin) in checked.entries.iter_mut().zip(&checked.origins) {
        if entry.translations.iter().any(|t| t.locale == shop) {
            diags.warning(
                origin,
                format!(
                    "entry `{}`: `answer_{code}` is in the shop's own language ({code}); `answer` is used",
                    entry.id,
                    code = shop.code()
                ),
            );
            entry.translations.retain(|t| t.locale != shop);
        }
    }
    if draft.entries.is_empty() && !diags.has_errors() {
        diags.error(&Origin::new(path, None), "no entries found");
    }
    if diags.has_errors() {
        return Err(CompileError(diags));
    }
    let index = indexer::build(&checked.entries, &analyzer, &checked.synonyms);
    let name = checked.settings.brand.name.clone();
    let mut kb = KnowledgeBase {
        meta: Meta {
            name,
            built_at,
            source_hash: source_hash(&draft.texts),
        },
        settings: checked.settings,
        categories: checked.categories,
        entries: checked.entries,
        synonyms: checked.synonyms,
        dialogue,
        tables,
        index,
        model: Model::default(),
        companion: None,
    };
    let engine = Engine::from_kb(kb.clone()).expect("a freshly built index is consistent");
    let (model, positives) = fit::fit_with_positives(&engine);
    kb.model = model;
    calibrate_on_chat(&mut kb, &positives);
    Ok(Compiled {
        kb,
        diagnostics: diags,
        origins: checked.origins,
    })
}

/// Asks the off-topic probes ([`offtopic::PROBES`]) and raises the clarify threshold
/// above all but [`offtopic::CLARIFY_BUDGET`] of them and the answer floor above all but
/// [`offtopic::ANSWER_BUDGET`] (both capped, so a knowledge base that happens to cover a
/// probe's topic keeps answering its own questions). The clarify threshold never rises
/// above what [`IN_SCOPE_KEPT`] of the held-out questions that found their own entry reach:
/// questions the engine gets right are offered as choices rather than lost to chat.
fn calibrate_on_chat(kb: &mut KnowledgeBase, in_scope: &[kefu_core::model::Signals]) {
    let Ok(engine) = Engine::from_kb(kb.clone()) else {
        return;
    };
    let mut confidences: Vec<f32> = offtopic::PROBES
        .iter()
        .map(|p| engine.ask(p, None).confidence)
        .collect();
    confidences.sort_by(f32::total_cmp);
    let quantile = |budget: f32| {
        let n = confidences.len();
        let keep = ((n as f32) * (1.0 - budget)).floor() as usize;
        confidences[keep.min(n - 1)] + 1e-4
    };
    let answer = kb.settings.answer_threshold.max(kb.model.answer_floor);
    let mut right: Vec<f32> = in_scope.iter().map(|s| kb.model.confidence(s)).collect();
    right.sort_by(f32::total_cmp);
    let keep_right = match right.len() {
        0 => f32::INFINITY,
        n => right[(((n as f32) * (1.0 - IN_SCOPE_KEPT)) as usize).min(n - 1)],
    };
    kb.settings.clarify_threshold = kb.settings.clarify_threshold.max(
        quantile(offtopic::CLARIFY_BUDGET)
            .min(0.8 * answer)
            .min(keep_right),
    );
    kb.model.answer_floor = kb
        .model
        .answer_floor
        .max(quantile(offtopic::ANSWER_BUDGET).min(0.9));
}

/// Every text of the sources: what [`source::read`] read, and the conversation's files
/// (dialogue, products, flows) of a source directory. The character tables cover them.
fn source_texts(path: &Path, draft: &source::Draft) -> Vec<String> {
    fn walk(dir: &Path, out: &mut Vec<String>) {
        let Ok(items) = std::fs::read_dir(dir) else {
            return;
        };
        let mut paths: Vec<_> = items.filter_map(|i| i.ok().map(|i| i.path())).collect();
        paths.sort();
        for p in paths {
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "toml") {
                if let Ok(text) = std::fs::read_to_string(&p) {
                    out.push(text);
                }
            }
        }
    }
    let mut texts = draft.texts.clone();
    if path.is_dir() {
        walk(path, &mut texts);
    }
    texts
}

/// Share of correctly matched held-out questions kept at or above the clarify threshold.
const IN_SCOPE_KEPT: f32 = 0.99;

fn source_hash(texts: &[String]) -> u32 {
    let mut h = crc32fast_like(0, b"");
    for t in texts {
        h = crc32fast_like(h, t.as_bytes());
    }
    h
}

/// FNV-1a, enough to tell two builds' sources apart.
fn crc32fast_like(seed: u32, bytes: &[u8]) -> u32 {
    let mut h = if seed == 0 { 0x811c_9dc5 } else { seed };
    for &b in bytes {
        h ^= b as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// A knowledge base whose entries are just `texts` (one entry each, no answers): the
/// vocabulary and weights for comparing texts with each other (`kefu sim`).
pub fn compile_texts(texts: &[String]) -> KnowledgeBase {
    let tables = chartables::build_for(texts.iter().map(String::as_str));
    let analyzer = Analyzer::new(tables.expand(), &[]);
    let entries: Vec<kefu_core::Entry> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| kefu_core::Entry {
            id: i.to_string(),
            question: t.clone(),
            ..kefu_core::Entry::default()
        })
        .collect();
    let index = indexer::build(&entries, &analyzer, &[]);
    KnowledgeBase {
        meta: Meta::default(),
        settings: kefu_core::kb::Settings::default(),
        categories: vec![kefu_core::kb::Category {
            id: "texts".into(),
            name: "texts".into(),
            parent: None,
        }],
        entries,
        synonyms: Vec::new(),
        dialogue: Default::default(),
        tables,
        index,
        model: Model::default(),
        companion: None,
    }
}
