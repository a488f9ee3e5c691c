//! The compiled knowledge base: what a shop wrote, validated, plus everything the matcher
//! precomputed from it. Produced by `kefu-compiler`, stored by [`crate::format`].

use serde::{Deserialize, Serialize};

use crate::dialogue::{DialogueConfig, Locale};
use crate::index::Index;
use crate::model::Model;
use crate::tables::CharTables;

/// Seconds since 1970-01-01 UTC.
pub type Timestamp = i64;

/// Index of an entry in [`KnowledgeBase::entries`].
pub type EntryIdx = u32;

/// A whole compiled knowledge base.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct KnowledgeBase {
    pub meta: Meta,
    pub settings: Settings,
    pub categories: Vec<Category>,
    /// Written with their texts as character numbers (format 5, [`crate::stored_texts`]).
    #[serde(with = "crate::stored_texts::entries")]
    pub entries: Vec<Entry>,
    /// Synonym groups as written; the first word of each is canonical.
    pub synonyms: Vec<Vec<String>>,
    /// Products, flows, handoff and emotion settings for the conversation engine. Written
    /// with the locale packs' built-in parts left out (format 5, [`crate::stored_dialogue`]).
    #[serde(with = "crate::stored_dialogue::dialogue")]
    pub dialogue: DialogueConfig,
    pub tables: CharTables,
    pub index: Index,
    pub model: Model,
    /// Set while the texts a first answer does not need are still in the companion file
    /// (format 6, split with `kefu build --split`): every detailed answer, own and
    /// translated, is then an empty placeholder and the flows' and catalogue's translations
    /// are empty, until [`crate::format::attach`] fills them in. `None` for a whole file.
    /// Not written inside the knowledge base (the file's envelope carries it).
    #[serde(skip)]
    pub companion: Option<CompanionRef>,
}

/// What a first file says about the companion that completes it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct CompanionRef {
    /// The companion's file name, beside the first file (`kb.more.bin` beside `kb.bin`).
    pub file: String,
    /// The CRC-32 of the companion's payload (its header's checksum): a companion of
    /// another build is refused.
    pub checksum: u32,
    /// The languages whose texts wait in the companion (translated details, flows and
    /// catalogue): a conversation in one of them needs it.
    pub locales: Vec<Locale>,
}

/// Where the knowledge base came from.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Meta {
    /// The shop's name for this knowledge base (the brand name by default).
    pub name: String,
    /// When it was compiled.
    pub built_at: Timestamp,
    /// A hash of the sources, to tell two builds apart.
    pub source_hash: u32,
}

/// What the operator configures besides the entries.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Settings {
    pub brand: Brand,
    pub texts: Texts,
    /// Entry ids shown as hot questions, in order.
    pub hot_questions: Vec<EntryIdx>,
    /// Confidence at or above which the engine answers directly.
    pub answer_threshold: f32,
    /// Confidence at or above which the engine offers choices instead of apologising.
    pub clarify_threshold: f32,
    pub working_hours: WorkingHours,
}

/// Name, avatar and colours of the shop.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Brand {
    pub name: String,
    /// URL or path of the avatar image.
    pub avatar: String,
    /// CSS colour of the launcher, header and customer bubbles.
    pub primary_color: String,
    /// CSS colour of text drawn on the primary colour.
    pub on_primary_color: String,
}

/// Fixed texts of the conversation.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Texts {
    pub welcome: String,
    /// Said when nothing fits, before the hot questions.
    pub fallback: String,
    /// Said before the choices when the engine is unsure ("您是想问…").
    pub clarify: String,
    /// The same texts in other languages than the shop's own (format 3).
    pub translations: Vec<TextsTranslation>,
}

/// The shop's fixed texts in one more language: the compiler writes the shop's translation,
/// or that language's built-in text where the shop wrote none (see `kb/README.md`); a text
/// left out (`None`, as in files upgraded from format 2) is the shop's own.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TextsTranslation {
    pub locale: Locale,
    pub welcome: Option<String>,
    pub fallback: Option<String>,
    pub clarify: Option<String>,
}

/// When humans are at work. A week of opening spans in the shop's fixed UTC offset.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct WorkingHours {
    /// Offset of the shop's local time from UTC, in minutes (+480 for China).
    pub utc_offset_minutes: i32,
    /// Opening spans per weekday, Monday first, in minutes after local midnight.
    pub weekly: [Vec<(u16, u16)>; 7],
    /// Local dates (days since 1970-01-01) on which nobody works.
    pub holidays: Vec<i32>,
    /// Local dates on which `weekly` is replaced by the Monday schedule (make-up working days).
    pub extra_workdays: Vec<i32>,
}

/// A node of the category tree.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Category {
    /// Slash-separated id, e.g. `invoice/apply`.
    pub id: String,
    pub name: String,
    pub parent: Option<u32>,
}

/// One question the shop answers.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Entry {
    pub id: String,
    /// Index into [`KnowledgeBase::categories`].
    pub category: u32,
    /// The standard question.
    pub question: String,
    /// Other ways customers ask it. Empty in files compiled for devices: their features are
    /// in the index, their texts are only needed by the compiler.
    pub similar: Vec<String>,
    /// Short answer, shown first.
    pub answer: String,
    /// Longer answer, shown when the customer asks for more.
    pub detail: Option<String>,
    /// Higher wins when two entries score the same.
    pub priority: i32,
    pub valid_from: Option<Timestamp>,
    pub valid_until: Option<Timestamp>,
    pub tags: Vec<String>,
    /// Entries offered as quick replies after this one.
    pub follow_ups: Vec<EntryIdx>,
    /// Money, refunds or privacy: a human must confirm.
    pub sensitive: bool,
    /// The answer in other languages than the shop's own (format 3; the question too since
    /// format 4).
    pub translations: Vec<EntryTranslation>,
}

/// An entry's texts in one more language.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct EntryTranslation {
    pub locale: Locale,
    /// The standard question in that language (format 4): the label of the entry's chips
    /// for a customer speaking it, and one more way to ask it. Without it the shop's own is
    /// shown.
    pub question: Option<String>,
    pub answer: String,
    /// The detailed answer in that language; without it the shop's own is shown.
    pub detail: Option<String>,
}

impl Entry {
    /// Is this entry in force at `now`?
    pub fn is_valid_at(&self, now: Timestamp) -> bool {
        self.valid_from.is_none_or(|from| now >= from)
            && self.valid_until.is_none_or(|until| now < until)
    }
}

impl Entry {
    /// The standard question in `locale` when the entry has one, else the shop's own.
    pub fn question_in(&self, locale: Option<Locale>) -> &str {
        self.translation(locale)
            .and_then(|t| t.question.as_deref())
            .unwrap_or(&self.question)
    }

    /// The short answer in `locale` when the entry has one, else the shop's own.
    pub fn answer_in(&self, locale: Option<Locale>) -> &str {
        self.translation(locale)
            .map_or(self.answer.as_str(), |t| t.answer.as_str())
    }

    /// The detailed answer in `locale` when the entry has one, else the shop's own.
    pub fn detail_in(&self, locale: Option<Locale>) -> Option<&str> {
        self.translation(locale)
            .and_then(|t| t.detail.as_deref())
            .or(self.detail.as_deref())
    }

    fn translation(&self, locale: Option<Locale>) -> Option<&EntryTranslation> {
        let locale = locale?;
        self.translations.iter().find(|t| t.locale == locale)
    }
}

impl Texts {
    /// The welcome in `locale` (`None`: the shop's own language).
    pub fn welcome_in(&self, locale: Option<Locale>) -> &str {
        self.pick(locale, |t| t.welcome.as_deref())
            .unwrap_or(&self.welcome)
    }

    /// The apology before the hot questions in `locale`.
    pub fn fallback_in(&self, locale: Option<Locale>) -> &str {
        self.pick(locale, |t| t.fallback.as_deref())
            .unwrap_or(&self.fallback)
    }

    /// The prompt before 2–3 choices in `locale`.
    pub fn clarify_in(&self, locale: Option<Locale>) -> &str {
        self.pick(locale, |t| t.clarify.as_deref())
            .unwrap_or(&self.clarify)
    }

    fn pick<'a>(
        &'a self,
        locale: Option<Locale>,
        text: impl Fn(&'a TextsTranslation) -> Option<&'a str>,
    ) -> Option<&'a str> {
        let locale = locale?;
        self.translations
            .iter()
            .find(|t| t.locale == locale)
            .and_then(text)
    }
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            brand: Brand::default(),
            texts: Texts::default(),
            hot_questions: Vec::new(),
            answer_threshold: 0.5,
            clarify_threshold: 0.2,
            working_hours: WorkingHours::default(),
        }
    }
}

impl KnowledgeBase {
    /// Whether a turn needs the companion's texts: they are still missing, and the turn's
    /// `messages` show a detailed answer, or the conversation spoke one of the languages
    /// waiting in the companion before or after it (`locales`). A turn for which this is
    /// false came out exactly as it would with the whole knowledge base.
    pub fn needs_companion(
        &self,
        locales: &[Option<Locale>],
        messages: &[crate::dialogue::Message],
    ) -> bool {
        let Some(companion) = &self.companion else {
            return false;
        };
        messages
            .iter()
            .any(|m| matches!(m, crate::dialogue::Message::Detail { .. }))
            || locales
                .iter()
                .flatten()
                .any(|l| companion.locales.contains(l))
    }

    /// The entry with this id.
    pub fn entry_by_id(&self, id: &str) -> Option<(EntryIdx, &Entry)> {
        self.entries
            .iter()
            .enumerate()
            .find(|(_, e)| e.id == id)
            .map(|(i, e)| (i as EntryIdx, e))
    }

    /// The names of an entry's category and its ancestors, root first.
    pub fn category_path(&self, category: u32) -> Vec<&str> {
        let mut path = Vec::new();
        let mut next = Some(category);
        while let Some(i) = next {
            let Some(c) = self.categories.get(i as usize) else {
                break;
            };
            path.push(c.name.as_str());
            next = c.parent;
            if path.len() > 32 {
                break;
            }
        }
        path.reverse();
        path
    }
}
