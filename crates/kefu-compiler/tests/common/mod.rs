//! Helpers shared by the compiler's integration tests.

use kefu_core::Engine;

/// The id of the entry ranked first for `question`, if any.
pub fn top(engine: &Engine, question: &str) -> Option<String> {
    let m = engine.ask(question, None);
    m.candidates
        .first()
        .map(|c| engine.kb().entries[c.entry as usize].id.clone())
}
