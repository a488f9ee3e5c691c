//! The widget's side of the JS API: events for the host page's `kefu.on(event, fn)` handlers
//! (`open`, `close`, `message`, `handoff`, `rating`), through the function the loader passes
//! to [`crate::mount`].

use kefu_core::dialogue::Message;
use wasm_bindgen::JsValue;

/// Calls the loader's `emit(name, detail)`; without one (tests) events go nowhere.
#[derive(Clone, Default)]
pub struct Bridge {
    emit: Option<js_sys::Function>,
}

fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let object = js_sys::Object::new();
    for (name, value) in fields {
        let _ = js_sys::Reflect::set(&object, &JsValue::from_str(name), value);
    }
    object.into()
}

impl Bridge {
    pub fn new(emit: Option<js_sys::Function>) -> Bridge {
        Bridge { emit }
    }

    fn send(&self, name: &str, detail: JsValue) {
        if let Some(emit) = &self.emit {
            if let Err(err) = emit.call2(&JsValue::NULL, &JsValue::from_str(name), &detail) {
                leptos::logging::warn!("kefu: a `{name}` handler failed: {err:?}");
            }
        }
    }

    /// The window opened or closed.
    pub fn opened(&self, open: bool) {
        self.send(if open { "open" } else { "close" }, JsValue::UNDEFINED);
    }

    /// The customer said `text`.
    pub fn customer(&self, text: &str) {
        self.send(
            "message",
            object(&[("from", "customer".into()), ("text", text.into())]),
        );
    }

    /// The bot said `message`: its kind and a one-line summary.
    pub fn bot(&self, message: &Message) {
        self.send(
            "message",
            object(&[
                ("from", "bot".into()),
                ("kind", message.kind().into()),
                ("text", message.summary().into()),
            ]),
        );
    }

    /// An agent said `text`.
    pub fn agent(&self, name: &str, text: &str) {
        self.send(
            "message",
            object(&[
                ("from", "agent".into()),
                ("name", name.into()),
                ("text", text.into()),
            ]),
        );
    }

    /// The conversation goes to a human, for `reason` (the engine's code).
    pub fn handoff(&self, reason: &str) {
        self.send("handoff", object(&[("reason", reason.into())]));
    }

    /// The customer rated the chat.
    pub fn rating(&self, satisfied: bool) {
        self.send("rating", object(&[("satisfied", satisfied.into())]));
    }

    /// The designer preview's hot questions: for each text typed, the entry's question it
    /// became (`null` when none fits).
    pub fn preview(&self, hot: &[crate::loader::PreviewHot]) {
        let list = js_sys::Array::new();
        for h in hot {
            let question = h
                .question
                .as_deref()
                .map_or(JsValue::NULL, JsValue::from_str);
            list.push(&object(&[
                ("text", h.text.as_str().into()),
                ("question", question),
            ]));
        }
        self.send("preview", object(&[("hot", list.into())]));
    }
}
