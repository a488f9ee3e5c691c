//! kefu-protocol: the wire protocol between the kefu widget (or any other client) and
//! `kefu-server`, as plain serde types both sides compile, so the two can never disagree.
//!
//! Everything is JSON. HTTP routes live under [`API_BASE`] (`/api/v1`); a change that would
//! break an existing client gets a new version, everything else is additive (new optional
//! fields, new enum variants — clients ignore what they do not know, see
//! [`ErrorCode::Unknown`] and [`ws::ServerFrame::Unknown`]).
//!
//! | route | request | response |
//! |---|---|---|
//! | `GET /api/v1/orders/{order_no}` | identity headers or `?phone_last4=` | [`orders::OrderResponse`] |
//! | `POST /api/v1/chat` | [`chat::ChatRequest`] | [`chat::ChatResponse`] |
//! | `POST /api/v1/handoff` | [`handoff::HandoffRequest`] | [`handoff::HandoffCreated`] |
//! | WebSocket of a conversation | [`ws::ClientFrame`] | [`ws::ServerFrame`] |
//! | `POST /api/v1/messages` | [`handoff::LeaveMessageRequest`] | [`handoff::MessageLeft`] |
//! | `POST /api/v1/events` | [`events::EventBatch`] | `204 No Content` |
//!
//! Every error is an [`ErrorBody`]: `{"error": {"code": "…", "message": "…"}}`.
//!
//! ```
//! use kefu_protocol::{ErrorBody, ErrorCode};
//! let body: ErrorBody =
//!     serde_json::from_str(r#"{"error":{"code":"rate_limited","message":"slow down"}}"#).unwrap();
//! assert_eq!(body.error.code, ErrorCode::RateLimited);
//! ```

pub mod chat;
pub mod error;
pub mod events;
pub mod handoff;
pub mod json;
pub mod orders;
pub mod ws;

pub use error::{ErrorBody, ErrorCode, ErrorDetail};

/// The protocol's version; the HTTP routes carry it as `/api/v{PROTOCOL_VERSION}`.
pub const PROTOCOL_VERSION: u32 = 1;

/// Where the HTTP API lives.
pub const API_BASE: &str = "/api/v1";

/// HTTP header names of the protocol.
pub mod headers {
    /// The host site's id of the signed-in customer.
    pub const USER: &str = "X-Kefu-User";
    /// Lower-case hex HMAC-SHA256 of [`USER`]'s value, keyed with the shop's secret.
    pub const USER_HASH: &str = "X-Kefu-User-Hash";
    /// `Authorization: Bearer <key>` carries a shop's API key (chat API).
    pub const AUTHORIZATION: &str = "Authorization";
}

/// Limits the server enforces; clients can check before sending.
pub mod limits {
    /// Characters of one customer or agent message.
    pub const MAX_TEXT_CHARS: usize = 2_000;
    /// Bytes of an id (session, client message id, user id, order number).
    pub const MAX_ID_BYTES: usize = 128;
    /// Bytes of any JSON request body.
    pub const MAX_BODY_BYTES: usize = 256 * 1024;
    /// Events in one [`crate::events::EventBatch`].
    pub const MAX_EVENTS_PER_BATCH: usize = 100;
    /// Characters of a locale tag (`zh-CN`).
    pub const MAX_LOCALE_CHARS: usize = 35;
}

/// A signed-in customer as the host site vouches for them: its user id and the hex
/// HMAC-SHA256 of that id with the shop's secret (computed by the host site's server, never
/// in the browser).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UserIdentity {
    pub id: String,
    pub hash: String,
}

/// Who wrote a message or did something in a live conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Sender {
    Customer,
    Agent,
    Bot,
    System,
}

/// Where a customer stands in the agents' queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct QueueStatus {
    /// 1 = next to be served; 0 = an agent has the conversation.
    pub position: u32,
    /// Expected seconds until an agent joins, when the server can estimate it.
    pub expected_wait_secs: Option<u32>,
}
