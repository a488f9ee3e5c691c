//! `POST /api/v1/chat`: the conversation engine on the server, for channels that cannot run
//! the widget (a shop's app, a 公众号 / 企业微信 webhook, a call-centre system).
//!
//! The caller authenticates with a shop API key (`Authorization: Bearer kefu_…`) and names a
//! session; the server keeps that session's [`kefu_core::Conversation`] and performs the
//! reply's action itself (an order lookup is fed back to the engine in the same request; a
//! handoff or a left message is stored for the agents).
//!
//! ```
//! let req: kefu_protocol::chat::ChatRequest =
//!     serde_json::from_str(r#"{"session":"wx-42","text":"发票怎么开","locale":"zh-CN"}"#).unwrap();
//! assert_eq!(req.text, "发票怎么开");
//! assert!(req.choice.is_none());
//! ```

use kefu_core::dialogue::{Choice, Reply};
use serde::{Deserialize, Serialize};

/// One customer turn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatRequest {
    /// The caller's id of the conversation (1–128 bytes of `A–Z a–z 0–9 - _ . : @`), scoped
    /// to the API key: two keys never share a session.
    pub session: String,
    /// What the customer typed. May be empty only with `choice` or `open`.
    #[serde(default)]
    pub text: String,
    /// BCP 47 tag of the customer's language (`zh-CN`, `en`), informative.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// A click on a quick reply / choice the previous reply offered, instead of `text`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choice: Option<Choice>,
    /// `true` to open the conversation (welcome and hot questions) instead of a message.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub open: bool,
    /// The shop's id of the customer when the channel knows who it is; the API key vouches
    /// for it (no hash needed server-to-server). Order lookups then show that customer's
    /// orders.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// For anonymous customers: the last four digits of the phone number on the order, used
    /// for the order lookups this turn causes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_last4: Option<String>,
}

/// The engine's reply (its `messages` and `action`, exactly as `kefu-core` produced them),
/// plus what the server did about the actions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChatResponse {
    pub session: String,
    /// `messages` and `action`: the whole turn, including the messages the engine said after
    /// the server fed it an order lookup's result.
    #[serde(flatten)]
    pub reply: Reply,
    /// The actions the server carried out this turn, in order.
    #[serde(default)]
    pub performed: Vec<Performed>,
}

/// An action the server carried out for the engine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Performed {
    /// The order was looked up and the result fed back to the engine.
    OrderLookup {
        order_no: String,
        /// `found`, `not-found` or `failed`.
        result: String,
    },
    /// The conversation is waiting for an agent.
    HandOff { conversation: String },
    /// The message was stored for the agents.
    MessageLeft { message: String },
    /// Something this version of the protocol does not know.
    #[serde(other)]
    Unknown,
}

#[cfg(test)]
mod tests {
    use super::*;
    use kefu_core::dialogue::{Action, Message};

    #[test]
    fn responses_are_the_engines_reply_flattened_plus_what_was_performed() {
        let response = ChatResponse {
            session: "s".into(),
            reply: Reply {
                messages: vec![Message::Text {
                    text: "好的".into(),
                }],
                action: Some(Action::LookUpOrder {
                    order_no: "1".into(),
                }),
            },
            performed: vec![Performed::HandOff {
                conversation: "c1".into(),
            }],
        };
        let json = serde_json::to_value(&response).unwrap();
        assert_eq!(json["messages"][0]["text"]["text"], "好的");
        assert_eq!(json["action"]["look-up-order"]["order_no"], "1");
        assert_eq!(json["performed"][0]["type"], "hand-off");
        let back: ChatResponse = serde_json::from_value(json).unwrap();
        assert_eq!(back, response);
        let later: Performed = serde_json::from_str(r#"{"type":"coupon-sent","id":"x"}"#).unwrap();
        assert_eq!(later, Performed::Unknown);
    }

    #[test]
    fn requests_need_only_session_and_text() {
        let req: ChatRequest = serde_json::from_str(r#"{"session":"a","text":"b"}"#).unwrap();
        assert!(!req.open && req.user.is_none() && req.locale.is_none());
        assert_eq!(
            serde_json::to_string(&req).unwrap(),
            r#"{"session":"a","text":"b"}"#
        );
        let click: ChatRequest =
            serde_json::from_str(r#"{"session":"a","choice":{"entry":"invoice-apply"}}"#).unwrap();
        assert_eq!(click.text, "");
        assert!(click.choice.is_some());
    }
}
