//! Loading a compiled knowledge base from disk.

use std::path::Path;

use anyhow::Context;
use kefu_core::Engine;

/// Reads and decodes `path`; the error says what to do.
pub fn load(path: &Path) -> anyhow::Result<Engine> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    Engine::load(&bytes).with_context(|| format!("cannot load {}", path.display()))
}

/// Now, in seconds since 1970.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}
