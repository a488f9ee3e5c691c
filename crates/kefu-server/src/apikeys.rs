//! Shop API keys for the chat API: `kefu_` + 64 hex digits, random, shown once; the database
//! keeps only their SHA-256. Revoking takes effect on the next request.

use anyhow::Context as _;
use axum::http::{header, HeaderMap};
use kefu_protocol::ErrorCode;
use sha2::{Digest, Sha256};
use sqlx::Row as _;

use crate::db::{now, random_hex, Db};
use crate::error::ApiError;

const PREFIX: &str = "kefu_";

/// A key as listed (never the key itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKeyInfo {
    pub id: String,
    pub name: String,
    pub prefix: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

fn hash(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

/// Creates a key named `name`; returns its id and the key (the only time it is seen).
pub async fn add(db: &Db, name: &str) -> anyhow::Result<(String, String)> {
    let name = name.trim();
    if name.is_empty() || name.len() > 100 {
        anyhow::bail!("the key's name must be 1-100 bytes");
    }
    let id = random_hex(6);
    let key = format!("{PREFIX}{}", random_hex(32));
    sqlx::query(
        "INSERT INTO api_keys (id, name, key_hash, prefix, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&id)
    .bind(name)
    .bind(hash(&key))
    .bind(&key[..PREFIX.len() + 6])
    .bind(now())
    .execute(&db.pool)
    .await
    .context("storing the API key")?;
    Ok((id, key))
}

pub async fn list(db: &Db) -> anyhow::Result<Vec<ApiKeyInfo>> {
    let rows = sqlx::query(
        "SELECT id, name, prefix, created_at, last_used_at, revoked_at FROM api_keys ORDER BY created_at, id",
    )
    .fetch_all(&db.pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ApiKeyInfo {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                prefix: r.try_get("prefix")?,
                created_at: r.try_get("created_at")?,
                last_used_at: r.try_get("last_used_at")?,
                revoked_at: r.try_get("revoked_at")?,
            })
        })
        .collect()
}

/// Revokes key `id`; `false` when there is no such (unrevoked) key.
pub async fn revoke(db: &Db, id: &str) -> anyhow::Result<bool> {
    let done =
        sqlx::query("UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(now())
            .bind(id)
            .execute(&db.pool)
            .await?;
    Ok(done.rows_affected() > 0)
}

/// The id of the valid key in `Authorization: Bearer …`, or `401 invalid_api_key`.
pub async fn authenticate(db: &Db, headers: &HeaderMap) -> Result<String, ApiError> {
    let unauthorized = || {
        ApiError::new(
            ErrorCode::InvalidApiKey,
            "send a valid API key as Authorization: Bearer kefu_…",
        )
    };
    let key = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|k| k.starts_with(PREFIX) && k.len() <= 128)
        .ok_or_else(unauthorized)?;
    let row = sqlx::query(
        "SELECT id, last_used_at FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL",
    )
    .bind(hash(key))
    .fetch_optional(&db.pool)
    .await?
    .ok_or_else(unauthorized)?;
    let id: String = row.try_get("id")?;
    let last_used: Option<i64> = row.try_get("last_used_at")?;
    // Recorded at most once a minute (no write per request); best effort: a failed
    // bookkeeping write must not fail the request.
    let now = now();
    if last_used.is_none_or(|t| now - t >= 60) {
        if let Err(e) = sqlx::query("UPDATE api_keys SET last_used_at = $1 WHERE id = $2")
            .bind(now)
            .bind(&id)
            .execute(&db.pool)
            .await
        {
            tracing::warn!("recording API key use: {e}");
        }
    }
    Ok(id)
}
