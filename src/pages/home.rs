//! The catalog's front page: every dataset, one listing page at a time.

use crate::app::use_catalog;
use crate::components::badges::{EmergencyBadge, OpenBadge, StatusBadge};
use crate::components::error_box::ErrorBox;
use crate::i18n::{use_i18n, Lang};
use crate::net;
use kaifang_core::catalog::DatasetSummary;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

#[component]
pub fn Home() -> impl IntoView {
    let t = use_i18n();
    let catalog = use_catalog();
    let query = use_query_map();
    let page = move || query.read().get("page").and_then(|p| p.parse::<usize>().ok()).unwrap_or(1).max(1);
    let listing = LocalResource::new(move || net::load_listing(page()));

    let pager = move || {
        let Some(Ok(c)) = catalog.get() else { return None };
        let pages = c.listing.pages.max(1);
        let p = page().min(pages);
        Some(view! {
            <nav class="pager" aria-label="pages">
                {(p > 1).then(|| view! { <A href=format!("/?page={}", p - 1)>{t.tr("listing.prev")}</A> })}
                <span>{move || t.fmt("listing.page", &[("page", &p.to_string()), ("pages", &pages.to_string())])}</span>
                {(p < pages).then(|| view! { <A href=format!("/?page={}", p + 1)>{t.tr("listing.next")}</A> })}
            </nav>
        })
    };

    view! {
        <section class="page">
            <h1>{t.tr("listing.title")}</h1>
            <p class="count">
                {move || match catalog.get() {
                    Some(Ok(c)) => t.fmt("listing.count", &[("n", &c.dataset_count.to_string())]),
                    _ => String::new(),
                }}
            </p>
            <Suspense fallback=move || view! { <p class="loading">{t.tr("app.loading")}</p> }>
                {move || {
                    listing.get().map(|r| match r {
                        Ok(l) => view! {
                            <ul class="dataset-list">
                                {l.items.into_iter().map(|s| view! { <DatasetCard summary=s/> }).collect_view()}
                            </ul>
                        }
                        .into_any(),
                        Err(e) => view! { <ErrorBox error=e/> }.into_any(),
                    })
                }}
            </Suspense>
            {pager}
            <crate::pages::filing::RequestLink/>
        </section>
    }
}

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
