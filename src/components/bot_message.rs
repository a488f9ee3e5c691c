//! One message of the conversation engine, rendered by its kind: texts with their limited
//! formatting, answers, clarify choices, hot questions, quick replies, product
//! cards, the comparison table, the order card, flow steps, the rating and the
//! leave-a-message form. `data-kind` is the engine's kind name.

use kefu_core::dialogue::{Message, QuickReply};
use leptos::prelude::*;

use crate::chat::use_chat;
use crate::components::cards::{ComparisonTable, OrderCardView, ProductCards};
use crate::components::forms::{FlowStepView, LeaveMessageFormView};
use crate::components::rich_text::RichText;
use crate::i18n::{use_i18n, Key};

#[component]
pub fn BotMessage(
    message: Message,
    spent: Signal<bool>,
    /// An order card the same as the one shown just before: a one-line reference instead.
    #[prop(optional)]
    repeat: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let kind = message.kind();
    let entry = match &message {
        Message::Answer { entry, .. } | Message::Detail { entry, .. } => Some(entry.clone()),
        _ => None,
    };
    let (testid, body) = match message {
        Message::Text { text } | Message::Fallback { text } => ("msg-bot", bubble(text)),
        Message::Comfort { text, .. } => ("msg-bot", bubble(text)),
        Message::Detail { text, .. } => ("msg-bot", bubble(text)),
        // "详细说说" comes with the engine's quick replies (Choice::Detail) when `more`.
        Message::Answer { text, .. } => ("msg-bot", bubble(text)),
        Message::Clarify { prompt, choices } => (
            "msg-bot",
            view! {
                {bubble(prompt)}
                <Chips replies=choices caption=Some(i18n.t(Key::Choices).to_string()) testid="chip-choice" stacked=true />
            }
            .into_any(),
        ),
        Message::HotQuestions { title, questions } => (
            "msg-bot",
            view! { <Chips replies=questions caption=Some(title) testid="chip-hot" /> }.into_any(),
        ),
        Message::QuickReplies { title, replies } => (
            "msg-bot",
            view! { <Chips replies caption=Some(title) testid="chip-quick" /> }.into_any(),
        ),
        Message::Products { cards } => ("msg-bot", view! { <ProductCards cards /> }.into_any()),
        Message::Comparison(table) => ("msg-bot", view! { <ComparisonTable table /> }.into_any()),
        Message::Order(card) => ("msg-bot", view! { <OrderCardView card compact=repeat /> }.into_any()),
        Message::FlowStep(step) => ("msg-bot", view! { <FlowStepView step spent /> }.into_any()),
        Message::Rating(rating) => (
            "msg-bot",
            view! {
                <div class="kefu-rating" data-testid="rating" role="group" aria-label=i18n.t(Key::RatingLabel)>
                    {bubble(rating.prompt)}
                    <Chips replies=rating.options caption=None testid="chip-rating" />
                </div>
            }
            .into_any(),
        ),
        Message::LeaveMessage(form) => ("msg-bot", view! { <LeaveMessageFormView form spent /> }.into_any()),
        Message::Notice { text } => (
            "msg-bot",
            view! { <p class="kefu-notice" role="status">{text}</p> }.into_any(),
        ),
    };
    view! {
        <div class="kefu-msg kefu-msg--bot" data-testid=testid data-kind=kind data-entry=entry>
            <div class="kefu-msg-body">
                <span class="kefu-sr-only">{i18n.t(Key::BotSaid)}</span>
                {body}
            </div>
        </div>
    }
}

/// A text bubble with the limited formatting.
fn bubble(text: String) -> AnyView {
    view! {
        <div class="kefu-bubble">
            <RichText text />
        </div>
    }
    .into_any()
}

/// Clickable replies; clicking one says its label and sends its choice to the engine.
/// `testid` names the kind (`chip-hot`, `chip-quick`, `chip-choice`, `chip-detail`, …).
#[component]
pub fn Chips(
    replies: Vec<QuickReply>,
    caption: Option<String>,
    testid: &'static str,
    #[prop(optional)] stacked: bool,
    #[prop(optional)] accent: bool,
) -> impl IntoView {
    let chat = use_chat();
    if replies.is_empty() {
        return None;
    }
    let group_label = caption.clone();
    let chips = replies
        .into_iter()
        .map(|reply| {
            let QuickReply { label, choice } = reply;
            let text = label.clone();
            view! {
                <button
                    type="button"
                    class="kefu-chip"
                    class:kefu-chip--accent=accent
                    data-testid=testid
                    on:click=move |_| chat.choose(&label, choice.clone())
                >
                    {text}
                </button>
            }
        })
        .collect_view();
    Some(view! {
        <div class="kefu-chips" class:kefu-chips--stacked=stacked role="group" aria-label=group_label>
            {caption.map(|c| view! { <span class="kefu-chips-caption" aria-hidden="true">{c}</span> })}
            {chips}
        </div>
    })
}
