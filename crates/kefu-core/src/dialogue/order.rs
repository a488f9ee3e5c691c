//! Order questions: with an order intent and an order number (from this message or the
//! context) the engine asks the caller to look the order up; the result comes back as
//! [`Input::Order`](super::reply::Input::Order) and answers the question, and later ones
//! ("什么时候能到") use it. Without a number the engine asks for one.

use super::confidence::{CERTAIN, STRONG};
use super::config::fill;
use super::hear::Heard;
use super::lexicon;
use super::reply::{Action, Message, OrderCard, OrderInfo, OrderLookup, OrderStatus};
use super::say::Turn;
use super::state::{Awaiting, Conversation, OrderIntent};
use crate::kb::Timestamp;
use crate::matcher::Outcome;

/// What the order handler would do.
pub(super) enum OrderPlan {
    /// Ask the caller to look the order up.
    LookUp(String, OrderIntent),
    /// Answer from the lookup result already known.
    Answer(OrderInfo, OrderIntent),
    /// Ask for the order number.
    AskNumber(OrderIntent),
}

impl Conversation {
    /// An order question, and how sure it is one: the number the bot asked for is
    /// certain; an order question with a number (in the message or in context), or a bare
    /// number, is strong; so is an order question without one (the bot asks for it).
    pub(super) fn propose_order(&self, t: &Turn<'_>, heard: &Heard) -> Option<(f32, OrderPlan)> {
        let lex = &t.cfg.lexicon;
        let number = heard.slots.order_numbers.first().cloned();
        if let Some(Awaiting::OrderNumber { intent }) = self.awaiting {
            if let Some(no) = number
                .clone()
                .or_else(|| heard.slots.phones.first().cloned())
            {
                return Some((CERTAIN, OrderPlan::LookUp(no, intent)));
            }
        }
        let eta = lexicon::any(&heard.norm, &lex.eta);
        let tracking = lexicon::any(&heard.norm, &lex.tracking);
        let status = lexicon::any(&heard.norm, &lex.order_status);
        let order_entry = |e: &_| t.cfg.order_entries.contains(e);
        // With a number in the message, a clarify led by an order entry is an order question;
        // without one (the order comes from the context) only a clarify whose every choice is
        // an order entry: "退货要多久" offering a delivery-time entry beside a refund-time
        // one is not about the order just looked up.
        let faq_order = match &heard.faq.outcome {
            Outcome::Answer(e) => order_entry(e),
            Outcome::Clarify(list) if number.is_some() => list.first().is_some_and(order_entry),
            Outcome::Clarify(list) => !list.is_empty() && list.iter().all(order_entry),
            Outcome::Fallback => false,
        };
        // A bare order number: the customer wants to know about that order.
        let bare_number =
            number.is_some() && lexicon::weight(&lexicon::strip(&heard.bare, &[&lex.fillers])) == 0;
        // "什么时候能寄回来" matching one of the shop's order entries asks when it comes.
        const WHEN: &[&str] = &["什么时候", "啥时候", "哪天", "几号", "几点", "多久", "when"];
        let asks_when = faq_order && WHEN.iter().any(|w| lexicon::contains(&heard.norm, w));
        let intent = if eta || asks_when {
            OrderIntent::Eta
        } else if tracking {
            OrderIntent::Tracking
        } else if status || faq_order || bare_number {
            OrderIntent::Status
        } else {
            return None;
        };
        if let Some(no) = number {
            // The order just looked up, asked about again: answer from what is known.
            let known = self
                .context
                .order
                .as_ref()
                .filter(|o| o.order_no.eq_ignore_ascii_case(&no))
                .and_then(|o| o.info.clone());
            let plan = match known {
                Some(info) if intent != OrderIntent::Status => OrderPlan::Answer(info, intent),
                _ => OrderPlan::LookUp(no, intent),
            };
            return Some((STRONG, plan));
        }
        if let Some(order) = &self.context.order {
            if eta || asks_when || tracking || status {
                let plan = match &order.info {
                    Some(info) if intent != OrderIntent::Status => {
                        OrderPlan::Answer(info.clone(), intent)
                    }
                    _ => OrderPlan::LookUp(order.order_no.clone(), intent),
                };
                return Some((STRONG, plan));
            }
        }
        status.then_some((STRONG, OrderPlan::AskNumber(intent)))
    }

    /// Carries out what [`Self::propose_order`] proposed.
    pub(super) fn carry_out_order(&mut self, t: &mut Turn<'_>, plan: OrderPlan) {
        match plan {
            OrderPlan::LookUp(no, intent) => self.look_up(t, &no, intent),
            OrderPlan::Answer(info, intent) => {
                self.focus_order(&info.order_no.clone());
                self.answer_order(t, &info, intent);
            }
            OrderPlan::AskNumber(intent) => {
                self.awaiting = Some(Awaiting::OrderNumber { intent });
                let text = t.pack.texts.ask_order_number.clone();
                t.say(text);
            }
        }
    }

    /// Asks the caller to look an order up.
    pub(super) fn look_up(&mut self, t: &mut Turn<'_>, order_no: &str, intent: OrderIntent) {
        self.focus_order(order_no);
        self.set_slot("order_no", order_no);
        self.awaiting = Some(Awaiting::OrderResult {
            order_no: order_no.to_string(),
            intent,
        });
        t.notice(fill(
            &t.pack.texts.looking_up_order,
            &[("order_no", order_no)],
        ));
        t.act(Action::LookUpOrder {
            order_no: order_no.to_string(),
        });
    }

    /// The caller sends the result of a lookup.
    pub(super) fn on_order_result(&mut self, t: &mut Turn<'_>, lookup: OrderLookup) {
        let texts = &t.pack.texts;
        let order_no = match &lookup {
            OrderLookup::Found(info) => info.order_no.clone(),
            OrderLookup::NotFound { order_no } | OrderLookup::Failed { order_no } => {
                order_no.clone()
            }
        };
        if let OrderLookup::Found(info) = &lookup {
            self.focus_order(&order_no);
            if let Some(order) = &mut self.context.order {
                order.info = Some(info.clone());
            }
        }
        if self
            .flow
            .as_ref()
            .is_some_and(|f| f.waiting_lookup.as_deref() == Some(order_no.as_str()))
        {
            self.flow_lookup_done(t, &lookup);
            return;
        }
        let intent = match &self.awaiting {
            Some(Awaiting::OrderResult {
                order_no: waiting,
                intent,
            }) if *waiting == order_no => *intent,
            _ => OrderIntent::Status,
        };
        self.awaiting = None;
        match lookup {
            OrderLookup::Found(info) => self.answer_order(t, &info, intent),
            OrderLookup::NotFound { order_no } => {
                if self
                    .context
                    .order
                    .as_ref()
                    .is_some_and(|o| o.order_no == order_no)
                {
                    self.context.order = None;
                }
                t.say(fill(&texts.order_not_found, &[("order_no", &order_no)]));
                self.awaiting = Some(Awaiting::OrderNumber { intent });
            }
            OrderLookup::Failed { .. } => t.say(texts.order_lookup_failed.clone()),
        }
    }

    /// Answers an order question from a lookup result.
    pub(super) fn answer_order(&mut self, t: &mut Turn<'_>, info: &OrderInfo, intent: OrderIntent) {
        let offset = t.kb.settings.working_hours.utc_offset_minutes;
        let labels = t.labels();
        let day = |ts: Option<Timestamp>| ts.map(|ts| labels.day_or_time(ts, offset));
        let texts = &t.pack.texts;
        let no = info.order_no.as_str();
        let carrier = info.carrier.clone().unwrap_or_default();
        let tracking_no = info.tracking_no.clone().unwrap_or_default();
        let eta = day(info.eta).unwrap_or_default();
        let delivered = day(info.delivered_at).unwrap_or_default();
        let values = [
            ("order_no", no),
            ("status", labels.status(info.status)),
            ("carrier", carrier.as_str()),
            ("tracking_no", tracking_no.as_str()),
            ("eta", eta.as_str()),
            ("delivered_at", delivered.as_str()),
        ];
        t.push(Message::Order(OrderCard {
            order_no: no.to_string(),
            status: info.status,
            status_text: labels.status(info.status).to_string(),
            carrier: info.carrier.clone(),
            tracking_no: info.tracking_no.clone(),
            eta: day(info.eta),
            items: info.items.clone(),
        }));
        let template = match intent {
            OrderIntent::Status => &texts.order_status,
            OrderIntent::Tracking if info.tracking_no.is_some() => &texts.tracking,
            OrderIntent::Tracking => &texts.tracking_unknown,
            OrderIntent::Eta => match info.status {
                OrderStatus::Delivered if info.delivered_at.is_some() => &texts.eta_delivered,
                // Delivered on a day the shop's system did not give: say the status.
                OrderStatus::Delivered => &texts.order_status,
                OrderStatus::PendingPayment | OrderStatus::Unshipped => &texts.eta_unshipped,
                _ if info.eta.is_some() => &texts.eta_known,
                _ => &texts.eta_unknown,
            },
        };
        let mut text = fill(template, &values);
        if intent == OrderIntent::Status
            && info.status == OrderStatus::Shipped
            && info.eta.is_some()
        {
            let more = fill(&texts.eta_known, &values);
            // English sentences are separated by a space; Chinese ones are not.
            if more.starts_with(|c: char| c.is_ascii_alphanumeric()) {
                text.push(' ');
            }
            text.push_str(&more);
        }
        t.say(text);
        self.streak.unrecognised = 0;
    }
}
