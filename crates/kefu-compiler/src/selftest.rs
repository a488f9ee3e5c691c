//! The knowledge base tested against itself: every question must find its own entry, and
//! entries whose questions are interchangeable are reported as collisions.

use kefu_core::text::normalize;
use kefu_core::{Engine, RankOptions};

use crate::diagnostics::Origin;
use crate::indexer::{documents, EXTRA_DOCS_PER_ENTRY};

/// A question that retrieves another entry than its own.
#[derive(Debug, Clone)]
pub struct Miss {
    pub entry: String,
    pub question: String,
    pub found: Option<String>,
    pub origin: Origin,
}

/// Two entries a customer could not tell apart: a question of one matches the other
/// almost as well as its own.
#[derive(Debug, Clone)]
pub struct Collision {
    pub entry: String,
    pub other: String,
    pub question: String,
    pub similarity: f32,
    pub origin: Origin,
}

/// What [`run`] found.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub questions: usize,
    pub misses: Vec<Miss>,
    pub collisions: Vec<Collision>,
    /// Held-out accuracy: asked without itself, how often a similar question still finds its
    /// own entry. A measure of how well the paraphrases cover each other.
    pub held_out_total: usize,
    pub held_out_correct: usize,
    /// The held-out questions that found another entry first.
    pub held_out_misses: Vec<Miss>,
}

/// Similarity to another entry at or above which two entries collide.
pub const COLLISION_SIMILARITY: f32 = 0.8;

/// Runs the self-test.
pub fn run(engine: &Engine, origins: &[Origin]) -> Report {
    let kb = engine.kb();
    let analyzer = engine.analyzer();
    let key = |text: &str| normalize(analyzer.tables(), &analyzer.rewrite_synonyms(text));
    let mut report = Report::default();
    let mut doc = 0u32;
    for (e, entry) in kb.entries.iter().enumerate() {
        let origin = origins.get(e).cloned().unwrap_or_default();
        for text in documents(entry) {
            report.questions += 1;
            let r = engine.rank(
                text,
                &RankOptions {
                    limit: 2,
                    ..RankOptions::default()
                },
            );
            let top = r.candidates.first().map(|c| c.entry);
            // A question two entries share (warned about when compiled) is answered by the
            // entry written first, as documented: the later entry finding it is no miss.
            let shared = top.is_some_and(|t| {
                (t as usize) < e && documents(&kb.entries[t as usize]).any(|d| key(d) == key(text))
            });
            if top != Some(e as u32) && !shared {
                report.misses.push(Miss {
                    entry: entry.id.clone(),
                    question: text.to_string(),
                    found: top.map(|t| kb.entries[t as usize].id.clone()),
                    origin: origin.clone(),
                });
            }
            let others = engine.rank(
                text,
                &RankOptions {
                    exclude_entry: Some(e as u32),
                    limit: 1,
                    ..RankOptions::default()
                },
            );
            if let Some(c) = others.candidates.first() {
                if others.signals.similarity >= COLLISION_SIMILARITY {
                    report.collisions.push(Collision {
                        entry: entry.id.clone(),
                        other: kb.entries[c.entry as usize].id.clone(),
                        question: text.to_string(),
                        similarity: others.signals.similarity,
                        origin: origin.clone(),
                    });
                }
            }
            if !entry.similar.is_empty() {
                let held = engine.rank(
                    text,
                    &RankOptions {
                        exclude_doc: Some(doc),
                        limit: 1,
                        ..RankOptions::default()
                    },
                );
                report.held_out_total += 1;
                let top = held.candidates.first().map(|c| c.entry);
                if top == Some(e as u32) {
                    report.held_out_correct += 1;
                } else {
                    report.held_out_misses.push(Miss {
                        entry: entry.id.clone(),
                        question: text.to_string(),
                        found: top.map(|t| kb.entries[t as usize].id.clone()),
                        origin: origin.clone(),
                    });
                }
            }
            doc += 1;
        }
        doc += EXTRA_DOCS_PER_ENTRY;
    }
    report
}
