//! What the browser test files share: the demo knowledge base compiled by
//! `scripts/test-browser.sh`, and a view of what the bot said in a session.

use kefu_core::Engine;
use kefu_widget::session::{Said, Session};

pub static KB: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/target/browser-test/kb.bin"
));

pub fn engine() -> Engine {
    Engine::load(KB).expect("the demo knowledge base loads")
}

/// The kinds of the bot's messages in `session`, in order.
pub fn bot_kinds(session: &Session) -> Vec<&'static str> {
    session
        .items
        .iter()
        .filter_map(|i| match &i.said {
            Said::Bot(m) => Some(m.kind()),
            _ => None,
        })
        .collect()
}
