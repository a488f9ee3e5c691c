//! Saved conversation states are a public format: the widget keeps them in `localStorage`
//! (postcard) and the server in its database (JSON), so a new build must read what an older
//! one wrote.
//!
//! 1. States written before `Conversation`'s fields became private (the fixtures
//!    `tests/fixtures/saved-conversations.{postcard,json}`: ten conversations from the golden
//!    scripts and by hand — mid-flow, shopping, handoff, ratings, three languages) decode,
//!    restore and serialise back to the very same bytes.
//! 2. A JSON state without the later `locale` field still reads.
//! 3. Restoring enforces the bounds the engine keeps, whatever the saved data says.

use kefu_core::dialogue::{Conversation, Input, SavedConversation};
use kefu_core::Engine;

mod common;

fn engine() -> &'static Engine {
    common::demo()
}

fn fixture(name: &str) -> Vec<u8> {
    let path = common::repo_path("crates/kefu-core/tests/fixtures").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn states_saved_by_the_earlier_build_read_back_unchanged() {
    let bytes = fixture("saved-conversations.postcard");
    let saved: Vec<SavedConversation> = postcard::from_bytes(&bytes).expect("postcard states");
    assert_eq!(saved.len(), 10);
    let restored: Vec<Conversation> = saved
        .into_iter()
        .map(|s| Conversation::restore(s, engine()))
        .collect();
    assert_eq!(postcard::to_allocvec(&restored).unwrap(), bytes);

    let json = fixture("saved-conversations.json");
    let saved: Vec<SavedConversation> = serde_json::from_slice(&json).expect("JSON states");
    let from_json: Vec<Conversation> = saved
        .into_iter()
        .map(|s| Conversation::restore(s, engine()))
        .collect();
    assert_eq!(from_json, restored);
    assert_eq!(serde_json::to_vec(&from_json).unwrap(), json);
}

#[test]
fn a_json_state_without_a_locale_reads() {
    let json = fixture("saved-conversations.json");
    let mut states: Vec<serde_json::Value> = serde_json::from_slice(&json).unwrap();
    let mut state = states.swap_remove(0);
    state.as_object_mut().unwrap().remove("locale");
    let saved: SavedConversation = serde_json::from_value(state).expect("reads");
    assert_eq!(Conversation::restore(saved, engine()).locale(), None);
}

#[test]
fn restoring_keeps_the_bounds() {
    let mut chat = Conversation::new();
    chat.respond(engine(), Input::Open, 1_795_000_000);
    let mut state = serde_json::to_value(&chat).unwrap();
    let line = serde_json::json!({ "speaker": "customer", "text": "长".repeat(2_000), "at": 1 });
    state["transcript"] = serde_json::Value::Array(vec![line; 500]);
    state["slots"] = (0..100)
        .map(|i| serde_json::json!([format!("s{i}"), "值".repeat(1_000)]))
        .collect();
    state["entries_tried"] = (0..100).map(|i| format!("e{i}")).collect();
    let saved: SavedConversation = serde_json::from_value(state).unwrap();
    let restored = serde_json::to_value(Conversation::restore(saved, engine())).unwrap();
    let transcript = restored["transcript"].as_array().unwrap();
    assert_eq!(transcript.len(), 80);
    assert!(transcript
        .iter()
        .all(|l| l["text"].as_str().unwrap().chars().count() == 500));
    let slots = restored["slots"].as_array().unwrap();
    assert_eq!(slots.len(), 40);
    assert!(slots
        .iter()
        .all(|s| s[1].as_str().unwrap().chars().count() == 200));
    assert_eq!(restored["entries_tried"].as_array().unwrap().len(), 20);
}
