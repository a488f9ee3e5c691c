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

thread_local! {
    /// The loader's download of the knowledge base (`kbFetch` in its settings: a promise of the
    /// response, started beside the wasm's download), with its URL; taken by the first load.
    static PREFETCHED: std::cell::RefCell<Option<(String, js_sys::Promise)>> =
        const { std::cell::RefCell::new(None) };
}

/// Keeps the loader's download of `url`, if its settings carry one, for [`load_engine`].
pub fn take_prefetch(settings: &wasm_bindgen::JsValue, url: &str) {
    let Ok(promise) = js_sys::Reflect::get(settings, &"kbFetch".into()) else {
        return;
    };
    if let Ok(promise) = promise.dyn_into::<js_sys::Promise>() {
        PREFETCHED.with(|p| *p.borrow_mut() = Some((url.to_string(), promise)));
    }
}

/// Downloads `url` and loads it. Revalidates with the server each time (`no-cache`: the
/// browser sends `If-None-Match` and a `304` costs no download), keeps a copy in Cache Storage
/// and loads that copy when the network is down.
pub async fn load_engine(url: &str) -> Result<Engine, LoadFailure> {
    Engine::load(&load_bytes(url).await?).map_err(LoadFailure::Format)
}

/// The bytes of `url` (the knowledge base, or a split one's companion): downloaded and
/// kept in Cache Storage, or the kept copy when the network is down.
pub async fn load_bytes(url: &str) -> Result<Vec<u8>, LoadFailure> {
    match download(url).await {
        Ok(bytes) => Ok(bytes),
        Err(failure) => match cached(url).await {
            Some(bytes) => {
                leptos::logging::warn!("kefu: {failure}; using the saved copy");
                Ok(bytes)
            }
            None => Err(failure),
        },
    }
}

/// The Cache Storage bucket of the knowledge base.
const CACHE: &str = "kefu-kb-v1";

async fn cache() -> Option<web_sys::Cache> {
    open_cache(CACHE).await
}

/// The Cache Storage bucket `name`, opened (`None` where the browser has no Cache Storage).
pub(crate) async fn open_cache(name: &str) -> Option<web_sys::Cache> {
    let caches = web_sys::window()?.caches().ok()?;
    JsFuture::from(caches.open(name))
        .await
        .ok()?
        .dyn_into()
        .ok()
}

async fn cached_response(url: &str) -> Option<Response> {
    let cache = cache().await?;
    JsFuture::from(cache.match_with_str(url))
        .await
        .ok()?
        .dyn_into()
        .ok()
}

async fn cached(url: &str) -> Option<Vec<u8>> {
    let response = cached_response(url).await?;
    let buffer = JsFuture::from(response.array_buffer().ok()?).await.ok()?;
    Some(js_sys::Uint8Array::new(&buffer).to_vec())
}

fn etag(response: &Response) -> Option<String> {
    response.headers().get("ETag").ok().flatten()
}

/// Saves `copy` (a clone of the response) for offline use unless the saved copy has the same
/// ETag.
async fn keep(url: &str, copy: Response) {
    let tag = etag(&copy);
    if tag.is_some() && cached_response(url).await.and_then(|r| etag(&r)) == tag {
        return;
    }
    let Some(cache) = cache().await else {
        return;
    };
    let _ = JsFuture::from(cache.put_with_str(url, &copy)).await;
}

async fn download(url: &str) -> Result<Vec<u8>, LoadFailure> {
    let network = |reason: wasm_bindgen::JsValue| LoadFailure::Network {
        url: url.to_string(),
        reason: reason.as_string().unwrap_or_else(|| format!("{reason:?}")),
    };
    let window = web_sys::window().ok_or_else(|| network("no window".into()))?;
    let prefetched = PREFETCHED
        .with(|p| p.borrow_mut().take())
        .filter(|(from, _)| from == url);
    let request = match prefetched {
        Some((_, promise)) => promise,
        None => {
            let init = RequestInit::new();
            init.set_cache(RequestCache::NoCache);
            window.fetch_with_str_and_init(url, &init)
        }
    };
    let response = JsFuture::from(request).await.map_err(network)?;
    let response: Response = response.dyn_into().map_err(network)?;
    if !response.ok() {
        return Err(LoadFailure::Http {
            url: url.to_string(),
            status: response.status(),
        });
    }
    // Saved in the background: the engine does not wait for Cache Storage's write.
    if let Ok(copy) = response.clone() {
        let url = url.to_string();
        wasm_bindgen_futures::spawn_local(async move { keep(&url, copy).await });
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
    /// Loaded, with the shop's brand (the engine itself belongs to the chat alone).
    Ready(kefu_core::kb::Brand),
    /// Shared, because `LoadError` is not `Clone`.
    Failed(std::sync::Arc<LoadFailure>),
}

impl LoadState {
    /// The shop's brand, once loaded.
    pub fn brand(&self) -> Option<kefu_core::kb::Brand> {
        match self {
            LoadState::Ready(brand) => Some(brand.clone()),
            LoadState::Loading | LoadState::Failed(_) => None,
        }
    }
}

/// What became of one hot question typed in the designer preview: the entry it stands for
/// (its standard question), or `None` when the engine finds no entry for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewHot {
    pub text: String,
    pub question: Option<String>,
}

/// `engine` with the designer preview's welcome and hot questions in place of its knowledge
/// base's (the welcome in every language; each hot question text becomes the entry it is
/// answered with, or, when the engine would offer a choice of entries, the first of those
/// choices), and what became of each hot question, so the preview can show the designer.
pub fn with_preview(
    engine: Engine,
    texts: &crate::config::PreviewTexts,
) -> (Engine, Vec<PreviewHot>) {
    let mut kb = engine.kb().clone();
    if let Some(welcome) = &texts.welcome {
        kb.settings.texts.welcome = welcome.clone();
        for t in &mut kb.settings.texts.translations {
            t.welcome = Some(welcome.clone());
        }
    }
    let mut report = Vec::new();
    if !texts.hot.is_empty() {
        let mut hot = Vec::new();
        for question in &texts.hot {
            let best = match engine.ask(question, None).outcome {
                kefu_core::Outcome::Answer(entry) => Some(entry),
                // Several entries fit: the engine's first choice, the one it ranks highest.
                kefu_core::Outcome::Clarify(entries) => entries.first().copied(),
                kefu_core::Outcome::Fallback => None,
            };
            report.push(PreviewHot {
                text: question.clone(),
                question: best
                    .and_then(|e| kb.entries.get(e as usize))
                    .map(|e| e.question.clone()),
            });
            if let Some(entry) = best.filter(|e| !hot.contains(e)) {
                hot.push(entry);
            }
        }
        kb.settings.hot_questions = hot;
    }
    match Engine::from_kb(kb) {
        Ok(engine) => (engine, report),
        Err(_) => (engine, Vec::new()),
    }
}
