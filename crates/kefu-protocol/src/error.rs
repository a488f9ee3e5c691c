//! The error body every route returns, and its stable codes.

use serde::{Deserialize, Serialize};

/// `{"error": {"code": "…", "message": "…"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// A stable machine-readable code and a human-readable message (English, for developers;
/// the widget shows its own translated text for each code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    pub code: ErrorCode,
    pub message: String,
}

impl ErrorBody {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                code,
                message: message.into(),
            },
        }
    }
}

/// Stable error codes (`snake_case` on the wire). New codes may be added; a client reads
/// a code it does not know as [`ErrorCode::Unknown`] and falls back on the HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// 400: the body is not valid JSON of the expected shape, or not UTF-8.
    InvalidRequest,
    /// 400: a field breaks a limit or a rule (too long, empty, bad characters); the message
    /// names the field.
    InvalidInput,
    /// 401: the route needs a verified customer (`X-Kefu-User` + `X-Kefu-User-Hash`) or, for
    /// anonymous order lookups, `phone_last4`.
    IdentityRequired,
    /// 401: `X-Kefu-User-Hash` is not the HMAC of `X-Kefu-User` with the shop's secret.
    InvalidUserHash,
    /// 401: missing, unknown or revoked API key.
    InvalidApiKey,
    /// 401: not signed in (agent console), or the session expired.
    Unauthenticated,
    /// 403: signed in but not allowed (another agent's conversation, a CSRF check failed).
    Forbidden,
    /// 404: no such route or resource.
    NotFound,
    /// 404: no order with that number belongs to this customer (also when it exists but is
    /// someone else's, or the phone digits are wrong: existence is never revealed).
    OrderNotFound,
    /// 405.
    MethodNotAllowed,
    /// 409: the resource changed state (conversation already closed or taken).
    Conflict,
    /// 413: body or upload larger than allowed.
    PayloadTooLarge,
    /// 415: wrong `Content-Type` (JSON expected, or an image type not allowed).
    UnsupportedMediaType,
    /// 429: too many requests or wrong guesses; see `Retry-After` (seconds).
    RateLimited,
    /// 502: the shop's own order system failed or answered nonsense.
    UpstreamFailed,
    /// 504: the shop's own order system did not answer in time.
    UpstreamTimeout,
    /// 503: the server cannot serve now (database unreachable, knowledge base not loaded).
    Unavailable,
    /// 500: an internal fault; details are in the server's log, never in the response.
    Internal,
    /// A code this version of the protocol does not know.
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    /// The HTTP status the server sends with this code.
    pub fn http_status(self) -> u16 {
        match self {
            ErrorCode::InvalidRequest | ErrorCode::InvalidInput => 400,
            ErrorCode::IdentityRequired
            | ErrorCode::InvalidUserHash
            | ErrorCode::InvalidApiKey
            | ErrorCode::Unauthenticated => 401,
            ErrorCode::Forbidden => 403,
            ErrorCode::NotFound | ErrorCode::OrderNotFound => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::Conflict => 409,
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::RateLimited => 429,
            ErrorCode::UpstreamFailed => 502,
            ErrorCode::Unavailable => 503,
            ErrorCode::UpstreamTimeout => 504,
            ErrorCode::Internal | ErrorCode::Unknown => 500,
        }
    }

    /// The code as it appears on the wire (`rate_limited`).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidRequest => "invalid_request",
            ErrorCode::InvalidInput => "invalid_input",
            ErrorCode::IdentityRequired => "identity_required",
            ErrorCode::InvalidUserHash => "invalid_user_hash",
            ErrorCode::InvalidApiKey => "invalid_api_key",
            ErrorCode::Unauthenticated => "unauthenticated",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::NotFound => "not_found",
            ErrorCode::OrderNotFound => "order_not_found",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::Conflict => "conflict",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::UpstreamFailed => "upstream_failed",
            ErrorCode::UpstreamTimeout => "upstream_timeout",
            ErrorCode::Unavailable => "unavailable",
            ErrorCode::Internal => "internal",
            ErrorCode::Unknown => "unknown",
        }
    }

    /// Every code but [`ErrorCode::Unknown`].
    pub const ALL: [ErrorCode; 18] = [
        ErrorCode::InvalidRequest,
        ErrorCode::InvalidInput,
        ErrorCode::IdentityRequired,
        ErrorCode::InvalidUserHash,
        ErrorCode::InvalidApiKey,
        ErrorCode::Unauthenticated,
        ErrorCode::Forbidden,
        ErrorCode::NotFound,
        ErrorCode::OrderNotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::Conflict,
        ErrorCode::PayloadTooLarge,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::RateLimited,
        ErrorCode::UpstreamFailed,
        ErrorCode::UpstreamTimeout,
        ErrorCode::Unavailable,
        ErrorCode::Internal,
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_spell_as_documented_and_unknown_ones_survive() {
        for code in ErrorCode::ALL {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert_eq!(serde_json::from_str::<ErrorCode>(&json).unwrap(), code);
        }
        let later: ErrorBody =
            serde_json::from_str(r#"{"error":{"code":"quota_exceeded","message":"x"}}"#).unwrap();
        assert_eq!(later.error.code, ErrorCode::Unknown);
    }
}
