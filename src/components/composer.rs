//! The input box, the send button and the typeahead list. Enter sends (unless an IME is
//! composing or a suggestion is highlighted); the arrow keys walk the suggestions; Escape
//! hides them.

use kefu_core::dialogue::Choice;
use leptos::html::Input;
use leptos::prelude::*;
use web_sys::KeyboardEvent;

use crate::chat::use_chat;
use crate::components::forms::ImageUpload;
use crate::components::icons::SendIcon;
use crate::components::suggestions::{Suggestions, Typeahead, LIST_ID};
use crate::components::voice::VoiceButton;
use crate::i18n::{use_i18n, Key};
use crate::session::MAX_QUESTION_CHARS;
use crate::store;

/// `keyCode` browsers report for keys that belong to an IME composition.
const IME_KEY_CODE: u32 = 229;

#[component]
pub fn Composer(open: RwSignal<bool>) -> impl IntoView {
    let chat = use_chat();
    let i18n = use_i18n();
    let input = NodeRef::<Input>::new();
    // What is typed survives a reload (and a crash) until it is sent.
    let draft = RwSignal::new(store::draft());
    let typeahead = Typeahead::new();
    // The image button beside the input while a flow step waits for a photo, and while an
    // agent is talking to the customer (the image goes to them).
    let awaiting_image =
        Memo::new(move |_| chat.session().with(|s| s.is_live() || awaits_image(s)));

    let focus = move || {
        if let Some(input) = input.get_untracked() {
            // No scrolling into view: the input is always in sight, and working out where to
            // scroll would lay the page out on the spot.
            let options = web_sys::FocusOptions::new();
            options.set_prevent_scroll(true);
            let _ = input.focus_with_options(&options);
        }
    };
    let reset = move || {
        draft.set(String::new());
        store::set_draft("");
        typeahead.clear();
        focus();
    };
    let send = move || {
        if chat.say(&draft.get_untracked()) {
            reset();
        }
    };
    let pick = Callback::new(move |entry: kefu_core::EntryIdx| {
        let picked = chat.with_engine(|e| {
            e.kb()
                .entries
                .get(entry as usize)
                .map(|e| (e.question.clone(), e.id.clone()))
        });
        if let Some((question, id)) = picked {
            chat.choose(&question, Choice::Entry(id));
        }
        reset();
    });
    let on_keydown = move |ev: KeyboardEvent| match ev.key().as_str() {
        "ArrowDown" | "ArrowUp" if typeahead.is_open() => {
            ev.prevent_default();
            typeahead.move_active(if ev.key() == "ArrowDown" { 1 } else { -1 });
        }
        "Enter" if !ev.is_composing() && ev.key_code() != IME_KEY_CODE => {
            if let Some(entry) = typeahead.active_entry() {
                ev.prevent_default();
                pick.run(entry);
            }
        }
        "Escape" if typeahead.is_open() => {
            ev.prevent_default();
            typeahead.clear();
        }
        _ => {}
    };
    // Focus the input whenever the window opens: once the window's first frame is drawn
    // (a task queued from the frame callback runs after it), so focusing does not force a
    // layout of the window in the middle of building it.
    Effect::new(move |_| {
        if open.get() {
            request_animation_frame(move || set_timeout(focus, std::time::Duration::ZERO));
        }
    });

    view! {
        <div class="kefu-composer">
            <Suggestions typeahead on_pick=pick />
            <form
                class="kefu-input-row"
                on:submit=move |ev| {
                    ev.prevent_default();
                    send();
                }
            >
                <input
                    node_ref=input
                    type="text"
                    class="kefu-input"
                    data-testid="kefu-input"
                    role="combobox"
                    aria-autocomplete="list"
                    aria-controls=LIST_ID
                    aria-expanded=move || typeahead.is_open().to_string()
                    aria-activedescendant=move || typeahead.active_id()
                    aria-label=i18n.t(Key::InputLabel)
                    placeholder=i18n.t(Key::InputPlaceholder)
                    maxlength=MAX_QUESTION_CHARS.to_string()
                    autocomplete="off"
                    enterkeyhint="send"
                    prop:value=move || draft.get()
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        draft.set(text.clone());
                        store::set_draft(&text);
                        if chat.session().with_untracked(|s| s.is_live()) {
                            // Talking to an agent: no bot suggestions, a typing signal.
                            if !text.trim().is_empty() {
                                chat.typing();
                            }
                        } else {
                            typeahead.schedule(chat, text);
                        }
                    }
                    on:keydown=on_keydown
                    on:blur=move |_| typeahead.clear()
                />
                <VoiceButton heard=Callback::new(move |text: String| {
                    store::set_draft(&text);
                    draft.set(text);
                    focus();
                }) />
                <Show when=move || awaiting_image.get()>
                    <ImageUpload disabled=Signal::stored(false) testid="composer-upload" compact=true />
                </Show>
                <button
                    type="submit"
                    class="kefu-send"
                    data-testid="kefu-send"
                    aria-label=i18n.t(Key::Send)
                    title=i18n.t(Key::Send)
                    disabled=move || draft.with(|d| d.trim().is_empty())
                >
                    <SendIcon />
                </button>
            </form>
        </div>
    }
}

/// Whether the engine's last message since the customer's last turn asks for an image.
fn awaits_image(session: &crate::session::Session) -> bool {
    use crate::session::Said;
    session
        .items
        .iter()
        .rev()
        .take_while(|i| !matches!(i.said, Said::Customer(_) | Said::CustomerImage(_) | Said::CustomerPhoto { .. }))
        .any(|i| matches!(&i.said, Said::Bot(kefu_core::dialogue::Message::FlowStep(f)) if f.expects == "image"))
}
