//! What the host page asked for, read once at startup from the page URL.
//!
//! - `?fullscreen` (or `?fullscreen=1`): the chat fills the page and is always open — for a
//!   mini-program `web-view` or a dedicated chat page. Narrow viewports get the same layout
//!   from the stylesheet whenever the window is open.
//! - `?lang=en`: the language of the widget chrome (default zh-CN).
//! - `?kb=path/or/url`: where the compiled knowledge base is (default `kb.bin`, next to the page).

use crate::i18n::Lang;

/// The knowledge base a page gets when it names none.
pub const DEFAULT_KB_URL: &str = "kb.bin";

/// The widget's configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WidgetConfig {
    /// Where to download the compiled knowledge base from.
    pub kb_url: String,
    /// Fill the page and stay open.
    pub fullscreen: bool,
    pub lang: Lang,
}

impl Default for WidgetConfig {
    fn default() -> WidgetConfig {
        WidgetConfig {
            kb_url: DEFAULT_KB_URL.to_string(),
            fullscreen: false,
            lang: Lang::default(),
        }
    }
}

impl WidgetConfig {
    /// Reads the configuration from a query string such as `?fullscreen&lang=en`.
    pub fn from_query(query: &str) -> WidgetConfig {
        let mut config = WidgetConfig::default();
        let Ok(params) = web_sys::UrlSearchParams::new_with_str(query) else {
            return config;
        };
        if let Some(flag) = params.get("fullscreen") {
            config.fullscreen = !matches!(flag.trim(), "0" | "false" | "no");
        }
        if let Some(lang) = params.get("lang").as_deref().and_then(Lang::from_tag) {
            config.lang = lang;
        }
        if let Some(url) = params.get("kb").filter(|u| !u.trim().is_empty()) {
            config.kb_url = url.trim().to_string();
        }
        config
    }

    /// Reads the configuration from the current page's URL.
    pub fn from_page() -> WidgetConfig {
        let query = web_sys::window()
            .and_then(|w| w.location().search().ok())
            .unwrap_or_default();
        WidgetConfig::from_query(&query)
    }
}
