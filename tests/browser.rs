//! Browser unit tests: kefu-core and the widget's own modules running as WebAssembly in
//! headless Chromium. Run by `scripts/test-browser.sh`, which first compiles the demo
//! knowledge base into `target/browser-test/kb.bin`.
//!
//! What they prove:
//! 1. A compiled knowledge base loads in the browser and answers "怎么开发票" with `invoice-apply`.
//! 2. A corrupted copy is an error that says what to do, not a panic.
//! 3. Typeahead finds the invoice entries from pinyin initials ("fp").
//! 4. The session: every turn through the conversation engine (welcome once, answers,
//!    an order lookup action and its result), the job queue, a JS/JSON and localStorage
//!    round trip.
//! 5. Uploads are checked for type and size; locales and their strings.
//! 6. The configuration: settings, URL parameters, and what a URL may not change.
//! 7. Bot texts render their limited formatting as DOM nodes; markup stays text.
//! 8. The live conversation's state: frames keyed by `seq`, the outbox, a reload.

#![cfg(target_arch = "wasm32")]

use kefu_core::dialogue::{Action, Input, Message, OrderLookup};
use kefu_core::{Engine, LoadError, Outcome};
use kefu_widget::components::rich_text::RichText;
use kefu_widget::config::{WidgetConfig, DEFAULT_KB_URL};
use kefu_widget::i18n::Lang;
use kefu_widget::session::{JobState, Said, Service, Session};
use wasm_bindgen_test::*;

mod common;
use common::{bot_kinds, engine, KB};

wasm_bindgen_test_configure!(run_in_browser);

/// A fixed time (a weekday afternoon in Beijing), so working hours do not depend on the clock.
const NOW: i64 = 1_795_000_000;

fn entry_id(engine: &Engine, entry: u32) -> &str {
    &engine.kb().entries[entry as usize].id
}

#[wasm_bindgen_test]
fn loads_and_answers_invoice_question() {
    let engine = engine();
    let m = engine.ask("怎么开发票", None);
    match m.outcome {
        Outcome::Answer(entry) => assert_eq!(entry_id(&engine, entry), "invoice-apply"),
        other => panic!(
            "expected an answer, got {other:?} (confidence {})",
            m.confidence
        ),
    }
}

#[wasm_bindgen_test]
fn corrupted_knowledge_base_is_an_error_not_a_panic() {
    let mut bytes = KB.to_vec();
    let middle = kefu_core::format::HEADER_LEN + (bytes.len() - kefu_core::format::HEADER_LEN) / 2;
    bytes[middle] ^= 0x5a;
    let err = Engine::load(&bytes).expect_err("a flipped payload byte must not load");
    assert_eq!(err, LoadError::Corrupted);
    assert!(
        err.to_string().contains("rebuild"),
        "the message says what to do: {err}"
    );

    let truncated = Engine::load(&KB[..KB.len() / 3]).expect_err("a truncated file must not load");
    assert!(
        matches!(truncated, LoadError::Truncated { .. }),
        "{truncated:?}"
    );
}

#[wasm_bindgen_test]
fn suggests_invoice_entries_from_pinyin_initials() {
    let engine = engine();
    let suggestions = engine.suggest("fp", 5);
    assert!(
        suggestions
            .iter()
            .any(|s| entry_id(&engine, s.entry).starts_with("invoice")),
        "suggest(\"fp\") = {:?}",
        suggestions.iter().map(|s| &s.question).collect::<Vec<_>>()
    );
}

#[wasm_bindgen_test]
fn session_opens_with_the_engines_welcome_and_hot_questions() {
    let engine = engine();
    let mut session = Session::new();
    assert!(!session.is_open());
    assert_eq!(session.open(&engine, NOW), None);
    assert!(session.is_open());
    let kinds = bot_kinds(&session);
    assert!(kinds.contains(&"hot-questions"), "hot questions: {kinds:?}");
    let before = session.items.len();
    session.open(&engine, NOW);
    assert_eq!(
        session.items.len(),
        before,
        "opening again does not greet twice"
    );
}

#[wasm_bindgen_test]
fn every_turn_goes_through_the_conversation_engine() {
    let engine = engine();
    let mut session = Session::new();
    session.open(&engine, NOW);
    let (said, action) = session.say(&engine, "怎么开发票", NOW + 5);
    assert!(said);
    assert_eq!(action, None);
    let answered = session.items.iter().any(
        |i| matches!(&i.said, Said::Bot(Message::Answer { entry, .. }) if entry == "invoice-apply"),
    );
    assert!(answered, "{:?}", bot_kinds(&session));
    assert_eq!(
        session.conversation.turns(),
        1,
        "the engine counted the turn"
    );

    assert_eq!(
        session.say(&engine, "   ", NOW + 6),
        (false, None),
        "blank input is ignored"
    );

    // The order question asks the widget to look the order up; the widget feeds the result back.
    let (_, action) = session.say(&engine, "我的订单123456发货了吗？", NOW + 10);
    assert_eq!(
        action,
        Some(Action::LookUpOrder {
            order_no: "123456".into()
        })
    );
    let job = session.enqueue_with_id(action.unwrap(), Service::Orders, "test".into());
    assert_eq!(session.queue.len(), 1);
    session.set_job_state(job, JobState::Sent);
    assert!(session.queue.is_empty(), "a sent job leaves the queue");
    let before = session.items.len();
    session.respond(
        &engine,
        Input::Order(OrderLookup::Failed {
            order_no: "123456".into(),
        }),
        NOW + 11,
    );
    assert!(
        session.items.len() > before,
        "the engine says something about the failed lookup"
    );
}

#[wasm_bindgen_test]
fn the_session_survives_local_storage() {
    use kefu_widget::store::{self, base64};
    let engine = engine();
    let mut session = Session::new();
    session.open(&engine, NOW);
    session.say(&engine, "这款手机的电池容量多大？", NOW + 3);
    session.enqueue_with_id(
        Action::LookUpOrder {
            order_no: "1".into(),
        },
        Service::Orders,
        "x".into(),
    );
    let key = store::session_key("test-kb.bin");
    store::save(&key, &session);
    assert_eq!(store::load(&key, &engine), Some(session));
    store::clear(&key);
    assert_eq!(store::load(&key, &engine), None);

    for bytes in [
        &b""[..],
        b"f",
        b"fo",
        b"foo",
        b"foob",
        &[0, 255, 128, 7, 63],
    ] {
        assert_eq!(
            base64::decode(&base64::encode(bytes)).as_deref(),
            Some(bytes)
        );
    }
    assert_eq!(base64::encode(b"foob"), "Zm9vYg==");
    assert_eq!(base64::decode("Zm9v!g=="), None, "not base64");
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.set_item(&key, "broken").unwrap();
    let restored = store::load(&key, &engine).expect("a damaged save gives a session");
    assert_eq!(
        restored.items.len(),
        1,
        "a damaged save starts a new chat with a notice (tests/stored.rs)"
    );
    store::clear(&key);
}

#[wasm_bindgen_test]
fn turns_waiting_for_the_companion_survive_local_storage() {
    use kefu_core::dialogue::locale::Locale;
    use kefu_core::dialogue::Choice;
    use kefu_widget::chat::{Shown, Turn};
    use kefu_widget::store;
    let key = store::session_key("waiting-kb.bin");
    assert_eq!(store::load_waiting(&key), Vec::new(), "none saved");
    let turns = vec![
        Turn::Open,
        Turn::Say("运费险怎么理赔".into()),
        Turn::Choose {
            label: "详细说说".into(),
            choice: Choice::Detail,
        },
        Turn::SetLocale(Locale::En),
        Turn::Photo {
            id: "p-1".into(),
            name: "box.jpg".into(),
        },
    ];
    store::save_waiting(&key, &turns);
    assert_eq!(store::load_waiting(&key), turns);
    // The other inputs are not kept (the customer typed none of them); the rest keep their order.
    let mut with_input = turns.clone();
    with_input.insert(1, Turn::Input(kefu_core::dialogue::Input::End));
    with_input.push(Turn::LeaveMessage {
        contact: "13800000000".into(),
        question: "发票抬头写错了".into(),
    });
    store::save_waiting(&key, &with_input);
    with_input.remove(1);
    assert_eq!(store::load_waiting(&key), with_input);
    store::save_waiting(&key, &turns);
    // What the customer sees of them while they wait: their words and photo, not the rest.
    let shown: Vec<Shown> = turns.iter().filter_map(Turn::shown).collect();
    assert_eq!(
        shown,
        vec![
            Shown::Text("运费险怎么理赔".into()),
            Shown::Text("详细说说".into()),
            Shown::Photo("box.jpg".into()),
        ]
    );
    assert!(!Turn::SetLocale(Locale::En).awaits_answer());
    assert!(!Turn::Say("  ".into()).awaits_answer());
    // None left: the key is gone; a new conversation forgets them with the session.
    store::save_waiting(&key, &[]);
    assert_eq!(store::load_waiting(&key), Vec::new());
    store::save_waiting(&key, &turns);
    store::clear(&key);
    assert_eq!(store::load_waiting(&key), Vec::new());
    assert!(store::read_waiting("9:AA==").is_err(), "an unknown version");
    assert!(store::read_waiting("1:!!").is_err(), "not base64");
}

#[wasm_bindgen_test]
fn uploads_are_checked_before_sending() {
    use kefu_widget::components::forms::check_image;
    use kefu_widget::i18n::Key;
    assert_eq!(check_image("image/jpeg", 200_000.0), None);
    assert_eq!(
        check_image("image/png", 6.0 * 1024.0 * 1024.0),
        Some(Key::UploadTooBig)
    );
    assert_eq!(
        check_image("application/pdf", 10.0),
        Some(Key::UploadBadType)
    );
    assert_eq!(
        check_image("image/svg+xml", 10.0),
        Some(Key::UploadBadType),
        "SVG can carry scripts"
    );
}

#[wasm_bindgen_test]
fn locales_and_their_strings() {
    use kefu_widget::i18n::{I18n, Key};
    assert_eq!(Lang::from_tag("zh-Hant-TW"), Some(Lang::ZhTw));
    assert_eq!(Lang::from_tag("zh-HK"), Some(Lang::ZhTw));
    assert_eq!(Lang::from_tag("zh-Hans-CN"), Some(Lang::ZhCn));
    assert_eq!(Lang::from_tag("en-GB"), Some(Lang::English));
    assert_eq!(Lang::from_tag("fr"), None);
    let tw = I18n { lang: Lang::ZhTw };
    assert_eq!(tw.t(Key::Send), "傳送");
    assert_eq!(
        I18n {
            lang: Lang::English
        }
        .fill(Key::TooManyTries, &[("secs", "30")]),
        "Too many attempts; please try again in 30 seconds."
    );
}

#[wasm_bindgen_test]
fn config_is_read_from_settings_and_the_query_string() {
    assert_eq!(WidgetConfig::default().kb_url, DEFAULT_KB_URL);
    let config = WidgetConfig::from_query(
        "?fullscreen&lang=en-US&kb=%2Fevil.bin&api=https%3A%2F%2Fevil.example&user=7&userHash=ab",
    );
    assert!(config.fullscreen);
    assert_eq!(config.lang, Lang::English);
    assert_eq!(
        config.kb_url, DEFAULT_KB_URL,
        "a link cannot point the widget at another knowledge base"
    );
    assert_eq!(config.api, None, "nor at another server");
    assert_eq!(config.user.as_ref().map(|u| u.id.as_str()), Some("7"));
    assert!(!WidgetConfig::from_query("?fullscreen=0").fullscreen);

    let settings = js_sys::JSON::parse(
        r##"{"kb":"/shop/kb.bin","api":"https://shop.example/","locale":"zh-TW","position":"left","theme":"dark","primary":"#123456"}"##,
    )
    .expect("JSON");
    let config = WidgetConfig::read(&settings, "?lang=en");
    assert_eq!(config.kb_url, "/shop/kb.bin");
    assert_eq!(config.api.as_deref(), Some("https://shop.example"));
    assert_eq!(config.lang, Lang::English, "the URL wins for the language");
    assert!(config.theme.left);
    assert_eq!(config.theme.dark, Some(true));
    assert_eq!(config.theme.primary.as_deref(), Some("#123456"));
    assert_eq!(WidgetConfig::read(&settings, "").lang, Lang::ZhTw);
}

#[wasm_bindgen_test]
fn rich_text_renders_formatting_and_never_html() {
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;

    let document = leptos::prelude::document();
    let host: web_sys::HtmlElement = document
        .create_element("div")
        .expect("a div")
        .unchecked_into();
    document
        .body()
        .expect("a body")
        .append_child(&host)
        .expect("appended");
    let text = "寄回：**小麦路88号** <script>alert(1)</script>\n- 详见[退货说明](https://shop.example/r)\n- [坏链接](javascript:alert(1))";
    let mounted = leptos::mount::mount_to(host.clone(), move || view! { <RichText text=text /> });

    let count = |tag: &str| host.get_elements_by_tag_name(tag).length();
    assert_eq!(
        count("script"),
        0,
        "markup in a text is never parsed as HTML"
    );
    assert_eq!(
        host.query_selector("strong")
            .ok()
            .flatten()
            .and_then(|e| e.text_content()),
        Some("小麦路88号".into())
    );
    assert_eq!(count("li"), 2);
    assert_eq!(count("a"), 1, "only http(s) links become links");
    let link = host.query_selector("a").ok().flatten().expect("a link");
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("https://shop.example/r")
    );
    assert!(host
        .text_content()
        .unwrap_or_default()
        .contains("<script>alert(1)</script>"));
    drop(mounted);
    host.remove();
}

/// The live conversation: messages keyed by `seq` (a replay after a resume shows nothing
/// twice), the outbox emptied by acknowledgements, the customer's own echo not shown again,
/// everything saved for a reload, and the close handing the chat back to the bot.
#[wasm_bindgen_test]
fn live_conversation_frames_are_shown_once_and_survive_a_reload() {
    use kefu_protocol::handoff::HandoffCreated;
    use kefu_protocol::ws::{AgentInfo, LiveMessage, MessageContent, ServerFrame};
    use kefu_protocol::{QueueStatus, Sender};
    use kefu_widget::session::Notice;
    use kefu_widget::store;

    let engine = engine();
    let mut session = Session::new();
    session.open(&engine, NOW);
    assert!(
        session.live_say("你好").is_none(),
        "nothing to send before a handoff"
    );
    session.start_live(
        &HandoffCreated {
            conversation: "c1".into(),
            customer_token: "secret".into(),
            ws_url: "/api/v1/conversations/c1/ws".into(),
            queue: QueueStatus {
                position: 2,
                expected_wait_secs: None,
            },
        },
        "p".into(),
    );
    assert!(session.is_live());
    let queue = |s: &Session| {
        s.items
            .iter()
            .filter(|i| matches!(i.said, Said::Widget(Notice::Queue { .. })))
            .count()
    };
    session.live_frame(ServerFrame::Queue(QueueStatus {
        position: 1,
        expected_wait_secs: Some(61),
    }));
    assert_eq!(queue(&session), 1, "the queue notice is updated in place");
    assert!(session.items.iter().any(|i| i.said
        == Said::Widget(Notice::Queue {
            position: Some(1),
            minutes: Some(2)
        })));
    let welcome = session.live_frame(ServerFrame::Welcome {
        conversation: "c1".into(),
        last_seq: 0,
        protocol: 1,
    });
    assert!(welcome.welcome);
    let joined = ServerFrame::AgentJoined {
        agent: AgentInfo {
            name: "小美".into(),
        },
    };
    session.live_frame(joined.clone());
    session.live_frame(joined);
    let agent_joined = |s: &Session| {
        s.items
            .iter()
            .filter(|i| matches!(i.said, Said::Widget(Notice::AgentJoined(_))))
            .count()
    };
    assert_eq!(
        agent_joined(&session),
        1,
        "a reconnect's agent-joined is not repeated"
    );

    let sent = session.live_say("  我的订单还没到  ").unwrap();
    assert_eq!(sent.text, "我的订单还没到");
    assert!(session.is_pending(&sent.id));
    let message = |seq: u64, id: &str, from: Sender, text: &str| {
        ServerFrame::Message(LiveMessage {
            seq,
            id: id.into(),
            from,
            agent: (from == Sender::Agent).then(|| "小美".to_string()),
            content: MessageContent::Text { text: text.into() },
            at: NOW,
        })
    };
    let agent_msg = message(1, "a-1", Sender::Agent, "<b>您好</b>");
    assert_eq!(session.live_frame(agent_msg.clone()).ack, Some(1));
    // Saved and reloaded before the customer's message was acknowledged.
    let key = store::session_key("live-test-kb.bin");
    store::save(&key, &session);
    let mut session = store::load(&key, &engine).expect("the live state is saved");
    store::clear(&key);
    assert!(session.is_pending(&sent.id), "the outbox survives a reload");
    // After the reconnect: the replay of seq 1 is skipped, the ack and echo of ours too.
    assert_eq!(session.live_frame(agent_msg).ack, None);
    session.live_frame(ServerFrame::Ack {
        id: sent.id.clone(),
        seq: 2,
    });
    assert!(!session.is_pending(&sent.id));
    session.live_frame(message(2, &sent.id, Sender::Customer, "我的订单还没到"));
    session.live_frame(message(3, "other-tab", Sender::Customer, "另一个标签页"));
    let live_texts: Vec<&str> = session
        .items
        .iter()
        .filter_map(|i| match &i.said {
            Said::CustomerLive { text, .. } => Some(text.as_str()),
            Said::Agent { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        live_texts,
        ["我的订单还没到", "<b>您好</b>", "另一个标签页"],
        "each once, markup kept as text"
    );
    assert_eq!(session.live.as_ref().unwrap().last_seq, 3);

    let closed = session.live_frame(ServerFrame::Closed { by: Sender::Agent });
    assert!(closed.closed);
    assert!(!session.is_live(), "the customer talks to the bot again");
}

#[wasm_bindgen_test]
fn phone_digits_are_read_from_short_replies_only() {
    use kefu_widget::session::phone_last4;
    assert_eq!(phone_last4("5678").as_deref(), Some("5678"));
    assert_eq!(phone_last4(" ５６７８ ").as_deref(), Some("5678"));
    assert_eq!(phone_last4("尾号5678").as_deref(), Some("5678"));
    assert_eq!(phone_last4("567"), None);
    assert_eq!(phone_last4("13812345678"), None);
    assert_eq!(phone_last4("我想问一下5678这个订单怎么还没到"), None);
}

/// An image for the agent chosen offline: shown at once as waiting, under the client id its
/// message will have; kept over a reload; once uploaded it becomes the message (in the
/// outbox until acknowledged) exactly once — a second upload of it sends nothing; its echo
/// is not shown again; one that cannot be sent becomes a notice saying so.
#[wasm_bindgen_test]
fn an_image_waiting_for_the_network_is_sent_once() {
    use kefu_protocol::handoff::HandoffCreated;
    use kefu_protocol::ws::{LiveMessage, MessageContent, ServerFrame};
    use kefu_protocol::{QueueStatus, Sender};
    use kefu_widget::session::Notice;
    use kefu_widget::store;

    let engine = engine();
    let mut session = Session::new();
    session.open(&engine, NOW);
    assert_eq!(
        session.live_queue_image("a.png"),
        None,
        "no live conversation yet"
    );
    session.start_live(
        &HandoffCreated {
            conversation: "c1".into(),
            customer_token: "secret".into(),
            ws_url: "/api/v1/conversations/c1/ws".into(),
            queue: QueueStatus {
                position: 1,
                expected_wait_secs: None,
            },
        },
        "p".into(),
    );
    let id = session.live_queue_image("seam.png").unwrap();
    let other = session.live_queue_image("box.png").unwrap();
    assert_ne!(id, other);
    assert_eq!(
        session.queued_images(),
        vec![
            (id.clone(), "seam.png".to_string()),
            (other.clone(), "box.png".to_string())
        ]
    );
    assert!(
        !session.is_pending(&id),
        "nothing in the outbox before the upload"
    );
    assert_eq!(
        session.last_customer_item(),
        Some(session.items.last().unwrap().id)
    );

    let key = store::session_key("upload-test-kb.bin");
    store::save(&key, &session);
    let mut session = store::load(&key, &engine).expect("saved");
    store::clear(&key);
    assert_eq!(session.queued_images().len(), 2, "kept over a reload");

    let out = session.live_image_uploaded(&id, "img-1".into()).unwrap();
    assert_eq!(out.id, id);
    assert_eq!(
        out.content(),
        MessageContent::Image {
            image: "img-1".into()
        }
    );
    assert!(session.is_pending(&id));
    assert_eq!(
        session.live_image_uploaded(&id, "img-2".into()),
        None,
        "sent once"
    );
    assert_eq!(
        session.queued_images(),
        vec![(other.clone(), "box.png".to_string())]
    );
    let shown = |s: &Session| {
        s.items
            .iter()
            .filter(
                |i| matches!(&i.said, Said::CustomerLiveImage { name, .. } if name == "seam.png"),
            )
            .count()
    };
    assert_eq!(shown(&session), 1);
    session.live_frame(ServerFrame::Message(LiveMessage {
        seq: 1,
        id: id.clone(),
        from: Sender::Customer,
        agent: None,
        content: MessageContent::Image {
            image: "img-1".into(),
        },
        at: NOW,
    }));
    assert!(!session.is_pending(&id), "acknowledged by its echo");
    assert_eq!(shown(&session), 1, "the echo is not shown again");

    // Refused by the server: failed, kept for a retry under the same client id.
    session.live_image_failed(&other, "HTTP 500 internal".into(), true);
    assert!(session.queued_images().is_empty());
    assert!(
        session.needs_picture(&other),
        "its picture is kept for the retry"
    );
    assert!(session.items.iter().any(|i| matches!(&i.said,
        Said::CustomerFailedImage { name, .. } if name == "box.png")));
    assert!(session.live_image_retry(&other));
    assert_eq!(
        session.queued_images(),
        vec![(other.clone(), "box.png".to_string())]
    );
    // Lost (or the conversation closed): a notice says so, nothing to retry.
    session.live_image_failed(&other, "lost".into(), false);
    assert!(!session.needs_picture(&other));
    assert!(!session.live_image_retry(&other));
    assert!(session.items.iter().any(|i| matches!(&i.said,
        Said::Widget(Notice::ImageFailed { name, .. }) if name == "box.png")));
}

#[wasm_bindgen_test]
fn a_flow_photo_answers_its_step_with_its_reference_and_waits_until_sent() {
    use kefu_core::dialogue::{OrderInfo, OrderStatus};
    use kefu_widget::session::PhotoState;
    let engine = engine();
    let mut s = Session::new();
    s.open(&engine, NOW);
    s.say(&engine, "我要退货", NOW);
    s.say(&engine, "123456789012", NOW);
    // Delivered 20 days ago: past the 15 days for quality returns, so the flow hands off
    // with what it collected.
    s.respond(
        &engine,
        Input::Order(OrderLookup::Found(OrderInfo {
            order_no: "123456789012".into(),
            status: OrderStatus::Delivered,
            delivered_at: Some(NOW - 20 * 86_400),
            ..OrderInfo::default()
        })),
        NOW,
    );
    s.say(&engine, "质量问题", NOW);
    let id = "upl-abcdefghijklmnopqrstuvwxyz";
    let action = s.photo(&engine, id, "seam.png", NOW);
    let Some(Action::HandOff(handoff)) = action else {
        panic!("expected the handoff, got {action:?}");
    };
    assert!(
        handoff
            .slots
            .iter()
            .any(|slot| slot.name == "photo" && slot.value == id),
        "the step's slot holds the reference: {:?}",
        handoff.slots
    );
    assert_eq!(
        s.waiting_photos(),
        vec![(id.to_string(), "seam.png".to_string())]
    );
    assert!(s.needs_picture(id));
    // Refused: still kept for a retry; sent: no longer waiting nor kept.
    assert!(s.set_photo_state(id, PhotoState::Failed("HTTP 500 internal".into())));
    assert!(s.waiting_photos().is_empty());
    assert!(s.needs_picture(id));
    assert!(s.set_photo_state(id, PhotoState::Sent));
    assert!(!s.needs_picture(id));
    assert!(!s.set_photo_state("upl-nosuchphotonosuchphotonosu", PhotoState::Sent));
}
