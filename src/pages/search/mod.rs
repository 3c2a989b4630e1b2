//! The front page: search and listing in one (B4). The URL is the state: typing, facets,
//! sort and paging all change the URL, and the results follow the URL, so every view is
//! a shareable link and back/forward restore it.

//!
//! Its parts: `facets` (the facet panel, a drawer on phones), `bar` (the count, the filter
//! control, the sort and the pager), `more` (phones load the next page as the list ends).

use crate::app::use_catalog;
use crate::components::error_box::ErrorBox;
use crate::i18n::{use_i18n, I18n};
use crate::pages::card::DatasetCard;
use crate::search::run::{next_generation, run, Phase, ResultsView};

mod bar;
mod facets;
mod more;
use facets::{facet_key, value_label};
use kaifang_core::catalog::CatalogIndex;
use kaifang_core::search::{BrowseView, Facet, FacetValue, FacetVocab, SearchState, BROWSE_FACETS};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use std::time::Duration;

/// Wait this long after the last keystroke before searching: fast typists do not
/// start a search per character, and one frame of feedback still feels immediate.
const DEBOUNCE: Duration = Duration::from_millis(120);

/// The page's state and the one way to change it, shared by its parts: a control builds
/// the next state and goes to its URL; the results follow the URL.
#[derive(Clone, Copy)]
struct Listing {
    state: Memo<SearchState>,
    results: RwSignal<ResultsView>,
    go: Callback<(SearchState, bool)>,
}

impl Listing {
    /// `replace`: the history entry is replaced (typing on), not added.
    fn go(&self, next: SearchState, replace: bool) {
        self.go.run((next, replace));
    }

    /// The current state as `change` leaves it, as a new history entry.
    fn change(&self, change: impl FnOnce(&mut SearchState)) {
        let mut next = self.state.get_untracked();
        change(&mut next);
        self.go(next, false);
    }

    /// How many facet values are ticked.
    fn active_filters(&self) -> usize {
        self.state.with(|s| s.filters.values().map(Vec::len).sum::<usize>())
    }
}

/// Facet counts by facet, as the search returns them.
type Counts = std::collections::BTreeMap<Facet, Vec<u32>>;

#[component]
pub fn SearchPage() -> impl IntoView {
    let t = use_i18n();
    let catalog = use_catalog();
    let location = use_location();
    // A browse page's path is its state (`/browse/theme/交通出行`); elsewhere the query is.
    let state = Memo::new(move |_| {
        let path = location.pathname.get();
        match BrowseView::from_path(&path).filter(|_| path.trim_matches('/') != "") {
            Some(b) => b.state(),
            None => SearchState::from_query(&location.search.get()),
        }
    });
    // At build time the listing's results come with the page (src/prerender.rs).
    let results = RwSignal::new(crate::prerender::built().and_then(|b| b.results).unwrap_or_default());
    crate::head::publish(move || {
        let c = catalog.get()?.ok()?;
        Some(listing_head(t, &c, &state.get()))
    });
    let navigate = StoredValue::new_local(use_navigate());
    let go = Callback::new(move |(next, replace): (SearchState, bool)| {
        let q = next.to_query();
        let url = if q.is_empty() { "/".to_string() } else { format!("/?{q}") };
        navigate.with_value(|n| n(&url, NavigateOptions { replace, scroll: false, ..Default::default() }));
    });
    let listing = Listing { state, results, go };
    let typed = Typed { input: RwSignal::new(state.get_untracked().q), pending: StoredValue::new(None) };
    // Facet counts stay on screen while new ones load, so the panel does not flicker.
    let last_counts = RwSignal::new(None::<Counts>);
    search_when_the_url_changes(listing, typed, last_counts);
    more::follow_scroll(state, results, move |next| listing.go(next, true));
    // Phones: the facets are a drawer behind one "筛选" control (style/search.css).
    let filters_open = RwSignal::new(false);
    facets::close_on_escape(filters_open);
    let vocab = Memo::new(move |_| match catalog.get() {
        Some(Ok(c)) => c.search.map(|s| s.facets),
        _ => None,
    });

    view! {
        <section class="page search-page">
            <h1>{t.tr("search.title")}</h1>
            <SearchBox listing=listing typed=typed/>
            <div class="search-layout">
                <facets::FacetPanel listing=listing vocab=vocab open=filters_open last_counts=last_counts/>
                <div class="results">
                    <bar::ResultsBar listing=listing filters_open=filters_open/>
                    {move || results.with(|r| match &r.phase {
                        Phase::Failed(e) => Some(view! { <ErrorBox error=e.clone()/> }),
                        _ => None,
                    })}
                    <ul
                        id="search-results"
                        class="dataset-list"
                        data-key=move || results.with(|r| r.key.clone())
                        data-phase=move || results.with(|r| r.phase.as_str())
                        aria-busy=move || results.with(|r| (r.phase == Phase::Loading).to_string())
                    >
                        {move || results.with(|r| {
                            more::earlier(&r.key).into_iter().chain(r.items.iter().cloned())
                                .map(|s| view! { <DatasetCard summary=s/> }).collect_view()
                        })}
                    </ul>
                    <bar::Pager listing=listing/>
                    <crate::pages::filing::RequestLink/>
                    {move || vocab.get().map(|v| view! { <BrowseLinks vocab=v/> })}
                </div>
            </div>
        </section>
    }
}

/// What is typed in the search box, and the search it will start once typing pauses.
#[derive(Clone, Copy)]
struct Typed {
    input: RwSignal<String>,
    pending: StoredValue<Option<TimeoutHandle>>,
}

/// The URL changed (typing, a click, back/forward): search again.
fn search_when_the_url_changes(listing: Listing, typed: Typed, last_counts: RwSignal<Option<Counts>>) {
    let catalog = use_catalog();
    Effect::new(move |_| {
        let s = listing.state.get();
        let Some(Ok(c)) = catalog.get() else { return };
        if typed.pending.get_value().is_none() && typed.input.get_untracked() != s.q {
            typed.input.set(s.q.clone());
        }
        let gen = next_generation();
        mark_search_start(&s.to_query());
        listing.results.update(|r| r.phase = Phase::Loading);
        spawn_local(async move {
            run(&c, &s, gen, move |view| {
                if view.facets.is_some() {
                    last_counts.set(view.facets.clone());
                }
                listing.results.set(view);
            })
            .await;
        });
    });
}

#[component]
fn SearchBox(listing: Listing, typed: Typed) -> impl IntoView {
    let t = use_i18n();
    let on_input = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        typed.input.set(value.clone());
        if let Some(h) = typed.pending.get_value() {
            h.clear();
        }
        let handle = set_timeout_with_handle(
            move || {
                typed.pending.set_value(None);
                let mut next = listing.state.get_untracked();
                // The first character of a new search adds a history entry; the rest
                // of the typing replaces it, so Back leaves the search in one step.
                let replace = !next.q.trim().is_empty();
                next.q = value.chars().take(kaifang_core::search::state::MAX_QUERY_CHARS).collect();
                next.page = 1;
                listing.go(next, replace);
            },
            DEBOUNCE,
        )
        .ok();
        typed.pending.set_value(handle);
    };
    view! {
        <form role="search" class="search-form" action="/" method="get" on:submit=move |ev| ev.prevent_default()>
            <label for="search-q" class="visually-hidden">{t.tr("search.label")}</label>
            <input
                id="search-q"
                type="search"
                autocomplete="off"
                spellcheck="false"
                maxlength="200"
                placeholder=t.tr("search.placeholder")
                prop:value=move || typed.input.get()
                name="q"
                on:input=on_input
            />
            <noscript><p class="hint">{t.tr("search.browse.needs_js")}</p></noscript>
        </form>
    }
}

/// Records when a search starts, for the benchmark (`window.__kaifangSearch`).
fn mark_search_start(key: &str) {
    let Some(w) = crate::browser::window() else { return };
    // performance.now() through js_sys, to avoid another web-sys feature.
    let now = js_sys::Reflect::get(&w, &"performance".into())
        .ok()
        .and_then(|p| {
            let f: js_sys::Function = js_sys::Reflect::get(&p, &"now".into()).ok()?.into();
            f.call0(&p).ok()?.as_f64()
        })
        .unwrap_or(0.0);
    let o = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&o, &"key".into(), &key.into());
    let _ = js_sys::Reflect::set(&o, &"started".into(), &now.into());
    let (files, bytes) = crate::search::reader::fetched();
    let _ = js_sys::Reflect::set(&o, &"files".into(), &files.into());
    let _ = js_sys::Reflect::set(&o, &"bytes".into(), &(bytes as f64).into());
    let _ = js_sys::Reflect::set(&w, &"__kaifangSearch".into(), &o);
}

/// The listing's head: the portal's front page, or a browse page named for its filter.
fn listing_head(t: I18n, c: &CatalogIndex, s: &SearchState) -> crate::head::Head {
    let mut head = crate::head::page(t, &c.portal, "search.title", "search.description", "/");
    let Some(b) = BrowseView::of_state(s) else {
        head.path = format!("/?{}", s.to_query());
        return head;
    };
    head.path = b.path();
    let mut name = match (&b.filter, c.search.as_ref()) {
        (Some((f, key)), Some(idx)) => {
            let label = idx.facets.values(*f).iter().find(|v| &v.key == key).map(|v| value_label(t, *f, v)());
            t.fmt(
                "search.browse.title",
                &[("facet", &t.get(facet_key(*f))), ("value", &label.unwrap_or_else(|| key.clone()))],
            )
        }
        _ => t.get("search.title"),
    };
    if b.page > 1 {
        name = format!("{name} · {}", t.fmt("search.browse.page", &[("page", &b.page.to_string())]));
    }
    head.title = format!("{name} · {}", crate::head::portal_name(t, &c.portal));
    head
}

/// Links to every domain's and department's browse page: the whole catalog can be walked
/// without JavaScript, and crawlers find every dataset page from the front page.
#[component]
fn BrowseLinks(vocab: FacetVocab) -> impl IntoView {
    let t = use_i18n();
    view! {
        <nav class="browse" aria-labelledby="browse-heading">
            <h2 id="browse-heading">{t.tr("search.browse.heading")}</h2>
            {BROWSE_FACETS.into_iter().map(|f| {
                let values: Vec<FacetValue> = vocab.values(f).iter().filter(|v| v.count > 0).cloned().collect();
                view! {
                    <h3>{t.tr(facet_key(f))}</h3>
                    <ul class="browse-links">
                        {values.into_iter().map(|v| {
                            let href = BrowseView { filter: Some((f, v.key.clone())), page: 1 }.path();
                            view! { <li><a href=href>{value_label(t, f, &v)}" "<span class="facet-count">{v.count}</span></a></li> }
                        }).collect_view()}
                    </ul>
                }
            }).collect_view()}
        </nav>
    }
}
