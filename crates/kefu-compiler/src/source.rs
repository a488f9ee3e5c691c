//! Reading knowledge-base sources: a directory of TOML files (see `kb/README.md`), or a
//! single CSV or JSON Lines file of entries. Everything read keeps its file and line.

use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostics::{line_of, Diagnostics, Origin};

/// An entry as written, before validation.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceEntry {
    pub id: String,
    #[serde(default)]
    pub category: Option<String>,
    pub question: String,
    #[serde(default)]
    pub similar: Vec<String>,
    pub answer: String,
    #[serde(default)]
    pub detail: Option<String>,
    #[serde(default)]
    pub priority: i32,
    #[serde(default)]
    pub valid_from: Option<TimeValue>,
    #[serde(default)]
    pub valid_until: Option<TimeValue>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub follow_ups: Vec<String>,
    #[serde(default)]
    pub sensitive: bool,
    /// The question, answer and detailed answer in the other languages (`question_en`,
    /// `answer_en`, `detail_zh-TW` …): shown to a customer conversing in that language.
    #[serde(default, rename = "question_zh-CN")]
    pub question_zh_cn: Option<String>,
    #[serde(default, rename = "question_zh-TW")]
    pub question_zh_tw: Option<String>,
    #[serde(default)]
    pub question_en: Option<String>,
    #[serde(default, rename = "answer_zh-CN")]
    pub answer_zh_cn: Option<String>,
    #[serde(default, rename = "answer_zh-TW")]
    pub answer_zh_tw: Option<String>,
    #[serde(default)]
    pub answer_en: Option<String>,
    #[serde(default, rename = "detail_zh-CN")]
    pub detail_zh_cn: Option<String>,
    #[serde(default, rename = "detail_zh-TW")]
    pub detail_zh_tw: Option<String>,
    #[serde(default)]
    pub detail_en: Option<String>,
}

impl SourceEntry {
    /// (locale code, question, answer, detail) for every language with something written.
    pub fn translations_written(&self) -> Vec<Written<'_>> {
        fn text(t: &Option<String>) -> Option<&str> {
            t.as_deref().map(str::trim).filter(|t| !t.is_empty())
        }
        [
            (
                "zh-CN",
                &self.question_zh_cn,
                &self.answer_zh_cn,
                &self.detail_zh_cn,
            ),
            (
                "zh-TW",
                &self.question_zh_tw,
                &self.answer_zh_tw,
                &self.detail_zh_tw,
            ),
            ("en", &self.question_en, &self.answer_en, &self.detail_en),
        ]
        .into_iter()
        .map(|(code, q, a, d)| (code, text(q), text(a), text(d)))
        .filter(|(_, q, a, d)| q.is_some() || a.is_some() || d.is_some())
        .collect()
    }
}

/// One language's texts of an entry: (locale code, question, answer, detail).
pub type Written<'a> = (
    &'static str,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
);

/// A time written as a TOML date-time or as text.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum TimeValue {
    Toml(toml::value::Datetime),
    Text(String),
}

impl TimeValue {
    pub fn as_text(&self) -> String {
        match self {
            TimeValue::Toml(d) => d.to_string(),
            TimeValue::Text(s) => s.clone(),
        }
    }
}

/// A category as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceCategory {
    pub id: String,
    pub name: String,
}

/// `settings.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceSettings {
    #[serde(default)]
    pub brand: SourceBrand,
    #[serde(default)]
    pub texts: SourceTexts,
    #[serde(default)]
    pub matching: SourceMatching,
    #[serde(default)]
    pub working_hours: Option<SourceWorkingHours>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceBrand {
    pub name: Option<String>,
    pub avatar: Option<String>,
    pub primary_color: Option<String>,
    pub on_primary_color: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceTexts {
    pub welcome: Option<String>,
    pub fallback: Option<String>,
    pub clarify: Option<String>,
    /// The same texts in other languages (`fallback_en`, `clarify_zh-TW` …).
    #[serde(rename = "welcome_zh-CN")]
    pub welcome_zh_cn: Option<String>,
    #[serde(rename = "welcome_zh-TW")]
    pub welcome_zh_tw: Option<String>,
    pub welcome_en: Option<String>,
    #[serde(rename = "fallback_zh-CN")]
    pub fallback_zh_cn: Option<String>,
    #[serde(rename = "fallback_zh-TW")]
    pub fallback_zh_tw: Option<String>,
    pub fallback_en: Option<String>,
    #[serde(rename = "clarify_zh-CN")]
    pub clarify_zh_cn: Option<String>,
    #[serde(rename = "clarify_zh-TW")]
    pub clarify_zh_tw: Option<String>,
    pub clarify_en: Option<String>,
}

impl SourceTexts {
    /// (welcome, fallback, clarify) written for the language `code`.
    pub fn in_language(&self, code: &str) -> [Option<&str>; 3] {
        fn t(v: &Option<String>) -> Option<&str> {
            v.as_deref().map(str::trim).filter(|t| !t.is_empty())
        }
        match code {
            "zh-CN" => [
                t(&self.welcome_zh_cn),
                t(&self.fallback_zh_cn),
                t(&self.clarify_zh_cn),
            ],
            "zh-TW" => [
                t(&self.welcome_zh_tw),
                t(&self.fallback_zh_tw),
                t(&self.clarify_zh_tw),
            ],
            "en" => [
                t(&self.welcome_en),
                t(&self.fallback_en),
                t(&self.clarify_en),
            ],
            _ => [None; 3],
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceMatching {
    pub answer_threshold: Option<f32>,
    pub clarify_threshold: Option<f32>,
    /// Entry ids, each with where it is written.
    #[serde(default)]
    pub hot_questions: Vec<toml::Spanned<String>>,
}

/// Opening hours: `"09:00-12:00, 13:30-21:00"` per day, `weekdays`/`weekend` shorthands.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceWorkingHours {
    pub utc_offset: Option<String>,
    pub weekdays: Option<String>,
    pub weekend: Option<String>,
    pub mon: Option<String>,
    pub tue: Option<String>,
    pub wed: Option<String>,
    pub thu: Option<String>,
    pub fri: Option<String>,
    pub sat: Option<String>,
    pub sun: Option<String>,
    #[serde(default)]
    pub holidays: Vec<String>,
    #[serde(default)]
    pub extra_workdays: Vec<String>,
}

/// Everything read from the sources, each piece with where it came from.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    /// The directory or file compiled.
    pub root: PathBuf,
    pub settings: SourceSettings,
    pub settings_origin: Origin,
    /// The text of `settings.toml`, for the lines of what it holds.
    pub settings_text: String,
    /// `None` when no category file exists: categories are then created from the entries.
    pub categories: Option<Vec<(SourceCategory, Origin)>>,
    pub synonyms: Vec<(Vec<String>, Origin)>,
    pub entries: Vec<(SourceEntry, Origin)>,
    /// Every source text read, to hash into the build.
    pub texts: Vec<String>,
}

/// An entries file: top-level synonym groups plus `[[entry]]` tables.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntriesFile {
    #[serde(default)]
    synonyms: Vec<toml::Spanned<Vec<String>>>,
    #[serde(default)]
    entry: Vec<toml::Spanned<SourceEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CategoriesFile {
    #[serde(default)]
    category: Vec<toml::Spanned<SourceCategory>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SynonymsFile {
    #[serde(default)]
    synonyms: Vec<toml::Spanned<Vec<String>>>,
}

/// Reads a source directory or file. Problems go to `diags`; what could be read is returned.
pub fn read(path: &Path, diags: &mut Diagnostics) -> Draft {
    let mut draft = Draft {
        root: path.to_path_buf(),
        ..Draft::default()
    };
    if path.is_dir() {
        read_dir(path, &mut draft, diags);
    } else {
        read_entries_file(path, &mut draft, diags);
    }
    draft
}

fn read_text(path: &Path, draft: &mut Draft, diags: &mut Diagnostics) -> Option<String> {
    match fs::read_to_string(path) {
        Ok(text) => {
            draft.texts.push(text.clone());
            Some(text)
        }
        Err(e) => {
            diags.error(&Origin::new(path, None), format!("cannot read: {e}"));
            None
        }
    }
}

fn parse_toml<T: for<'de> Deserialize<'de>>(
    path: &Path,
    text: &str,
    diags: &mut Diagnostics,
) -> Option<T> {
    match toml::from_str(text) {
        Ok(v) => Some(v),
        Err(e) => {
            let line = e.span().map(|s| line_of(text, s.start));
            diags.error(&Origin::new(path, line), e.message().to_string());
            None
        }
    }
}

fn read_dir(dir: &Path, draft: &mut Draft, diags: &mut Diagnostics) {
    let settings = dir.join("settings.toml");
    draft.settings_origin = Origin::new(&settings, None);
    if settings.exists() {
        if let Some(text) = read_text(&settings, draft, diags) {
            draft.settings = parse_toml(&settings, &text, diags).unwrap_or_default();
            draft.settings_text = text;
        }
    }
    let categories = dir.join("categories.toml");
    if categories.exists() {
        if let Some(text) = read_text(&categories, draft, diags) {
            let file: Option<CategoriesFile> = parse_toml(&categories, &text, diags);
            draft.categories = Some(
                file.map(|f| {
                    f.category
                        .into_iter()
                        .map(|c| {
                            let line = line_of(&text, c.span().start);
                            (c.into_inner(), Origin::new(&categories, Some(line)))
                        })
                        .collect()
                })
                .unwrap_or_default(),
            );
        }
    }
    let synonyms = dir.join("synonyms.toml");
    if synonyms.exists() {
        if let Some(text) = read_text(&synonyms, draft, diags) {
            if let Some(file) = parse_toml::<SynonymsFile>(&synonyms, &text, diags) {
                draft
                    .synonyms
                    .extend(spanned_groups(&synonyms, &text, file.synonyms));
            }
        }
    }
    let entries_dir = dir.join("entries");
    let mut files: Vec<PathBuf> = match fs::read_dir(&entries_dir) {
        Ok(list) => list.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) => {
            diags.error(
                &Origin::new(&entries_dir, None),
                format!("cannot list entries: {e}"),
            );
            Vec::new()
        }
    };
    files.sort();
    for file in files {
        if matches!(
            file.extension().and_then(|e| e.to_str()),
            Some("toml" | "csv" | "jsonl")
        ) {
            read_entries_file(&file, draft, diags);
        }
    }
}

/// Synonym groups with the line each starts on.
fn spanned_groups(
    path: &Path,
    text: &str,
    groups: Vec<toml::Spanned<Vec<String>>>,
) -> Vec<(Vec<String>, Origin)> {
    groups
        .into_iter()
        .map(|g| {
            let line = line_of(text, g.span().start);
            (g.into_inner(), Origin::new(path, Some(line)))
        })
        .collect()
}

fn read_entries_file(path: &Path, draft: &mut Draft, diags: &mut Diagnostics) {
    let Some(text) = read_text(path, draft, diags) else {
        return;
    };
    match path.extension().and_then(|e| e.to_str()) {
        Some("toml") => {
            if let Some(file) = parse_toml::<EntriesFile>(path, &text, diags) {
                draft
                    .synonyms
                    .extend(spanned_groups(path, &text, file.synonyms));
                for e in file.entry {
                    let line = line_of(&text, e.span().start);
                    draft
                        .entries
                        .push((e.into_inner(), Origin::new(path, Some(line))));
                }
            }
        }
        Some("csv") => read_csv(path, &text, draft, diags),
        Some("jsonl") | Some("ndjson") => read_jsonl(path, &text, draft, diags),
        _ => diags.error(
            &Origin::new(path, None),
            "unknown source type: give a directory, a .csv or a .jsonl file",
        ),
    }
}

/// A CSV row: id, category, question, similar (joined by `|`), answer, detail, priority,
/// valid_from, valid_until, and optionally tags, follow_ups (joined by `|`) and sensitive.
#[derive(Debug, Deserialize)]
struct CsvRow {
    id: String,
    #[serde(default)]
    category: Option<String>,
    question: String,
    #[serde(default)]
    similar: Option<String>,
    answer: String,
    #[serde(default)]
    detail: Option<String>,
    #[serde(default)]
    priority: Option<String>,
    #[serde(default)]
    valid_from: Option<String>,
    #[serde(default)]
    valid_until: Option<String>,
    #[serde(default)]
    tags: Option<String>,
    #[serde(default)]
    follow_ups: Option<String>,
    #[serde(default)]
    sensitive: Option<String>,
    #[serde(default, rename = "question_zh-CN")]
    question_zh_cn: Option<String>,
    #[serde(default, rename = "question_zh-TW")]
    question_zh_tw: Option<String>,
    #[serde(default)]
    question_en: Option<String>,
    #[serde(default, rename = "answer_zh-CN")]
    answer_zh_cn: Option<String>,
    #[serde(default, rename = "answer_zh-TW")]
    answer_zh_tw: Option<String>,
    #[serde(default)]
    answer_en: Option<String>,
    #[serde(default, rename = "detail_zh-CN")]
    detail_zh_cn: Option<String>,
    #[serde(default, rename = "detail_zh-TW")]
    detail_zh_tw: Option<String>,
    #[serde(default)]
    detail_en: Option<String>,
}

fn split_bar(s: Option<String>) -> Vec<String> {
    s.map(|s| {
        s.split('|')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(String::from)
            .collect()
    })
    .unwrap_or_default()
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

fn read_csv(path: &Path, text: &str, draft: &mut Draft, diags: &mut Diagnostics) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Spreadsheet exports end their lines with CRLF, after which the csv reader counts every
    // record's line one too low (the header's line for the first row): read them as LF, so
    // each diagnostic names the row's own line. A line break inside a quoted field becomes LF.
    let text = text.replace("\r\n", "\n");
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::Headers)
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            diags.error(&Origin::new(path, Some(1)), format!("bad CSV header: {e}"));
            return;
        }
    };
    let mut record = csv::StringRecord::new();
    loop {
        let row = match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map(|p| p.line() as usize);
                record
                    .deserialize::<CsvRow>(Some(&headers))
                    .map(|r| (r, line))
                    .map_err(|e| (e, line))
            }
            Err(e) => {
                let line = e.position().map(|p| p.line() as usize);
                Err((e, line))
            }
        };
        match row {
            Ok((row, line)) => {
                let at = Origin::new(path, line);
                let priority = match non_empty(row.priority) {
                    None => 0,
                    Some(p) => match p.parse() {
                        Ok(p) => p,
                        Err(_) => {
                            diags.error(&at, format!("priority `{p}` is not a whole number"));
                            0
                        }
                    },
                };
                let sensitive = non_empty(row.sensitive).is_some_and(|s| {
                    matches!(s.to_lowercase().as_str(), "true" | "yes" | "1" | "是")
                });
                let entry = SourceEntry {
                    id: row.id.trim().to_string(),
                    category: non_empty(row.category),
                    question: row.question,
                    similar: split_bar(row.similar),
                    answer: row.answer,
                    detail: non_empty(row.detail),
                    priority,
                    valid_from: non_empty(row.valid_from).map(TimeValue::Text),
                    valid_until: non_empty(row.valid_until).map(TimeValue::Text),
                    tags: split_bar(row.tags),
                    follow_ups: split_bar(row.follow_ups),
                    sensitive,
                    question_zh_cn: row.question_zh_cn,
                    question_zh_tw: row.question_zh_tw,
                    question_en: row.question_en,
                    answer_zh_cn: row.answer_zh_cn,
                    answer_zh_tw: row.answer_zh_tw,
                    answer_en: row.answer_en,
                    detail_zh_cn: row.detail_zh_cn,
                    detail_zh_tw: row.detail_zh_tw,
                    detail_en: row.detail_en,
                };
                draft.entries.push((entry, at));
            }
            Err((e, line)) => {
                let message = match e.kind() {
                    csv::ErrorKind::Deserialize { err, .. } => format!("bad row: {err}"),
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => {
                        format!("row has {len} fields, the header has {expected_len}")
                    }
                    _ => e.to_string(),
                };
                diags.error(&Origin::new(path, line), message);
            }
        }
    }
}

fn read_jsonl(path: &Path, text: &str, draft: &mut Draft, diags: &mut Diagnostics) {
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let origin = Origin::new(path, Some(line_no));
        match serde_json::from_str::<SourceEntry>(trimmed) {
            Ok(entry) => draft.entries.push((entry, origin)),
            Err(e) => diags.error(&origin, format!("bad JSON entry: {e}")),
        }
    }
}
