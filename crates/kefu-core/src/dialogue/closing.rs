//! How conversations end or leave the bot: handoffs (or, outside working hours, the
//! leave-a-message form), cancelling, satisfaction ratings and the end of the chat.

use super::config::fill;
use super::handoff::{Handoff, HandoffReason, SlotValue};
use super::hear::Heard;
use super::hours;
use super::lexicon;
use super::privacy::{mask, mask_codes};
use super::reply::{
    Action, Choice, LeaveMessageForm, LeftMessage, Message, QuickReply, RatingPrompt,
};
use super::say::{fill_with, Turn};
use super::state::{Conversation, HandoffRecord, PendingMessage, Rating, RatingState, Streak};
use super::transcript::TranscriptLine;
use crate::kb::Timestamp;
use crate::matcher::Outcome;

impl Conversation {
    /// Hands the conversation to a human, or offers the leave-a-message form when nobody is
    /// at work.
    pub(super) fn hand_off(&mut self, t: &mut Turn<'_>, reason: HandoffReason, detail: &str) {
        let texts = &t.pack.texts;
        let hours_cfg = &t.kb.settings.working_hours;
        self.streak = Streak::default();
        self.awaiting = None;
        if hours::is_open(hours_cfg, t.now) {
            let text = match reason {
                HandoffReason::CustomerRequest => &texts.handoff,
                HandoffReason::Sensitive => &texts.handoff_sensitive,
                HandoffReason::RepeatedQuestion => &texts.handoff_repeated,
                HandoffReason::Unrecognised => &texts.handoff_unrecognised,
                HandoffReason::StrongEmotion => &texts.handoff_emotion,
                HandoffReason::LowConfidence => &texts.handoff_low_confidence,
                HandoffReason::Flow => &texts.handoff_flow,
            };
            t.notice(fill_with(text, self, t.labels(), &[]));
            let handoff = self.handoff_package(reason, detail, t.now);
            t.act(Action::HandOff(handoff));
            self.handoff = Some(HandoffRecord { reason, at: t.now });
        } else {
            let opens_at = hours::next_opening(hours_cfg, t.now);
            let opens_text = opens_at
                .map(|ts| t.labels().moment(ts, hours_cfg.utc_offset_minutes))
                .unwrap_or_default();
            let question = self
                .slot("question")
                .map(str::to_string)
                .unwrap_or_default();
            let contact = self
                .slot("phone")
                .or(self.slot("email"))
                .unwrap_or_default()
                .to_string();
            let prompt = fill_with(
                &texts.leave_message,
                self,
                t.labels(),
                &[("opens_at", &opens_text)],
            );
            t.push(Message::LeaveMessage(LeaveMessageForm {
                prompt,
                contact,
                question: question.clone(),
                opens_at,
            }));
            self.leave_message = Some(PendingMessage {
                reason,
                detail: detail.to_string(),
                question,
                opens_at,
            });
        }
        self.flow = None;
    }

    /// The customer sent the leave-a-message form (or typed a contact while it was shown).
    pub(super) fn send_left_message(&mut self, t: &mut Turn<'_>, contact: &str, question: &str) {
        let contact = contact.trim();
        let pending = self.leave_message.clone().unwrap_or(PendingMessage {
            reason: HandoffReason::CustomerRequest,
            detail: String::new(),
            question: String::new(),
            opens_at: hours::next_opening(&t.kb.settings.working_hours, t.now),
        });
        let question = if question.trim().is_empty() {
            pending.question.clone()
        } else {
            question.trim().to_string()
        };
        self.begin_turn(
            t,
            &format!("{} {contact} {question}", t.labels().tag_left_message),
        );
        if contact.is_empty() {
            let text = t.pack.texts.leave_message_need_contact.clone();
            t.say(text);
            self.leave_message = Some(pending);
            return;
        }
        self.set_slot("contact", contact);
        let handoff = self.handoff_package(pending.reason, &pending.detail, t.now);
        let offset = t.kb.settings.working_hours.utc_offset_minutes;
        let opens_text = pending
            .opens_at
            .map(|ts| t.labels().moment(ts, offset))
            .unwrap_or_default();
        let masked = mask(contact);
        let text = fill(
            &t.pack.texts.leave_message_sent,
            &[("opens_at", &opens_text), ("contact", &masked)],
        );
        t.say(text);
        t.act(Action::LeaveMessage(LeftMessage {
            contact: contact.to_string(),
            question,
            reply_after: pending.opens_at,
            handoff,
        }));
        self.leave_message = None;
    }

    /// Answers that close something pending: a rating, its reason, the leave-a-message form.
    pub(super) fn closing_answer(&mut self, t: &mut Turn<'_>, heard: &Heard) -> bool {
        let lex = &t.cfg.lexicon;
        match self.rating {
            RatingState::AskedReason { .. } => {
                // A question or a request is not the reason: answer it, and keep the rating
                // without a reason.
                let asks_something = (heard.question
                    && !matches!(heard.faq.outcome, Outcome::Fallback))
                    || self.wants_human(t, heard);
                let reason = (!asks_something).then(|| heard.raw.clone());
                self.rate(t, false, reason);
                if !asks_something {
                    return true;
                }
            }
            RatingState::Asked => {
                if lexicon::any(&heard.norm, &lex.unsatisfied) {
                    self.rate(t, false, None);
                    return true;
                }
                if heard.says_only(&lex.satisfied, &lex.fillers, 1) {
                    self.rate(t, true, None);
                    return true;
                }
            }
            _ => {}
        }
        if self.leave_message.is_some() {
            let contact = heard
                .slots
                .phones
                .first()
                .or(heard.slots.emails.first())
                .cloned();
            if let Some(contact) = contact {
                let question = self
                    .leave_message
                    .as_ref()
                    .map(|p| p.question.clone())
                    .unwrap_or_default();
                let question = if question.is_empty() {
                    heard.raw.clone()
                } else {
                    question
                };
                // The customer's turn is already recorded; send without recording it twice.
                self.turns = self.turns.saturating_sub(1);
                self.transcript.pop();
                self.send_left_message(t, &contact, &question);
                return true;
            }
        }
        false
    }

    /// Asks 满意 / 不满意, once per conversation.
    pub(super) fn ask_rating(&mut self, t: &mut Turn<'_>) {
        if self.rating != RatingState::NotAsked {
            return;
        }
        let options = vec![
            QuickReply {
                label: t.labels().rating_satisfied.clone(),
                choice: Choice::Rate(true),
            },
            QuickReply {
                label: t.labels().rating_unsatisfied.clone(),
                choice: Choice::Rate(false),
            },
        ];
        t.push(Message::Rating(RatingPrompt {
            prompt: t.pack.texts.rating_prompt.clone(),
            options,
        }));
        self.rating = RatingState::Asked;
    }

    /// Records a rating; "不满意" without a reason asks for one (optional).
    pub(super) fn rate(&mut self, t: &mut Turn<'_>, satisfied: bool, reason: Option<String>) {
        let texts = &t.pack.texts;
        let reason = reason
            .map(|r| r.chars().take(200).collect::<String>())
            .filter(|r| !r.trim().is_empty());
        if let RatingState::Done(_) = self.rating {
            return;
        }
        let asked_reason = matches!(self.rating, RatingState::AskedReason { .. });
        if satisfied || reason.is_some() || asked_reason {
            self.rating = RatingState::Done(Rating {
                satisfied,
                reason,
                at: t.now,
            });
            let text = if satisfied {
                &texts.rating_thanks
            } else {
                &texts.rating_thanks_unsatisfied
            };
            t.say(text.clone());
            return;
        }
        self.rating = RatingState::AskedReason { at: t.now };
        let options = t
            .labels()
            .rating_reasons
            .iter()
            .map(|r| QuickReply {
                label: r.clone(),
                choice: Choice::Say(r.clone()),
            })
            .collect();
        t.push(Message::Rating(RatingPrompt {
            prompt: texts.rating_reason_prompt.clone(),
            options,
        }));
    }

    /// "取消", "算了": leaves whatever is in progress.
    pub(super) fn cancel(&mut self, t: &mut Turn<'_>) {
        let texts = &t.pack.texts;
        if let Some(flow) = self.flow.take() {
            let name = t
                .cfg
                .flows
                .iter()
                .find(|f| f.id == flow.flow)
                .map_or(flow.flow.clone(), |f| t.flow_name(f).to_string());
            t.say(fill(&texts.flow_cancelled, &[("flow", &name)]));
        } else {
            t.say(texts.cancelled.clone());
        }
        self.awaiting = None;
        self.shopping = None;
        self.leave_message = None;
    }

    /// The customer ends the chat: ask for a rating once, or say goodbye.
    pub(super) fn on_end(&mut self, t: &mut Turn<'_>) {
        if self.ended {
            return;
        }
        self.ended = true;
        match self.rating {
            RatingState::NotAsked if self.turns > 0 => self.ask_rating(t),
            RatingState::AskedReason { .. } => self.rate(t, false, None),
            _ => {
                let text = t.pack.texts.goodbye.clone();
                t.say(text);
            }
        }
    }

    /// The handoff of this conversation now: everything the agent receives, masked.
    pub(super) fn handoff_package(
        &self,
        reason: HandoffReason,
        detail: &str,
        at: Timestamp,
    ) -> Handoff {
        let conversation = self;
        // Order numbers the conversation knows are masked like other numbers, even when they
        // contain letters (XD202611190002).
        let mut codes: Vec<String> = conversation
            .slots
            .iter()
            .chain(conversation.flow.iter().flat_map(|f| f.slots.iter()))
            .filter(|(k, _)| k.contains("order"))
            .map(|(_, v)| v.clone())
            .chain(
                conversation
                    .context
                    .order
                    .iter()
                    .map(|o| o.order_no.clone()),
            )
            .collect();
        crate::sort::sort_by_key(&mut codes, |c| std::cmp::Reverse(c.len()));
        codes.dedup();
        let mask = |text: &str| mask(&mask_codes(text, &codes));
        let transcript = conversation
            .transcript
            .iter()
            .map(|line| TranscriptLine {
                speaker: line.speaker,
                text: mask(&line.text),
                at: line.at,
            })
            .collect();
        let mut slots: Vec<SlotValue> = conversation
            .slots
            .iter()
            .map(|(k, v)| SlotValue {
                name: k.clone(),
                value: mask(v),
            })
            .collect();
        if let Some(flow) = &conversation.flow {
            for (k, v) in &flow.slots {
                if !slots.iter().any(|s| &s.name == k) {
                    slots.push(SlotValue {
                        name: k.clone(),
                        value: mask(v),
                    });
                }
            }
        }
        Handoff {
            reason,
            detail: mask(detail),
            at,
            transcript,
            slots,
            entries_tried: conversation.entries_tried.clone(),
            flow: conversation.flow.as_ref().map(|f| f.flow.clone()),
            emotion: conversation.mood.strongest,
        }
    }
}
