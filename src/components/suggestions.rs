//! Typeahead: questions from the knowledge base that match what the customer is typing,
//! computed a moment after the last keystroke and shown as a listbox above the input.

use std::time::Duration;

use kefu_core::{EntryIdx, Suggestion};
use leptos::prelude::*;

use crate::chat::Chat;
use crate::i18n::{use_i18n, Key};

/// Pause after the last keystroke before suggestions are computed.
const DEBOUNCE: Duration = Duration::from_millis(120);

/// The suggestion list's state; copied into the composer's event handlers.
#[derive(Clone, Copy)]
pub struct Typeahead {
    items: RwSignal<Vec<Suggestion>>,
    active: RwSignal<Option<usize>>,
    pending: StoredValue<Option<TimeoutHandle>>,
    /// Bumped by every schedule and clear: a timer that fires anyway after being cancelled
    /// (a late or intercepted `clearTimeout`) shows nothing stale.
    generation: StoredValue<u32>,
}

impl Typeahead {
    pub fn new() -> Typeahead {
        Typeahead {
            items: RwSignal::new(Vec::new()),
            active: RwSignal::new(None),
            pending: StoredValue::new(None),
            generation: StoredValue::new(0),
        }
    }

    /// The customer typed: recompute the suggestions for `text` after a short pause.
    pub fn schedule(self, chat: Chat, text: String) {
        self.cancel_pending();
        if text.trim().is_empty() {
            self.clear();
            return;
        }
        let generation = self.bump();
        let update = move || {
            if self.generation.get_value() != generation {
                return;
            }
            self.items.set(chat.suggest(&text));
            self.active.set(None);
        };
        match set_timeout_with_handle(update, DEBOUNCE) {
            Ok(handle) => self.pending.set_value(Some(handle)),
            Err(err) => leptos::logging::warn!("kefu: typeahead timer: {err:?}"),
        }
    }

    /// Hides the list and forgets any pending update.
    pub fn clear(self) {
        self.cancel_pending();
        self.items.set(Vec::new());
        self.active.set(None);
    }

    /// Whether the list is showing, tracked.
    pub fn is_open(self) -> bool {
        self.items.with(|i| !i.is_empty())
    }

    /// Moves the highlight by `step` (wrapping), for the arrow keys.
    pub fn move_active(self, step: isize) {
        let len = self.items.with_untracked(Vec::len) as isize;
        if len == 0 {
            return;
        }
        let next = match self.active.get_untracked() {
            None if step > 0 => 0,
            None => len - 1,
            Some(i) => (i as isize + step).rem_euclid(len),
        };
        self.active.set(Some(next as usize));
    }

    /// The highlighted suggestion's entry.
    pub fn active_entry(self) -> Option<EntryIdx> {
        let i = self.active.get_untracked()?;
        self.items
            .with_untracked(|items| items.get(i).map(|s| s.entry))
    }

    /// The DOM id of the highlighted option, for `aria-activedescendant`.
    pub fn active_id(self) -> Option<String> {
        self.active.get().map(option_id)
    }

    fn bump(self) -> u32 {
        self.generation
            .try_update_value(|g| {
                *g = g.wrapping_add(1);
                *g
            })
            .unwrap_or_default()
    }

    fn cancel_pending(self) {
        self.bump();
        if let Some(handle) = self.pending.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    }
}

impl Default for Typeahead {
    fn default() -> Typeahead {
        Typeahead::new()
    }
}

fn option_id(i: usize) -> String {
    format!("kefu-suggestion-{i}")
}

/// The DOM id of the list, for `aria-controls`.
pub const LIST_ID: &str = "kefu-suggestions";

/// The list; `on_pick` answers a suggestion's entry.
#[component]
pub fn Suggestions(typeahead: Typeahead, on_pick: Callback<EntryIdx>) -> impl IntoView {
    let i18n = use_i18n();
    let options = move || {
        typeahead
            .items
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, suggestion)| {
                let active = move || typeahead.active.get() == Some(i);
                view! {
                    <li
                        id=option_id(i)
                        role="option"
                        class="kefu-suggestion"
                        class:kefu-suggestion--active=active
                        aria-selected=move || active().to_string()
                        data-testid="kefu-suggestion"
                        on:mousedown=|ev| ev.prevent_default()
                        on:click=move |_| on_pick.run(suggestion.entry)
                    >
                        {suggestion.question.clone()}
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <ul
            id=LIST_ID
            role="listbox"
            class="kefu-suggestions"
            aria-label=i18n.t(Key::SuggestionsLabel)
            hidden=move || !typeahead.is_open()
        >
            {options}
        </ul>
    }
}
