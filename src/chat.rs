//! The chat shared with the components: the engine, the session signal, the server, and the
//! actions the components call. Every customer turn goes through the engine
//! ([`Session`] → `Conversation::respond`); this module carries out what the engine asks for
//! (order lookups, handoff, leave-a-message), says clearly when it cannot, queues what needs
//! the network while offline, saves the session after every change and reports events to the
//! host page (`kefu.on`).

use kefu_core::dialogue::locale::Locale;
use kefu_core::dialogue::{Action, Choice, Input, Message, OrderLookup};
use kefu_core::{Engine, Suggestion};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::*;

use kefu_protocol::events::{Event, EventKind};
use kefu_protocol::ErrorCode;

use crate::api::{Api, ApiError};
use crate::bridge::Bridge;
use crate::config::User;
use crate::i18n::Lang;
use crate::session::{service_of, JobState, Notice, Service, Session};
use crate::store;

mod companion;
mod live;
mod preview;
mod uploads;
pub use companion::{Shown, Turn};
pub use live::{backoff_ms, LiveStatus};

/// How many typeahead suggestions the composer shows.
pub const SUGGESTION_LIMIT: usize = 5;
/// Seconds between retries of a request whose server did not answer.
const RETRY_SECS: u32 = 10;

/// Handle to the loaded engine, the session and the server. Cheap to copy into handlers.
#[derive(Clone, Copy)]
pub struct Chat {
    /// The only engine: the chat owns it (a split knowledge base's companion is attached to
    /// it in place).
    engine: StoredValue<Engine>,
    session: RwSignal<Session>,
    api: StoredValue<Option<Api>>,
    locale: StoredValue<&'static str>,
    key: StoredValue<String>,
    bridge: StoredValue<Bridge>,
    in_flight: StoredValue<Vec<u32>>,
    events: StoredValue<Vec<Event>>,
    /// The live conversation's socket (see [`live`]).
    link: StoredValue<live::Link, LocalStorage>,
    live_status: RwSignal<LiveStatus>,
    agent_typing: RwSignal<bool>,
    /// Images for the agent waiting to be uploaded (see [`uploads`]).
    uploads: StoredValue<uploads::Uploads, LocalStorage>,
    /// The images and flow photos being uploaded right now, by id.
    sending: RwSignal<Vec<String>>,
    /// A split knowledge base's companion and the turns waiting for it (see [`companion`]).
    companion: StoredValue<companion::Companion, LocalStorage>,
    /// The turns waiting for the companion, shown at once (see [`companion`]).
    waiting: RwSignal<Vec<Turn>>,
    /// Counts the conversations of this chat: a request answered after "new conversation"
    /// belongs to the one before and is dropped.
    generation: StoredValue<u32>,
}

impl Chat {
    /// Reads the engine.
    pub fn with_engine<T>(&self, f: impl FnOnce(&Engine) -> T) -> T {
        self.engine.with_value(|engine| f(engine))
    }

    /// The session, tracked.
    pub fn session(&self) -> RwSignal<Session> {
        self.session
    }

    /// Whether a server is configured.
    pub fn has_api(&self) -> bool {
        self.api.with_value(Option::is_some)
    }

    /// The window opened: the welcome the first time.
    pub fn open(&self) {
        if !self.session.with_untracked(Session::is_open) {
            self.event(EventKind::Opened);
        }
        self.turn(Turn::Open);
    }

    /// The customer sent `text`. Returns whether anything was said.
    pub fn say(&self, text: &str) -> bool {
        if self.session.with_untracked(Session::is_live) {
            let said = self.say_live(text);
            if said {
                self.bridge.with_value(|b| b.customer(text.trim()));
            }
            return said;
        }
        // Digits typed while an order lookup asks for them answer that request, not the bot.
        let phone = self
            .session
            .with_untracked(|s| s.job_needing_phone().zip(crate::session::phone_last4(text)));
        if let Some((job, digits)) = phone {
            self.session.update(|s| s.customer_said(text));
            self.phone_digits(job, digits);
            return true;
        }
        let said = self.turn(Turn::Say(text.to_string()));
        if said {
            self.bridge.with_value(|b| b.customer(text.trim()));
        }
        said
    }

    /// The customer clicked a quick reply, choice, option or rating.
    pub fn choose(&self, label: &str, choice: Choice) {
        // Talking to an agent: an older quick reply clicked now is said to them.
        if !matches!(choice, Choice::Rate(_)) && self.session.with_untracked(Session::is_live) {
            self.say(label);
            return;
        }
        if let Choice::Rate(satisfied) = choice {
            self.bridge.with_value(|b| b.rating(satisfied));
            self.event(EventKind::Rating {
                satisfied,
                reason: None,
            });
        }
        self.bridge.with_value(|b| b.customer(label));
        self.turn(Turn::Choose {
            label: label.to_string(),
            choice,
        });
    }

    /// The customer sent the leave-a-message form.
    pub fn leave_message(&self, contact: String, question: String) {
        self.turn(Turn::LeaveMessage { contact, question });
    }

    /// A notice of the widget's own.
    pub fn notice(&self, notice: Notice) {
        self.session.update(|s| {
            s.notice(notice);
        });
    }

    /// Says the network is down, unless the newest notice already says so.
    fn offline_notice(&self) {
        if !self.session.with_untracked(Session::offline_said) {
            self.notice(Notice::Offline);
        }
    }

    /// Any input for the engine.
    pub fn input(&self, input: Input) {
        self.turn(Turn::Input(input));
    }

    /// The customer gave the phone digits an anonymous order lookup needs.
    pub fn phone_digits(&self, job: u32, digits: String) {
        self.session.update(|s| {
            if let Some(j) = s.job_mut(job) {
                j.phone_last4 = Some(digits);
            }
            s.set_job_state(job, JobState::Queued);
        });
        self.run(job);
    }

    /// Starts a new conversation: forgets the saved one and shows the welcome again.
    /// Everything still under way belongs to the conversation left and is dropped with it:
    /// turns waiting for a split knowledge base's companion (never answered, in neither
    /// conversation), requests queued for the network (never sent), and the outcome of a
    /// request already on its way (not shown in the new conversation).
    pub fn restart(&self) {
        self.end_live();
        self.drop_waiting();
        self.generation.update_value(|g| *g = g.wrapping_add(1));
        // The old conversation ends now, whatever its turns were waiting for.
        self.engine.with_value(|engine| {
            self.update(|s| s.respond(engine, Input::End, store::now()));
        });
        self.key.with_value(|k| store::clear(k));
        self.session.set(Session::new());
        self.open();
    }

    /// The widget's language changed (or was first set): the engine speaks it too.
    pub fn set_locale(&self, lang: Lang) {
        self.locale.set_value(lang.tag());
        let Some(locale) = Locale::parse(lang.tag()) else {
            return;
        };
        // Checked when the turn runs: turns waiting for a split knowledge base's companion
        // may change the conversation's language before it.
        self.turn(Turn::SetLocale(locale));
    }

    /// The host set or changed the verified customer.
    pub fn set_user(&self, user: Option<User>) {
        self.api.update_value(|api| {
            if let Some(api) = api {
                api.user = user;
            }
        });
    }

    /// Typeahead suggestions for a partly typed question, in the conversation's language.
    pub fn suggest(&self, partial: &str) -> Vec<Suggestion> {
        let locale = self.session.with_untracked(|s| s.conversation.locale());
        self.with_engine(|engine| engine.suggest_in(partial, SUGGESTION_LIMIT, locale))
    }

    /// Sends every queued request (back online, or at start).
    pub fn flush(&self) {
        // A split knowledge base's companion that could not be downloaded is tried again.
        self.fetch_companion();
        let jobs: Vec<u32> = self
            .session
            .with_untracked(|s| s.queue.iter().map(|j| j.id).collect());
        for job in jobs {
            self.run(job);
        }
        self.flush_images();
    }

    fn update<T>(&self, f: impl FnOnce(&mut Session) -> T) -> T {
        let before = self.session.with_untracked(|s| s.items.len());
        let out = self
            .session
            .try_update(f)
            .expect("the session lives as long as the chat");
        let fresh: Vec<Message> = self.session.with_untracked(|s| {
            s.items[before.min(s.items.len())..]
                .iter()
                .filter_map(|i| match &i.said {
                    crate::session::Said::Bot(m) => Some(m.clone()),
                    _ => None,
                })
                .collect()
        });
        for message in &fresh {
            self.bridge.with_value(|b| b.bot(message));
            self.record(message);
        }
        out
    }

    /// Carries out what the engine asked for.
    fn after(&self, action: Option<Action>) {
        let Some(action) = action else { return };
        if let Action::HandOff(h) = &action {
            self.bridge.with_value(|b| b.handoff(h.reason.code()));
            self.event(EventKind::Handoff { reason: h.reason });
        }
        let service = service_of(&action);
        if !self.has_api() {
            self.notice(Notice::Unavailable(service));
            if let Action::LookUpOrder { order_no } = action {
                self.input(Input::Order(OrderLookup::Failed { order_no }));
            }
            return;
        }
        let job = self.session.try_update(|s| s.enqueue(action, service));
        if let Some(job) = job {
            if store::online() {
                self.run(job);
            }
        }
    }

    /// Sends job `id` unless it is already on its way.
    fn run(&self, id: u32) {
        let Some(job) = self.session.with_untracked(|s| s.job(id).cloned()) else {
            return;
        };
        let Some(api) = self.api.get_value() else {
            return;
        };
        if self.in_flight.with_value(|f| f.contains(&id)) {
            return;
        }
        self.in_flight.update_value(|f| f.push(id));
        self.session
            .update(|s| s.set_job_state(id, JobState::Sending));
        let chat = *self;
        let locale = self.locale.get_value();
        let generation = self.generation.get_value();
        // Answered after "new conversation": it was the old one's.
        let gone = move || chat.generation.get_value() != generation;
        spawn_local(async move {
            let outcome = match &job.action {
                Action::LookUpOrder { order_no } => {
                    let result = api.order(order_no, job.phone_last4.as_deref()).await;
                    chat.in_flight.update_value(|f| f.retain(|j| *j != id));
                    if !gone() {
                        chat.order_result(id, order_no.clone(), job.phone_last4.is_some(), result);
                    }
                    return;
                }
                Action::HandOff(handoff) => {
                    let created = api.hand_off(handoff, locale).await;
                    if gone() {
                        chat.in_flight.update_value(|f| f.retain(|j| *j != id));
                        return;
                    }
                    created.map(|created| {
                        chat.session
                            .update(|s| s.start_live(&created, store::client_id()));
                        chat.connect_live();
                    })
                }
                Action::LeaveMessage(message) => api.leave_message(message, locale).await,
            };
            chat.in_flight.update_value(|f| f.retain(|j| *j != id));
            if gone() {
                return;
            }
            match outcome {
                Ok(()) => chat.session.update(|s| s.set_job_state(id, JobState::Sent)),
                Err(err) if err.is_transient() => chat.retry_later(id),
                Err(err) => chat
                    .session
                    .update(|s| s.set_job_state(id, JobState::Failed(err.reason()))),
            }
        });
    }

    fn retry_later(&self, id: u32) {
        self.session
            .update(|s| s.set_job_state(id, JobState::Queued));
        let chat = *self;
        let generation = self.generation.get_value();
        set_timeout(
            move || {
                if store::online() && chat.generation.get_value() == generation {
                    chat.run(id);
                }
            },
            std::time::Duration::from_secs(RETRY_SECS.into()),
        );
    }

    fn order_result(
        &self,
        id: u32,
        order_no: String,
        gave_phone: bool,
        result: Result<kefu_core::dialogue::OrderInfo, ApiError>,
    ) {
        let lookup = match result {
            Ok(info) => OrderLookup::Found(info),
            Err(ApiError::Status {
                code: ErrorCode::OrderNotFound | ErrorCode::NotFound,
                ..
            }) => OrderLookup::NotFound { order_no },
            Err(ApiError::Status {
                code: ErrorCode::IdentityRequired,
                ..
            }) if !gave_phone => {
                self.session.update(|s| {
                    s.set_job_state(id, JobState::NeedsPhone);
                    s.notice(Notice::AskPhone { order_no, job: id });
                });
                return;
            }
            Err(ApiError::Status {
                status: 429,
                retry_after,
                ..
            }) => {
                self.notice(Notice::TooManyTries {
                    secs: retry_after.unwrap_or(60),
                });
                OrderLookup::Failed { order_no }
            }
            Err(err) if err.is_transient() => return self.retry_later(id),
            Err(err) => {
                self.session
                    .update(|s| s.set_job_state(id, JobState::Failed(err.reason())));
                self.input(Input::Order(OrderLookup::Failed { order_no }));
                return;
            }
        };
        self.session.update(|s| s.set_job_state(id, JobState::Sent));
        self.input(Input::Order(lookup));
    }

    /// Remembers an anonymous statistic for the next batch (entry ids and kinds only; the
    /// fallback's question is not sent, as it may hold personal data).
    fn record(&self, message: &Message) {
        if !self.has_api() {
            return;
        }
        let kind = match message {
            Message::Answer { entry, .. } => EventKind::Answered {
                entry: entry.clone(),
            },
            Message::Clarify { choices, .. } => EventKind::Clarify {
                entries: choices
                    .iter()
                    .filter_map(|c| match &c.choice {
                        Choice::Entry(id) => Some(id.clone()),
                        _ => None,
                    })
                    .collect(),
            },
            Message::Fallback { .. } => EventKind::Fallback {
                text: String::new(),
            },
            _ => return,
        };
        self.event(kind);
    }

    fn event(&self, kind: EventKind) {
        if self.has_api() {
            let at = store::now();
            self.events.update_value(|e| e.push(Event { at, kind }));
        }
    }

    /// Sends the statistics collected so far (every 30 s and when the page is hidden).
    pub fn send_events(&self) {
        let Some(api) = self.api.get_value() else {
            return;
        };
        let batch = self
            .events
            .try_update_value(std::mem::take)
            .unwrap_or_default();
        if batch.is_empty() || !store::online() {
            self.events.update_value(|e| {
                e.splice(0..0, batch);
            });
            return;
        }
        let chat = *self;
        spawn_local(async move {
            if let Err(err) = api.events(batch.clone()).await {
                if err.is_transient() {
                    chat.events.update_value(|e| {
                        e.splice(0..0, batch);
                    });
                }
            }
        });
    }
}

/// Starts the chat with `engine` (restoring the saved session for `kb_url`) and provides it
/// to the components below.
pub fn provide_chat_context(
    engine: Engine,
    kb_url: &str,
    api: Option<Api>,
    locale: &'static str,
    bridge: Bridge,
) -> Chat {
    let key = store::session_key(kb_url);
    // Fitted to the knowledge base it meets (a save of another build forgets what this lacks).
    let session = store::load(&key, &engine).unwrap_or_default();
    // Turns that were waiting for the companion when the page went away run again, once.
    let waited = store::load_waiting(&key);
    let chat = Chat {
        engine: StoredValue::new(engine),
        session: RwSignal::new(session),
        api: StoredValue::new(api),
        locale: StoredValue::new(locale),
        key: StoredValue::new(key),
        bridge: StoredValue::new(bridge),
        in_flight: StoredValue::new(Vec::new()),
        events: StoredValue::new(Vec::new()),
        link: StoredValue::new_local(live::Link::default()),
        live_status: RwSignal::new(LiveStatus::Idle),
        agent_typing: RwSignal::new(false),
        uploads: StoredValue::new_local(uploads::Uploads::default()),
        sending: RwSignal::new(Vec::new()),
        companion: StoredValue::new_local(companion::Companion::default()),
        waiting: RwSignal::new(Vec::new()),
        generation: StoredValue::new(0),
    };
    chat.start_companion(kb_url);
    for turn in waited {
        chat.turn(turn);
    }
    // The session and the turns waiting, saved together after every change.
    Effect::new(move |_| {
        chat.session.with(|s| {
            chat.waiting.with(|w| {
                chat.key.with_value(|k| {
                    store::save(k, s);
                    store::save_waiting(k, w);
                })
            })
        });
    });
    if !store::online() {
        // Started without a network (a reload offline): say so, as when it goes away.
        chat.offline_notice();
    }
    watch_network(chat);
    provide_context(chat);
    chat.forget_unneeded_images();
    chat.flush();
    // A reload during a live conversation reconnects and resumes.
    chat.connect_live();
    chat
}

fn watch_network(chat: Chat) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let online = Closure::<dyn Fn()>::new(move || {
        chat.notice(Notice::Online);
        chat.flush();
        chat.send_events();
        if chat.live_status.get_untracked() == LiveStatus::Offline {
            chat.connect_live();
        }
    });
    let offline = Closure::<dyn Fn()>::new(move || {
        chat.offline_notice();
        chat.live_offline();
    });
    let hidden = Closure::<dyn Fn()>::new(move || chat.send_events());
    let _ = window.add_event_listener_with_callback("online", online.as_ref().unchecked_ref());
    let _ = window.add_event_listener_with_callback("offline", offline.as_ref().unchecked_ref());
    let _ = window.add_event_listener_with_callback("pagehide", hidden.as_ref().unchecked_ref());
    let _ = window.set_interval_with_callback_and_timeout_and_arguments_0(
        hidden.as_ref().unchecked_ref(),
        30_000,
    );
    online.forget();
    offline.forget();
    hidden.forget();
}

/// The chat provided by [`provide_chat_context`].
pub fn use_chat() -> Chat {
    expect_context::<Chat>()
}

/// How notices name a service.
pub fn service_key(service: Service) -> crate::i18n::Key {
    use crate::i18n::Key;
    match service {
        Service::Orders => Key::WhatOrder,
        Service::Agents => Key::WhatHandoff,
        Service::Messages => Key::WhatMessage,
    }
}
