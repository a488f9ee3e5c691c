//! kefu-widget: the on-device customer-service chat widget (leptos, client-side rendered).
//!
//! The widget downloads a compiled knowledge base (`kb.bin`, next to the page unless the URL
//! says `?kb=…`), loads it into a [`kefu_core::Engine`] and answers on the customer's device.
//! It is a thin shell: the knowledge base, matching and decisions live in `kefu-core`; the
//! conversation transcript is a plain Rust value ([`transcript::Transcript`]); the
//! components only connect DOM events to its methods.
//!
//! Modules, one question each:
//! - [`config`]: what did the page ask for (`?fullscreen`, `?lang=en`, `?kb=…`)?
//! - [`i18n`]: every visible and ARIA string, keyed, per language.
//! - [`loader`]: fetch `kb.bin` and turn it into an engine, or say why not.
//! - [`transcript`]: what was said and what the bot says next (FAQ answers through the matcher).
//! - [`chat`]: the transcript and the engine, shared with the components as context.
//! - [`components`]: launcher, window, header, message list, composer, suggestions, chips.

pub mod chat;
pub mod components;
pub mod config;
pub mod i18n;
pub mod loader;
pub mod transcript;

pub use components::app::App;
