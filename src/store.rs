//! What the widget keeps on the device: the session (conversation, what was shown, queued
//! requests) in `localStorage`, so a reload restores the chat; and the knowledge base in
//! Cache Storage (see [`crate::loader`]), so it works offline and downloads again only when
//! it changed.

use kefu_core::dialogue::SavedConversation;
use kefu_core::Engine;

use crate::session::Session;

/// The `localStorage` key of the session for the knowledge base at `kb_url`.
pub fn session_key(kb_url: &str) -> String {
    format!("kefu:v1:session:{kb_url}")
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The saved session, if there is one and it still reads (a damaged or older one is
/// dropped: the customer starts a new chat rather than a broken one), fitted to `engine`'s
/// knowledge base.
pub fn load(key: &str, engine: &Engine) -> Option<Session> {
    let text = storage()?.get_item(key).ok().flatten()?;
    let bytes = base64::decode(&text)?;
    match postcard::from_bytes::<Session<SavedConversation>>(&bytes) {
        Ok(session) => Some(session.restore(engine)),
        Err(err) => {
            leptos::logging::warn!(
                "kefu: the saved conversation does not read ({err}); starting anew"
            );
            None
        }
    }
}

/// Saves `session` (postcard, base64); failures (private mode, quota) only cost the restore.
pub fn save(key: &str, session: &Session) {
    let Some(storage) = storage() else { return };
    if let Ok(bytes) = postcard::to_allocvec(session) {
        let _ = storage.set_item(key, &base64::encode(&bytes));
    }
}

/// Forgets the saved session ("new conversation").
pub fn clear(key: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(key);
    }
}

const DRAFT_KEY: &str = "kefu:v1:draft";

/// What the customer had typed and not sent.
pub fn draft() -> String {
    storage()
        .and_then(|s| s.get_item(DRAFT_KEY).ok().flatten())
        .unwrap_or_default()
}

/// Keeps what the customer is typing (empty: forget it).
pub fn set_draft(text: &str) {
    if let Some(storage) = storage() {
        let _ = if text.is_empty() {
            storage.remove_item(DRAFT_KEY)
        } else {
            storage.set_item(DRAFT_KEY, text)
        };
    }
}

/// Whether the browser says it is online.
pub fn online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// A random id for requests the server must not store twice.
pub fn client_id() -> String {
    let r = || (js_sys::Math::random() * 4_294_967_296.0) as u32;
    format!(
        "{:08x}{:08x}{:08x}",
        r(),
        r(),
        (js_sys::Date::now() as u64 & 0xffff_ffff) as u32
    )
}

/// Now, in Unix seconds.
pub fn now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// Standard base64 (RFC 4648, with padding): `localStorage` holds strings.
pub mod base64 {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    pub fn encode(bytes: &[u8]) -> String {
        let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
        for chunk in bytes.chunks(3) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |n, (i, &b)| n | (b as u32) << (16 - 8 * i));
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    /// `None` for anything that is not padded standard base64.
    pub fn decode(text: &str) -> Option<Vec<u8>> {
        let text = text.as_bytes();
        if text.len() & 3 != 0 {
            return None;
        }
        let mut out = Vec::with_capacity(text.len() / 4 * 3);
        for chunk in text.chunks(4) {
            let pad = chunk.iter().rev().take_while(|&&c| c == b'=').count();
            if pad > 2 {
                return None;
            }
            let mut n = 0u32;
            for (i, &c) in chunk[..4 - pad].iter().enumerate() {
                let v = ALPHABET.iter().position(|&a| a == c)? as u32;
                n |= v << (18 - 6 * i);
            }
            for i in 0..3 - pad {
                out.push((n >> (16 - 8 * i)) as u8);
            }
        }
        Some(out)
    }
}
