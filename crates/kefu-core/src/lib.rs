//! kefu-core: the engine of the kefu customer-service widget.
//!
//! It holds the knowledge-base types and their versioned binary format, normalisation and
//! matching, and the conversation engine. It knows nothing about files, networks, browsers
//! or terminals: callers hand it bytes and text, and get back plain values. It builds for
//! `wasm32-unknown-unknown` (the widget) and natively (the CLI, the compiler, the tests).
//!
//! ```no_run
//! # fn demo(bytes: &[u8]) -> Result<(), kefu_core::LoadError> {
//! let engine = kefu_core::Engine::load(bytes)?;
//! let m = engine.ask("发票怎么开", None);
//! if let kefu_core::Outcome::Answer(entry) = m.outcome {
//!     println!("{}", engine.kb().entries[entry as usize].answer);
//! }
//! # Ok(()) }
//! ```

pub mod analysis;
pub mod concepts;
pub mod correct;
pub mod dialogue;
pub mod english;
pub mod format;
pub mod index;
pub mod kb;
pub mod matcher;
pub mod model;
mod select;
mod sort;
pub mod stored_dialogue;
pub mod stored_index;
pub mod stored_texts;
pub mod tables;
pub mod text;

pub use dialogue::{Action, Conversation, Input, Message, Reply};
pub use format::LoadError;
pub use kb::{CompanionRef, Entry, EntryIdx, KnowledgeBase, Timestamp};
pub use matcher::{Candidate, Engine, Match, Outcome, RankOptions, Ranking, Suggestion};
