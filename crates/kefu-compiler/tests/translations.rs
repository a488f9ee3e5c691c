//! Per-language texts in the sources (`kb/README.md`, "Texts in other languages"):
//! 1. `answer_<language>` / `detail_<language>` in TOML, CSV and JSON Lines entries compile
//!    into the entry's translations;
//! 2. `fallback_<language>` etc. in `settings.toml` become the texts of that language, and a
//!    language the shop wrote nothing for gets the built-in texts of that language;
//! 3. mistakes (an unknown language, a detail or question without its answer) are errors at
//!    their line; an answer "translated" into the shop's own language is a warning;
//! 4. `question_<language>` labels the entry's chips in that language and is one more way
//!    to ask the entry.

use std::path::{Path, PathBuf};

use kefu_core::dialogue::Locale;

fn write_kb(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kefu-translations-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("entries")).unwrap();
    for (path, text) in files {
        std::fs::write(dir.join(path), text).unwrap();
    }
    dir
}

const CATEGORIES: &str = "[[category]]\nid = \"invoice\"\nname = \"发票\"\n";

fn compile(dir: &Path) -> Result<kefu_compiler::Compiled, kefu_compiler::CompileError> {
    let result = kefu_compiler::compile(dir);
    let _ = std::fs::remove_dir_all(dir);
    result
}

#[test]
fn translations_compile_from_every_source_format() {
    let dir = write_kb(
        "ok",
        &[
            ("categories.toml", CATEGORIES),
            (
                "settings.toml",
                "[texts]\nfallback = \"抱歉，没听懂。\"\nfallback_en = \"Sorry, I did not get that.\"\n",
            ),
            (
                "entries/a.toml",
                "[[entry]]\nid = \"invoice-apply\"\ncategory = \"invoice\"\nquestion = \"怎么开发票？\"\nanswer = \"在订单里申请。\"\nanswer_en = \"Request it in the order.\"\ndetail = \"详细说明。\"\ndetail_en = \"All the details.\"\n\"answer_zh-TW\" = \"在訂單裡申請。\"\n",
            ),
            (
                "entries/b.csv",
                "id,category,question,answer,answer_en\ninvoice-type,invoice,能开纸质发票吗？,只开电子发票。,Electronic invoices only.\n",
            ),
            (
                "entries/c.jsonl",
                "{\"id\": \"invoice-email\", \"category\": \"invoice\", \"question\": \"发票发到哪里？\", \"answer\": \"发到邮箱。\", \"answer_en\": \"To your e-mail.\"}\n",
            ),
        ],
    );
    let kb = compile(&dir).expect("compiles").kb;
    let entry = |id: &str| kb.entries.iter().find(|e| e.id == id).unwrap();
    let apply = entry("invoice-apply");
    assert_eq!(apply.answer, "在订单里申请。");
    assert_eq!(
        apply.answer_in(Some(Locale::En)),
        "Request it in the order."
    );
    assert_eq!(apply.detail_in(Some(Locale::En)), Some("All the details."));
    assert_eq!(apply.answer_in(Some(Locale::ZhTw)), "在訂單裡申請。");
    // No zh-TW detail: the shop's own.
    assert_eq!(apply.detail_in(Some(Locale::ZhTw)), Some("详细说明。"));
    assert_eq!(apply.answer_in(None), "在订单里申请。");
    assert_eq!(
        entry("invoice-type").answer_in(Some(Locale::En)),
        "Electronic invoices only."
    );
    assert_eq!(
        entry("invoice-email").answer_in(Some(Locale::En)),
        "To your e-mail."
    );
    let texts = &kb.settings.texts;
    assert_eq!(texts.fallback_in(None), "抱歉，没听懂。");
    assert_eq!(
        texts.fallback_in(Some(Locale::En)),
        "Sorry, I did not get that."
    );
    // Not written in English: the built-in English prompt, not the shop's Chinese one.
    assert_eq!(
        texts.clarify_in(Some(Locale::En)),
        kefu_compiler::validate::builtin_texts(Locale::En)[2]
    );
    assert_eq!(
        texts.fallback_in(Some(Locale::ZhTw)),
        kefu_compiler::validate::builtin_texts(Locale::ZhTw)[1]
    );
}

#[test]
fn an_english_shop_gets_english_default_texts() {
    let dir = write_kb(
        "en",
        &[
            ("categories.toml", CATEGORIES),
            ("dialogue.toml", "locale = \"en\"\n"),
            (
                "entries/a.toml",
                "[[entry]]\nid = \"invoice-apply\"\ncategory = \"invoice\"\nquestion = \"How do I get an invoice?\"\nanswer = \"Request it in the order.\"\n\"answer_zh-CN\" = \"在订单里申请。\"\n",
            ),
        ],
    );
    let kb = compile(&dir).expect("compiles").kb;
    let texts = &kb.settings.texts;
    assert_eq!(
        texts.fallback_in(None),
        kefu_compiler::validate::builtin_texts(Locale::En)[1]
    );
    assert_eq!(
        texts.fallback_in(Some(Locale::ZhCn)),
        kefu_compiler::validate::builtin_texts(Locale::ZhCn)[1]
    );
    assert_eq!(
        kb.entries[0].answer_in(Some(Locale::ZhCn)),
        "在订单里申请。"
    );
}

#[test]
fn translation_mistakes_are_reported_at_their_line() {
    let dir = write_kb(
        "bad",
        &[
            ("categories.toml", CATEGORIES),
            (
                "entries/a.toml",
                "[[entry]]\nid = \"a\"\ncategory = \"invoice\"\nquestion = \"怎么开发票？\"\nanswer = \"申请。\"\ndetail_en = \"Details.\"\n\n[[entry]]\nid = \"q\"\ncategory = \"invoice\"\nquestion = \"发票抬头能改吗？\"\nanswer = \"能。\"\nquestion_en = \"Can I change the invoice title?\"\n\n[[entry]]\nid = \"b\"\ncategory = \"invoice\"\nquestion = \"发票发到哪里？\"\nanswer = \"邮箱。\"\n\"answer_zh-CN\" = \"邮箱。\"\n",
            ),
            (
                "entries/c.jsonl",
                "{\"id\": \"c\", \"category\": \"invoice\", \"question\": \"能开专票吗？\", \"answer\": \"能。\", \"answer_fr\": \"Oui.\"}\n",
            ),
        ],
    );
    let err = compile(&dir).expect_err("has errors");
    let all: Vec<String> = err
        .0
        .errors()
        .chain(err.0.warnings())
        .map(|d| {
            format!(
                "{}:{}: {}",
                d.file.file_name().unwrap().to_string_lossy(),
                d.line.unwrap_or(0),
                d.message
            )
        })
        .collect();
    let all = all.join("\n");
    for expected in [
        "a.toml:1: entry `a`: `detail_en` needs `answer_en`",
        "a.toml:8: entry `q`: `question_en` needs `answer_en`",
        "a.toml:15: entry `b`: `answer_zh-CN` is in the shop's own language",
        "c.jsonl:1: bad JSON entry: unknown field `answer_fr`",
    ] {
        assert!(all.contains(expected), "missing `{expected}` in:\n{all}");
    }
}

#[test]
fn translated_questions_label_chips_and_are_matched() {
    let dir = write_kb(
        "questions",
        &[
            ("categories.toml", CATEGORIES),
            (
                "entries/a.toml",
                "[[entry]]\nid = \"invoice-apply\"\ncategory = \"invoice\"\nquestion = \"怎么开发票？\"\nanswer = \"在订单里申请。\"\nquestion_en = \"Where do I request an invoice?\"\nanswer_en = \"Request it in the order.\"\n",
            ),
            (
                "entries/b.csv",
                "id,category,question,answer,question_en,answer_en\ninvoice-type,invoice,能开纸质发票吗？,只开电子发票。,Can I get a paper invoice?,Electronic invoices only.\n",
            ),
            (
                "entries/c.jsonl",
                "{\"id\": \"invoice-email\", \"category\": \"invoice\", \"question\": \"发票发到哪里？\", \"answer\": \"发到邮箱。\", \"question_zh-TW\": \"發票寄到哪裡？\", \"answer_zh-TW\": \"寄到信箱。\"}\n",
            ),
        ],
    );
    let compiled = compile(&dir).expect("compiles");
    let kb = compiled.kb.clone();
    let entry = |id: &str| kb.entries.iter().find(|e| e.id == id).unwrap();
    assert_eq!(
        entry("invoice-apply").question_in(Some(Locale::En)),
        "Where do I request an invoice?"
    );
    assert_eq!(
        entry("invoice-type").question_in(Some(Locale::En)),
        "Can I get a paper invoice?"
    );
    assert_eq!(
        entry("invoice-email").question_in(Some(Locale::ZhTw)),
        "發票寄到哪裡？"
    );
    // No English question written: the shop's own.
    assert_eq!(
        entry("invoice-email").question_in(Some(Locale::En)),
        "发票发到哪里？"
    );
    assert_eq!(entry("invoice-apply").question_in(None), "怎么开发票？");

    // The English question, typed exactly, reaches its entry directly.
    let engine = kefu_core::Engine::from_kb(compiled.for_device()).expect("loads");
    let m = engine.ask("Where do I request an invoice?", None);
    let top = m
        .candidates
        .first()
        .map(|c| engine.kb().entries[c.entry as usize].id.as_str());
    assert_eq!(top, Some("invoice-apply"));
    assert!(matches!(m.outcome, kefu_core::Outcome::Answer(_)), "{m:?}");
}
