//! Texts of flows and the catalogue in other languages: beside a shown text `ask`, the keys
//! `ask_en`, `"ask_zh-TW"`, `"ask_zh-CN"` — the rule entries follow for `answer_<language>`.
//! A key in the shop's own language is a warning and ignored; any other unknown key is an
//! error, as before.

use std::collections::BTreeMap;

use kefu_core::dialogue::translations::{TextKey, Translation};
use kefu_core::dialogue::Locale;
use serde::Deserialize;

use super::SourceFile;

/// The keys of a table that its own fields did not take (`#[serde(flatten)]`).
#[derive(Deserialize, Default)]
#[serde(transparent)]
pub(super) struct Extra(BTreeMap<String, toml::Value>);

/// The translations found in one table: `(key, locale, value)`.
pub(super) struct Found {
    found: Vec<(String, Locale, toml::Value)>,
}

impl Extra {
    /// Reads `<key>_<language>` for each of `keys`; anything else is an unknown field
    /// (an error at `line`, as `deny_unknown_fields` would say it). `what` names the table.
    pub(super) fn read(
        &self,
        file: &mut SourceFile<'_>,
        line: usize,
        what: &str,
        keys: &[&str],
        shop: Locale,
    ) -> Found {
        let mut found = Vec::new();
        for (name, value) in &self.0 {
            let split = name.rsplit_once('_').and_then(|(key, code)| {
                let locale = Locale::ALL.into_iter().find(|l| l.code() == code)?;
                keys.contains(&key).then_some((key, locale))
            });
            let line = file.line_of_key(line, name);
            let Some((key, locale)) = split else {
                let expected = keys
                    .iter()
                    .map(|k| format!("`{k}_en`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                file.error(
                    Some(line),
                    format!("{what}: unknown field `{name}` (translations are written {expected}, `\"…_zh-TW\"` …)"),
                );
                continue;
            };
            if locale == shop {
                file.warning(
                    Some(line),
                    format!(
                        "{what}: `{name}` is in the shop's own language ({}); `{key}` is used",
                        shop.code()
                    ),
                );
                continue;
            }
            found.push((key.to_string(), locale, value.clone()));
        }
        Found { found }
    }
}

impl Found {
    /// The locales any text is translated into.
    pub(super) fn locales(&self) -> Vec<Locale> {
        let mut out: Vec<Locale> = self.found.iter().map(|f| f.1).collect();
        out.sort();
        out.dedup();
        out
    }

    /// `key` in every language given, as text (a non-text value is an error at `line`).
    pub(super) fn texts(
        &self,
        file: &mut SourceFile<'_>,
        line: usize,
        key: &str,
    ) -> Vec<(Locale, String)> {
        let mut out = Vec::new();
        for (k, locale, value) in &self.found {
            if k != key {
                continue;
            }
            match value.as_str() {
                Some(text) if !text.trim().is_empty() => out.push((*locale, text.to_string())),
                Some(_) => file.error(Some(line), format!("`{key}_{}` is empty", locale.code())),
                None => file.error(
                    Some(line),
                    format!("`{key}_{}` must be a text", locale.code()),
                ),
            }
        }
        out
    }

    /// `key` in every language given, as a list of texts.
    pub(super) fn lists(
        &self,
        file: &mut SourceFile<'_>,
        line: usize,
        key: &str,
    ) -> Vec<(Locale, Vec<String>)> {
        let mut out = Vec::new();
        for (k, locale, value) in &self.found {
            if k != key {
                continue;
            }
            let list: Option<Vec<String>> = value
                .as_array()
                .and_then(|a| a.iter().map(|v| v.as_str().map(str::to_string)).collect());
            match list {
                Some(list) => out.push((*locale, list)),
                None => file.error(
                    Some(line),
                    format!("`{key}_{}` must be a list of texts", locale.code()),
                ),
            }
        }
        out
    }

    /// Has `key` a translation into `locale`?
    pub(super) fn has(&self, key: &str, locale: Locale) -> bool {
        self.found.iter().any(|f| f.0 == key && f.1 == locale)
    }
}

/// Collects translations and, per language, which shown texts lack one.
#[derive(Default)]
pub(super) struct Collector {
    pub texts: Vec<Translation>,
}

impl Collector {
    pub(super) fn add(&mut self, key: TextKey, texts: Vec<(Locale, String)>) {
        self.texts
            .extend(
                texts
                    .into_iter()
                    .map(|(locale, text)| Translation { key, locale, text }),
            );
    }
}

/// Warns when one thing (a flow, a product …) is translated into a language for some of
/// its shown texts only: `missing` lists, per text, the key written and whether it has the
/// language. One warning per language, naming the keys without it.
pub(super) fn warn_partial(
    file: &mut SourceFile<'_>,
    line: usize,
    what: &str,
    locales: &[Locale],
    written: &[(String, Vec<Locale>)],
) {
    for &locale in locales {
        let missing: Vec<String> = written
            .iter()
            .filter(|(_, has)| !has.contains(&locale))
            .map(|(key, _)| format!("`{key}_{}`", locale.code()))
            .collect();
        if !missing.is_empty() {
            file.warning(
                Some(line),
                format!(
                    "{what} is partly translated into {}: no {} (customers see the shop's own words there)",
                    locale.code(),
                    missing.join(", ")
                ),
            );
        }
    }
}
