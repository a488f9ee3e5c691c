//! The conversation state: a plain value the widget saves and restores after a page reload.
//! Entries, products and flows are referred to by id, so a state saved against one build of
//! the knowledge base stays meaningful (or is safely ignored) with the next.

use serde::{Deserialize, Serialize};

use super::emotion::{EmotionKind, EmotionLevel};
use super::handoff::HandoffReason;
use super::locale::Locale;
use super::money::Budget;
use super::reply::OrderInfo;
use crate::kb::Timestamp;

/// Lines kept in the transcript (older ones are dropped).
pub const TRANSCRIPT_LINES: usize = 80;
/// Characters kept of one transcript line.
pub const LINE_CHARS: usize = 500;

/// One conversation between a customer and the bot.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Conversation {
    pub started_at: Option<Timestamp>,
    pub last_active: Option<Timestamp>,
    /// Customer turns so far.
    pub turns: u32,
    pub transcript: Vec<TranscriptLine>,
    /// Slots collected across the conversation, in the order first seen.
    pub slots: Vec<(String, String)>,
    pub context: Context,
    pub flow: Option<FlowState>,
    pub awaiting: Option<Awaiting>,
    pub shopping: Option<Shopping>,
    pub streak: Streak,
    /// FAQ entries answered or offered, oldest first (at most 20).
    pub entries_tried: Vec<String>,
    pub mood: Mood,
    /// The last handoff.
    pub handoff: Option<HandoffRecord>,
    /// The leave-a-message form is shown and not sent yet.
    pub leave_message: Option<PendingMessage>,
    pub rating: RatingState,
    /// Exchanges that ended well (an answer the customer thanked for, a finished flow).
    pub resolved: u16,
    pub ended: bool,
    /// The language the engine speaks now: the customer's (detected or set by the page);
    /// `None` until known, meaning the shop's own language.
    #[serde(default)]
    pub locale: Option<Locale>,
}

/// Who said a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Speaker {
    Customer,
    Bot,
}

/// One line of the transcript.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TranscriptLine {
    pub speaker: Speaker,
    pub text: String,
    pub at: Timestamp,
}

/// What "it", "this one", "the order" and "详细说说" refer to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Context {
    pub product: Option<Focus>,
    pub order: Option<OrderFocus>,
    /// The FAQ entry just discussed.
    pub entry: Option<Focus>,
    /// Its detailed answer was shown.
    pub detail_shown: bool,
    /// An attribute asked about while the customer picks the product.
    pub pending_attribute: Option<String>,
    /// The entry offered by 「您是想问「…」吗？」, waiting for a yes or no.
    #[serde(default)]
    pub confirm: Option<String>,
    /// The products of the last comparison, for "哪个便宜".
    #[serde(default)]
    pub compared: Vec<Focus>,
}

/// Something in focus since a customer turn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Focus {
    pub id: String,
    pub turn: u32,
}

/// The order in focus, with its lookup result once known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderFocus {
    pub order_no: String,
    pub info: Option<OrderInfo>,
    pub turn: u32,
}

/// What the engine waits for outside flows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Awaiting {
    /// An order number, to answer an order question.
    OrderNumber { intent: OrderIntent },
    /// The result of a lookup.
    OrderResult {
        order_no: String,
        intent: OrderIntent,
    },
}

/// What the customer wants to know about an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OrderIntent {
    Status,
    Eta,
    Tracking,
}

/// A guided flow in progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowState {
    pub flow: String,
    pub step: String,
    pub slots: Vec<(String, String)>,
    /// An order lookup the flow waits for.
    pub waiting_lookup: Option<String>,
    /// Answers to the current step that did not fit.
    pub invalid: u8,
}

/// A recommendation being narrowed down.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shopping {
    /// Product category name.
    pub category: Option<String>,
    pub budget: Option<Budget>,
    /// (facet name, value) pairs: ("季节", "夏季").
    pub facets: Vec<(String, String)>,
    /// What was asked already ("category", "budget", a facet name).
    pub asked: Vec<String>,
    pub turn: u32,
}

/// Counters for the handoff rules.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Streak {
    /// Unrecognised questions in a row.
    pub unrecognised: u8,
    /// The previous question, normalised.
    pub last_question: Option<String>,
    /// The entry the previous question was answered with.
    pub last_entry: Option<String>,
}

/// Feelings over the conversation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mood {
    /// Turns with a negative feeling.
    pub complaints: u8,
    pub last: Option<EmotionKind>,
    pub strongest: Option<EmotionKind>,
    pub peak: EmotionLevel,
}

/// A handoff that happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandoffRecord {
    pub reason: HandoffReason,
    pub at: Timestamp,
}

/// A leave-a-message form waiting to be sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingMessage {
    pub reason: HandoffReason,
    pub detail: String,
    pub question: String,
    pub opens_at: Option<Timestamp>,
}

/// Where the satisfaction rating stands.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RatingState {
    #[default]
    NotAsked,
    Asked,
    /// "不满意" was given; an optional reason may follow.
    AskedReason {
        at: Timestamp,
    },
    Done(Rating),
}

/// The customer's rating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    pub satisfied: bool,
    pub reason: Option<String>,
    pub at: Timestamp,
}

impl Conversation {
    /// A conversation that has not started.
    pub fn new() -> Conversation {
        Conversation::default()
    }

    /// A saved state (postcard bytes, as the widget stores it) made to fit `engine`'s
    /// knowledge base: a flow or step, product or entry this build does not have is
    /// forgotten rather than followed.
    pub fn restore(bytes: &[u8], engine: &crate::Engine) -> Result<Conversation, postcard::Error> {
        let mut c: Conversation = postcard::from_bytes(bytes)?;
        c.fit(engine);
        Ok(c)
    }

    /// Forgets what `engine`'s knowledge base does not have (see [`Conversation::restore`]).
    pub fn fit(&mut self, engine: &crate::Engine) {
        let kb = engine.kb();
        let cfg = &kb.dialogue;
        let flow_fits = self.flow.as_ref().is_none_or(|f| {
            cfg.flows
                .iter()
                .find(|x| x.id == f.flow)
                .is_some_and(|x| x.step(&f.step).is_some())
        });
        if !flow_fits {
            self.flow = None;
        }
        if let Some(p) = &self.context.product {
            if cfg.catalogue.product(&p.id).is_none() {
                self.context.product = None;
            }
        }
        if let Some(e) = &self.context.entry {
            if kb.entry_by_id(&e.id).is_none() {
                self.context.entry = None;
            }
        }
        if let Some(attr) = &self.context.pending_attribute {
            if !cfg.catalogue.attributes.iter().any(|a| &a.name == attr) {
                self.context.pending_attribute = None;
            }
        }
        if let Some(s) = &mut self.shopping {
            if s.category
                .as_ref()
                .is_some_and(|c| cfg.catalogue.category(c).is_none())
            {
                s.category = None;
            }
            s.facets
                .retain(|(f, v)| cfg.catalogue.facet_value(f, v).is_some());
        }
    }

    /// Speaks `locale` from now on (the widget's `setLocale`), until the customer writes in
    /// another language.
    pub fn set_locale(&mut self, locale: Locale) {
        self.locale = Some(locale);
    }

    /// The language set or detected so far (`None`: the shop's own).
    pub fn locale(&self) -> Option<Locale> {
        self.locale
    }

    /// A slot collected so far.
    pub fn slot(&self, name: &str) -> Option<&str> {
        self.slots
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Sets a slot (replacing an earlier value).
    pub fn set_slot(&mut self, name: &str, value: &str) {
        let value: String = value.chars().take(200).collect();
        match self.slots.iter().position(|(k, _)| k == name) {
            Some(i) => self.slots[i].1 = value,
            None if self.slots.len() < 40 => self.slots.push((name.to_string(), value)),
            None => {}
        }
    }

    /// The rating, once given.
    pub fn rating(&self) -> Option<&Rating> {
        match &self.rating {
            RatingState::Done(r) => Some(r),
            _ => None,
        }
    }

    /// Adds a transcript line, keeping the transcript bounded.
    pub fn record(&mut self, speaker: Speaker, text: &str, at: Timestamp) {
        let text: String = text.chars().take(LINE_CHARS).collect();
        if text.trim().is_empty() {
            return;
        }
        self.transcript.push(TranscriptLine { speaker, text, at });
        if self.transcript.len() > TRANSCRIPT_LINES {
            let excess = self.transcript.len() - TRANSCRIPT_LINES;
            self.transcript.drain(..excess);
        }
    }

    /// Notes an entry the bot answered or offered.
    pub fn tried(&mut self, entry: &str) {
        if self.entries_tried.last().map(String::as_str) != Some(entry) {
            self.entries_tried.push(entry.to_string());
            if self.entries_tried.len() > 20 {
                self.entries_tried.remove(0);
            }
        }
    }
}
