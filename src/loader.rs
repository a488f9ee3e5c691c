//! Downloading the compiled knowledge base and loading it into an engine.

use std::fmt;

use kefu_core::{Engine, LoadError};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{RequestCache, RequestInit, Response};

use crate::i18n::{I18n, Key};

/// Why the widget has no knowledge base.
#[derive(Debug, PartialEq)]
pub enum LoadFailure {
    /// The server answered with an error status.
    Http { url: String, status: u16 },
    /// No response at all (offline, blocked, CORS), with the browser's reason.
    Network { url: String, reason: String },
    /// The bytes arrived but are not a usable knowledge base.
    Format(LoadError),
}

impl LoadFailure {
    /// A sentence for the customer-facing error panel, saying what to do.
    pub fn describe(&self, i18n: I18n) -> String {
        match self {
            LoadFailure::Http { url, status } => i18n
                .t(Key::HttpFailed)
                .replace("{url}", url)
                .replace("{status}", &status.to_string()),
            LoadFailure::Network { url, .. } => i18n.t(Key::NetworkFailed).replace("{url}", url),
            LoadFailure::Format(err) => err.to_string(),
        }
    }
}

impl fmt::Display for LoadFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadFailure::Http { url, status } => write!(f, "GET {url} answered HTTP {status}"),
            LoadFailure::Network { url, reason } => write!(f, "GET {url} failed: {reason}"),
            LoadFailure::Format(err) => write!(f, "{err}"),
        }
    }
}

/// Downloads `url` and loads it. Revalidates with the server each time (`no-cache`), so a
/// rebuilt knowledge base is picked up on the next page load.
pub async fn load_engine(url: &str) -> Result<Engine, LoadFailure> {
    let bytes = download(url).await?;
    Engine::load(&bytes).map_err(LoadFailure::Format)
}

async fn download(url: &str) -> Result<Vec<u8>, LoadFailure> {
    let network = |reason: wasm_bindgen::JsValue| LoadFailure::Network {
        url: url.to_string(),
        reason: reason.as_string().unwrap_or_else(|| format!("{reason:?}")),
    };
    let window = web_sys::window().ok_or_else(|| network("no window".into()))?;
    let init = RequestInit::new();
    init.set_cache(RequestCache::NoCache);
    let response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .map_err(network)?;
    let response: Response = response.dyn_into().map_err(network)?;
    if !response.ok() {
        return Err(LoadFailure::Http {
            url: url.to_string(),
            status: response.status(),
        });
    }
    let buffer = JsFuture::from(response.array_buffer().map_err(network)?)
        .await
        .map_err(network)?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Where the widget is with its knowledge base.
#[derive(Debug, Clone)]
pub enum LoadState {
    Loading,
    Ready(std::sync::Arc<Engine>),
    /// Shared, because `LoadError` is not `Clone`.
    Failed(std::sync::Arc<LoadFailure>),
}

impl LoadState {
    /// The shop's brand, once loaded.
    pub fn brand(&self) -> Option<kefu_core::kb::Brand> {
        match self {
            LoadState::Ready(engine) => Some(engine.kb().settings.brand.clone()),
            LoadState::Loading | LoadState::Failed(_) => None,
        }
    }
}
