//! The transcript's lines: what the conversation keeps ([`super::state::Conversation`]) and
//! what an agent receives with a handoff ([`super::handoff::Handoff`]).

use serde::{Deserialize, Serialize};

use crate::kb::Timestamp;

/// Who said a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Speaker {
    Customer,
    Bot,
}

/// One line of the transcript.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TranscriptLine {
    pub speaker: Speaker,
    pub text: String,
    pub at: Timestamp,
}
