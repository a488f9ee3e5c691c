//! One turn: what the customer did → what the bot says and does.
//!
//! A typed message is read once ([`Heard`](super::hear::Heard): normalised forms, slots,
//! emotion, FAQ match), then decided: the hard rules in a fixed order (pending rating or
//! leave-a-message answers, the yes/no to a confirmation, cancel, a request for a human,
//! sensitive words, strong anger, the guided flow in progress), then the candidates — flow
//! start, order, detail, small talk, FAQ, product — compared by confidence (`decide`). An
//! interrupted flow is resumed at the end of the turn. What is said goes through
//! [`Turn`](super::say::Turn).

use super::emotion::{self, EmotionLevel};
use super::handoff::HandoffReason;
use super::hear::Heard;
use super::lexicon;
use super::locale::{self, Labels};
use super::reply::{Choice, Input, Message, Reply};
use super::say::Turn;
use super::state::{Conversation, Focus, Speaker};
use crate::kb::Timestamp;
use crate::matcher::Engine;

/// A request for a person that says this much besides (Han characters plus Latin words, the
/// request's own words left out) also says what it is about.
const REQUEST_WITH_TOPIC: usize = 3;

/// The order in which a typed message is decided, first match wins: the table of
/// `docs/dialogue.md` ("What the engine does with a message"), kept equal by a test.
/// `Conversation::route` follows it row by row; its last row, `candidates`, compares what
/// the handlers propose by confidence ([`CANDIDATES`](super::decide::CANDIDATES)).
pub const PRECEDENCE: [&str; 8] = [
    "closing",
    "confirm",
    "cancel",
    "human",
    "sensitive",
    "strong-anger",
    "flow",
    "candidates",
];

/// Rewrites a text of a traditional-writing shop in simplified characters when the
/// conversation is in simplified Chinese (see `Conversation::one_script`).
fn in_customer_script(engine: &Engine, conversation: Option<locale::Locale>, text: &mut String) {
    let shop = engine.kb().dialogue.locales.default;
    if conversation != Some(locale::Locale::ZhCn) || shop == locale::Locale::ZhCn {
        return;
    }
    let tables = engine.analyzer().tables();
    if text.chars().any(|c| tables.simplify(c) != c) {
        *text = text.chars().map(|c| tables.simplify(c)).collect();
    }
}

/// Characters of a customer message that are read at most.
pub const MAX_MESSAGE_CHARS: usize = 500;

impl Conversation {
    /// Answers one input. `now` is the time in seconds since 1970 (UTC); the shop's time
    /// zone comes from the knowledge base.
    pub fn respond(&mut self, engine: &Engine, input: Input, now: Timestamp) -> Reply {
        if let Input::Text(text) = &input {
            // Until the customer's language is known it is the shop's own.
            let current = self.locale.or(Some(engine.kb().dialogue.locales.default));
            if let Some(locale) = locale::detect(engine.analyzer().tables(), text, current) {
                self.locale = Some(locale);
            }
        }
        let mut t = Turn::new(engine, self.locale, now);
        self.started_at.get_or_insert(now);
        self.forget_if_idle(&t);
        match input {
            Input::Open => self.on_open(&mut t),
            Input::Text(text) => self.on_text(&mut t, &text),
            Input::Choice(choice) => self.on_choice(&mut t, choice),
            Input::Viewing { product } => self.on_viewing(&t, &product),
            Input::Order(lookup) => self.on_order_result(&mut t, lookup),
            Input::Image { reference } => self.on_image(&mut t, &reference),
            Input::Rating { satisfied, reason } => {
                let said = format!(
                    "{} {} {}",
                    t.labels().tag_rating,
                    rating_word(t.labels(), satisfied),
                    reason.as_deref().unwrap_or("")
                );
                self.record(Speaker::Customer, said.trim(), now);
                self.rate(&mut t, satisfied, reason)
            }
            Input::LeaveMessage { contact, question } => {
                self.send_left_message(&mut t, &contact, &question)
            }
            Input::End => self.on_end(&mut t),
            Input::SetLocale { locale } => {
                self.locale = Some(locale);
                return Reply::default();
            }
        }
        self.last_active = Some(now);
        self.one_script(engine, &mut t.reply);
        let summary: Vec<String> = t
            .reply
            .messages
            .iter()
            .filter(|m| {
                !matches!(
                    m,
                    Message::HotQuestions { .. } | Message::QuickReplies { .. }
                )
            })
            .map(|m| m.text(t.pack.locale))
            .collect();
        self.record(Speaker::Bot, &summary.join(" / "), now);
        t.reply
    }

    /// A customer writing simplified Chinese to a shop that writes traditional gets the
    /// shop's own texts (answers, questions, names, flow prompts) in simplified characters as
    /// well, so that a reply and its chips never mix the two scripts. (The other way round
    /// stays as the shop wrote it: one simplified character can stand for several
    /// traditional ones.)
    fn one_script(&self, engine: &Engine, reply: &mut Reply) {
        for m in &mut reply.messages {
            m.for_each_shown_text(&mut |text| in_customer_script(engine, self.locale, text));
        }
    }

    fn on_open(&mut self, t: &mut Turn<'_>) {
        if self.turns == 0 {
            let welcome = t.kb.settings.texts.welcome_in(t.locale).to_string();
            t.say(welcome);
            t.hot_questions();
        }
    }

    fn on_viewing(&mut self, t: &Turn<'_>, product: &str) {
        if t.cfg.catalogue.product(product).is_some() {
            self.context.product = Some(Focus {
                id: product.to_string(),
                turn: self.turns,
            });
        }
    }

    /// A customer turn begins: count it and write it down.
    pub(super) fn begin_turn(&mut self, t: &Turn<'_>, said: &str) {
        self.turns = self.turns.saturating_add(1);
        self.ended = false;
        self.record(Speaker::Customer, said, t.now);
        self.expire_context(t);
    }

    pub(super) fn on_text(&mut self, t: &mut Turn<'_>, text: &str) {
        self.on_text_shown(t, text, None);
    }

    /// Reads `text` as typed; the transcript keeps `shown` instead when the customer clicked a
    /// chip labelled in their language that sends the shop's word.
    fn on_text_shown(&mut self, t: &mut Turn<'_>, text: &str, shown: Option<&str>) {
        let text: String = text.chars().take(MAX_MESSAGE_CHARS).collect();
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        self.begin_turn(t, shown.unwrap_or(text));
        let heard = Heard::new(t, self, text);
        self.note_slots(t, &heard);
        self.feel(t, &heard.emotion);
        self.route(t, &heard);
    }

    fn on_choice(&mut self, t: &mut Turn<'_>, choice: Choice) {
        match choice {
            Choice::Say(text) => {
                let catalogue = &t.cfg.catalogue;
                let shown = catalogue.chip_label(t.tr(), &text).map(|label| {
                    let mut label = label.to_string();
                    in_customer_script(t.engine, t.locale, &mut label);
                    label
                });
                self.on_text_shown(t, &text, shown.as_deref());
            }
            Choice::Option(value) => {
                if !self.flow_option(t, &value) {
                    self.on_text(t, &value);
                }
            }
            Choice::Entry(id) => {
                self.context.confirm = None;
                let Some((e, entry)) = t.kb.entry_by_id(&id) else {
                    self.begin_turn(t, &id);
                    let fallback = t.fallback_text();
                    t.push(Message::Fallback { text: fallback });
                    t.hot_questions();
                    return;
                };
                self.begin_turn(t, entry.question_in(t.locale));
                self.streak.unrecognised = 0;
                self.answer_entry(t, e);
                if self.flow.is_some() {
                    self.resume_flow(t);
                }
            }
            Choice::Product(id) => {
                let name = t.cfg.catalogue.product(&id).map_or(id.clone(), |(i, _)| {
                    t.cfg.catalogue.product_name(t.tr(), i).to_string()
                });
                self.begin_turn(t, &name);
                self.show_product(t, &id);
            }
            Choice::StartFlow(id) => {
                let name = t
                    .cfg
                    .flows
                    .iter()
                    .find(|f| f.id == id)
                    .map_or(id.clone(), |f| t.flow_name(f).to_string());
                self.begin_turn(t, &name);
                self.start_flow(t, &id, None);
            }
            Choice::Human => {
                self.begin_turn(t, &t.labels().human_button);
                self.hand_off(t, HandoffReason::CustomerRequest, "button");
            }
            Choice::Detail => {
                self.begin_turn(t, &t.pack.texts.detail_button);
                self.give_detail(t);
            }
            Choice::Rate(satisfied) => {
                self.record(Speaker::Customer, rating_word(t.labels(), satisfied), t.now);
                self.rate(t, satisfied, None)
            }
        }
    }

    fn on_image(&mut self, t: &mut Turn<'_>, reference: &str) {
        self.begin_turn(t, &format!("{} {reference}", t.labels().tag_image));
        if !self.flow_image(t, reference) {
            let text = t.pack.texts.image_received.clone();
            t.say(text);
        }
    }

    /// Decides a heard message by [`PRECEDENCE`]; the comments name its rows.
    fn route(&mut self, t: &mut Turn<'_>, heard: &Heard) {
        let previous = std::mem::take(&mut self.streak.last_question);
        let previous_entry = self.streak.last_entry.take();
        let unrecognised = std::mem::take(&mut self.streak.unrecognised);
        // closing
        if self.closing_answer(t, heard) {
            return;
        }
        let lex = &t.cfg.lexicon;
        // confirm: the answer to 「您是想问「…」吗？」.
        if let Some(id) = self.context.confirm.take() {
            if heard.says_only(&lex.no, &lex.fillers, 1) {
                let text = t.fallback_text();
                t.push(Message::Fallback { text });
                t.hot_questions();
                return;
            }
            if heard.says_only(&lex.yes, &lex.fillers, 1) {
                if let Some((e, _)) = t.kb.entry_by_id(&id) {
                    self.answer_entry(t, e);
                    return;
                }
            }
        }
        // cancel: "取消" leaves what is in progress; with nothing in progress, "那我不要了 取消吧" is
        // about cancelling an order, a question for the FAQ when it knows one.
        let in_progress = self.flow.is_some()
            || self.awaiting.is_some()
            || self.shopping.is_some()
            || self.leave_message.is_some();
        let faq_knows = match &heard.faq.outcome {
            crate::matcher::Outcome::Answer(_) => true,
            crate::matcher::Outcome::Clarify(list) => {
                list.len() >= 2 && heard.faq.confidence >= t.unsure_below()
            }
            crate::matcher::Outcome::Fallback => false,
        };
        // "算了，不约了": a cancel word and a short refusal.
        let says_cancel = lexicon::any(&heard.norm, &lex.cancel) && {
            let rest = lexicon::strip(&heard.bare, &[&lex.cancel, &lex.fillers]);
            let rest = rest.trim_start();
            lexicon::weight(rest) <= 1
                || (rest.starts_with(['不', '别']) && lexicon::weight(rest) <= 3)
        };
        if says_cancel && (in_progress || !faq_knows) {
            self.cancel(t);
            return;
        }
        // human, sensitive, strong-anger
        if self.wants_human(t, heard) {
            // "I need to speak to someone about my delivery": what the request is about is the
            // question the leave-a-message form offers, not one asked before it.
            let lex = &t.cfg.lexicon;
            let topic = lexicon::strip(
                &heard.norm,
                &[&lex.human_requests, &lex.human_words, &lex.fillers],
            );
            if lexicon::weight(&topic) >= REQUEST_WITH_TOPIC {
                self.set_slot("question", &heard.raw);
            }
            self.hand_off(t, HandoffReason::CustomerRequest, &heard.raw);
            return;
        }
        if let Some(word) = lexicon::longest(&heard.norm, &t.cfg.handoff.sensitive_words) {
            let word = word.to_string();
            self.hand_off(t, HandoffReason::Sensitive, &word);
            return;
        }
        let anger = heard.emotion.kind == Some(emotion::EmotionKind::Anger);
        if t.cfg.handoff.strong_emotion && anger && heard.emotion.level == EmotionLevel::Strong {
            self.hand_off(t, HandoffReason::StrongEmotion, &heard.raw);
            return;
        }
        // flow
        let mut resume = false;
        let flow_before = self.flow.as_ref().map(|f| (f.flow.clone(), f.step.clone()));
        if self.flow.is_some() {
            match self.flow_answer(t, heard, unrecognised) {
                super::flow_answer::FlowTurn::Handled => return,
                super::flow_answer::FlowTurn::Interrupted => resume = true,
            }
        }
        // candidates: flow-start, order, detail, small-talk, faq, product — by confidence.
        let mentions = self.product_mentions(t, heard);
        let chosen = super::decide::choose(self.candidates(t, heard));
        self.note_mentions(t, &mentions);
        self.carry_out(
            t,
            heard,
            chosen.plan,
            previous,
            previous_entry,
            unrecognised,
        );
        let same_flow = self.flow.as_ref().map(|f| (f.flow.clone(), f.step.clone())) == flow_before;
        if resume && same_flow && self.flow.is_some() && t.reply.action.is_none() {
            self.resume_flow(t);
        }
    }

    /// Does the customer ask for a human (typos and pinyin included)?
    pub(super) fn wants_human(&self, t: &Turn<'_>, heard: &Heard) -> bool {
        let cfg = t.cfg;
        if !cfg.handoff.on_request {
            return false;
        }
        let lex = &cfg.lexicon;
        let norm = &heard.norm;
        if lexicon::any(norm, &lex.human_requests)
            || heard.says_only(&lex.human_words, &lex.fillers, 1)
        {
            return true;
        }
        let tables = t.engine.analyzer().tables();
        let short = lexicon::weight(&lexicon::strip(norm, &[&lex.fillers])) <= 3;
        lex.human_requests
            .iter()
            .any(|p| lexicon::sounds_like(tables, norm, p))
            || short
                && lex
                    .human_words
                    .iter()
                    .any(|w| lexicon::sounds_like(tables, norm, w))
            || short
                && lex
                    .human_requests
                    .iter()
                    .chain(&lex.human_words)
                    .any(|w| lexicon::near_word(norm, w))
    }
}

fn rating_word(labels: &Labels, satisfied: bool) -> &str {
    if satisfied {
        &labels.rating_satisfied
    } else {
        &labels.rating_unsatisfied
    }
}
