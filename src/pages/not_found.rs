//! The not-found page (`404.html` at build time, any unknown path in the app).

use crate::i18n::use_i18n;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFound() -> impl IntoView {
    let t = use_i18n();
    crate::head::publish(move || {
        let portal = crate::app::use_catalog_portal()?;
        let mut h = crate::head::page(t, &portal, "app.not_found.title", "notfound.description", "/404");
        h.noindex = true;
        Some(h)
    });
    view! {
        <section class="page">
            <h1>{t.tr("app.not_found.title")}</h1>
            <p><A href="/">{t.tr("app.not_found.back")}</A></p>
            <crate::pages::filing::RequestLink/>
        </section>
    }
}
