//! The one place where failures become HTTP responses: every error a client sees is an
//! [`ApiError`] rendered as `{"error": {"code", "message"}}` with the status its
//! [`ErrorCode`] implies. Internal causes are logged, never sent.

use std::borrow::Cow;

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use kefu_protocol::{ErrorBody, ErrorCode};
use serde::de::DeserializeOwned;

/// A failure a route reports to its client.
#[derive(Debug)]
pub struct ApiError {
    pub code: ErrorCode,
    /// Safe to show the client (no internal details).
    pub message: Cow<'static, str>,
    /// Seconds for `Retry-After` (429, 503).
    pub retry_after: Option<u64>,
    /// The internal cause, logged at error level for 5xx.
    pub cause: Option<anyhow::Error>,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<Cow<'static, str>>) -> ApiError {
        ApiError {
            code,
            message: message.into(),
            retry_after: None,
            cause: None,
        }
    }

    /// `400 invalid_input` naming the field.
    pub fn invalid(message: impl Into<Cow<'static, str>>) -> ApiError {
        ApiError::new(ErrorCode::InvalidInput, message)
    }

    /// `500 internal`; the cause goes to the log only.
    pub fn internal(cause: impl Into<anyhow::Error>) -> ApiError {
        ApiError {
            cause: Some(cause.into()),
            ..ApiError::new(ErrorCode::Internal, "internal error")
        }
    }

    /// `503 unavailable`; the cause goes to the log only.
    pub fn unavailable(what: &'static str, cause: impl Into<anyhow::Error>) -> ApiError {
        ApiError {
            cause: Some(cause.into()),
            ..ApiError::new(ErrorCode::Unavailable, what)
        }
    }

    /// `429 rate_limited` with `Retry-After`.
    pub fn rate_limited(retry_after_secs: u64) -> ApiError {
        ApiError {
            retry_after: Some(retry_after_secs.max(1)),
            ..ApiError::new(ErrorCode::RateLimited, "too many requests; try again later")
        }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> ApiError {
        match e {
            sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed => {
                ApiError::unavailable("the database is unavailable", e)
            }
            e => ApiError::internal(e),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.code.http_status())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if let Some(cause) = &self.cause {
            if status.is_server_error() {
                tracing::error!(code = self.code.as_str(), "{:#}", cause);
            } else {
                tracing::debug!(code = self.code.as_str(), "{:#}", cause);
            }
        }
        let body = ErrorBody::new(self.code, self.message);
        let mut response = (status, axum::Json(body)).into_response();
        if let Some(secs) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

/// `axum::Json` whose rejections are [`ApiError`]s (400 `invalid_request`, 413, 415).
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

fn json_rejection(rejection: JsonRejection) -> ApiError {
    match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => {
            ApiError::new(ErrorCode::PayloadTooLarge, "request body too large")
        }
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::new(
            ErrorCode::UnsupportedMediaType,
            "expected Content-Type: application/json",
        ),
        _ => ApiError::new(ErrorCode::InvalidRequest, rejection.body_text()),
    }
}

/// JSON 404 for unknown API routes.
pub async fn api_not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "no such route")
}
