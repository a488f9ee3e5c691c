//! Fits the confidence model on the knowledge base itself.
//!
//! - Hold one question text out and ask it: a realistic in-scope question; the example is
//!   positive when its own entry still comes first.
//! - Hold its whole entry out and ask it again: a realistic question this knowledge base
//!   cannot answer; the example is always negative.

use kefu_core::model::{Model, Signals};
use kefu_core::{Engine, RankOptions};

use crate::indexer::{documents, EXTRA_DOCS_PER_ENTRY};

/// At most this many question texts are used (evenly spread), to bound compile time.
const MAX_QUESTIONS: usize = 6000;
/// Fewer examples of either kind than this: keep the built-in prior.
const MIN_EXAMPLES: usize = 30;

/// Self-supervised examples from `engine`'s knowledge base: (signals, was the best
/// candidate right, was the question's own entry removed).
pub fn examples(engine: &Engine) -> Vec<(Signals, bool, bool)> {
    let kb = engine.kb();
    let total: usize = kb.entries.iter().map(|e| e.similar.len() + 1).sum();
    let step = total.div_ceil(MAX_QUESTIONS).max(1);
    let mut out = Vec::new();
    let mut doc = 0u32;
    for (e, entry) in kb.entries.iter().enumerate() {
        let has_siblings = !entry.similar.is_empty();
        for text in documents(entry) {
            // The model is fitted on the shop's own language: a question written in another
            // (`question_en` …) is indexed, but it is not how this shop's customers ask.
            let translated = entry
                .translations
                .iter()
                .any(|t| t.question.as_deref() == Some(text));
            if !translated && (doc as usize).is_multiple_of(step) {
                if has_siblings {
                    let held_out = RankOptions {
                        exclude_doc: Some(doc),
                        limit: 2,
                        ..RankOptions::default()
                    };
                    let r = engine.rank(text, &held_out);
                    if let Some(best) = r.candidates.first() {
                        out.push((r.signals, best.entry == e as u32, false));
                    }
                }
                let unknown = RankOptions {
                    exclude_entry: Some(e as u32),
                    limit: 2,
                    ..RankOptions::default()
                };
                let r = engine.rank(text, &unknown);
                if !r.candidates.is_empty() {
                    out.push((r.signals, false, true));
                }
            }
            doc += 1;
        }
        doc += EXTRA_DOCS_PER_ENTRY;
    }
    out
}

/// The fitted model (or the prior when the knowledge base is too small to learn from),
/// with its answer floor set on the simulated out-of-scope questions.
pub fn fit(engine: &Engine) -> Model {
    fit_with_positives(engine).0
}

/// Like [`fit`], also returning the signals of the held-out questions that found their own
/// entry (realistic in-scope questions the engine gets right).
pub fn fit_with_positives(engine: &Engine) -> (Model, Vec<Signals>) {
    let examples = examples(engine);
    let labelled: Vec<(Signals, bool)> = examples.iter().map(|e| (e.0, e.1)).collect();
    let out_of_scope: Vec<Signals> = examples.iter().filter(|e| e.2).map(|e| e.0).collect();
    let positives = examples.iter().filter(|e| e.1).map(|e| e.0).collect();
    (
        Model::fit(&labelled, MIN_EXAMPLES).with_floor(&out_of_scope),
        positives,
    )
}
