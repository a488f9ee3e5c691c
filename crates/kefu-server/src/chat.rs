//! `POST /api/v1/chat`: the same `kefu-core` conversation engine as in the widget, on the
//! server, for channels that cannot run the widget. Each (API key, session) keeps its
//! [`Conversation`] in `chat_sessions`; the reply's actions are carried out here:
//!
//! - `look-up-order`: the server looks the order up (as the customer the caller names in
//!   `user`, or with `phone_last4` / the phone number the customer gave in the chat) and feeds
//!   the result back to the engine in the same request, so the response already answers;
//! - `hand-off`: a `conversations` row with status `waiting` and channel `api`;
//! - `leave-message`: a `left_messages` row with channel `api`.
//!
//! Wrong order guesses count per (key, session) and per order number, as for the widget.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::post;
use axum::{Json, Router};
use kefu_core::dialogue::{Action, Conversation, Input, OrderLookup, Reply, SavedConversation};
use kefu_core::Engine;
use kefu_protocol::chat::{ChatRequest, ChatResponse, Performed};
use kefu_protocol::{limits, ErrorBody, ErrorCode};
use sqlx::Row as _;

use crate::db::{now, random_hex};
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::identity::{check_user_id, VerifiedUser};
use crate::orders::{self, Access};
use crate::state::AppState;

/// Order lookups fed back to the engine in one request, at most.
const MAX_LOOKUPS_PER_TURN: usize = 3;

/// Turns of one session run one after the other in this process (striped locks: bounded
/// memory, rare waits between unrelated sessions). Across several instances the last write
/// of two simultaneous turns of one session wins.
pub struct SessionLocks([tokio::sync::Mutex<()>; 64]);

impl Default for SessionLocks {
    fn default() -> SessionLocks {
        SessionLocks(std::array::from_fn(|_| tokio::sync::Mutex::new(())))
    }
}

impl SessionLocks {
    fn lock_for(&self, key: &str) -> &tokio::sync::Mutex<()> {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        key.hash(&mut h);
        &self.0[(h.finish() % self.0.len() as u64) as usize]
    }
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/chat", post(chat))
}

/// 1–128 bytes of `A–Z a–z 0–9 - _ . : @`.
pub fn check_session(session: &str) -> Result<(), ApiError> {
    let ok = !session.is_empty()
        && session.len() <= limits::MAX_ID_BYTES
        && session
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:@".contains(&b));
    if !ok {
        return Err(ApiError::invalid(
            "session must be 1-128 bytes of letters, digits and - _ . : @",
        ));
    }
    Ok(())
}

/// At most [`limits::MAX_TEXT_CHARS`] characters, no control characters but line breaks
/// and tabs.
pub fn check_text(field: &str, text: &str) -> Result<(), ApiError> {
    if text.chars().count() > limits::MAX_TEXT_CHARS {
        return Err(ApiError::invalid(format!(
            "{field} is longer than {} characters",
            limits::MAX_TEXT_CHARS
        )));
    }
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(ApiError::invalid(format!(
            "{field} contains control characters"
        )));
    }
    Ok(())
}

/// A BCP 47-looking tag: letters, digits and `-`, at most 35 characters.
pub fn check_locale(locale: &str) -> Result<(), ApiError> {
    if locale.is_empty()
        || locale.len() > limits::MAX_LOCALE_CHARS
        || !locale
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(ApiError::invalid("locale must look like zh-CN or en"));
    }
    Ok(())
}

fn check_request(req: &ChatRequest) -> Result<Input, ApiError> {
    check_session(&req.session)?;
    check_text("text", &req.text)?;
    if let Some(locale) = &req.locale {
        check_locale(locale)?;
    }
    if let Some(user) = &req.user {
        check_user_id(user)?;
    }
    if let Some(digits) = &req.phone_last4 {
        orders::check_phone_last4(digits)?;
    }
    if req.open {
        return Ok(Input::Open);
    }
    if let Some(choice) = &req.choice {
        let json = serde_json::to_string(choice).unwrap_or_default();
        if json.len() > limits::MAX_TEXT_CHARS * 4 {
            return Err(ApiError::invalid("choice is too long"));
        }
        return Ok(Input::Choice(choice.clone()));
    }
    if req.text.trim().is_empty() {
        return Err(ApiError::invalid("text is empty (or send choice / open)"));
    }
    Ok(Input::Text(req.text.clone()))
}

async fn chat(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<ApiJson<ChatRequest>, ApiError>,
) -> ApiResult<Json<ChatResponse>> {
    // The key first: callers without one learn nothing about the body's rules.
    let key_id = crate::apikeys::authenticate(&state.db, &headers).await?;
    let ApiJson(req) = body?;
    state
        .limits
        .chat_per_key
        .take(&key_id)
        .map_err(ApiError::rate_limited)?;
    let input = check_request(&req)?;
    let kb = state.kb.get().ok_or_else(|| {
        ApiError::new(
            ErrorCode::Unavailable,
            "no knowledge base is loaded (start the server with --kb)",
        )
    })?;
    let _turn = state
        .chat_sessions
        .lock_for(&format!("{key_id}/{}", req.session))
        .lock()
        .await;
    // NOTE: a session handed to a human talks to the agent (the realtime half).
    if let Some(response) = crate::live::api_channel::relay(&state, &key_id, &req).await? {
        return Ok(Json(response));
    }
    let (mut conversation, existed) = load(&state, &kb.engine, &key_id, &req.session).await?;
    let now = now();
    let mut reply = conversation.respond(&kb.engine, input, now);
    let mut performed = Vec::new();
    let client = format!("key:{key_id}:{}", req.session);
    for _ in 0..MAX_LOOKUPS_PER_TURN {
        let Some(Action::LookUpOrder { order_no }) = &reply.action else {
            break;
        };
        let order_no = order_no.clone();
        let lookup = look_up(&state, &req, &conversation, &order_no, &client).await;
        performed.push(Performed::OrderLookup {
            order_no: order_no.clone(),
            result: match &lookup {
                OrderLookup::Found(_) => "found",
                OrderLookup::NotFound { .. } => "not-found",
                OrderLookup::Failed { .. } => "failed",
            }
            .to_string(),
        });
        let next = conversation.respond(&kb.engine, Input::Order(lookup), now);
        reply = Reply {
            messages: reply.messages.into_iter().chain(next.messages).collect(),
            action: next.action,
        };
    }
    let mut handed_off = None;
    match &reply.action {
        Some(Action::HandOff(handoff)) => {
            let id = record_handoff(&state, &req, handoff).await?;
            performed.push(Performed::HandOff {
                conversation: id.clone(),
            });
            handed_off = Some(id);
            // Later messages of this session reach the agent while the conversation is
            // live (`crate::live::api_channel`).
        }
        Some(Action::LeaveMessage(message)) => {
            let id = record_left_message(&state, &req, message).await?;
            performed.push(Performed::MessageLeft { message: id });
        }
        _ => {}
    }
    save(
        &state,
        &key_id,
        &req.session,
        &conversation,
        existed,
        handed_off,
    )
    .await?;
    Ok(Json(ChatResponse {
        session: req.session,
        reply,
        performed,
    }))
}

/// The order lookup the engine asked for, as the engine's input.
async fn look_up(
    state: &AppState,
    req: &ChatRequest,
    conversation: &Conversation,
    order_no: &str,
    client: &str,
) -> OrderLookup {
    let failed = |code: ErrorCode| {
        kefu_protocol::orders::order_lookup(order_no, Err(&ErrorBody::new(code, "")))
    };
    if orders::check_order_no(order_no).is_err() {
        return failed(ErrorCode::OrderNotFound);
    }
    if orders::check_not_blocked(state, client, order_no).is_err() {
        return failed(ErrorCode::RateLimited);
    }
    let phone_digits = |p: &str| -> Option<String> {
        let digits: String = p.chars().filter(char::is_ascii_digit).collect();
        (digits.len() >= 4).then(|| digits[digits.len() - 4..].to_string())
    };
    let access = match (&req.user, &req.phone_last4) {
        (Some(user), _) => Access::Verified(VerifiedUser(user.clone())),
        (None, Some(digits)) => Access::PhoneLast4(digits.clone()),
        (None, None) => match conversation.slot("phone").and_then(phone_digits) {
            Some(digits) => Access::PhoneLast4(digits),
            // Nobody to check the order against: the customer cannot see it.
            None => return failed(ErrorCode::OrderNotFound),
        },
    };
    match orders::look_up(state, order_no, &access, client).await {
        Ok(order) => OrderLookup::Found(order.into()),
        Err(e) => {
            if e.code.http_status() >= 500 {
                if let Some(cause) = &e.cause {
                    tracing::warn!("chat order lookup failed: {cause:#}");
                }
            }
            failed(e.code)
        }
    }
}

/// The session's saved conversation, fitted to the knowledge base loaded now.
async fn load(
    state: &AppState,
    engine: &Engine,
    key_id: &str,
    session: &str,
) -> ApiResult<(Conversation, bool)> {
    let row = sqlx::query("SELECT state FROM chat_sessions WHERE api_key_id = $1 AND session = $2")
        .bind(key_id)
        .bind(session)
        .fetch_optional(&state.db.pool)
        .await?;
    let Some(row) = row else {
        return Ok((Conversation::new(), false));
    };
    let json: String = row.try_get("state")?;
    match serde_json::from_str::<SavedConversation>(&json) {
        Ok(saved) => Ok((Conversation::restore(saved, engine), true)),
        Err(e) => {
            // A state from an incompatible engine version: start over rather than fail.
            tracing::warn!("chat session state unreadable, starting over: {e}");
            Ok((Conversation::new(), true))
        }
    }
}

async fn save(
    state: &AppState,
    key_id: &str,
    session: &str,
    conversation: &Conversation,
    existed: bool,
    handed_off: Option<String>,
) -> ApiResult<()> {
    let json = serde_json::to_string(conversation).map_err(ApiError::internal)?;
    let now = now();
    if existed {
        sqlx::query(
            "UPDATE chat_sessions SET state = $1, updated_at = $2, conversation = COALESCE($3, conversation)
             WHERE api_key_id = $4 AND session = $5",
        )
        .bind(json)
        .bind(now)
        .bind(handed_off)
        .bind(key_id)
        .bind(session)
        .execute(&state.db.pool)
        .await?;
    } else {
        sqlx::query(
            "INSERT INTO chat_sessions (api_key_id, session, state, conversation, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (api_key_id, session) DO UPDATE SET state = excluded.state,
               updated_at = excluded.updated_at,
               conversation = COALESCE(excluded.conversation, chat_sessions.conversation)",
        )
        .bind(key_id)
        .bind(session)
        .bind(json)
        .bind(handed_off)
        .bind(now)
        .bind(now)
        .execute(&state.db.pool)
        .await?;
    }
    Ok(())
}

async fn record_handoff(
    state: &AppState,
    req: &ChatRequest,
    handoff: &kefu_core::dialogue::Handoff,
) -> ApiResult<String> {
    let id = random_hex(12);
    let now = now();
    sqlx::query(
        "INSERT INTO conversations (id, status, channel, user_id, reason, handoff, locale, created_at, updated_at)
         VALUES ($1, 'waiting', 'api', $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(req.user.as_deref())
    .bind(handoff.reason.code())
    .bind(serde_json::to_string(handoff).map_err(ApiError::internal)?)
    .bind(req.locale.as_deref())
    .bind(now)
    .bind(now)
    .execute(&state.db.pool)
    .await?;
    // NOTE: the realtime half notifies the agents' queue here (or polls `conversations`).
    state.live.hub.publish(crate::live::LiveEvent::Queue).await;
    Ok(id)
}

async fn record_left_message(
    state: &AppState,
    req: &ChatRequest,
    message: &kefu_core::dialogue::reply::LeftMessage,
) -> ApiResult<String> {
    let id = random_hex(12);
    sqlx::query(
        "INSERT INTO left_messages (id, channel, user_id, contact, question, reply_after, handoff, locale, created_at)
         VALUES ($1, 'api', $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(req.user.as_deref())
    .bind(&message.contact)
    .bind(&message.question)
    .bind(message.reply_after)
    .bind(serde_json::to_string(&message.handoff).map_err(ApiError::internal)?)
    .bind(req.locale.as_deref())
    .bind(now())
    .execute(&state.db.pool)
    .await?;
    Ok(id)
}
