//! Browser unit tests: kefu-core and the widget's own modules running as WebAssembly in
//! headless Chromium. Run by `scripts/test-browser.sh`, which first compiles the demo
//! knowledge base into `target/browser-test/kb.bin`.
//!
//! What they prove:
//! 1. A compiled knowledge base loads in the browser and answers "怎么开发票" with `invoice-apply`.
//! 2. A corrupted copy is an error that says what to do, not a panic.
//! 3. Typeahead finds the invoice entries from pinyin initials ("fp").
//! 4. The widget's transcript: welcome with hot questions, answers, clarify/fallback for an
//!    out-of-scope question, picking an entry, the detailed answer, blank input ignored.
//! 5. The page configuration is read from the query string.
//! 6. Bot texts render their limited formatting as DOM nodes; markup stays text.

#![cfg(target_arch = "wasm32")]

use kefu_core::{Engine, LoadError, Outcome};
use kefu_widget::components::rich_text::RichText;
use kefu_widget::config::{WidgetConfig, DEFAULT_KB_URL};
use kefu_widget::i18n::Lang;
use kefu_widget::transcript::{BotReply, Said, Transcript};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

static KB: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/target/browser-test/kb.bin"
));

fn engine() -> Engine {
    Engine::load(KB).expect("the demo knowledge base loads")
}

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
fn transcript_starts_with_welcome_and_hot_questions() {
    let engine = engine();
    let transcript = Transcript::start(&engine);
    let [first] = transcript.messages() else {
        panic!("one greeting, got {:?}", transcript.messages())
    };
    match &first.said {
        Said::Bot(BotReply::Welcome { hot }) => {
            assert_eq!(hot, &engine.kb().settings.hot_questions)
        }
        other => panic!("expected the welcome, got {other:?}"),
    }
    assert!(!engine.kb().settings.hot_questions.is_empty());
}

#[wasm_bindgen_test]
fn transcript_answers_clarifies_or_falls_back() {
    let engine = engine();
    let mut transcript = Transcript::start(&engine);
    assert!(transcript.ask(&engine, "怎么开发票", None));
    let messages = transcript.messages();
    assert_eq!(messages[1].said, Said::Customer("怎么开发票".into()));
    let Said::Bot(BotReply::Answer { entry }) = messages[2].said else {
        panic!("expected an answer, got {:?}", messages[2].said)
    };
    assert_eq!(entry_id(&engine, entry), "invoice-apply");

    // FIXME(kefu-core): "发票怎么开" is answered or, at the time of writing, only offered as
    // the single choice of a clarify (confidence 0.49, just under the answer floor).
    assert!(transcript.ask(&engine, "发票怎么开", None));
    let offered = match &transcript.messages()[4].said {
        Said::Bot(BotReply::Answer { entry }) => vec![*entry],
        Said::Bot(BotReply::Clarify { choices }) => choices.clone(),
        other => panic!("expected the invoice entry, got {other:?}"),
    };
    assert!(offered
        .iter()
        .any(|&e| entry_id(&engine, e) == "invoice-apply"));

    assert!(transcript.ask(&engine, "今天天气怎么样", None));
    let reply = &transcript.messages()[6].said;
    assert!(
        matches!(
            reply,
            Said::Bot(BotReply::Fallback { .. } | BotReply::Clarify { .. })
        ),
        "an out-of-scope question gets no confident answer: {reply:?}"
    );

    assert!(
        !transcript.ask(&engine, "   ", None),
        "blank input is ignored"
    );
    assert_eq!(transcript.messages().len(), 7);
    let ids: Vec<u32> = transcript.messages().iter().map(|m| m.id).collect();
    assert_eq!(ids, (0..7).collect::<Vec<u32>>());
}

#[wasm_bindgen_test]
fn picking_an_entry_answers_it_and_detail_expands_it() {
    let engine = engine();
    let (invoice, entry) = engine
        .kb()
        .entry_by_id("invoice-apply")
        .expect("invoice-apply exists");
    assert!(
        entry.detail.is_some(),
        "the demo entry has a detailed answer"
    );
    let mut transcript = Transcript::start(&engine);
    assert!(transcript.pick(&engine, invoice));
    assert!(transcript.expand(&engine, invoice, "详细说说"));
    let said: Vec<&Said> = transcript.messages().iter().map(|m| &m.said).collect();
    assert_eq!(said[1], &Said::Customer(entry.question.clone()));
    assert_eq!(said[2], &Said::Bot(BotReply::Answer { entry: invoice }));
    assert_eq!(said[3], &Said::Customer("详细说说".into()));
    assert_eq!(said[4], &Said::Bot(BotReply::Detail { entry: invoice }));
    assert!(
        !transcript.pick(&engine, u32::MAX),
        "an unknown entry is ignored"
    );
}

#[wasm_bindgen_test]
fn config_is_read_from_the_query_string() {
    assert_eq!(WidgetConfig::from_query(""), WidgetConfig::default());
    assert_eq!(WidgetConfig::default().kb_url, DEFAULT_KB_URL);
    let config = WidgetConfig::from_query("?fullscreen&lang=en-US&kb=%2Fshop%2Fkb.bin");
    assert!(config.fullscreen);
    assert_eq!(config.lang, Lang::English);
    assert_eq!(config.kb_url, "/shop/kb.bin");
    assert!(!WidgetConfig::from_query("?fullscreen=0").fullscreen);
    assert_eq!(WidgetConfig::from_query("?lang=xx").lang, Lang::ZhCn);
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
