//! FAQ answers with the handoff rules that watch them (repeated question, unrecognised
//! questions in a row, sensitive entries, flagged intents under a confidence threshold),
//! progressive disclosure ("详细说说") and small talk.

use super::handoff::HandoffReason;
use super::hear::Heard;
use super::reply::{Choice, Message, QuickReply};
use super::say::Turn;
use super::state::{Conversation, Focus, RatingState};
use crate::kb::EntryIdx;
use crate::matcher::Outcome;

/// Small talk said alone, answered by [`Conversation::small_talk`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SmallTalk {
    Thanks,
    Goodbye,
    Greeting,
}

/// How similar a question must be to the last one to count as the same question rephrased.
const REPHRASED: f32 = 0.3;

impl Conversation {
    /// Answers from the knowledge base, or clarifies, or apologises.
    pub(super) fn faq_turn(
        &mut self,
        t: &mut Turn<'_>,
        heard: &Heard,
        previous: Option<String>,
        previous_entry: Option<String>,
        unrecognised: u8,
    ) {
        let policy = &t.cfg.handoff;
        let m = &heard.faq;
        self.streak.last_question = Some(heard.norm.clone());
        self.set_slot("question", &heard.raw);
        let repeated = policy.repeated_question && previous.as_deref() == Some(heard.norm.as_str());
        if let Some(top) = m.candidates.first() {
            let flagged =
                policy.flagged.contains(&top.entry) && m.confidence < policy.flagged_below;
            if flagged && m.outcome != Outcome::Fallback {
                let id = t.kb.entries[top.entry as usize].id.clone();
                self.tried(&id);
                self.hand_off(t, HandoffReason::LowConfidence, &id);
                return;
            }
        }
        match &m.outcome {
            Outcome::Answer(e) => {
                let id = t.kb.entries[*e as usize].id.clone();
                // The same entry again for a rephrasing of the last question: its answer did
                // not help. Another question it answers ("八達通" then "碌卡", a second
                // appliance broken) is answered again.
                let same_entry = policy.repeated_question
                    && previous_entry.as_deref() == Some(id.as_str())
                    && previous
                        .as_deref()
                        .is_some_and(|p| t.engine.similarity(p, &heard.norm) >= REPHRASED);
                if repeated || same_entry {
                    self.hand_off(t, HandoffReason::RepeatedQuestion, &id);
                    return;
                }
                if policy.human_entries.contains(e) {
                    self.hand_off(t, HandoffReason::CustomerRequest, &id);
                    return;
                }
                self.streak.last_entry = Some(id);
                self.answer_entry(t, *e);
            }
            Outcome::Clarify(list) => {
                if repeated {
                    self.hand_off(t, HandoffReason::RepeatedQuestion, &heard.raw);
                    return;
                }
                // A clarify the matcher is far from sure of is a question not understood,
                // and counts like a fallback.
                if m.confidence < t.unsure_below() {
                    let count = unrecognised.saturating_add(1);
                    if policy.unrecognised_limit > 0 && count >= policy.unrecognised_limit {
                        self.hand_off(t, HandoffReason::Unrecognised, &heard.raw);
                        return;
                    }
                    self.streak.unrecognised = count;
                }
                let choices = QuickReply::for_entries(t.kb, list, t.locale);
                for c in &choices {
                    if let Choice::Entry(id) = &c.choice {
                        self.tried(id);
                    }
                }
                if let [only] = choices.as_slice() {
                    // One candidate is a yes/no question, never a list of one.
                    let labels = t.labels();
                    let prompt =
                        super::config::fill(&labels.confirm_question, &[("question", &only.label)]);
                    if let Choice::Entry(id) = &only.choice {
                        self.context.confirm = Some(id.clone());
                    }
                    let choices = vec![
                        QuickReply {
                            label: labels.confirm_yes.clone(),
                            choice: only.choice.clone(),
                        },
                        QuickReply {
                            label: labels.confirm_no.clone(),
                            choice: Choice::Say(labels.confirm_no.clone()),
                        },
                    ];
                    t.push(Message::Clarify { prompt, choices });
                    return;
                }
                let prompt = t.clarify_text();
                t.push(Message::Clarify { prompt, choices });
            }
            Outcome::Fallback => {
                let count = unrecognised.saturating_add(1);
                if repeated {
                    self.hand_off(t, HandoffReason::RepeatedQuestion, &heard.raw);
                    return;
                }
                if policy.unrecognised_limit > 0 && count >= policy.unrecognised_limit {
                    self.hand_off(t, HandoffReason::Unrecognised, &heard.raw);
                    return;
                }
                self.streak.unrecognised = count;
                let text = t.fallback_text();
                t.push(Message::Fallback { text });
                t.hot_questions();
            }
        }
    }

    /// An entry's short answer, its follow-ups, a flow offer, and the sensitive rule.
    pub(super) fn answer_entry(&mut self, t: &mut Turn<'_>, e: EntryIdx) {
        let Some(entry) = t.kb.entries.get(e as usize) else {
            return;
        };
        t.push(Message::Answer {
            entry: entry.id.clone(),
            text: entry.answer_in(t.locale).to_string(),
            more: entry.detail.is_some(),
        });
        self.context.entry = Some(Focus {
            id: entry.id.clone(),
            turn: self.turns,
        });
        self.context.detail_shown = false;
        self.tried(&entry.id);
        self.keep_topic(t, entry.category);
        let texts = &t.pack.texts;
        let mut replies = Vec::new();
        if entry.detail.is_some() {
            replies.push(QuickReply {
                label: texts.detail_button.clone(),
                choice: Choice::Detail,
            });
        }
        for flow in &t.cfg.flows {
            let running = self.flow.as_ref().is_some_and(|f| f.flow == flow.id);
            if flow.offer_after.contains(&e) && !running {
                let label =
                    super::config::fill(&texts.flow_offer_label, &[("flow", t.flow_name(flow))]);
                replies.push(QuickReply {
                    label,
                    choice: Choice::StartFlow(flow.id.clone()),
                });
            }
        }
        replies.extend(QuickReply::for_entries(t.kb, &entry.follow_ups, t.locale));
        let title = texts.follow_ups_title.clone();
        t.quick_replies(&title, replies);
        if entry.sensitive && t.cfg.handoff.sensitive_entries {
            let id = entry.id.clone();
            self.hand_off(t, HandoffReason::Sensitive, &id);
        }
    }

    /// An answer about another topic lets the product or order in context go. Topics the
    /// shop did not list are derived from what its knowledge base declares: every category
    /// keeps the product (it expires by turns and idle time), and the categories of the
    /// `order_entries` keep the order.
    fn keep_topic(&mut self, t: &Turn<'_>, category: u32) {
        let kb = t.kb;
        let root_of = |category: u32| {
            let mut root = category;
            for _ in 0..32 {
                match kb.categories.get(root as usize).and_then(|c| c.parent) {
                    Some(parent) => root = parent,
                    None => break,
                }
            }
            root
        };
        let root = root_of(category);
        let Some(root_id) = kb.categories.get(root as usize).map(|c| c.id.as_str()) else {
            return;
        };
        let policy = &t.cfg.context;
        let keeps_product =
            policy.product_topics.is_empty() || policy.product_topics.iter().any(|p| p == root_id);
        let keeps_order = if policy.order_topics.is_empty() {
            t.cfg.order_entries.is_empty()
                || t.cfg.order_entries.iter().any(|&e| {
                    kb.entries
                        .get(e as usize)
                        .is_some_and(|entry| root_of(entry.category) == root)
                })
        } else {
            policy.order_topics.iter().any(|p| p == root_id)
        };
        if !keeps_product {
            self.context.product = None;
        }
        if !keeps_order && self.flow.is_none() {
            self.context.order = None;
        }
    }

    /// The detailed answer of the entry just discussed.
    pub(super) fn give_detail(&mut self, t: &mut Turn<'_>) {
        let texts = &t.pack.texts;
        let Some(focus) = &self.context.entry else {
            let text = texts.detail_unknown.clone();
            t.say(text);
            return;
        };
        let entry = t.kb.entry_by_id(&focus.id).map(|(_, e)| e);
        match entry.and_then(|e| e.detail_in(t.locale).map(|d| (e, d))) {
            Some((entry, detail)) if !self.context.detail_shown => {
                t.push(Message::Detail {
                    entry: entry.id.clone(),
                    text: detail.to_string(),
                });
                self.context.detail_shown = true;
                self.context.entry = Some(Focus {
                    id: entry.id.clone(),
                    turn: self.turns,
                });
            }
            _ => {
                let text = texts.detail_none.clone();
                t.say(text);
            }
        }
    }

    /// "详细说说退货流程": the detailed answer of the entry the FAQ found.
    pub(super) fn detail_of(&mut self, t: &mut Turn<'_>, e: EntryIdx) {
        let Some(entry) = t.kb.entries.get(e as usize) else {
            return;
        };
        self.context.entry = Some(Focus {
            id: entry.id.clone(),
            turn: self.turns,
        });
        self.context.detail_shown = false;
        self.tried(&entry.id.clone());
        self.give_detail(t);
    }

    /// Greetings, thanks and goodbyes said on their own.
    pub(super) fn small_talk(&mut self, t: &mut Turn<'_>, talk: SmallTalk) {
        let texts = &t.pack.texts;
        match talk {
            SmallTalk::Thanks => {
                let text = texts.thanks.clone();
                t.say(text);
                if self.turns > 1 && self.rating == RatingState::NotAsked && self.flow.is_none() {
                    self.resolved = self.resolved.saturating_add(1);
                    self.ask_rating(t);
                }
            }
            SmallTalk::Goodbye => {
                // "谢谢，没问题了" in the middle of a flow: the customer is done with it too.
                self.flow = None;
                let text = texts.goodbye.clone();
                t.say(text);
                self.ask_rating(t);
            }
            SmallTalk::Greeting => {
                let text = texts.greeting.clone();
                t.say(text);
                t.hot_questions();
            }
        }
    }
}
