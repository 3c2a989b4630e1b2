//! Above and below the results: how many were found, the phones' filter control, the sort
//! order, and the pager (real links, so paging works without JavaScript and for crawlers).

use super::Listing;
use crate::i18n::use_i18n;
use crate::search::run::Phase;
use kaifang_core::search::{BrowseView, SortOrder, PAGE_SIZE};
use leptos::prelude::*;

#[component]
pub(super) fn ResultsBar(listing: Listing, filters_open: RwSignal<bool>) -> impl IntoView {
    let t = use_i18n();
    let summary = move || {
        let r = listing.results.get();
        let s = listing.state.get();
        match &r.phase {
            Phase::Failed(_) => String::new(),
            Phase::Loading if r.items.is_empty() => t.get("search.searching"),
            _ if r.total == 0 && !s.q.trim().is_empty() => t.fmt("search.none", &[("q", s.q.trim())]),
            _ if r.total == 0 => t.get("search.none_filtered"),
            _ if s.q.trim().is_empty() => t.fmt("search.count_all", &[("n", &r.total.to_string())]),
            _ => t.fmt("search.count", &[("n", &r.total.to_string()), ("q", s.q.trim())]),
        }
    };
    view! {
        <div class="results-bar">
            <p class="count" role="status" aria-live="polite">{summary}</p>
            <button type="button" id="filters-toggle" class="filters-toggle" aria-controls="search-filters"
                aria-expanded=move || filters_open.get().to_string()
                on:click=move |_| super::facets::open_filters(filters_open)>
                {move || match listing.active_filters() {
                    0 => t.get("search.facets"),
                    n => t.fmt("search.filters.with_count", &[("n", &n.to_string())]),
                }}
            </button>
            <SortSelect listing=listing/>
        </div>
    }
}

#[component]
fn SortSelect(listing: Listing) -> impl IntoView {
    let t = use_i18n();
    let on_change = move |ev| {
        let sort = SortOrder::parse(&event_target_value(&ev)).unwrap_or_default();
        listing.change(|next| {
            next.sort = sort;
            next.page = 1;
        });
    };
    view! {
        <label class="sort">
            {t.tr("search.sort")}
            " "
            <select id="search-sort" on:change=on_change>
                {SortOrder::ALL
                    .into_iter()
                    .map(|o| {
                        let key = match o {
                            SortOrder::Relevance => "search.sort.relevance",
                            SortOrder::Modified => "search.sort.modified",
                            SortOrder::Title => "search.sort.title",
                        };
                        view! { <option value=o.as_str() selected=move || listing.state.get().sort == o>{t.tr(key)}</option> }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}

#[component]
pub(super) fn Pager(listing: Listing) -> impl IntoView {
    let t = use_i18n();
    move || {
        let total = listing.results.with(|r| r.total);
        let pages = total.div_ceil(PAGE_SIZE).max(1);
        (pages > 1).then(|| {
            let p = listing.state.get().page.min(pages);
            // A browse page's own address where there is one; the app follows the links
            // without a reload.
            let href = move |page: usize| {
                let mut next = listing.state.get_untracked();
                next.page = page;
                match BrowseView::of_state(&next) {
                    Some(b) => b.path(),
                    None => format!("/?{}", next.to_query()),
                }
            };
            view! {
                <nav class="pager" aria-label=t.tr("search.pages")>
                    {(p > 1).then(|| view! { <a class="prev" rel="prev" href=href(p - 1)>{t.tr("listing.prev")}</a> })}
                    <span>{move || t.fmt("listing.page", &[("page", &p.to_string()), ("pages", &pages.to_string())])}</span>
                    {(p < pages).then(|| view! { <a class="next" rel="next" href=href(p + 1)>{t.tr("listing.next")}</a> })}
                </nav>
            }
        })
    }
}
