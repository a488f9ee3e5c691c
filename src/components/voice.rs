//! Voice input through the browser's speech recognition (`SpeechRecognition`, or Chromium's
//! and Safari's `webkitSpeechRecognition`) where it exists; where it does not, no button.
//! What was heard goes into the input box for the customer to check and send.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::icons::MicIcon;
use crate::i18n::{use_i18n, Key};

/// The browser's speech recognition constructor, if any.
fn recogniser() -> Option<js_sys::Function> {
    let window = web_sys::window()?;
    ["SpeechRecognition", "webkitSpeechRecognition"]
        .into_iter()
        .filter_map(|name| js_sys::Reflect::get(&window, &JsValue::from_str(name)).ok())
        .find(|v| v.is_function())
        .map(JsCast::unchecked_into)
}

fn set(target: &JsValue, name: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(target, &JsValue::from_str(name), value);
}

/// The first alternative of the first result of a `result` event.
fn transcript(event: &JsValue) -> Option<String> {
    let results = js_sys::Reflect::get(event, &"results".into()).ok()?;
    let first = js_sys::Reflect::get(&results, &0.into()).ok()?;
    let best = js_sys::Reflect::get(&first, &0.into()).ok()?;
    js_sys::Reflect::get(&best, &"transcript".into())
        .ok()?
        .as_string()
}

/// The microphone button; `heard` receives the recognised text.
#[component]
pub fn VoiceButton(heard: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let constructor = recogniser()?;
    let listening = RwSignal::new(false);
    let start = move |_| {
        if listening.get_untracked() {
            return;
        }
        let Ok(recognition) = js_sys::Reflect::construct(&constructor, &js_sys::Array::new())
        else {
            return;
        };
        set(&recognition, "lang", &JsValue::from_str(i18n.lang.tag()));
        set(&recognition, "interimResults", &JsValue::FALSE);
        set(&recognition, "maxAlternatives", &JsValue::from(1));
        let on_result = Closure::<dyn Fn(JsValue)>::new(move |event: JsValue| {
            if let Some(text) = transcript(&event).filter(|t| !t.trim().is_empty()) {
                heard.run(text.trim().to_string());
            }
        });
        let on_end = Closure::<dyn Fn()>::new(move || listening.set(false));
        set(&recognition, "onresult", on_result.as_ref());
        set(&recognition, "onend", on_end.as_ref());
        set(&recognition, "onerror", on_end.as_ref());
        // One recognition per click: the handlers live as long as the page.
        on_result.forget();
        on_end.forget();
        let started = js_sys::Reflect::get(&recognition, &"start".into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
            .map(|f| f.call0(&recognition));
        listening.set(matches!(started, Some(Ok(_))));
    };
    Some(view! {
        <button
            type="button"
            class="kefu-attach"
            class:kefu-attach--on=move || listening.get()
            data-testid="kefu-voice"
            aria-label=i18n.t(Key::Voice)
            aria-pressed=move || listening.get().to_string()
            title=i18n.t(Key::Voice)
            on:click=start
        >
            <MicIcon />
        </button>
    })
}
