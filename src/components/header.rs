//! The window's header: the shop's avatar and name, a line saying who answers (the assistant,
//! an agent by name, when agents are back after hours, offline), "new conversation" and a
//! close button.

use leptos::prelude::*;

use crate::chat::Chat;
use crate::components::app::Look;
use crate::components::avatar::BrandAvatar;
use crate::components::icons::{CloseIcon, RestartIcon};
use crate::i18n::{use_i18n, I18n, Key, Lang};
use crate::loader::LoadState;
use crate::store;
use kefu_core::dialogue::calendar::{local_day, local_minute};
use kefu_core::dialogue::hours;
use kefu_core::dialogue::Locale;
use kefu_core::matcher::Engine;

/// How often the header looks at the clock again (working hours begin and end on the
/// minute; a sleeping device or a throttled tab catches up at the next look).
const CLOCK_TICK: std::time::Duration = std::time::Duration::from_secs(15);

/// `None` while someone is at work (or the shop sets no hours); otherwise when they are back,
/// in `i18n`'s language ("09:00", "明天 09:00", "tomorrow at 09:00", a later day in full).
fn agents_back(engine: &Engine, i18n: I18n, now: i64) -> Option<String> {
    let cfg = &engine.kb().settings.working_hours;
    if hours::is_open(cfg, now) {
        return None;
    }
    let offset = cfg.utc_offset_minutes;
    let Some(at) = hours::next_opening(cfg, now) else {
        return Some(i18n.fill(Key::LaterAt, &[("moment", "—")]));
    };
    let minute = local_minute(at, offset);
    let time = format!("{:02}:{:02}", minute / 60, minute % 60);
    let days = local_day(at, offset) - local_day(now, offset);
    Some(match days {
        0 => i18n.fill(Key::TodayAt, &[("time", &time)]),
        1 => i18n.fill(Key::TomorrowAt, &[("time", &time)]),
        _ => {
            let locale = match i18n.lang {
                Lang::ZhCn => Locale::ZhCn,
                Lang::ZhTw => Locale::ZhTw,
                Lang::English => Locale::En,
            };
            let labels = &engine.kb().dialogue.locales.pack(locale).labels;
            i18n.fill(Key::LaterAt, &[("moment", &labels.moment(at, offset))])
        }
    })
}

#[component]
pub fn Header(
    look: Memo<Look>,
    fullscreen: bool,
    chat: RwSignal<Option<Chat>>,
    load: RwSignal<LoadState>,
    close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    // The clock the header reads: whether agents are at work changes with it.
    let now = RwSignal::new(store::now());
    let tick = set_interval_with_handle(move || now.set(store::now()), CLOCK_TICK).ok();
    on_cleanup(move || {
        if let Some(tick) = tick {
            tick.clear();
        }
    });
    let title = move || {
        look.with(|l| Some(l.title.clone()).filter(|t| !t.is_empty()))
            .unwrap_or_else(|| i18n.t(Key::WindowLabel).to_string())
    };
    view! {
        <header class="kefu-header">
            {move || {
                let url = look.with(|l| l.avatar.clone());
                view! { <BrandAvatar url name=title() alt=i18n.t(Key::AvatarAlt) /> }
            }}
            <div class="kefu-header-text">
                <h2 class="kefu-title" data-testid="kefu-title">{title}</h2>
                <p class="kefu-subtitle" data-testid="kefu-subtitle">{move || {
                    // While an agent serves the customer, their name instead of the bot's line.
                    let agent = chat.get().and_then(|c| c.session().with(|s| s.serving_agent()));
                    let failed = load.with(|l| matches!(l, LoadState::Failed(_)));
                    match agent {
                        // The knowledge base did not load: the assistant is not there.
                        None if failed => i18n.t(Key::SubtitleError).to_string(),
                        Some(name) => i18n.fill(Key::AgentServing, &[("name", &name)]),
                        // Offline, the line says so: FAQ answers go on, the rest waits.
                        None if chat.get().is_some_and(|c| c.session().with(|s| s.offline_said())) => {
                            i18n.t(Key::SubtitleOffline).to_string()
                        }
                        // Outside the shop's working hours: when a person is back.
                        None => chat
                            .get()
                            .and_then(|c| c.with_engine(|e| agents_back(e, i18n, now.get())))
                            .map_or_else(
                                || i18n.t(Key::Subtitle).to_string(),
                                |at| i18n.fill(Key::SubtitleAfterHours, &[("at", &at)]),
                            ),
                    }
                }}</p>
            </div>
            <button
                type="button"
                class="kefu-header-button"
                data-testid="kefu-restart"
                aria-label=i18n.t(Key::NewConversation)
                title=i18n.t(Key::NewConversation)
                disabled=move || chat.with(Option::is_none)
                on:click=move |_| {
                    if let Some(chat) = chat.get_untracked() {
                        chat.restart();
                    }
                }
            >
                <RestartIcon />
            </button>
            <Show when=move || !fullscreen>
                <button
                    type="button"
                    class="kefu-header-button"
                    data-testid="kefu-close"
                    aria-label=i18n.t(Key::CloseChat)
                    title=i18n.t(Key::CloseChat)
                    on:click=move |_| close.run(())
                >
                    <CloseIcon />
                </button>
            </Show>
        </header>
    }
}
