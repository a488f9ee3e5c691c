//! What the widget keeps on the device: the session (conversation, what was shown, queued
//! requests) in `localStorage`, so a reload restores the chat; and the knowledge base in
//! Cache Storage (see [`crate::loader`]), so it works offline and downloads again only when
//! it changed.
//!
//! # The stored form
//!
//! A saved session outlives the build that wrote it: a customer comes back after the widget
//! (and the conversation engine's state in `kefu-core`) changed. So the stored value names
//! its version, `"<version>:<base64 of the postcard bytes of Session>"`, and [`read`] turns
//! every version it knows into today's [`Session`], one step at a time:
//!
//! - **version 3** (written now): the outbox of a live conversation holds images too
//!   ([`session::Outgoing::image`]).
//! - **version 2**: the envelope, around the same bytes as version 1. Read into the frozen
//!   types of [`session::v2`] and converted (`tests/fixtures/session-v2-live.txt`, written
//!   by that build, holds a live conversation with a message in its outbox).
//! - **version 1** (written before the envelope, so without a `"1:"`): base64 postcard of
//!   the session in version 2's layout. `tests/fixtures/session-v1.txt` holds one written by
//!   that build; `tests/stored.rs` restores both fixtures.
//!
//! Postcard is positional and not self-describing: a field added, removed or moved anywhere
//! in the session (the engine's `Conversation` included) changes the layout, and an older
//! value no longer reads. Such a change raises [`STORED_VERSION`], keeps the previous layout
//! as frozen types in a module of its own (the structs that changed and those containing
//! them, as [`session::v2`] does) and adds a step converting it — `tests/stored.rs`'s
//! layout guard (today's types encode the version-3 fixture to the same bytes) fails until
//! then. A self-describing
//! form (JSON through serde_json) would read older values without that, but costs 47 KB of
//! gzipped wasm (`docs/benchmarks.md`), a third of the widget's size budget.
//!
//! A value that does not read (damaged, or written by a build this one has no step for)
//! keeps what it can — the transcript's text, which leads the conversation's bytes — and
//! shows it above a notice ([`Notice::Unrestored`]): never a silent new chat.

use kefu_core::dialogue::state::TranscriptLine;
use kefu_core::dialogue::SavedConversation;
use kefu_core::{Engine, Timestamp};
use serde::Deserialize;

use crate::chat::Turn;
use crate::session::{self, Notice, Session};

/// The version of the stored form written now (see the module documentation).
pub const STORED_VERSION: u32 = 3;

/// The `localStorage` key of the session for the knowledge base at `kb_url` (the key's `v1`
/// is the key scheme; the value carries its own version).
pub fn session_key(kb_url: &str) -> String {
    format!("kefu:v1:session:{kb_url}")
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// What a stored value turned out to be.
#[derive(Debug, Clone, PartialEq)]
pub enum Read {
    /// Read whole; `from` is the stored form's version (older ones were upgraded).
    Session { session: Box<Session>, from: u32 },
    /// It does not read: the transcript lines that could be kept, oldest first, and why the
    /// rest could not.
    Unreadable {
        lines: Vec<TranscriptLine>,
        why: String,
    },
}

/// The first fields of a stored session (it starts with the conversation, which starts
/// with these), for when the whole does not read.
#[derive(Deserialize)]
struct TranscriptPrefix {
    _started_at: Option<Timestamp>,
    _last_active: Option<Timestamp>,
    _turns: u32,
    transcript: Vec<TranscriptLine>,
}

/// Reads a stored value of any version; the conversation is fitted to `engine`'s knowledge
/// base ([`Session::restore`]).
pub fn read(text: &str, engine: &Engine) -> Read {
    let (version, body) = match text.split_once(':') {
        Some((v, body)) => (v.parse::<u32>().ok(), body),
        None => (Some(1), text),
    };
    let Some(bytes) = base64::decode(body) else {
        return Read::Unreadable {
            lines: Vec::new(),
            why: "not base64".to_string(),
        };
    };
    let decoded = match version {
        Some(3) => decode_whole::<Session<SavedConversation>>(&bytes).map(|s| (s, 3)),
        // Version 1 is version 2's bytes without the envelope; 3 added the outbox's images.
        Some(from @ (1 | 2)) => {
            decode_whole::<session::v2::Session>(&bytes).map(|s| (s.into(), from))
        }
        other => Err(format!(
            "stored form version {other:?}; this build reads 1 to {STORED_VERSION}"
        )),
    };
    match decoded {
        Ok((session, from)) => Read::Session {
            session: Box::new(session.restore(engine)),
            from,
        },
        Err(why) => Read::Unreadable {
            lines: postcard::from_bytes::<TranscriptPrefix>(&bytes)
                .map(|p| p.transcript)
                .unwrap_or_default(),
            why,
        },
    }
}

/// Today's layout, all of `bytes` (bytes left over mean another layout, not a session).
fn decode_whole<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    match postcard::take_from_bytes::<T>(bytes) {
        Ok((session, [])) => Ok(session),
        Ok((_, rest)) => Err(format!("{} bytes left over", rest.len())),
        Err(err) => Err(err.to_string()),
    }
}

/// The stored form of `session` (version [`STORED_VERSION`]); `None` if it does not encode.
pub fn write(session: &Session) -> Option<String> {
    let bytes = postcard::to_allocvec(session).ok()?;
    Some(format!("{STORED_VERSION}:{}", base64::encode(&bytes)))
}

/// The saved session, if there is one. A value that does not read gives a new session
/// showing the text it kept and a notice saying the rest is lost (see [`Read`]).
pub fn load(key: &str, engine: &Engine) -> Option<Session> {
    let text = storage()?.get_item(key).ok().flatten()?;
    Some(restore(&text, engine))
}

/// The session a stored value gives (see [`load`]).
pub fn restore(text: &str, engine: &Engine) -> Session {
    match read(text, engine) {
        Read::Session { session, .. } => *session,
        Read::Unreadable { lines, why } => {
            leptos::logging::warn!("kefu: the saved conversation does not read ({why})");
            let kept = !lines.is_empty();
            let mut session = Session::from_transcript(lines);
            session.notice(Notice::Unrestored { kept });
            session
        }
    }
}

/// Saves `session`; failures (private mode, quota) only cost the restore.
pub fn save(key: &str, session: &Session) {
    if let (Some(storage), Some(text)) = (storage(), write(session)) {
        let _ = storage.set_item(key, &text);
    }
}

/// Forgets the saved session ("new conversation"), and the turns waiting with it.
pub fn clear(key: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(key);
        let _ = storage.remove_item(&waiting_key(key));
    }
}

/// The version of the stored waiting turns (`"<version>:<base64 of the postcard bytes of
/// Vec<Turn>>"`): raised, with a reader for the old one, when [`Turn`] changes other than
/// by a variant added last.
const WAITING_VERSION: u32 = 1;

/// The key of the turns waiting beside the session saved under `key`.
fn waiting_key(key: &str) -> String {
    format!("{key}:waiting")
}

/// Saves the turns waiting for a split knowledge base's companion beside the session saved
/// under `key` (none: the key is removed); those not [`Turn::kept`] are left out.
pub fn save_waiting(key: &str, turns: &[Turn]) {
    let Some(storage) = storage() else { return };
    if turns.is_empty() {
        let _ = storage.remove_item(&waiting_key(key));
        return;
    }
    let kept: Vec<&Turn> = turns.iter().filter(|t| t.kept()).collect();
    if let Ok(bytes) = postcard::to_allocvec(&kept) {
        let text = format!("{WAITING_VERSION}:{}", base64::encode(&bytes));
        let _ = storage.set_item(&waiting_key(key), &text);
    }
}

/// The turns that were waiting beside the session saved under `key` (none when there were
/// none or they do not read: they are then forgotten, never run half).
pub fn load_waiting(key: &str) -> Vec<Turn> {
    let Some(text) = storage().and_then(|s| s.get_item(&waiting_key(key)).ok().flatten()) else {
        return Vec::new();
    };
    read_waiting(&text).unwrap_or_else(|why| {
        leptos::logging::warn!("kefu: the turns waiting do not read ({why})");
        Vec::new()
    })
}

/// The turns of a stored value of [`save_waiting`].
pub fn read_waiting(text: &str) -> Result<Vec<Turn>, String> {
    let (version, body) = text.split_once(':').ok_or("no version")?;
    if version != WAITING_VERSION.to_string() {
        return Err(format!(
            "version {version}; this build reads {WAITING_VERSION}"
        ));
    }
    let bytes = base64::decode(body).ok_or("not base64")?;
    decode_whole(&bytes)
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
