//! What goes into a conversation ([`Input`]) and what comes out ([`Reply`]): typed
//! messages and at most one action for the caller. Never HTML: texts use a tiny markdown
//! subset (`**bold**`, `[label](https://…)`, lines starting with `- `) that the widget renders
//! as structured spans ([`super::markup::parse`]).

use serde::{Deserialize, Serialize};

use super::emotion::EmotionKind;
use super::handoff::Handoff;
use super::locale::Locale;
pub use super::orders::{OrderInfo, OrderLookup, OrderStatus};
use crate::kb::{EntryIdx, KnowledgeBase, Timestamp};

/// One thing the customer (or the page around the widget) did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Input {
    /// The chat window opened: welcome and hot questions.
    Open,
    /// The customer typed (or said) something.
    Text(String),
    /// The customer clicked a hot question, quick reply, choice or option.
    Choice(Choice),
    /// The page shows this product (its id in the catalogue): "这款" now means it.
    Viewing { product: String },
    /// The result of an [`Action::LookUpOrder`].
    Order(OrderLookup),
    /// The customer uploaded an image; `reference` is whatever the widget can show again.
    Image { reference: String },
    /// The customer rated the conversation.
    Rating {
        satisfied: bool,
        reason: Option<String>,
    },
    /// The customer filled in the leave-a-message form.
    LeaveMessage { contact: String, question: String },
    /// The customer closed or ended the chat.
    End,
    /// The page chose a language (the widget's `setLocale`); nothing is said.
    SetLocale { locale: super::locale::Locale },
}

/// What a clickable element does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Choice {
    /// Answer this FAQ entry (by id).
    Entry(String),
    /// An option of the current flow step (its value).
    Option(String),
    /// Show this product (by id).
    Product(String),
    /// Send this text as if typed.
    Say(String),
    /// Start this guided flow (by id).
    StartFlow(String),
    /// Talk to a human.
    Human,
    /// Show the detailed answer of the entry just discussed.
    Detail,
    /// Rate the conversation.
    Rate(bool),
}

/// A labelled clickable element.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuickReply {
    pub label: String,
    pub choice: Choice,
}

impl QuickReply {
    /// One chip per entry index that exists, labelled with the entry's standard question in
    /// `locale` (the shop's own where the entry has none in that language).
    pub fn for_entries(
        kb: &KnowledgeBase,
        entries: &[EntryIdx],
        locale: Option<Locale>,
    ) -> Vec<QuickReply> {
        entries
            .iter()
            .filter_map(|&e| kb.entries.get(e as usize))
            .map(|e| QuickReply {
                label: e.question_in(locale).to_string(),
                choice: Choice::Entry(e.id.clone()),
            })
            .collect()
    }
}

/// Everything the engine says in one turn.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Reply {
    pub messages: Vec<Message>,
    /// What the caller must do now, if anything.
    pub action: Option<Action>,
}

/// One message of a reply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Message {
    Text {
        text: String,
    },
    /// A soothing opening for an upset customer.
    Comfort {
        emotion: EmotionKind,
        text: String,
    },
    /// An FAQ entry's short answer; `more` when a detailed answer exists.
    Answer {
        entry: String,
        text: String,
        more: bool,
    },
    /// An FAQ entry's detailed answer.
    Detail {
        entry: String,
        text: String,
    },
    /// "您是想问…": the engine is unsure.
    Clarify {
        prompt: String,
        choices: Vec<QuickReply>,
    },
    /// Nothing fits (hot questions follow).
    Fallback {
        text: String,
    },
    HotQuestions {
        title: String,
        questions: Vec<QuickReply>,
    },
    QuickReplies {
        title: String,
        replies: Vec<QuickReply>,
    },
    Products {
        cards: Vec<ProductCard>,
    },
    Comparison(Comparison),
    Order(OrderCard),
    FlowStep(FlowStep),
    Rating(RatingPrompt),
    LeaveMessage(LeaveMessageForm),
    /// A system notice ("正在为您转接…").
    Notice {
        text: String,
    },
}

/// A product in a recommendation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductCard {
    pub id: String,
    pub name: String,
    /// "¥129".
    pub price: String,
    pub summary: String,
    pub image: String,
    pub url: String,
    /// Which of the customer's wishes it meets ("夏季", "透气").
    pub matched: Vec<String>,
}

/// Products side by side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comparison {
    pub products: Vec<String>,
    pub rows: Vec<ComparisonRow>,
}

/// One attribute across the compared products.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComparisonRow {
    pub attribute: String,
    pub values: Vec<String>,
}

/// An order as the customer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderCard {
    pub order_no: String,
    pub status: OrderStatus,
    pub status_text: String,
    pub carrier: Option<String>,
    pub tracking_no: Option<String>,
    /// "11月21日".
    pub eta: Option<String>,
    pub items: Vec<String>,
}

/// A step of a guided flow waiting for the customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowStep {
    pub flow: String,
    pub flow_name: String,
    pub step: String,
    pub prompt: String,
    pub options: Vec<QuickReply>,
    /// `text`, `choice`, `image`, `order-number`, `phone`, `email`, …
    pub expects: String,
}

/// "满意 / 不满意", or the optional reason after "不满意".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingPrompt {
    pub prompt: String,
    pub options: Vec<QuickReply>,
}

/// Outside working hours: contact and question, and when someone will reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeaveMessageForm {
    pub prompt: String,
    /// Prefilled contact (a phone or e-mail the customer already gave).
    pub contact: String,
    /// Prefilled question.
    pub question: String,
    pub opens_at: Option<Timestamp>,
}

/// What the caller must do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// Fetch this order (with the customer's identity) and send back [`Input::Order`].
    LookUpOrder { order_no: String },
    /// Put the conversation in the agents' queue.
    HandOff(Handoff),
    /// Store a message for the agents (outside working hours).
    LeaveMessage(LeftMessage),
}

/// A message left outside working hours.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeftMessage {
    pub contact: String,
    pub question: String,
    /// When the agents are back.
    pub reply_after: Option<Timestamp>,
    /// Why and what was said, masked, as for a live handoff.
    pub handoff: Handoff,
}

impl Message {
    /// The kind, as golden scripts name it: `text`, `comfort`, `answer`, `detail`, `clarify`,
    /// `fallback`, `hot-questions`, `quick-replies`, `products`, `comparison`, `order`,
    /// `flow-step`, `rating`, `leave-message`, `notice`.
    pub fn kind(&self) -> &'static str {
        match self {
            Message::Text { .. } => "text",
            Message::Comfort { .. } => "comfort",
            Message::Answer { .. } => "answer",
            Message::Detail { .. } => "detail",
            Message::Clarify { .. } => "clarify",
            Message::Fallback { .. } => "fallback",
            Message::HotQuestions { .. } => "hot-questions",
            Message::QuickReplies { .. } => "quick-replies",
            Message::Products { .. } => "products",
            Message::Comparison(_) => "comparison",
            Message::Order(_) => "order",
            Message::FlowStep(_) => "flow-step",
            Message::Rating(_) => "rating",
            Message::LeaveMessage(_) => "leave-message",
            Message::Notice { .. } => "notice",
        }
    }

    /// One line of plain text saying what the message shows, its own words in simplified
    /// Chinese: [`Message::text`] in `zh-CN`.
    pub fn summary(&self) -> String {
        self.text(Locale::ZhCn)
    }

    /// One line of plain text saying what the message shows (transcripts, scripts, CLI),
    /// the words it adds (an order card's "Order" and "due", a form's "contact" and
    /// "question", an answer's "more") in `locale`, the conversation's language.
    pub fn text(&self, locale: Locale) -> String {
        let words = PlainWords::of(locale);
        let labels = |list: &[QuickReply]| {
            list.iter()
                .map(|q| q.label.as_str())
                .collect::<Vec<_>>()
                .join(" | ")
        };
        let with = |text: &str, list: &[QuickReply]| {
            if list.is_empty() {
                text.to_string()
            } else {
                format!("{text} [{}]", labels(list))
            }
        };
        match self {
            Message::Text { text } | Message::Fallback { text } | Message::Notice { text } => {
                text.clone()
            }
            Message::Comfort { text, .. } => text.clone(),
            Message::Answer { entry, text, more } => {
                format!("{text} ({entry}{})", if *more { words.more } else { "" })
            }
            Message::Detail { entry, text } => format!("{text} ({entry})"),
            Message::Clarify { prompt, choices } => with(prompt, choices),
            Message::HotQuestions { title, questions } => with(title, questions),
            Message::QuickReplies { title, replies } => with(title, replies),
            Message::Products { cards } => cards
                .iter()
                .map(|c| match c.matched.is_empty() {
                    true => format!("{} {}", c.name, c.price),
                    false => format!("{} {} ({})", c.name, c.price, c.matched.join("、")),
                })
                .collect::<Vec<_>>()
                .join(" | "),
            Message::Comparison(c) => {
                let rows: Vec<String> = c
                    .rows
                    .iter()
                    .map(|r| format!("{}: {}", r.attribute, r.values.join(" / ")))
                    .collect();
                format!("{} — {}", c.products.join(" vs "), rows.join("; "))
            }
            Message::Order(o) => {
                let mut s = format!("{} {} {}", words.order, o.order_no, o.status_text);
                if let (Some(c), Some(t)) = (&o.carrier, &o.tracking_no) {
                    s.push_str(&format!(" {c} {t}"));
                }
                if let Some(eta) = &o.eta {
                    s.push_str(&format!(" {} {eta}", words.eta));
                }
                s
            }
            Message::FlowStep(f) => {
                with(&format!("[{}/{}] {}", f.flow, f.step, f.prompt), &f.options)
            }
            Message::Rating(r) => with(&r.prompt, &r.options),
            Message::LeaveMessage(f) => format!(
                "{} ({}: {}; {}: {})",
                f.prompt, words.contact, f.contact, words.question, f.question
            ),
        }
    }

    /// Calls `f` on every text the customer sees (prompts, answers, labels, names), never on
    /// what is sent back or identifies something (choices, ids, order and tracking numbers)
    /// nor on the customer's own words (a leave-a-message form's prefilled fields).
    pub fn for_each_shown_text(&mut self, f: &mut dyn FnMut(&mut String)) {
        let labels = |list: &mut Vec<QuickReply>, f: &mut dyn FnMut(&mut String)| {
            list.iter_mut().for_each(|q| f(&mut q.label))
        };
        match self {
            Message::Text { text }
            | Message::Fallback { text }
            | Message::Notice { text }
            | Message::Comfort { text, .. }
            | Message::Answer { text, .. }
            | Message::Detail { text, .. } => f(text),
            Message::Clarify { prompt, choices } => {
                f(prompt);
                labels(choices, f);
            }
            Message::HotQuestions { title, questions } => {
                f(title);
                labels(questions, f);
            }
            Message::QuickReplies { title, replies } => {
                f(title);
                labels(replies, f);
            }
            Message::Products { cards } => {
                for c in cards {
                    f(&mut c.name);
                    f(&mut c.summary);
                    c.matched.iter_mut().for_each(&mut *f);
                }
            }
            Message::Comparison(c) => {
                c.products.iter_mut().for_each(&mut *f);
                for row in &mut c.rows {
                    f(&mut row.attribute);
                    row.values.iter_mut().for_each(&mut *f);
                }
            }
            Message::Order(o) => {
                f(&mut o.status_text);
                o.carrier.iter_mut().for_each(&mut *f);
                o.eta.iter_mut().for_each(&mut *f);
                o.items.iter_mut().for_each(&mut *f);
            }
            Message::FlowStep(s) => {
                f(&mut s.flow_name);
                f(&mut s.prompt);
                labels(&mut s.options, f);
            }
            Message::Rating(r) => {
                f(&mut r.prompt);
                labels(&mut r.options, f);
            }
            Message::LeaveMessage(m) => f(&mut m.prompt),
        }
    }

    /// Every clickable element of the message.
    pub fn clickables(&self) -> Vec<&QuickReply> {
        match self {
            Message::Clarify { choices, .. } => choices.iter().collect(),
            Message::HotQuestions { questions, .. } => questions.iter().collect(),
            Message::QuickReplies { replies, .. } => replies.iter().collect(),
            Message::FlowStep(f) => f.options.iter().collect(),
            Message::Rating(r) => r.options.iter().collect(),
            _ => Vec::new(),
        }
    }
}

/// The words [`Message::text`] adds to what a message shows, per language.
struct PlainWords {
    order: &'static str,
    eta: &'static str,
    contact: &'static str,
    question: &'static str,
    /// After an answer's entry id when it has a detailed answer.
    more: &'static str,
}

impl PlainWords {
    fn of(locale: Locale) -> PlainWords {
        match locale {
            Locale::ZhCn => PlainWords {
                order: "订单",
                eta: "预计",
                contact: "联系方式",
                question: "问题",
                more: ", 详细",
            },
            Locale::ZhTw => PlainWords {
                order: "訂單",
                eta: "預計",
                contact: "聯絡方式",
                question: "問題",
                more: ", 詳細",
            },
            Locale::En => PlainWords {
                order: "Order",
                eta: "due",
                contact: "contact",
                question: "question",
                more: ", more",
            },
        }
    }
}

impl Action {
    /// `look-up-order N`, `hand-off REASON`, `leave-message REASON`.
    pub fn describe(&self) -> String {
        match self {
            Action::LookUpOrder { order_no } => format!("look-up-order {order_no}"),
            Action::HandOff(h) => format!("hand-off {}", h.reason.code()),
            Action::LeaveMessage(m) => format!("leave-message {}", m.handoff.reason.code()),
        }
    }
}
