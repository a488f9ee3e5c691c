//! Handing a conversation to a human, and leaving a message outside working hours.
//!
//! The widget creates a conversation with `POST /api/v1/handoff` when the engine returns
//! [`kefu_core::Action::HandOff`], then connects to [`HandoffCreated::ws_url`] (frames in
//! [`crate::ws`]). Outside working hours the engine returns
//! [`kefu_core::Action::LeaveMessage`] and the widget sends `POST /api/v1/messages`.

use kefu_core::dialogue::reply::LeftMessage;
use kefu_core::dialogue::Handoff;
use serde::{Deserialize, Serialize};

use crate::{QueueStatus, UserIdentity};

/// Body of `POST /api/v1/handoff`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HandoffRequest {
    /// Exactly what the engine's `Action::HandOff` holds: reason, detail, masked transcript,
    /// slots, entries tried, flow, emotion.
    pub handoff: Handoff,
    /// The signed-in customer, when the host site vouches for one (also accepted as the
    /// identity headers). Anonymous when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<UserIdentity>,
    /// BCP 47 tag of the customer's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// The page the customer was on (for the agent), at most 2,000 bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_url: Option<String>,
}

/// The conversation is in the queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandoffCreated {
    /// The conversation's id.
    pub conversation: String,
    /// A secret only this customer holds: it authorises the WebSocket and the conversation's
    /// images. Keep it for reconnects (the widget stores it with the conversation state).
    pub customer_token: String,
    /// Path of the customer's WebSocket, relative to the server (`/api/v1/…`), to be used
    /// with `?token=<customer_token>`.
    pub ws_url: String,
    pub queue: QueueStatus,
}

/// Body of `POST /api/v1/messages`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeaveMessageRequest {
    /// Exactly what the engine's `Action::LeaveMessage` holds: contact, question, when the
    /// agents are back, and the masked handoff context.
    pub message: LeftMessage,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<UserIdentity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
}

/// The message is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageLeft {
    pub message: String,
}
