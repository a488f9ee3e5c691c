//! `kefu defaults`: the engine's built-in conversation settings, printed as a `dialogue.toml`
//! an operator can copy from (every key shown is one `dialogue.toml` accepts).

use std::collections::BTreeMap;

use kefu_core::dialogue::{DialogueConfig, Locale, LocalePack};
use serde::Serialize;

#[derive(Serialize)]
struct Printed<'a> {
    locale: &'a str,
    money: &'a kefu_core::dialogue::MoneyFormat,
    lexicon: &'a kefu_core::dialogue::Lexicon,
    emotion: toml::Value,
    context: BTreeMap<&'static str, toml::Value>,
    locales: BTreeMap<&'a str, PackTables<'a>>,
}

#[derive(Serialize)]
struct PackTables<'a> {
    texts: &'a kefu_core::dialogue::DialogueTexts,
    labels: &'a kefu_core::dialogue::locale::Labels,
}

/// The built-in defaults as `dialogue.toml` text, for `locale` (or all three).
pub fn defaults_toml(locale: Option<Locale>) -> Result<String, String> {
    let mut config = DialogueConfig::default();
    config.speak_natively(locale.unwrap_or(Locale::ZhCn));
    config.sync_default_pack();
    let packs: Vec<&LocalePack> = match locale {
        Some(l) => vec![config.locales.pack(l)],
        None => Locale::ALL
            .iter()
            .map(|&l| config.locales.pack(l))
            .collect(),
    };
    // Comfort texts live in the packs; the emotion table keeps the recognition settings.
    let mut emotion = toml::Value::try_from(&config.emotion).map_err(|e| e.to_string())?;
    if let toml::Value::Table(t) = &mut emotion {
        t.retain(|k, _| !k.starts_with("comfort_"));
    }
    let mut context = BTreeMap::new();
    context.insert(
        "max_turns",
        toml::Value::Integer(config.context.max_turns.into()),
    );
    context.insert(
        "idle_minutes",
        toml::Value::Integer((config.context.idle_seconds / 60).into()),
    );
    let printed = Printed {
        locale: config.locales.default.code(),
        money: &config.locales.money,
        lexicon: &config.lexicon,
        emotion,
        context,
        locales: packs
            .iter()
            .map(|p| {
                (
                    p.locale.code(),
                    PackTables {
                        texts: &p.texts,
                        labels: &p.labels,
                    },
                )
            })
            .collect(),
    };
    let body = toml::to_string(&printed).map_err(|e| e.to_string())?;
    Ok(format!(
        "# Built-in conversation settings of kefu {} ({}).\n\
         # Copy into dialogue.toml only what you change: a key given replaces the default,\n\
         # lists under [lexicon.extend] / [emotion.extend] are added to it.\n\
         # Phrase lists ([lexicon], [emotion]) are recognised in every language; texts and\n\
         # labels are per language ([locales.<code>.texts], [locales.<code>.labels]).\n\n{body}",
        env!("CARGO_PKG_VERSION"),
        locale.map_or("all languages", Locale::code),
    ))
}
