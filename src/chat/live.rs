//! The live conversation's WebSocket (`kefu_protocol::ws`): connects after the handoff
//! (and after a reload, from the saved [`crate::session::Live`]), resumes after the last
//! `seq` shown, resends what the server has not acknowledged, reconnects with exponential
//! backoff, and throttles the customer's typing frames.

use kefu_protocol::json;
use kefu_protocol::ws::{ClientFrame, ServerFrame};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::{MessageEvent, WebSocket};

use super::Chat;
use crate::store;

/// Where the live connection stands (shown above the composer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LiveStatus {
    /// No live conversation.
    #[default]
    Idle,
    Connecting,
    Connected,
    /// Lost; the next attempt in this many seconds.
    Reconnecting(u32),
    Offline,
}

/// First reconnect delay; doubled after each failed attempt up to [`MAX_BACKOFF_MS`].
const FIRST_BACKOFF_MS: u32 = 1_000;
const MAX_BACKOFF_MS: u32 = 30_000;
/// At most one `typing` frame per this many milliseconds.
const TYPING_EVERY_MS: f64 = 3_000.0;
/// The agent's typing indicator goes away by itself after this long without news.
const TYPING_SHOWN_MS: u64 = 8_000;

/// The open socket and its handlers (kept alive as long as the socket is).
#[derive(Default)]
pub struct Link {
    socket: Option<WebSocket>,
    handlers: Vec<Closure<dyn FnMut(web_sys::Event)>>,
    /// Bumped for each new socket: events of an older one are ignored.
    generation: u32,
    /// Failed attempts since the last successful connection.
    attempts: u32,
    last_typing: f64,
    typing_shown: u32,
}

impl Chat {
    /// Where the live connection stands, tracked.
    pub fn live_status(&self) -> RwSignal<LiveStatus> {
        self.live_status
    }

    /// Whether the agent is typing, tracked.
    pub fn agent_typing(&self) -> RwSignal<bool> {
        self.agent_typing
    }

    /// Opens (or reopens) the live conversation's socket, unless offline.
    pub(crate) fn connect_live(&self) {
        let Some(live) = self.session.with_untracked(|s| s.live.clone()) else {
            self.live_status.set(LiveStatus::Idle);
            return;
        };
        let Some(api) = self.api.get_value() else {
            return;
        };
        self.drop_socket();
        if !store::online() {
            self.live_status.set(LiveStatus::Offline);
            return;
        }
        let Some(url) = socket_url(&api.base, &live.ws_url, &live.token) else {
            return;
        };
        let generation = self
            .link
            .try_update_value(|l| {
                l.generation += 1;
                l.generation
            })
            .unwrap_or_default();
        self.live_status.set(LiveStatus::Connecting);
        let socket = match WebSocket::new(&url) {
            Ok(s) => s,
            Err(_) => return self.reconnect_later(generation),
        };
        let chat = *self;
        let current = move || chat.link.with_value(|l| l.generation) == generation;
        let on_message = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
            if !current() {
                return;
            }
            let Some(text) = ev
                .dyn_ref::<MessageEvent>()
                .and_then(|m| m.data().as_string())
            else {
                return;
            };
            match json::from_str::<ServerFrame>(&text) {
                Ok(frame) => chat.on_frame(frame),
                Err(err) => leptos::logging::warn!("kefu: unreadable frame ({err})"),
            }
        });
        let on_close = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            if current() {
                chat.link.update_value(|l| l.socket = None);
                chat.reconnect_later(generation);
            }
        });
        socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        self.link.update_value(|l| {
            l.socket = Some(socket);
            l.handlers = vec![on_message, on_close];
        });
    }

    /// The customer's text for the agent: shown, saved in the outbox, sent when connected.
    pub(crate) fn say_live(&self, text: &str) -> bool {
        let Some(out) = self.session.try_update(|s| s.live_say(text)).flatten() else {
            return false;
        };
        self.link.update_value(|l| l.last_typing = 0.0);
        self.send_frame(&ClientFrame::Send {
            id: out.id.clone(),
            content: out.content(),
        });
        true
    }

    /// The customer is typing: at most one frame every few seconds.
    pub fn typing(&self) {
        if !self.session.with_untracked(|s| s.is_live()) {
            return;
        }
        let now = js_sys::Date::now();
        let due = self
            .link
            .with_value(|l| now - l.last_typing >= TYPING_EVERY_MS);
        if due && self.send_frame(&ClientFrame::Typing { typing: true }) {
            self.link.update_value(|l| l.last_typing = now);
        }
    }

    /// The network went away: the socket is closed now (the browser may take a long time
    /// to notice) and reopened when it comes back.
    pub(crate) fn live_offline(&self) {
        if self.session.with_untracked(|s| s.is_live()) {
            self.drop_socket();
            self.live_status.set(LiveStatus::Offline);
        }
    }

    /// The customer ends the live conversation ("new conversation").
    pub(crate) fn end_live(&self) {
        if self.session.with_untracked(|s| s.is_live()) {
            self.send_frame(&ClientFrame::Close);
        }
        self.drop_socket();
        self.live_status.set(LiveStatus::Idle);
        self.agent_typing.set(false);
    }

    fn on_frame(&self, frame: ServerFrame) {
        let welcome = matches!(frame, ServerFrame::Welcome { .. });
        if let ServerFrame::Error { error } = &frame {
            leptos::logging::warn!("kefu: the server refused a frame: {}", error.message);
        }
        let Some(outcome) = self.session.try_update(|s| s.live_frame(frame)) else {
            return;
        };
        if welcome {
            self.link.update_value(|l| l.attempts = 0);
            self.live_status.set(LiveStatus::Connected);
            let (after_seq, outbox) = self.session.with_untracked(|s| {
                s.live
                    .as_ref()
                    .map(|l| (l.last_seq, l.outbox.clone()))
                    .unwrap_or_default()
            });
            self.send_frame(&ClientFrame::Resume { after_seq });
            for o in outbox {
                self.send_frame(&ClientFrame::Send {
                    id: o.id.clone(),
                    content: o.content(),
                });
            }
        }
        if let Some(seq) = outcome.ack {
            self.send_frame(&ClientFrame::Ack { seq });
        }
        if let Some(typing) = outcome.typing {
            self.show_typing(typing);
        }
        if outcome.closed {
            self.drop_socket();
            self.live_status.set(LiveStatus::Idle);
            // Back to the bot, which asks for the rating.
            self.input(kefu_core::dialogue::Input::End);
        }
    }

    fn show_typing(&self, typing: bool) {
        self.agent_typing.set(typing);
        let token = self
            .link
            .try_update_value(|l| {
                l.typing_shown += 1;
                l.typing_shown
            })
            .unwrap_or_default();
        if typing {
            let chat = *self;
            set_timeout(
                move || {
                    if chat.link.with_value(|l| l.typing_shown) == token {
                        chat.agent_typing.set(false);
                    }
                },
                std::time::Duration::from_millis(TYPING_SHOWN_MS),
            );
        }
    }

    /// Sends `frame` if the socket is open; `false` otherwise (the outbox keeps messages).
    pub(super) fn send_frame(&self, frame: &ClientFrame) -> bool {
        let json = json::to_string(frame);
        self.link.with_value(|l| {
            l.socket
                .as_ref()
                .filter(|s| s.ready_state() == WebSocket::OPEN)
                .is_some_and(|s| s.send_with_str(&json).is_ok())
        })
    }

    fn drop_socket(&self) {
        let old = self
            .link
            .try_update_value(|l| {
                l.generation += 1;
                l.handlers.clear();
                l.socket.take()
            })
            .flatten();
        if let Some(socket) = old {
            socket.set_onmessage(None);
            socket.set_onclose(None);
            let _ = socket.close();
        }
    }

    /// Tries again after 1 s, 2 s, 4 s … (at most 30 s); offline, waits for `online`.
    fn reconnect_later(&self, generation: u32) {
        if !self.session.with_untracked(|s| s.is_live()) {
            return;
        }
        if !store::online() {
            self.live_status.set(LiveStatus::Offline);
            return;
        }
        let attempts = self
            .link
            .try_update_value(|l| {
                l.attempts += 1;
                l.attempts
            })
            .unwrap_or(1);
        let delay = backoff_ms(attempts);
        self.live_status
            .set(LiveStatus::Reconnecting(delay.div_ceil(1000)));
        let chat = *self;
        set_timeout(
            move || {
                let same = chat
                    .link
                    .with_value(|l| l.generation == generation && l.socket.is_none());
                if same {
                    chat.connect_live();
                }
            },
            std::time::Duration::from_millis(delay.into()),
        );
    }
}

/// The delay before reconnect attempt `attempt` (1 = the first).
pub fn backoff_ms(attempt: u32) -> u32 {
    let doublings = attempt.saturating_sub(1).min(16);
    FIRST_BACKOFF_MS
        .saturating_mul(1 << doublings)
        .min(MAX_BACKOFF_MS)
}

/// The socket's absolute `ws:`/`wss:` URL: `ws_url` on the server at `base` (an origin, a
/// path or empty for this page's origin), with the token.
fn socket_url(base: &str, ws_url: &str, token: &str) -> Option<String> {
    let page = web_sys::window()?.location().href().ok()?;
    let url = web_sys::Url::new_with_base(&format!("{base}{ws_url}"), &page).ok()?;
    let scheme = if url.protocol() == "https:" {
        "wss:"
    } else {
        "ws:"
    };
    url.set_protocol(scheme);
    url.search_params().set("token", token);
    Some(url.href())
}
