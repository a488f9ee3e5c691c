//! One bot reply: a bubble with the text from the knowledge base and the chips that go
//! with it (hot questions, clarify choices, "详细说说", follow-ups).

use leptos::prelude::*;

use crate::chat::use_chat;
use crate::components::avatar::BrandAvatar;
use crate::components::chips::{DetailChip, QuestionChips};
use crate::components::rich_text::RichText;
use crate::i18n::{use_i18n, Key};
use crate::transcript::BotReply;

/// What a reply shows, resolved against the knowledge base.
struct Resolved {
    text: String,
    entry_id: Option<String>,
    has_detail: bool,
    follow_ups: Vec<kefu_core::EntryIdx>,
}

#[component]
pub fn BotMessage(reply: BotReply) -> impl IntoView {
    let chat = use_chat();
    let i18n = use_i18n();
    let (resolved, brand) = chat.with_engine(|engine| {
        let kb = engine.kb();
        let entry = |i: u32| kb.entries.get(i as usize);
        let plain = |text: &str| Resolved {
            text: text.to_string(),
            entry_id: None,
            has_detail: false,
            follow_ups: Vec::new(),
        };
        let resolved = match &reply {
            BotReply::Welcome { .. } => plain(&kb.settings.texts.welcome),
            BotReply::Clarify { .. } => plain(&kb.settings.texts.clarify),
            BotReply::Fallback { .. } => plain(&kb.settings.texts.fallback),
            BotReply::Answer { entry: i } => entry(*i).map_or_else(
                || plain(""),
                |e| Resolved {
                    text: e.answer.clone(),
                    entry_id: Some(e.id.clone()),
                    has_detail: e.detail.is_some(),
                    follow_ups: e.follow_ups.clone(),
                },
            ),
            BotReply::Detail { entry: i } => entry(*i).map_or_else(
                || plain(""),
                |e| Resolved {
                    entry_id: Some(e.id.clone()),
                    ..plain(e.detail.as_deref().unwrap_or_default())
                },
            ),
        };
        (resolved, kb.settings.brand.clone())
    });
    let chips = match reply.clone() {
        BotReply::Welcome { hot } | BotReply::Fallback { hot } => {
            view! { <QuestionChips entries=hot caption=Key::HotQuestions testid="chip-hot" /> }.into_any()
        }
        BotReply::Clarify { choices } => {
            view! { <QuestionChips entries=choices caption=Key::Choices testid="chip-choice" stacked=true /> }.into_any()
        }
        BotReply::Answer { entry } => view! {
            <div class="kefu-replies">
                {resolved.has_detail.then(|| view! { <DetailChip entry /> })}
                <QuestionChips entries=resolved.follow_ups caption=Key::FollowUps testid="chip-follow-up" />
            </div>
        }
        .into_any(),
        BotReply::Detail { .. } => ().into_any(),
    };
    view! {
        <div class="kefu-msg kefu-msg--bot" data-testid="msg-bot" data-kind=reply.kind() data-entry=resolved.entry_id>
            <BrandAvatar url=brand.avatar name=brand.name alt="" small=true />
            <div class="kefu-msg-body">
                <span class="kefu-sr-only">{i18n.t(Key::BotSaid)}</span>
                <div class="kefu-bubble">
                    <RichText text=resolved.text />
                </div>
                {chips}
            </div>
        </div>
    }
}
