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

use std::sync::Arc;

use kefu_core::dialogue::{Action, Message};
use kefu_core::Engine;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::Chat;
use crate::session::{Said, Session};

/// A turn, run on the session with the engine: whether anything was said, and the action.
pub(super) type TurnFn = Box<dyn Fn(&mut Session, &Engine) -> (bool, Option<Action>)>;

/// Where the chat is with the companion.
#[derive(Default)]
pub(super) struct Companion {
    /// The companion's URL while it is missing (`None`: the knowledge base is whole).
    url: Option<String>,
    /// A download is under way.
    loading: bool,
    /// The last download failed; turns no longer wait for it (a later one may still come).
    failed: bool,
    /// Turns waiting for the companion, in the order the customer made them.
    waiting: Vec<TurnFn>,
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

    /// Attaches the companion's bytes to the engine (a new engine when another part of the
    /// widget still holds the old one).
    fn attach(&self, bytes: &[u8]) -> Result<(), String> {
        let mut result = Ok(());
        self.engine.update_value(|engine| {
            if let Some(only) = Arc::get_mut(engine) {
                result = only.attach(bytes).map_err(|e| e.to_string());
                return;
            }
            let mut kb = engine.kb().clone();
            result = kefu_core::format::attach(&mut kb, bytes)
                .and_then(|()| Engine::from_kb(kb))
                .map(|whole| *engine = Arc::new(whole))
                .map_err(|e| e.to_string());
        });
        result
    }

    /// Runs the turns that waited, in order, with the engine as it now is.
    fn run_waiting(&self) {
        let waiting = self
            .companion
            .try_update_value(|c| std::mem::take(&mut c.waiting))
            .unwrap_or_default();
        let partial = self.engine.with_value(|e| e.kb().companion.is_some());
        for turn in waiting {
            let engine = self.engine.get_value();
            let before = self.session.with_untracked(|s| s.items.len());
            let (_, action) = self.update(|s| turn(s, &engine));
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
    pub(super) fn turn(&self, turn: TurnFn) -> bool {
        let engine = self.engine.get_value();
        let (pending, queued, failed) = self
            .companion
            .with_value(|c| (c.url.is_some(), !c.waiting.is_empty(), c.failed));
        if engine.kb().companion.is_none() || !pending {
            let (said, action) = self.update(|s| turn(s, &engine));
            self.after(action);
            return said;
        }
        if !queued {
            let mut trial = self.session.get_untracked();
            let before = (trial.items.len(), trial.conversation.locale());
            let (said, action) = turn(&mut trial, &engine);
            let fresh: Vec<Message> = trial.items[before.0.min(trial.items.len())..]
                .iter()
                .filter_map(|i| match &i.said {
                    Said::Bot(m) => Some(m.clone()),
                    _ => None,
                })
                .collect();
            let locales = [before.1, trial.conversation.locale()];
            let needs = engine.kb().needs_companion(&locales, &fresh);
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
        // It waits, and so does every turn after it.
        let said = turn(&mut self.session.get_untracked(), &engine).0;
        self.companion.update_value(|c| c.waiting.push(turn));
        self.fetch_companion();
        said
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
