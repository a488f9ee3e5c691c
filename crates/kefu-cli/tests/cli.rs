//! The `kefu` binary as a user runs it: real files in a temporary directory.

use std::path::PathBuf;
use std::process::{Command, Stdio};

fn kefu() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kefu"))
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kefu-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// An export where two entries share a question text, as real exports do.
const DUPLICATES: &str = r#"{"id": "a", "question": "怎么开发票", "answer": "在订单页申请发票。"}
{"id": "b", "question": "退货运费谁出", "answer": "质量问题由我们承担运费。"}
{"id": "c", "question": "怎么开发票", "answer": "联系客服开票。"}
{"id": "d", "question": "多久发货", "answer": "付款后48小时内发货。", "similar": ["退货运费谁出", "什么时候发货"]}
"#;

#[test]
fn build_makes_the_output_folder() {
    let dir = scratch("outdir");
    let src = dir.join("faq.jsonl");
    std::fs::write(&src, DUPLICATES).unwrap();
    for (folder, split) in [("whole/a", false), ("split/b", true)] {
        let out = dir.join(folder).join("kb.bin");
        let mut build = kefu();
        build.arg("build").arg(&src).arg("-o").arg(&out);
        if split {
            build.arg("--split");
        }
        let run = build.output().unwrap();
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        assert!(out.is_file(), "{folder}: no kb.bin");
        assert_eq!(
            out.with_file_name("kb.more.bin").is_file(),
            split,
            "{folder}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn duplicate_questions_compile_with_warnings_and_fail_with_strict() {
    let dir = scratch("dup");
    let src = dir.join("faq.jsonl");
    std::fs::write(&src, DUPLICATES).unwrap();
    let out = dir.join("kb.bin");
    let run = kefu()
        .arg("build")
        .arg(&src)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    // one warning per duplicate, with file:line and both ids
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("duplicate question"))
        .collect();
    assert_eq!(warnings.len(), 2, "{stderr}");
    assert!(
        warnings[0].contains("faq.jsonl:3")
            && warnings[0].contains("`c`")
            && warnings[0].contains("`a`")
    );
    assert!(
        warnings[1].contains("faq.jsonl:4")
            && warnings[1].contains("`d`")
            && warnings[1].contains("`b`")
    );
    // the entry written first keeps the text
    for (question, id) in [("怎么开发票", "a"), ("退货运费谁出", "b")] {
        let ask = kefu()
            .args(["ask", "--kb"])
            .arg(&out)
            .arg(question)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&ask.stdout);
        let first = text.lines().next().unwrap_or("");
        assert!(
            first.starts_with("answer") && first.contains(&format!("[{id}]")),
            "{question}: {text}"
        );
    }
    // `kefu check` reports the same warnings and passes: the later entry's shared question
    // finding the earlier entry is the rule, not a miss.
    let check = kefu().arg("check").arg(&src).output().unwrap();
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success(), "{stdout}");
    assert!(stdout.contains("duplicate question"), "{stdout}");
    assert!(stdout.contains(" 0 miss(es)"), "{stdout}");
    std::fs::remove_file(&out).unwrap();
    let strict = kefu()
        .arg("build")
        .arg(&src)
        .arg("-o")
        .arg(&out)
        .arg("--strict")
        .output()
        .unwrap();
    assert_eq!(strict.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&strict.stderr).contains("--strict"));
    assert!(!out.exists(), "nothing written under --strict");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_closed_pipe_is_not_a_panic() {
    let dir = scratch("pipe");
    let src = dir.join("faq.jsonl");
    std::fs::write(&src, DUPLICATES).unwrap();
    let out = dir.join("kb.bin");
    assert!(kefu()
        .arg("build")
        .arg(&src)
        .arg("-o")
        .arg(&out)
        .arg("-q")
        .status()
        .unwrap()
        .success());
    let mut child = kefu()
        .args(["match", "--kb"])
        .arg(&out)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The reader goes away before the first line is written.
    drop(child.stdout.take());
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        for _ in 0..2000 {
            if writeln!(stdin, "怎么开发票").is_err() {
                break;
            }
        }
    }
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.status.success(), "{:?} {stderr}", out.status);
    std::fs::remove_dir_all(&dir).ok();
}

/// English questions reach a Chinese knowledge base's entries and Chinese questions an
/// English one's, through the built-in glossary (tests/eval/crosslang).
#[test]
fn questions_in_the_other_language_find_their_entry() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/eval/crosslang");
    let dir = scratch("crosslang");
    for (kb, cases, min) in [("zh", "en-to-zh", "0.8"), ("en", "zh-to-en", "0.5")] {
        let out = dir.join(format!("{kb}.bin"));
        let build = kefu()
            .arg("build")
            .arg(root.join(format!("faq.{kb}.jsonl")))
            .arg("-o")
            .arg(&out)
            .arg("-q")
            .status()
            .unwrap();
        assert!(build.success());
        let eval = kefu()
            .args(["eval", "--kb"])
            .arg(&out)
            .arg("--cases")
            .arg(root.join(format!("queries.{cases}.jsonl")))
            .args(["--min-top1", min, "--max-false-answer", "0.05"])
            .output()
            .unwrap();
        assert!(
            eval.status.success(),
            "{cases}: {}{}",
            String::from_utf8_lossy(&eval.stdout),
            String::from_utf8_lossy(&eval.stderr)
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// The interactive `kefu chat` honours `@now` lines as `--script` does: the same request for
/// a human is a handoff on a Monday morning and a leave-a-message form at 23:00, whatever
/// the real clock says.
#[test]
fn interactive_chat_follows_the_now_lines() {
    let dir = scratch("now");
    std::fs::create_dir_all(dir.join("entries")).unwrap();
    std::fs::write(
        dir.join("settings.toml"),
        "[working_hours]\nutc_offset = \"+08:00\"\nweekdays = \"09:00-21:00\"\nweekend = \"closed\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("entries/a.jsonl"),
        "{\"id\": \"a\", \"question\": \"怎么开发票\", \"answer\": \"在订单页申请发票。\"}\n",
    )
    .unwrap();
    let chat = |input: &str| {
        use std::io::Write;
        let mut child = kefu()
            .args(["chat", "--kb"])
            .arg(&dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    let night = chat("@now 2026-11-23T23:00:00+08:00\n转人工\n");
    assert!(night.contains("< leave-message:"), "{night}");
    let morning = chat("@now 2026-11-23T10:00:00+08:00\n转人工\n");
    assert!(morning.contains("转接人工"), "{morning}");
    assert!(!morning.contains("< leave-message"), "{morning}");
    std::fs::remove_dir_all(&dir).ok();
}

/// `kefu eval --self-signals` writes the knowledge base's own calibration examples: every
/// question asked without its entry (never right) and perturbed copies of the questions,
/// most of which still find their entry.
#[test]
fn self_signals_hold_both_kinds_of_example() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/eval/crosslang");
    let dir = scratch("self-signals");
    let kb = dir.join("zh.bin");
    let build = kefu()
        .arg("build")
        .arg(root.join("faq.zh.jsonl"))
        .arg("-o")
        .arg(&kb)
        .arg("-q")
        .status()
        .unwrap();
    assert!(build.success());
    let out = dir.join("self.jsonl");
    let eval = kefu()
        .args(["eval", "--json", "--kb"])
        .arg(&kb)
        .arg("--cases")
        .arg(root.join("queries.en-to-zh.jsonl"))
        .arg("--self-signals")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        eval.status.success(),
        "{}",
        String::from_utf8_lossy(&eval.stderr)
    );
    let rows: Vec<serde_json::Value> = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let kind = |k: &str| rows.iter().filter(|r| r["kind"] == k).collect::<Vec<_>>();
    let (held_out, perturbed) = (kind("held_out_entry"), kind("perturbed"));
    assert!(!held_out.is_empty() && !perturbed.is_empty(), "{rows:?}");
    assert!(held_out.iter().all(|r| r["correct"] == false));
    let right = perturbed.iter().filter(|r| r["correct"] == true).count();
    assert!(
        right * 2 > perturbed.len(),
        "{right} of {} perturbed found their entry",
        perturbed.len()
    );
    assert!(perturbed
        .iter()
        .all(|r| r["signals"]["similarity"].is_number()));
    std::fs::remove_dir_all(&dir).ok();
}
