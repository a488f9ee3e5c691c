//! Saying: the turn being answered — the engine, the clock, the conversation's locale pack —
//! and the reply it builds. Every built-in text a handler says comes from the pack
//! ([`Turn::pack`], [`Turn::labels`], [`Turn::speech`]); the knowledge base's own answers
//! stay as the shop wrote them.

use super::calendar::local_day;
use super::config::{fill, DialogueConfig};
use super::flows::{Flow, Step};
use super::locale::{self, Labels, Locale, LocalePack};
use super::reply::{Action, Message, QuickReply, Reply};
use super::state::Conversation;
use super::translations::{TextKey, Tr};
use crate::kb::{KnowledgeBase, Timestamp};
use crate::matcher::Engine;

/// The engine, the clock and the reply being built.
pub(super) struct Turn<'a> {
    pub engine: &'a Engine,
    pub kb: &'a KnowledgeBase,
    pub cfg: &'a DialogueConfig,
    /// What the engine says, in the conversation's language.
    pub pack: &'a LocalePack,
    pub now: Timestamp,
    pub reply: Reply,
    /// The conversation's language (`None`: the shop's own).
    pub locale: Option<Locale>,
}

impl<'a> Turn<'a> {
    pub(super) fn new(engine: &'a Engine, locale: Option<Locale>, now: Timestamp) -> Turn<'a> {
        let kb = engine.kb();
        let cfg = &kb.dialogue;
        Turn {
            engine,
            kb,
            cfg,
            pack: cfg.locales.pack(locale.unwrap_or(cfg.locales.default)),
            now,
            reply: Reply::default(),
            locale,
        }
    }

    /// The shop's apology before the hot questions, in the conversation's language.
    pub fn fallback_text(&self) -> String {
        self.kb.settings.texts.fallback_in(self.locale).to_string()
    }

    /// The shop's prompt before 2–3 choices, in the conversation's language.
    pub fn clarify_text(&self) -> String {
        self.kb.settings.texts.clarify_in(self.locale).to_string()
    }

    /// Labels and formats of the conversation's language.
    pub fn labels(&self) -> &'a Labels {
        &self.pack.labels
    }

    /// The pack and money format, for the say-side helpers.
    pub fn speech(&self) -> locale::Speech<'a> {
        locale::Speech {
            pack: self.pack,
            money: &self.cfg.locales.money,
        }
    }

    /// The shop's flows and catalogue in the conversation's language.
    pub fn tr(&self) -> Tr<'a> {
        Tr {
            translations: &self.cfg.translations,
            locale: self.locale,
        }
    }

    /// A flow's name in the conversation's language.
    pub fn flow_name(&self, flow: &'a Flow) -> &'a str {
        let key = TextKey::FlowName {
            flow: flow_index(self.cfg, flow),
        };
        self.tr().text(key, &flow.name)
    }

    /// A text of a flow's step in the conversation's language: `which` builds the key from
    /// the flow's and the step's positions, `own` is the shop's text.
    pub fn step_text(
        &self,
        flow: &'a Flow,
        step: &'a Step,
        which: impl Fn(u16, u16) -> TextKey,
        own: &'a str,
    ) -> &'a str {
        let s = flow
            .steps
            .iter()
            .position(|x| std::ptr::eq(x, step))
            .unwrap_or(usize::MAX) as u16;
        self.tr().text(which(flow_index(self.cfg, flow), s), own)
    }

    /// A price as the shop writes it ("¥129", "HK$1,299").
    pub fn price(&self, cents: u64) -> String {
        self.cfg.locales.money.price(cents)
    }

    pub fn say(&mut self, text: impl Into<String>) {
        let text = text.into();
        if !text.is_empty() {
            self.reply.messages.push(Message::Text { text });
        }
    }

    pub fn notice(&mut self, text: impl Into<String>) {
        self.reply
            .messages
            .push(Message::Notice { text: text.into() });
    }

    pub fn push(&mut self, message: Message) {
        self.reply.messages.push(message);
    }

    pub fn act(&mut self, action: Action) {
        self.reply.action = Some(action);
    }

    /// The shop's local day number now.
    pub fn today(&self) -> i64 {
        local_day(self.now, self.kb.settings.working_hours.utc_offset_minutes)
    }

    /// Quick replies under a title; nothing when there are none.
    pub fn quick_replies(&mut self, title: &str, replies: Vec<QuickReply>) {
        if !replies.is_empty() {
            self.push(Message::QuickReplies {
                title: title.to_string(),
                replies,
            });
        }
    }

    /// The hot questions as clickable chips.
    pub fn hot_questions(&mut self) {
        let questions =
            QuickReply::for_entries(self.kb, &self.kb.settings.hot_questions, self.locale);
        if !questions.is_empty() {
            let title = self.pack.texts.hot_questions_title.clone();
            self.push(Message::HotQuestions { title, questions });
        }
    }
}

/// The position of `flow` among the shop's flows (`u16::MAX` for a flow from elsewhere).
fn flow_index(cfg: &DialogueConfig, flow: &Flow) -> u16 {
    cfg.flows
        .iter()
        .position(|f| std::ptr::eq(f, flow))
        .map_or(u16::MAX, |i| i as u16)
}

/// Fills a template with the order in context and the conversation's slots.
pub(super) fn fill_with(
    template: &str,
    conversation: &Conversation,
    labels: &Labels,
    extra: &[(&str, &str)],
) -> String {
    let mut values: Vec<(&str, &str)> = extra.to_vec();
    if let Some(flow) = &conversation.flow {
        values.extend(
            flow.slots
                .iter()
                .map(|(k, v)| (k.as_str(), labels.value(v))),
        );
    }
    values.extend(
        conversation
            .slots
            .iter()
            .map(|(k, v)| (k.as_str(), labels.value(v))),
    );
    fill(template, &values)
}
