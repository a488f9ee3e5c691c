//! The `kefu` command. Exit codes: 0 success, 1 a failure was found (a check or an
//! evaluation below its bar), 2 a usage or input error (one clear line on stderr).

mod bm25;
mod chat;
mod eval;
mod fitprior;
mod kbfile;
mod query;
mod sources;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "kefu",
    version,
    about = "Compile, check and query kefu knowledge bases"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compile a source directory, CSV or JSON Lines file into one knowledge-base file.
    Build(sources::BuildArgs),
    /// Validate sources and test the knowledge base against its own questions.
    Check(sources::CheckArgs),
    /// Ask one question and show the outcome.
    Ask(query::AskArgs),
    /// Match one query per stdin line; print one JSON line each.
    Match(query::MatchArgs),
    /// Typeahead suggestions for a partial question.
    Suggest(query::SuggestArgs),
    /// Similarity of text pairs: stdin lines `a<TAB>b`, one number per line.
    Sim(query::SimArgs),
    /// Evaluate against labelled questions: top-1, hit@5, false answers, latency.
    Eval(eval::EvalArgs),
    /// Fit the confidence model's built-in prior on labelled questions of several
    /// knowledge bases (prints the weights for `Model::default`).
    FitPrior(fitprior::FitPriorArgs),
    /// Chat with the knowledge base in the terminal, or run a conversation script.
    Chat(chat::ChatArgs),
    /// Print the built-in conversation settings (texts, labels, word lists) as dialogue.toml.
    Defaults(chat::DefaultsArgs),
}

/// A run that found a problem (exit 1) as opposed to one that could not run (exit 2).
pub enum Verdict {
    Ok,
    FailureFound,
}

/// A reader that stops reading (`kefu match … | head`) closes the pipe: stop quietly, as
/// Unix tools do, instead of reporting a panic on the next line printed.
fn quiet_on_broken_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if message.contains("Broken pipe") || message.contains("os error 32") {
            std::process::exit(0);
        }
        default(info);
    }));
}

fn main() -> ExitCode {
    quiet_on_broken_pipe();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::Build(a) => sources::build(a),
        Command::Check(a) => sources::check(a),
        Command::Ask(a) => query::ask(a),
        Command::Match(a) => query::run_match(a),
        Command::Suggest(a) => query::suggest(a),
        Command::Sim(a) => query::sim(a),
        Command::Eval(a) => eval::run(a),
        Command::FitPrior(a) => fitprior::run(a),
        Command::Chat(a) => chat::run(a),
        Command::Defaults(a) => chat::defaults(a),
    };
    match result {
        Ok(Verdict::Ok) => ExitCode::SUCCESS,
        Ok(Verdict::FailureFound) => ExitCode::from(1),
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("kefu: {e:#}");
            ExitCode::from(2)
        }
    }
}
