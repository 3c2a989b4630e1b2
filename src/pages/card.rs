//! A dataset as one card in a list (search results, listings), with its live status.

use crate::components::badges::{EmergencyBadge, OpenBadge, StatusBadge};
use crate::i18n::{use_i18n, Lang};
use kaifang_core::catalog::DatasetSummary;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn DatasetCard(summary: DatasetSummary) -> impl IntoView {
    let t = use_i18n();
    let DatasetSummary { id, title, title_en, theme, publisher, open, status, emergency, modified, formats } = summary;
    let shown_title = move || match (t.lang(), &title_en) {
        (Lang::En, Some(en)) => en.clone(),
        _ => title.clone(),
    };
    let modified = modified.to_string();
    view! {
        <li class="dataset-card" data-id=id.clone()>
            <h2>
                <A href=format!("/datasets/{id}")>{shown_title}</A>
            </h2>
            <p class="meta">
                <span class="publisher">{publisher.name}</span>
                " · "
                <span class="theme">{theme}</span>
                {(!formats.is_empty()).then(|| view! { " · " <span class="formats">{formats.join(" / ")}</span> })}
                " · "
                <span class="modified">{move || t.fmt("listing.updated", &[("date", &modified)])}</span>
            </p>
            <p class="badges">
                {emergency.then(|| view! { <EmergencyBadge/> })}
                <OpenBadge kind=open/>
                {let id = id.clone(); move || view! { <StatusBadge status=crate::queue::effective_status_of(&id, status)/> }}
            </p>
        </li>
    }
}
