//! Locale packs: every text, label and format the engine itself says, in simplified Chinese
//! (`zh-CN`), traditional Chinese (`zh-TW`) and English (`en`).
//!
//! A pack is compiled into the knowledge base and can be changed piece by piece in
//! `dialogue.toml` (`[locale.en.texts]`, `[locale.en.labels]`); `kefu defaults --locale en`
//! prints one. The conversation speaks the customer's language: [`detect`] reads it from each
//! message, and the page can set it ([`super::Input::SetLocale`]). The knowledge base's own
//! answers stay as the shop wrote them.
//!
//! Phrase lists the engine *recognises* ([`super::Lexicon`], emotion words) are shared by all
//! languages on purpose: a Hong Kong customer who writes 「ok」 or 「轉人工」 in an English
//! conversation still means it. Only what the engine *says* is per language.

use serde::{Deserialize, Serialize};

use super::calendar::{civil_from_days, local_day, local_minute, weekday};
use super::money::{yuan, Budget};
use super::orders::OrderStatus;
use super::template::fill;
use crate::kb::Timestamp;
use crate::tables::Tables;
use crate::text::is_han;

/// A language the engine speaks.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum Locale {
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "zh-TW")]
    ZhTw,
    #[serde(rename = "en")]
    En,
}

impl Locale {
    pub const ALL: [Locale; 3] = [Locale::ZhCn, Locale::ZhTw, Locale::En];

    /// "zh-CN", "zh-TW", "en".
    pub fn code(self) -> &'static str {
        match self {
            Locale::ZhCn => "zh-CN",
            Locale::ZhTw => "zh-TW",
            Locale::En => "en",
        }
    }

    /// The locale of a BCP 47 tag: "zh-CN", "zh-Hans", "zh-HK", "zh-Hant-TW", "en-GB" …
    pub fn parse(tag: &str) -> Option<Locale> {
        let tag = tag.trim().to_ascii_lowercase().replace('_', "-");
        if tag == "en" || tag.starts_with("en-") {
            return Some(Locale::En);
        }
        if tag == "zh" || tag.starts_with("zh-") {
            let traditional = ["hant", "tw", "hk", "mo"];
            let parts: Vec<&str> = tag.split('-').collect();
            return Some(if parts.iter().any(|p| traditional.contains(p)) {
                Locale::ZhTw
            } else {
                Locale::ZhCn
            });
        }
        None
    }
}

impl std::fmt::Display for Locale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// Short words that make a Latin-only message English rather than a product code or a name.
const ENGLISH_MARKERS: &[&str] = &[
    "i", "my", "me", "you", "your", "is", "are", "was", "the", "a", "an", "to", "of", "for", "do",
    "does", "did", "can", "could", "will", "would", "how", "what", "when", "where", "why", "which",
    "who", "hello", "hi", "hey", "thanks", "thank", "please", "want", "need", "order", "yes", "no",
    "not", "it", "this", "that", "with", "and", "or", "have", "has", "any", "price", "much",
    "cancel", "human", "agent", "ok", "okay", "sure", "bye", "help", "buy", "return", "refund",
    "deliver", "delivery", "shipped", "arrive", "where's", "what's", "don't", "i'm",
];

/// The language a customer message is written in, when it says so clearly: Chinese (simplified
/// or traditional by its characters) or English (Latin words, at least one of them a common
/// English word). Order numbers, product codes and "ok" alone say nothing. A Chinese message
/// whose characters are the same in both scripts ("是的，吊牌都在") keeps a conversation in
/// traditional Chinese (`current`: the conversation's language, or the shop's own before the
/// customer's is known); otherwise it counts as simplified.
pub fn detect(tables: &Tables, text: &str, current: Option<Locale>) -> Option<Locale> {
    let mut han = 0usize;
    let mut traditional = 0usize;
    let mut simplified = 0usize;
    for c in text.chars() {
        if is_han(c) {
            han += 1;
            if tables.simplify(c) != c {
                traditional += 1;
            } else if tables.is_simplified_form(c) {
                simplified += 1;
            }
        }
    }
    if han > 0 {
        let stays_traditional = simplified == 0 && current == Some(Locale::ZhTw);
        return Some(if traditional > 0 || stays_traditional {
            Locale::ZhTw
        } else {
            Locale::ZhCn
        });
    }
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_ascii_alphabetic() || c == '\''))
        .filter(|w| !w.is_empty())
        .collect();
    let english = words.iter().filter(|w| ENGLISH_MARKERS.contains(w)).count();
    // "ok" or "no" alone can close any conversation; two words or a longer one decide.
    let letters: usize = words.iter().map(|w| w.len()).sum();
    (english > 0 && (words.len() >= 2 || letters >= 4)).then_some(Locale::En)
}

/// Labels and formats of one language (everything the engine says that is not a sentence).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Labels {
    pub status_pending_payment: String,
    pub status_unshipped: String,
    pub status_shipped: String,
    pub status_delivered: String,
    pub status_cancelled: String,
    pub status_refunding: String,
    pub status_refunded: String,
    /// Rating chips.
    pub rating_satisfied: String,
    pub rating_unsatisfied: String,
    /// Reasons offered after an unsatisfied rating.
    pub rating_reasons: Vec<String>,
    /// Yes/no option labels of flow steps; the stored values are always `yes` / `no`.
    pub yes: String,
    pub no: String,
    /// Skipping an optional step (stored as `none`).
    pub skip: String,
    /// How a skipped answer reads in texts.
    pub none: String,
    /// The price row of a comparison.
    pub price_row: String,
    /// Joins a list of words ("、", ", ").
    pub list_separator: String,
    /// A bare attribute answer: `{product}`, `{attribute}`, `{value}`.
    pub attribute: String,
    /// Budgets: `{min}`, `{max}` are amounts as `budget_amount` writes them.
    pub budget_range: String,
    pub budget_max: String,
    pub budget_min: String,
    pub budget_any: String,
    /// One amount of a budget: `{n}` the number, `{symbol}` the shop's currency symbol.
    pub budget_amount: String,
    /// Monday first.
    pub weekdays: Vec<String>,
    /// January first.
    pub months: Vec<String>,
    /// A day: `{month}` (number), `{month_name}`, `{day}`.
    pub day_format: String,
    /// A moment: `{date}`, `{weekday}`, `{time}` (HH:MM).
    pub moment_format: String,
    /// A delivery time with a time of day: `{date}`, `{time}`.
    pub day_time_format: String,
    /// Transcript tags for what the customer did without typing.
    pub tag_image: String,
    pub tag_rating: String,
    pub tag_left_message: String,
    /// What a click on "talk to a human" reads as in the transcript.
    pub human_button: String,
    /// "您是想问「…」吗？" before a single candidate: `{question}`.
    pub confirm_question: String,
    /// Its quick replies.
    pub confirm_yes: String,
    pub confirm_no: String,
    /// Soothing openings for upset customers.
    pub comfort_anger: String,
    pub comfort_anger_strong: String,
    pub comfort_anxiety: String,
    pub comfort_urgency: String,
    /// Asking about another product by name ("{product}呢").
    pub ask_about: String,
}

/// Texts of the conversation engine. `{name}` is replaced by a value (see docs/dialogue.md).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DialogueTexts {
    pub hot_questions_title: String,
    pub greeting: String,
    pub thanks: String,
    pub goodbye: String,
    pub cancelled: String,
    pub detail_none: String,
    pub detail_unknown: String,
    pub follow_ups_title: String,
    pub image_received: String,
    pub ask_order_number: String,
    pub looking_up_order: String,
    pub order_status: String,
    pub order_not_found: String,
    pub order_lookup_failed: String,
    pub eta_known: String,
    pub eta_delivered: String,
    pub eta_unshipped: String,
    pub eta_unknown: String,
    pub tracking: String,
    pub tracking_unknown: String,
    pub handoff: String,
    pub handoff_sensitive: String,
    pub handoff_repeated: String,
    pub handoff_unrecognised: String,
    pub handoff_emotion: String,
    pub handoff_low_confidence: String,
    pub handoff_flow: String,
    pub leave_message: String,
    pub leave_message_need_contact: String,
    pub leave_message_sent: String,
    pub flow_cancelled: String,
    pub flow_resume: String,
    pub flow_invalid: String,
    pub flow_offer_label: String,
    pub detail_button: String,
    pub rating_prompt: String,
    pub rating_reason_prompt: String,
    pub rating_thanks: String,
    pub rating_thanks_unsatisfied: String,
    pub product_choose: String,
    pub product_price: String,
    pub product_attribute_unknown: String,
    pub recommend_intro: String,
    pub recommend_none: String,
    pub recommend_ask_category: String,
    pub recommend_ask_budget: String,
}

/// Everything one language says.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LocalePack {
    pub locale: Locale,
    pub texts: DialogueTexts,
    pub labels: Labels,
}

/// How the shop writes money.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct MoneyFormat {
    /// Before every price: "¥", "HK$", "NT$".
    pub symbol: String,
    /// Digits after the decimal point shown when a price has cents (trailing zeros dropped).
    pub decimals: u8,
    /// Thousands separator ("" for none, "," for 12,999).
    pub thousands: String,
}

impl Default for MoneyFormat {
    fn default() -> MoneyFormat {
        MoneyFormat {
            symbol: "¥".into(),
            decimals: 2,
            thousands: String::new(),
        }
    }
}

impl MoneyFormat {
    /// "12999", "12,999", "59.9".
    pub fn number(&self, cents: u64) -> String {
        let whole = (cents / 100).to_string();
        let whole = if self.thousands.is_empty() {
            whole
        } else {
            let digits: Vec<char> = whole.chars().collect();
            let mut out = String::new();
            for (i, c) in digits.iter().enumerate() {
                if i > 0 && (digits.len() - i).is_multiple_of(3) {
                    out.push_str(&self.thousands);
                }
                out.push(*c);
            }
            out
        };
        let fraction = cents % 100;
        if fraction == 0 || self.decimals == 0 {
            return whole;
        }
        let cents_text = yuan(cents);
        match cents_text.split_once('.') {
            Some((_, f)) => format!("{whole}.{f}"),
            None => whole,
        }
    }

    /// "¥129", "HK$1,299".
    pub fn price(&self, cents: u64) -> String {
        format!("{}{}", self.symbol, self.number(cents))
    }
}

/// The languages of a knowledge base: its own, the packs, the money format.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Locales {
    /// The language the shop writes in: the conversation's language until the customer shows
    /// another. Operator overrides in `[texts]` apply to it.
    pub default: Locale,
    /// One pack per locale in [`Locale::ALL`] order.
    pub packs: Vec<LocalePack>,
    pub money: MoneyFormat,
}

impl Default for Locales {
    fn default() -> Locales {
        Locales {
            default: Locale::ZhCn,
            packs: Locale::ALL
                .iter()
                .map(|&l| LocalePack::builtin(l))
                .collect(),
            money: MoneyFormat::default(),
        }
    }
}

impl Locales {
    /// The pack of `locale` (the default's, or a built-in one, when missing).
    pub fn pack(&self, locale: Locale) -> &LocalePack {
        self.packs
            .iter()
            .find(|p| p.locale == locale)
            .or_else(|| self.packs.iter().find(|p| p.locale == self.default))
            .or_else(|| self.packs.first())
            .unwrap_or_else(|| builtin_ref(locale))
    }

    /// The pack of `locale`, for changing it.
    pub fn pack_mut(&mut self, locale: Locale) -> &mut LocalePack {
        if let Some(i) = self.packs.iter().position(|p| p.locale == locale) {
            return &mut self.packs[i];
        }
        self.packs.push(LocalePack::builtin(locale));
        self.packs.last_mut().expect("just pushed")
    }
}

fn builtin_ref(locale: Locale) -> &'static LocalePack {
    use std::sync::OnceLock;
    static PACKS: OnceLock<Vec<LocalePack>> = OnceLock::new();
    let packs = PACKS.get_or_init(|| {
        Locale::ALL
            .iter()
            .map(|&l| LocalePack::builtin(l))
            .collect()
    });
    packs
        .iter()
        .find(|p| p.locale == locale)
        .unwrap_or(&packs[0])
}

impl LocalePack {
    /// The engine's own pack for `locale`.
    pub fn builtin(locale: Locale) -> LocalePack {
        match locale {
            Locale::ZhCn => LocalePack {
                locale,
                texts: DialogueTexts::default(),
                labels: Labels::zh_cn(),
            },
            Locale::ZhTw => LocalePack {
                locale,
                texts: super::locale_texts::zh_tw(),
                labels: Labels::zh_tw(),
            },
            Locale::En => LocalePack {
                locale,
                texts: super::locale_texts::en(),
                labels: Labels::en(),
            },
        }
    }
}

impl Labels {
    /// The label of an order status.
    pub fn status(&self, status: OrderStatus) -> &str {
        match status {
            OrderStatus::PendingPayment => &self.status_pending_payment,
            OrderStatus::Unshipped => &self.status_unshipped,
            OrderStatus::Shipped => &self.status_shipped,
            OrderStatus::Delivered => &self.status_delivered,
            OrderStatus::Cancelled => &self.status_cancelled,
            OrderStatus::Refunding => &self.status_refunding,
            OrderStatus::Refunded => &self.status_refunded,
        }
    }

    /// "200元以内", "under HK$500", "2400-3600元".
    pub fn budget(&self, budget: &Budget, money: &MoneyFormat) -> String {
        let amount = |cents: u64| {
            fill(
                &self.budget_amount,
                &[("n", &money.number(cents)), ("symbol", &money.symbol)],
            )
        };
        match (budget.min, budget.max) {
            (Some(a), Some(b)) => fill(
                &self.budget_range,
                &[("min", &amount(a)), ("max", &amount(b))],
            ),
            (None, Some(b)) => fill(&self.budget_max, &[("max", &amount(b))]),
            (Some(a), None) => fill(&self.budget_min, &[("min", &amount(a))]),
            (None, None) => self.budget_any.clone(),
        }
    }

    /// "11月21日", "21 Nov".
    pub fn day(&self, day: i64) -> String {
        let (_, m, d) = civil_from_days(day);
        let month_name = self
            .months
            .get(m as usize - 1)
            .cloned()
            .unwrap_or_else(|| m.to_string());
        fill(
            &self.day_format,
            &[
                ("month", &m.to_string()),
                ("month_name", &month_name),
                ("day", &d.to_string()),
            ],
        )
    }

    /// A day with its weekday: "12月5日（周六）", "Sat 5 Dec".
    pub fn date(&self, day: i64) -> String {
        let weekday = self.weekdays.get(weekday(day)).cloned().unwrap_or_default();
        fill(
            &self.moment_format.replace("{time}", ""),
            &[("date", &self.day(day)), ("weekday", &weekday)],
        )
        .trim_end_matches([' ', ',', '，'])
        .to_string()
    }

    /// "11月21日（周六）09:00", "Sat 21 Nov, 09:00".
    pub fn moment(&self, ts: Timestamp, offset_minutes: i32) -> String {
        let day = local_day(ts, offset_minutes);
        let minute = local_minute(ts, offset_minutes);
        let weekday = self.weekdays.get(weekday(day)).cloned().unwrap_or_default();
        fill(
            &self.moment_format,
            &[
                ("date", &self.day(day)),
                ("weekday", &weekday),
                ("time", &format!("{:02}:{:02}", minute / 60, minute % 60)),
            ],
        )
    }

    /// The soothing opening for an emotion, if it deserves one.
    pub fn comfort(&self, emotion: &super::emotion::Emotion) -> Option<&str> {
        use super::emotion::{EmotionKind, EmotionLevel};
        let kind = emotion.kind?;
        let text = match (kind, emotion.level) {
            (_, EmotionLevel::Calm) => return None,
            (EmotionKind::Anger, EmotionLevel::Strong) => &self.comfort_anger_strong,
            (EmotionKind::Anger, _) => &self.comfort_anger,
            (EmotionKind::Anxiety, _) => &self.comfort_anxiety,
            (EmotionKind::Urgency, _) => &self.comfort_urgency,
        };
        (!text.is_empty()).then_some(text.as_str())
    }

    /// A day, with its time of day when it has one ("11月22日 14:00"; midnight means the
    /// day only).
    pub fn day_or_time(&self, ts: Timestamp, offset_minutes: i32) -> String {
        let day = self.day(local_day(ts, offset_minutes));
        let minute = local_minute(ts, offset_minutes);
        if minute == 0 {
            return day;
        }
        fill(
            &self.day_time_format,
            &[
                ("date", &day),
                ("time", &format!("{:02}:{:02}", minute / 60, minute % 60)),
            ],
        )
    }

    /// A slot value as the customer reads it: `yes` / `no` / `none` in this language.
    pub fn value<'a>(&'a self, value: &'a str) -> &'a str {
        match value {
            "yes" => &self.yes,
            "no" => &self.no,
            "none" => &self.none,
            other => other,
        }
    }
}

/// What a turn speaks with: the pack of the conversation's language and the shop's money.
#[derive(Debug, Clone, Copy)]
pub struct Speech<'a> {
    pub pack: &'a LocalePack,
    pub money: &'a MoneyFormat,
}

impl Speech<'_> {
    /// "¥129", "HK$1,299".
    pub fn price(&self, cents: u64) -> String {
        self.money.price(cents)
    }

    /// "200元以内", "under HK$500".
    pub fn budget(&self, budget: &Budget) -> String {
        self.pack.labels.budget(budget, self.money)
    }
}
