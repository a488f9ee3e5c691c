//! Agents and their sessions. Passwords are argon2id hashes (PHC strings); a session is a
//! random token in an `HttpOnly; SameSite=Strict` cookie, of which the database keeps only
//! the SHA-256. State-changing requests also need the session's CSRF token in
//! `X-Kefu-Csrf` and, when the browser sends one, an `Origin` of this server.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method};
use kefu_protocol::ErrorCode;
use sha2::{Digest, Sha256};
use sqlx::Row as _;
use subtle::ConstantTimeEq as _;

use crate::db::{now, random_hex, Db};
use crate::error::ApiError;
use crate::state::AppState;

/// The session cookie's name.
pub const COOKIE: &str = "kefu_console";
/// The CSRF header's name.
pub const CSRF_HEADER: &str = "x-kefu-csrf";
/// How long a session lasts.
pub const SESSION_SECS: i64 = 12 * 3600;

/// A signed-in agent.
#[derive(Debug, Clone)]
pub struct Agent {
    pub id: String,
    pub name: String,
    pub display_name: String,
    pub csrf: String,
}

fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Checks an agent's login name: 1–64 bytes of letters, digits, `.`, `-`, `_`.
pub fn check_name(name: &str) -> anyhow::Result<()> {
    if name.is_empty()
        || name.len() > 64
        || !name
            .chars()
            .all(|c| c.is_alphanumeric() || ".-_".contains(c))
    {
        anyhow::bail!("agent names are 1-64 letters, digits, '.', '-' or '_'");
    }
    Ok(())
}

/// Creates an agent (or, with `replace`, sets an existing one's password and name).
pub async fn add_agent(
    db: &Db,
    name: &str,
    display_name: &str,
    password: &str,
    replace: bool,
) -> anyhow::Result<String> {
    check_name(name)?;
    if password.chars().count() < 8 {
        anyhow::bail!("the password must have at least 8 characters");
    }
    let display = display_name.trim();
    if display.is_empty() || display.chars().count() > 64 {
        anyhow::bail!("the display name must be 1-64 characters");
    }
    let salt = SaltString::generate(&mut OsRng);
    let hash = Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("hashing the password: {e}"))?
        .to_string();
    let existing = sqlx::query("SELECT id FROM agents WHERE name = $1")
        .bind(name)
        .fetch_optional(&db.pool)
        .await?;
    if let Some(row) = existing {
        if !replace {
            anyhow::bail!("an agent named {name} exists already");
        }
        let id: String = row.try_get("id")?;
        sqlx::query("UPDATE agents SET password_hash = $1, display_name = $2, disabled_at = NULL WHERE id = $3")
            .bind(&hash)
            .bind(display)
            .bind(&id)
            .execute(&db.pool)
            .await?;
        return Ok(id);
    }
    let id = format!("ag-{}", random_hex(6));
    sqlx::query("INSERT INTO agents (id, name, display_name, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(&id)
        .bind(name)
        .bind(display)
        .bind(&hash)
        .bind(now())
        .execute(&db.pool)
        .await?;
    Ok(id)
}

/// The agents: (name, display name, disabled).
pub async fn list_agents(db: &Db) -> anyhow::Result<Vec<(String, String, bool)>> {
    let rows = sqlx::query("SELECT name, display_name, disabled_at FROM agents ORDER BY name")
        .fetch_all(&db.pool)
        .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("name")?,
                r.try_get("display_name")?,
                r.try_get::<Option<i64>, _>("disabled_at")?.is_some(),
            ))
        })
        .collect()
}

/// Disables an agent and ends their sessions.
pub async fn disable_agent(db: &Db, name: &str) -> anyhow::Result<bool> {
    let row = sqlx::query("SELECT id FROM agents WHERE name = $1 AND disabled_at IS NULL")
        .bind(name)
        .fetch_optional(&db.pool)
        .await?;
    let Some(row) = row else { return Ok(false) };
    let id: String = row.try_get("id")?;
    sqlx::query("UPDATE agents SET disabled_at = $1 WHERE id = $2")
        .bind(now())
        .bind(&id)
        .execute(&db.pool)
        .await?;
    sqlx::query("DELETE FROM agent_sessions WHERE agent_id = $1")
        .bind(&id)
        .execute(&db.pool)
        .await?;
    Ok(true)
}

/// Checks a login; on success creates a session and returns the cookie's token and the agent.
pub async fn login(
    db: &Db,
    name: &str,
    password: &str,
) -> Result<Option<(String, Agent)>, ApiError> {
    let row = sqlx::query("SELECT id, name, display_name, password_hash FROM agents WHERE name = $1 AND disabled_at IS NULL")
        .bind(name)
        .fetch_optional(&db.pool)
        .await?;
    // Unknown names cost a hash too, so timing does not tell which names exist.
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let stored: String = match &row {
        Some(r) => r.try_get("password_hash")?,
        None => DUMMY
            .get_or_init(|| {
                let salt = SaltString::generate(&mut OsRng);
                Argon2::default()
                    .hash_password(b"no such agent", &salt)
                    .map(|h| h.to_string())
                    .unwrap_or_default()
            })
            .clone(),
    };
    let password = password.to_string();
    let ok = tokio::task::spawn_blocking(move || {
        PasswordHash::new(&stored)
            .map(|h| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &h)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .map_err(ApiError::internal)?;
    let (Some(row), true) = (row, ok) else {
        return Ok(None);
    };
    let token = random_hex(32);
    let agent = Agent {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        display_name: row.try_get("display_name")?,
        csrf: random_hex(16),
    };
    let t = now();
    sqlx::query("DELETE FROM agent_sessions WHERE expires_at < $1")
        .bind(t)
        .execute(&db.pool)
        .await?;
    sqlx::query("INSERT INTO agent_sessions (token_hash, agent_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(hash_token(&token))
        .bind(&agent.id)
        .bind(&agent.csrf)
        .bind(t)
        .bind(t + SESSION_SECS)
        .execute(&db.pool)
        .await?;
    Ok(Some((token, agent)))
}

/// Ends the session of `token`.
pub async fn logout(db: &Db, token: &str) -> Result<(), ApiError> {
    sqlx::query("DELETE FROM agent_sessions WHERE token_hash = $1")
        .bind(hash_token(token))
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// The session token in the request's cookies.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_string())
        .filter(|v| !v.is_empty() && v.len() <= 128)
}

/// `Set-Cookie` for a new session (or, with an empty token, one that ends it).
pub fn cookie(token: &str, secure: bool) -> String {
    let max_age = if token.is_empty() { 0 } else { SESSION_SECS };
    format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{}",
        if secure { "; Secure" } else { "" }
    )
}

/// Whether the request's `Origin` (when present) is this server (or an allowed origin).
pub fn origin_ok(headers: &HeaderMap, allowed: &[String]) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let bare = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
        .unwrap_or("");
    (!host.is_empty() && bare == host) || allowed.iter().any(|a| a.trim_end_matches('/') == origin)
}

async fn session(db: &Db, token: &str) -> Result<Option<Agent>, ApiError> {
    let row = sqlx::query(
        "SELECT a.id, a.name, a.display_name, s.csrf FROM agent_sessions s JOIN agents a ON a.id = s.agent_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND a.disabled_at IS NULL",
    )
    .bind(hash_token(token))
    .bind(now())
    .fetch_optional(&db.pool)
    .await?;
    Ok(match row {
        None => None,
        Some(r) => Some(Agent {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
            display_name: r.try_get("display_name")?,
            csrf: r.try_get("csrf")?,
        }),
    })
}

/// The signed-in agent of a request: 401 without a valid session; for methods other than
/// GET/HEAD, 403 without the CSRF header or with a foreign `Origin`.
impl FromRequestParts<AppState> for Agent {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Agent, ApiError> {
        let unauth = || ApiError::new(ErrorCode::Unauthenticated, "sign in to the console");
        let token = session_token(&parts.headers).ok_or_else(unauth)?;
        let agent = session(&state.db, &token).await?.ok_or_else(unauth)?;
        if !origin_ok(&parts.headers, &state.config.allow_origins) {
            return Err(ApiError::new(
                ErrorCode::Forbidden,
                "cross-origin request refused",
            ));
        }
        if parts.method != Method::GET && parts.method != Method::HEAD {
            let given = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !bool::from(given.as_bytes().ct_eq(agent.csrf.as_bytes())) {
                return Err(ApiError::new(
                    ErrorCode::Forbidden,
                    "missing or wrong X-Kefu-Csrf header",
                ));
            }
        }
        Ok(agent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn origins_must_be_this_server() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(origin_ok(&h, &[]));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://127.0.0.1:8080"),
        );
        assert!(origin_ok(&h, &[]));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://evil.example"),
        );
        assert!(!origin_ok(&h, &[]));
        assert!(origin_ok(&h, &["http://evil.example".into()]));
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("a=b; kefu_console=abc; c=d"),
        );
        assert_eq!(session_token(&h).as_deref(), Some("abc"));
        assert!(cookie("abc", false).contains("HttpOnly; SameSite=Strict"));
    }
}
