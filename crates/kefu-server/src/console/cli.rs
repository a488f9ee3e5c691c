//! `kefu-server agent add NAME [--display-name …] [--password-stdin] [--replace]`,
//! `agent list`, `agent disable NAME`; each takes the database flags after the action
//! (`--database-url`, as `serve`).

use std::io::BufRead as _;

use clap::Subcommand;

use crate::config::DbArgs;
use crate::db::Db;

#[derive(Debug, Subcommand)]
pub enum AgentAction {
    /// Create an agent (asks for the password twice unless `--password-stdin`).
    Add {
        /// Login name (letters, digits, '.', '-', '_').
        name: String,
        /// The name customers see ("小美"); the login name when absent.
        #[arg(long)]
        display_name: Option<String>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        /// Set a new password if the agent exists.
        #[arg(long)]
        replace: bool,
        #[command(flatten)]
        db: DbArgs,
    },
    /// List agents.
    List {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Disable an agent and end their sessions.
    Disable {
        name: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

pub async fn run(action: AgentAction) -> anyhow::Result<()> {
    match action {
        AgentAction::Add {
            name,
            display_name,
            password_stdin,
            replace,
            db,
        } => {
            super::auth::check_name(&name)?;
            let password = if password_stdin {
                let mut line = String::new();
                std::io::stdin().lock().read_line(&mut line)?;
                line.trim_end_matches(['\r', '\n']).to_string()
            } else {
                let first = rpassword::prompt_password(format!("password for {name}: "))?;
                let again = rpassword::prompt_password("again: ")?;
                if first != again {
                    anyhow::bail!("the passwords differ");
                }
                first
            };
            let display = display_name.unwrap_or_else(|| name.clone());
            let db = Db::connect(&db).await?;
            super::auth::add_agent(&db, &name, &display, &password, replace).await?;
            println!("agent {name} ({display}) can sign in at /console/");
        }
        AgentAction::List { db } => {
            let db = Db::connect(&db).await?;
            for (name, display, disabled) in super::auth::list_agents(&db).await? {
                println!(
                    "{name:<24} {display:<24} {}",
                    if disabled { "disabled" } else { "" }
                );
            }
        }
        AgentAction::Disable { name, db } => {
            let db = Db::connect(&db).await?;
            if !super::auth::disable_agent(&db, &name).await? {
                anyhow::bail!("no active agent named {name}");
            }
            println!("agent {name} disabled");
        }
    }
    Ok(())
}
