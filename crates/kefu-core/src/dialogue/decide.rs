//! Deciding a heard message once the hard rules of [`PRECEDENCE`](super::turn::PRECEDENCE)
//! have passed it on: every handler that could take it proposes a [`Candidate`] with a
//! confidence on the matcher's calibrated scale, and the most confident one is carried out;
//! ties go to the earlier row of [`CANDIDATES`]. The table is the one `docs/dialogue.md`
//! shows ("The candidates"), kept equal by a test.

use super::confidence::{CERTAIN, STRONG};
use super::faq::SmallTalk;
use super::flow_answer::{match_option, says_flow_phrase};
use super::flows::Expect;
use super::hear::Heard;
use super::lexicon;
use super::order::OrderPlan;
use super::say::Turn;
use super::shop::ProductPlan;
use super::state::Conversation;
use crate::kb::EntryIdx;
use crate::matcher::Outcome;

/// The candidates in the order that breaks ties.
pub const CANDIDATES: [&str; 6] = [
    "flow-start",
    "order",
    "detail",
    "small-talk",
    "faq",
    "product",
];

/// What a handler would do with the message.
pub(super) enum Plan {
    StartFlow(String),
    Order(OrderPlan),
    /// "详细说说": of the entry in context, or of the entry the FAQ found.
    Detail(Option<EntryIdx>),
    SmallTalk(SmallTalk),
    Product(ProductPlan),
    Faq,
}

/// A proposal: which row of [`CANDIDATES`], how sure, and what it would do.
pub(super) struct Candidate {
    pub rule: &'static str,
    pub confidence: f32,
    pub plan: Plan,
}

impl Candidate {
    fn new(rule: &'static str, confidence: f32, plan: Plan) -> Candidate {
        debug_assert!(CANDIDATES.contains(&rule));
        Candidate {
            rule,
            confidence,
            plan,
        }
    }

    fn rank(&self) -> usize {
        CANDIDATES
            .iter()
            .position(|r| *r == self.rule)
            .unwrap_or(CANDIDATES.len())
    }
}

/// The most confident candidate; ties go to the earlier row of [`CANDIDATES`].
pub(super) fn choose(candidates: Vec<Candidate>) -> Candidate {
    let mut best: Option<Candidate> = None;
    for c in candidates {
        let better = best.as_ref().is_none_or(|b| {
            c.confidence > b.confidence || (c.confidence == b.confidence && c.rank() < b.rank())
        });
        if better {
            best = Some(c);
        }
    }
    best.unwrap_or(Candidate {
        rule: "faq",
        confidence: 0.0,
        plan: Plan::Faq,
    })
}

impl Turn<'_> {
    /// The confidence at which the matcher answers directly (the shop's threshold or the
    /// fitted floor, whichever is higher): a reading proposed *at* it loses to an FAQ
    /// answer and wins over a clarify.
    pub fn answer_threshold(&self) -> f32 {
        self.kb
            .settings
            .answer_threshold
            .max(self.kb.model.answer_floor)
    }

    /// Below this a clarify is a question not understood (halfway between the clarify and
    /// the answer thresholds: "今天天气怎么样" → two unrelated entries, "算了" → entries
    /// about 怎么算).
    pub fn unsure_below(&self) -> f32 {
        (self.kb.settings.clarify_threshold + self.answer_threshold()) / 2.0
    }
}

/// The FAQ's confidence as a candidate: an answer counts at least the answer threshold
/// (one of an entry's own questions is answered whatever its confidence), a fallback 0.
pub(super) fn faq_confidence(t: &Turn<'_>, heard: &Heard) -> f32 {
    match heard.faq.outcome {
        Outcome::Answer(_) => heard.faq.confidence.max(t.answer_threshold()),
        Outcome::Clarify(_) => heard.faq.confidence,
        Outcome::Fallback => 0.0,
    }
}

impl Conversation {
    /// Every candidate for a heard message (the FAQ is always one).
    pub(super) fn candidates(&self, t: &Turn<'_>, heard: &Heard) -> Vec<Candidate> {
        let mut out = Vec::with_capacity(4);
        if let Some((confidence, flow)) = self.propose_flow_start(t, heard) {
            out.push(Candidate::new(
                "flow-start",
                confidence,
                Plan::StartFlow(flow),
            ));
        }
        if let Some((confidence, plan)) = self.propose_order(t, heard) {
            out.push(Candidate::new("order", confidence, Plan::Order(plan)));
        }
        if let Some((confidence, entry)) = propose_detail(t, heard) {
            out.push(Candidate::new("detail", confidence, Plan::Detail(entry)));
        }
        if let Some(talk) = propose_smalltalk(t, heard) {
            out.push(Candidate::new("small-talk", STRONG, Plan::SmallTalk(talk)));
        }
        out.push(Candidate::new("faq", faq_confidence(t, heard), Plan::Faq));
        if let Some((confidence, plan)) = self.propose_product(t, heard) {
            out.push(Candidate::new("product", confidence, Plan::Product(plan)));
        }
        out
    }

    /// A flow to start: by one of its phrases said with little else (not a question:
    /// "能退货吗？" is for the FAQ), or by a sentence that gives both the order number its
    /// first step asks for and an option of one of its choice steps ("订单123456789012收到的
    /// 杯子碎了": strong; asked as a question, at the answer threshold).
    fn propose_flow_start(&self, t: &Turn<'_>, heard: &Heard) -> Option<(f32, String)> {
        let cfg = t.cfg;
        if !heard.question {
            let by_phrase = cfg
                .flows
                .iter()
                .filter(|f| says_flow_phrase(f, &heard.bare, &cfg.lexicon.fillers))
                .max_by_key(|f| lexicon::longest(&heard.bare, &f.phrases).map_or(0, str::len));
            if let Some(flow) = by_phrase {
                return Some((CERTAIN, flow.id.clone()));
            }
        }
        if heard.slots.order_numbers.is_empty() {
            return None;
        }
        let lex = &cfg.lexicon;
        let order_question = [&lex.order_status, &lex.eta, &lex.tracking]
            .iter()
            .any(|l| lexicon::any(&heard.norm, l));
        if order_question {
            return None;
        }
        cfg.flows
            .iter()
            .filter(|f| {
                self.flow
                    .as_ref()
                    .is_none_or(|running| running.flow != f.id)
            })
            .find(|f| {
                let asks_order_first = f
                    .steps
                    .iter()
                    .find(|s| s.ask.is_some())
                    .is_some_and(|s| s.expect == Expect::OrderNumber);
                asks_order_first
                    && f.steps.iter().any(|s| {
                        s.expect == Expect::Choice && match_option(s, &heard.norm).is_some()
                    })
            })
            .map(|f| {
                let confidence = if heard.question {
                    t.answer_threshold()
                } else {
                    STRONG
                };
                (confidence, f.id.clone())
            })
    }

    /// Carries out the chosen candidate.
    pub(super) fn carry_out(
        &mut self,
        t: &mut Turn<'_>,
        heard: &Heard,
        plan: Plan,
        previous: Option<String>,
        previous_entry: Option<String>,
        unrecognised: u8,
    ) {
        match plan {
            Plan::StartFlow(id) => self.switch_to_flow(t, &id, heard),
            Plan::Order(plan) => self.carry_out_order(t, plan),
            Plan::Detail(None) => self.give_detail(t),
            Plan::Detail(Some(e)) => self.detail_of(t, e),
            Plan::SmallTalk(talk) => self.small_talk(t, talk),
            Plan::Product(plan) => self.carry_out_product(t, plan),
            Plan::Faq => self.faq_turn(t, heard, previous, previous_entry, unrecognised),
        }
    }
}

/// "详细说说 / 具体点" and little else: the entry in context; "详细说说退货流程": the entry the
/// FAQ answers, if it has a detailed answer, at the FAQ's confidence.
fn propose_detail(t: &Turn<'_>, heard: &Heard) -> Option<(f32, Option<EntryIdx>)> {
    let lex = &t.cfg.lexicon;
    if !lexicon::any(&heard.norm, &lex.detail) {
        return None;
    }
    let rest = lexicon::strip(
        &heard.norm,
        &[&lex.detail, &lex.fillers, &lex.question_fillers],
    );
    if lexicon::weight(&rest) <= 2 {
        return Some((STRONG, None));
    }
    match heard.faq.outcome {
        Outcome::Answer(e)
            if t.kb
                .entries
                .get(e as usize)
                .is_some_and(|entry| entry.detail.is_some()) =>
        {
            Some((faq_confidence(t, heard), Some(e)))
        }
        _ => None,
    }
}

/// Greetings, thanks and goodbyes said on their own.
fn propose_smalltalk(t: &Turn<'_>, heard: &Heard) -> Option<SmallTalk> {
    let lex = &t.cfg.lexicon;
    if heard.says_only(&lex.thanks, &lex.fillers, 0) {
        Some(SmallTalk::Thanks)
    } else if heard.says_goodbye(lex) {
        Some(SmallTalk::Goodbye)
    } else if heard.says_only(&lex.greeting, &lex.fillers, 0) {
        Some(SmallTalk::Greeting)
    } else {
        None
    }
}
