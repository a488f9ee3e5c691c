//! The conversation state: a plain value the widget saves and restores after a page reload.
//! Entries, products and flows are referred to by id, so a state saved against one build of
//! the knowledge base stays meaningful (or is safely ignored) with the next.

use serde::{Deserialize, Serialize};

use super::emotion::{EmotionKind, EmotionLevel};
use super::handoff::HandoffReason;
use super::locale::Locale;
use super::money::Budget;
use super::orders::OrderInfo;
pub use super::transcript::{Speaker, TranscriptLine};
use crate::kb::Timestamp;

/// Lines kept in the transcript (older ones are dropped).
pub const TRANSCRIPT_LINES: usize = 80;
/// Characters kept of one transcript line.
pub const LINE_CHARS: usize = 500;

/// The pending attribute that stands for the price (not a catalogue attribute).
pub(super) const PRICE_ATTRIBUTE: &str = "价格";

/// One conversation between a customer and the bot.
///
/// Its fields are the engine's own: outside the conversation engine a conversation is made by
/// [`Conversation::new`] or, from saved data, by [`Conversation::restore`], and changed only
/// by its methods, so the bounds below (transcript, slots, entries tried) and the references
/// into the knowledge base always hold. It serialises as a plain struct;
/// [`SavedConversation`] reads that same form back.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Conversation {
    pub(super) started_at: Option<Timestamp>,
    pub(super) last_active: Option<Timestamp>,
    /// Customer turns so far.
    pub(super) turns: u32,
    pub(super) transcript: Vec<TranscriptLine>,
    /// Slots collected across the conversation, in the order first seen.
    pub(super) slots: Vec<(String, String)>,
    pub(super) context: Context,
    pub(super) flow: Option<FlowState>,
    pub(super) awaiting: Option<Awaiting>,
    pub(super) shopping: Option<Shopping>,
    pub(super) streak: Streak,
    /// FAQ entries answered or offered, oldest first (at most 20).
    pub(super) entries_tried: Vec<String>,
    pub(super) mood: Mood,
    /// The last handoff.
    pub(super) handoff: Option<HandoffRecord>,
    /// The leave-a-message form is shown and not sent yet.
    pub(super) leave_message: Option<PendingMessage>,
    pub(super) rating: RatingState,
    /// Exchanges that ended well (an answer the customer thanked for, a finished flow).
    pub(super) resolved: u16,
    pub(super) ended: bool,
    /// The language the engine speaks now: the customer's (detected or set by the page);
    /// `None` until known, meaning the shop's own language.
    #[serde(default)]
    pub(super) locale: Option<Locale>,
}

/// A conversation as it was saved (by the widget in `localStorage`, by the server in its
/// database), read back with serde from the form [`Conversation`] serialises to, and not yet
/// checked: only [`Conversation::restore`] turns it into a conversation.
///
/// ```
/// use kefu_core::dialogue::{Conversation, SavedConversation};
/// # fn demo(engine: &kefu_core::Engine, chat: &Conversation) {
/// let json = serde_json::to_string(chat).unwrap();
/// let saved: SavedConversation = serde_json::from_str(&json).unwrap();
/// assert_eq!(&Conversation::restore(saved, engine), chat);
/// # }
/// ```
#[derive(Debug, Clone, Deserialize)]
pub struct SavedConversation {
    started_at: Option<Timestamp>,
    last_active: Option<Timestamp>,
    turns: u32,
    transcript: Vec<TranscriptLine>,
    slots: Vec<(String, String)>,
    context: Context,
    flow: Option<FlowState>,
    awaiting: Option<Awaiting>,
    shopping: Option<Shopping>,
    streak: Streak,
    entries_tried: Vec<String>,
    mood: Mood,
    handoff: Option<HandoffRecord>,
    leave_message: Option<PendingMessage>,
    rating: RatingState,
    resolved: u16,
    ended: bool,
    #[serde(default)]
    locale: Option<Locale>,
}

impl SavedConversation {
    /// Reads a state saved as postcard bytes (the widget's form).
    pub fn from_postcard(bytes: &[u8]) -> Result<SavedConversation, postcard::Error> {
        postcard::from_bytes(bytes)
    }
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
    /// The attribute last asked about ("换屏多少钱"), by name: "那iPhone 14呢" asks it of
    /// the product named next.
    #[serde(default)]
    pub attribute: Option<Focus>,
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

    /// A saved state made to fit `engine`'s knowledge base — the one way to a conversation
    /// from saved data. A flow or step, product, entry, attribute or category this build does
    /// not have is forgotten rather than followed, and the transcript, slots and entries tried
    /// are cut to the bounds the engine keeps, whatever the saved data says.
    pub fn restore(saved: SavedConversation, engine: &crate::Engine) -> Conversation {
        // Every field named: a field added to one struct and not the other does not compile.
        let SavedConversation {
            started_at,
            last_active,
            turns,
            transcript,
            slots,
            context,
            flow,
            awaiting,
            shopping,
            streak,
            entries_tried,
            mood,
            handoff,
            leave_message,
            rating,
            resolved,
            ended,
            locale,
        } = saved;
        let mut c = Conversation {
            started_at,
            last_active,
            turns,
            transcript: Vec::new(),
            slots: Vec::new(),
            context,
            flow,
            awaiting,
            shopping,
            streak,
            entries_tried: Vec::new(),
            mood,
            handoff,
            leave_message,
            rating,
            resolved,
            ended,
            locale,
        };
        for line in transcript {
            c.record(line.speaker, &line.text, line.at);
        }
        for (name, value) in slots {
            c.set_slot(&name, &value);
        }
        for entry in entries_tried {
            c.tried(&entry);
        }
        c.fit(engine);
        c
    }

    /// Forgets what `engine`'s knowledge base does not have (see [`Conversation::restore`]).
    fn fit(&mut self, engine: &crate::Engine) {
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
        if let Some(entry) = &self.context.confirm {
            if kb.entry_by_id(entry).is_none() {
                self.context.confirm = None;
            }
        }
        self.context
            .compared
            .retain(|p| cfg.catalogue.product(&p.id).is_some());
        if let Some(attr) = &self.context.pending_attribute {
            if attr != PRICE_ATTRIBUTE && !cfg.catalogue.attributes.iter().any(|a| &a.name == attr)
            {
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

    /// The language the conversation speaks now: the customer's, or the shop's own
    /// before it is known.
    pub fn speaks(&self, engine: &crate::Engine) -> Locale {
        self.locale.unwrap_or(engine.kb().dialogue.locales.default)
    }

    /// Customer turns so far.
    pub fn turns(&self) -> u32 {
        self.turns
    }

    /// The guided flow in progress.
    pub fn flow(&self) -> Option<&FlowState> {
        self.flow.as_ref()
    }

    /// What "it", "this one" and "the order" refer to now.
    pub fn context(&self) -> &Context {
        &self.context
    }

    /// Feelings over the conversation.
    pub fn mood(&self) -> &Mood {
        &self.mood
    }

    /// The last handoff.
    pub fn last_handoff(&self) -> Option<&HandoffRecord> {
        self.handoff.as_ref()
    }

    /// The leave-a-message form shown and not sent yet.
    pub fn pending_message(&self) -> Option<&PendingMessage> {
        self.leave_message.as_ref()
    }

    /// Exchanges that ended well.
    pub fn resolved(&self) -> u16 {
        self.resolved
    }

    /// Where the satisfaction rating stands.
    pub fn rating_state(&self) -> &RatingState {
        &self.rating
    }

    /// The transcript so far, oldest line first (at most [`TRANSCRIPT_LINES`]).
    pub fn transcript(&self) -> &[TranscriptLine] {
        &self.transcript
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

    /// Forgets the slot `name`.
    pub fn forget_slot(&mut self, name: &str) {
        self.slots.retain(|(k, _)| k != name);
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
