//! How format 5 stores the conversation settings: the locale packs without what the
//! engine has built in.
//!
//! Every compiled file carries a pack of texts and labels per language, and most of it is
//! the engine's own (the shop overrides a few texts, usually in its own language). Format 5
//! writes each pack's texts and labels only where they differ from the engine's built-in
//! pack of that language ([`LocalePack::builtin`], which the engine carries anyway), and
//! loading puts the built-in part back: the same [`DialogueConfig`] in memory.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::dialogue::locale::Labels;
use crate::dialogue::{DialogueConfig, DialogueTexts, Locale, LocalePack};

/// A locale pack as format 5 writes it: `None` is the built-in part of that language.
#[derive(Serialize, Deserialize)]
struct PackV5 {
    locale: Locale,
    texts: Option<DialogueTexts>,
    labels: Option<Labels>,
}

fn store(pack: &LocalePack) -> PackV5 {
    let builtin = LocalePack::builtin(pack.locale);
    PackV5 {
        locale: pack.locale,
        texts: (pack.texts != builtin.texts).then(|| pack.texts.clone()),
        labels: (pack.labels != builtin.labels).then(|| pack.labels.clone()),
    }
}

fn load(pack: PackV5) -> LocalePack {
    let builtin = LocalePack::builtin(pack.locale);
    LocalePack {
        locale: pack.locale,
        texts: pack.texts.unwrap_or(builtin.texts),
        labels: pack.labels.unwrap_or(builtin.labels),
    }
}

/// `#[serde(with)]` for [`crate::KnowledgeBase::dialogue`]: the settings with their packs
/// taken out, then the packs without their built-in parts.
pub(crate) mod dialogue {
    use super::*;

    pub fn serialize<S: Serializer>(config: &DialogueConfig, s: S) -> Result<S::Ok, S::Error> {
        let mut rest = config.clone();
        let packs: Vec<PackV5> = std::mem::take(&mut rest.locales.packs)
            .iter()
            .map(store)
            .collect();
        (rest, packs).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DialogueConfig, D::Error> {
        let (mut config, packs): (DialogueConfig, Vec<PackV5>) = Deserialize::deserialize(d)?;
        if !config.locales.packs.is_empty() {
            return Err(serde::de::Error::custom(
                "dialogue: locale packs written twice",
            ));
        }
        // A few bytes expand to a whole built-in pack: at most one per language, so the
        // packs stay bounded whatever the file claims.
        if packs.len() > Locale::ALL.len() {
            return Err(serde::de::Error::custom(format!(
                "dialogue: {} locale packs for {} languages",
                packs.len(),
                Locale::ALL.len()
            )));
        }
        config.locales.packs = packs.into_iter().map(load).collect();
        Ok(config)
    }
}

/// The settings as format 5 writes them, and the locale packs alone (for size reports).
pub fn parts(config: &DialogueConfig) -> (Vec<u8>, Vec<u8>) {
    struct Wrap<'a>(&'a DialogueConfig);
    impl Serialize for Wrap<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            dialogue::serialize(self.0, s)
        }
    }
    let packs: Vec<PackV5> = config.locales.packs.iter().map(store).collect();
    (
        postcard::to_allocvec(&Wrap(config)).unwrap_or_default(),
        postcard::to_allocvec(&(&config.locales.default, packs, &config.locales.money))
            .unwrap_or_default(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_come_back_the_same() {
        let mut config = DialogueConfig::default();
        config.locales.pack_mut(Locale::ZhCn).texts.greeting = "您好呀".into();
        config.locales.pack_mut(Locale::En).labels.months[0] = "Jan.".into();
        let (bytes, _) = parts(&config);
        let mut de = postcard::Deserializer::from_bytes(&bytes);
        let back = dialogue::deserialize(&mut de).unwrap();
        assert_eq!(back, config);
        // Built-in parts cost a byte each.
        let (_, packs) = parts(&config);
        let plain = postcard::to_allocvec(&config.locales).unwrap();
        assert!(
            packs.len() < plain.len(),
            "{} vs {}",
            packs.len(),
            plain.len()
        );
        let builtin = DialogueConfig::default();
        let (_, packs) = parts(&builtin);
        let plain = postcard::to_allocvec(&builtin.locales).unwrap();
        assert!(
            packs.len() * 100 < plain.len(),
            "{} vs {}",
            packs.len(),
            plain.len()
        );
    }
}
