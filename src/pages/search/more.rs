//! Phones: the next page of results loads as the list nears its end, under the ones shown.
//! The URL follows (`page=n`, replacing the entry, so Back leaves the search in one step as
//! before), and the pages shown before it are kept for this tab (sessionStorage: a dataset
//! page is another module, so Back from it loads this page again), so the list a reader
//! returns to is the one they left. Wide screens keep the pager.

use crate::search::run::{Phase, ResultsView};
use kaifang_core::catalog::DatasetSummary;
use kaifang_core::search::{SearchState, PAGE_SIZE};
use leptos::prelude::*;
use std::cell::RefCell;
use std::collections::BTreeMap;

/// Start loading when the list's end is this close below the screen's bottom.
const NEAR_PX: f64 = 600.0;
/// Narrower than this is a phone (style/search.css: 48rem).
const PHONE_MAX_PX: f64 = 768.0;

/// The search (its URL query at page 1) and the pages of it shown, by page number.
type Shown = (String, BTreeMap<usize, Vec<DatasetSummary>>);

/// Where this tab keeps them.
const SHOWN_KEY: &str = "kaifang.search.shown";

thread_local! {
    /// This page's copy, read from the tab's once.
    static SHOWN: RefCell<Shown> = RefCell::new(crate::store::session::get(SHOWN_KEY).unwrap_or_default());
}

fn base_and_page(key: &str) -> (String, usize) {
    let mut s = SearchState::from_query(key);
    let page = s.page.max(1);
    s.page = 1;
    (s.to_query(), page)
}

/// The results of the pages before the one `key` names, when they were loaded on the way
/// to it (each of them, in order).
pub fn earlier(key: &str) -> Vec<DatasetSummary> {
    let (base, page) = base_and_page(key);
    SHOWN.with_borrow(|(b, pages)| {
        if *b != base || page == 1 {
            return vec![];
        }
        let first = pages.keys().next().copied().unwrap_or(page);
        if (first..page).any(|p| !pages.contains_key(&p)) {
            return vec![];
        }
        (first..page).flat_map(|p| pages[&p].iter().cloned()).collect()
    })
}

/// Keeps the results of the page `key` names, shown before the next one loads under them.
fn remember(key: &str, items: Vec<DatasetSummary>) {
    let (base, page) = base_and_page(key);
    SHOWN.with_borrow_mut(|(b, pages)| {
        if *b != base {
            *b = base;
            pages.clear();
        }
        pages.insert(page, items);
    });
    SHOWN.with_borrow(|shown| crate::store::session::set(SHOWN_KEY, shown));
}

/// Loads the next page when a phone's reader scrolls near the list's end.
pub fn follow_scroll(state: Memo<SearchState>, results: RwSignal<ResultsView>, go: impl Fn(SearchState) + 'static) {
    let Some(w) = crate::browser::window() else { return };
    let handle = window_event_listener(leptos::ev::scroll, move |_| {
        let width = w.inner_width().ok().and_then(|v| v.as_f64()).unwrap_or(0.0);
        let height = w.inner_height().ok().and_then(|v| v.as_f64()).unwrap_or(0.0);
        if width >= PHONE_MAX_PX || results.is_disposed() {
            return;
        }
        let s = state.get_untracked();
        let (ready, total, key) = results.with_untracked(|r| (r.phase == Phase::Complete, r.total, r.key.clone()));
        if !ready || key != s.to_query() || s.page >= total.div_ceil(PAGE_SIZE) {
            return;
        }
        let Some(list) = w.document().and_then(|d| d.get_element_by_id("search-results")) else { return };
        if list.get_bounding_client_rect().bottom() > height + NEAR_PX {
            return;
        }
        remember(&key, results.with_untracked(|r| r.items.clone()));
        let mut next = s;
        next.page += 1;
        go(next);
    });
    on_cleanup(move || handle.remove());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(ids: &[&str]) -> Vec<DatasetSummary> {
        ids.iter()
            .map(|id| {
                serde_json::from_value(serde_json::json!({
                "id": id, "title": id, "theme": "t", "publisher": { "id": "p", "name": "p" }, "open": "unconditional",
                "status": "open", "modified": "2026-01-01"
            })).expect("a summary")
            })
            .collect()
    }

    fn ids(v: Vec<DatasetSummary>) -> Vec<String> {
        v.into_iter().map(|s| s.id).collect()
    }

    #[test]
    fn the_pages_loaded_on_the_way_come_before_the_current_one_of_the_same_search_only() {
        remember("q=%E5%85%AC%E4%BA%A4", items(&["a", "b"]));
        remember("q=%E5%85%AC%E4%BA%A4&page=2", items(&["c"]));
        assert_eq!(ids(earlier("q=%E5%85%AC%E4%BA%A4&page=3")), ["a", "b", "c"]);
        assert_eq!(ids(earlier("q=%E5%85%AC%E4%BA%A4&page=2")), ["a", "b"]);
        assert!(earlier("q=%E5%85%AC%E4%BA%A4").is_empty(), "page 1 has nothing before it");
        assert!(earlier("q=x&page=2").is_empty(), "another search");
        // A new search starts over.
        remember("q=x&page=2", items(&["d"]));
        assert_eq!(ids(earlier("q=x&page=3")), ["d"]);
        assert!(earlier("q=%E5%85%AC%E4%BA%A4&page=2").is_empty());
    }
}
