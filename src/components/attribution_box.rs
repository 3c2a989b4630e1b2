//! The data-source attribution shown on every dataset page (A1).

use crate::i18n::{use_i18n, Lang};
use kaifang_core::attribution::Attribution;
use leptos::prelude::*;

#[component]
pub fn AttributionBox(attribution: Attribution) -> impl IntoView {
    let t = use_i18n();
    let line = move || match t.lang() {
        Lang::Zh => attribution.line_zh(),
        Lang::En => attribution.line_en(),
    };
    view! {
        <section class="attribution" aria-labelledby="attribution-title">
            <h2 id="attribution-title">{t.tr("record.attribution")}</h2>
            <p class="attribution-line" data-testid="attribution-line">{line}</p>
            <p class="hint">{t.tr("record.attribution_hint")}</p>
        </section>
    }
}
