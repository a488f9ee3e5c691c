//! Reading knowledge bases of format version 1, written before locale packs: the same payload
//! without [`DialogueConfig::locales`]. The upgrade gives them the built-in packs, with the
//! shop's own texts (written in simplified Chinese then) in the zh-CN pack.

use serde::Deserialize;

use super::config::{ContextPolicy, DialogueConfig, DialogueTexts, HandoffPolicy, Lexicon};
use super::emotion::EmotionLexicon;
use super::flows::Flow;
use super::locale::Locales;
use super::pattern::Pattern;
use super::products::Catalogue;
use crate::index::Index;
use crate::kb::{Category, Entry, EntryIdx, KnowledgeBase, Meta, Settings};
use crate::model::Model;
use crate::tables::CharTables;

/// The format-1 payload.
#[derive(Deserialize)]
pub(crate) struct KnowledgeBaseV1 {
    meta: Meta,
    settings: Settings,
    categories: Vec<Category>,
    entries: Vec<Entry>,
    synonyms: Vec<Vec<String>>,
    dialogue: DialogueConfigV1,
    tables: CharTables,
    index: Index,
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
    catalogue: Catalogue,
    flows: Vec<Flow>,
    order_entries: Vec<EntryIdx>,
    rating_reasons: Vec<String>,
}

impl KnowledgeBaseV1 {
    /// The same knowledge base in the current shape.
    pub(crate) fn upgrade(self) -> KnowledgeBase {
        let d = self.dialogue;
        let mut dialogue = DialogueConfig {
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
        };
        dialogue.sync_default_pack();
        KnowledgeBase {
            meta: self.meta,
            settings: self.settings,
            categories: self.categories,
            entries: self.entries,
            synonyms: self.synonyms,
            dialogue,
            tables: self.tables,
            index: self.index,
            model: self.model,
        }
    }
}
