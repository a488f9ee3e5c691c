//! The console's API under `/api/v1/console/`: sign in and out, the conversation lists,
//! one conversation with its handoff context, claim / transfer / close, the knowledge
//! base's suggestions, the agent's WebSocket and images. Every route but `login` needs a
//! session ([`Agent`]); state-changing ones also its CSRF token.

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State, WebSocketUpgrade};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use kefu_core::dialogue::Handoff;
use kefu_protocol::ErrorCode;
use serde::Deserialize;
use serde_json::{json, Value};
use sqlx::Row as _;

use super::auth::{self, Agent};
use crate::db::now;
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::live::store::{self, Status};
use crate::live::{images, photos, socket, LiveEvent};
use crate::state::AppState;

/// Routes under `/api/v1`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/console/login", post(login))
        .route("/console/logout", post(logout))
        .route("/console/me", get(me))
        .route("/console/agents", get(agents))
        .route("/console/conversations", get(list))
        .route("/console/conversations/{id}", get(detail))
        .route("/console/conversations/{id}/claim", post(claim))
        .route("/console/conversations/{id}/transfer", post(transfer))
        .route("/console/conversations/{id}/close", post(close))
        .route("/console/conversations/{id}/suggestions", get(suggestions))
        .route(
            "/console/conversations/{id}/suggestions/used",
            post(suggestion_used),
        )
        .route("/console/conversations/{id}/ws", get(agent_ws))
        .route(
            "/console/conversations/{id}/images",
            post(upload).layer(DefaultBodyLimit::max(images::MAX_IMAGE_BYTES)),
        )
        .route("/console/conversations/{id}/images/{image}", get(download))
        .route("/console/uploads/{id}", get(photo))
}

#[derive(Deserialize)]
struct LoginBody {
    name: String,
    password: String,
}

fn agent_json(a: &Agent) -> Value {
    json!({ "agent": { "name": a.name, "display_name": a.display_name }, "csrf": a.csrf })
}

/// `POST /api/v1/console/login` `{"name","password"}` → the session cookie and the CSRF token.
async fn login(
    State(state): State<AppState>,
    parts: axum::http::request::Parts,
    ApiJson(body): ApiJson<LoginBody>,
) -> ApiResult<Response> {
    if !auth::origin_ok(&parts.headers, &state.config.allow_origins) {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "cross-origin request refused",
        ));
    }
    if body.name.len() > 64 || body.password.len() > 1024 {
        return Err(ApiError::invalid("name or password too long"));
    }
    let client = state
        .limits
        .client_ip(&parts)
        .map(|ip| ip.to_string())
        .unwrap_or_default();
    let key = format!("login:{client}");
    if let Some(secs) = state.live.logins.blocked(&key) {
        return Err(ApiError::rate_limited(secs));
    }
    let Some((token, agent)) = auth::login(&state.db, body.name.trim(), &body.password).await?
    else {
        state.live.logins.hit(&key);
        return Err(ApiError::new(
            ErrorCode::Unauthenticated,
            "wrong name or password",
        ));
    };
    let mut response = Json(agent_json(&agent)).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&auth::cookie(&token, state.live.secure_cookies))
            .map_err(ApiError::internal)?,
    );
    Ok(response)
}

async fn logout(
    State(state): State<AppState>,
    _agent: Agent,
    headers: HeaderMap,
) -> ApiResult<Response> {
    if let Some(token) = auth::session_token(&headers) {
        auth::logout(&state.db, &token).await?;
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&auth::cookie("", state.live.secure_cookies))
            .map_err(ApiError::internal)?,
    );
    Ok(response)
}

async fn me(agent: Agent) -> Json<Value> {
    Json(agent_json(&agent))
}

async fn agents(State(state): State<AppState>, _agent: Agent) -> ApiResult<Json<Value>> {
    let list = auth::list_agents(&state.db)
        .await
        .map_err(ApiError::internal)?;
    let list: Vec<Value> = list
        .into_iter()
        .filter(|(_, _, disabled)| !disabled)
        .map(|(name, display, _)| json!({ "name": name, "display_name": display }))
        .collect();
    Ok(Json(json!({ "agents": list })))
}

#[derive(Deserialize)]
struct ListQuery {
    #[serde(default)]
    status: Option<String>,
}

/// `GET /api/v1/console/conversations?status=waiting|active|closed`.
async fn list(
    State(state): State<AppState>,
    agent: Agent,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Value>> {
    let status = Status::parse(q.status.as_deref().unwrap_or("waiting"))
        .ok_or_else(|| ApiError::invalid("status must be waiting, active or closed"))?;
    let order = match status {
        Status::Waiting => "c.created_at, c.id",
        _ => "c.updated_at DESC, c.id",
    };
    let rows = sqlx::query(&format!(
        "SELECT c.id, c.status, c.channel, c.user_id, c.reason, c.handoff, c.agent_id, c.created_at, c.updated_at, \
         c.last_seq, a.display_name AS agent_name FROM conversations c LEFT JOIN agents a ON a.id = c.agent_id \
         WHERE c.status = $1 ORDER BY {order} LIMIT 200"
    ))
    .bind(status.code())
    .fetch_all(&state.db.pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let handoff: Option<Handoff> =
            serde_json::from_str(&r.try_get::<String, _>("handoff")?).ok();
        let agent_id: Option<String> = r.try_get("agent_id")?;
        let id: String = r.try_get("id")?;
        let preview = match store::last_customer_text(&state.db, &id).await? {
            Some(t) => Some(t),
            None => handoff
                .as_ref()
                .and_then(|h| h.customer_lines().last().map(str::to_string)),
        };
        out.push(json!({
            "id": id,
            "status": r.try_get::<String, _>("status")?,
            "channel": r.try_get::<String, _>("channel")?,
            "user": r.try_get::<Option<String>, _>("user_id")?,
            "reason": r.try_get::<String, _>("reason")?,
            "agent": r.try_get::<Option<String>, _>("agent_name")?,
            "mine": agent_id.as_deref() == Some(agent.id.as_str()),
            "created_at": r.try_get::<i64, _>("created_at")?,
            "updated_at": r.try_get::<i64, _>("updated_at")?,
            "last_seq": r.try_get::<i64, _>("last_seq")?,
            "preview": preview.map(|p| p.chars().take(80).collect::<String>()),
        }));
    }
    Ok(Json(json!({ "conversations": out })))
}

/// `GET /api/v1/console/conversations/{id}`: the handoff context first, then the messages.
async fn detail(
    State(state): State<AppState>,
    agent: Agent,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let r = sqlx::query(
        "SELECT c.id, c.status, c.channel, c.user_id, c.reason, c.handoff, c.locale, c.page_url, c.agent_id, \
         c.created_at, c.closed_at, a.display_name AS agent_name FROM conversations c LEFT JOIN agents a ON a.id = c.agent_id WHERE c.id = $1",
    )
    .bind(&id)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no such conversation"))?;
    let handoff: Value =
        serde_json::from_str(&r.try_get::<String, _>("handoff")?).unwrap_or(Value::Null);
    let messages = store::messages_after(&state.db, &id, 0, 5_000).await?;
    let agent_id: Option<String> = r.try_get("agent_id")?;
    Ok(Json(json!({
        "id": id,
        "status": r.try_get::<String, _>("status")?,
        "channel": r.try_get::<String, _>("channel")?,
        "user": r.try_get::<Option<String>, _>("user_id")?,
        "reason": r.try_get::<String, _>("reason")?,
        "handoff": handoff,
        "locale": r.try_get::<Option<String>, _>("locale")?,
        "page_url": r.try_get::<Option<String>, _>("page_url")?,
        "agent": r.try_get::<Option<String>, _>("agent_name")?,
        "mine": agent_id.as_deref() == Some(agent.id.as_str()),
        "created_at": r.try_get::<i64, _>("created_at")?,
        "closed_at": r.try_get::<Option<i64>, _>("closed_at")?,
        "messages": messages,
    })))
}

/// `POST …/claim`: a waiting conversation becomes this agent's (409 when someone was faster).
async fn claim(
    State(state): State<AppState>,
    agent: Agent,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let t = now();
    let done = sqlx::query(
        "UPDATE conversations SET status = 'active', agent_id = $2, claimed_at = COALESCE(claimed_at, $3), updated_at = $3 \
         WHERE id = $1 AND status = 'waiting'",
    )
    .bind(&id)
    .bind(&agent.id)
    .bind(t)
    .execute(&state.db.pool)
    .await?;
    if done.rows_affected() == 0 {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            "the conversation is not waiting (taken or closed)",
        ));
    }
    let hub = &state.live.hub;
    hub.publish(LiveEvent::AgentJoined {
        conversation: id,
        agent: agent.display_name,
    })
    .await;
    hub.publish(LiveEvent::Queue).await;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
struct TransferBody {
    /// The other agent's login name.
    agent: String,
}

/// `POST …/transfer` `{"agent": "name"}`: hands this agent's conversation to another.
async fn transfer(
    State(state): State<AppState>,
    agent: Agent,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<TransferBody>,
) -> ApiResult<StatusCode> {
    let target =
        sqlx::query("SELECT id, display_name FROM agents WHERE name = $1 AND disabled_at IS NULL")
            .bind(body.agent.trim())
            .fetch_optional(&state.db.pool)
            .await?
            .ok_or_else(|| ApiError::invalid("no such agent"))?;
    let target_id: String = target.try_get("id")?;
    let target_name: String = target.try_get("display_name")?;
    if target_id == agent.id {
        return Err(ApiError::invalid("the conversation is yours already"));
    }
    let done = sqlx::query(
        "UPDATE conversations SET agent_id = $3, updated_at = $4 WHERE id = $1 AND status = 'active' AND agent_id = $2",
    )
    .bind(&id)
    .bind(&agent.id)
    .bind(&target_id)
    .bind(now())
    .execute(&state.db.pool)
    .await?;
    if done.rows_affected() == 0 {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "only the conversation's agent transfers it",
        ));
    }
    let hub = &state.live.hub;
    hub.publish(LiveEvent::AgentLeft {
        conversation: id.clone(),
        agent: agent.display_name,
    })
    .await;
    hub.publish(LiveEvent::AgentJoined {
        conversation: id,
        agent: target_name,
    })
    .await;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST …/close`: the agent ends their conversation.
async fn close(
    State(state): State<AppState>,
    agent: Agent,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    if !store::close(&state.db, &id, Some(&agent.id)).await? {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "only the conversation's agent closes it",
        ));
    }
    let hub = &state.live.hub;
    hub.publish(LiveEvent::Closed {
        conversation: id,
        by: kefu_protocol::Sender::Agent,
    })
    .await;
    hub.publish(LiveEvent::Queue).await;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET …/suggestions`: the knowledge base's best answers to the customer's last message
/// (or, before the customer wrote to the agent, to their last line to the bot).
async fn suggestions(
    State(state): State<AppState>,
    _agent: Agent,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let mut question = store::last_customer_text(&state.db, &id).await?;
    if question.is_none() {
        let row = sqlx::query("SELECT handoff FROM conversations WHERE id = $1")
            .bind(&id)
            .fetch_optional(&state.db.pool)
            .await?
            .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no such conversation"))?;
        let h: Option<Handoff> = serde_json::from_str(&row.try_get::<String, _>("handoff")?).ok();
        question = h.and_then(|h| h.customer_lines().last().map(str::to_string));
    }
    let Some(kb) = state.kb.get() else {
        return Ok(Json(json!({ "question": question, "suggestions": [] })));
    };
    let mut out = vec![];
    if let Some(q) = &question {
        let ranking = kb.engine.rank(
            q,
            &kefu_core::matcher::RankOptions {
                now: Some(now()),
                limit: 3,
                ..Default::default()
            },
        );
        for c in ranking.candidates.iter().filter(|c| c.score > 0.05) {
            if let Some(e) = kb.engine.kb().entries.get(c.entry as usize) {
                out.push(json!({ "entry": e.id, "question": e.question, "answer": e.answer, "score": c.score }));
            }
        }
    }
    Ok(Json(json!({ "question": question, "suggestions": out })))
}

#[derive(Deserialize)]
struct UsedBody {
    entry: String,
}

/// `POST …/suggestions/used` `{"entry": "id"}`: a suggestion was sent (counted in the statistics).
async fn suggestion_used(
    State(state): State<AppState>,
    _agent: Agent,
    Path(_id): Path<String>,
    ApiJson(body): ApiJson<UsedBody>,
) -> ApiResult<StatusCode> {
    if body.entry.is_empty() || body.entry.len() > 128 {
        return Err(ApiError::invalid("entry: 1-128 bytes"));
    }
    crate::stats::record_suggestion(&state.db, &body.entry).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET …/ws`: the agent's WebSocket (session cookie; `Origin` must be this server).
async fn agent_ws(
    State(state): State<AppState>,
    agent: Agent,
    Path(id): Path<String>,
    ws: WebSocketUpgrade,
) -> ApiResult<Response> {
    store::conversation(&state.db, &id)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no such conversation"))?;
    let peer = socket::Peer::Agent {
        id: agent.id,
        name: agent.display_name,
    };
    Ok(socket::limits(ws).on_upgrade(move |s| socket::run(s, state, id, peer)))
}

async fn upload(
    State(state): State<AppState>,
    agent: Agent,
    Path(id): Path<String>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> ApiResult<Response> {
    let row = store::conversation(&state.db, &id)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no such conversation"))?;
    if row.status != Status::Active || row.agent_id.as_deref() != Some(agent.id.as_str()) {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "claim the conversation first",
        ));
    }
    let body =
        body.map_err(|_| ApiError::new(ErrorCode::PayloadTooLarge, "images are at most 5 MB"))?;
    Ok(images::uploaded(
        images::store(&state.db, &id, &body).await?,
    ))
}

async fn download(
    State(state): State<AppState>,
    _agent: Agent,
    Path((id, image)): Path<(String, String)>,
) -> ApiResult<Response> {
    images::serve(&state.db, &id, &image).await
}

/// `GET /api/v1/console/uploads/{id}`: a photo a flow asked for (its reference is in the
/// handoff's slots).
async fn photo(
    State(state): State<AppState>,
    _agent: Agent,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    photos::serve(&state.db, &id).await
}
