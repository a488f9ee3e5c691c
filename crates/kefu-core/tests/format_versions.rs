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
