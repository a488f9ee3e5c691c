//! `kefu chat`: talk to the knowledge base in the terminal with the full conversation engine,
//! or run golden conversation scripts (`--script FILE` or a directory of them) and show the
//! transcript. In the terminal, plain lines are what the customer types and script lines
//! (`@click 满意`, `@order 123456 status=shipped`, `@end`, `< answer: …`) work too.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use clap::Args;
use kefu_core::Engine;
use kefu_script::{self as script, Session};

use crate::kbfile::now;
use crate::Verdict;

#[derive(Args)]
pub struct ChatArgs {
    /// A compiled knowledge base, or a source directory to compile first.
    #[arg(long, default_value = "kb.bin")]
    kb: PathBuf,
    /// Run this conversation script (or every `.txt` script in this directory) instead of
    /// chatting; exit 1 when an expectation fails.
    #[arg(long)]
    script: Option<PathBuf>,
    /// With --script: print only failures and the summary.
    #[arg(long)]
    quiet: bool,
}

pub fn run(args: ChatArgs) -> anyhow::Result<Verdict> {
    let engine = load_engine(&args.kb)?;
    match &args.script {
        Some(path) => run_scripts(&engine, path, args.quiet),
        None => repl(&engine),
    }
}

fn load_engine(path: &Path) -> anyhow::Result<Engine> {
    if path.is_dir() {
        let compiled = kefu_compiler::compile(path).map_err(|e| {
            let details: Vec<String> = e.0.errors().map(|d| d.to_string()).collect();
            anyhow::anyhow!("{e}:\n{}", details.join("\n"))
        })?;
        return Engine::from_kb(compiled.kb)
            .with_context(|| format!("cannot load {}", path.display()));
    }
    crate::kbfile::load(path)
}

fn run_scripts(engine: &Engine, path: &Path, quiet: bool) -> anyhow::Result<Verdict> {
    let files = if path.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .with_context(|| format!("cannot list {}", path.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("txt"))
            .collect();
        files.sort();
        files
    } else {
        vec![path.to_path_buf()]
    };
    if files.is_empty() {
        bail!("no .txt scripts in {}", path.display());
    }
    let mut failed = 0;
    for file in &files {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("cannot read {}", file.display()))?;
        let parsed = script::parse(&text)
            .with_context(|| format!("{} is not a valid script", file.display()))?;
        let run = script::run(&parsed, engine);
        if !quiet {
            println!("# {} — {}", file.display(), run.title);
            for line in &run.transcript {
                println!("{line}");
            }
            println!();
        }
        for failure in &run.failures {
            println!("{}:{failure}", file.display());
        }
        if !run.failures.is_empty() {
            failed += 1;
        }
    }
    println!(
        "{} script(s), {} passed, {failed} failed",
        files.len(),
        files.len() - failed
    );
    Ok(if failed == 0 {
        Verdict::Ok
    } else {
        Verdict::FailureFound
    })
}

fn repl(engine: &Engine) -> anyhow::Result<Verdict> {
    let mut session = Session::new(engine, now());
    let open = script::Line {
        number: 0,
        command: script::Command::Open,
    };
    print_lines(session.step(engine, &open));
    let stdin = std::io::stdin();
    let mut stdout = std::io::stdout();
    // The real clock until an `@now` line sets the script's; from then on the clock moves
    // as in `--script` (by `@now +…` and 10 s per input), so 「今天」 and working hours
    // follow the time the user chose.
    let mut scripted_clock = false;
    for number in 1.. {
        print!("> ");
        stdout.flush()?;
        let mut line = String::new();
        if stdin.lock().read_line(&mut line)? == 0 {
            break;
        }
        if !scripted_clock {
            session.now = session.now.max(now());
        }
        match script::parse_line(&line, number) {
            Ok(Some(parsed)) => {
                scripted_clock |= matches!(parsed.command, script::Command::Now(_));
                print_lines(session.step(engine, &parsed))
            }
            Ok(None) => {}
            Err(e) => println!("!! {e}"),
        }
    }
    Ok(Verdict::Ok)
}

fn print_lines(result: Result<Vec<String>, script::Failure>) {
    match result {
        // The input line itself was typed by the user; show only the replies.
        Ok(lines) => lines.iter().skip(1).for_each(|l| println!("{l}")),
        Err(failure) => println!("!! {failure}"),
    }
}

/// `kefu defaults`.
#[derive(clap::Args)]
pub struct DefaultsArgs {
    /// Only this language's texts and labels: zh-CN, zh-TW or en (default: all three).
    #[arg(long)]
    locale: Option<String>,
}

/// Prints the built-in conversation settings.
pub fn defaults(args: DefaultsArgs) -> anyhow::Result<crate::Verdict> {
    let locale = match args.locale.as_deref() {
        None => None,
        Some(tag) => Some(
            kefu_core::dialogue::Locale::parse(tag)
                .ok_or_else(|| anyhow::anyhow!("--locale `{tag}`: use zh-CN, zh-TW or en"))?,
        ),
    };
    let text = kefu_compiler::dialogue::defaults_toml(locale).map_err(anyhow::Error::msg)?;
    print!("{text}");
    Ok(crate::Verdict::Ok)
}
