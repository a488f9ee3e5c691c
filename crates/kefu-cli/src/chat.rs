//! `kefu chat`: talk to the knowledge base in the terminal.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use clap::Args;
use kefu_core::Outcome;

use crate::kbfile::{load, now};
use crate::Verdict;

#[derive(Args)]
pub struct ChatArgs {
    #[arg(long, default_value = "kb.bin")]
    kb: PathBuf,
}

pub fn run(args: ChatArgs) -> anyhow::Result<Verdict> {
    let engine = load(&args.kb)?;
    let kb = engine.kb();
    println!("{}", kb.settings.texts.welcome);
    let stdin = std::io::stdin();
    let mut stdout = std::io::stdout();
    loop {
        print!("> ");
        stdout.flush()?;
        let mut line = String::new();
        if stdin.lock().read_line(&mut line)? == 0 {
            break;
        }
        let m = engine.ask(line.trim(), Some(now()));
        match m.outcome {
            Outcome::Answer(e) => println!("{}", kb.entries[e as usize].answer),
            Outcome::Clarify(list) => {
                println!("{}", kb.settings.texts.clarify);
                for e in list {
                    println!("  - {}", kb.entries[e as usize].question);
                }
            }
            Outcome::Fallback => println!("{}", kb.settings.texts.fallback),
        }
    }
    Ok(Verdict::Ok)
}
