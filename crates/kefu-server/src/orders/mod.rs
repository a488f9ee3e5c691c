//! `GET /api/v1/orders/{order_no}`: a customer's own order.
//!
//! Who may see an order: a verified customer (identity headers, see [`crate::identity`])
//! their own orders; an anonymous customer an order whose phone number ends in the
//! `phone_last4` they give. Everything else is `404 order_not_found`, whether the order
//! exists or not. Wrong guesses count per client address and per order number; past the
//! limit the answer is `429` with `Retry-After`, before any lookup.
//!
//! Orders come from an [`OrderSource`]: the `orders` table ([`DbOrders`]) or the shop's own
//! order API ([`HttpOrders`]).

mod db;
mod http;

use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::Arc;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use kefu_protocol::orders::{OrderQuery, OrderResponse};
use kefu_protocol::ErrorCode;
use subtle::ConstantTimeEq;

pub use db::DbOrders;
pub use http::HttpOrders;

use crate::config::ServeArgs;
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::identity::{self, VerifiedUser};
use crate::state::AppState;

/// An order with what decides who may see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderRecord {
    pub order: OrderResponse,
    /// The host site's user id of the buyer (`None`: a guest order).
    pub owner: Option<String>,
    /// The phone number on the order.
    pub phone: Option<String>,
}

/// Why a source could not answer.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("the order source did not answer in time")]
    Timeout,
    #[error("the order source failed: {0:#}")]
    Failed(anyhow::Error),
    /// The server's own database failed (not the shop's system).
    #[error("reading orders from the database: {0:#}")]
    Database(anyhow::Error),
}

impl From<SourceError> for ApiError {
    fn from(e: SourceError) -> ApiError {
        match e {
            SourceError::Timeout => ApiError::new(
                ErrorCode::UpstreamTimeout,
                "the shop's order system did not answer in time",
            ),
            SourceError::Failed(cause) => ApiError {
                cause: Some(cause),
                ..ApiError::new(ErrorCode::UpstreamFailed, "the shop's order system failed")
            },
            SourceError::Database(cause) => match cause.downcast::<sqlx::Error>() {
                Ok(e) => ApiError::from(e),
                Err(cause) => ApiError::internal(cause),
            },
        }
    }
}

pub type SourceFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Option<OrderRecord>, SourceError>> + Send + 'a>>;

/// Where orders come from. `Ok(None)`: no such order.
pub trait OrderSource: Send + Sync {
    fn find<'a>(&'a self, order_no: &'a str) -> SourceFuture<'a>;
}

/// The source the settings name: the shop's API with `--order-api`, else the database.
pub fn source_for(config: &ServeArgs, db: &Db) -> anyhow::Result<Arc<dyn OrderSource>> {
    Ok(match &config.order_api {
        Some(template) => Arc::new(HttpOrders::new(
            template,
            config.order_api_token.clone(),
            std::time::Duration::from_millis(config.order_api_timeout_ms),
        )?),
        None => Arc::new(DbOrders::new(db.clone())),
    })
}

/// How a customer proves an order is theirs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    Verified(VerifiedUser),
    PhoneLast4(String),
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/orders/{order_no}", get(get_order))
}

/// 1–64 bytes of ASCII letters, digits, `-` and `_`.
pub fn check_order_no(order_no: &str) -> Result<(), ApiError> {
    if order_no.is_empty()
        || order_no.len() > 64
        || !order_no
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(ApiError::invalid(
            "order_no must be 1-64 letters, digits, '-' or '_'",
        ));
    }
    Ok(())
}

/// Exactly four ASCII digits.
pub fn check_phone_last4(digits: &str) -> Result<(), ApiError> {
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiError::invalid("phone_last4 must be exactly 4 digits"));
    }
    Ok(())
}

async fn get_order(
    State(state): State<AppState>,
    order_no: Result<Path<String>, PathRejection>,
    query: Result<Query<OrderQuery>, QueryRejection>,
    parts: Parts,
) -> ApiResult<Response> {
    let Path(order_no) = order_no.map_err(|e| ApiError::invalid(e.body_text()))?;
    let Query(query) = query.map_err(|e| ApiError::invalid(e.body_text()))?;
    let client = client_key(state.limits.client_ip(&parts));
    check_order_no(&order_no)?;
    check_not_blocked(&state, &client, &order_no)?;
    let access = match identity::from_headers(&parts.headers, state.secret.as_ref()) {
        Ok(Some(user)) => Access::Verified(user),
        Ok(None) => match query.phone_last4 {
            Some(digits) => {
                check_phone_last4(&digits)?;
                Access::PhoneLast4(digits)
            }
            None => {
                return Err(ApiError::new(
                    ErrorCode::IdentityRequired,
                    "sign in (X-Kefu-User and X-Kefu-User-Hash) or give phone_last4",
                ))
            }
        },
        Err(e) => {
            if e.code == ErrorCode::InvalidUserHash {
                wrong_guess(&state, &client, None);
            }
            return Err(e);
        }
    };
    let order = look_up(&state, &order_no, &access, &client).await?;
    let mut response = Json(order).into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(response)
}

/// The key wrong guesses of a browser client count under.
pub fn client_key(ip: Option<IpAddr>) -> String {
    match ip {
        Some(ip) => format!("ip:{ip}"),
        None => "ip:unknown".to_string(),
    }
}

/// 429 when this client or this order number guessed wrong too often.
pub fn check_not_blocked(state: &AppState, client: &str, order_no: &str) -> Result<(), ApiError> {
    let by_client = state.limits.guesses_per_client.blocked(client);
    let by_order = state.limits.guesses_per_order.blocked(order_no);
    match by_client.max(by_order) {
        Some(wait) => Err(ApiError::rate_limited(wait)),
        None => Ok(()),
    }
}

fn wrong_guess(state: &AppState, client: &str, order_no: Option<&str>) {
    state.limits.guesses_per_client.hit(client);
    if let Some(no) = order_no {
        state.limits.guesses_per_order.hit(no);
    }
}

/// The order if `access` may see it; `404 order_not_found` otherwise (counted as a wrong
/// guess of `client` and of the order number). The caller checked the number's shape and
/// [`check_not_blocked`].
pub async fn look_up(
    state: &AppState,
    order_no: &str,
    access: &Access,
    client: &str,
) -> ApiResult<OrderResponse> {
    let record = state.orders.find(order_no).await?;
    match record {
        Some(r) if may_see(&r, access) => Ok(r.order),
        _ => {
            wrong_guess(state, client, Some(order_no));
            Err(ApiError::new(
                ErrorCode::OrderNotFound,
                "no such order for this customer",
            ))
        }
    }
}

fn may_see(record: &OrderRecord, access: &Access) -> bool {
    match access {
        Access::Verified(VerifiedUser(user)) => record.owner.as_deref() == Some(user.as_str()),
        Access::PhoneLast4(digits) => {
            let phone: Vec<u8> = record
                .phone
                .as_deref()
                .unwrap_or("")
                .bytes()
                .filter(u8::is_ascii_digit)
                .collect();
            phone.len() >= 4 && bool::from(phone[phone.len() - 4..].ct_eq(digits.as_bytes()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_endings_and_owners_decide() {
        let r = OrderRecord {
            order: kefu_core::dialogue::OrderInfo::default().into(),
            owner: Some("alice".into()),
            phone: Some("138-1234-5678".into()),
        };
        assert!(may_see(&r, &Access::PhoneLast4("5678".into())));
        assert!(!may_see(&r, &Access::PhoneLast4("1234".into())));
        assert!(may_see(&r, &Access::Verified(VerifiedUser("alice".into()))));
        assert!(!may_see(&r, &Access::Verified(VerifiedUser("bob".into()))));
        let guest = OrderRecord {
            owner: None,
            phone: None,
            ..r
        };
        assert!(!may_see(&guest, &Access::PhoneLast4("0000".into())));
        assert!(check_order_no("123456").is_ok());
        assert!(check_order_no("12 34").is_err());
        assert!(check_phone_last4("12a4").is_err());
    }
}
