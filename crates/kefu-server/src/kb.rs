//! The compiled knowledge base the server answers with (chat API, console suggestions) and
//! serves at `/kb.bin`. Loaded at start and reloaded when the file changes (its size or
//! modification time), without a restart; a file that fails to load is reported and the
//! previous knowledge base stays in service.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use anyhow::Context as _;
use kefu_core::Engine;
use sha2::{Digest, Sha256};

/// One loaded build of the knowledge base.
pub struct LoadedKb {
    pub engine: Engine,
    /// The file's bytes, as served at `/kb.bin`.
    pub bytes: axum::body::Bytes,
    /// Hex SHA-256 prefix of the bytes: the ETag and the build's name in logs.
    pub version: String,
    /// A split knowledge base's companion (`kefu build --split`), read from beside the
    /// file and served at `/<its name>`; the engine above has it attached.
    pub companion: Option<Companion>,
    stamp: (u64, Option<SystemTime>),
}

/// The second file of a split knowledge base, as served.
pub struct Companion {
    /// Its file name, the path it is served at (`kb.more.bin`: `/kb.more.bin`).
    pub file: String,
    pub bytes: axum::body::Bytes,
    /// Hex SHA-256 prefix of the bytes: its ETag.
    pub version: String,
}

/// The current knowledge base, shared by every request.
#[derive(Clone, Default)]
pub struct KbStore {
    path: Option<PathBuf>,
    current: Arc<RwLock<Option<Arc<LoadedKb>>>>,
}

impl KbStore {
    /// Loads `path` now (a failure here stops the server: better than serving nothing).
    pub fn open(path: Option<&Path>) -> anyhow::Result<KbStore> {
        let store = KbStore {
            path: path.map(Path::to_path_buf),
            current: Arc::default(),
        };
        if let Some(path) = path {
            let kb = load(path)?;
            tracing::info!(version = %kb.version, "knowledge base {} loaded", path.display());
            *store.current.write().expect("kb lock") = Some(Arc::new(kb));
        }
        Ok(store)
    }

    /// The knowledge base in service, if one is configured.
    pub fn get(&self) -> Option<Arc<LoadedKb>> {
        self.current.read().expect("kb lock").clone()
    }

    /// Reloads when the file changed since the last load. `Ok(true)` when it reloaded.
    pub fn reload_if_changed(&self) -> anyhow::Result<bool> {
        let Some(path) = &self.path else {
            return Ok(false);
        };
        let stamp = stamp(path)?;
        if self.get().is_some_and(|kb| kb.stamp == stamp) {
            return Ok(false);
        }
        let kb = load(path)?;
        tracing::info!(version = %kb.version, "knowledge base {} reloaded", path.display());
        *self.current.write().expect("kb lock") = Some(Arc::new(kb));
        Ok(true)
    }

    /// Checks the file every `every` until the process ends.
    pub fn watch(&self, every: Duration) {
        if self.path.is_none() {
            return;
        }
        let store = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let mut last_error = String::new();
            loop {
                tick.tick().await;
                let s = store.clone();
                match tokio::task::spawn_blocking(move || s.reload_if_changed()).await {
                    Ok(Ok(_)) => last_error.clear(),
                    Ok(Err(e)) => {
                        let msg = format!("{e:#}");
                        if msg != last_error {
                            tracing::error!("knowledge base not reloaded (the previous one stays in service): {msg}");
                            last_error = msg;
                        }
                    }
                    Err(e) => tracing::error!("knowledge-base watcher: {e}"),
                }
            }
        });
    }
}

fn stamp(path: &Path) -> anyhow::Result<(u64, Option<SystemTime>)> {
    let meta = std::fs::metadata(path).with_context(|| format!("reading {}", path.display()))?;
    Ok((meta.len(), meta.modified().ok()))
}

fn load(path: &Path) -> anyhow::Result<LoadedKb> {
    // Stamp first: a write during the read is then seen as a change next time.
    let stamp = stamp(path)?;
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let mut engine = Engine::load(&bytes).with_context(|| format!("loading {}", path.display()))?;
    let version = hex::encode(&Sha256::digest(&bytes)[..8]);
    // A first file names its companion; the compiler writes the companion first, and the
    // first file holds its checksum, so a pair being rewritten is refused, not mixed.
    let companion = match engine.kb().companion.clone() {
        None => None,
        Some(c) => {
            let at = path.with_file_name(&c.file);
            let more = std::fs::read(&at).with_context(|| {
                format!(
                    "reading {}, the companion {} names",
                    at.display(),
                    path.display()
                )
            })?;
            engine
                .attach(&more)
                .with_context(|| format!("loading {}", at.display()))?;
            Some(Companion {
                file: c.file,
                version: hex::encode(&Sha256::digest(&more)[..8]),
                bytes: more.into(),
            })
        }
    };
    Ok(LoadedKb {
        engine,
        bytes: bytes.into(),
        version,
        companion,
        stamp,
    })
}
