//! The chat window: header, then the loading notice, the load error or the conversation.

use std::sync::Arc;

use kefu_core::Engine;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::chat::provide_chat_context;
use crate::components::composer::Composer;
use crate::components::header::Header;
use crate::components::launcher::LAUNCHER_ID;
use crate::components::load_error::LoadErrorPanel;
use crate::components::message_list::MessageList;
use crate::i18n::{use_i18n, Key};
use crate::loader::LoadState;

#[component]
pub fn ChatWindow(
    open: RwSignal<bool>,
    load: RwSignal<LoadState>,
    fullscreen: bool,
    retry: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let body = move || {
        match load.get() {
        LoadState::Loading => view! {
            <p class="kefu-status" role="status" data-testid="kefu-loading">{i18n.t(Key::Loading)}</p>
        }
        .into_any(),
        LoadState::Failed(failure) => view! { <LoadErrorPanel failure retry /> }.into_any(),
        LoadState::Ready(engine) => view! { <ChatBody engine open /> }.into_any(),
    }
    };
    view! {
        <section
            id="kefu-window"
            class="kefu-window"
            role="dialog"
            aria-label=i18n.t(Key::WindowLabel)
            data-testid="kefu-window"
            hidden=move || !open.get()
            on:keydown=move |ev| {
                if ev.key() == "Escape" && !ev.default_prevented() && !fullscreen {
                    open.set(false);
                    focus_launcher();
                }
            }
        >
            <Header open load fullscreen />
            {body}
        </section>
    }
}

/// Gives the focus back to the launcher when Escape closes the window.
fn focus_launcher() {
    let launcher = document().get_element_by_id(LAUNCHER_ID);
    if let Some(launcher) = launcher.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = launcher.focus();
    }
}

/// The loaded conversation: messages and the composer.
#[component]
fn ChatBody(engine: Arc<Engine>, open: RwSignal<bool>) -> impl IntoView {
    provide_chat_context(engine);
    view! {
        <MessageList />
        <Composer open />
    }
}
