//! Shared by the integration tests: the demo knowledge base, compiled once per test binary.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use kefu_core::Engine;

pub fn repo_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(relative)
}

/// The demo knowledge base in `kb/`.
#[allow(dead_code)]
pub fn demo() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let compiled =
            kefu_compiler::compile(&repo_path("kb")).expect("demo knowledge base compiles");
        Engine::from_kb(compiled.kb).expect("consistent")
    })
}

/// The demo knowledge base as file bytes.
#[allow(dead_code)]
pub fn demo_bytes() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| {
        let compiled =
            kefu_compiler::compile(&repo_path("kb")).expect("demo knowledge base compiles");
        kefu_core::format::encode(&compiled.for_device())
    })
}

/// The entry id a question's best candidate points to.
#[allow(dead_code)]
pub fn top_id(engine: &Engine, question: &str) -> Option<String> {
    let m = engine.ask(question, None);
    m.candidates
        .first()
        .map(|c| engine.kb().entries[c.entry as usize].id.clone())
}
