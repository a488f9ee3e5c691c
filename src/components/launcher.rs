//! The round button in the corner that opens and closes the chat window.

use leptos::html::Button;
use leptos::prelude::*;

use crate::components::icons::{ChatIcon, CloseIcon};
use crate::i18n::{use_i18n, Key};

#[component]
pub fn Launcher(open: RwSignal<bool>, launcher: NodeRef<Button>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <button
            type="button"
            node_ref=launcher
            class="kefu-launcher"
            data-testid="kefu-launcher"
            aria-controls="kefu-window"
            aria-haspopup="dialog"
            aria-expanded=move || open.get().to_string()
            aria-label=move || i18n.t(if open.get() { Key::CloseChat } else { Key::OpenChat })
            on:click=move |_| open.update(|o| *o = !*o)
        >
            {move || if open.get() { view! { <CloseIcon /> }.into_any() } else { view! { <ChatIcon /> }.into_any() }}
        </button>
    }
}
