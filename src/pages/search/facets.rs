//! The facet panel: each facet's values with counts that follow the query, as checkboxes.
//! On phones it is a drawer behind one "筛选" control, modal while open (style/search.css).

use super::{Counts, Listing};
use crate::i18n::{use_i18n, I18n, Lang};
use kaifang_core::search::{Facet, FacetValue, FacetVocab, SearchState};
use leptos::prelude::*;

/// How many values a facet shows before "show all".
const FACET_PREVIEW: usize = 8;

#[component]
pub(super) fn FacetPanel(
    listing: Listing,
    vocab: Memo<Option<FacetVocab>>,
    open: RwSignal<bool>,
    last_counts: RwSignal<Option<Counts>>,
) -> impl IntoView {
    let t = use_i18n();
    let results = listing.results;
    let refocus = StoredValue::new(None::<String>);
    move || {
        let vocab = vocab.get()?;
        let s = listing.state.get();
        let counts = results.with(|r| r.facets.clone()).or_else(|| last_counts.get());
        let busy = results.with(|r| r.facets.is_none());
        let total = results.with(|r| r.total);
        // The panel is built anew as counts arrive: the checkbox just toggled keeps the focus.
        if let Some(id) = refocus.get_value() {
            refocus_if_lost(id);
        }
        Some(view! {
            <aside id="search-filters" class="facets" class:open=move || open.get()
                aria-label=t.tr("search.facets") aria-busy=move || busy.to_string()>
                <div class="facets-head">
                    <h2 id="search-filters-title" tabindex="-1">{t.tr("search.facets")}</h2>
                    <button type="button" class="filters-clear" disabled=move || listing.active_filters() == 0
                        on:click=move |_| {
                            listing.change(|next| {
                                next.filters.clear();
                                next.page = 1;
                            });
                            // The button goes disabled under the focus: keep it in the drawer.
                            focus_later("search-filters-title");
                        }>{t.tr("search.filters.clear")}</button>
                    <button type="button" class="primary filters-done" on:click=move |_| close_filters(open)>
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
                            listing.change(|next| next.toggle(f, &key));
                        }/> }
                    })
                    .collect_view()}
            </aside>
        })
    }
}

/// Gives the focus back to the element `id` after the next frame, if it was lost (the
/// element it was on was replaced).
fn refocus_if_lost(id: String) {
    request_animation_frame(move || {
        let doc = crate::browser::window().and_then(|w| w.document());
        let lost = doc.as_ref().and_then(|d| d.active_element()).is_none_or(|a| a.tag_name() == "BODY");
        let el = doc
            .and_then(|d| d.get_element_by_id(&id))
            .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok());
        if let (true, Some(el)) = (lost, el) {
            let _ = el.focus();
        }
    });
}

/// Escape closes the drawer wherever the focus is in it (a re-rendered list drops it).
pub(super) fn close_on_escape(open: RwSignal<bool>) {
    if crate::browser::window().is_some() {
        let esc = window_event_listener(leptos::ev::keydown, move |ev| {
            if ev.key() == "Escape" && !open.is_disposed() {
                close_filters(open);
            }
        });
        on_cleanup(move || esc.remove());
    }
}

/// Opens the phones' filter drawer and moves focus into it.
pub(super) fn open_filters(open: RwSignal<bool>) {
    open.set(true);
    set_behind_inert(true);
    focus_later("search-filters-title");
}

/// While the drawer covers the screen, what lies behind it is out of reach of Tab and of a
/// screen reader (an <aside> may not take the dialog role; inert makes it modal).
fn set_behind_inert(on: bool) {
    let Some(doc) = crate::browser::window().and_then(|w| w.document()) else { return };
    for sel in [
        "#app .skip-link",
        "#app .site-header",
        "#app .search-page > h1",
        "#app .search-form",
        "#app .search-layout > .results",
        "#app .site-footer",
    ] {
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
            shown.push((
                usize::MAX,
                FacetValue { key: key.clone(), label: key.clone(), label_en: None, count: 0 },
                Some(0),
                true,
            ));
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

pub(super) fn facet_key(f: Facet) -> &'static str {
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
pub(super) fn value_label(t: I18n, facet: Facet, v: &FacetValue) -> impl Fn() -> String + Send + Sync + 'static {
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
