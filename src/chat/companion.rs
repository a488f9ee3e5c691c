//! A split knowledge base's companion (`kefu build --split`): the first file answers, the
//! companion brings the detailed answers and the flows' and catalogue's translations.
//!
//! The companion is fetched as soon as the chat starts, in the background, the way `kb.bin`
//! is (revalidated with its ETag, kept in Cache Storage, loaded from there offline). Until
//! it is attached, each turn is tried on a copy of the session; a turn the first file could
//! not give exactly as the whole knowledge base would ([`kefu_core::KnowledgeBase::
//! needs_companion`]: a detailed answer, or a conversation in a language waiting in the
//! companion) is dropped and runs again, in order with every turn after it, once the
//! companion is attached. Should the companion not come (offline on a first visit), the
//! waiting turns run with the first file and a detailed answer says it cannot be shown yet.

//! While turns wait, the customer sees at once what they said (their text, the label they
//! clicked, the photo they picked) and that the answer is on its way ([`Chat::waiting`]);
//! the waiting turns are kept with the session (`crate::store::save_waiting`), so a reload
//! runs them once the companion is there: nothing said is lost, nothing runs twice. A new
//! conversation drops them with the old one ([`Chat::restart`]).

use kefu_core::dialogue::locale::Locale;
use kefu_core::dialogue::{Action, Choice, Input, Message};
use kefu_core::Engine;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};

use super::Chat;
use crate::session::{Said, Session, MAX_QUESTION_CHARS};
use crate::store;

/// One turn of the customer (or of the page): what it takes to run it now or later, and to
/// keep it on the device while it waits. Stored positionally: new variants go before
/// [`Turn::Input`], which stays last.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Turn {
    /// The window opened: the welcome, unless already given.
    Open,
    /// The customer typed this.
    Say(String),
    /// The customer clicked something labelled `label`.
    Choose { label: String, choice: Choice },
    /// The widget's language: the engine speaks it too (checked when the turn runs, as
    /// turns before it may change the conversation's language).
    SetLocale(Locale),
    /// The customer picked `name` as the photo a flow's step asks for, as reference `id`.
    Photo { id: String, name: String },
    /// The customer sent the leave-a-message form.
    LeaveMessage { contact: String, question: String },
    /// Any other input for the engine (an order lookup's result, the end of a live
    /// conversation): not kept on the device (its serde code would cost the widget 7 KB
    /// gzipped), so a reload while it waits drops it; the customer typed none of it.
    #[serde(skip)]
    Input(Input),
}

impl Turn {
    /// Runs the turn on `session`: whether anything was said, and the action.
    fn run(&self, session: &mut Session, engine: &Engine) -> (bool, Option<Action>) {
        let now = store::now();
        match self {
            Turn::Open => (true, session.open(engine, now)),
            Turn::Say(text) => session.say(engine, text, now),
            Turn::Choose { label, choice } => {
                (true, session.choose(engine, label, choice.clone(), now))
            }
            Turn::Input(input) => (true, session.respond(engine, input.clone(), now)),
            Turn::SetLocale(locale) => {
                if session.conversation.locale() == Some(*locale) {
                    return (true, None);
                }
                let input = Input::SetLocale { locale: *locale };
                (true, session.respond(engine, input, now))
            }
            Turn::Photo { id, name } => (true, session.photo(engine, id, name, now)),
            Turn::LeaveMessage { contact, question } => {
                let input = Input::LeaveMessage {
                    contact: contact.clone(),
                    question: question.clone(),
                };
                (true, session.respond(engine, input, now))
            }
        }
    }

    /// Whether running it says anything (blank text is ignored).
    fn says(&self) -> bool {
        !matches!(self, Turn::Say(text) if text.trim().is_empty())
    }

    /// What the customer sees of it while it waits: their words, as [`Session::say`] will
    /// keep them (`None`: nothing of theirs, such as the welcome or a language change).
    pub fn shown(&self) -> Option<Shown> {
        match self {
            Turn::Say(text) => {
                let text: String = text.trim().chars().take(MAX_QUESTION_CHARS).collect();
                (!text.is_empty()).then_some(Shown::Text(text))
            }
            Turn::Choose { label, .. } => Some(Shown::Text(label.clone())),
            Turn::Photo { name, .. } => Some(Shown::Photo(name.clone())),
            Turn::Open | Turn::Input(_) | Turn::SetLocale(_) | Turn::LeaveMessage { .. } => None,
        }
    }

    /// Whether it is kept on the device while it waits (see [`Turn::Input`]).
    pub fn kept(&self) -> bool {
        !matches!(self, Turn::Input(_))
    }

    /// Whether the bot owes an answer to it (the waiting indicator shows).
    pub fn awaits_answer(&self) -> bool {
        !matches!(self, Turn::SetLocale(_)) && self.says()
    }
}

/// A waiting turn as the customer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Shown {
    Text(String),
    /// A photo (its file name).
    Photo(String),
}

/// Where the chat is with the companion.
#[derive(Default)]
pub(super) struct Companion {
    /// The companion's URL while it is missing (`None`: the knowledge base is whole).
    url: Option<String>,
    /// A download is under way.
    loading: bool,
    /// The last download failed; turns no longer wait for it (a later one may still come).
    failed: bool,
}

/// `file` beside the knowledge base at `kb_url` (relative to the page).
fn beside(kb_url: &str, file: &str) -> Option<String> {
    let page = web_sys::window()?.location().href().ok()?;
    let kb = web_sys::Url::new_with_base(kb_url, &page).ok()?;
    Some(web_sys::Url::new_with_base(file, &kb.href()).ok()?.href())
}

impl Chat {
    /// Starts fetching the companion of `engine`'s knowledge base, if it names one.
    pub(super) fn start_companion(&self, kb_url: &str) {
        let url = self
            .engine
            .with_value(|e| e.kb().companion.as_ref().map(|c| c.file.clone()))
            .and_then(|file| beside(kb_url, &file));
        if url.is_none() {
            return;
        }
        self.companion.update_value(|c| c.url = url);
        self.fetch_companion();
    }

    /// Downloads and attaches the companion unless that is under way or done.
    pub(super) fn fetch_companion(&self) {
        let Some(url) = self
            .companion
            .with_value(|c| c.url.clone().filter(|_| !c.loading))
        else {
            return;
        };
        self.companion.update_value(|c| c.loading = true);
        let chat = *self;
        spawn_local(async move {
            let attached = match crate::loader::load_bytes(&url).await {
                Ok(bytes) => chat.attach(&bytes),
                Err(failure) => Err(failure.to_string()),
            };
            if let Err(why) = &attached {
                leptos::logging::warn!("kefu: the companion {url}: {why}");
            }
            chat.companion.update_value(|c| {
                c.loading = false;
                c.failed = attached.is_err();
                if attached.is_ok() {
                    c.url = None;
                }
            });
            chat.run_waiting();
        });
    }

    /// Attaches the companion's bytes to the engine, in place: the chat owns the only
    /// engine, so the knowledge base is completed rather than copied.
    fn attach(&self, bytes: &[u8]) -> Result<(), String> {
        self.engine
            .try_update_value(|engine| engine.attach(bytes).map_err(|e| e.to_string()))
            .unwrap_or_else(|| Err("the chat has ended".to_string()))
    }

    /// The turns waiting for the companion, in the order the customer made them (tracked:
    /// the message list shows them).
    pub fn waiting(&self) -> RwSignal<Vec<Turn>> {
        self.waiting
    }

    /// Runs the turns that waited, in order, with the engine as it now is.
    fn run_waiting(&self) {
        let waiting = self.waiting.try_update(std::mem::take).unwrap_or_default();
        let partial = self.engine.with_value(|e| e.kb().companion.is_some());
        for turn in waiting {
            let before = self.session.with_untracked(|s| s.items.len());
            let (_, action) = self
                .engine
                .with_value(|engine| self.update(|s| turn.run(s, engine)));
            if partial {
                let lang = self.locale.get_value();
                self.session
                    .update(|s| unavailable_details(s, before, lang));
            }
            self.after(action);
        }
    }

    /// Runs one turn of the engine on the session, and carries out its action. With the
    /// companion still missing, see the module's documentation. Returns whether anything was
    /// said.
    pub(super) fn turn(&self, turn: Turn) -> bool {
        let (whole, pending, queued, failed) = (
            self.engine.with_value(|e| e.kb().companion.is_none()),
            self.companion.with_value(|c| c.url.is_some()),
            self.waiting.with_untracked(|w| !w.is_empty()),
            self.companion.with_value(|c| c.failed),
        );
        if whole || !pending {
            let (said, action) = self.engine.with_value(|e| self.update(|s| turn.run(s, e)));
            self.after(action);
            return said;
        }
        if !queued {
            let mut trial = self.session.get_untracked();
            let before = (trial.items.len(), trial.conversation.locale());
            let (said, action, needs) = self.engine.with_value(|engine| {
                let (said, action) = turn.run(&mut trial, engine);
                let fresh: Vec<Message> = trial.items[before.0.min(trial.items.len())..]
                    .iter()
                    .filter_map(|i| match &i.said {
                        Said::Bot(m) => Some(m.clone()),
                        _ => None,
                    })
                    .collect();
                let locales = [before.1, trial.conversation.locale()];
                (said, action, engine.kb().needs_companion(&locales, &fresh))
            });
            if !needs || failed {
                self.update(move |s| *s = trial);
                if needs {
                    let lang = self.locale.get_value();
                    self.session
                        .update(|s| unavailable_details(s, before.0, lang));
                }
                self.after(action);
                // A failed download is tried again on each turn that needed it.
                if needs {
                    self.fetch_companion();
                }
                return said;
            }
        }
        // It waits, shown at once, and so does every turn after it.
        let said = turn.says();
        if said {
            self.waiting.update(|w| w.push(turn));
        }
        self.fetch_companion();
        said
    }

    /// Forgets the turns waiting for the companion (the conversation they belong to ends).
    pub(super) fn drop_waiting(&self) {
        self.waiting.update(Vec::clear);
    }
}

/// A detailed answer given without the companion (it could not be downloaded) says so
/// instead of showing an empty bubble.
fn unavailable_details(session: &mut Session, from: usize, lang: &str) {
    let lang = crate::i18n::Lang::from_tag(lang).unwrap_or_default();
    let text = crate::i18n::I18n { lang }.t(crate::i18n::Key::DetailUnavailable);
    for item in session.items.iter_mut().skip(from) {
        if let Said::Bot(Message::Detail { text: t, .. }) = &mut item.said {
            if t.is_empty() {
                *t = text.to_string();
            }
        }
    }
}
