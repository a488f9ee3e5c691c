//! Photos a guided flow asks for (the return flow's photo step), sent before any conversation
//! with an agent exists: `PUT /api/v1/uploads/{id}` with the raw bytes, checked like a live
//! conversation's images ([`images::check`]: PNG, JPEG, GIF or WebP by their first bytes, at
//! most 5 MiB). The id is the widget's own — `upl-` and 26 to 64 random lowercase letters —
//! chosen when the customer picks the photo, so the flow's slot holds it at once (offline
//! too) and goes to an agent with the rest of the flow's slots. A resend of the same id with
//! the same bytes is stored once (`200`, the first store is `201`); other bytes under a
//! stored id are `409`. Agents open a photo at `GET /api/v1/console/uploads/{id}`; nobody
//! else can read it back. Letters only, so the masking of numbers in a handoff's texts
//! leaves the reference whole.

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::put;
use axum::{Json, Router};
use kefu_protocol::ErrorCode;
use sqlx::Row as _;

use super::images::{self, MAX_IMAGE_BYTES};
use crate::db::{now, Db};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Routes of the customer's side, under `/api/v1`.
pub fn customer_routes() -> Router<AppState> {
    Router::new().route(
        "/uploads/{id}",
        put(customer_put).layer(DefaultBodyLimit::max(MAX_IMAGE_BYTES)),
    )
}

/// Whether `id` is a photo reference the widget may choose.
pub fn valid_id(id: &str) -> bool {
    id.strip_prefix("upl-").is_some_and(|rest| {
        (26..=64).contains(&rest.len()) && rest.bytes().all(|b| b.is_ascii_lowercase())
    })
}

/// Stores the photo under `id`; `true` when it was new, `false` when the same bytes were
/// stored already.
pub async fn store(db: &Db, id: &str, bytes: &[u8]) -> ApiResult<bool> {
    if !valid_id(id) {
        return Err(ApiError::invalid(
            "a photo id is upl- and 26 to 64 lowercase letters",
        ));
    }
    let mime = images::check(bytes)?;
    let inserted = sqlx::query(
        "INSERT INTO flow_photos (id, mime, bytes, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING",
    )
    .bind(id)
    .bind(mime)
    .bind(bytes.to_vec())
    .bind(now())
    .execute(&db.pool)
    .await?
    .rows_affected();
    if inserted == 1 {
        return Ok(true);
    }
    let row = sqlx::query("SELECT bytes FROM flow_photos WHERE id = $1")
        .bind(id)
        .fetch_one(&db.pool)
        .await?;
    let stored: Vec<u8> = row.try_get("bytes")?;
    if stored == bytes {
        Ok(false)
    } else {
        Err(ApiError::new(
            ErrorCode::Conflict,
            "another photo is stored under this id",
        ))
    }
}

/// The stored photo `id` as a response no browser will run or sniff.
pub async fn serve(db: &Db, id: &str) -> ApiResult<Response> {
    let row = sqlx::query("SELECT mime, bytes FROM flow_photos WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no such photo (not uploaded yet?)"))?;
    let mime: String = row.try_get("mime")?;
    images::respond(&mime, row.try_get("bytes")?)
}

/// `PUT /api/v1/uploads/{id}` → `201 {"upload": id}` (`200` for a resend).
async fn customer_put(
    State(state): State<AppState>,
    Path(id): Path<String>,
    parts: axum::http::request::Parts,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> ApiResult<Response> {
    super::take(&state, &state.live.photos, &parts)?;
    let body =
        body.map_err(|_| ApiError::new(ErrorCode::PayloadTooLarge, "images are at most 5 MB"))?;
    let status = if store(&state.db, &id, &body).await? {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(serde_json::json!({ "upload": id }))).into_response())
}

#[cfg(test)]
mod tests {
    use super::valid_id;

    #[test]
    fn ids_are_upl_and_lowercase_letters() {
        assert!(valid_id("upl-abcdefghijklmnopqrstuvwxyz"));
        assert!(!valid_id("upl-abcdefghijklmnopqrstuvwxy"), "too short");
        assert!(!valid_id("upl-abcdefghijklmnopqrstuvwxy1"), "a digit");
        assert!(!valid_id("img-abcdefghijklmnopqrstuvwxyz"));
        assert!(!valid_id("upl-../../abcdefghijklmnopqrstuvwxyz"));
        assert!(!valid_id(&format!("upl-{}", "a".repeat(65))));
    }
}
