//! Every knowledge-base format version this engine claims to read has a fixture file here,
//! compiled by the `kefu` of that version from `fixtures/mini-kb.jsonl`, and must keep
//! opening and answering. When the payload's shape changes, bump `FORMAT_VERSION`, add the
//! new fixture (`kefu build crates/kefu-core/tests/fixtures/mini-kb.jsonl -o
//! crates/kefu-core/tests/fixtures/v<N>.bin`) and upgrade old versions in `format::decode` —
//! or raise `FORMAT_OLDEST_SUPPORTED` and delete the fixtures it no longer covers.

use kefu_core::format::{FORMAT_OLDEST_SUPPORTED, FORMAT_VERSION};
use kefu_core::{Engine, Outcome};

fn fixture(version: u16) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/v{version}.bin",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

#[test]
fn every_supported_version_opens_and_answers() {
    for version in FORMAT_OLDEST_SUPPORTED..=FORMAT_VERSION {
        let engine = Engine::load(&fixture(version)).unwrap_or_else(|e| {
            panic!("format v{version} fixture no longer loads ({e}): the payload changed shape without a version bump")
        });
        let m = engine.ask("发票怎么开", None);
        let top = m
            .candidates
            .first()
            .map(|c| engine.kb().entries[c.entry as usize].id.as_str());
        assert_eq!(top, Some("invoice-apply"), "v{version}");
        assert!(
            !matches!(
                engine.ask("今天天气怎么样", None).outcome,
                Outcome::Answer(_)
            ),
            "v{version}"
        );
    }
}

#[test]
fn the_current_compiler_writes_the_current_version() {
    let source = format!(
        "{}/tests/fixtures/mini-kb.jsonl",
        env!("CARGO_MANIFEST_DIR")
    );
    let compiled =
        kefu_compiler::compile(std::path::Path::new(&source)).expect("fixture source compiles");
    let bytes = kefu_core::format::encode(&compiled.for_device());
    let (version, _) = kefu_core::format::open(&bytes).expect("opens");
    assert_eq!(version, FORMAT_VERSION);
}

/// The questions the upgrade tests compare engines on: answered, clarified, corrected
/// (pinyin, homophones, traditional characters) and out of scope.
const PROBES: &[&str] = &[
    "发票怎么开",
    "怎么开发票",
    "我要退货",
    "退货地址",
    "fapiao",
    "tuihuo",
    "发飘怎么开",
    "發票",
    "今天天气怎么样",
    "refund",
    "",
];

fn same_answers(a: &Engine, b: &Engine, what: &str) {
    for q in PROBES {
        let (ma, mb) = (a.ask(q, None), b.ask(q, None));
        assert_eq!(ma, mb, "{what}: {q}");
        assert_eq!(a.features(q), b.features(q), "{what}: {q}");
        assert_eq!(a.suggest(q, 5), b.suggest(q, 5), "{what}: {q}");
    }
}

#[test]
fn a_v3_file_upgrades_and_rewrites_as_the_current_version_unchanged() {
    // The v3 fixture, upgraded on loading, then written by this build (format 5) and read
    // again: the same knowledge base, index included, answering the same way.
    let v3 = kefu_core::format::decode(&fixture(3)).expect("v3 fixture decodes");
    let rewritten = kefu_core::format::encode(&v3);
    let (version, _) = kefu_core::format::open(&rewritten).expect("opens");
    assert_eq!(version, FORMAT_VERSION);
    let v4 = kefu_core::format::decode(&rewritten).expect("rewritten file decodes");
    assert!(
        v4 == v3,
        "the rewritten knowledge base differs from the v3 one"
    );
    let (a, b) = (
        Engine::from_kb(v3).expect("v3 loads"),
        Engine::from_kb(v4).expect("v4 loads"),
    );
    same_answers(&a, &b, "v3 → v4");
    // Format 4 is smaller: the bigrams and postings are rebuilt from token streams.
    assert!(
        rewritten.len() < fixture(3).len(),
        "{} ≥ {}",
        rewritten.len(),
        fixture(3).len()
    );
}

#[test]
fn a_v4_file_upgrades_to_v5_unchanged_and_answers_like_a_fresh_build() {
    // The v4 fixture (texts as UTF-8), rewritten by this build (texts as character
    // numbers) and read again: the same knowledge base, answering the same way.
    let v4 = kefu_core::format::decode(&fixture(4)).expect("v4 fixture decodes");
    let rewritten = kefu_core::format::encode(&v4);
    let (version, _) = kefu_core::format::open(&rewritten).expect("opens");
    assert_eq!(version, FORMAT_VERSION);
    let v5 = kefu_core::format::decode(&rewritten).expect("rewritten file decodes");
    assert!(
        v5 == v4,
        "the rewritten knowledge base differs from the v4 one"
    );
    assert!(
        rewritten.len() < fixture(4).len(),
        "{} ≥ {}",
        rewritten.len(),
        fixture(4).len()
    );
    let (a, b) = (
        Engine::from_kb(v4.clone()).expect("v4 loads"),
        Engine::from_kb(v5).expect("v5 loads"),
    );
    same_answers(&a, &b, "v4 → v5");
    // And as the same sources compiled by this build (smaller character tables): the
    // same entries, the same answers to the probes.
    let source = format!(
        "{}/tests/fixtures/mini-kb.jsonl",
        env!("CARGO_MANIFEST_DIR")
    );
    let fresh = kefu_compiler::compile(std::path::Path::new(&source))
        .expect("fixture source compiles")
        .for_device();
    assert!(
        fresh.entries == v4.entries,
        "entries differ from the v4 fixture's"
    );
    let fresh = Engine::from_kb(fresh).expect("fresh build loads");
    for q in PROBES {
        let (ma, mb) = (a.ask(q, None), fresh.ask(q, None));
        assert_eq!(ma.outcome, mb.outcome, "v4 fixture vs fresh build: {q}");
        let top = |m: &kefu_core::Match| m.candidates.first().map(|c| c.entry);
        assert_eq!(top(&ma), top(&mb), "v4 fixture vs fresh build: {q}");
    }
}

#[test]
fn the_compiled_index_survives_the_v4_streams_exactly() {
    // Every term, posting and per-term entry count comes back from the streams as the
    // compiler built it, for the demo knowledge base and the fixture's.
    for source in ["kb", "crates/kefu-core/tests/fixtures/mini-kb.jsonl"] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(source);
        let compiled = kefu_compiler::compile(&path).expect("compiles");
        let kb = compiled.for_device();
        let back = kefu_core::format::decode(&kefu_core::format::encode(&kb)).expect("decodes");
        assert!(back.index.terms == kb.index.terms, "{source}: terms");
        assert!(back.index.docs == kb.index.docs, "{source}: postings");
        assert!(back.index.offsets == kb.index.offsets, "{source}: offsets");
        assert!(
            back.index.term_entries == kb.index.term_entries,
            "{source}: entry counts"
        );
        assert!(back == kb, "{source}: knowledge base");
        let (a, b) = (Engine::from_kb(kb).unwrap(), Engine::from_kb(back).unwrap());
        same_answers(&a, &b, source);
    }
}

#[test]
fn a_newer_version_is_refused_with_a_clear_message() {
    let mut bytes = fixture(FORMAT_VERSION);
    bytes[8..10].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
    let err = Engine::load(&bytes).unwrap_err();
    assert!(
        matches!(err, kefu_core::LoadError::TooNew { found, supported } if found == FORMAT_VERSION + 1 && supported == FORMAT_VERSION),
        "{err}"
    );
    assert!(err.to_string().contains("update the widget"), "{err}");
}

/// A conversation's replies as `kind: summary` lines.
fn said(reply: &kefu_core::dialogue::Reply) -> Vec<String> {
    reply
        .messages
        .iter()
        .map(|m| format!("{}: {}", m.kind(), m.summary()))
        .collect()
}

#[test]
fn a_v4_file_with_flows_upgrades_and_runs_them_in_the_shops_words() {
    // `v4-flows.bin` was written by the format-4 compiler from `fixtures/flows-kb/` (a flow,
    // a product). Format 5 adds translations of flows and catalogues; a v4 file has none, so
    // its flows run as before — and an English customer sees the shop's own words there.
    use kefu_core::dialogue::{Conversation, Input, Locale};
    let bytes = fixture_named("v4-flows.bin");
    let (version, _) = kefu_core::format::open(&bytes).expect("opens");
    assert_eq!(version, 4);
    let engine = Engine::load(&bytes).expect("the v4 file with flows loads");
    assert!(engine.kb().dialogue.translations.is_empty());
    assert_eq!(engine.kb().dialogue.flows.len(), 1);
    let now = 1_795_000_000;
    let mut chat = Conversation::new();
    let reply = chat.respond(&engine, Input::Text("我要退货".into()), now);
    assert!(
        said(&reply).iter().any(|l| l.contains("退货的原因")),
        "{:?}",
        said(&reply)
    );
    let reply = chat.respond(&engine, Input::Text("不想要了".into()), now + 10);
    assert!(
        said(&reply).iter().any(|l| l.contains("是否未使用")),
        "{:?}",
        said(&reply)
    );
    let reply = chat.respond(&engine, Input::Text("是的".into()), now + 20);
    assert!(
        said(&reply).iter().any(|l| l.contains("杭州市小店路1号")),
        "{:?}",
        said(&reply)
    );
    // An English customer: the flow (untranslated in a v4 file) in the shop's own words.
    let mut chat = Conversation::new();
    chat.set_locale(Locale::En);
    let start = kefu_core::dialogue::Choice::StartFlow("return".into());
    let reply = chat.respond(&engine, Input::Choice(start), now);
    assert!(
        said(&reply).iter().any(|l| l.contains("退货的原因")),
        "{:?}",
        said(&reply)
    );
    assert_eq!(chat.locale(), Some(Locale::En));
    // Rewritten by this build it is a format-5 file, equal to the upgraded one.
    let kb = kefu_core::format::decode(&bytes).expect("decodes");
    let rewritten = kefu_core::format::encode(&kb);
    assert_eq!(
        kefu_core::format::open(&rewritten).unwrap().0,
        FORMAT_VERSION
    );
    assert!(kefu_core::format::decode(&rewritten).unwrap() == kb);
}

fn fixture_named(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}
