//! The window's header: the shop's avatar and name, and a close button.

use leptos::prelude::*;

use crate::components::avatar::BrandAvatar;
use crate::components::icons::CloseIcon;
use crate::i18n::{use_i18n, Key};
use crate::loader::LoadState;

#[component]
pub fn Header(open: RwSignal<bool>, load: RwSignal<LoadState>, fullscreen: bool) -> impl IntoView {
    let i18n = use_i18n();
    let brand = Memo::new(move |_| load.with(|s| s.brand()));
    let name = move || brand.with(|b| b.as_ref().map(|b| b.name.clone()).filter(|n| !n.is_empty()));
    view! {
        <header class="kefu-header">
            {move || {
                let (url, alt) = brand.with(|b| (b.as_ref().map(|b| b.avatar.clone()).unwrap_or_default(), i18n.t(Key::AvatarAlt)));
                let initial = name().unwrap_or_else(|| i18n.t(Key::WindowLabel).to_string());
                view! { <BrandAvatar url name=initial alt /> }
            }}
            <div class="kefu-header-text">
                <h2 class="kefu-title" data-testid="kefu-title">
                    {move || name().unwrap_or_else(|| i18n.t(Key::WindowLabel).to_string())}
                </h2>
                <p class="kefu-subtitle">{i18n.t(Key::Subtitle)}</p>
            </div>
            <Show when=move || !fullscreen>
                <button
                    type="button"
                    class="kefu-header-close"
                    data-testid="kefu-close"
                    aria-label=i18n.t(Key::CloseChat)
                    on:click=move |_| open.set(false)
                >
                    <CloseIcon />
                </button>
            </Show>
        </header>
    }
}
