use crate::i18n::use_i18n;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFound() -> impl IntoView {
    let t = use_i18n();
    view! {
        <section class="page">
            <h1>{t.tr("app.not_found.title")}</h1>
            <p><A href="/">{t.tr("app.not_found.back")}</A></p>
            <crate::pages::filing::RequestLink/>
        </section>
    }
}
