//! The conversation engine: multi-turn context, slots, guided flows, emotion, handoff rules,
//! working hours and satisfaction ratings.
//!
//! Everything here is pure: a [`Conversation`] is a plain serialisable value, and
//! [`Conversation::respond`] turns one [`Input`] (a typed text, a click, an order-lookup
//! result, an uploaded image, a rating, the end of the chat) into one [`Reply`]: typed
//! [`Message`]s plus at most one [`Action`] for the caller to carry out (look up an order,
//! hand off to a human, send a left message). The caller passes the time in; nothing reads a
//! clock, a file or the network. The widget, the CLI and the tests run the same code.
//!
//! ```
//! use kefu_core::dialogue::{Conversation, Input, SavedConversation};
//! # fn demo(engine: &kefu_core::Engine) {
//! let mut chat = Conversation::new();
//! let reply = chat.respond(engine, Input::Open, 1_795_000_000);
//! for message in &reply.messages {
//!     println!("{}: {}", message.kind(), message.summary());
//! }
//! // The state survives a page reload as plain bytes, and is fitted to the knowledge base
//! // it meets when read back.
//! let bytes = postcard::to_allocvec(&chat).unwrap();
//! let saved = SavedConversation::from_postcard(&bytes).unwrap();
//! assert_eq!(Conversation::restore(saved, engine), chat);
//! # }
//! ```
//!
//! What the shop configures — lexicons, texts, handoff policy, the product catalogue and
//! guided flows — is a [`DialogueConfig`] compiled into the knowledge base (see
//! `docs/dialogue.md`). Module map:
//!
//! - [`config`] (and its built-in defaults), [`lexicon`]: settings and phrase matching.
//! - [`slots`], [`money`], [`pattern`], [`calendar`]: order numbers, phones, e-mails, amounts
//!   and budgets, dates.
//! - [`emotion`], [`handoff`], [`privacy`], [`hours`]: feelings, escalation, masking, opening
//!   hours.
//! - [`products`], [`recommend`]: the catalogue, attribute questions and recommendations.
//! - [`flows`], [`condition`]: guided flows and their branch rules.
//! - [`translations`]: the flows' and the catalogue's texts in other languages.
//! - [`state`], [`reply`], [`orders`], [`markup`]: the conversation value, what goes in and
//!   out, and the limited formatting of texts as spans.
//! - [`transcript`], [`template`]: transcript lines (the state's and a handoff's), `{name}`
//!   templates.
//! - The turn logic (private), in the order a message goes through it: `hear` (a message
//!   read once), then deciding — `turn` (respond, the hard rules of [`PRECEDENCE`]),
//!   `decide` (the candidates compared by confidence, on `confidence`'s scale) and the
//!   handlers `faq`, `order`, `shop`, `flow_run` / `flow_answer`, `closing` (handoff,
//!   rating, end), `memory` (context) — and `say` (the turn's reply and locale pack).
//!
//! Golden conversation scripts (the tests' and `kefu chat --script`'s) are read and run by
//! the `kefu-script` crate, outside the engine.

pub mod calendar;
pub mod condition;
pub mod config;
pub mod emotion;
pub mod flows;
pub mod handoff;
pub mod hours;
pub mod length;
pub mod lexicon;
pub mod locale;
pub mod markup;
pub mod money;
pub mod orders;
pub mod pattern;
pub mod privacy;
pub mod products;
pub mod recommend;
pub mod reply;
pub mod slots;
pub mod state;
pub mod template;
pub mod transcript;
pub mod translations;

mod closing;
pub(crate) mod compat;
mod confidence;
mod decide;
pub(crate) mod defaults;
mod faq;
mod flow_answer;
mod flow_run;
mod hear;
mod locale_texts;
mod memory;
mod order;
mod say;
mod shop;
mod turn;

pub use confidence::{CERTAIN, STRONG};
pub use config::{ContextPolicy, DialogueConfig, DialogueTexts, HandoffPolicy, Lexicon};
pub use decide::CANDIDATES;
pub use emotion::{Emotion, EmotionKind, EmotionLevel};
pub use flows::{Flow, Step};
pub use handoff::{Handoff, HandoffReason};
pub use locale::{Locale, LocalePack, Locales, MoneyFormat};
pub use products::{Catalogue, Product};
pub use reply::{
    Action, Choice, Input, Message, OrderInfo, OrderLookup, OrderStatus, QuickReply, Reply,
};
pub use state::{Conversation, SavedConversation};
pub use translations::{TextKey, Tr, Translations};
pub use turn::PRECEDENCE;
