//! `dialogue.toml`: the order-number pattern, lexicons, texts, handoff policy, emotion words
//! and context lifetime. Every key overrides the built-in default of the same name; unknown
//! keys are errors, so a typo never goes unnoticed.

use std::collections::BTreeMap;

use kefu_core::dialogue::pattern::Pattern;
use kefu_core::dialogue::{DialogueConfig, Locale};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::{Context, SourceFile};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DialogueFile {
    /// The shop's own language: "zh-CN", "zh-TW" or "en".
    locale: Option<Spanned<String>>,
    /// Per-language changes to the built-in packs: `[locales.en.texts]`, `[locales.en.labels]`.
    #[serde(default)]
    locales: BTreeMap<Spanned<String>, LocaleSection>,
    money: Option<MoneySection>,
    order_number: Option<Spanned<String>>,
    /// Compound words added to the built-in ones: no phrase matches inside them.
    compounds: Option<Vec<String>>,
    order_entries: Option<Vec<Spanned<String>>>,
    rating_reasons: Option<Vec<String>>,
    #[serde(default)]
    lexicon: BTreeMap<String, Spanned<toml::Value>>,
    #[serde(default)]
    texts: BTreeMap<String, Spanned<toml::Value>>,
    #[serde(default)]
    emotion: BTreeMap<String, Spanned<toml::Value>>,
    handoff: Option<HandoffSection>,
    context: Option<ContextSection>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LocaleSection {
    #[serde(default)]
    texts: BTreeMap<String, Spanned<toml::Value>>,
    #[serde(default)]
    labels: BTreeMap<String, Spanned<toml::Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MoneySection {
    symbol: Option<String>,
    decimals: Option<u8>,
    thousands: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HandoffSection {
    on_request: Option<bool>,
    human_entries: Option<Vec<Spanned<String>>>,
    unrecognised_limit: Option<u8>,
    repeated_question: Option<bool>,
    strong_emotion: Option<bool>,
    sensitive_entries: Option<bool>,
    sensitive_words: Option<Vec<String>>,
    flagged: Option<Spanned<Vec<String>>>,
    flagged_below: Option<Spanned<f32>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ContextSection {
    max_turns: Option<u8>,
    idle_minutes: Option<u32>,
    product_topics: Option<Spanned<Vec<String>>>,
    order_topics: Option<Spanned<Vec<String>>>,
}

/// Reads `dialogue.toml` into `config`.
pub(super) fn read(file: &mut SourceFile<'_>, ctx: &Context<'_>, config: &mut DialogueConfig) {
    let Some(source) = file.parse::<DialogueFile>() else {
        return;
    };
    if let Some(tag) = &source.locale {
        match Locale::parse(tag.get_ref()) {
            Some(locale) => config.speak_natively(locale),
            None => file.error(
                Some(file.line(tag.span())),
                format!("locale `{}`: use zh-CN, zh-TW or en", tag.get_ref()),
            ),
        }
    }
    if let Some(pattern) = source.order_number {
        let line = file.line(pattern.span());
        let text = pattern.get_ref();
        if text.starts_with('^') || text.ends_with('$') {
            file.error(
                Some(line),
                format!("order_number `{text}`: order numbers are found inside sentences (我的订单KX2026111805到哪了); drop ^ and $"),
            );
        }
        match Pattern::parse(pattern.get_ref()) {
            Ok(p) => config.order_number = p,
            Err(e) => file.error(
                Some(line),
                format!("order_number `{}`: {e}", pattern.get_ref()),
            ),
        }
    }
    for word in ctx.norm_list(&source.compounds.unwrap_or_default()) {
        if word.chars().count() >= 2 && !config.compounds.contains(&word) {
            config.compounds.push(word);
        }
    }
    if let Some(ids) = source.order_entries {
        config.order_entries = file.entries_at(ctx, &ids, "order_entries");
    }
    if let Some(reasons) = source.rating_reasons {
        config.rating_reasons = reasons
            .into_iter()
            .filter(|r| !r.trim().is_empty())
            .collect();
    }
    // Phrase lists are normalised; texts are kept as written.
    override_fields(file, "lexicon", &mut config.lexicon, source.lexicon, |v| {
        normalize_value(ctx, v)
    });
    override_fields(file, "texts", &mut config.texts, source.texts, |v| v);
    override_fields(file, "emotion", &mut config.emotion, source.emotion, |v| {
        normalize_value(ctx, v)
    });
    if config.emotion.strong_at <= config.emotion.mild_at {
        file.error(None, "emotion: `strong_at` must be above `mild_at`");
    }
    if let Some(h) = source.handoff {
        let policy = &mut config.handoff;
        policy.on_request = h.on_request.unwrap_or(policy.on_request);
        policy.unrecognised_limit = h.unrecognised_limit.unwrap_or(policy.unrecognised_limit);
        policy.repeated_question = h.repeated_question.unwrap_or(policy.repeated_question);
        policy.strong_emotion = h.strong_emotion.unwrap_or(policy.strong_emotion);
        policy.sensitive_entries = h.sensitive_entries.unwrap_or(policy.sensitive_entries);
        if let Some(words) = h.sensitive_words {
            policy.sensitive_words = ctx.norm_list(&words);
        }
        if let Some(ids) = h.human_entries {
            policy.human_entries = file.entries_at(ctx, &ids, "handoff.human_entries");
        }
        if let Some(patterns) = h.flagged {
            let line = file.line(patterns.span());
            policy.flagged = flagged(file, ctx, patterns.get_ref(), line);
        }
        if let Some(below) = h.flagged_below {
            let line = file.line(below.span());
            let v = *below.get_ref();
            if (0.0..=1.0).contains(&v) {
                policy.flagged_below = v;
            } else {
                file.error(
                    Some(line),
                    format!("handoff.flagged_below is a confidence from 0 to 1, not {v}"),
                );
            }
        }
    }
    config.sync_default_pack();
    if let Some(m) = source.money {
        let money = &mut config.locales.money;
        if let Some(symbol) = m.symbol {
            money.symbol = symbol;
        }
        money.decimals = m.decimals.unwrap_or(money.decimals);
        if let Some(t) = m.thousands {
            money.thousands = t;
        }
        if money.symbol != "¥" && money.symbol != "￥" {
            // 元 is the renminbi's word: a shop in another currency writes its symbol.
            for pack in &mut config.locales.packs {
                if pack.labels.budget_amount == "{n}元" {
                    pack.labels.budget_amount = "{symbol}{n}".into();
                }
            }
        }
    }
    for (tag, section) in source.locales {
        let line = file.line(tag.span());
        let tag = tag.into_inner();
        let Some(locale) = Locale::parse(&tag) else {
            file.error(
                Some(line),
                format!("[locales.{tag}]: use zh-CN, zh-TW or en"),
            );
            continue;
        };
        let code = locale.code();
        let pack = config.locales.pack_mut(locale);
        override_fields(
            file,
            &format!("locales.{code}.texts"),
            &mut pack.texts,
            section.texts,
            |v| v,
        );
        override_fields(
            file,
            &format!("locales.{code}.labels"),
            &mut pack.labels,
            section.labels,
            |v| v,
        );
    }
    let native = config.locales.pack(config.locales.default).clone();
    config.texts = native.texts;
    config.rating_reasons = native.labels.rating_reasons;
    if let Some(c) = source.context {
        let policy = &mut config.context;
        policy.max_turns = c.max_turns.unwrap_or(policy.max_turns);
        policy.idle_seconds = c
            .idle_minutes
            .map_or(policy.idle_seconds, |m| m.saturating_mul(60));
        for (key, topics) in [
            ("product_topics", &c.product_topics),
            ("order_topics", &c.order_topics),
        ] {
            let (Some(topics), Some(known)) = (topics, &ctx.top_categories) else {
                continue;
            };
            let line = file.line(topics.span());
            for t in topics.get_ref() {
                if !known.contains(t) {
                    file.error(
                        Some(line),
                        format!(
                            "[context] {key}: `{t}` is no top-level category (known: {})",
                            known.join(", ")
                        ),
                    );
                }
            }
        }
        if let Some(t) = c.product_topics {
            policy.product_topics = t.into_inner();
        }
        if let Some(t) = c.order_topics {
            policy.order_topics = t.into_inner();
        }
    }
}

/// Entry ids, or prefixes ending in `*`, that the flagged-intent rule watches.
fn flagged(
    file: &mut SourceFile<'_>,
    ctx: &Context<'_>,
    patterns: &[String],
    line: usize,
) -> Vec<u32> {
    let mut out: Vec<u32> = Vec::new();
    for pattern in patterns {
        let matched: Vec<u32> = match pattern.strip_suffix('*') {
            Some(prefix) => ctx
                .entry_ids
                .iter()
                .filter(|(id, _)| id.starts_with(prefix))
                .map(|(_, &e)| e)
                .collect(),
            None => ctx.entry_ids.get(pattern).copied().into_iter().collect(),
        };
        if matched.is_empty() {
            file.error(
                Some(line),
                format!("handoff.flagged: `{pattern}` matches no entry id"),
            );
        }
        out.extend(matched);
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Normalises the strings of a list value (numbers and texts stay as they are).
fn normalize_value(ctx: &Context<'_>, value: toml::Value) -> toml::Value {
    match value {
        toml::Value::Array(items) => {
            let words: Vec<String> = items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_string))
                .collect();
            if words.len() == items.len() {
                toml::Value::Array(
                    ctx.norm_list(&words)
                        .into_iter()
                        .map(toml::Value::String)
                        .collect(),
                )
            } else {
                toml::Value::Array(items)
            }
        }
        other => other,
    }
}

/// Overrides the fields of `target` named in `given`, reporting unknown names and wrong
/// types at their line.
fn override_fields<T: Serialize + DeserializeOwned>(
    file: &mut SourceFile<'_>,
    section: &str,
    target: &mut T,
    given: BTreeMap<String, Spanned<toml::Value>>,
    prepare: impl Fn(toml::Value) -> toml::Value,
) {
    let Ok(toml::Value::Table(mut table)) = toml::Value::try_from(&*target) else {
        return;
    };
    for (key, value) in given {
        let line = file.line(value.span());
        if key == "extend" {
            // `[section.extend]`: lists appended to the defaults instead of replacing them.
            let toml::Value::Table(more) = value.into_inner() else {
                file.error(
                    Some(line),
                    format!("[{section}.extend] is a table of lists to add to"),
                );
                continue;
            };
            for (name, words) in more {
                let words = prepare(words);
                match (table.get_mut(&name), words) {
                    (Some(toml::Value::Array(list)), toml::Value::Array(words)) => {
                        for w in words {
                            if !list.contains(&w) {
                                list.push(w);
                            }
                        }
                    }
                    (Some(_), _) => file.error(
                        Some(line),
                        format!("[{section}.extend] `{name}`: only lists can be extended"),
                    ),
                    (None, _) => file.error(
                        Some(line),
                        format!("[{section}.extend] has no list `{name}`"),
                    ),
                }
            }
            continue;
        }
        let Some(default) = table.get(&key) else {
            let known: Vec<&str> = table.keys().map(String::as_str).collect();
            file.error(
                Some(line),
                format!(
                    "[{section}] has no key `{key}` (known: {})",
                    known.join(", ")
                ),
            );
            continue;
        };
        let value = prepare(value.into_inner());
        if std::mem::discriminant(default) != std::mem::discriminant(&value) {
            file.error(
                Some(line),
                format!(
                    "[{section}] `{key}` should be {}, like the default",
                    kind(default)
                ),
            );
            continue;
        }
        table.insert(key, value);
    }
    match toml::Value::Table(table).try_into::<T>() {
        Ok(v) => *target = v,
        Err(e) => file.error(None, format!("[{section}]: {e}")),
    }
}

fn kind(value: &toml::Value) -> &'static str {
    match value {
        toml::Value::String(_) => "a text",
        toml::Value::Integer(_) => "a whole number",
        toml::Value::Float(_) => "a number",
        toml::Value::Boolean(_) => "true or false",
        toml::Value::Array(_) => "a list",
        _ => "a table",
    }
}
