//! Handed-off chat-API sessions (`POST /api/v1/chat`, channel `api`): while the session's
//! conversation is waiting or with an agent, what the customer writes goes to the agent
//! (stored as a customer message of the live conversation) instead of the bot, and the
//! caller fetches the agent's messages with
//! `GET /api/v1/chat/messages?session=…&after_seq=N` (same API key). Once the conversation
//! is closed the session talks to the bot again.

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::routing::get;
use axum::{Json, Router};
use kefu_protocol::chat::{ChatRequest, ChatResponse, Performed};
use kefu_protocol::ws::{LiveMessage, MessageContent};
use kefu_protocol::{ErrorCode, Sender};
use serde::Deserialize;
use serde_json::{json, Value};
use sqlx::Row as _;

use super::store::{self, Author, Status};
use super::LiveEvent;
use crate::db::random_hex;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/chat/messages", get(messages))
}

/// The live conversation of a chat-API session, if it is waiting or active.
async fn live_conversation(
    state: &AppState,
    key_id: &str,
    session: &str,
) -> ApiResult<Option<String>> {
    let row = sqlx::query(
        "SELECT c.id, c.status FROM chat_sessions s JOIN conversations c ON c.id = s.conversation \
         WHERE s.api_key_id = $1 AND s.session = $2",
    )
    .bind(key_id)
    .bind(session)
    .fetch_optional(&state.db.pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let status: String = row.try_get("status")?;
    Ok((Status::parse(&status) != Some(Status::Closed))
        .then(|| row.try_get("id"))
        .transpose()?)
}

/// When the session is with a human: stores the customer's text for the agent and returns
/// the answer the chat API gives (no bot messages; `performed` says where it went).
pub async fn relay(
    state: &AppState,
    key_id: &str,
    req: &ChatRequest,
) -> ApiResult<Option<ChatResponse>> {
    let Some(conversation) = live_conversation(state, key_id, &req.session).await? else {
        return Ok(None);
    };
    let text = req.text.trim();
    if text.is_empty() {
        return Err(ApiError::invalid(
            "text is empty: the conversation is with an agent",
        ));
    }
    let content = MessageContent::Text {
        text: text.to_string(),
    };
    store::check_content(&state.db, &conversation, &content).await?;
    let author = Author {
        sender: Sender::Customer,
        key: "customer".into(),
        agent_name: None,
    };
    let (seq, _) = store::append(
        &state.db,
        &conversation,
        &author,
        &format!("api-{}", random_hex(8)),
        &content,
    )
    .await?;
    state
        .live
        .hub
        .publish(LiveEvent::Message {
            conversation: conversation.clone(),
            seq,
        })
        .await;
    Ok(Some(ChatResponse {
        session: req.session.clone(),
        reply: kefu_core::Reply {
            messages: vec![],
            action: None,
        },
        performed: vec![Performed::HandOff { conversation }],
    }))
}

#[derive(Deserialize)]
struct MessagesQuery {
    session: String,
    #[serde(default)]
    after_seq: u64,
}

/// `GET /api/v1/chat/messages?session=…&after_seq=N`: the session's live messages after
/// `N` (agents' and the customer's), and the conversation's status.
async fn messages(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<MessagesQuery>,
) -> ApiResult<Json<Value>> {
    let key_id = crate::apikeys::authenticate(&state.db, &headers).await?;
    let row = sqlx::query(
        "SELECT c.id, c.status FROM chat_sessions s JOIN conversations c ON c.id = s.conversation \
         WHERE s.api_key_id = $1 AND s.session = $2",
    )
    .bind(&key_id)
    .bind(&q.session)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "this session was not handed off"))?;
    let id: String = row.try_get("id")?;
    let status: String = row.try_get("status")?;
    let list: Vec<LiveMessage> = store::messages_after(&state.db, &id, q.after_seq, 500).await?;
    Ok(Json(
        json!({ "conversation": id, "status": status, "messages": list }),
    ))
}
