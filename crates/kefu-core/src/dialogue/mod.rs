//! The conversation engine: multi-turn context, slots, guided flows, emotion and handoff.

use serde::{Deserialize, Serialize};

/// Conversation settings compiled into the knowledge base.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct DialogueConfig {}
