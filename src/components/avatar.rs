//! The shop's avatar: its image, or the first letter of its name when there is no image or
//! it fails to load.

use leptos::prelude::*;

/// `decorative` avatars (next to each bot message) are hidden from screen readers.
#[component]
pub fn BrandAvatar(
    #[prop(into)] url: String,
    #[prop(into)] name: String,
    #[prop(into)] alt: String,
    #[prop(optional)] small: bool,
) -> impl IntoView {
    let broken = RwSignal::new(url.trim().is_empty());
    let initial = name.chars().next().map(String::from).unwrap_or_default();
    let (alt, hidden) = if small {
        (String::new(), "true")
    } else {
        (alt, "false")
    };
    view! {
        <span class="kefu-avatar" class:kefu-avatar--small=small aria-hidden=hidden>
            <Show
                when=move || !broken.get()
                fallback=move || view! { <span class="kefu-avatar-initial">{initial.clone()}</span> }
            >
                <img src=url.clone() alt=alt.clone() on:error=move |_| broken.set(true) />
            </Show>
        </span>
    }
}
