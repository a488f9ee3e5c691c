//! Leave-a-message outside working hours (the engine's `Action::LeaveMessage`):
//! `POST /api/v1/messages` stores it; the console lists open ones
//! (`GET /api/v1/console/left-messages`) and marks them handled
//! (`POST /api/v1/console/left-messages/{id}/handled`).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use kefu_core::dialogue::privacy::mask;
use kefu_protocol::handoff::{LeaveMessageRequest, MessageLeft};
use kefu_protocol::ErrorCode;
use serde::Deserialize;
use serde_json::{json, Value};
use sqlx::Row as _;

use crate::console::auth::Agent;
use crate::db::{now, random_hex};
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::live::{self, LiveEvent};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/messages", post(leave))
        .route("/console/left-messages", get(list))
        .route("/console/left-messages/{id}/handled", post(handled))
}

/// `POST /api/v1/messages`.
async fn leave(
    State(state): State<AppState>,
    parts: axum::http::request::Parts,
    ApiJson(req): ApiJson<LeaveMessageRequest>,
) -> ApiResult<Response> {
    live::take(&state, &state.live.creations, &parts)?;
    let user = live::user_of(&state, &parts.headers, req.user.as_ref())?;
    live::check_locale(req.locale.as_deref())?;
    let m = req.message;
    let contact = m.contact.trim();
    if contact.is_empty() || contact.chars().count() > 200 {
        return Err(ApiError::invalid("message.contact: 1-200 characters"));
    }
    let question = m.question.trim();
    if question.is_empty() || question.chars().count() > kefu_protocol::limits::MAX_TEXT_CHARS {
        return Err(ApiError::invalid("message.question: 1-2000 characters"));
    }
    let handoff = live::sanitize_handoff(m.handoff)?;
    let id = random_hex(12);
    // The contact is what the agent calls back: kept as given. The question is masked.
    sqlx::query(
        "INSERT INTO left_messages (id, channel, user_id, contact, question, reply_after, handoff, locale, created_at) \
         VALUES ($1, 'widget', $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(user)
    .bind(contact)
    .bind(mask(question))
    .bind(m.reply_after)
    .bind(serde_json::to_string(&handoff).map_err(ApiError::internal)?)
    .bind(req.locale)
    .bind(now())
    .execute(&state.db.pool)
    .await?;
    state.live.hub.publish(LiveEvent::Queue).await;
    Ok((StatusCode::CREATED, Json(MessageLeft { message: id })).into_response())
}

#[derive(Deserialize)]
struct ListQuery {
    #[serde(default)]
    handled: bool,
}

/// `GET /api/v1/console/left-messages[?handled=true]`.
async fn list(
    State(state): State<AppState>,
    _agent: Agent,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Value>> {
    let sql = if q.handled {
        "SELECT m.*, a.display_name AS handled_name FROM left_messages m LEFT JOIN agents a ON a.id = m.handled_by \
         WHERE m.handled_at IS NOT NULL ORDER BY m.handled_at DESC LIMIT 200"
    } else {
        "SELECT m.*, NULL AS handled_name FROM left_messages m WHERE m.handled_at IS NULL ORDER BY m.created_at LIMIT 200"
    };
    let rows = sqlx::query(sql).fetch_all(&state.db.pool).await?;
    let mut out = vec![];
    for r in &rows {
        let handoff: Value =
            serde_json::from_str(&r.try_get::<String, _>("handoff")?).unwrap_or(Value::Null);
        out.push(json!({
            "id": r.try_get::<String, _>("id")?,
            "channel": r.try_get::<String, _>("channel")?,
            "user": r.try_get::<Option<String>, _>("user_id")?,
            "contact": r.try_get::<String, _>("contact")?,
            "question": r.try_get::<String, _>("question")?,
            "reply_after": r.try_get::<Option<i64>, _>("reply_after")?,
            "handoff": handoff,
            "locale": r.try_get::<Option<String>, _>("locale")?,
            "created_at": r.try_get::<i64, _>("created_at")?,
            "handled_at": r.try_get::<Option<i64>, _>("handled_at")?,
            "handled_by": r.try_get::<Option<String>, _>("handled_name")?,
        }));
    }
    Ok(Json(json!({ "messages": out })))
}

/// `POST /api/v1/console/left-messages/{id}/handled`.
async fn handled(
    State(state): State<AppState>,
    agent: Agent,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let done = sqlx::query("UPDATE left_messages SET handled_at = $1, handled_by = $2 WHERE id = $3 AND handled_at IS NULL")
        .bind(now())
        .bind(&agent.id)
        .bind(&id)
        .execute(&state.db.pool)
        .await?;
    if done.rows_affected() == 0 {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            "no open message with that id",
        ));
    }
    Ok(StatusCode::NO_CONTENT)
}
