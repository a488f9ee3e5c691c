//! Golden conversations: every script under `tests/conversations/` runs against the demo
//! knowledge base, compiled from `kb/`. One test runs them all and reports every failure
//! with its file and line; `KEFU_SCRIPT=substring` runs only the matching files and
//! `KEFU_SCRIPT_SHOW=1` prints their transcripts.
//!
//! The format is described in `docs/dialogue.md` and in the `kefu-script` crate.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use kefu_core::Engine;
use kefu_script as script;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let kb = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../kb"));
        let compiled = kefu_compiler::compile(kb).expect("the demo knowledge base compiles");
        Engine::from_kb(compiled.kb).expect("the demo knowledge base loads")
    })
}

fn scripts() -> Vec<PathBuf> {
    let dir = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/conversations"
    ));
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("tests/conversations exists")
        .map(|e| e.expect("readable directory").path())
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("txt"))
        .collect();
    files.sort();
    files
}

#[test]
fn golden_conversations() {
    let filter = std::env::var("KEFU_SCRIPT").ok();
    let show = std::env::var("KEFU_SCRIPT_SHOW").is_ok();
    let files = scripts();
    if filter.is_none() {
        assert!(
            files.len() >= 40,
            "expected at least 40 golden scripts, found {}",
            files.len()
        );
    }
    let mut report = Vec::new();
    let mut ran = 0;
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        if filter.as_ref().is_some_and(|f| !name.contains(f.as_str())) {
            continue;
        }
        ran += 1;
        let text = std::fs::read_to_string(file).unwrap();
        let parsed = match script::parse(&text) {
            Ok(s) => s,
            Err(e) => {
                report.push(format!("{name}: {e}"));
                continue;
            }
        };
        if parsed.title.is_empty() {
            report.push(format!(
                "{name}: the first line should be a `# title` comment"
            ));
        }
        let run = script::run(&parsed, engine());
        if show {
            println!(
                "==== {name} — {}\n{}\n",
                run.title,
                run.transcript.join("\n")
            );
        }
        for failure in &run.failures {
            report.push(format!("{name}:{failure}"));
        }
    }
    assert!(ran > 0, "no script matched");
    assert!(
        report.is_empty(),
        "{} failure(s):\n{}",
        report.len(),
        report.join("\n")
    );
}

/// What follows `marker` in `docs/dialogue.md`.
fn docs_section(marker: &str) -> String {
    let docs = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/dialogue.md"
    ))
    .expect("docs/dialogue.md");
    docs.split(marker)
        .nth(1)
        .unwrap_or_else(|| panic!("docs/dialogue.md has no `{marker}`"))
        .to_string()
}

/// One cell of each table row of `section` up to the first line starting with `end`.
fn table_column<'a>(
    section: &'a str,
    end: &str,
    cell: impl Fn(&[&'a str]) -> Option<&'a str>,
) -> Vec<&'a str> {
    section
        .lines()
        .take_while(|l| !l.starts_with(end))
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            cell(&cells)
        })
        .collect()
}

/// The precedence table of `docs/dialogue.md` is the one the engine follows.
#[test]
fn the_documented_precedence_is_the_code() {
    let section = docs_section("## What the engine does with a message");
    let rows = table_column(&section, "## ", |cells| {
        (cells.len() > 3 && cells[1].parse::<u32>().is_ok()).then(|| cells[2].trim_matches('`'))
    });
    assert_eq!(rows, kefu_core::dialogue::PRECEDENCE.to_vec());
}

/// The candidates table of `docs/dialogue.md` lists the code's candidates in its tie order,
/// and the confidences it names are the code's.
#[test]
fn the_documented_candidates_are_the_code() {
    use kefu_core::dialogue::{CANDIDATES, CERTAIN, STRONG};
    let section = docs_section("**The candidates.**");
    let rows = table_column(&section, "#", |cells| {
        (cells.len() > 3 && cells[1].starts_with('`')).then(|| cells[1].trim_matches('`'))
    });
    assert_eq!(rows, CANDIDATES.to_vec());
    for (name, value) in [("certain", CERTAIN), ("strong", STRONG)] {
        let said = format!("*{name}* = {value}");
        assert!(
            section.contains(&said),
            "docs/dialogue.md should say {said}"
        );
    }
}

/// Public formats stay compatible: every knowledge base in the repository (the demo and the
/// examples) compiles, and every golden script (passing or pending) still parses.
#[test]
fn every_source_and_script_in_the_repository_still_reads() {
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
    let mut kbs = vec![root.join("kb")];
    let mut script_dirs = vec![root.join("tests/conversations")];
    if let Ok(list) = std::fs::read_dir(root.join("examples")) {
        for dir in list.filter_map(|e| e.ok().map(|e| e.path())) {
            if dir.join("settings.toml").exists() || dir.join("entries").is_dir() {
                kbs.push(dir.clone());
            }
            script_dirs.push(dir.join("conversations"));
            script_dirs.push(dir.join("conversations/pending"));
        }
    }
    for kb in &kbs {
        if let Err(e) = kefu_compiler::compile(kb) {
            panic!("{} no longer compiles:\n{e}", kb.display());
        }
    }
    let mut parsed = 0;
    for dir in &script_dirs {
        let Ok(list) = std::fs::read_dir(dir) else {
            continue;
        };
        for file in list.filter_map(|e| e.ok().map(|e| e.path())) {
            if file.extension().and_then(|e| e.to_str()) != Some("txt") {
                continue;
            }
            let text = std::fs::read_to_string(&file).unwrap();
            if let Err(e) = script::parse(&text) {
                panic!("{} no longer parses: {e}", file.display());
            }
            parsed += 1;
        }
    }
    assert!(parsed >= 80, "only {parsed} scripts found");
}

/// The answer to a one-candidate clarify (「您是想问「…」吗？」): yes answers the entry, no
/// gives the hot questions, anything else is read as a new message.
#[test]
fn the_answer_to_a_confirmation_is_understood() {
    use kefu_core::dialogue::{Conversation, Input, Message};
    let engine = engine();
    let ask = |said: &str| {
        // A saved state waiting for the confirmation of `return-7day`.
        let mut state = serde_json::to_value(Conversation::new()).unwrap();
        state["context"]["confirm"] = "return-7day".into();
        let mut c = Conversation::restore(serde_json::from_value(state).unwrap(), engine);
        c.respond(engine, Input::Text(said.into()), 1_795_140_000)
    };
    for yes in ["是的", "对", "yes", "係", "係呀", "啱"] {
        let reply = ask(yes);
        assert!(
            reply
                .messages
                .iter()
                .any(|m| matches!(m, Message::Answer { entry, .. } if entry == "return-7day")),
            "{yes}: {reply:?}"
        );
    }
    for no in ["不是", "no", "唔係"] {
        let reply = ask(no);
        assert!(
            matches!(reply.messages.first(), Some(Message::Fallback { .. })),
            "{no}: {reply:?}"
        );
    }
    let reply = ask("发票怎么开");
    assert!(
        !reply
            .messages
            .iter()
            .any(|m| matches!(m, Message::Answer { entry, .. } if entry == "return-7day")),
        "{reply:?}"
    );
}
