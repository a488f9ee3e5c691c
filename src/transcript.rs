//! The transcript of one chat and what the bot says next. Plain Rust, no DOM: components
//! call these methods and render [`Transcript::messages`].
//!
//! This first version answers through the matcher ([`Engine::ask`]): answer, clarify or
//! fallback, with hot questions, details and follow-ups. Multi-turn context, flows and
//! handoff live in `kefu_core::dialogue::Conversation`; moving the widget onto it replaces
//! this module and keeps the components.

use kefu_core::{Engine, EntryIdx, Outcome, Timestamp};

/// Longest question the widget passes to the engine, in characters.
pub const MAX_QUESTION_CHARS: usize = 200;

/// What the bot said. Texts are resolved against the knowledge base when rendered, so a
/// message is only a few indices.
#[derive(Debug, Clone, PartialEq)]
pub enum BotReply {
    /// The greeting, with the hot questions as chips.
    Welcome { hot: Vec<EntryIdx> },
    /// A confident answer: the entry's short answer, its detail chip and follow-ups.
    Answer { entry: EntryIdx },
    /// The entry's detailed answer.
    Detail { entry: EntryIdx },
    /// Unsure: "您是想问…" with these entries as choices.
    Clarify { choices: Vec<EntryIdx> },
    /// Nothing fits: the apology and the hot questions.
    Fallback { hot: Vec<EntryIdx> },
}

impl BotReply {
    /// `welcome`, `answer`, `detail`, `clarify` or `fallback` (for styling and tests).
    pub fn kind(&self) -> &'static str {
        match self {
            BotReply::Welcome { .. } => "welcome",
            BotReply::Answer { .. } => "answer",
            BotReply::Detail { .. } => "detail",
            BotReply::Clarify { .. } => "clarify",
            BotReply::Fallback { .. } => "fallback",
        }
    }
}

/// Who said what.
#[derive(Debug, Clone, PartialEq)]
pub enum Said {
    Customer(String),
    Bot(BotReply),
}

/// One message of the transcript; `id` is unique within the transcript.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub id: u32,
    pub said: Said,
}

/// What the customer and the on-device bot said, oldest first.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Transcript {
    messages: Vec<Message>,
}

impl Transcript {
    /// A transcript that opens with the welcome text and the hot questions.
    pub fn start(engine: &Engine) -> Transcript {
        let mut transcript = Transcript::default();
        transcript.push(Said::Bot(BotReply::Welcome {
            hot: hot_questions(engine),
        }));
        transcript
    }

    /// Everything said so far, oldest first.
    pub fn messages(&self) -> &[Message] {
        &self.messages
    }

    /// The customer typed `text`: record it and let the engine decide the reply. Blank text
    /// is ignored; long text is cut to [`MAX_QUESTION_CHARS`]. Returns whether anything was said.
    pub fn ask(&mut self, engine: &Engine, text: &str, now: Option<Timestamp>) -> bool {
        let text: String = text.trim().chars().take(MAX_QUESTION_CHARS).collect();
        if text.is_empty() {
            return false;
        }
        let reply = match engine.ask(&text, now).outcome {
            Outcome::Answer(entry) => BotReply::Answer { entry },
            Outcome::Clarify(choices) if !choices.is_empty() => BotReply::Clarify { choices },
            Outcome::Clarify(_) | Outcome::Fallback => BotReply::Fallback {
                hot: hot_questions(engine),
            },
        };
        self.push(Said::Customer(text));
        self.push(Said::Bot(reply));
        true
    }

    /// The customer picked an entry (a hot question, a choice, a suggestion or a follow-up):
    /// record its question and answer it directly. Unknown entries are ignored.
    pub fn pick(&mut self, engine: &Engine, entry: EntryIdx) -> bool {
        let Some(question) = engine
            .kb()
            .entries
            .get(entry as usize)
            .map(|e| e.question.clone())
        else {
            return false;
        };
        self.push(Said::Customer(question));
        self.push(Said::Bot(BotReply::Answer { entry }));
        true
    }

    /// The customer asked for more (`said` is the chip's text): show the entry's detailed
    /// answer. Entries without one are ignored.
    pub fn expand(&mut self, engine: &Engine, entry: EntryIdx, said: &str) -> bool {
        let has_detail = engine
            .kb()
            .entries
            .get(entry as usize)
            .is_some_and(|e| e.detail.is_some());
        if !has_detail {
            return false;
        }
        self.push(Said::Customer(said.to_string()));
        self.push(Said::Bot(BotReply::Detail { entry }));
        true
    }

    fn push(&mut self, said: Said) {
        let id = self.messages.last().map_or(0, |m| m.id + 1);
        self.messages.push(Message { id, said });
    }
}

fn hot_questions(engine: &Engine) -> Vec<EntryIdx> {
    engine.kb().settings.hot_questions.clone()
}
