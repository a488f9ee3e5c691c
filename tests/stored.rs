//! The stored form of the session (`kefu_widget::store`) across builds, in headless Chromium.
//! Run by `scripts/test-browser.sh` with `tests/browser.rs`.
//!
//! What they prove:
//! 1. A session saved by the build before the versioned form (`fixtures/session-v1.txt`:
//!    base64 postcard, written by that build's `store::save`) is restored whole — what was
//!    shown, the engine's state, the queued order lookup — and today's types encode it to the
//!    same bytes (the layout guard: it fails when the session's layout changes without a new
//!    stored-form version and upgrade step).
//! 2. A version-2 save with a live conversation (`fixtures/session-v2-live.txt`) is upgraded
//!    (its outbox message gets no image); the form written now (`3:` + base64 postcard)
//!    reads back equal, and today's types write the version-3 fixture to the same text.
//! 3. A value that does not read (a layout this build has no step for, an unknown version,
//!    garbage) keeps the transcript's text where it can, with a notice, and the chat greets
//!    again; nothing is lost silently.

#![cfg(target_arch = "wasm32")]

use kefu_core::dialogue::state::Speaker;
use kefu_core::dialogue::{Action, Message};
use kefu_widget::session::{Notice, Said, Session};
use kefu_widget::store::{self, base64, Read};
use wasm_bindgen_test::*;

mod common;
use common::{bot_kinds, engine};

wasm_bindgen_test_configure!(run_in_browser);

/// A session saved by `store::save` before the stored form had a version: the welcome, the
/// phone battery question, its clarify answered with X1 Pro, an offline notice and an order
/// lookup queued with client id `fixture-job-1`.
const V1: &str = include_str!("fixtures/session-v1.txt");
/// Saved by `store::save` of the build that wrote version 2: 「转人工」, the handoff's live
/// conversation (`c-fixture`) and a message in its outbox, not yet acknowledged.
const V2_LIVE: &str = include_str!("fixtures/session-v2-live.txt");
/// [`V2_LIVE`] upgraded, with an image for the agent in the outbox (version 3).
const V3_LIVE: &str = include_str!("fixtures/session-v3-live.txt");

fn customer_texts(session: &Session) -> Vec<String> {
    session
        .items
        .iter()
        .filter_map(|i| match &i.said {
            Said::Customer(t) => Some(t.clone()),
            _ => None,
        })
        .collect()
}

fn v1_session() -> Session {
    match store::read(V1.trim(), &engine()) {
        Read::Session { session, from } => {
            assert_eq!(from, 1);
            *session
        }
        other => panic!(
            "the version-1 fixture does not read (the layout changed: see the store module): {other:?}"
        ),
    }
}

#[wasm_bindgen_test]
fn a_session_saved_before_the_versioned_form_is_restored_whole() {
    let session = v1_session();
    let said = customer_texts(&session);
    assert_eq!(said.len(), 3, "{said:?}");
    assert_eq!(said[0], "这款手机的电池容量多大？");
    assert!(said[1].contains("X1 Pro"), "{said:?}");
    assert_eq!(said[2], "我的订单123456发货了吗？");
    let kinds = bot_kinds(&session);
    for kind in [
        "hot-questions",
        "clarify",
        "text",
        "quick-replies",
        "notice",
    ] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }
    assert!(session
        .items
        .iter()
        .any(|i| i.said == Said::Widget(Notice::Offline)));
    assert_eq!(session.queue.len(), 1);
    assert_eq!(session.queue[0].client_id, "fixture-job-1");
    assert_eq!(
        session.queue[0].action,
        Action::LookUpOrder {
            order_no: "123456".into()
        }
    );
    assert!(session.conversation.turns() >= 3);
    assert!(session.is_open(), "restored open: no second welcome");

    // It goes on where it was: 「那拍照效果呢？」 asks about the same phone (in the engine's context).
    let engine = engine();
    let mut session = session;
    session.say(&engine, "那拍照效果呢？", 1_795_000_100);
    let last = session.items.last().map(|i| &i.said);
    assert!(
        session.items.iter().rev().take(3).any(|i| matches!(
            &i.said,
            Said::Bot(Message::Answer { text, .. } | Message::Text { text }) if text.contains("一英寸")
        )),
        "{last:?}"
    );
}

#[wasm_bindgen_test]
fn the_layout_is_the_one_version_1_was_written_in() {
    let session = v1_session();
    let bytes = base64::decode(V1.trim()).unwrap();
    assert!(
        postcard::to_allocvec(&session).unwrap() == bytes,
        "the session's stored layout changed (a field added, removed or moved in \
         kefu_widget::session or kefu_core::dialogue::state / reply): raise \
         store::STORED_VERSION, keep the previous layout as frozen types and add an upgrade \
         step to store::read (see the store module's documentation)"
    );
}

fn v2_live_session() -> Session {
    match store::read(V2_LIVE.trim(), &engine()) {
        Read::Session { session, from } => {
            assert_eq!(from, 2);
            *session
        }
        other => panic!("the version-2 fixture does not read: {other:?}"),
    }
}

#[wasm_bindgen_test]
fn a_version_2_live_conversation_is_upgraded() {
    let session = v2_live_session();
    let live = session.live.as_ref().expect("the live conversation");
    assert_eq!(live.conversation, "c-fixture");
    assert_eq!(live.token, "token-fixture");
    assert_eq!(live.outbox.len(), 1);
    assert_eq!(live.outbox[0].text, "你好，我的快递还没到");
    assert_eq!(live.outbox[0].image, None);
    assert!(
        session.is_pending(&live.outbox[0].id),
        "resent after the reload"
    );
    assert!(session.is_live());
}

#[wasm_bindgen_test]
fn the_current_form_reads_back_and_keeps_its_layout() {
    let mut session = v2_live_session();
    let image = session
        .live_image("seam.png", "img-fixture".into())
        .expect("live");
    assert_eq!(
        image.content(),
        kefu_protocol::ws::MessageContent::Image {
            image: "img-fixture".into()
        }
    );
    let text = store::write(&session).unwrap();
    assert!(text.starts_with("3:"), "{}", &text[..20]);
    assert_eq!(
        store::read(&text, &engine()),
        Read::Session {
            session: Box::new(session.clone()),
            from: 3
        }
    );
    assert!(
        text == V3_LIVE.trim(),
        "the session's stored layout changed (a field added, removed or moved in \
         kefu_widget::session or the engine's state): raise store::STORED_VERSION, keep the \
         previous layout as frozen types (as session::v2 does) and add an upgrade step to \
         store::read; then write this fixture anew. Now: {text}"
    );
}

fn assert_kept(session: &Session, of: &Session) {
    let lines = of.conversation.transcript();
    assert!(!lines.is_empty());
    let shown: Vec<(bool, &str)> = session
        .items
        .iter()
        .filter_map(|i| match &i.said {
            Said::Customer(t) => Some((true, t.as_str())),
            Said::Bot(Message::Text { text }) => Some((false, text.as_str())),
            _ => None,
        })
        .collect();
    let want: Vec<(bool, &str)> = lines
        .iter()
        .map(|l| (l.speaker == Speaker::Customer, l.text.as_str()))
        .collect();
    assert_eq!(
        shown, want,
        "every transcript line shown as text, in order: {:?}",
        session.items
    );
    assert_eq!(
        session.items.last().map(|i| &i.said),
        Some(&Said::Widget(Notice::Unrestored { kept: true }))
    );
    assert_eq!(
        session.conversation.transcript(),
        lines,
        "kept for a handoff"
    );
    assert!(!session.is_open(), "the chat greets again after the notice");
}

#[wasm_bindgen_test]
fn what_does_not_read_keeps_its_transcript_and_says_so() {
    let saved = v1_session();
    let bytes = base64::decode(V1.trim()).unwrap();

    // A layout this build cannot read: the conversation's first fields and transcript are
    // there, what follows does not fit (cut short here; bytes left over do not read either).
    let mut cut = bytes.clone();
    cut.truncate(bytes.len() * 2 / 3);
    let text = format!("2:{}", base64::encode(&cut));
    let Read::Unreadable { lines, why } = store::read(&text, &engine()) else {
        panic!("a cut value must not read");
    };
    assert_eq!(lines, saved.conversation.transcript(), "{why}");
    assert_kept(&store::restore(&text, &engine()), &saved);
    let mut longer = bytes.clone();
    longer.push(0);
    assert_kept(&store::restore(&base64::encode(&longer), &engine()), &saved);

    // A version this build does not know.
    assert_kept(
        &store::restore(&format!("9:{}", V1.trim()), &engine()),
        &saved,
    );

    // Nothing to keep: the notice says the conversation is lost.
    let engine = engine();
    for broken in ["broken", "2:", "2:AAAA", "x:Zm9v"] {
        let mut session = store::restore(broken, &engine);
        assert_eq!(
            session.items.iter().map(|i| &i.said).collect::<Vec<_>>(),
            vec![&Said::Widget(Notice::Unrestored { kept: false })],
            "{broken}"
        );
        session.open(&engine, 1_795_000_000);
        assert!(session.is_open() && bot_kinds(&session).contains(&"hot-questions"));
    }
}
