//! The window's header: the shop's avatar and name, "new conversation" and a close button.

use leptos::prelude::*;

use crate::chat::Chat;
use crate::components::app::Look;
use crate::components::avatar::BrandAvatar;
use crate::components::icons::{CloseIcon, RestartIcon};
use crate::i18n::{use_i18n, Key};
use crate::loader::LoadState;

#[component]
pub fn Header(
    look: Memo<Look>,
    fullscreen: bool,
    chat: RwSignal<Option<Chat>>,
    load: RwSignal<LoadState>,
    close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let title = move || {
        look.with(|l| Some(l.title.clone()).filter(|t| !t.is_empty()))
            .unwrap_or_else(|| i18n.t(Key::WindowLabel).to_string())
    };
    view! {
        <header class="kefu-header">
            {move || {
                let url = look.with(|l| l.avatar.clone());
                view! { <BrandAvatar url name=title() alt=i18n.t(Key::AvatarAlt) /> }
            }}
            <div class="kefu-header-text">
                <h2 class="kefu-title" data-testid="kefu-title">{title}</h2>
                <p class="kefu-subtitle" data-testid="kefu-subtitle">{move || {
                    // While an agent serves the customer, their name instead of the bot's line.
                    let agent = chat.get().and_then(|c| c.session().with(|s| s.serving_agent()));
                    let failed = load.with(|l| matches!(l, LoadState::Failed(_)));
                    match agent {
                        // The knowledge base did not load: the assistant is not there.
                        None if failed => i18n.t(Key::SubtitleError).to_string(),
                        Some(name) => i18n.fill(Key::AgentServing, &[("name", &name)]),
                        // Offline, the line says so: FAQ answers go on, the rest waits.
                        None if chat.get().is_some_and(|c| c.session().with(|s| s.offline_said())) => {
                            i18n.t(Key::SubtitleOffline).to_string()
                        }
                        None => i18n.t(Key::Subtitle).to_string(),
                    }
                }}</p>
            </div>
            <button
                type="button"
                class="kefu-header-button"
                data-testid="kefu-restart"
                aria-label=i18n.t(Key::NewConversation)
                title=i18n.t(Key::NewConversation)
                disabled=move || chat.with(Option::is_none)
                on:click=move |_| {
                    if let Some(chat) = chat.get_untracked() {
                        chat.restart();
                    }
                }
            >
                <RestartIcon />
            </button>
            <Show when=move || !fullscreen>
                <button
                    type="button"
                    class="kefu-header-button"
                    data-testid="kefu-close"
                    aria-label=i18n.t(Key::CloseChat)
                    title=i18n.t(Key::CloseChat)
                    on:click=move |_| close.run(())
                >
                    <CloseIcon />
                </button>
            </Show>
        </header>
    }
}
