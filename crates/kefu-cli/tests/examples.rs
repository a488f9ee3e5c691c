//! The example knowledge bases under `examples/`, driven through the public `kefu` command the
//! way a shop would use it: `kefu check` on the sources, `kefu build` into a `kb.bin`, then every
//! golden script in the example's `conversations/` folder (not `conversations/pending/`, which
//! holds scripts the engine does not pass yet) through `kefu chat --script`, and the example's
//! `questions.jsonl` through `kefu eval` with a top-1 and a false-answer bar.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Bars for an example's `questions.jsonl` (83.6 % top-1 and no false answer when written; one
/// false answer among its 9 out-of-scope questions is 11 %).
const MIN_TOP1: &str = "0.80";
const MAX_FALSE_ANSWER: &str = "0.12";

fn kefu() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kefu"))
}

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name)
}

fn out_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kefu-example-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn describe(what: &str, output: &Output) -> String {
    format!(
        "{what} exited with {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn scripts(dir: &Path) -> Vec<PathBuf> {
    let mut scripts: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file() && path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    scripts.sort();
    scripts
}

/// Checks, builds and converses with one example knowledge base; returns how many scripts ran.
fn run_example(name: &str, min_scripts: usize, questions: Option<&str>) -> usize {
    let kb = example(name);
    assert!(kb.is_dir(), "{} is missing", kb.display());

    let check = kefu().arg("check").arg(&kb).output().unwrap();
    assert!(check.status.success(), "{}", describe("kefu check", &check));

    let bin = out_dir(name).join("kb.bin");
    let build = kefu()
        .arg("build")
        .arg(&kb)
        .arg("-o")
        .arg(&bin)
        .output()
        .unwrap();
    assert!(build.status.success(), "{}", describe("kefu build", &build));
    assert!(bin.is_file(), "kefu build wrote no {}", bin.display());

    // The example's own customer questions, written before the matcher was run on them:
    // `questions.jsonl`, or the file the shop's test names.
    let questions = kb.join(questions.unwrap_or("questions.jsonl"));
    if questions.is_file() {
        let eval = kefu()
            .arg("eval")
            .arg("--kb")
            .arg(&bin)
            .arg("--cases")
            .arg(&questions)
            .arg("--min-top1")
            .arg(MIN_TOP1)
            .arg("--max-false-answer")
            .arg(MAX_FALSE_ANSWER)
            .output()
            .unwrap();
        assert!(eval.status.success(), "{}", describe("kefu eval", &eval));
    }

    let scripts = scripts(&kb.join("conversations"));
    assert!(
        scripts.len() >= min_scripts,
        "{name}: expected at least {min_scripts} conversation scripts, found {}",
        scripts.len()
    );
    let mut failures = Vec::new();
    for script in &scripts {
        let run = kefu()
            .arg("chat")
            .arg("--kb")
            .arg(&bin)
            .arg("--script")
            .arg(script)
            .output()
            .unwrap();
        if !run.status.success() {
            failures.push(describe(
                &format!("kefu chat --script {}", script.display()),
                &run,
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} scripts failed:\n{}",
        failures.len(),
        scripts.len(),
        failures.join("\n")
    );
    let _ = std::fs::remove_dir_all(bin.parent().unwrap());
    scripts.len()
}

#[test]
fn phone_repair_example_checks_builds_and_passes_its_scripts() {
    run_example("phone-repair", 25, None);
}

#[test]
fn hk_appliances_example_checks_builds_and_passes_its_scripts() {
    // A bilingual Hong Kong shop: zh-TW sources with English, HK$ prices, Cantonese questions.
    run_example("hk-appliances", 17, None);
}

#[test]
fn bike_shop_example_checks_builds_and_passes_its_scripts() {
    // An English-only UK/EU shop: `en` locale, £ prices, UK hours, SC order numbers.
    run_example("bike-shop", 25, None);
}

#[test]
fn course_shop_example_checks_builds_and_passes_its_scripts() {
    // An online course platform in mainland China: zh-CN, half of its entries a CSV export
    // with one question each (a duplicate question included), courses as products, HX order
    // numbers; its `eval-questions.jsonl` held to the same bars as `questions.jsonl`.
    run_example("course-shop", 40, Some("eval-questions.jsonl"));
}

#[test]
fn script_runner_reports_a_broken_expectation() {
    // The runner used above must be able to fail: a script expecting what the shop never says.
    let dir = out_dir("broken");
    let script = dir.join("broken.txt");
    std::fs::write(
        &script,
        "# 一定失败的脚本\n@now 2026-11-20T10:00:00+08:00\n> 怎么寄修？\n< answer: 这句话不在知识库里\n",
    )
    .unwrap();
    let run = kefu()
        .arg("chat")
        .arg("--kb")
        .arg(example("phone-repair"))
        .arg("--script")
        .arg(&script)
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(1),
        "{}",
        describe("kefu chat", &run)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
