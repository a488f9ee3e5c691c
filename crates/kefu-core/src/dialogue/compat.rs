//! Reading knowledge bases of older format versions, one step at a time:
//! - version 1, written before locale packs: the version-2 payload without
//!   [`DialogueConfig::locales`]. The upgrade gives them the built-in packs, with the shop's
//!   own texts (written in simplified Chinese then) in the zh-CN pack.
//! - versions 1 to 3 stored the index field by field, postings included ([`IndexV3`]);
//!   format 4 stores it as token streams (`stored_index.rs`). Each upgrade returns the
//!   old index beside the knowledge base: `format::decode` checks its size and unpacks it.
//! - version 2, written before per-language texts and priced attributes: the version-3
//!   payload without [`Entry::translations`], [`Texts::translations`] and
//!   [`AttributeDef::priced`](super::products::AttributeDef::priced). The upgrade leaves them
//!   empty (every text is the shop's own, no attribute is priced), which is what such a
//!   knowledge base meant.
//! - version 3, written before translated questions: the version-4 payload without
//!   [`EntryTranslation::question`]. The upgrade leaves it empty, so such an entry's chips
//!   keep the shop's own question in every language, as they did.
//! - version 4, written before translated flows and catalogues: the version-5 payload
//!   without [`DialogueConfig::translations`] ([`DialogueConfigV4`]). The upgrade leaves it
//!   empty: every flow and product speaks the shop's own words, as it did.

use serde::Deserialize;

use super::config::{ContextPolicy, DialogueConfig, DialogueTexts, HandoffPolicy, Lexicon};
use super::emotion::EmotionLexicon;
use super::flows::Flow;
use super::locale::Locales;
use super::pattern::Pattern;
use super::products::{AttributeDef, Catalogue, Facet, Product, ProductCategory};
use crate::dialogue::Locale;
use crate::index::{Index, IndexV3};
use crate::kb::{
    Brand, Category, Entry, EntryIdx, EntryTranslation, KnowledgeBase, Meta, Settings, Texts,
    Timestamp, WorkingHours,
};
use crate::model::Model;
use crate::tables::CharTables;

/// The format-3 payload: the format-4 one with the index stored field by field and
/// translations without questions.
#[derive(Deserialize)]
pub(crate) struct KnowledgeBaseV3 {
    meta: Meta,
    settings: Settings,
    categories: Vec<Category>,
    entries: Vec<EntryV3>,
    synonyms: Vec<Vec<String>>,
    dialogue: DialogueConfigV4,
    tables: CharTables,
    index: IndexV3,
    model: Model,
}

impl KnowledgeBaseV3 {
    /// The same knowledge base in the current shape.
    pub(crate) fn upgrade(self) -> (KnowledgeBase, IndexV3) {
        let index = self.index;
        let kb = KnowledgeBase {
            meta: self.meta,
            settings: self.settings,
            categories: self.categories,
            entries: self.entries.into_iter().map(EntryV3::upgrade).collect(),
            synonyms: self.synonyms,
            dialogue: self.dialogue.upgrade(),
            tables: self.tables,
            index: Index::default(),
            model: self.model,
            companion: None,
        };
        (kb, index)
    }
}

/// The format-1 payload.
#[derive(Deserialize)]
pub(crate) struct KnowledgeBaseV1 {
    meta: Meta,
    settings: SettingsV2,
    categories: Vec<Category>,
    entries: Vec<EntryV2>,
    synonyms: Vec<Vec<String>>,
    dialogue: DialogueConfigV1,
    tables: CharTables,
    index: IndexV3,
    model: Model,
}

#[derive(Deserialize)]
struct DialogueConfigV1 {
    order_number: Pattern,
    lexicon: Lexicon,
    texts: DialogueTexts,
    handoff: HandoffPolicy,
    emotion: EmotionLexicon,
    context: ContextPolicy,
    catalogue: CatalogueV2,
    flows: Vec<Flow>,
    order_entries: Vec<EntryIdx>,
    rating_reasons: Vec<String>,
}

impl KnowledgeBaseV1 {
    /// The same knowledge base in the current shape.
    pub(crate) fn upgrade(self) -> (KnowledgeBase, IndexV3) {
        let d = self.dialogue;
        let mut dialogue = DialogueConfigV2 {
            order_number: d.order_number,
            lexicon: d.lexicon,
            texts: d.texts,
            handoff: d.handoff,
            emotion: d.emotion,
            context: d.context,
            catalogue: d.catalogue,
            flows: d.flows,
            order_entries: d.order_entries,
            rating_reasons: d.rating_reasons,
            locales: Locales::default(),
            compounds: super::defaults::compounds(),
        }
        .upgrade();
        dialogue.sync_default_pack();
        let index = self.index;
        let kb = KnowledgeBase {
            meta: self.meta,
            settings: self.settings.upgrade(),
            categories: self.categories,
            entries: self.entries.into_iter().map(EntryV2::upgrade).collect(),
            synonyms: self.synonyms,
            dialogue,
            tables: self.tables,
            index: Index::default(),
            model: self.model,
            companion: None,
        };
        (kb, index)
    }
}

/// The format-2 payload.
#[derive(Deserialize)]
pub(crate) struct KnowledgeBaseV2 {
    meta: Meta,
    settings: SettingsV2,
    categories: Vec<Category>,
    entries: Vec<EntryV2>,
    synonyms: Vec<Vec<String>>,
    dialogue: DialogueConfigV2,
    tables: CharTables,
    index: IndexV3,
    model: Model,
}

impl KnowledgeBaseV2 {
    /// The same knowledge base in the current shape.
    pub(crate) fn upgrade(self) -> (KnowledgeBase, IndexV3) {
        let index = self.index;
        let kb = KnowledgeBase {
            meta: self.meta,
            settings: self.settings.upgrade(),
            categories: self.categories,
            entries: self.entries.into_iter().map(EntryV2::upgrade).collect(),
            synonyms: self.synonyms,
            dialogue: self.dialogue.upgrade(),
            tables: self.tables,
            index: Index::default(),
            model: self.model,
            companion: None,
        };
        (kb, index)
    }
}

/// An entry of format 3: an [`EntryV2`], then its translations. Postcard writes a struct
/// as its fields one after the other, so the pair reads the same bytes as the entry did.
#[derive(Deserialize)]
struct EntryV3(EntryV2, Vec<EntryTranslationV3>);

impl EntryV3 {
    fn upgrade(self) -> Entry {
        let EntryV3(base, translations) = self;
        Entry {
            translations: translations
                .into_iter()
                .map(|t| EntryTranslation {
                    locale: t.locale,
                    question: None,
                    answer: t.answer,
                    detail: t.detail,
                })
                .collect(),
            ..base.upgrade()
        }
    }
}

#[derive(Deserialize)]
struct EntryTranslationV3 {
    locale: Locale,
    answer: String,
    detail: Option<String>,
}

#[derive(Deserialize)]
struct SettingsV2 {
    brand: Brand,
    texts: TextsV2,
    hot_questions: Vec<EntryIdx>,
    answer_threshold: f32,
    clarify_threshold: f32,
    working_hours: WorkingHours,
}

impl SettingsV2 {
    fn upgrade(self) -> Settings {
        let t = self.texts;
        Settings {
            brand: self.brand,
            texts: Texts {
                welcome: t.welcome,
                fallback: t.fallback,
                clarify: t.clarify,
                translations: Vec::new(),
            },
            hot_questions: self.hot_questions,
            answer_threshold: self.answer_threshold,
            clarify_threshold: self.clarify_threshold,
            working_hours: self.working_hours,
        }
    }
}

#[derive(Deserialize)]
struct TextsV2 {
    welcome: String,
    fallback: String,
    clarify: String,
}

#[derive(Deserialize)]
struct EntryV2 {
    id: String,
    category: u32,
    question: String,
    similar: Vec<String>,
    answer: String,
    detail: Option<String>,
    priority: i32,
    valid_from: Option<Timestamp>,
    valid_until: Option<Timestamp>,
    tags: Vec<String>,
    follow_ups: Vec<EntryIdx>,
    sensitive: bool,
}

impl EntryV2 {
    fn upgrade(self) -> Entry {
        Entry {
            id: self.id,
            category: self.category,
            question: self.question,
            similar: self.similar,
            answer: self.answer,
            detail: self.detail,
            priority: self.priority,
            valid_from: self.valid_from,
            valid_until: self.valid_until,
            tags: self.tags,
            follow_ups: self.follow_ups,
            sensitive: self.sensitive,
            translations: Vec::new(),
        }
    }
}

#[derive(Deserialize)]
struct DialogueConfigV2 {
    order_number: Pattern,
    lexicon: Lexicon,
    texts: DialogueTexts,
    handoff: HandoffPolicy,
    emotion: EmotionLexicon,
    context: ContextPolicy,
    catalogue: CatalogueV2,
    flows: Vec<Flow>,
    order_entries: Vec<EntryIdx>,
    rating_reasons: Vec<String>,
    locales: Locales,
    compounds: Vec<String>,
}

impl DialogueConfigV2 {
    fn upgrade(self) -> DialogueConfig {
        DialogueConfigV4 {
            order_number: self.order_number,
            lexicon: self.lexicon,
            texts: self.texts,
            handoff: self.handoff,
            emotion: self.emotion,
            context: self.context,
            catalogue: self.catalogue.upgrade(),
            flows: self.flows,
            order_entries: self.order_entries,
            rating_reasons: self.rating_reasons,
            locales: self.locales,
            compounds: self.compounds,
        }
        .upgrade()
    }
}

/// The conversation settings of formats 3 and 4: format 5's without translations.
#[derive(Deserialize)]
pub(crate) struct DialogueConfigV4 {
    order_number: Pattern,
    lexicon: Lexicon,
    texts: DialogueTexts,
    handoff: HandoffPolicy,
    emotion: EmotionLexicon,
    context: ContextPolicy,
    catalogue: Catalogue,
    flows: Vec<Flow>,
    order_entries: Vec<EntryIdx>,
    rating_reasons: Vec<String>,
    locales: Locales,
    compounds: Vec<String>,
}

impl DialogueConfigV4 {
    pub(crate) fn upgrade(self) -> DialogueConfig {
        DialogueConfig {
            order_number: self.order_number,
            lexicon: self.lexicon,
            texts: self.texts,
            handoff: self.handoff,
            emotion: self.emotion,
            context: self.context,
            catalogue: self.catalogue,
            flows: self.flows,
            order_entries: self.order_entries,
            rating_reasons: self.rating_reasons,
            locales: self.locales,
            compounds: self.compounds,
            translations: Default::default(),
        }
    }
}

#[derive(Deserialize)]
struct CatalogueV2 {
    attributes: Vec<AttributeDefV2>,
    facets: Vec<Facet>,
    categories: Vec<ProductCategory>,
    products: Vec<Product>,
    price_words: Vec<String>,
}

impl CatalogueV2 {
    fn upgrade(self) -> Catalogue {
        Catalogue {
            attributes: self
                .attributes
                .into_iter()
                .map(|a| AttributeDef {
                    name: a.name,
                    aliases: a.aliases,
                    priced: false,
                })
                .collect(),
            facets: self.facets,
            categories: self.categories,
            products: self.products,
            price_words: self.price_words,
        }
    }
}

#[derive(Deserialize)]
struct AttributeDefV2 {
    name: String,
    aliases: Vec<String>,
}
