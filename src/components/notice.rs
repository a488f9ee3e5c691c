//! The widget's own notices: services without a server, requests and where they stand,
//! the handoff queue, the network going down and coming back.

use leptos::prelude::*;

use crate::chat::service_key;
use crate::components::forms::PhoneForm;
use crate::i18n::{use_i18n, Key};
use crate::session::{JobState, Notice, Service};

#[component]
pub fn WidgetNotice(notice: Notice, spent: Signal<bool>) -> impl IntoView {
    let _ = spent;
    let i18n = use_i18n();
    let line = |testid: &'static str, kind: &'static str, text: String| {
        view! {
            <div class="kefu-msg kefu-msg--notice" data-testid=testid data-kind=kind>
                <p class="kefu-notice" role="status">
                    <span class="kefu-sr-only">{i18n.t(Key::SystemNotice)}</span>
                    {text}
                </p>
            </div>
        }
        .into_any()
    };
    match notice {
        Notice::Unavailable(service) => {
            let (key, testid) = match service {
                Service::Orders => (Key::OrdersUnavailable, "kefu-notice"),
                Service::Agents => (Key::AgentsUnavailable, "handoff-notice"),
                Service::Messages => (Key::MessagesUnavailable, "kefu-notice"),
            };
            line(testid, "unavailable", i18n.t(key).to_string())
        }
        Notice::Job { service, state, .. } => {
            let what = i18n.t(service_key(service));
            let (key, kind) = match &state {
                JobState::Queued => (Key::Queued, "queued"),
                JobState::Sending => (Key::Sending, "sending"),
                JobState::Sent => (Key::Sent, "sent"),
                JobState::Failed(_) => (Key::SendFailed, "failed"),
                JobState::NeedsPhone => return ().into_any(),
            };
            let reason = match &state {
                JobState::Failed(reason) => reason.clone(),
                _ => String::new(),
            };
            line("job-status", kind, i18n.fill(key, &[("what", what), ("reason", &reason)]))
        }
        Notice::AskPhone { order_no, job } => view! {
            <div class="kefu-msg kefu-msg--bot"><div class="kefu-msg-body"><PhoneForm order_no job /></div></div>
        }
        .into_any(),
        Notice::TooManyTries { secs } => {
            line("kefu-notice", "too-many-tries", i18n.fill(Key::TooManyTries, &[("secs", &secs.to_string())]))
        }
        Notice::Queue { position, minutes } => {
            let text = match (position, minutes) {
                (Some(n), Some(m)) => i18n.fill(Key::HandoffQueued, &[("n", &n.to_string()), ("mins", &m.to_string())]),
                (Some(n), None) if n > 0 => i18n.fill(Key::HandoffPosition, &[("n", &n.to_string())]),
                _ => i18n.t(Key::HandoffWaiting).to_string(),
            };
            line("handoff-notice", "queue", text)
        }
        Notice::AgentJoined(name) => line("handoff-notice", "agent-joined", i18n.fill(Key::AgentJoined, &[("name", &name)])),
        Notice::AgentLeft(name) => line("handoff-notice", "agent-left", i18n.fill(Key::AgentLeft, &[("name", &name)])),
        Notice::LiveClosed => line("handoff-notice", "closed", i18n.t(Key::LiveClosed).to_string()),
        Notice::LiveSystem(text) => line("kefu-notice", "system", text),
        Notice::Refused(text) => line("kefu-notice", "refused", text),
        Notice::Offline => line("kefu-notice", "offline", i18n.t(Key::Offline).to_string()),
        Notice::Online => line("kefu-notice", "online", i18n.t(Key::BackOnline).to_string()),
        Notice::ImageFailed { name, reason } => {
            line("kefu-notice", "image-failed", i18n.fill(Key::ImageFailed, &[("name", &name), ("reason", &reason)]))
        }
        Notice::PhotoUnavailable => line("kefu-notice", "unavailable", i18n.t(Key::PhotoUnavailable).to_string()),
        Notice::Unrestored { kept } => {
            let key = if kept { Key::UnrestoredKept } else { Key::UnrestoredLost };
            line("kefu-notice", "unrestored", i18n.t(key).to_string())
        }
    }
}
