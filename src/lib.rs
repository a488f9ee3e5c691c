//! kefu-widget: the on-device customer-service chat widget (leptos, client-side rendered).
//!
//! The loader (`www/kefu.js`, plain JavaScript) shows the launcher at once, creates the
//! widget's Shadow DOM and, when the browser is idle or the customer opens the chat, loads
//! this WebAssembly and calls [`mount`]. The widget downloads the compiled knowledge base
//! and runs every turn through the conversation engine (`kefu_core::dialogue`); it only
//! renders and carries out what the engine decides.
//!
//! Modules, one question each:
//! - [`config`]: what did the page ask for (script attributes, `window.kefuSettings`, URL)?
//! - [`i18n`]: every visible and ARIA string, keyed, in zh-CN, zh-TW and English.
//! - [`loader`]: fetch `kb.bin` (kept in Cache Storage) and turn it into an engine.
//! - [`session`]: the conversation, what is shown and what waits for the network.
//! - [`store`]: the session in `localStorage`, so a reload restores the chat.
//! - [`api`]: the kefu server (orders, handoff, leave-a-message, statistics).
//! - [`chat`]: the session and the engine, shared with the components; performs actions.
//! - [`bridge`]: events for the host page's `kefu.on(…)` handlers.
//! - [`components`]: launcher, window, header, messages of every kind, composer.

pub mod api;
pub mod bridge;
pub mod chat;
pub mod components;
pub mod config;
pub mod i18n;
pub mod loader;
pub mod session;
pub mod store;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

pub use components::app::App;
use components::app::Controls;
use config::{User, WidgetConfig};
use i18n::Lang;

/// The mounted widget, as the loader's `kefu.open()`, `kefu.ask(…)` … reach it.
#[wasm_bindgen]
pub struct Kefu {
    controls: Controls,
}

#[wasm_bindgen]
impl Kefu {
    pub fn open(&self) {
        self.controls.open.set(true);
    }

    pub fn close(&self) {
        self.controls.open.set(false);
    }

    pub fn toggle(&self) {
        self.controls.open.update(|o| *o = !*o);
    }

    /// Opens the chat and sends `text` as if the customer typed it.
    pub fn ask(&self, text: String) {
        self.controls.open.set(true);
        self.controls.asks.update(|a| a.push(text));
    }

    /// A verified customer (`hash`: the host's HMAC of `id`); an empty `id` forgets them.
    #[wasm_bindgen(js_name = setUser)]
    pub fn set_user(&self, id: String, name: String, hash: String) {
        let user = (!id.trim().is_empty()).then_some(User { id, name, hash });
        self.controls.user.set(user);
    }

    /// Switches the language (`zh-CN`, `zh-TW`, `en`); returns whether it is supported.
    #[wasm_bindgen(js_name = setLocale)]
    pub fn set_locale(&self, tag: String) -> bool {
        match Lang::from_tag(&tag) {
            Some(lang) => {
                self.controls.lang.set(lang);
                true
            }
            None => false,
        }
    }
}

/// Mounts the widget into `root` (an element inside the loader's shadow root). `settings`
/// holds the page's settings (see [`config`]); `emit(name, detail)` receives the events.
#[wasm_bindgen]
pub fn mount(
    root: web_sys::HtmlElement,
    settings: JsValue,
    emit: Option<js_sys::Function>,
) -> Kefu {
    console_error_panic_hook::set_once();
    let config = WidgetConfig::from_page(&settings);
    loader::take_prefetch(&settings, &config.kb_url);
    let controls = Controls::new(&config);
    let bridge = bridge::Bridge::new(emit);
    let handle = leptos::mount::mount_to(root, move || view! { <App config controls bridge /> });
    handle.forget();
    Kefu { controls }
}
