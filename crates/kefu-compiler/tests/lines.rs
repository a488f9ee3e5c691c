//! Every mistake in the sources is reported at the line it is written on:
//! 1. an unknown hot question in `settings.toml`, at the line of that id;
//! 2. a word in two synonym groups, at the line of the second group (in `synonyms.toml` and
//!    at the top of an entries file);
//! 3. an unknown entry in a flow's `offer_after` (and in `order_entries` /
//!    `handoff.human_entries`), at the line of that id in a list written over several lines.

use std::path::PathBuf;

fn write_kb(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kefu-lines-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("entries")).unwrap();
    std::fs::create_dir_all(dir.join("flows")).unwrap();
    for (path, text) in files {
        std::fs::write(dir.join(path), text).unwrap();
    }
    dir
}

#[test]
fn mistakes_point_at_their_own_line() {
    let dir = write_kb(
        "all",
        &[
            ("categories.toml", "[[category]]\nid = \"invoice\"\nname = \"发票\"\n"),
            (
                "settings.toml",
                "[brand]\nname = \"x\"\n\n[matching]\nhot_questions = [\n  \"a\",\n  \"nope\",\n]\n",
            ),
            ("synonyms.toml", "synonyms = [\n  [\"退货\", \"退掉\"],\n\n  [\"退掉\", \"退回\"],\n]\n"),
            (
                "entries/a.toml",
                "synonyms = [\n  [\"发票\", \"开票\"],\n  [\"开票\", \"票据\"],\n]\n\n[[entry]]\nid = \"a\"\ncategory = \"invoice\"\nquestion = \"怎么开发票？\"\nanswer = \"申请。\"\n",
            ),
            (
                "flows/f.toml",
                "# A flow\nid = \"f\"\nname = \"F\"\nphrases = [\"办F\"]\noffer_after = [\n  \"a\",\n  \"missing\",\n]\n\n[[step]]\nid = \"s\"\nsay = \"好\"\nend = \"done\"\n",
            ),
            (
                "dialogue.toml",
                "order_entries = [\n  \"a\",\n  \"no-such-entry\",\n]\n[handoff]\nhuman_entries = [\"a\",\n  \"nobody\"]\n",
            ),
        ],
    );
    let err = kefu_compiler::compile(&dir).expect_err("has errors");
    let _ = std::fs::remove_dir_all(&dir);
    let all: Vec<String> = err
        .0
        .errors()
        .map(|d| {
            format!(
                "{}:{}: {}",
                d.file.file_name().unwrap().to_string_lossy(),
                d.line.map_or("?".to_string(), |l| l.to_string()),
                d.message
            )
        })
        .collect();
    let all = all.join("\n");
    for expected in [
        "settings.toml:7: hot question `nope` is not an entry id",
        "synonyms.toml:4: `退掉` is in two synonym groups",
        "a.toml:3: `开票` is in two synonym groups",
        "f.toml:7: offer_after: no entry has the id `missing`",
        "dialogue.toml:3: order_entries: no entry has the id `no-such-entry`",
        "dialogue.toml:7: handoff.human_entries: no entry has the id `nobody`",
    ] {
        assert!(all.contains(expected), "missing `{expected}` in:\n{all}");
    }
}
