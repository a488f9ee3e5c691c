//! Loading a compiled knowledge base from disk.

use std::path::Path;

use anyhow::Context;
use kefu_core::Engine;

/// Reads and decodes `path`, and the companion beside it when `path` is the first file of a
/// split knowledge base (`kefu build --split`); the error says what to do.
pub fn load(path: &Path) -> anyhow::Result<Engine> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut engine =
        Engine::load(&bytes).with_context(|| format!("cannot load {}", path.display()))?;
    if let Some(companion) = engine.kb().companion.clone() {
        let at = path.with_file_name(&companion.file);
        let more = std::fs::read(&at).with_context(|| {
            format!(
                "cannot read {}, the companion {} names",
                at.display(),
                path.display()
            )
        })?;
        engine
            .attach(&more)
            .with_context(|| format!("cannot load {}", at.display()))?;
    }
    Ok(engine)
}

/// Now, in seconds since 1970.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}
