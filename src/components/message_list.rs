//! The transcript: customer bubbles on the right, bot bubbles on the left. A live region, so
//! screen readers announce new replies.

use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::chat::use_chat;
use crate::components::bot_message::BotMessage;
use crate::i18n::{use_i18n, Key};
use crate::transcript::{Message, Said};

#[component]
pub fn MessageList() -> impl IntoView {
    let chat = use_chat();
    let i18n = use_i18n();
    let list = NodeRef::<Div>::new();
    Effect::new(move |_| {
        chat.len();
        if let Some(list) = list.get() {
            request_animation_frame(move || scroll_to_latest(&list));
        }
    });
    view! {
        <div
            class="kefu-messages"
            role="log"
            aria-live="polite"
            aria-label=i18n.t(Key::MessagesLabel)
            data-testid="kefu-messages"
            node_ref=list
        >
            <For each=move || chat.messages() key=|m| m.id let:message>
                <MessageView message />
            </For>
        </div>
    }
}

#[component]
fn MessageView(message: Message) -> impl IntoView {
    let i18n = use_i18n();
    match message.said {
        Said::Customer(text) => view! {
            <div class="kefu-msg kefu-msg--user" data-testid="msg-user">
                <span class="kefu-sr-only">{i18n.t(Key::CustomerSaid)}</span>
                <p class="kefu-bubble">{text}</p>
            </div>
        }
        .into_any(),
        Said::Bot(reply) => view! { <BotMessage reply /> }.into_any(),
    }
}

/// Shows the newest exchange: the customer's last message at the top when the reply is too
/// long to fit below it, otherwise the very bottom.
fn scroll_to_latest(list: &web_sys::HtmlDivElement) {
    let bottom = list.scroll_height() - list.client_height();
    let exchange_top = list
        .last_element_child()
        .and_then(|last| last.previous_element_sibling())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        .map(|e| e.offset_top() - 12);
    let target = exchange_top.map_or(bottom, |top| top.min(bottom));
    list.set_scroll_top(target.max(0));
}
