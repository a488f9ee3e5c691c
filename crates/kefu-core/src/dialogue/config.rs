//! What a shop configures for conversations (`kb/dialogue.toml`, `kb/products.toml`,
//! `kb/flows/`), with built-in defaults for a Chinese shop that also reads English.
//!
//! Every phrase list is stored normalised (see [`crate::text::normalize`]): lower case,
//! simplified Chinese, no punctuation. The defaults below are written that way; the compiler
//! normalises what operators write.

use serde::{Deserialize, Serialize};

pub use super::locale::DialogueTexts;
pub use super::template::fill;

use super::emotion::EmotionLexicon;
use super::flows::Flow;
use super::locale::Locale;
use super::pattern::Pattern;
use super::products::Catalogue;
use crate::kb::EntryIdx;

/// Conversation settings compiled into the knowledge base.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DialogueConfig {
    /// What an order number looks like in this shop.
    pub order_number: Pattern,
    pub lexicon: Lexicon,
    pub texts: DialogueTexts,
    pub handoff: HandoffPolicy,
    pub emotion: EmotionLexicon,
    pub context: ContextPolicy,
    pub catalogue: Catalogue,
    pub flows: Vec<Flow>,
    /// Entries that mean "where is my order": with an order number at hand the engine
    /// looks the order up instead of answering them.
    pub order_entries: Vec<EntryIdx>,
    /// Reasons offered after "不满意" (the shop's language; other languages use their pack's).
    pub rating_reasons: Vec<String>,
    /// What the engine says, per language, and how the shop writes money.
    #[serde(default)]
    pub locales: super::locale::Locales,
    /// Compound words no phrase may cut (多久到 is not inside 多久到账): the built-in ones,
    /// the catalogue's names and the shop's `compounds`. Normalised.
    #[serde(default = "super::defaults::compounds")]
    pub compounds: Vec<String>,
    /// The flows' and the catalogue's texts in other languages than the shop's (format 5).
    #[serde(default)]
    pub translations: super::translations::Translations,
}

/// Phrases the conversation engine recognises itself, besides the FAQ entries.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Lexicon {
    /// Asking for a human anywhere in a message ("转人工", "talk to a human").
    pub human_requests: Vec<String>,
    /// Words that ask for a human only when they are (nearly) the whole message ("人工").
    pub human_words: Vec<String>,
    /// Words that may surround a request without changing it ("我要", "please").
    pub fillers: Vec<String>,
    pub cancel: Vec<String>,
    /// "详细说说", "具体点", "还有呢".
    pub detail: Vec<String>,
    pub greeting: Vec<String>,
    pub thanks: Vec<String>,
    pub goodbye: Vec<String>,
    pub yes: Vec<String>,
    pub no: Vec<String>,
    /// "发货了吗", "到哪了": a question about one's own order.
    pub order_status: Vec<String>,
    /// "订单", "单号": a number near these is an order number, not a phone.
    pub order_words: Vec<String>,
    /// "什么时候能到": the delivery date of the order in context.
    pub eta: Vec<String>,
    /// "快递单号": the tracking number of the order in context.
    pub tracking: Vec<String>,
    /// "想买", "推荐": the customer is shopping.
    pub recommend: Vec<String>,
    /// "这款", "它": the product in context.
    pub pronouns: Vec<String>,
    /// Words of a question about a product that carry no attribute ("怎么样", "多大").
    pub question_fillers: Vec<String>,
    pub satisfied: Vec<String>,
    pub unsatisfied: Vec<String>,
    /// Words that make a message a question ("怎么", "吗", "how").
    pub question_markers: Vec<String>,
}

/// When the engine hands a conversation to a human.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct HandoffPolicy {
    /// The customer asks for a human.
    pub on_request: bool,
    /// Entries whose answer means "the customer wants a human" (e.g. `service-human`).
    pub human_entries: Vec<EntryIdx>,
    /// Unrecognised questions in a row before handing off; 0 turns the rule off.
    pub unrecognised_limit: u8,
    /// The same question asked twice in a row.
    pub repeated_question: bool,
    /// Strong anger.
    pub strong_emotion: bool,
    /// Entries marked `sensitive` are answered and confirmed by a human.
    pub sensitive_entries: bool,
    /// Messages containing these always go to a human (privacy, fraud, legal threats).
    pub sensitive_words: Vec<String>,
    /// Entries handed off when they are the best match below `flagged_below`.
    pub flagged: Vec<EntryIdx>,
    pub flagged_below: f32,
}

/// How long context lives.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ContextPolicy {
    /// Customer turns after which an unmentioned product or order is forgotten.
    pub max_turns: u8,
    /// Seconds of silence after which context is forgotten.
    pub idle_seconds: u32,
    /// Category ids (top level) whose answers keep the product in context; empty: every
    /// category does.
    pub product_topics: Vec<String>,
    /// Category ids (top level) whose answers keep the order in context; empty: the
    /// categories of the `order_entries`.
    pub order_topics: Vec<String>,
}

impl DialogueConfig {
    /// Checks that every index points inside the knowledge base (`entry_count` entries) and
    /// the catalogue, so a damaged file is refused at load time rather than misbehaving.
    pub fn check(&self, entry_count: usize) -> Result<(), String> {
        let entry = |e: &EntryIdx| (*e as usize) < entry_count;
        let lists = [
            &self.order_entries,
            &self.handoff.human_entries,
            &self.handoff.flagged,
        ];
        if !lists.iter().all(|l| l.iter().all(entry)) {
            return Err("dialogue entry reference out of range".into());
        }
        for flow in &self.flows {
            if flow.steps.is_empty() {
                return Err(format!("flow `{}` has no steps", flow.id));
            }
            if let Some(step) = flow.silent_cycle() {
                return Err(format!(
                    "flow `{}` goes round from step `{step}` without asking the customer anything",
                    flow.id
                ));
            }
            let steps = flow.steps.len();
            let ok = flow.offer_after.iter().all(entry)
                && flow.steps.iter().all(|s| {
                    s.follow_ups.iter().all(entry)
                        && s.next.iter().all(|b| (b.goto as usize) < steps)
                });
            if !ok {
                return Err(format!(
                    "flow `{}` refers outside the knowledge base",
                    flow.id
                ));
            }
        }
        self.translations.check()?;
        self.catalogue.check()
    }
}

impl DialogueConfig {
    /// Starts the shop's own texts (`texts`, `rating_reasons`, comfort words) from the
    /// built-in pack of `locale`, the shop's language, before its sources override them.
    pub fn speak_natively(&mut self, locale: Locale) {
        let pack = super::locale::LocalePack::builtin(locale);
        self.locales.default = locale;
        self.texts = pack.texts;
        self.rating_reasons = pack.labels.rating_reasons.clone();
        let e = &mut self.emotion;
        e.comfort_anger = pack.labels.comfort_anger;
        e.comfort_anger_strong = pack.labels.comfort_anger_strong;
        e.comfort_anxiety = pack.labels.comfort_anxiety;
        e.comfort_urgency = pack.labels.comfort_urgency;
    }

    /// Copies the shop's own texts into the pack of its language, where the engine reads them.
    pub fn sync_default_pack(&mut self) {
        let texts = self.texts.clone();
        let reasons = self.rating_reasons.clone();
        let e = self.emotion.clone();
        let pack = self.locales.pack_mut(self.locales.default);
        pack.texts = texts;
        pack.labels.rating_reasons = reasons;
        pack.labels.comfort_anger = e.comfort_anger;
        pack.labels.comfort_anger_strong = e.comfort_anger_strong;
        pack.labels.comfort_anxiety = e.comfort_anxiety;
        pack.labels.comfort_urgency = e.comfort_urgency;
    }
}
