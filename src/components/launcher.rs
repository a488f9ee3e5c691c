//! The round button in the bottom-right corner that opens and closes the chat window.

use leptos::prelude::*;

use crate::components::icons::{ChatIcon, CloseIcon};
use crate::i18n::{use_i18n, Key};

/// The launcher's DOM id (the window gives it the focus back when Escape closes it).
pub const LAUNCHER_ID: &str = "kefu-launcher";

#[component]
pub fn Launcher(open: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <button
            type="button"
            id=LAUNCHER_ID
            class="kefu-launcher"
            data-testid="kefu-launcher"
            aria-controls="kefu-window"
            aria-expanded=move || open.get().to_string()
            aria-label=move || i18n.t(if open.get() { Key::CloseChat } else { Key::OpenChat })
            on:click=move |_| open.update(|o| *o = !*o)
        >
            {move || if open.get() { view! { <CloseIcon /> }.into_any() } else { view! { <ChatIcon /> }.into_any() }}
        </button>
    }
}
