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
fn a_v3_file_upgrades_and_rewrites_as_v4_unchanged() {
    // The v3 fixture, upgraded on loading, then written by this build (format 5, whose
    // index is format 4's) and read again: the same knowledge base, index included,
    // answering the same way.
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
    assert_eq!(version, 5);
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
