//! `POST /api/v1/chat`: the conversation engine for channels without the widget.

use axum::Router;

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
}
