//! Guided flows (returns, invoices, address changes …) as the knowledge base defines them:
//! steps with a prompt, quick-reply options, the slot the answer fills, how the answer is
//! validated, and branch rules deciding the next step. See `docs/dialogue.md`.

use serde::{Deserialize, Serialize};

use super::condition::Condition;
use super::pattern::Pattern;
use crate::kb::EntryIdx;

/// A guided flow.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Flow {
    pub id: String,
    /// Shown to the customer ("退货退款").
    pub name: String,
    /// Normalised phrases that start the flow when a message says little else ("我要退货").
    pub phrases: Vec<String>,
    /// After answering one of these entries, the flow is offered as a quick reply.
    pub offer_after: Vec<EntryIdx>,
    /// The first step is the start.
    pub steps: Vec<Step>,
}

/// One step: it may say something, ask for a slot, branch, or end the flow.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Step {
    pub id: String,
    /// Said when the step is entered.
    pub say: Option<String>,
    /// The question; a step without one does not wait for the customer.
    pub ask: Option<String>,
    /// The slot the answer fills (skipped when it is already known).
    pub slot: Option<String>,
    pub expect: Expect,
    pub options: Vec<StepOption>,
    /// Said when an answer does not fit.
    pub invalid: Option<String>,
    /// Look up the order in the slot before going on.
    pub lookup: bool,
    /// The customer may skip the step ("跳过", "没有").
    pub optional: bool,
    /// The first branch whose condition holds decides the next step; none → the next
    /// step in the list.
    pub next: Vec<Branch>,
    pub end: Option<FlowEnd>,
    /// Entries offered as quick replies when the step is entered.
    pub follow_ups: Vec<EntryIdx>,
}

/// What an answer must look like.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "kebab-case")]
pub enum Expect {
    /// Any text.
    Text,
    /// One of the options.
    Choice,
    /// 是 / 否.
    YesNo,
    OrderNumber,
    Phone,
    Email,
    TaxNumber,
    /// An uploaded image.
    Image,
    Number,
    /// A date (stored as YYYY-MM-DD).
    Date,
    /// Text matching a pattern.
    Pattern(Pattern),
}

impl Expect {
    /// The code used in `flows/*.toml` and in replies.
    pub fn code(&self) -> &'static str {
        match self {
            Expect::Text => "text",
            Expect::Choice => "choice",
            Expect::YesNo => "yes-no",
            Expect::OrderNumber => "order-number",
            Expect::Phone => "phone",
            Expect::Email => "email",
            Expect::TaxNumber => "tax-number",
            Expect::Image => "image",
            Expect::Number => "number",
            Expect::Date => "date",
            Expect::Pattern(_) => "pattern",
        }
    }

    /// The expectation by code (`pattern` needs its pattern and is built separately).
    pub fn from_code(code: &str) -> Option<Expect> {
        Some(match code {
            "text" => Expect::Text,
            "choice" => Expect::Choice,
            "yes-no" => Expect::YesNo,
            "order-number" => Expect::OrderNumber,
            "phone" => Expect::Phone,
            "email" => Expect::Email,
            "tax-number" => Expect::TaxNumber,
            "image" => Expect::Image,
            "number" => Expect::Number,
            "date" => Expect::Date,
            _ => return None,
        })
    }
}

/// A quick-reply option of a step.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StepOption {
    pub label: String,
    /// Stored in the slot (the label when not given).
    pub value: String,
    /// Normalised words that choose this option too.
    pub aliases: Vec<String>,
}

/// A branch rule.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Branch {
    pub when: Option<Condition>,
    /// Index of the next step.
    pub goto: u16,
}

/// How a flow ends.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum FlowEnd {
    /// Resolved by the bot.
    Done,
    /// A human takes over with everything collected.
    HandOff,
}

impl Flow {
    /// The step by id.
    pub fn step(&self, id: &str) -> Option<(usize, &Step)> {
        self.steps.iter().enumerate().find(|(_, s)| s.id == id)
    }

    /// A step from which the flow can go round forever without asking the customer or
    /// ending (a cycle of steps with neither `ask` nor `end`), if there is one.
    pub fn silent_cycle(&self) -> Option<&str> {
        let n = self.steps.len();
        let silent = |i: usize| self.steps[i].ask.is_none() && self.steps[i].end.is_none();
        let successors = |i: usize| -> Vec<usize> {
            let step = &self.steps[i];
            let mut next: Vec<usize> = step
                .next
                .iter()
                .map(|b| b.goto as usize)
                .filter(|&g| g < n)
                .collect();
            // Without an unconditional branch the list's next step may follow.
            if !step.next.iter().any(|b| b.when.is_none()) && i + 1 < n {
                next.push(i + 1);
            }
            next
        };
        // Depth-first search over silent steps only: 0 unseen, 1 on the path, 2 done.
        let mut state = vec![0u8; n];
        for start in 0..n {
            if !silent(start) || state[start] != 0 {
                continue;
            }
            let mut stack: Vec<(usize, Vec<usize>)> = vec![(start, successors(start))];
            state[start] = 1;
            while let Some((node, rest)) = stack.last_mut() {
                let node = *node;
                match rest.pop() {
                    Some(next) if silent(next) => match state[next] {
                        0 => {
                            state[next] = 1;
                            stack.push((next, successors(next)));
                        }
                        1 => return Some(&self.steps[next].id),
                        _ => {}
                    },
                    Some(_) => {}
                    None => {
                        state[node] = 2;
                        stack.pop();
                    }
                }
            }
        }
        None
    }
}

/// Values a branch condition can read about the order in context.
pub const ORDER_FACTS: &[&str] = &[
    "order.status",
    "order.carrier",
    "order.days_since_order",
    "order.days_since_shipped",
    "order.days_since_delivery",
];
