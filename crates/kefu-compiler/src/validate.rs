//! Turns a [`Draft`] into checked knowledge-base parts, reporting every problem with its
//! file and line.

use std::collections::HashMap;

use kefu_core::analysis::Analyzer;
use kefu_core::dialogue::Locale;
use kefu_core::kb::{
    Brand, Category, Entry, EntryTranslation, Settings, Texts, TextsTranslation, WorkingHours,
};
use kefu_core::text::normalize;

use crate::diagnostics::{Diagnostics, Origin};
use crate::source::{Draft, SourceEntry, SourceTexts, SourceWorkingHours, TimeValue};
use crate::time::{parse_clock, parse_date, parse_offset, parse_timestamp};

/// Answers longer than this get a warning: the short answer should fit a phone screen.
pub const ANSWER_RECOMMENDED_CHARS: usize = 100;

/// The validated parts of a knowledge base.
#[derive(Debug, Clone)]
pub struct Checked {
    pub settings: Settings,
    pub categories: Vec<Category>,
    pub entries: Vec<Entry>,
    pub synonyms: Vec<Vec<String>>,
    /// Where each entry was written, in the same order.
    pub origins: Vec<Origin>,
}

/// Default texts, in the voice of a Chinese online shop.
const WELCOME: &str = "您好，我是智能客服，请问有什么可以帮您？";
const FALLBACK: &str = "抱歉，这个问题我还不会回答。您可以换个说法，或者看看下面的热门问题。";
const CLARIFY: &str = "您是想问以下哪个问题？";

/// Checks everything in `draft`.
pub fn check(draft: &Draft, analyzer: &Analyzer, diags: &mut Diagnostics) -> Checked {
    let offset = working_offset(draft, diags);
    let categories = categories(draft, diags);
    let category_index: HashMap<&str, u32> = categories
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i as u32))
        .collect();

    let mut ids: HashMap<&str, (u32, &Origin)> = HashMap::new();
    for (i, (e, origin)) in draft.entries.iter().enumerate() {
        let id = e.id.trim();
        if id.is_empty() || id.chars().any(char::is_whitespace) {
            diags.error(
                origin,
                format!("entry id `{id}` must be non-empty and without spaces"),
            );
        }
        if let Some((_, first)) = ids.get(id) {
            diags.error(
                origin,
                format!("duplicate entry id `{id}` (first defined at {first})"),
            );
        } else {
            ids.insert(id, (i as u32, origin));
        }
    }
    let id_of = |id: &str| ids.get(id.trim()).map(|(i, _)| *i);

    let mut entries = Vec::with_capacity(draft.entries.len());
    let mut origins = Vec::with_capacity(draft.entries.len());
    for (e, origin) in &draft.entries {
        if e.question.trim().is_empty() {
            diags.error(origin, format!("entry `{}` has an empty question", e.id));
        }
        if e.answer.trim().is_empty() {
            diags.error(origin, format!("entry `{}` has an empty answer", e.id));
        }
        let answer_len = e.answer.trim().chars().count();
        if answer_len > ANSWER_RECOMMENDED_CHARS {
            diags.warning(
                origin,
                format!(
                    "answer of `{}` is {answer_len} characters; keep it under {ANSWER_RECOMMENDED_CHARS} and move the rest to `detail`",
                    e.id
                ),
            );
        }
        let category = match &e.category {
            Some(c) => match category_index.get(c.trim()) {
                Some(&i) => i,
                None => {
                    diags.error(
                        origin,
                        format!("entry `{}` names unknown category `{c}`", e.id),
                    );
                    0
                }
            },
            None => {
                if !categories.is_empty() && draft.categories.is_some() {
                    diags.error(origin, format!("entry `{}` has no category", e.id));
                }
                0
            }
        };
        let mut time = |v: &Option<TimeValue>, what: &str| {
            v.as_ref().and_then(|v| {
                let text = v.as_text();
                let parsed = parse_timestamp(&text, offset);
                if parsed.is_none() {
                    diags.error(origin, format!("{what} `{text}` is not a date (use 2026-11-01 or 2026-11-01T08:00:00+08:00)"));
                }
                parsed
            })
        };
        let valid_from = time(&e.valid_from, "valid_from");
        let valid_until = time(&e.valid_until, "valid_until");
        if let (Some(from), Some(until)) = (valid_from, valid_until) {
            if from >= until {
                diags.error(
                    origin,
                    format!(
                        "entry `{}` ends (valid_until) before it starts (valid_from)",
                        e.id
                    ),
                );
            }
        }
        let follow_ups = e
            .follow_ups
            .iter()
            .filter_map(|f| {
                let found = id_of(f);
                if found.is_none() {
                    diags.error(
                        origin,
                        format!("entry `{}` follows up with unknown entry `{f}`", e.id),
                    );
                }
                found
            })
            .collect();
        let translations = translations(e, origin, diags);
        let mut similar: Vec<String> = Vec::new();
        // A question written in another language is one more way to ask the entry: a
        // customer asking in that language reaches it without the glossary.
        let translated = translations.iter().filter_map(|t| t.question.as_deref());
        let mut seen = vec![normalize(analyzer.tables(), e.question.trim())];
        for s in e.similar.iter().map(String::as_str).chain(translated) {
            let s = s.trim();
            let key = normalize(analyzer.tables(), s);
            if s.is_empty() || seen.contains(&key) {
                continue;
            }
            seen.push(key);
            similar.push(s.to_string());
        }
        entries.push(Entry {
            id: e.id.trim().to_string(),
            category,
            question: e.question.trim().to_string(),
            similar,
            answer: e.answer.trim().to_string(),
            detail: e
                .detail
                .as_ref()
                .map(|d| d.trim().to_string())
                .filter(|d| !d.is_empty()),
            priority: e.priority,
            valid_from,
            valid_until,
            tags: e.tags.clone(),
            follow_ups,
            sensitive: e.sensitive,
            translations,
        });
        origins.push(origin.clone());
    }
    check_cross_entry_questions(&mut entries, &origins, analyzer, diags);

    let synonyms = synonyms(draft, diags);
    let settings = settings(draft, offset, &id_of, diags);
    Checked {
        settings,
        categories,
        entries,
        synonyms,
        origins,
    }
}

/// Two entries may share a question text (after normalisation), as real exports do. The
/// rule, deterministic: the entry written first keeps the text. A shared *similar* question
/// is dropped from every later entry; a later entry's shared *standard* question stays its
/// displayed question, and the matcher gives the exact match to the earlier entry (ties go
/// to the higher priority, then to the entry written first). Each duplicate is a warning
/// naming both entries and where they were written; `kefu build --strict` makes it an error.
/// An entry's `question_<language>` / `answer_<language>` / `detail_<language>` texts; a
/// question or a detailed answer needs the short answer in the same language.
fn translations(
    e: &SourceEntry,
    origin: &Origin,
    diags: &mut Diagnostics,
) -> Vec<EntryTranslation> {
    let mut out = Vec::new();
    for (code, question, answer, detail) in e.translations_written() {
        let Some(locale) = Locale::parse(code) else {
            continue;
        };
        let Some(answer) = answer else {
            let written = if detail.is_some() {
                "detail"
            } else {
                "question"
            };
            diags.error(
                origin,
                format!(
                    "entry `{}`: `{written}_{code}` needs `answer_{code}` as well",
                    e.id.trim()
                ),
            );
            continue;
        };
        out.push(EntryTranslation {
            locale,
            question: question.map(str::to_string),
            answer: answer.to_string(),
            detail: detail.map(str::to_string),
        });
    }
    out
}

/// The shop's fixed texts in its own language `shop` (the built-in ones where the shop
/// wrote none) and in every other language: the shop's `<text>_<language>` when written,
/// else that language's built-in text — so an English customer of a Chinese shop reads an
/// English apology, not the shop's Chinese one.
pub fn localize_texts(texts: &mut Texts, written: &SourceTexts, shop: Locale) {
    let builtin = builtin_texts(shop);
    let own = [&written.welcome, &written.fallback, &written.clarify];
    let own_written = |i: usize| own[i].as_deref().is_some_and(|t| !t.trim().is_empty());
    let in_shop_language = written.in_language(shop.code());
    let value = |i: usize, builtin: &str| -> String {
        if own_written(i) {
            own[i].as_deref().unwrap_or_default().trim().to_string()
        } else {
            in_shop_language[i].unwrap_or(builtin).to_string()
        }
    };
    texts.welcome = value(0, builtin[0]);
    texts.fallback = value(1, builtin[1]);
    texts.clarify = value(2, builtin[2]);
    texts.translations = Locale::ALL
        .into_iter()
        .filter(|&l| l != shop)
        .map(|locale| {
            let builtin = builtin_texts(locale);
            let said = written.in_language(locale.code());
            let pick = |i: usize| said[i].unwrap_or(builtin[i]).to_string();
            TextsTranslation {
                locale,
                welcome: Some(pick(0)),
                fallback: Some(pick(1)),
                clarify: Some(pick(2)),
            }
        })
        .collect();
}

/// The built-in welcome, fallback and clarify texts of a language.
pub fn builtin_texts(locale: Locale) -> [&'static str; 3] {
    match locale {
        Locale::ZhCn => [WELCOME, FALLBACK, CLARIFY],
        Locale::ZhTw => [
            "您好，我是智能客服，請問有什麼可以幫您？",
            "抱歉，這個問題我還不會回答。您可以換個說法，或者看看下面的熱門問題。",
            "您是想問以下哪個問題？",
        ],
        Locale::En => [
            "Hello! I'm the virtual assistant. How can I help you?",
            "Sorry, I can't answer that yet. Try putting it another way, or pick one of the popular questions below.",
            "Did you mean one of these?",
        ],
    }
}

fn check_cross_entry_questions(
    entries: &mut [Entry],
    origins: &[Origin],
    analyzer: &Analyzer,
    diags: &mut Diagnostics,
) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for i in 0..entries.len() {
        let mut dropped: Vec<usize> = Vec::new();
        let texts: Vec<String> = std::iter::once(&entries[i].question)
            .chain(&entries[i].similar)
            .cloned()
            .collect();
        for (k, q) in texts.iter().enumerate() {
            let key = normalize(analyzer.tables(), &analyzer.rewrite_synonyms(q));
            match seen.get(&key) {
                Some(&j) if j != i => {
                    let (what, rule) = if k == 0 {
                        ("question", "the earlier entry answers it")
                    } else {
                        ("similar question", "dropped from the later entry")
                    };
                    diags.warning(
                        &origins[i],
                        format!(
                            "duplicate question: {what} `{q}` of entry `{}` is also a question of entry `{}` ({}); {rule}",
                            entries[i].id, entries[j].id, origins[j]
                        ),
                    );
                    if k > 0 {
                        dropped.push(k - 1);
                    }
                }
                Some(_) => {}
                None => {
                    seen.insert(key, i);
                }
            }
        }
        for k in dropped.into_iter().rev() {
            entries[i].similar.remove(k);
        }
    }
}

fn categories(draft: &Draft, diags: &mut Diagnostics) -> Vec<Category> {
    let mut out: Vec<Category> = Vec::new();
    let mut index: HashMap<String, u32> = HashMap::new();
    match &draft.categories {
        Some(list) => {
            for (c, origin) in list {
                let id = c.id.trim().trim_matches('/').to_string();
                if index.contains_key(&id) {
                    diags.error(origin, format!("duplicate category `{id}`"));
                    continue;
                }
                let parent = match id.rsplit_once('/') {
                    Some((parent, _)) => match index.get(parent) {
                        Some(&p) => Some(p),
                        None => {
                            diags.error(
                                origin,
                                format!("category `{id}` comes before its parent `{parent}`"),
                            );
                            None
                        }
                    },
                    None => None,
                };
                index.insert(id.clone(), out.len() as u32);
                out.push(Category {
                    id,
                    name: c.name.trim().to_string(),
                    parent,
                });
            }
        }
        None => {
            // No category file: build the tree from the paths the entries use.
            for (e, _) in &draft.entries {
                let Some(path) = &e.category else { continue };
                let mut prefix = String::new();
                let mut parent = None;
                for part in path.trim().trim_matches('/').split('/') {
                    if !prefix.is_empty() {
                        prefix.push('/');
                    }
                    prefix.push_str(part.trim());
                    let i = *index.entry(prefix.clone()).or_insert_with(|| {
                        out.push(Category {
                            id: prefix.clone(),
                            name: part.trim().to_string(),
                            parent,
                        });
                        out.len() as u32 - 1
                    });
                    parent = Some(i);
                }
            }
            if out.is_empty() {
                out.push(Category {
                    id: "general".into(),
                    name: "常见问题".into(),
                    parent: None,
                });
            }
        }
    }
    out
}

fn synonyms(draft: &Draft, diags: &mut Diagnostics) -> Vec<Vec<String>> {
    let mut owner: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for (group, origin) in &draft.synonyms {
        let words: Vec<String> = group
            .iter()
            .map(|w| w.trim().to_string())
            .filter(|w| !w.is_empty())
            .collect();
        if words.len() < 2 {
            diags.warning(
                origin,
                format!("synonym group {group:?} needs at least two words"),
            );
            continue;
        }
        for w in &words {
            if let Some(&other) = owner.get(w) {
                diags.error(
                    origin,
                    format!(
                        "`{w}` is in two synonym groups ({:?} and {:?})",
                        out_group(&out, other),
                        words
                    ),
                );
            }
            owner.insert(w.clone(), out.len());
        }
        out.push(words);
    }
    out
}

fn out_group(groups: &[Vec<String>], i: usize) -> Vec<String> {
    groups.get(i).cloned().unwrap_or_default()
}

fn working_offset(draft: &Draft, diags: &mut Diagnostics) -> i32 {
    let Some(hours) = &draft.settings.working_hours else {
        return 480;
    };
    match &hours.utc_offset {
        None => 480,
        Some(s) => parse_offset(s).unwrap_or_else(|| {
            diags.error(
                &draft.settings_origin,
                format!("utc_offset `{s}` should look like +08:00"),
            );
            480
        }),
    }
}

fn settings(
    draft: &Draft,
    offset: i32,
    id_of: &dyn Fn(&str) -> Option<u32>,
    diags: &mut Diagnostics,
) -> Settings {
    let s = &draft.settings;
    let at = &draft.settings_origin;
    let hot_questions = s
        .matching
        .hot_questions
        .iter()
        .filter_map(|id| {
            let found = id_of(id.get_ref());
            if found.is_none() {
                let line = crate::diagnostics::line_of(&draft.settings_text, id.span().start);
                diags.error(
                    &Origin::new(&at.file, Some(line)),
                    format!("hot question `{}` is not an entry id", id.get_ref()),
                );
            }
            found
        })
        .collect();
    let defaults = Settings::default();
    let mut threshold = |v: Option<f32>, default: f32, what: &str| match v {
        Some(t) if (0.0..=1.0).contains(&t) => t,
        Some(t) => {
            diags.error(at, format!("{what} {t} must be between 0 and 1"));
            default
        }
        None => default,
    };
    let answer_threshold = threshold(
        s.matching.answer_threshold,
        defaults.answer_threshold,
        "answer_threshold",
    );
    let clarify_threshold = threshold(
        s.matching.clarify_threshold,
        defaults.clarify_threshold,
        "clarify_threshold",
    );
    if clarify_threshold > answer_threshold {
        diags.error(at, "clarify_threshold must not be above answer_threshold");
    }
    let text = |v: &Option<String>, default: &str| {
        v.clone()
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| default.to_string())
    };
    Settings {
        brand: Brand {
            name: text(&s.brand.name, "在线客服"),
            avatar: text(&s.brand.avatar, ""),
            primary_color: text(&s.brand.primary_color, "#1f6feb"),
            on_primary_color: text(&s.brand.on_primary_color, "#ffffff"),
        },
        texts: Texts {
            welcome: text(&s.texts.welcome, WELCOME),
            fallback: text(&s.texts.fallback, FALLBACK),
            clarify: text(&s.texts.clarify, CLARIFY),
            translations: Vec::new(),
        },
        hot_questions,
        answer_threshold,
        clarify_threshold,
        working_hours: s
            .working_hours
            .as_ref()
            .map(|h| working_hours(h, offset, at, diags))
            .unwrap_or_default(),
    }
}

fn working_hours(
    h: &SourceWorkingHours,
    offset: i32,
    at: &Origin,
    diags: &mut Diagnostics,
) -> WorkingHours {
    let days = [&h.mon, &h.tue, &h.wed, &h.thu, &h.fri, &h.sat, &h.sun];
    let mut weekly: [Vec<(u16, u16)>; 7] = Default::default();
    for (i, day) in days.iter().enumerate() {
        let shorthand = if i < 5 { &h.weekdays } else { &h.weekend };
        if let Some(spec) = day.as_ref().or(shorthand.as_ref()) {
            weekly[i] = spans(spec, at, diags);
        }
    }
    let dates = |list: &[String], what: &str, diags: &mut Diagnostics| -> Vec<i32> {
        list.iter()
            .filter_map(|d| {
                let parsed = parse_date(d).map(|d| d as i32);
                if parsed.is_none() {
                    diags.error(at, format!("{what} `{d}` is not a date like 2026-10-01"));
                }
                parsed
            })
            .collect()
    };
    WorkingHours {
        utc_offset_minutes: offset,
        weekly,
        holidays: dates(&h.holidays, "holiday", diags),
        extra_workdays: dates(&h.extra_workdays, "extra workday", diags),
    }
}

fn spans(spec: &str, at: &Origin, diags: &mut Diagnostics) -> Vec<(u16, u16)> {
    let spec = spec.trim();
    if spec.is_empty() || spec == "closed" || spec == "休息" {
        return Vec::new();
    }
    spec.split([',', '，'])
        .filter_map(|span| {
            let parsed = span
                .split_once('-')
                .and_then(|(a, b)| Some((parse_clock(a)?, parse_clock(b)?)));
            match parsed {
                Some((a, b)) if a < b => Some((a, b)),
                _ => {
                    diags.error(
                        at,
                        format!("opening hours `{span}` should look like 09:00-21:00"),
                    );
                    None
                }
            }
        })
        .collect()
}
