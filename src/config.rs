//! What the host page asked for, read once at mount: the loader's settings (the script tag's
//! `data-*` attributes merged with `window.kefuSettings`, see `docs/embedding.md`), then the
//! page URL, which wins (a mini-program `web-view` can only pass URL parameters) — except for
//! `kb` and `api`, which only the page itself sets.
//!
//! - `kb`: where the compiled knowledge base is (default `kb.bin`, next to the page).
//! - `api`: the kefu server's origin; without it order lookups, agents and messages are
//!   unavailable and the widget says so.
//! - `locale` (`lang` in the URL): zh-CN, zh-TW or en; default: the browser's languages.
//! - `fullscreen`: the chat fills the page and stays open (chat.html, `web-view`).
//! - `user`, `userName`, `userHash` (`setUser` later): a verified customer.
//! - theme: `primary`, `onPrimary`, `position` (`left`/`right`), `theme` (`light`/`dark`/`auto`),
//!   `title`, `avatar` — each overrides what the knowledge base says.

use wasm_bindgen::JsValue;

use crate::i18n::Lang;

/// The knowledge base a page gets when it names none.
pub const DEFAULT_KB_URL: &str = "kb.bin";

/// A customer the host site vouches for (`kefu.setUser`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct User {
    pub id: String,
    pub name: String,
    /// Hex HMAC-SHA256 of `id` with the shop's secret, computed by the host's server.
    pub hash: String,
}

/// Overrides of the knowledge base's look.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Theme {
    pub primary: Option<String>,
    pub on_primary: Option<String>,
    pub left: bool,
    /// `Some(true)` dark, `Some(false)` light, `None` follows the system.
    pub dark: Option<bool>,
    pub title: Option<String>,
    pub avatar: Option<String>,
}

/// The widget's configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WidgetConfig {
    pub kb_url: String,
    /// The server's base URL without a trailing slash.
    pub api: Option<String>,
    pub fullscreen: bool,
    pub lang: Lang,
    /// The page chose the language (`data-locale`, `kefuSettings.locale`, `?lang=`): the UI
    /// keeps it. Otherwise it came from the browser and follows the conversation's language
    /// once the customer has written.
    pub lang_chosen: bool,
    pub user: Option<User>,
    pub theme: Theme,
    /// The designer preview's texts (`data-preview` pages only): the welcome and hot
    /// questions being edited, from the URL (`welcome=…&hot=…`, one question per line).
    pub preview: Option<PreviewTexts>,
}

/// What the designer preview edits instead of the knowledge base's own settings.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PreviewTexts {
    pub welcome: Option<String>,
    /// Question texts; each becomes the hot question of the entry it is answered with.
    pub hot: Vec<String>,
    /// The gallery state (`state=…`): a sample conversation shown after the welcome when it
    /// is one of those made without a server (`crate::chat` `preview_sample`).
    pub sample: Option<String>,
}

impl Default for WidgetConfig {
    fn default() -> WidgetConfig {
        WidgetConfig {
            kb_url: DEFAULT_KB_URL.to_string(),
            api: None,
            fullscreen: false,
            lang: Lang::default(),
            lang_chosen: false,
            user: None,
            theme: Theme::default(),
            preview: None,
        }
    }
}

/// A source of named string settings.
trait Source {
    fn get(&self, name: &str) -> Option<String>;
}

impl Source for web_sys::UrlSearchParams {
    fn get(&self, name: &str) -> Option<String> {
        web_sys::UrlSearchParams::get(self, name)
    }
}

impl Source for JsValue {
    fn get(&self, name: &str) -> Option<String> {
        let value = js_sys::Reflect::get(self, &JsValue::from_str(name)).ok()?;
        if let Some(b) = value.as_bool() {
            return Some(if b { "1" } else { "0" }.to_string());
        }
        value.as_string()
    }
}

fn flag(value: &str) -> bool {
    !matches!(value.trim(), "0" | "false" | "no" | "off")
}

fn non_empty(value: Option<String>) -> Option<String> {
    value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

impl WidgetConfig {
    /// Where the files and the server are: from the page's own settings only, never from
    /// the URL (a crafted link must not send a customer's identity to another server).
    fn apply_sources(&mut self, source: &dyn Source) {
        if let Some(url) = non_empty(source.get("kb")) {
            self.kb_url = url;
        }
        if let Some(api) = non_empty(source.get("api")) {
            self.api = Some(api.trim_end_matches('/').to_string());
        }
    }

    fn apply(&mut self, source: &dyn Source, lang_names: &[&str]) {
        if let Some(f) = source.get("fullscreen") {
            self.fullscreen = flag(&f);
        }
        for name in lang_names {
            if let Some(lang) = source.get(name).as_deref().and_then(Lang::from_tag) {
                self.lang = lang;
                self.lang_chosen = true;
            }
        }
        if let Some(id) = non_empty(source.get("user")) {
            self.user = Some(User {
                id,
                name: non_empty(source.get("userName")).unwrap_or_default(),
                hash: non_empty(source.get("userHash")).unwrap_or_default(),
            });
        }
        let theme = &mut self.theme;
        for (name, slot) in [
            ("primary", &mut theme.primary),
            ("onPrimary", &mut theme.on_primary),
            ("title", &mut theme.title),
            ("avatar", &mut theme.avatar),
        ] {
            if let Some(v) = non_empty(source.get(name)) {
                *slot = Some(v);
            }
        }
        if let Some(p) = non_empty(source.get("position")) {
            theme.left = p == "left";
        }
        if let Some(t) = non_empty(source.get("theme")) {
            theme.dark = match t.as_str() {
                "dark" => Some(true),
                "light" => Some(false),
                _ => None,
            };
        }
    }

    /// The configuration from the loader's settings object and a query string such as
    /// `?fullscreen&lang=en`; the query wins.
    pub fn read(settings: &JsValue, query: &str) -> WidgetConfig {
        let mut config = WidgetConfig {
            lang: Lang::from_browser().unwrap_or_default(),
            ..WidgetConfig::default()
        };
        if settings.is_object() {
            config.apply_sources(settings);
            config.apply(settings, &["locale", "lang"]);
        }
        if let Ok(params) = web_sys::UrlSearchParams::new_with_str(query) {
            config.apply(&params, &["lang", "locale"]);
            // Only a page that says it is the preview takes texts from its URL: elsewhere a
            // link could put words in the shop's mouth.
            if settings.is_object() && settings.get("preview").is_some_and(|p| flag(&p)) {
                config.preview = Some(PreviewTexts {
                    sample: non_empty(params.get("state")),
                    welcome: non_empty(params.get("welcome")),
                    hot: params
                        .get("hot")
                        .unwrap_or_default()
                        .lines()
                        .map(str::trim)
                        .filter(|q| !q.is_empty())
                        .map(str::to_string)
                        .collect(),
                });
            }
        }
        config
    }

    /// The configuration from `settings` and the current page's URL.
    pub fn from_page(settings: &JsValue) -> WidgetConfig {
        let query = web_sys::window()
            .and_then(|w| w.location().search().ok())
            .unwrap_or_default();
        WidgetConfig::read(settings, &query)
    }

    /// The configuration from a query string alone (tests, pages without the loader).
    pub fn from_query(query: &str) -> WidgetConfig {
        WidgetConfig::read(&JsValue::UNDEFINED, query)
    }
}
