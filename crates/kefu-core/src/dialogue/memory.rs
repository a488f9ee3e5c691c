//! What the conversation remembers between turns: slots read from messages, the order and
//! product in focus, the customer's mood, and forgetting what went stale (after
//! `context.max_turns` turns without mention, or `context.idle_seconds` of silence).

use super::emotion::Emotion;
use super::hear::Heard;
use super::reply::Message;
use super::say::Turn;
use super::state::{Conversation, OrderFocus};

impl Conversation {
    /// Keeps what the message tells about the customer and their order.
    pub(super) fn note_slots(&mut self, t: &Turn<'_>, heard: &Heard) {
        let s = &heard.slots;
        if let Some(no) = s.order_numbers.first() {
            self.focus_order(no);
            self.set_slot("order_no", no);
        }
        if let Some(phone) = s.phones.first() {
            self.set_slot("phone", phone);
        }
        if let Some(email) = s.emails.first() {
            self.set_slot("email", email);
        }
        if let Some(budget) = s.budget {
            self.set_slot("budget", &t.speech().budget(&budget));
        }
        if let Some(q) = s.quantity {
            self.set_slot("quantity", &q.to_string());
        }
        if let Some(day) = s.date {
            self.set_slot("date", &super::calendar::iso_day(day));
        }
        let _ = t;
    }

    /// Puts an order in focus (keeping its lookup result when it is the same order).
    pub(super) fn focus_order(&mut self, order_no: &str) {
        match &mut self.context.order {
            Some(o) if o.order_no == order_no => o.turn = self.turns,
            _ => {
                self.context.order = Some(OrderFocus {
                    order_no: order_no.to_string(),
                    info: None,
                    turn: self.turns,
                })
            }
        }
    }

    /// Notes the customer's feeling and soothes when needed.
    pub(super) fn feel(&mut self, t: &mut Turn<'_>, emotion: &Emotion) {
        let Some(kind) = emotion.kind else {
            self.mood.last = None;
            return;
        };
        self.mood.complaints = self.mood.complaints.saturating_add(1);
        self.mood.last = Some(kind);
        if emotion.level >= self.mood.peak {
            self.mood.peak = emotion.level;
            self.mood.strongest = Some(kind);
        }
        if let Some(text) = t.labels().comfort(emotion) {
            t.push(Message::Comfort {
                emotion: kind,
                text: text.to_string(),
            });
        }
    }

    /// Forgets what was not mentioned for too long.
    pub(super) fn expire_context(&mut self, t: &Turn<'_>) {
        let max = t.cfg.context.max_turns as u32;
        let turns = self.turns;
        let stale = |since: u32| turns.saturating_sub(since) > max;
        if self.context.product.as_ref().is_some_and(|f| stale(f.turn)) {
            self.context.product = None;
            self.context.pending_attribute = None;
        }
        if self.context.order.as_ref().is_some_and(|f| stale(f.turn)) && self.flow.is_none() {
            self.context.order = None;
        }
        if self.context.entry.as_ref().is_some_and(|f| stale(f.turn)) {
            self.context.entry = None;
        }
        if self.shopping.as_ref().is_some_and(|s| stale(s.turn)) {
            self.shopping = None;
        }
    }

    pub(super) fn forget_if_idle(&mut self, t: &Turn<'_>) {
        let idle = t.cfg.context.idle_seconds as i64;
        if idle > 0 && self.last_active.is_some_and(|last| t.now - last > idle) {
            self.context = Default::default();
            self.shopping = None;
            self.awaiting = None;
            self.streak = Default::default();
            // A guided flow left for that long is over: the next message is a new question,
            // not the answer to its step; nor is the last question the one a form offers.
            self.flow = None;
            self.forget_slot("question");
        }
    }
}
