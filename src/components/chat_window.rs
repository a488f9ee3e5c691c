//! The chat window: header, then the loading notice, the load error or the conversation.

use leptos::html::Button;
use leptos::prelude::*;

use crate::chat::{Chat, LiveStatus};
use crate::components::app::Look;
use crate::components::composer::Composer;
use crate::components::header::Header;
use crate::components::load_error::LoadErrorPanel;
use crate::components::message_list::MessageList;
use crate::i18n::{use_i18n, Key};
use crate::loader::LoadState;

#[component]
pub fn ChatWindow(
    open: RwSignal<bool>,
    load: RwSignal<LoadState>,
    chat: RwSignal<Option<Chat>>,
    fullscreen: bool,
    retry: Callback<()>,
    launcher: NodeRef<Button>,
    look: Memo<Look>,
) -> impl IntoView {
    let i18n = use_i18n();
    let body = move || {
        match load.get() {
        LoadState::Loading => view! {
            <p class="kefu-status" role="status" data-testid="kefu-loading">{i18n.t(Key::Loading)}</p>
        }
        .into_any(),
        LoadState::Failed(failure) => view! { <LoadErrorPanel failure retry /> }.into_any(),
        LoadState::Ready(_) => match chat.get_untracked() {
            Some(chat) => {
                provide_context(chat);
                view! {
                    <MessageList />
                    <LiveBar chat />
                    <Composer open />
                }
                .into_any()
            }
            None => ().into_any(),
        },
    }
    };
    let close = move || {
        open.set(false);
        if let Some(launcher) = launcher.get_untracked() {
            let _ = launcher.focus();
        }
    };
    view! {
        <section
            id="kefu-window"
            class="kefu-window"
            role="dialog"
            aria-modal=move || fullscreen.to_string()
            aria-label=i18n.t(Key::WindowLabel)
            data-testid="kefu-window"
            hidden=move || !open.get()
            on:keydown=move |ev| {
                if ev.key() == "Escape" && !ev.default_prevented() && !fullscreen {
                    close();
                }
            }
        >
            <Header look fullscreen chat load close=Callback::new(move |()| close()) />
            {body}
        </section>
    }
}

/// The live conversation's connection state and the agent's typing indicator.
#[component]
fn LiveBar(chat: Chat) -> impl IntoView {
    let i18n = use_i18n();
    let status = chat.live_status();
    let typing = chat.agent_typing();
    let text = move || match status.get() {
        LiveStatus::Idle => String::new(),
        LiveStatus::Connecting => i18n.t(Key::LiveConnecting).to_string(),
        LiveStatus::Connected => i18n.t(Key::LiveConnected).to_string(),
        LiveStatus::Reconnecting(secs) => {
            i18n.fill(Key::LiveReconnecting, &[("secs", &secs.to_string())])
        }
        LiveStatus::Offline => i18n.t(Key::LiveOffline).to_string(),
    };
    let state = move || match status.get() {
        LiveStatus::Idle => "idle",
        LiveStatus::Connecting => "connecting",
        LiveStatus::Connected => "connected",
        LiveStatus::Reconnecting(_) => "reconnecting",
        LiveStatus::Offline => "offline",
    };
    view! {
        <Show when=move || status.get() != LiveStatus::Idle>
            <div class="kefu-live" data-testid="live-status" data-state=state role="status">
                <span class="kefu-live-state">{text}</span>
                <Show when=move || typing.get()>
                    <span class="kefu-typing" data-testid="agent-typing">{i18n.t(Key::AgentTyping)}</span>
                </Show>
            </div>
        </Show>
    }
}
