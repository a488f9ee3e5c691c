//! Handing a conversation to a human: why (a reason code), and everything the agent needs so
//! the customer never repeats themselves — the transcript, the collected slots and the entries
//! the bot tried, with personal data masked.

use serde::{Deserialize, Serialize};

use super::emotion::EmotionKind;
use super::transcript::{Speaker, TranscriptLine};
use crate::kb::Timestamp;

/// Why the bot hands off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HandoffReason {
    /// The customer asked for a human.
    CustomerRequest,
    /// Several questions in a row the bot did not understand.
    Unrecognised,
    /// The same question twice in a row: the answer did not help.
    RepeatedQuestion,
    /// Strong anger.
    StrongEmotion,
    /// Money, refunds or privacy: a human confirms.
    Sensitive,
    /// A flagged intent matched without enough confidence.
    LowConfidence,
    /// A guided flow ended in "a human decides".
    Flow,
}

impl HandoffReason {
    pub const ALL: [HandoffReason; 7] = [
        HandoffReason::CustomerRequest,
        HandoffReason::Unrecognised,
        HandoffReason::RepeatedQuestion,
        HandoffReason::StrongEmotion,
        HandoffReason::Sensitive,
        HandoffReason::LowConfidence,
        HandoffReason::Flow,
    ];

    /// The stable code agents, statistics and scripts see.
    pub fn code(self) -> &'static str {
        match self {
            HandoffReason::CustomerRequest => "customer-request",
            HandoffReason::Unrecognised => "unrecognised",
            HandoffReason::RepeatedQuestion => "repeated-question",
            HandoffReason::StrongEmotion => "strong-emotion",
            HandoffReason::Sensitive => "sensitive",
            HandoffReason::LowConfidence => "low-confidence",
            HandoffReason::Flow => "flow",
        }
    }
}

/// One collected slot, as the agent sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotValue {
    pub name: String,
    pub value: String,
}

/// Everything an agent receives with a conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Handoff {
    pub reason: HandoffReason,
    /// What triggered it: the entry id, the words, the flow (for the agent, masked).
    pub detail: String,
    pub at: Timestamp,
    /// The conversation so far, masked.
    pub transcript: Vec<TranscriptLine>,
    /// Slots collected, masked.
    pub slots: Vec<SlotValue>,
    /// FAQ entries the bot answered or offered, oldest first.
    pub entries_tried: Vec<String>,
    /// The flow in progress, if any.
    pub flow: Option<String>,
    /// The strongest feeling seen.
    pub emotion: Option<EmotionKind>,
}

impl Handoff {
    /// The customer's side of the transcript (for the leave-a-message question).
    pub fn customer_lines(&self) -> impl Iterator<Item = &str> {
        self.transcript
            .iter()
            .filter(|l| l.speaker == Speaker::Customer)
            .map(|l| l.text.as_str())
    }
}
