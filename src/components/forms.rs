//! What the customer fills in: a flow step (its options, or an image upload checked for type
//! and size before anything is sent), the leave-a-message form and the phone digits an
//! anonymous order lookup needs. A form of an earlier turn is spent (disabled).

use kefu_core::dialogue::reply::{FlowStep, LeaveMessageForm};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::chat::use_chat;
use crate::components::bot_message::Chips;
use crate::components::icons::ImageIcon;
use crate::components::rich_text::RichText;
use crate::i18n::{use_i18n, Key};
use crate::session::Notice;

/// Image types a flow accepts.
pub const IMAGE_TYPES: [&str; 4] = ["image/jpeg", "image/png", "image/webp", "image/gif"];
/// Largest image, in bytes.
pub const MAX_IMAGE_BYTES: f64 = 5.0 * 1024.0 * 1024.0;

/// Why a file is refused, if it is.
pub fn check_image(kind: &str, size: f64) -> Option<Key> {
    if !IMAGE_TYPES.contains(&kind) {
        Some(Key::UploadBadType)
    } else if size > MAX_IMAGE_BYTES {
        Some(Key::UploadTooBig)
    } else {
        None
    }
}

/// A file input for one image: checked for type and size here, refused with a notice, or
/// sent to the agent during a live conversation, else to the engine as the customer's image.
#[component]
pub fn ImageUpload(
    disabled: Signal<bool>,
    testid: &'static str,
    #[prop(optional)] compact: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let chat = use_chat();
    let on_change = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        input.set_value("");
        match check_image(&file.type_(), file.size()) {
            Some(key) => {
                // Tenths of a MB by integer arithmetic: no float formatting in the wasm.
                let tenths = (file.size() / 104_857.6).round() as u64;
                let size = format!("{}.{} MB", tenths / 10, tenths % 10);
                chat.notice(Notice::Refused(i18n.fill(key, &[("size", &size)])));
            }
            // Talking to an agent: the image goes to them; otherwise to the engine (a flow step).
            None if chat.session().with_untracked(|s| s.is_live()) => chat.image_for_agent(file),
            None => chat.flow_photo(file),
        }
    };
    let input = view! {
        <input
            type="file"
            class="kefu-sr-only"
            data-testid=testid
            accept=IMAGE_TYPES.join(",")
            aria-label=i18n.t(Key::UploadPhoto)
            disabled=move || disabled.get()
            on:change=on_change
        />
    };
    if compact {
        view! {
            <label class="kefu-attach" title=i18n.t(Key::UploadPhoto) class:kefu-upload--spent=move || disabled.get()>
                <ImageIcon />
                {input}
            </label>
        }
        .into_any()
    } else {
        view! {
            <label class="kefu-upload" class:kefu-upload--spent=move || disabled.get()>
                <span class="kefu-chip kefu-chip--accent" aria-hidden="true">{i18n.t(Key::UploadPhoto)}</span>
                {input}
                <span class="kefu-upload-hint">{i18n.t(Key::UploadHint)}</span>
            </label>
        }
        .into_any()
    }
}

#[component]
pub fn FlowStepView(step: FlowStep, spent: Signal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let upload = (step.expects == "image")
        .then(|| view! { <ImageUpload disabled=spent testid="flow-upload" /> });
    view! {
        <div
            class="kefu-flow-step"
            data-testid="flow-step"
            data-flow=step.flow
            data-step=step.step
            data-expects=step.expects.clone()
            role="group"
            aria-label=format!("{} · {}", i18n.t(Key::FlowLabel), step.flow_name)
        >
            <div class="kefu-bubble">
                <RichText text=step.prompt />
            </div>
            <Chips replies=step.options caption=None testid="chip-option" />
            {upload}
        </div>
    }
}

#[component]
pub fn LeaveMessageFormView(form: LeaveMessageForm, spent: Signal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let chat = use_chat();
    let contact = RwSignal::new(form.contact);
    let question = RwSignal::new(form.question);
    let error = RwSignal::new(false);
    let sent = RwSignal::new(false);
    let disabled = move || spent.get() || sent.get();
    view! {
        <form
            class="kefu-form"
            data-testid="leave-message-form"
            aria-label=i18n.t(Key::LeaveMessageLabel)
            on:submit=move |ev| {
                ev.prevent_default();
                let (c, q) = (contact.get_untracked(), question.get_untracked());
                if c.trim().is_empty() || q.trim().is_empty() {
                    error.set(true);
                    return;
                }
                error.set(false);
                sent.set(true);
                chat.leave_message(c.trim().to_string(), q.trim().to_string());
            }
        >
            <div class="kefu-bubble"><RichText text=form.prompt /></div>
            <label class="kefu-field">
                <span>{i18n.t(Key::Contact)}</span>
                <input type="text" data-testid="leave-contact" autocomplete="tel" maxlength="100"
                    prop:value=move || contact.get() disabled=disabled
                    on:input=move |ev| contact.set(event_target_value(&ev)) />
            </label>
            <label class="kefu-field">
                <span>{i18n.t(Key::Question)}</span>
                <textarea data-testid="leave-question" rows="3" maxlength="500"
                    prop:value=move || question.get() disabled=disabled
                    on:input=move |ev| question.set(event_target_value(&ev))></textarea>
            </label>
            <Show when=move || error.get()>
                <p class="kefu-form-error" role="alert">{i18n.t(Key::FormIncomplete)}</p>
            </Show>
            <button type="submit" class="kefu-chip kefu-chip--accent" data-testid="leave-submit" disabled=disabled>
                {i18n.t(Key::SubmitMessage)}
            </button>
        </form>
    }
}

#[component]
pub fn PhoneForm(order_no: String, job: u32) -> impl IntoView {
    let i18n = use_i18n();
    let chat = use_chat();
    let digits = RwSignal::new(String::new());
    let error = RwSignal::new(false);
    let sent = RwSignal::new(false);
    view! {
        <form
            class="kefu-form"
            data-testid="phone-form"
            on:submit=move |ev| {
                ev.prevent_default();
                let d = digits.get_untracked().trim().to_string();
                if d.len() != 4 || !d.bytes().all(|b| b.is_ascii_digit()) {
                    error.set(true);
                    return;
                }
                error.set(false);
                sent.set(true);
                chat.phone_digits(job, d);
            }
        >
            <p class="kefu-bubble">{i18n.fill(Key::AskPhone, &[("order", &order_no)])}</p>
            <label class="kefu-field">
                <span>{i18n.t(Key::PhoneLabel)}</span>
                <input type="text" inputmode="numeric" maxlength="4" data-testid="phone-digits" autocomplete="off"
                    prop:value=move || digits.get() disabled=move || sent.get()
                    on:input=move |ev| digits.set(event_target_value(&ev)) />
            </label>
            <Show when=move || error.get()>
                <p class="kefu-form-error" role="alert">{i18n.t(Key::PhoneInvalid)}</p>
            </Show>
            <button type="submit" class="kefu-chip kefu-chip--accent" data-testid="phone-submit" disabled=move || sent.get()>
                {i18n.t(Key::Confirm)}
            </button>
        </form>
    }
}
