//! The agent console: pages at `/console/` (plain HTML, one script and one stylesheet
//! each, served from the binary with a strict Content-Security-Policy: no inline script or
//! style, nothing from other origins), its API ([`api`], under `/api/v1/console/`), agent
//! accounts and sessions ([`auth`]) and the `kefu-server agent …` command ([`cli`]).
//!
//! Every text the console shows (customer and agent messages, the transcript, slots,
//! questions) is put in the page with `textContent`, never as HTML.

pub mod api;
pub mod auth;
pub mod cli;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;

use crate::db::Db;
use crate::state::AppState;

/// The console pages' Content-Security-Policy.
pub const CSP: &str =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; \
connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The demo agent `--demo` creates.
pub const DEMO_AGENT: (&str, &str) = ("demo", "demo-agent-password");

/// The pages, merged at the root.
pub fn pages() -> Router<AppState> {
    Router::new()
        .route(
            "/console",
            get(|| async { Redirect::permanent("/console/") }),
        )
        .route(
            "/console/",
            get(|| async {
                page(
                    "text/html; charset=utf-8",
                    include_str!("assets/index.html"),
                )
            }),
        )
        .route(
            "/console/console.js",
            get(|| async {
                page(
                    "text/javascript; charset=utf-8",
                    include_str!("assets/console.js"),
                )
            }),
        )
        .route(
            "/console/console.css",
            get(|| async {
                page(
                    "text/css; charset=utf-8",
                    include_str!("assets/console.css"),
                )
            }),
        )
        .route(
            "/console/dashboard.html",
            get(|| async {
                page(
                    "text/html; charset=utf-8",
                    include_str!("assets/dashboard.html"),
                )
            }),
        )
        .route(
            "/console/dashboard.js",
            get(|| async {
                page(
                    "text/javascript; charset=utf-8",
                    include_str!("assets/dashboard.js"),
                )
            }),
        )
}

fn page(mime: &'static str, body: &'static str) -> Response {
    let mut r = (StatusCode::OK, body).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

/// `--demo`: the demo agent (its password reset each start).
pub async fn seed_demo_agent(db: &Db) -> anyhow::Result<()> {
    auth::add_agent(db, DEMO_AGENT.0, "演示客服", DEMO_AGENT.1, true).await?;
    Ok(())
}

/// How to sign in as the demo agent, for the start banner.
pub fn demo_login() -> String {
    format!(
        "agent console: /console/  (demo agent: name {}  password {})\n",
        DEMO_AGENT.0, DEMO_AGENT.1
    )
}
