//! Command line and environment: `kefu-server [serve] --listen … --database-url …`, and the
//! operators' subcommands. Every flag of `serve` also reads an environment variable
//! (`KEFU_LISTEN`, `KEFU_DATABASE_URL`, …); a flag wins over its variable.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// The kefu server: order lookups, the bot over HTTP, human handoff, statistics, and the
/// widget's files.
#[derive(Debug, Parser)]
#[command(
    name = "kefu-server",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// `serve`'s flags, so `kefu-server --listen …` works without the subcommand.
    #[command(flatten)]
    pub serve: ServeArgs,
}

/// What to do. NOTE: add operator subcommands here (e.g. `Agent(AgentCommand)` for
/// `kefu-server agent add NAME`), then handle them in `main.rs`'s match.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server (the default).
    Serve(ServeArgs),
    /// Manage the shop's API keys for `POST /api/v1/chat`.
    Apikey {
        #[command(subcommand)]
        action: ApikeyAction,
    },
    /// Manage the agents of the console.
    Agent {
        #[command(subcommand)]
        action: crate::console::cli::AgentAction,
    },
}

#[derive(Debug, Subcommand)]
pub enum ApikeyAction {
    /// Create a key; it is printed once and only its hash is stored.
    Add {
        /// What the key is for ("wechat-webhook").
        name: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// List keys (id, name, prefix, created, last used, revoked).
    List {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Revoke a key by its id; requests with it get 401 at once.
    Revoke {
        id: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

/// Where the database is.
#[derive(Debug, Clone, Args)]
pub struct DbArgs {
    /// `sqlite://PATH` (created and migrated on start) or `postgres://USER@HOST/DB`.
    #[arg(long, env = "KEFU_DATABASE_URL", default_value = "sqlite://kefu.db")]
    pub database_url: String,
    /// Connections in the pool.
    #[arg(long, env = "KEFU_DB_MAX_CONNECTIONS", default_value_t = 8)]
    pub db_max_connections: u32,
}

/// `kefu-server serve`.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "KEFU_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    #[command(flatten)]
    pub db: DbArgs,
    /// The compiled knowledge base (for the chat API, the console's suggestions and
    /// `/kb.bin`); reloaded when the file changes.
    #[arg(long, env = "KEFU_KB")]
    pub kb: Option<PathBuf>,
    /// How often to check the knowledge-base file for changes, in milliseconds.
    #[arg(long, env = "KEFU_KB_POLL_MS", default_value_t = 1000)]
    pub kb_poll_ms: u64,
    /// Folder of the widget's files (Trunk's `dist/`), served at `/`.
    #[arg(long = "static", env = "KEFU_STATIC")]
    pub static_dir: Option<PathBuf>,
    /// The shop's secret for verifying `X-Kefu-User-Hash` (HMAC-SHA256 of the user id).
    /// Without it only anonymous order lookups work (with `--demo`: a fixed demo secret).
    #[arg(long, env = "KEFU_SECRET", hide_env_values = true)]
    pub secret: Option<String>,
    /// Seed the demo orders (and the demo agent) and print them on start.
    #[arg(long, env = "KEFU_DEMO")]
    pub demo: bool,
    /// An origin allowed to call the API from a browser (`https://shop.example`); repeat
    /// or separate with commas. None: same-origin only.
    #[arg(
        long = "allow-origin",
        env = "KEFU_ALLOW_ORIGIN",
        value_delimiter = ','
    )]
    pub allow_origins: Vec<String>,
    /// Take the client address from `X-Forwarded-For` (only behind a proxy you run).
    #[arg(long, env = "KEFU_TRUST_FORWARDED_FOR")]
    pub trust_forwarded_for: bool,
    /// The shop's own order API instead of the `orders` table: a URL with `{order_no}`
    /// (`https://shop.example/internal/orders/{order_no}`).
    #[arg(long, env = "KEFU_ORDER_API")]
    pub order_api: Option<String>,
    /// Sent as `Authorization: Bearer …` to the order API.
    #[arg(long, env = "KEFU_ORDER_API_TOKEN", hide_env_values = true)]
    pub order_api_token: Option<String>,
    /// Timeout of one order-API request, in milliseconds.
    #[arg(long, env = "KEFU_ORDER_API_TIMEOUT_MS", default_value_t = 3000)]
    pub order_api_timeout_ms: u64,
    /// Wrong order guesses (wrong phone digits, someone else's order, wrong user hash)
    /// allowed per client address and per order number in `--guess-window-secs`.
    #[arg(long, env = "KEFU_MAX_WRONG_GUESSES", default_value_t = 5)]
    pub max_wrong_guesses: u32,
    /// The window wrong guesses are counted in, in seconds.
    #[arg(long, env = "KEFU_GUESS_WINDOW_SECS", default_value_t = 900)]
    pub guess_window_secs: u64,
    /// Chat API requests allowed per API key per minute.
    #[arg(long, env = "KEFU_CHAT_PER_MINUTE", default_value_t = 600)]
    pub chat_per_minute: u32,
}

impl ServeArgs {
    /// The settings for `args` with every default, for tests.
    pub fn for_tests(database_url: &str) -> ServeArgs {
        let cli = Cli::parse_from(["kefu-server", "--database-url", database_url]);
        cli.serve
    }
}
