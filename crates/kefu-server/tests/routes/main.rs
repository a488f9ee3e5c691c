//! Route tests through `app(state)` and `oneshot`, on SQLite, and on PostgreSQL when
//! `KEFU_TEST_DATABASE_URL` is set (`scripts/with-postgres.sh` does that).
//!
//! 1. `orders`: identity (HMAC accepted / rejected / missing), anonymous phone digits,
//!    other people's orders, the wrong-guess limit, the HTTP order source.
//! 2. `chat`: the engine over HTTP with the demo knowledge base, API keys, handoff rows.
//! 3. `files`: static files with ETags and compression, `kb.bin`, reloading it, CORS,
//!    health.

mod chat;
mod common;
mod files;
mod orders;
