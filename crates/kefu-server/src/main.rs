//! `kefu-server`: parses the command line and runs; errors print with their causes.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;
use clap::Parser as _;
use kefu_server::config::{ApikeyAction, Cli, Command, ServeArgs};
use kefu_server::db::Db;
use kefu_server::kb::KbStore;
use kefu_server::{apikeys, demo, AppState};

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("KEFU_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        // Colours only on a terminal: log files and journald get plain text.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("kefu-server: starting the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kefu-server: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        None => serve(cli.serve).await,
        Some(Command::Serve(args)) => serve(args).await,
        Some(Command::Apikey { action }) => {
            let db = match &action {
                ApikeyAction::Add { db, .. }
                | ApikeyAction::List { db }
                | ApikeyAction::Revoke { db, .. } => Db::connect(db).await?,
            };
            match action {
                ApikeyAction::Add { name, .. } => {
                    let (id, key) = apikeys::add(&db, &name).await?;
                    println!("API key {id} ({name}) created. It is shown only this once:\n{key}");
                }
                ApikeyAction::List { .. } => {
                    println!(
                        "{:<13} {:<12} {:<24} {:<12} {:<12} revoked",
                        "id", "prefix", "name", "created", "last used"
                    );
                    for k in apikeys::list(&db).await? {
                        let day = |t: Option<i64>| t.map(day_of).unwrap_or_else(|| "-".into());
                        println!(
                            "{:<13} {:<12} {:<24} {:<12} {:<12} {}",
                            k.id,
                            k.prefix,
                            k.name,
                            day_of(k.created_at),
                            day(k.last_used_at),
                            day(k.revoked_at)
                        );
                    }
                }
                ApikeyAction::Revoke { id, .. } => {
                    if !apikeys::revoke(&db, &id).await? {
                        anyhow::bail!("no active API key with id {id}");
                    }
                    println!("API key {id} revoked");
                }
            }
            Ok(())
        } // NOTE: further operator subcommands (`agent add`) are handled here.
        Some(Command::Agent { action }) => kefu_server::console::cli::run(action).await,
    }
}

/// `2026-12-01` (UTC) from Unix seconds.
fn day_of(t: i64) -> String {
    let (y, m, d) = kefu_core::dialogue::calendar::civil_from_days(t.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let db = Db::connect(&args.db).await?;
    let kb = KbStore::open(args.kb.as_deref())?;
    kb.watch(Duration::from_millis(args.kb_poll_ms.max(100)));
    let listen = args.listen;
    let state = AppState::new(args, db, kb)?;
    if state.config.demo {
        let records = demo::seed(&state.db).await?;
        let secret = state.secret.as_ref().context("demo secret")?;
        println!("{}", demo::describe(&records, secret));
    }
    if state.secret.is_none() {
        tracing::warn!("no KEFU_SECRET: signed-in customers cannot be verified; only anonymous order lookups work");
    }
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("listening on {listen}"))?;
    let local = listener.local_addr()?;
    println!(
        "kefu-server listening on http://{local}/ (API at http://{local}{})",
        kefu_protocol::API_BASE
    );
    let app = kefu_server::app(state);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown())
    .await
    .context("serving")?;
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        tokio::signal::ctrl_c().await.ok();
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
