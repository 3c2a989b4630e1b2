//! `Loading`: what a page shows while its data arrives.
//!
//! In the browser it is Leptos's `Suspense` with a "loading" line. While pages are rendered
//! at build time (src/prerender.rs) the data is already at hand, and a `Suspense` rendered
//! to a string would only ever give its fallback: there the children are rendered alone.

use crate::i18n::use_i18n;
use leptos::prelude::*;

#[component]
pub fn Loading(children: Children) -> impl IntoView {
    let t = use_i18n();
    if crate::prerender::built().is_some() {
        return children().into_any();
    }
    view! {
        <Suspense fallback=move || view! { <p class="loading">{t.tr("app.loading")}</p> }>
            {children()}
        </Suspense>
    }
    .into_any()
}

/// The "loading" line on its own, where a view waits for something other than a resource.
pub fn loading_line() -> AnyView {
    let t = use_i18n();
    view! { <p class="loading">{t.tr("app.loading")}</p> }.into_any()
}
