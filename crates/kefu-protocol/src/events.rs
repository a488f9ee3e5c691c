//! `POST /api/v1/events`: anonymous statistics the widget sends in batches. No user ids, no
//! session ids that outlive a visit; texts are masked on the device (phone numbers, order
//! numbers, e-mails) and masked again by the server.

use kefu_core::dialogue::HandoffReason;
use kefu_core::Timestamp;
use serde::{Deserialize, Serialize};

/// Up to [`crate::limits::MAX_EVENTS_PER_BATCH`] events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventBatch {
    /// A random id of this visit's chat, so events of one conversation can be counted
    /// together; never tied to a user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visit: Option<String>,
    /// The knowledge base's build the widget ran, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kb_version: Option<String>,
    pub events: Vec<Event>,
}

/// One thing that happened, with when (Unix seconds, the device's clock).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub at: Timestamp,
    #[serde(flatten)]
    pub kind: EventKind,
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum EventKind {
    /// The chat opened.
    Opened,
    /// The engine answered with this entry (by id).
    Answered { entry: String },
    /// The engine asked "您是想问…" with these entries.
    Clarify { entries: Vec<String> },
    /// Nothing matched; `text` is the customer's question, masked on the device.
    Fallback { text: String },
    /// The engine handed off for this reason.
    Handoff { reason: HandoffReason },
    /// The customer rated the conversation.
    Rating {
        satisfied: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_flat_json_objects() {
        let batch: EventBatch = serde_json::from_str(
            r#"{"events":[
                {"at":1,"type":"answered","entry":"invoice"},
                {"at":2,"type":"handoff","reason":"customer-request"},
                {"at":3,"type":"rating","satisfied":false,"reason":"太慢"}]}"#,
        )
        .unwrap();
        assert_eq!(batch.events.len(), 3);
        assert_eq!(
            batch.events[1].kind,
            EventKind::Handoff {
                reason: HandoffReason::CustomerRequest
            }
        );
        let json = serde_json::to_string(&batch.events[0]).unwrap();
        assert_eq!(json, r#"{"at":1,"type":"answered","entry":"invoice"}"#);
    }
}
