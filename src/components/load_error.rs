//! What the window shows when the knowledge base could not be loaded.

use std::sync::Arc;

use leptos::prelude::*;

use crate::i18n::{use_i18n, Key};
use crate::loader::LoadFailure;

#[component]
pub fn LoadErrorPanel(failure: Arc<LoadFailure>, retry: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="kefu-load-error" role="alert" data-testid="kefu-load-error">
            <p class="kefu-load-error-title">{i18n.t(Key::LoadFailed)}</p>
            <p class="kefu-load-error-detail">{failure.describe(i18n)}</p>
            <button type="button" class="kefu-chip" data-testid="kefu-retry" on:click=move |_| retry.run(())>
                {i18n.t(Key::Retry)}
            </button>
        </div>
    }
}
