//! The chat shared with the components: the engine, the transcript signal and the actions
//! the components call. Provided by the chat window once the knowledge base is loaded.

use std::sync::Arc;

use kefu_core::{Engine, EntryIdx, Suggestion};
use leptos::prelude::*;

use crate::transcript::{Message, Transcript};

/// How many typeahead suggestions the composer shows.
pub const SUGGESTION_LIMIT: usize = 5;

/// Handle to the loaded engine and the transcript. Cheap to copy into event handlers.
#[derive(Clone, Copy)]
pub struct Chat {
    engine: StoredValue<Arc<Engine>>,
    transcript: RwSignal<Transcript>,
}

impl Chat {
    /// Reads the engine.
    pub fn with_engine<T>(&self, f: impl FnOnce(&Engine) -> T) -> T {
        self.engine.with_value(|engine| f(engine))
    }

    /// The transcript, tracked.
    pub fn messages(&self) -> Vec<Message> {
        self.transcript.with(|c| c.messages().to_vec())
    }

    /// How many messages were said, tracked.
    pub fn len(&self) -> usize {
        self.transcript.with(|c| c.messages().len())
    }

    /// Whether nothing was said yet, tracked.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The customer sent `text`. Returns whether anything was said.
    pub fn ask(&self, text: &str) -> bool {
        let now = (js_sys::Date::now() / 1000.0) as i64;
        let engine = self.engine.get_value();
        let mut said = false;
        self.transcript
            .update(|c| said = c.ask(&engine, text, Some(now)));
        said
    }

    /// The customer picked an entry.
    pub fn pick(&self, entry: EntryIdx) {
        let engine = self.engine.get_value();
        self.transcript.update(|c| {
            c.pick(&engine, entry);
        });
    }

    /// The customer asked for the entry's detailed answer by clicking a chip labelled `said`.
    pub fn expand(&self, entry: EntryIdx, said: &str) {
        let engine = self.engine.get_value();
        self.transcript.update(|c| {
            c.expand(&engine, entry, said);
        });
    }

    /// Typeahead suggestions for a partly typed question.
    pub fn suggest(&self, partial: &str) -> Vec<Suggestion> {
        self.with_engine(|engine| engine.suggest(partial, SUGGESTION_LIMIT))
    }

    /// The standard question of an entry (empty for an unknown index).
    pub fn question(&self, entry: EntryIdx) -> String {
        self.with_engine(|e| {
            e.kb()
                .entries
                .get(entry as usize)
                .map(|e| e.question.clone())
                .unwrap_or_default()
        })
    }
}

/// Starts a chat with `engine` and provides it to the components below.
pub fn provide_chat_context(engine: Arc<Engine>) -> Chat {
    let transcript = RwSignal::new(Transcript::start(&engine));
    let chat = Chat {
        engine: StoredValue::new(engine),
        transcript,
    };
    provide_context(chat);
    chat
}

/// The chat provided by [`provide_chat_context`].
pub fn use_chat() -> Chat {
    expect_context::<Chat>()
}
