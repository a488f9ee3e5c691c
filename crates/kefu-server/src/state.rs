//! What every request can reach: the database, the knowledge base, the shop's secret, the
//! order source, the rate limiters and the settings.

use std::sync::Arc;

use crate::config::ServeArgs;
use crate::db::Db;
use crate::identity::Secret;
use crate::kb::KbStore;
use crate::orders::OrderSource;
use crate::ratelimit::Limiters;
use crate::static_files::StaticFiles;

/// Cheap to clone (everything inside is shared).
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub kb: KbStore,
    pub secret: Option<Secret>,
    pub orders: Arc<dyn OrderSource>,
    pub limits: Arc<Limiters>,
    pub static_files: Option<StaticFiles>,
    pub config: Arc<ServeArgs>,
    /// Serialises the turns of one chat API session.
    pub chat_sessions: Arc<crate::chat::SessionLocks>,
    // NOTE: the realtime half adds its shared parts here (live-conversation hub, the
    // PostgreSQL LISTEN/NOTIFY bridge, console sessions), constructed in `AppState::new`.
    pub live: crate::live::Live,
}

impl AppState {
    /// Builds the state from the settings and an opened database.
    pub fn new(config: ServeArgs, db: Db, kb: KbStore) -> anyhow::Result<AppState> {
        let secret = match (&config.secret, config.demo) {
            (Some(s), _) => Some(Secret::new(s.as_bytes())?),
            (None, true) => Some(Secret::new(crate::demo::DEMO_SECRET.as_bytes())?),
            (None, false) => None,
        };
        let orders = crate::orders::source_for(&config, &db)?;
        let static_files = config.static_dir.clone().map(StaticFiles::new);
        let live = crate::live::Live::new(&db, &config.db.database_url);
        Ok(AppState {
            live,
            db,
            kb,
            secret,
            orders,
            limits: Arc::new(Limiters::new(&config)),
            static_files,
            config: Arc::new(config),
            chat_sessions: Arc::default(),
        })
    }
}
