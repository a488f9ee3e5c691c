//! The root: reads the page configuration, starts loading the knowledge base and lays out
//! the launcher and the chat window.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::chat_window::ChatWindow;
use crate::components::launcher::Launcher;
use crate::config::WidgetConfig;
use crate::i18n::provide_i18n_context;
use crate::loader::{load_engine, LoadState};

/// Brand colours used until the knowledge base says otherwise (also in the stylesheet).
const DEFAULT_PRIMARY: &str = "#1677ff";
const DEFAULT_ON_PRIMARY: &str = "#ffffff";

/// The whole widget.
#[component]
pub fn App() -> impl IntoView {
    let config = WidgetConfig::from_page();
    provide_i18n_context(config.lang);
    let fullscreen = config.fullscreen;
    let open = RwSignal::new(fullscreen);
    let load = RwSignal::new(LoadState::Loading);
    let kb_url = config.kb_url.clone();
    let start_loading = move || {
        load.set(LoadState::Loading);
        let url = kb_url.clone();
        spawn_local(async move {
            let state = match load_engine(&url).await {
                Ok(engine) => LoadState::Ready(Arc::new(engine)),
                Err(failure) => {
                    leptos::logging::error!("kefu: {failure}");
                    LoadState::Failed(Arc::new(failure))
                }
            };
            load.set(state);
        });
    };
    start_loading();
    let retry = Callback::new(move |()| start_loading());
    let colour = move |pick: fn(&kefu_core::kb::Brand) -> &str, default: &'static str| {
        move || {
            load.with(|s| s.brand())
                .map_or(default.to_string(), |b| safe_colour(pick(&b), default))
        }
    };

    view! {
        <div
            class="kefu"
            class:kefu--fullscreen=fullscreen
            class:kefu--open=move || open.get()
            lang=config.lang.tag()
            style=("--kefu-primary", colour(|b| &b.primary_color, DEFAULT_PRIMARY))
            style=("--kefu-on-primary", colour(|b| &b.on_primary_color, DEFAULT_ON_PRIMARY))
        >
            <ChatWindow open load fullscreen retry />
            <Show when=move || !fullscreen>
                <Launcher open />
            </Show>
        </div>
    }
}

/// `value` if it looks like a plain CSS colour (`#e8590c`, `rgb(1 2 3)`, `tomato`), else
/// `default`: a knowledge base cannot smuggle other declarations into the style.
fn safe_colour(value: &str, default: &str) -> String {
    let value = value.trim();
    let plain = !value.is_empty()
        && value.len() <= 64
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " #(),.%/-".contains(c));
    if plain {
        value.to_string()
    } else {
        default.to_string()
    }
}
