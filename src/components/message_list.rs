//! The conversation: customer bubbles on the right, bot, agent and widget messages on the
//! left. A live region, so screen readers announce new messages.

use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::chat::{use_chat, Shown, Turn};
use crate::components::bot_message::BotMessage;
use crate::components::notice::WidgetNotice;
use crate::i18n::{use_i18n, Key};
use crate::session::{Item, JobState, Notice, PhotoState, Said, Session};
use kefu_core::dialogue::Message;

#[component]
pub fn MessageList() -> impl IntoView {
    let chat = use_chat();
    let i18n = use_i18n();
    let list = NodeRef::<Div>::new();
    let session = chat.session();
    let waiting = chat.waiting();
    Effect::new(move |_| {
        session.with(|s| s.items.len());
        waiting.with(Vec::len);
        if let Some(list) = list.get() {
            // Measured once the frame with the new messages is laid out and drawn (a task
            // queued from the frame callback runs after it): reading the list's height then
            // costs nothing, where reading it right after the DOM changes forces a layout.
            request_animation_frame(move || {
                set_timeout(move || scroll_to_latest(&list), std::time::Duration::ZERO)
            });
        }
    });
    view! {
        <div
            class="kefu-messages"
            role="log"
            aria-live="polite"
            aria-relevant="additions"
            aria-label=i18n.t(Key::MessagesLabel)
            data-testid="kefu-messages"
            tabindex="0"
            node_ref=list
        >
            <For each=move || waiting.with(|w| session.with(|s| shown_items(s, w))) key=item_key let:item>
                <ItemView item />
            </For>
            <Answering />
        </div>
    }
}

/// Items are re-rendered when a job's state or the queue position changes.
fn item_key(item: &Item) -> (u32, u64) {
    let state = match &item.said {
        Said::Widget(Notice::Queue { position, minutes }) => {
            (u64::from(position.unwrap_or(0)) << 32) | u64::from(minutes.unwrap_or(u32::MAX))
        }
        // A waiting image becomes a sent one (or a notice) under the same id.
        Said::CustomerQueuedImage { .. } => 6,
        Said::Widget(Notice::ImageFailed { .. }) => 7,
        Said::CustomerFailedImage { .. } => 11,
        Said::CustomerPhoto { state, .. } => match state {
            PhotoState::Waiting => 8,
            PhotoState::Sent => 9,
            PhotoState::Failed(_) => 10,
        },
        Said::Widget(Notice::Job { state, .. }) => match state {
            JobState::Queued => 1u64,
            JobState::Sending => 2,
            JobState::NeedsPhone => 3,
            JobState::Sent => 4,
            JobState::Failed(_) => 5u64,
        },
        _ => 0,
    };
    (item.id, state)
}

#[component]
fn ItemView(item: Item) -> impl IntoView {
    let i18n = use_i18n();
    let chat = use_chat();
    let id = item.id;
    let spent = Signal::derive(move || {
        chat.session()
            .with(|s| s.last_customer_item().is_some_and(|c| c > id))
    });
    match item.said {
        Said::Customer(text) => view! {
            <div class="kefu-msg kefu-msg--user" data-testid="msg-user" data-waiting=(id >= WAITING_IDS).then_some("true")>
                <span class="kefu-sr-only">{i18n.t(Key::CustomerSaid)}</span>
                <p class="kefu-bubble">{text}</p>
            </div>
        }
        .into_any(),
        Said::CustomerImage(name) => view! {
            <div class="kefu-msg kefu-msg--user" data-testid="msg-user" data-kind="image" data-waiting=(id >= WAITING_IDS).then_some("true")>
                <span class="kefu-sr-only">{i18n.t(Key::CustomerSaid)}</span>
                <p class="kefu-bubble">{i18n.fill(Key::CustomerImage, &[("name", &name)])}</p>
            </div>
        }
        .into_any(),
        Said::CustomerLive { id, text } => view! { <LiveBubble id text kind="live" /> }.into_any(),
        Said::CustomerLiveImage { id, name } => {
            let text = i18n.fill(Key::CustomerLiveImage, &[("name", &name)]);
            view! { <LiveBubble id text kind="live-image" /> }.into_any()
        }
        Said::CustomerQueuedImage { id, name } => {
            let text = i18n.fill(Key::CustomerLiveImage, &[("name", &name)]);
            view! { <UploadBubble id text kind="live-image" failed=None /> }.into_any()
        }
        Said::CustomerFailedImage { id, name, reason } => {
            let text = i18n.fill(Key::CustomerLiveImage, &[("name", &name)]);
            view! { <UploadBubble id text kind="live-image" failed=Some(reason) /> }.into_any()
        }
        Said::CustomerPhoto { id, name, state } => {
            let text = i18n.fill(Key::CustomerImage, &[("name", &name)]);
            match state {
                PhotoState::Sent => view! {
                    <div class="kefu-msg kefu-msg--user" data-testid="msg-user" data-kind="photo" data-upload="sent" data-photo=id>
                        <span class="kefu-sr-only">{i18n.t(Key::CustomerSaid)}</span>
                        <p class="kefu-bubble">{text}</p>
                        <span class="kefu-sent" data-testid="msg-sent" role="status">{i18n.t(Key::ImageSent)}</span>
                    </div>
                }
                .into_any(),
                PhotoState::Waiting => view! { <UploadBubble id text kind="photo" failed=None /> }.into_any(),
                PhotoState::Failed(reason) => view! { <UploadBubble id text kind="photo" failed=Some(reason) /> }.into_any(),
            }
        }
        Said::Agent { name, text } => view! {
            <div class="kefu-msg kefu-msg--bot kefu-msg--agent" data-testid="agent-message">
                <div class="kefu-msg-body">
                    <span class="kefu-agent-name">{i18n.fill(Key::AgentSaid, &[("name", &name)])}</span>
                    <p class="kefu-bubble">{text}</p>
                </div>
            </div>
        }
        .into_any(),
        Said::Bot(message) => {
            let repeat = matches!(&message, Message::Order(card)
                if chat.session().with_untracked(|s| s.shows_card_before(id, card)));
            view! { <BotMessage message spent repeat /> }.into_any()
        }
        Said::Widget(notice) => view! { <WidgetNotice notice spent /> }.into_any(),
    }
}

/// Item ids from here up stand for what the customer said while the answer waits for a
/// split knowledge base's companion ([`crate::chat::Chat::waiting`]): shown at once, marked
/// as waiting, and replaced by the turn itself (the same words, then the answer) when it
/// runs. Shown through [`ItemView`] like the rest, which costs the widget less code than a
/// list of its own.
const WAITING_IDS: u32 = u32::MAX - 0xffff;

/// The session's items, then the waiting turns' words as customer items.
fn shown_items(session: &Session, waiting: &[Turn]) -> Vec<Item> {
    let mut items = session.items.clone();
    let words = waiting.iter().filter_map(Turn::shown);
    items.extend(words.zip(WAITING_IDS..).map(|(shown, id)| Item {
        id,
        said: match shown {
            Shown::Text(text) => Said::Customer(text),
            Shown::Photo(name) => Said::CustomerImage(name),
        },
    }));
    items
}

/// The bot's indicator while a turn waits for the companion to be answered.
#[component]
fn Answering() -> impl IntoView {
    let i18n = use_i18n();
    let waiting = use_chat().waiting();
    move || {
        waiting.with(|w| w.iter().any(Turn::awaits_answer)).then(|| {
            view! {
                <div class="kefu-msg kefu-msg--bot kefu-msg--typing" data-testid="bot-typing" role="status">
                    <p class="kefu-bubble kefu-dots" aria-hidden="true"><span></span><span></span><span></span></p>
                    <span class="kefu-sr-only">{i18n.t(Key::BotPreparing)}</span>
                </div>
            }
        })
    }
}

/// An image or a flow's photo on its way: waiting for the network, sending, or failed with a
/// button that sends it again. The status is a live region of its own, so its changes are
/// read out.
#[component]
fn UploadBubble(
    id: String,
    text: String,
    kind: &'static str,
    failed: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let chat = use_chat();
    let sending = {
        let id = id.clone();
        Signal::derive(move || chat.is_sending(&id))
    };
    let has_failed = failed.is_some();
    let state = move || match (has_failed, sending.get()) {
        (_, true) => "sending",
        (true, false) => "failed",
        (false, false) => "queued",
    };
    let status = {
        let failed = failed.clone();
        move || match (&failed, sending.get()) {
            (_, true) => i18n.t(Key::ImageSending).to_string(),
            (Some(reason), false) => i18n.fill(Key::PhotoFailed, &[("reason", reason.as_str())]),
            (None, false) => i18n.t(Key::ImageQueued).to_string(),
        }
    };
    let retry = has_failed.then(|| {
        let id = id.clone();
        view! {
            <Show when=move || !sending.get()>
                <button type="button" class="kefu-chip kefu-retry" data-testid="photo-retry"
                    on:click={
                        let id = id.clone();
                        move |_| chat.retry_upload(&id)
                    }>
                    {i18n.t(Key::Retry)}
                </button>
            </Show>
        }
    });
    view! {
        <div class="kefu-msg kefu-msg--user" data-testid="msg-user" data-kind=kind data-pending="true" data-upload=state data-photo=id>
            <span class="kefu-sr-only">{i18n.t(Key::CustomerSaid)}</span>
            <p class="kefu-bubble">{text}</p>
            <span class="kefu-pending" data-testid="msg-pending" role="status">{status}</span>
            {retry}
        </div>
    }
}

/// What the customer sent the agent, marked 「未送达」 until the server acknowledges it.
#[component]
fn LiveBubble(id: String, text: String, kind: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let chat = use_chat();
    let pending = Signal::derive(move || chat.session().with(|s| s.is_pending(&id)));
    view! {
        <div
            class="kefu-msg kefu-msg--user"
            data-testid="msg-user"
            data-kind=kind
            data-pending=move || pending.get().to_string()
            data-upload=move || (kind == "live-image").then(|| if pending.get() { "uploaded" } else { "sent" })
        >
            <span class="kefu-sr-only">{i18n.t(Key::CustomerSaid)}</span>
            <p class="kefu-bubble">{text}</p>
            <Show
                when=move || pending.get()
                fallback=move || {
                    // An image says when it got there (it may have waited for the network).
                    (kind == "live-image").then(|| view! {
                        <span class="kefu-sent" data-testid="msg-sent">{i18n.t(Key::ImageSent)}</span>
                    })
                }
            >
                <span class="kefu-pending" data-testid="msg-pending">{i18n.t(Key::LivePending)}</span>
            </Show>
        </div>
    }
}

/// Shows the newest exchange: the customer's last message at the top when the reply is too
/// long to fit below it, otherwise the very bottom.
fn scroll_to_latest(list: &web_sys::HtmlDivElement) {
    let bottom = list.scroll_height() - list.client_height();
    let children = list.children();
    let last_customer = (0..children.length())
        .rev()
        .filter_map(|i| children.item(i))
        .find(|e| e.get_attribute("data-testid").as_deref() == Some("msg-user"))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        .map(|e| e.offset_top() - 12);
    let target = last_customer.map_or(bottom, |top| top.min(bottom));
    list.set_scroll_top(target.max(0));
}
