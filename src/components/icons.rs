//! Inline SVG icons (decorative: the buttons carry the labels).

use leptos::prelude::*;

#[component]
pub fn ChatIcon() -> impl IntoView {
    view! {
        <svg class="kefu-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M12 3C6.5 3 2 6.8 2 11.5c0 2.5 1.3 4.8 3.4 6.3L4.6 21.4l4.2-2.1c1 .3 2.1.4 3.2.4 5.5 0 10-3.8 10-8.5S17.5 3 12 3zm-4.5 9.8a1.3 1.3 0 1 1 0-2.6 1.3 1.3 0 0 1 0 2.6zm4.5 0a1.3 1.3 0 1 1 0-2.6 1.3 1.3 0 0 1 0 2.6zm4.5 0a1.3 1.3 0 1 1 0-2.6 1.3 1.3 0 0 1 0 2.6z" />
        </svg>
    }
}

#[component]
pub fn CloseIcon() -> impl IntoView {
    view! {
        <svg class="kefu-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M6.4 5 5 6.4 10.6 12 5 17.6 6.4 19l5.6-5.6 5.6 5.6 1.4-1.4-5.6-5.6L19 6.4 17.6 5 12 10.6z" />
        </svg>
    }
}

#[component]
pub fn SendIcon() -> impl IntoView {
    view! {
        <svg class="kefu-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M3.4 20.4 21 12 3.4 3.6 3.4 10.2 15 12 3.4 13.8z" />
        </svg>
    }
}

#[component]
pub fn RestartIcon() -> impl IntoView {
    view! {
        <svg class="kefu-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M12 5V2L7 6l5 4V7a5 5 0 1 1-5 5H5a7 7 0 1 0 7-7z" />
        </svg>
    }
}

#[component]
pub fn ImageIcon() -> impl IntoView {
    view! {
        <svg class="kefu-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M19 4H5a2 2 0 0 0-2 2v12a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2V6a2 2 0 0 0-2-2zm0 14H5l3.5-4.5 2.5 3 3.5-4.5L19 18zM8.5 10a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3z" />
        </svg>
    }
}

#[component]
pub fn MicIcon() -> impl IntoView {
    view! {
        <svg class="kefu-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M12 14a3 3 0 0 0 3-3V5a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3zm5-3a5 5 0 0 1-10 0H5a7 7 0 0 0 6 6.9V21h2v-3.1a7 7 0 0 0 6-6.9h-2z" />
        </svg>
    }
}
