//! kefu-server: what a browser cannot do for the widget — look up a customer's own orders,
//! answer over HTTP for channels without the widget, hand conversations to humans, keep
//! messages left outside working hours, collect anonymous statistics — and the widget's own
//! files and knowledge base.
//!
//! [`app`] builds the whole HTTP surface from an [`AppState`], so tests call it with
//! `tower::ServiceExt::oneshot` and no socket; `main.rs` only parses the command line.
//!
//! Module map: [`config`] (flags and environment), [`db`] (SQLite / PostgreSQL, migrations),
//! [`error`] (every error → `{"error":{"code","message"}}`), [`identity`] (HMAC-verified
//! customers), [`ratelimit`], [`orders`] (route and order sources), [`chat`] (the bot over
//! HTTP), [`apikeys`], [`kb`] (the knowledge base, reloaded on change), [`static_files`],
//! [`demo`], and the realtime half plugged in through [`slots`]: [`live`] (handoff,
//! WebSockets, the hub across instances), [`console`] (agents, sessions, the console's
//! pages and API), [`messages`] (leave-a-message), [`stats`] (events and the dashboard).

pub mod apikeys;
pub mod chat;
pub mod config;
pub mod console;
pub mod db;
pub mod demo;
pub mod error;
pub mod identity;
pub mod kb;
pub mod live;
pub mod logging;
pub mod messages;
pub mod orders;
pub mod ratelimit;
pub mod slots;
pub mod state;
pub mod static_files;
pub mod stats;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use kefu_protocol::{limits, PROTOCOL_VERSION};
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};

pub use state::AppState;

use crate::error::ApiError;

/// The whole HTTP surface.
pub fn app(state: AppState) -> Router {
    let api = Router::new()
        .merge(orders::routes())
        .merge(chat::routes())
        // NOTE: the realtime half plugs in here (each module owns its routes).
        .merge(slots::handoff::routes())
        .merge(slots::messages::routes())
        .merge(slots::stats::routes())
        .fallback(error::api_not_found)
        // NOTE: a route that takes larger bodies (image uploads) sets its own
        // `DefaultBodyLimit` on its route.
        .layer(DefaultBodyLimit::max(limits::MAX_BODY_BYTES));
    let api = match cors(&state.config.allow_origins) {
        Some(layer) => api.layer(layer),
        None => api,
    };
    Router::new()
        .route("/healthz", get(healthz))
        .route("/kb.bin", get(static_files::kb_bin))
        .nest(kefu_protocol::API_BASE, api)
        // NOTE: the console's pages merge at the root (`/console/…`).
        .merge(slots::console::routes())
        .fallback(static_files::static_fallback)
        .layer(CompressionLayer::new())
        .layer(axum::middleware::from_fn(logging::log_request))
        .with_state(state)
}

/// The CORS allow-list: only the shop's own origins may call the API from a browser.
fn cors(origins: &[String]) -> Option<CorsLayer> {
    let list: Vec<HeaderValue> = origins
        .iter()
        .map(|o| o.trim().trim_end_matches('/'))
        .filter(|o| !o.is_empty())
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    if list.is_empty() {
        return None;
    }
    Some(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(list))
            .allow_methods([Method::GET, Method::POST])
            .allow_headers([
                header::CONTENT_TYPE,
                header::AUTHORIZATION,
                HeaderName::from_static("x-kefu-user"),
                HeaderName::from_static("x-kefu-user-hash"),
            ])
            .expose_headers([header::RETRY_AFTER])
            .max_age(std::time::Duration::from_secs(600)),
    )
}

/// `GET /healthz`: 200 once the database answers, 503 otherwise.
async fn healthz(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => Json(serde_json::json!({
            "status": "ok",
            "protocol": PROTOCOL_VERSION,
            "kb": state.kb.get().map(|kb| kb.version.clone()),
        }))
        .into_response(),
        Err(e) => ApiError::unavailable("the database is unreachable", e).into_response(),
    }
}
