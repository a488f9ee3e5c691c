//! Images in a live conversation: uploaded as the raw request body (at most
//! [`MAX_IMAGE_BYTES`]), accepted only when their first bytes are PNG, JPEG, GIF or WebP
//! (the declared `Content-Type` is not trusted), stored in the database (so every instance
//! serves them) and served only to the conversation's customer (its token) and to agents
//! (their session, see `crate::console`).

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use kefu_protocol::ErrorCode;
use sqlx::Row as _;

use super::TokenQuery;
use crate::db::{now, random_hex, Db};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Largest image accepted.
pub const MAX_IMAGE_BYTES: usize = 5 * 1024 * 1024;

/// Routes of the customer's side, under `/api/v1`.
pub fn customer_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/conversations/{id}/images",
            post(customer_upload).layer(DefaultBodyLimit::max(MAX_IMAGE_BYTES)),
        )
        .route("/conversations/{id}/images/{image}", get(customer_download))
}

/// The image type its first bytes show, if it is one we accept.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

/// Checks an upload's size and its first bytes; returns its type.
pub fn check(bytes: &[u8]) -> ApiResult<&'static str> {
    if bytes.is_empty() {
        return Err(ApiError::invalid("empty upload"));
    }
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(ApiError::new(
            ErrorCode::PayloadTooLarge,
            "images are at most 5 MB",
        ));
    }
    sniff(bytes).ok_or_else(|| {
        ApiError::new(
            ErrorCode::UnsupportedMediaType,
            "only PNG, JPEG, GIF and WebP images are accepted",
        )
    })
}

/// Checks and stores an image; returns its id.
pub async fn store(db: &Db, conversation: &str, bytes: &[u8]) -> ApiResult<String> {
    let mime = check(bytes)?;
    let id = format!("img-{}", random_hex(12));
    sqlx::query("INSERT INTO live_images (id, conversation, mime, bytes, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(&id)
        .bind(conversation)
        .bind(mime)
        .bind(bytes.to_vec())
        .bind(now())
        .execute(&db.pool)
        .await?;
    Ok(id)
}

/// The image as a response no browser will run or sniff.
pub async fn serve(db: &Db, conversation: &str, image: &str) -> ApiResult<Response> {
    let row =
        sqlx::query("SELECT mime, bytes FROM live_images WHERE id = $1 AND conversation = $2")
            .bind(image)
            .bind(conversation)
            .fetch_optional(&db.pool)
            .await?
            .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no such image"))?;
    let mime: String = row.try_get("mime")?;
    let bytes: Vec<u8> = row.try_get("bytes")?;
    respond(&mime, bytes)
}

/// Stored image bytes as a response no browser will run or sniff.
pub fn respond(mime: &str, bytes: Vec<u8>) -> ApiResult<Response> {
    let mut response = (StatusCode::OK, bytes).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(mime).map_err(ApiError::internal)?,
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=86400"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    Ok(response)
}

/// An upload's answer: `{"image": "img-…"}`.
pub fn uploaded(id: String) -> Response {
    (
        StatusCode::CREATED,
        Json(serde_json::json!({ "image": id })),
    )
        .into_response()
}

/// `POST /api/v1/conversations/{id}/images?token=…`.
async fn customer_upload(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<TokenQuery>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> ApiResult<Response> {
    let row = super::customer_conversation(&state.db, &id, &q.token).await?;
    let body =
        body.map_err(|_| ApiError::new(ErrorCode::PayloadTooLarge, "images are at most 5 MB"))?;
    Ok(uploaded(store(&state.db, &row.id, &body).await?))
}

/// `GET /api/v1/conversations/{id}/images/{image}?token=…`.
async fn customer_download(
    State(state): State<AppState>,
    Path((id, image)): Path<(String, String)>,
    Query(q): Query<TokenQuery>,
) -> ApiResult<Response> {
    let row = super::customer_conversation(&state.db, &id, &q.token).await?;
    serve(&state.db, &row.id, &image).await
}

#[cfg(test)]
mod tests {
    use super::sniff;

    #[test]
    fn types_come_from_magic_bytes() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest"), Some("image/png"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(sniff(b"GIF89a..."), Some("image/gif"));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff(b"<svg xmlns=..."), None);
        assert_eq!(sniff(b"<html><script>"), None);
    }
}
