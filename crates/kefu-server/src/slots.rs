//! Module slots of the realtime half. Each returns the routes it adds under `/api/v1` (or,
//! for the console, at the root); `crate::app` merges them.
//!
//! NOTE: these are placeholders to fill in; keep each module's routes, tables (new
//! migrations `0002_…` in both `migrations/sqlite` and `migrations/postgres`) and shared state
//! (fields in `AppState`) inside its own module.

use axum::Router;

use crate::state::AppState;

/// `POST /api/v1/handoff` (body `kefu_protocol::handoff::HandoffRequest`, writes a row into
/// `conversations` with status `waiting`) and the customers' / agents' WebSockets
/// (`kefu_protocol::ws`). The chat API already writes `conversations` rows with
/// `channel = 'api'` (see `crate::chat`), for the queue to pick up.
pub mod handoff {
    use super::*;
    pub fn routes() -> Router<AppState> {
        crate::live::routes().merge(crate::console::api::routes())
    }
}

/// The agent console: pages at `/console/…`, login, agents' API. Merged at the root, not
/// under `/api/v1`.
pub mod console {
    use super::*;
    pub fn routes() -> Router<AppState> {
        crate::console::pages()
    }
}

/// `POST /api/v1/messages` (body `kefu_protocol::handoff::LeaveMessageRequest`, writes
/// `left_messages`), listed and marked handled in the console. The chat API already writes
/// `left_messages` rows with `channel = 'api'`.
pub mod messages {
    use super::*;
    pub fn routes() -> Router<AppState> {
        crate::messages::routes()
    }
}

/// `POST /api/v1/events` (body `kefu_protocol::events::EventBatch`) and the dashboard's
/// figures.
pub mod stats {
    use super::*;
    pub fn routes() -> Router<AppState> {
        crate::stats::routes()
    }
}
