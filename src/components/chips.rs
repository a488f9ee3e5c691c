//! Rows of clickable questions: hot questions, follow-ups and clarify choices.

use kefu_core::EntryIdx;
use leptos::prelude::*;

use crate::chat::use_chat;
use crate::i18n::{use_i18n, Key};

/// Questions as chips under a caption; clicking one asks it. `testid` names the kind
/// (`chip-hot`, `chip-follow-up`, `chip-choice`); `stacked` lays them out one per line.
#[component]
pub fn QuestionChips(
    entries: Vec<EntryIdx>,
    caption: Key,
    testid: &'static str,
    #[prop(optional)] stacked: bool,
) -> impl IntoView {
    let chat = use_chat();
    let i18n = use_i18n();
    if entries.is_empty() {
        return None;
    }
    let chips = entries
        .into_iter()
        .map(|entry| {
            view! {
                <button type="button" class="kefu-chip" data-testid=testid on:click=move |_| chat.pick(entry)>
                    {chat.question(entry)}
                </button>
            }
        })
        .collect_view();
    Some(view! {
        <div class="kefu-chips" class:kefu-chips--stacked=stacked role="group" aria-label=i18n.t(caption)>
            <span class="kefu-chips-caption" aria-hidden="true">{i18n.t(caption)}</span>
            {chips}
        </div>
    })
}

/// The "详细说说" chip: shows the entry's detailed answer.
#[component]
pub fn DetailChip(entry: EntryIdx) -> impl IntoView {
    let chat = use_chat();
    let label = use_i18n().t(Key::MoreDetail);
    view! {
        <button
            type="button"
            class="kefu-chip kefu-chip--accent"
            data-testid="chip-detail"
            on:click=move |_| chat.expand(entry, label)
        >
            {label}
        </button>
    }
}
