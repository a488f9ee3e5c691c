//! The database: SQLite (default, one file, WAL) or PostgreSQL, through sqlx's `Any` driver
//! with runtime queries. Queries use `$1, $2, …` placeholders, which both accept; times are
//! Unix seconds in 64-bit integers and JSON documents are text, so one query text serves
//! both. Each backend has its own migrations folder (`migrations/sqlite`, `migrations/postgres`).

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context as _;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sqlx::{AnyPool, ConnectOptions as _, Connection as _, Executor as _};

use crate::config::DbArgs;

/// Which database engine a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbKind {
    Sqlite,
    Postgres,
}

/// A connection pool and its kind.
#[derive(Debug, Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub kind: DbKind,
}

pub type Row = AnyRow;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl DbKind {
    pub fn of(url: &str) -> anyhow::Result<DbKind> {
        if url.starts_with("sqlite:") {
            Ok(DbKind::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(DbKind::Postgres)
        } else {
            anyhow::bail!("unsupported database URL (expected sqlite://PATH or postgres://…)")
        }
    }
}

impl Db {
    /// Connects, creating the SQLite file (in WAL mode) when missing, and applies pending
    /// migrations.
    pub async fn connect(args: &DbArgs) -> anyhow::Result<Db> {
        sqlx::any::install_default_drivers();
        let url = args.database_url.as_str();
        let kind = DbKind::of(url)?;
        if kind == DbKind::Sqlite {
            // Create the file and switch it to WAL once; the mode is stored in the file.
            let options = SqliteConnectOptions::from_str(url)
                .context("reading the SQLite URL")?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal);
            let conn = options
                .connect()
                .await
                .with_context(|| format!("opening {}", redact(url)))?;
            conn.close().await.ok();
        }
        let pool = AnyPoolOptions::new()
            .max_connections(args.db_max_connections.max(1))
            .acquire_timeout(Duration::from_secs(5))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if kind == DbKind::Sqlite {
                        conn.execute("PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;")
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect(url)
            .await
            .with_context(|| format!("connecting to {}", redact(url)))?;
        let migrator = match kind {
            DbKind::Sqlite => &SQLITE_MIGRATIONS,
            DbKind::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator
            .run(&pool)
            .await
            .context("applying database migrations")?;
        Ok(Db { pool, kind })
    }

    /// `SELECT 1`: the database answers.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }
}

/// The URL without its password, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}{}:***{}", &url[..scheme + 3], user, &url[at..])
        }
        _ => url.to_string(),
    }
}

/// Seconds since 1970.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// `n` random bytes as lower-case hex.
pub fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    getrandom::getrandom(&mut bytes).expect("the operating system's random source works");
    hex::encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            redact("postgres://kefu:s3cret@127.0.0.1:5432/kefu"),
            "postgres://kefu:***@127.0.0.1:5432/kefu"
        );
        assert_eq!(redact("sqlite://kefu.db"), "sqlite://kefu.db");
    }
}
