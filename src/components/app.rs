//! The root: starts loading the knowledge base, starts the chat once it is there, connects
//! the JS API's controls to it, and lays out the launcher and the chat window with the
//! theme (knowledge base first, page settings over it).

use std::sync::Arc;

use leptos::html::Button;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::Api;
use crate::bridge::Bridge;
use crate::chat::{provide_chat_context, Chat};
use crate::components::chat_window::ChatWindow;
use crate::components::launcher::Launcher;
use crate::config::{User, WidgetConfig};
use crate::i18n::{provide_i18n_context, Lang};
use crate::loader::{load_engine, with_preview, LoadState};

/// Brand colours used until the knowledge base says otherwise (also in the stylesheet).
const DEFAULT_PRIMARY: &str = "#1677ff";
const DEFAULT_ON_PRIMARY: &str = "#ffffff";

/// What the JS API changes: `kefu.open()`, `ask(…)`, `setUser(…)`, `setLocale(…)`.
#[derive(Clone, Copy)]
pub struct Controls {
    pub open: RwSignal<bool>,
    pub asks: RwSignal<Vec<String>>,
    pub user: RwSignal<Option<User>>,
    pub lang: RwSignal<Lang>,
    /// Whether the page chose the language (settings, URL, `kefu.setLocale`): then the UI
    /// keeps it; otherwise it follows the language the conversation is in.
    pub lang_chosen: RwSignal<bool>,
}

impl Controls {
    pub fn new(config: &WidgetConfig) -> Controls {
        Controls {
            open: RwSignal::new(config.fullscreen),
            asks: RwSignal::new(Vec::new()),
            user: RwSignal::new(config.user.clone()),
            lang: RwSignal::new(config.lang),
            lang_chosen: RwSignal::new(config.lang_chosen),
        }
    }
}

/// The brand as shown: title and avatar URL.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Look {
    pub title: String,
    pub avatar: String,
}

/// The whole widget.
#[component]
pub fn App(config: WidgetConfig, controls: Controls, bridge: Bridge) -> impl IntoView {
    let owner = Owner::current().expect("the widget is mounted under an owner");
    let bridge = StoredValue::new_local(bridge);
    let open = controls.open;
    let fullscreen = config.fullscreen;
    let load = RwSignal::new(LoadState::Loading);
    let chat = RwSignal::new(None::<Chat>);
    let launcher = NodeRef::<Button>::new();
    let api = config.api.clone().map(|base| Api {
        base,
        user: config.user.clone(),
    });
    let kb_url = config.kb_url.clone();
    let preview = config.preview.clone();
    let sample = StoredValue::new(preview.as_ref().and_then(|p| p.sample.clone()));
    let locale = controls.lang.get_untracked().tag();
    let start_loading = move || {
        load.set(LoadState::Loading);
        let (url, api, owner, preview) =
            (kb_url.clone(), api.clone(), owner.clone(), preview.clone());
        spawn_local(async move {
            match load_engine(&url).await {
                Ok(engine) => {
                    let engine = match &preview {
                        Some(texts) => {
                            let (engine, hot) = with_preview(engine, texts);
                            bridge.with_value(|b| b.preview(&hot));
                            engine
                        }
                        None => engine,
                    };
                    let brand = engine.kb().settings.brand.clone();
                    if chat.get_untracked().is_none() {
                        let bridge = bridge.get_value();
                        let started =
                            owner.with(|| provide_chat_context(engine, &url, api, locale, bridge));
                        chat.set(Some(started));
                    }
                    load.set(LoadState::Ready(brand));
                }
                Err(failure) => {
                    leptos::logging::error!("kefu: {failure}");
                    load.set(LoadState::Failed(Arc::new(failure)));
                }
            }
        });
    };
    start_loading();
    let retry = Callback::new(move |()| start_loading());

    // The JS API and the window's state, connected to the chat.
    Effect::new(move |was: Option<bool>| {
        let now = open.get();
        if was.is_some_and(|w| w != now) || (was.is_none() && now) {
            bridge.with_value(|b| b.opened(now));
        }
        if let Some(chat) = chat.get() {
            // A restored conversation already speaks a language: unless the page chose one,
            // the UI takes it rather than switching the engine back to the browser's.
            let spoken = chat.session().with_untracked(|s| s.conversation.locale());
            match spoken {
                Some(locale) if !controls.lang_chosen.get_untracked() => {
                    follow_conversation(controls, Lang::of_locale(locale));
                }
                _ => chat.set_locale(controls.lang.get_untracked()),
            }
            if now {
                chat.open();
                // The designer preview's sample state, once, in the language just set.
                if let Some(name) = sample.try_update_value(Option::take).flatten() {
                    chat.preview_sample(&name, controls.lang.get_untracked());
                }
            }
        }
        now
    });
    // The UI language follows the conversation's (the engine detects the customer's from
    // what they write), unless the page chose it: order cards, buttons and notices then
    // speak the language the answers are in.
    Effect::new(move |_| {
        let Some(chat) = chat.get() else { return };
        let spoken = chat.session().with(|s| s.conversation.locale());
        if let (Some(locale), false) = (spoken, controls.lang_chosen.get_untracked()) {
            follow_conversation(controls, Lang::of_locale(locale));
        }
    });
    Effect::new(move |_| {
        let Some(chat) = chat.get() else { return };
        let asks = controls.asks.get();
        if asks.is_empty() {
            return;
        }
        controls.asks.set(Vec::new());
        chat.open();
        for text in asks {
            chat.say(&text);
        }
    });
    Effect::new(move |_| {
        let lang = controls.lang.get();
        if let Some(chat) = chat.get() {
            chat.set_locale(lang);
        }
    });
    Effect::new(move |_| {
        let user = controls.user.get();
        if let Some(chat) = chat.get() {
            chat.set_user(user);
        }
    });

    let theme = config.theme.clone();
    let kb_base = absolute(&config.kb_url);
    let look = Memo::new(move |_| {
        let brand = load.with(|s| s.brand()).unwrap_or_default();
        Look {
            title: theme.title.clone().unwrap_or(brand.name),
            avatar: theme
                .avatar
                .clone()
                .filter(|a| !a.is_empty())
                .or(Some(brand.avatar).filter(|a| !a.is_empty()))
                .map(|a| resolve(&a, &kb_base))
                .unwrap_or_default(),
        }
    });
    let theme = config.theme.clone();
    let colours = Memo::new(move |_| {
        let brand = load.with(|s| s.brand()).unwrap_or_default();
        let pick = |own: &Option<String>, kb: &str, default: &str| {
            own.as_deref()
                .map(|c| safe_colour(c, ""))
                .filter(|c| !c.is_empty())
                .unwrap_or_else(|| safe_colour(kb, default))
        };
        (
            pick(&theme.primary, &brand.primary_color, DEFAULT_PRIMARY),
            pick(
                &theme.on_primary,
                &brand.on_primary_color,
                DEFAULT_ON_PRIMARY,
            ),
        )
    });
    let (left, dark) = (config.theme.left, config.theme.dark);

    move || {
        let lang = controls.lang.get();
        provide_i18n_context(lang);
        view! {
            <div
                class="kefu"
                class:kefu--fullscreen=fullscreen
                class:kefu--open=move || open.get()
                class:kefu--left=left
                class:kefu--dark=dark == Some(true)
                class:kefu--auto=dark.is_none()
                lang=lang.tag()
                style=("--kefu-primary", move || colours.get().0)
                style=("--kefu-on-primary", move || colours.get().1)
            >
                <ChatWindow open load chat fullscreen retry launcher look />
                {(!fullscreen).then(|| view! { <Launcher open launcher /> })}
            </div>
        }
    }
}

/// Switches the UI to `lang` if it speaks another one. A new language renders the window
/// anew, so it happens after the current turn has finished updating the window, never in
/// the middle of it.
fn follow_conversation(controls: Controls, lang: Lang) {
    if controls.lang.get_untracked() == lang {
        return;
    }
    set_timeout(
        move || {
            if !controls.lang_chosen.get_untracked() {
                controls.lang.set(lang);
            }
        },
        std::time::Duration::ZERO,
    );
}

/// `url` made absolute against the page.
fn absolute(url: &str) -> String {
    let base = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    resolve(url, &base)
}

/// `url` resolved against `base` (the avatar is next to the knowledge base, not the host page).
fn resolve(url: &str, base: &str) -> String {
    web_sys::Url::new_with_base(url, base)
        .map(|u| u.href())
        .unwrap_or_else(|_| url.to_string())
}

/// `value` if it looks like a plain CSS colour (`#e8590c`, `rgb(1 2 3)`, `tomato`), else
/// `default`: a knowledge base or a page setting cannot smuggle other declarations in.
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
