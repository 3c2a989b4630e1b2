//! The front page: search and listing in one (B4). The URL is the state: typing, facets,
//! sort and paging all change the URL, and the results follow the URL, so every view is
//! a shareable link and back/forward restore it.

use crate::app::use_catalog;
use crate::components::error_box::ErrorBox;
use crate::i18n::{use_i18n, I18n, Lang};
use crate::pages::card::DatasetCard;
use crate::search::run::{next_generation, run, Phase};

mod more;
use kaifang_core::catalog::CatalogIndex;
use kaifang_core::search::{BrowseView, Facet, FacetValue, FacetVocab, SearchState, SortOrder, BROWSE_FACETS, PAGE_SIZE};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use std::time::Duration;

/// Wait this long after the last keystroke before searching: fast typists do not
/// start a search per character, and one frame of feedback still feels immediate.
const DEBOUNCE: Duration = Duration::from_millis(120);

/// How many values a facet shows before "show all".
const FACET_PREVIEW: usize = 8;

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
    let input = RwSignal::new(state.get_untracked().q);
    let pending = StoredValue::new(None::<TimeoutHandle>);
    // At build time the listing's results come with the page (src/prerender.rs).
    let results = RwSignal::new(crate::prerender::built().and_then(|b| b.results).unwrap_or_default());
    crate::head::publish(move || {
        let c = catalog.get()?.ok()?;
        Some(listing_head(t, &c, &state.get()))
    });
    // Phones: the facets are a drawer behind one "筛选" control (style/search.css).
    let filters_open = RwSignal::new(false);
    let active = Memo::new(move |_| state.with(|s| s.filters.values().map(Vec::len).sum::<usize>()));
    // Facet counts stay on screen while new ones load, so the panel does not flicker.
    let last_counts = RwSignal::new(None::<std::collections::BTreeMap<Facet, Vec<u32>>>);

    let navigate = StoredValue::new_local(use_navigate());
    let go = move |next: SearchState, replace: bool| {
        let q = next.to_query();
        let url = if q.is_empty() { "/".to_string() } else { format!("/?{q}") };
        navigate.with_value(|n| n(&url, NavigateOptions { replace, scroll: false, ..Default::default() }));
    };

    // The URL changed (typing, a click, back/forward): search again.
    Effect::new(move |_| {
        let s = state.get();
        let Some(Ok(c)) = catalog.get() else { return };
        if pending.get_value().is_none() && input.get_untracked() != s.q {
            input.set(s.q.clone());
        }
        let gen = next_generation();
        mark_search_start(&s.to_query());
        results.update(|r| {
            r.phase = Phase::Loading;
        });
        spawn_local(async move {
            run(&c, &s, gen, move |view| {
                if view.facets.is_some() {
                    last_counts.set(view.facets.clone());
                }
                results.set(view);
            })
            .await;
        });
    });

    let on_input = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        input.set(value.clone());
        if let Some(h) = pending.get_value() {
            h.clear();
        }
        let handle = set_timeout_with_handle(
            move || {
                pending.set_value(None);
                let mut next = state.get_untracked();
                // The first character of a new search adds a history entry; the rest
                // of the typing replaces it, so Back leaves the search in one step.
                let replace = !next.q.trim().is_empty();
                next.q = value.chars().take(kaifang_core::search::state::MAX_QUERY_CHARS).collect();
                next.page = 1;
                go(next, replace);
            },
            DEBOUNCE,
        )
        .ok();
        pending.set_value(handle);
    };

    let vocab = Memo::new(move |_| match catalog.get() {
        Some(Ok(c)) => c.search.map(|s| s.facets),
        _ => None,
    });

    let refocus = StoredValue::new(None::<String>);
    let facet_panel = move || {
        let vocab = vocab.get()?;
        let s = state.get();
        let counts = results.with(|r| r.facets.clone()).or_else(|| last_counts.get());
        let busy = results.with(|r| r.facets.is_none());
        let total = results.with(|r| r.total);
        // The panel is built anew as counts arrive: the checkbox just toggled keeps the focus.
        if let Some(id) = refocus.get_value() {
            request_animation_frame(move || {
                let doc = crate::browser::window().and_then(|w| w.document());
                let lost = doc.as_ref().and_then(|d| d.active_element()).is_none_or(|a| a.tag_name() == "BODY");
                let el = doc.and_then(|d| d.get_element_by_id(&id)).and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok());
                if let (true, Some(el)) = (lost, el) {
                    let _ = el.focus();
                }
            });
        }
        Some(view! {
            <aside id="search-filters" class="facets" class:open=move || filters_open.get()
                aria-label=t.tr("search.facets") aria-busy=move || busy.to_string()
>
                <div class="facets-head">
                    <h2 id="search-filters-title" tabindex="-1">{t.tr("search.facets")}</h2>
                    <button type="button" class="filters-clear" disabled=move || active.get() == 0
                        on:click=move |_| {
                            let mut next = state.get_untracked();
                            next.filters.clear();
                            next.page = 1;
                            go(next, false);
                            // The button goes disabled under the focus: keep it in the drawer.
                            focus_later("search-filters-title");
                        }>{t.tr("search.filters.clear")}</button>
                    <button type="button" class="primary filters-done" on:click=move |_| close_filters(filters_open)>
                        {move || t.fmt("search.filters.show", &[("n", &total.to_string())])}
                    </button>
                </div>
                {Facet::ALL
                    .into_iter()
                    .map(|f| {
                        let values = vocab.values(f).to_vec();
                        let counts = counts.as_ref().and_then(|c| c.get(&f).cloned());
                        view! { <FacetGroup facet=f values=values counts=counts state=s.clone() on_toggle=move |key: String| {
                            refocus.set_value(Some(facet_input_id(f, &key)));
                            let mut next = state.get_untracked();
                            next.toggle(f, &key);
                            go(next, false);
                        }/> }
                    })
                    .collect_view()}
            </aside>
        })
    };

    let summary = move || {
        let r = results.get();
        let s = state.get();
        match &r.phase {
            Phase::Failed(_) => String::new(),
            Phase::Loading if r.items.is_empty() => t.get("search.searching"),
            _ if r.total == 0 && !s.q.trim().is_empty() => t.fmt("search.none", &[("q", s.q.trim())]),
            _ if r.total == 0 => t.get("search.none_filtered"),
            _ if s.q.trim().is_empty() => t.fmt("search.count_all", &[("n", &r.total.to_string())]),
            _ => t.fmt("search.count", &[("n", &r.total.to_string()), ("q", s.q.trim())]),
        }
    };

    let pager = move || {
        let total = results.with(|r| r.total);
        let s = state.get();
        let pages = total.div_ceil(PAGE_SIZE).max(1);
        (pages > 1).then(|| {
            let p = s.page.min(pages);
            // Real links (a browse page's own address where there is one), so paging works
            // without JavaScript and for crawlers; the app follows them without a reload.
            let href = move |page: usize| {
                let mut next = state.get_untracked();
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
    };

    more::follow_scroll(state, results, move |next| go(next, true));
    // Escape closes the drawer wherever the focus is in it (a re-rendered list drops it).
    if crate::browser::window().is_some() {
        let esc = window_event_listener(leptos::ev::keydown, move |ev| {
            if ev.key() == "Escape" && !filters_open.is_disposed() {
                close_filters(filters_open);
            }
        });
        on_cleanup(move || esc.remove());
    }

    view! {
        <section class="page search-page">
            <h1>{t.tr("search.title")}</h1>
            <form role="search" class="search-form" action="/" method="get" on:submit=move |ev| ev.prevent_default()>
                <label for="search-q" class="visually-hidden">{t.tr("search.label")}</label>
                <input
                    id="search-q"
                    type="search"
                    autocomplete="off"
                    spellcheck="false"
                    maxlength="200"
                    placeholder=t.tr("search.placeholder")
                    prop:value=move || input.get()
                    name="q"
                    on:input=on_input
                />
                <noscript><p class="hint">{t.tr("search.browse.needs_js")}</p></noscript>
            </form>
            <div class="search-layout">
                {facet_panel}
                <div class="results">
                    <div class="results-bar">
                        <p class="count" role="status" aria-live="polite">{summary}</p>
                        <button type="button" id="filters-toggle" class="filters-toggle" aria-controls="search-filters"
                            aria-expanded=move || filters_open.get().to_string()
                            on:click=move |_| open_filters(filters_open)>
                            {move || match active.get() {
                                0 => t.get("search.facets"),
                                n => t.fmt("search.filters.with_count", &[("n", &n.to_string())]),
                            }}
                        </button>
                        <label class="sort">
                            {t.tr("search.sort")}
                            " "
                            <select
                                id="search-sort"
                                on:change=move |ev| {
                                    let mut next = state.get_untracked();
                                    next.sort = SortOrder::parse(&event_target_value(&ev)).unwrap_or_default();
                                    next.page = 1;
                                    go(next, false);
                                }
                            >
                                {SortOrder::ALL
                                    .into_iter()
                                    .map(|o| {
                                        let key = match o {
                                            SortOrder::Relevance => "search.sort.relevance",
                                            SortOrder::Modified => "search.sort.modified",
                                            SortOrder::Title => "search.sort.title",
                                        };
                                        view! { <option value=o.as_str() selected=move || state.get().sort == o>{t.tr(key)}</option> }
                                    })
                                    .collect_view()}
                            </select>
                        </label>
                    </div>
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
                    {pager}
                    <crate::pages::filing::RequestLink/>
                    {move || vocab.get().map(|v| view! { <BrowseLinks vocab=v/> })}
                </div>
            </div>
        </section>
    }
}

/// Opens the phones' filter drawer and moves focus into it.
fn open_filters(open: RwSignal<bool>) {
    open.set(true);
    set_behind_inert(true);
    focus_later("search-filters-title");
}

/// While the drawer covers the screen, what lies behind it is out of reach of Tab and of a
/// screen reader (an <aside> may not take the dialog role; inert makes it modal).
fn set_behind_inert(on: bool) {
    let Some(doc) = crate::browser::window().and_then(|w| w.document()) else { return };
    for sel in ["#app .skip-link", "#app .site-header", "#app .search-page > h1", "#app .search-form", "#app .search-layout > .results", "#app .site-footer"] {
        if let Some(el) = doc.query_selector(sel).ok().flatten() {
            let _ = if on { el.set_attribute("inert", "") } else { el.remove_attribute("inert") };
        }
    }
}

/// Closes the drawer and gives focus back to its control.
fn close_filters(open: RwSignal<bool>) {
    if open.get_untracked() {
        open.set(false);
        set_behind_inert(false);
        focus_later("filters-toggle");
    }
}

fn focus_later(id: &'static str) {
    request_animation_frame(move || {
        let el = crate::browser::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id));
        if let Some(el) = el.and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok()) {
            let _ = el.focus();
        }
    });
}

/// One facet: its values with counts that follow the query, as checkboxes.
#[component]
fn FacetGroup(
    facet: Facet,
    values: Vec<FacetValue>,
    counts: Option<Vec<u32>>,
    state: SearchState,
    on_toggle: impl Fn(String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let t = use_i18n();
    let expanded = RwSignal::new(false);
    // Values worth showing: those with datasets under the current view, and selected ones.
    let mut shown: Vec<(usize, FacetValue, Option<u32>, bool)> = values
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            let n = counts.as_ref().and_then(|c| c.get(i).copied());
            let selected = state.is_selected(facet, &v.key);
            (i, v, n, selected)
        })
        .filter(|(_, v, n, selected)| *selected || n.map_or(v.count > 0, |n| n > 0))
        .collect();
    // Selected values whose key the catalog does not know (an old link) stay removable.
    for key in state.filters.get(&facet).into_iter().flatten() {
        if !shown.iter().any(|(_, v, _, _)| &v.key == key) {
            shown.push((usize::MAX, FacetValue { key: key.clone(), label: key.clone(), label_en: None, count: 0 }, Some(0), true));
        }
    }
    if shown.is_empty() {
        return None;
    }
    shown.sort_by(|a, b| b.3.cmp(&a.3).then(b.2.unwrap_or(0).cmp(&a.2.unwrap_or(0))).then(a.0.cmp(&b.0)));
    let more = shown.len() > FACET_PREVIEW;
    let param = facet.param();
    Some(view! {
        <fieldset class="facet" data-facet=param>
            <legend>{t.tr(facet_key(facet))}</legend>
            <ul>
                {shown
                    .into_iter()
                    .enumerate()
                    .map(|(rank, (_, v, n, selected))| {
                        let id = facet_input_id(facet, &v.key);
                        let key = v.key.clone();
                        let label = value_label(t, facet, &v);
                        let beyond_preview = rank >= FACET_PREVIEW;
                        view! {
                            <li class:hidden=move || !expanded.get() && beyond_preview>
                                <input type="checkbox" id=id.clone() checked=selected data-key=v.key.clone()
                                    on:change=move |_| on_toggle(key.clone())/>
                                <label for=id>
                                    <span class="facet-label">{label}</span>
                                    <span class="facet-count">{n.map(|n| n.to_string()).unwrap_or_else(|| "…".into())}</span>
                                </label>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            {more.then(|| view! {
                <button type="button" class="facet-more" aria-expanded=move || expanded.get().to_string()
                    on:click=move |_| expanded.update(|e| *e = !*e)>
                    {move || if expanded.get() { t.get("search.facet.fewer") } else { t.get("search.facet.more") }}
                </button>
            })}
        </fieldset>
    })
}

/// The checkbox of a facet value (its key hex-encoded: keys are catalog text).
fn facet_input_id(facet: Facet, key: &str) -> String {
    format!("facet-{}-{}", facet.param(), key.bytes().map(|b| format!("{b:02x}")).collect::<String>())
}

fn facet_key(f: Facet) -> &'static str {
    match f {
        Facet::Theme => "search.facet.theme",
        Facet::Department => "search.facet.department",
        Facet::Open => "search.facet.open",
        Facet::Format => "search.facet.format",
        Facet::Frequency => "search.facet.frequency",
        Facet::Region => "search.facet.region",
        Facet::Level => "search.facet.level",
        Facet::Status => "search.facet.status",
    }
}

/// The label of a facet value: catalog text for domains, departments and regions;
/// UI messages for the fixed vocabularies.
fn value_label(t: I18n, facet: Facet, v: &FacetValue) -> impl Fn() -> String + Send + Sync + 'static {
    let v = v.clone();
    move || match facet {
        Facet::Open => t.get(&format!("open.{}", v.key)),
        Facet::Status => t.get(&format!("status.{}", v.key)),
        Facet::Frequency => t.get(&format!("search.freq.{}", v.key)),
        Facet::Level => t.get(&format!("search.level.{}", v.key)),
        _ => match (t.lang(), &v.label_en) {
            (Lang::En, Some(en)) => en.clone(),
            _ => v.label.clone(),
        },
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
            t.fmt("search.browse.title", &[("facet", &t.get(facet_key(*f))), ("value", &label.unwrap_or_else(|| key.clone()))])
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
