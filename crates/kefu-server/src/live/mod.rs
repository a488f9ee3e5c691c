//! Human handoff: `POST /api/v1/handoff` puts a conversation in the agents' queue with what
//! the bot knew (reason, masked transcript, slots, entries tried, the verified user); the
//! customer then talks to an agent over `GET /api/v1/conversations/{id}/ws?token=…`
//! (frames in `kefu_protocol::ws`), and sends images with
//! `POST /api/v1/conversations/{id}/images?token=…`. A flow's photo (before any handoff) goes to
//! `PUT /api/v1/uploads/{id}` ([`photos`]).
//!
//! [`hub`] delivers events between connections (and instances), [`store`] keeps
//! conversations and messages, [`socket`] runs one WebSocket, [`images`] checks and serves
//! images.

pub mod api_channel;
pub mod hub;
pub mod images;
pub mod photos;
pub mod socket;
pub mod store;

use std::sync::Arc;

use axum::extract::{Path, Query, State, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use kefu_core::dialogue::privacy::mask;
use kefu_core::dialogue::Handoff;
use kefu_protocol::handoff::{HandoffCreated, HandoffRequest};
use kefu_protocol::{ErrorCode, QueueStatus};
use serde::Deserialize;
use sqlx::Row as _;
use subtle::ConstantTimeEq as _;

use crate::db::{now, random_hex, Db};
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::identity;
use crate::state::AppState;

pub use hub::{Hub, LiveEvent};

/// The live side's shared parts, in `AppState`.
#[derive(Clone)]
pub struct Live {
    pub hub: Arc<Hub>,
    /// Failed console logins per client address (10 per 15 minutes).
    pub logins: Arc<crate::ratelimit::WindowCounter>,
    /// Mark the console's cookie `Secure` (`KEFU_SECURE_COOKIES=1`, behind HTTPS).
    pub secure_cookies: bool,
    /// New handoffs and left messages per client address per 10 minutes
    /// (`KEFU_MAX_HANDOFFS_PER_CLIENT`, default 30; 0 = no limit).
    pub creations: Option<Arc<crate::ratelimit::WindowCounter>>,
    /// Statistics batches per client address per minute (`KEFU_MAX_EVENT_BATCHES_PER_CLIENT`,
    /// default 120; 0 = no limit).
    pub event_batches: Option<Arc<crate::ratelimit::WindowCounter>>,
    /// Flow photos per client address per 10 minutes (`KEFU_MAX_PHOTOS_PER_CLIENT`, default
    /// 30; 0 = no limit).
    pub photos: Option<Arc<crate::ratelimit::WindowCounter>>,
}

fn env_limit(
    name: &str,
    default: u32,
    window_secs: u64,
) -> Option<Arc<crate::ratelimit::WindowCounter>> {
    let max = std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    (max > 0).then(|| {
        Arc::new(crate::ratelimit::WindowCounter::new(
            max,
            std::time::Duration::from_secs(window_secs),
        ))
    })
}

/// Counts one request of `parts`' client against `limit`: `429` past it.
pub fn take(
    state: &AppState,
    limit: &Option<Arc<crate::ratelimit::WindowCounter>>,
    parts: &axum::http::request::Parts,
) -> ApiResult<()> {
    let Some(limit) = limit else { return Ok(()) };
    let client = state
        .limits
        .client_ip(parts)
        .map(|ip| ip.to_string())
        .unwrap_or_default();
    limit.take(&client).map_err(ApiError::rate_limited)
}

impl Live {
    pub fn new(db: &Db, database_url: &str) -> Live {
        Live {
            hub: Hub::new(db.clone(), database_url),
            logins: Arc::new(crate::ratelimit::WindowCounter::new(
                10,
                std::time::Duration::from_secs(900),
            )),
            secure_cookies: std::env::var("KEFU_SECURE_COOKIES")
                .is_ok_and(|v| v == "1" || v == "true"),
            creations: env_limit("KEFU_MAX_HANDOFFS_PER_CLIENT", 30, 600),
            event_batches: env_limit("KEFU_MAX_EVENT_BATCHES_PER_CLIENT", 120, 60),
            photos: env_limit("KEFU_MAX_PHOTOS_PER_CLIENT", 30, 600),
        }
    }
}

/// Routes under `/api/v1`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/handoff", post(create))
        .route("/conversations/{id}/ws", get(customer_ws))
        .merge(images::customer_routes())
        .merge(photos::customer_routes())
        .merge(api_channel::routes())
}

/// Limits of a handoff's context.
const MAX_TRANSCRIPT_LINES: usize = 200;
const MAX_SLOTS: usize = 50;
const MAX_FIELD_CHARS: usize = 2_000;

fn too_long(s: &str) -> bool {
    s.chars().count() > MAX_FIELD_CHARS
}

/// Checks a handoff's sizes and masks its texts again (the device masked them already;
/// anything that still looks like a phone, e-mail, order or ID number is masked here).
pub fn sanitize_handoff(mut h: Handoff) -> ApiResult<Handoff> {
    if h.transcript.len() > MAX_TRANSCRIPT_LINES {
        return Err(ApiError::invalid(
            "handoff.transcript has more than 200 lines",
        ));
    }
    if h.slots.len() > MAX_SLOTS || h.entries_tried.len() > MAX_SLOTS {
        return Err(ApiError::invalid(
            "handoff.slots / entries_tried: at most 50",
        ));
    }
    if too_long(&h.detail) || h.flow.as_deref().is_some_and(too_long) {
        return Err(ApiError::invalid(
            "handoff.detail / flow: at most 2000 characters",
        ));
    }
    for line in &mut h.transcript {
        if too_long(&line.text) {
            return Err(ApiError::invalid(
                "handoff.transcript: a line is longer than 2000 characters",
            ));
        }
        line.text = mask(&line.text);
    }
    for slot in &mut h.slots {
        if slot.name.len() > 128 || too_long(&slot.value) {
            return Err(ApiError::invalid(
                "handoff.slots: name at most 128 bytes, value 2000 characters",
            ));
        }
        slot.value = mask(&slot.value);
    }
    if h.entries_tried.iter().any(|e| e.len() > 128) {
        return Err(ApiError::invalid(
            "handoff.entries_tried: ids at most 128 bytes",
        ));
    }
    h.detail = mask(&h.detail);
    Ok(h)
}

/// Checks an optional locale tag.
pub fn check_locale(locale: Option<&str>) -> ApiResult<()> {
    if let Some(l) = locale {
        if l.is_empty()
            || l.chars().count() > kefu_protocol::limits::MAX_LOCALE_CHARS
            || !l
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(ApiError::invalid(
                "locale must be a BCP 47 tag such as zh-CN",
            ));
        }
    }
    Ok(())
}

/// The verified customer of a request: the identity headers, or the body's `user`.
pub fn user_of(
    state: &AppState,
    headers: &HeaderMap,
    body_user: Option<&kefu_protocol::UserIdentity>,
) -> ApiResult<Option<String>> {
    let from_headers = identity::from_headers(headers, state.secret.as_ref())?;
    if let Some(u) = from_headers {
        return Ok(Some(u.0));
    }
    match body_user {
        None => Ok(None),
        Some(u) => {
            Ok(identity::verify(Some(&u.id), Some(&u.hash), state.secret.as_ref())?.map(|u| u.0))
        }
    }
}

/// `POST /api/v1/handoff`.
async fn create(
    State(state): State<AppState>,
    parts: axum::http::request::Parts,
    ApiJson(req): ApiJson<HandoffRequest>,
) -> ApiResult<Response> {
    take(&state, &state.live.creations, &parts)?;
    let user = user_of(&state, &parts.headers, req.user.as_ref())?;
    check_locale(req.locale.as_deref())?;
    if req
        .page_url
        .as_deref()
        .is_some_and(|u| u.len() > 2_000 || u.chars().any(char::is_control))
    {
        return Err(ApiError::invalid("page_url: at most 2000 bytes"));
    }
    let handoff = sanitize_handoff(req.handoff)?;
    let id = conversation_id();
    let token = random_hex(32);
    let t = now();
    sqlx::query(
        "INSERT INTO conversations (id, status, channel, user_id, reason, handoff, locale, page_url, \
         customer_token_hash, created_at, updated_at) VALUES ($1, 'waiting', 'widget', $2, $3, $4, $5, $6, $7, $8, $8)",
    )
    .bind(&id)
    .bind(user)
    .bind(handoff.reason.code())
    .bind(serde_json::to_string(&handoff).map_err(ApiError::internal)?)
    .bind(req.locale)
    .bind(req.page_url)
    .bind(store::token_hash(&token))
    .bind(t)
    .execute(&state.db.pool)
    .await?;
    state.live.hub.publish(LiveEvent::Queue).await;
    let position = position(&state.db, &id).await?;
    let secs = state.live.hub.queue().borrow().secs_per_place;
    let body = HandoffCreated {
        ws_url: format!("{}/conversations/{id}/ws", kefu_protocol::API_BASE),
        conversation: id,
        customer_token: token,
        queue: QueueStatus {
            position,
            expected_wait_secs: secs.map(|s| s.saturating_mul(position)),
        },
    };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// A new conversation id: the creation time in milliseconds (fixed-width hex), then random
/// digits, so ids created in the same second still sort in queue order. Within one server
/// the millisecond part is strictly increasing, so two handoffs in the same millisecond keep
/// their order too.
pub fn conversation_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static LAST_MS: AtomicU64 = AtomicU64::new(0);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0);
    let previous = LAST_MS
        .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |last| {
            Some(now.max(last + 1))
        })
        .unwrap_or(now);
    let ms = now.max(previous + 1);
    format!("{ms:012x}{}", random_hex(6))
}

/// The place of a waiting conversation in the queue (1 = next), straight from the database.
pub async fn position(db: &Db, id: &str) -> ApiResult<u32> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM conversations c, conversations me WHERE me.id = $1 \
         AND c.status = 'waiting' AND (c.created_at < me.created_at OR (c.created_at = me.created_at AND c.id <= me.id))",
    )
    .bind(id)
    .fetch_one(&db.pool)
    .await?;
    Ok(row.try_get::<i64, _>("n")?.max(0) as u32)
}

/// An agent's display name.
pub async fn agent_name(db: &Db, agent_id: Option<&str>) -> Option<String> {
    let id = agent_id?;
    let row = sqlx::query("SELECT display_name FROM agents WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await
        .ok()??;
    row.try_get("display_name").ok()
}

#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

/// The conversation `id` if `token` is its customer's.
pub async fn customer_conversation(
    db: &Db,
    id: &str,
    token: &str,
) -> ApiResult<store::ConversationRow> {
    let denied = || ApiError::new(ErrorCode::NotFound, "no such conversation");
    if id.len() > 64 || token.is_empty() || token.len() > 128 {
        return Err(denied());
    }
    let row = store::conversation(db, id).await?.ok_or_else(denied)?;
    let expected = row.customer_token_hash.clone().ok_or_else(denied)?;
    let given = store::token_hash(token);
    if !bool::from(given.as_bytes().ct_eq(expected.as_bytes())) {
        return Err(denied());
    }
    Ok(row)
}

/// `GET /api/v1/conversations/{id}/ws?token=…`: the customer's WebSocket.
async fn customer_ws(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<TokenQuery>,
    ws: WebSocketUpgrade,
) -> ApiResult<Response> {
    let row = customer_conversation(&state.db, &id, &q.token).await?;
    Ok(socket::limits(ws)
        .on_upgrade(move |socket| socket::run(socket, state, row.id, socket::Peer::Customer)))
}

#[cfg(test)]
mod tests {
    #[test]
    fn conversation_ids_made_in_one_millisecond_still_sort_in_order() {
        let ids: Vec<String> = (0..2_000).map(|_| super::conversation_id()).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]), "ids out of order");
    }
}
