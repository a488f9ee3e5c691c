//! What the widget keeps on the device: the session (conversation, what was shown, queued
//! requests) in `localStorage`, so a reload restores the chat; and the knowledge base in
//! Cache Storage (see [`crate::loader`]), so it works offline and downloads again only when
//! it changed.

use serde::Serialize;

use crate::session::Session;

/// The `localStorage` key of the session for the knowledge base at `kb_url`.
pub fn session_key(kb_url: &str) -> String {
    format!("kefu:v1:session:{kb_url}")
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The saved session, if there is one and it still reads (a damaged or older one is
/// dropped: the customer starts a new chat rather than a broken one).
pub fn load(key: &str) -> Option<Session> {
    let text = storage()?.get_item(key).ok().flatten()?;
    let value = js_sys::JSON::parse(&text).ok()?;
    match serde_wasm_bindgen::from_value(value) {
        Ok(session) => Some(session),
        Err(err) => {
            leptos::logging::warn!(
                "kefu: the saved conversation does not read ({err}); starting anew"
            );
            None
        }
    }
}

/// Saves `session`; failures (private mode, quota) only cost the restore.
pub fn save(key: &str, session: &Session) {
    let Some(storage) = storage() else { return };
    let Ok(value) = session.serialize(&serde_wasm_bindgen::Serializer::json_compatible()) else {
        return;
    };
    if let Ok(text) = js_sys::JSON::stringify(&value) {
        let _ = storage.set_item(key, &String::from(text));
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
