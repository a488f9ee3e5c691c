//! Verified customers: the host site signs its user id with the shop's secret
//! (hex HMAC-SHA256, as Intercom's `user_hash` does) and the widget sends both as
//! `X-Kefu-User` / `X-Kefu-User-Hash`. The comparison is constant-time (`hmac`'s
//! `verify_slice`).

use axum::http::HeaderMap;
use hmac::{Hmac, Mac};
use kefu_protocol::{headers, limits, ErrorCode};
use sha2::Sha256;

use crate::error::ApiError;

type HmacSha256 = Hmac<Sha256>;

/// The shop's HMAC secret.
#[derive(Clone)]
pub struct Secret(HmacSha256);

impl Secret {
    pub fn new(key: &[u8]) -> anyhow::Result<Secret> {
        if key.len() < 16 {
            anyhow::bail!("the secret (KEFU_SECRET) must be at least 16 bytes");
        }
        Ok(Secret(
            HmacSha256::new_from_slice(key).expect("HMAC takes keys of any length"),
        ))
    }

    /// Hex HMAC-SHA256 of `user` (what the host site's server computes).
    pub fn sign(&self, user: &str) -> String {
        let mut mac = self.0.clone();
        mac.update(user.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// Whether `hash_hex` is `user`'s signature, in constant time.
    pub fn verify(&self, user: &str, hash_hex: &str) -> bool {
        let Ok(hash) = hex::decode(hash_hex.trim()) else {
            return false;
        };
        let mut mac = self.0.clone();
        mac.update(user.as_bytes());
        mac.verify_slice(&hash).is_ok()
    }
}

/// A customer whose id the host site signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedUser(pub String);

/// Checks a user id's shape: 1–128 bytes, no control characters.
pub fn check_user_id(id: &str) -> Result<(), ApiError> {
    if id.is_empty() || id.len() > limits::MAX_ID_BYTES || id.chars().any(|c| c.is_control()) {
        return Err(ApiError::invalid(
            "user id must be 1-128 bytes without control characters",
        ));
    }
    Ok(())
}

/// The verified user of a request, `None` when it names none. Half an identity (an id without
/// its hash or the reverse) or a hash that does not verify is a 401.
pub fn from_headers(
    headers: &HeaderMap,
    secret: Option<&Secret>,
) -> Result<Option<VerifiedUser>, ApiError> {
    let text = |name: &str| -> Result<Option<&str>, ApiError> {
        match headers.get(name) {
            None => Ok(None),
            Some(v) => v
                .to_str()
                .map(Some)
                .map_err(|_| ApiError::invalid(format!("{name} must be visible ASCII"))),
        }
    };
    let user = text(headers::USER)?;
    let hash = text(headers::USER_HASH)?;
    verify(user, hash, secret)
}

/// Like [`from_headers`], for an identity given as values.
pub fn verify(
    user: Option<&str>,
    hash: Option<&str>,
    secret: Option<&Secret>,
) -> Result<Option<VerifiedUser>, ApiError> {
    match (user, hash) {
        (None, None) => Ok(None),
        (Some(_), None) | (None, Some(_)) => Err(ApiError::new(
            ErrorCode::IdentityRequired,
            "X-Kefu-User and X-Kefu-User-Hash go together",
        )),
        (Some(user), Some(hash)) => {
            check_user_id(user)?;
            match secret {
                Some(secret) if secret.verify(user, hash) => {
                    Ok(Some(VerifiedUser(user.to_string())))
                }
                Some(_) => Err(ApiError::new(
                    ErrorCode::InvalidUserHash,
                    "X-Kefu-User-Hash does not match X-Kefu-User",
                )),
                None => Err(ApiError::new(
                    ErrorCode::InvalidUserHash,
                    "this server has no secret configured (KEFU_SECRET): identities cannot be verified",
                )),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_only_for_their_user() {
        let s = Secret::new(b"0123456789abcdef0123").unwrap();
        let h = s.sign("alice");
        assert_eq!(h.len(), 64);
        assert!(s.verify("alice", &h));
        assert!(s.verify("alice", &h.to_uppercase()));
        assert!(!s.verify("bob", &h));
        assert!(!s.verify("alice", "zz"));
        assert!(!s.verify("alice", &h[..62]));
        assert!(Secret::new(b"short").is_err());
    }
}
