//! The virtually scrolled table: whatever the row count, only the rows in the window are in
//! the DOM. The scroller holds a tall spacer (capped, so a billion-pixel element is never
//! asked for) and the table sticks to its top; the scroll position picks the first row.
//!
//! The rows are a fixed pool of `<tr>` slots (one per visible line), each showing whichever
//! row is at its place in the window: scrolling changes text in place, it does not create
//! or remove elements (that made frames of 30–55 ms when a fling replaced every row).

use super::loader::{ensure_rows, next_sort};
use super::pick::{use_pick, Pick};
use super::{use_preview, PreviewData};
use crate::i18n::use_i18n;
use kaifang_core::table::index::Direction;
use leptos::prelude::*;
use std::sync::Arc;

/// Fixed row height in pixels (also in style/main.css: `.grid td`).
pub const ROW_H: f64 = 32.0;
const HEADER_H: f64 = 40.0;
/// Screens of rows read ahead of the window in the direction of scrolling.
const READ_AHEAD_SCREENS: usize = 8;
/// How long a fling must have stopped before its window is read.
const FLING_SETTLE_MS: u64 = 60;
/// Browsers stop growing elements somewhere past 16 million pixels.
const MAX_SPACER_PX: f64 = 12_000_000.0;

#[derive(Clone, PartialEq)]
struct WindowRow {
    /// Position in the current view (0-based).
    pos: usize,
    /// Row of the file (0-based).
    file_row: u32,
    cells: Option<Arc<Vec<String>>>,
}

pub(super) fn cells_of(data: PreviewData, file_row: u32) -> Option<Arc<Vec<String>>> {
    // The cache holds shared rows (no copying per frame); the first rows are copied into it
    // once, when first shown.
    if let Some(r) = data.cache.with_value(|c| c.get(&file_row).cloned()) {
        return Some(r);
    }
    let r = Arc::new(data.first_rows.with(|t| t.rows.get(file_row as usize).cloned())?);
    data.cache.update_value(|c| {
        c.insert(file_row, r.clone());
    });
    Some(r)
}

#[component]
pub fn Grid() -> impl IntoView {
    let data = use_preview().expect("Grid is used inside Preview");
    let pick = use_pick().expect("Grid is used inside Preview");
    let t = use_i18n();
    let scroll_top = RwSignal::new(0.0f64);
    let viewport = RwSignal::new(480.0f64);
    let fetching = RwSignal::new(false);
    let total = Memo::new(move |_| data.total_rows());
    let visible = move || ((viewport.get() - HEADER_H).max(ROW_H) / ROW_H).ceil() as usize + 1;
    let spacer = move || (total.get() as f64 * ROW_H + HEADER_H).min(MAX_SPACER_PX);
    let first = Memo::new(move |_| {
        let total = total.get();
        let vis = visible();
        let max_first = total.saturating_sub(vis.saturating_sub(1));
        let range = spacer() - viewport.get();
        if range <= 0.0 || max_first == 0 {
            0
        } else {
            (((scroll_top.get() / range).clamp(0.0, 1.0)) * max_first as f64).round() as usize
        }
    });
    let file_row_at = move |pos: usize| -> u32 {
        data.order.with(|o| o.as_ref().map(|o| o.get(pos).copied().unwrap_or(u32::MAX)).unwrap_or(pos as u32))
    };
    let window = Memo::new(move |_| {
        data.cache_version.track();
        let f = first.get();
        let n = visible().min(total.get().saturating_sub(f));
        (f..f + n)
            .map(|pos| {
                let file_row = file_row_at(pos);
                WindowRow { pos, file_row, cells: cells_of(data, file_row) }
            })
            .collect::<Vec<_>>()
    });
    let slots = Memo::new(move |_| window.with(Vec::len));
    // Read the rows of this window by byte range when they are missing, with the screens
    // ahead in the direction of scrolling: one request then covers the next several frames
    // (reading only the window kept the table a round trip behind at a wheel's pace).
    let last_first = StoredValue::new(0usize);
    // In a fling (the window jumps more than a screen on frame after frame) rows read for one
    // frame are gone before they arrive, and reading them costs frames: the first jump reads,
    // later ones wait until the window has stayed put for FLING_SETTLE_MS.
    let settled = RwSignal::new(0u64);
    let fling = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |_| {
        data.cache_version.track();
        settled.track();
        let busy = fetching.get();
        let f = first.get();
        let last = last_first.get_value();
        let down = f >= last;
        last_first.set_value(f);
        let vis = visible();
        if f.abs_diff(last) > vis {
            let in_fling = fling.get_value().is_some();
            if let Some(h) = fling.get_value() {
                h.clear();
            }
            let settle = move || {
                fling.set_value(None);
                settled.update(|n| *n += 1);
            };
            fling.set_value(set_timeout_with_handle(settle, std::time::Duration::from_millis(FLING_SETTLE_MS)).ok());
            if in_fling {
                return;
            }
        }
        if busy {
            return;
        }
        let total = total.get();
        // A sorted or filtered view scatters its rows over the file, one request per cluster:
        // there, read ahead only a screen or two.
        let screens = if data.order.with_untracked(Option::is_some) { 2 } else { READ_AHEAD_SCREENS };
        let (behind, ahead) = if down { (vis, screens * vis) } else { (screens * vis, 2 * vis) };
        let from = f.saturating_sub(behind);
        let to = (f + ahead).min(total);
        let wanted: Vec<u32> = (from..to).map(file_row_at).filter(|r| *r != u32::MAX).collect();
        ensure_rows(data, fetching, wanted);
    });

    let columns = move || data.layout.with(|l| l.as_ref().map(|l| l.columns.clone()).unwrap_or_default());
    let header = move || {
        columns()
            .into_iter()
            .enumerate()
            .map(|(i, name)| {
                let sort_state = move || data.sort.get().filter(|(c, _)| *c == i).map(|(_, d)| d);
                let aria = move || match sort_state() {
                    Some(Direction::Ascending) => "ascending",
                    Some(Direction::Descending) => "descending",
                    None => "none",
                };
                let arrow = move || match sort_state() {
                    Some(Direction::Ascending) => " ▲",
                    Some(Direction::Descending) => " ▼",
                    None => "",
                };
                let label = name.clone();
                let pick_label = name.clone();
                view! {
                    <th scope="col" aria-sort=aria class:picked=move || pick.columns.with(|c| c.contains(&i))>
                        <Show when=move || pick.on.get()>
                            <input type="checkbox" class="pick-col" data-col=i.to_string()
                                aria-label={ let l = pick_label.clone(); move || t.fmt("preview.pick.column", &[("name", &l)]) }
                                prop:checked=move || pick.columns.with(|c| c.contains(&i))
                                on:change=move |ev| pick.toggle_column(i, event_target_checked(&ev))/>
                        </Show>
                        <button
                            type="button"
                            class="sort"
                            title=move || format!("{} {}", t.get("preview.sort_by"), label)
                            on:click=move |_| {
                                data.sort.set(next_sort(data.sort.get_untracked(), i));
                                super::loader::apply_view(data);
                            }
                        >
                            {name}{arrow}
                        </button>
                    </th>
                }
            })
            .collect_view()
    };
    let width = move || format!("width: max(100%, {}rem)", 3.5 + 9.0 * columns().len() as f64);

    view! {
        <div
            class="grid-scroller"
            tabindex="0"
            role="region"
            aria-label=t.tr("preview.table_label")
            on:scroll=move |ev| {
                let el = event_target::<web_sys::HtmlElement>(&ev);
                scroll_top.set(el.scroll_top() as f64);
                let h = el.client_height() as f64;
                if viewport.get_untracked() != h {
                    viewport.set(h);
                }
            }
        >
            <div class="grid-spacer" style=move || format!("height: {}px", spacer())>
                <table class="grid" class:picking=move || pick.on.get() style=width aria-rowcount=move || (total.get() + 1).to_string()>
                    <thead>
                        <tr aria-rowindex="1">
                            <th scope="col" class="rownum">"#"</th>
                            {header}
                        </tr>
                    </thead>
                    <tbody>
                        <For
                            each=move || 0..slots.get()
                            key=|slot| *slot
                            children=move |slot| view! { <PoolRow window=window place=slot pick=pick/> }
                        />
                    </tbody>
                </table>
            </div>
        </div>
        // Not a live region: it changes on every scrolled frame.
        <p class="grid-count">
            {move || {
                let total = total.get();
                let f = first.get();
                let last = (f + visible()).min(total);
                t.fmt("preview.showing", &[("from", &(f + 1).min(total).to_string()), ("to", &last.to_string()), ("total", &total.to_string())])
            }}
        </p>
    }
}

/// One slot of the row pool: the `place`-th row of the window, whichever that is now.
#[component]
fn PoolRow(window: Memo<Vec<WindowRow>>, place: usize, pick: Pick) -> impl IntoView {
    let t = use_i18n();
    let row = Memo::new(move |_| window.with(|w| w.get(place).cloned()));
    let loaded = move || row.with(|r| r.as_ref().is_some_and(|r| r.cells.is_some()));
    let file_row = move || row.with(|r| r.as_ref().map_or(0, |r| r.file_row));
    let picked = move || pick.rows.with(|p| p.contains(&file_row()));
    // A ragged row keeps all its cells; a row not read yet shows one placeholder cell.
    let width = Memo::new(move |_| row.with(|r| r.as_ref().and_then(|r| r.cells.as_ref()).map_or(1, |c| c.len().max(1))));
    let text = move |i: usize| {
        row.with(|r| match r.as_ref().map(|r| &r.cells) {
            Some(Some(cells)) => cells.get(i).cloned().unwrap_or_default(),
            Some(None) if i == 0 => "…".to_string(),
            _ => String::new(),
        })
    };
    let number = move || (file_row() as u64 + 1).to_string();
    view! {
        <tr
            aria-rowindex=move || row.with(|r| r.as_ref().map_or(0, |r| r.pos + 2).to_string())
            class:loading=move || !loaded()
            class:picked=picked
            data-row=move || file_row().to_string()
        >
            <th scope="row" class="rownum">
                <Show when=move || pick.on.get()>
                    <input type="checkbox" class="pick-row" data-row=number
                        aria-label=move || t.fmt("preview.pick.row", &[("n", &number())])
                        prop:checked=picked
                        on:change=move |ev| pick.toggle_row(file_row(), event_target_checked(&ev))/>
                </Show>
                {number}
            </th>
            <For
                each=move || 0..width.get()
                key=|i| *i
                children=move |col| view! {
                    // While picking, a click on a cell picks it for an error report
                    // (keyboard users pick one row and one column instead). The full text
                    // of a cut-off cell shows as a tooltip, set when the pointer arrives:
                    // a title kept current on every scrolled frame doubled its DOM writes.
                    <td on:pointerenter=move |ev| { event_target::<web_sys::HtmlElement>(&ev).set_title(&text(col)) }
                        class:placeholder=move || !loaded()
                        class:picked=move || pick.columns.with(|p| p.contains(&col))
                        class:picked-cell=move || pick.cell.get() == Some((file_row(), col))
                        on:click=move |_| if pick.on.get_untracked() && loaded() { pick.cell.set(Some((file_row(), col))) }>
                        {move || text(col)}
                    </td>
                }
            />
        </tr>
    }
}
