//! The shop's flows and catalogue in other languages than its own (format 5): what a flow
//! says and offers (its name, each step's `ask`, `say`, `invalid`, the option labels) and
//! what the catalogue shows (product names, summaries, attribute names, values and
//! sentences, facet questions and values, category names and budget chips), each keyed by
//! where it belongs.
//!
//! Only what is *shown* is translated. What the flow *decides* on — slots, option values,
//! conditions — and what the catalogue is matched on stays as the shop wrote it; the compiler
//! adds the translated names and labels to the aliases, so an English customer who types
//! "Quality issue" or "Xiaomai Phone X1" fills the same slot or names the same product.
//! A text without a translation is shown in the shop's own words.

use serde::{Deserialize, Serialize};

use super::locale::Locale;

/// Where a translated text belongs. Indices are positions in [`super::DialogueConfig::flows`],
/// a flow's steps, a step's options, and the [`super::Catalogue`]'s lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum TextKey {
    FlowName {
        flow: u16,
    },
    StepSay {
        flow: u16,
        step: u16,
    },
    StepAsk {
        flow: u16,
        step: u16,
    },
    StepInvalid {
        flow: u16,
        step: u16,
    },
    OptionLabel {
        flow: u16,
        step: u16,
        option: u16,
    },
    AttributeName {
        attribute: u16,
    },
    FacetAsk {
        facet: u16,
    },
    FacetValue {
        facet: u16,
        value: u16,
    },
    CategoryName {
        category: u16,
    },
    BudgetOption {
        category: u16,
        option: u16,
    },
    ProductName {
        product: u16,
    },
    ProductSummary {
        product: u16,
    },
    /// `attribute` is the position in the product's own `attributes`.
    ProductValue {
        product: u16,
        attribute: u16,
    },
    ProductText {
        product: u16,
        attribute: u16,
    },
}

/// One translated text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Translation {
    pub key: TextKey,
    pub locale: Locale,
    pub text: String,
}

/// Every translated text of the flows and the catalogue, sorted by key and locale so a
/// lookup is a binary search.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Translations {
    texts: Vec<Translation>,
}

impl Translations {
    /// None at all.
    pub const EMPTY: Translations = Translations { texts: Vec::new() };

    /// The texts sorted for lookup (a later text for the same key and locale wins).
    pub fn new(mut texts: Vec<Translation>) -> Translations {
        crate::sort::sort_by(&mut texts, |a, b| (a.key, a.locale).cmp(&(b.key, b.locale)));
        // Keep the last of equal keys: reverse, dedup keeps the first, reverse back.
        texts.reverse();
        texts.dedup_by(|a, b| a.key == b.key && a.locale == b.locale);
        texts.reverse();
        Translations { texts }
    }

    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }

    pub fn len(&self) -> usize {
        self.texts.len()
    }

    /// Every text, in key order.
    pub fn iter(&self) -> impl Iterator<Item = &Translation> {
        self.texts.iter()
    }

    /// The text for `key` in `locale`, if the shop translated it.
    pub fn get(&self, key: TextKey, locale: Option<Locale>) -> Option<&str> {
        let locale = locale?;
        self.texts
            .binary_search_by(|t| (t.key, t.locale).cmp(&(key, locale)))
            .ok()
            .map(|i| self.texts[i].text.as_str())
    }

    /// Sorted and without duplicates, as [`Translations::new`] leaves them: a file whose
    /// texts are not is refused at load time rather than silently showing the shop's words.
    pub fn check(&self) -> Result<(), String> {
        let sorted = self
            .texts
            .windows(2)
            .all(|w| (w[0].key, w[0].locale) < (w[1].key, w[1].locale));
        if sorted {
            Ok(())
        } else {
            Err("translations are not sorted".into())
        }
    }
}

/// The translations seen from one conversation: its locale (`None`: the shop's own).
#[derive(Debug, Clone, Copy)]
pub struct Tr<'a> {
    pub translations: &'a Translations,
    pub locale: Option<Locale>,
}

impl<'a> Tr<'a> {
    /// The shop's own words only (no conversation language).
    pub fn own(translations: &'a Translations) -> Tr<'a> {
        Tr {
            translations,
            locale: None,
        }
    }

    /// `key`'s text in the conversation's language, else `own` (the shop's words).
    pub fn text<'b>(&self, key: TextKey, own: &'b str) -> &'b str
    where
        'a: 'b,
    {
        self.translations.get(key, self.locale).unwrap_or(own)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(key: TextKey, locale: Locale, text: &str) -> Translation {
        Translation {
            key,
            locale,
            text: text.into(),
        }
    }

    #[test]
    fn looks_up_by_key_and_locale_with_the_shops_words_as_fallback() {
        let name = TextKey::FlowName { flow: 1 };
        let ask = TextKey::StepAsk { flow: 0, step: 2 };
        let all = Translations::new(vec![
            t(name, Locale::En, "Returns"),
            t(ask, Locale::ZhTw, "請問原因？"),
            t(ask, Locale::En, "Why?"),
        ]);
        assert!(all.check().is_ok());
        let en = Tr {
            translations: &all,
            locale: Some(Locale::En),
        };
        assert_eq!(en.text(name, "退货退款"), "Returns");
        assert_eq!(en.text(ask, "原因？"), "Why?");
        assert_eq!(en.text(TextKey::FlowName { flow: 0 }, "发票"), "发票");
        let tw = Tr {
            translations: &all,
            locale: Some(Locale::ZhTw),
        };
        assert_eq!(tw.text(name, "退货退款"), "退货退款");
        assert_eq!(tw.text(ask, "原因？"), "請問原因？");
        assert_eq!(Tr::own(&all).text(ask, "原因？"), "原因？");
    }

    #[test]
    fn unsorted_texts_are_refused() {
        let bad = Translations {
            texts: vec![
                t(TextKey::ProductName { product: 2 }, Locale::En, "b"),
                t(TextKey::ProductName { product: 1 }, Locale::En, "a"),
            ],
        };
        assert!(bad.check().is_err());
    }
}
