//! WebSocket frames of a live conversation, for customers and agents alike: JSON text
//! frames, internally tagged by `type`.
//!
//! Delivery: every message a client sends carries a client-generated [`ClientFrame::Send`]
//! `id`; the server stores it once (a resend with the same id is acknowledged again, never
//! stored twice) and answers [`ServerFrame::Ack`] with the message's `seq`. Every message of a
//! conversation has a server sequence number, increasing by one; after a reconnect a client
//! sends [`ClientFrame::Resume`] with the last `seq` it has shown, gets everything after it,
//! and resends every `Send` not yet acknowledged.
//!
//! ```
//! use kefu_protocol::ws::{ClientFrame, MessageContent};
//! let frame = ClientFrame::Send {
//!     id: "c-1".into(),
//!     content: MessageContent::Text { text: "你好".into() },
//! };
//! let json = serde_json::to_string(&frame).unwrap();
//! assert_eq!(json, r#"{"type":"send","id":"c-1","content":{"kind":"text","text":"你好"}}"#);
//! ```

use kefu_core::Timestamp;
use serde::{Deserialize, Serialize};

use crate::error::ErrorDetail;
use crate::{QueueStatus, Sender};

/// Client → server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ClientFrame {
    /// A new message. `id`: 1–128 bytes, unique per sender within the conversation (a UUID or
    /// a counter with a random prefix).
    Send { id: String, content: MessageContent },
    /// The sender is typing (`true`) or stopped (`false`).
    Typing { typing: bool },
    /// Everything up to `seq` is shown; the server may forget resend state before it.
    Ack { seq: u64 },
    /// Send every message with a sequence number above `after_seq` (0 = from the start).
    Resume { after_seq: u64 },
    /// End the conversation (customer: "结束对话"; agent: close).
    Close,
}

/// What a message holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum MessageContent {
    /// At most [`crate::limits::MAX_TEXT_CHARS`] characters.
    Text { text: String },
    /// An image uploaded to the conversation first; `image` is the id the upload returned.
    Image { image: String },
}

/// Server → client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ServerFrame {
    /// First frame after connecting: the conversation and its last sequence number.
    Welcome {
        conversation: String,
        last_seq: u64,
        protocol: u32,
    },
    /// A message (new, or replayed after a `resume`).
    Message(LiveMessage),
    /// The client's message `id` is stored as `seq`.
    Ack { id: String, seq: u64 },
    /// The customer's place in the queue (sent to customers while waiting).
    Queue(QueueStatus),
    /// An agent took the conversation (also after a transfer).
    AgentJoined { agent: AgentInfo },
    /// The agent left (transfer); the customer waits again.
    AgentLeft { agent: AgentInfo },
    /// The other side is typing.
    Typing { from: Sender, typing: bool },
    /// The conversation ended.
    Closed { by: Sender },
    /// A frame was refused (bad JSON, limit, not allowed); the connection stays open unless
    /// the code says otherwise.
    Error { error: ErrorDetail },
    /// A frame type this version of the protocol does not know (ignore it).
    #[serde(other)]
    Unknown,
}

/// A stored message of a live conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveMessage {
    pub seq: u64,
    /// The sender's client id (empty for system messages).
    pub id: String,
    pub from: Sender,
    /// The agent's display name for agent messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<String>,
    pub content: MessageContent,
    /// Unix seconds when the server stored it.
    pub at: Timestamp,
}

/// An agent as customers see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentInfo {
    /// Display name ("小美").
    pub name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_and_unknown_server_frames_are_ignored() {
        let frames = [
            ClientFrame::Typing { typing: true },
            ClientFrame::Ack { seq: 7 },
            ClientFrame::Resume { after_seq: 3 },
            ClientFrame::Close,
        ];
        for f in frames {
            let json = serde_json::to_string(&f).unwrap();
            assert_eq!(serde_json::from_str::<ClientFrame>(&json).unwrap(), f);
        }
        let m = ServerFrame::Message(LiveMessage {
            seq: 4,
            id: "a-1".into(),
            from: Sender::Agent,
            agent: Some("小美".into()),
            content: MessageContent::Text {
                text: "您好".into(),
            },
            at: 1_795_000_000,
        });
        let json = serde_json::to_string(&m).unwrap();
        assert!(json.starts_with(r#"{"type":"message","seq":4"#), "{json}");
        assert_eq!(serde_json::from_str::<ServerFrame>(&json).unwrap(), m);
        let queue = serde_json::to_string(&ServerFrame::Queue(QueueStatus {
            position: 2,
            expected_wait_secs: Some(90),
        }))
        .unwrap();
        assert_eq!(
            queue,
            r#"{"type":"queue","position":2,"expected_wait_secs":90}"#
        );
        let later: ServerFrame = serde_json::from_str(r#"{"type":"survey","x":1}"#).unwrap();
        assert_eq!(later, ServerFrame::Unknown);
    }
}
