//! Regression tests for the engine's defences: stale per-query buffers, forged files that
//! claim huge sizes, damaged confidence models and header bytes.

mod common;

use common::repo_path;
use kefu_core::format::{self, LoadError, HEADER_LEN};
use kefu_core::{Engine, KnowledgeBase, RankOptions};

fn mini() -> KnowledgeBase {
    kefu_compiler::compile(&repo_path("crates/kefu-core/tests/fixtures/mini-kb.jsonl"))
        .expect("mini knowledge base compiles")
        .for_device()
}

fn ids(engine: &Engine, question: &str) -> Vec<(String, u32)> {
    engine
        .rank(
            question,
            &RankOptions {
                limit: 5,
                ..RankOptions::default()
            },
        )
        .candidates
        .iter()
        .map(|c| {
            (
                engine.kb().entries[c.entry as usize].id.clone(),
                c.score.to_bits(),
            )
        })
        .collect()
}

// See: `rank` returned before zeroing its buffers when every touched entry was outside its
// validity window, so the next question was scored on the last one's sums.
#[test]
fn a_question_answered_by_expired_entries_leaves_no_trace() {
    let mut kb = mini();
    for entry in &mut kb.entries {
        entry.valid_until = Some(1_000);
    }
    let used = Engine::from_kb(kb.clone()).unwrap();
    let fresh = Engine::from_kb(kb).unwrap();
    let expired = used.rank(
        "怎么开发票",
        &RankOptions {
            now: Some(2_000),
            limit: 5,
            ..RankOptions::default()
        },
    );
    assert!(expired.candidates.is_empty(), "every entry has expired");
    for q in ["发票怎么开", "怎么开发票", "我要退货"] {
        assert_eq!(ids(&used, q), ids(&fresh, q), "{q}");
        assert!(!ids(&used, q).is_empty());
    }
}

fn forge(kb: &KnowledgeBase) -> Vec<u8> {
    format::encode(kb)
}

#[test]
fn a_file_claiming_billions_of_documents_is_refused_without_allocating() {
    for claim in [1u32 << 31, u32::MAX, 1 << 24, 100_000] {
        let mut kb = mini();
        kb.index.entry_docs[0] = claim;
        let err = Engine::load(&forge(&kb)).unwrap_err();
        assert!(matches!(err, LoadError::Inconsistent(_)), "{claim}: {err}");
    }
    // Many entries each claiming a little, adding up to more than the file could hold.
    let mut kb = mini();
    let n = kb.index.entry_docs.len() as u32;
    for d in &mut kb.index.entry_docs {
        *d = (u32::MAX / n) + 1;
    }
    assert!(Engine::load(&forge(&kb)).is_err());
}

#[test]
fn a_damaged_confidence_model_is_refused() {
    let mut kb = mini();
    kb.model.weights.truncate(3);
    assert!(matches!(
        Engine::load(&forge(&kb)),
        Err(LoadError::Inconsistent(_))
    ));
    for bad in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
        let mut kb = mini();
        kb.model.weights[2] = bad;
        assert!(Engine::load(&forge(&kb)).is_err(), "{bad}");
        let mut kb = mini();
        kb.model.answer_floor = bad;
        assert!(Engine::load(&forge(&kb)).is_err(), "{bad}");
    }
    let mut kb = mini();
    kb.settings.answer_threshold = f32::NAN;
    assert!(Engine::load(&forge(&kb)).is_err());
    assert!(Engine::load(&forge(&mini())).is_ok());
}

#[test]
fn reserved_header_bytes_must_be_zero() {
    let mut bytes = forge(&mini());
    bytes[10] = 1;
    let err = Engine::load(&bytes).unwrap_err();
    assert!(matches!(err, LoadError::Malformed(_)), "{err}");
    assert!(bytes.len() > HEADER_LEN);
}
