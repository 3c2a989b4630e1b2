//! The virtually scrolled table: whatever the row count, only the rows in the window are in
//! the DOM. The scroller holds a tall spacer (capped, so a billion-pixel element is never
//! asked for) and the table sticks to its top; the scroll position picks the first row.
//!
//! The rows are a fixed pool of `<tr>` slots (one per visible line), each showing whichever
//! row is at its place in the window: scrolling changes text in place, it does not create
//! or remove elements (that made frames of 30–55 ms when a fling replaced every row).

use super::loader::{ensure_rows, next_sort};
use super::pick::{use_pick, Pick};
use super::{use_preview, window, PreviewData};
use crate::i18n::use_i18n;
use kaifang_core::table::index::Direction;
use leptos::prelude::*;
use std::collections::BTreeSet;
use std::sync::Arc;
use wasm_bindgen::JsCast;

/// How long a fling must have stopped before its window is read.
const FLING_SETTLE_MS: u64 = 60;
/// The spacer is as tall as the rows, up to just under the tallest element the browser lays
/// out (`browser::layout_limit_px`: ~31.9 M px in Chromium, ~17 M in Firefox). Past it,
/// scrolling is scaled — 48 M px of rows for the 1.5 M-row sample: 100 px of scrollbar moves
/// 4.7 rows in Chromium (9.4 at the 16 M px it was capped at for every engine, 12.5 at 12 M) —
/// so the higher the cap, the fewer new rows each scrolled frame lays out and paints.
fn spacer_cap() -> f64 {
    crate::browser::layout_limit_px()
}

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
    let visible = move || window::visible_rows(viewport.get());
    let spacer = move || window::spacer_px(total.get(), spacer_cap());
    let first = Memo::new(move |_| window::first_row(scroll_top.get(), viewport.get(), total.get(), spacer_cap()));
    let file_row_at = move |pos: usize| -> u32 {
        data.order.with(|o| o.as_ref().map(|o| o.get(pos).copied().unwrap_or(u32::MAX)).unwrap_or(pos as u32))
    };
    let window = Memo::new(move |_| {
        data.cache_version.track();
        window::shown(first.get(), visible(), total.get())
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
        if window::jumped(f, last, vis) {
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
        let scattered = data.order.with_untracked(Option::is_some);
        let span = window::read_span(f, vis, total.get(), down, scattered);
        let wanted: Vec<u32> = span.map(file_row_at).filter(|r| *r != u32::MAX).collect();
        ensure_rows(data, fetching, wanted);
    });

    let columns = move || data.layout.with(|l| l.as_ref().map(|l| l.columns.clone()).unwrap_or_default());
    let column_count = Memo::new(move |_| data.layout.with(|l| l.as_ref().map_or(0, |l| l.columns.len())));
    let width = move || format!("width: max(100%, {}rem)", 3.5 + 9.0 * columns().len() as f64);
    // The row a tap opened as a card of field: value (a phone shows a few columns at once).
    let card = RwSignal::new(None::<u32>);

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
                            <HeaderCells columns=Signal::derive(columns)/>
                        </tr>
                    </thead>
                    <tbody on:pointerover=move |ev| show_title(&ev) on:click=move |ev| {
                        pick_cell(&ev, pick);
                        open_card(&ev, pick, card);
                    }>
                        <For
                            each=move || 0..slots.get()
                            key=|slot| *slot
                            children=move |slot| view! { <PoolRow window=window place=slot columns=column_count pick=pick card=card/> }
                        />
                    </tbody>
                </table>
            </div>
        </div>
        <RowCard card=card columns=Signal::derive(columns)/>
        // Not a live region: it changes on every scrolled frame.
        <p class="grid-count">
            {move || {
                let total = total.get();
                let rows = window::shown(first.get(), visible(), total);
                let from = (rows.start + 1).min(total);
                t.fmt("preview.showing", &[("from", &from.to_string()), ("to", &rows.end.to_string()), ("total", &total.to_string())])
            }}
        </p>
    }
}

/// The header's cells: each column's name as a sort button (and, while picking, a checkbox
/// that picks the whole column).
#[component]
fn HeaderCells(columns: Signal<Vec<String>>) -> impl IntoView {
    let data = use_preview().expect("HeaderCells is used inside Preview");
    let pick = use_pick().expect("HeaderCells is used inside Preview");
    let t = use_i18n();
    move || {
        columns.get()
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
    }
}

/// One slot of the row pool: the `place`-th row of the window, whichever that is now.
///
/// Its cells are written by one effect per slot ([`Shown::sync`]), which writes only what
/// differs from what the slot showed before: a reactive text and class per cell re-ran some
/// 30 closures per row on every scrolled frame. The row number and the picking checkbox stay
/// reactive (one text node; the checkbox exists only while picking).
#[component]
fn PoolRow(
    window: Memo<Vec<WindowRow>>,
    place: usize,
    columns: Memo<usize>,
    pick: Pick,
    card: RwSignal<Option<u32>>,
) -> impl IntoView {
    let t = use_i18n();
    let tr = NodeRef::<leptos::html::Tr>::new();
    let row = Memo::new(move |_| window.with(|w| w.get(place).cloned()));
    let file_row = Memo::new(move |_| row.with(|r| r.as_ref().map_or(0, |r| r.file_row)));
    let picked = move || pick.rows.with(|p| p.contains(&file_row.get()));
    let number = move || (file_row.get() as u64 + 1).to_string();
    // At build time there is no DOM to write into: the row's cells are part of the page.
    if crate::browser::window().is_none() {
        let cells = row.get_untracked().and_then(|r| r.cells).map(|c| c.to_vec()).unwrap_or_default();
        let n = columns.get_untracked().max(cells.len());
        return view! {
            <tr>
                <th scope="row" class="rownum">{number}</th>
                {(0..n).map(|i| view! { <td>{cell_text(Some(&cells), i).to_string()}</td> }).collect_view()}
            </tr>
        }
        .into_any();
    }
    Effect::new(move |shown: Option<Shown>| {
        let mut shown = shown.unwrap_or_default();
        if let Some(tr) = tr.get() {
            let look = Look { row_picked: picked(), columns: pick.columns.with(|c| c.clone()), cell: pick.cell.get() };
            row.with(|r| shown.sync(&tr, r.as_ref(), columns.get(), &look));
        }
        shown
    });
    view! {
        // Starts as a placeholder, so a slot is never taken for a read row before it is written.
        <tr node_ref=tr class="loading">
            <th scope="row" class="rownum">
                // Unless picking, the row's number is the keyboard's way to its card (a tap on
                // the row is the pointer's).
                <Show when=move || pick.on.get() fallback=move || view! {
                    <button type="button" class="row-open" data-testid="row-open"
                        aria-label=move || t.fmt("preview.card.open", &[("n", &number())])
                        on:click=move |_| {
                            if let Some(row) = tr.get_untracked().and_then(|el| read_row(&el)) {
                                show_card(row, card);
                            }
                        }>{number}</button>
                }>
                    <input type="checkbox" class="pick-row" data-row=number
                        aria-label=move || t.fmt("preview.pick.row", &[("n", &number())])
                        prop:checked=picked
                        on:change=move |ev| pick.toggle_row(file_row.get_untracked(), event_target_checked(&ev))/>
                    {number}
                </Show>
            </th>
        </tr>
    }
    .into_any()
}

/// The picking state a slot shows.
struct Look {
    row_picked: bool,
    columns: BTreeSet<usize>,
    cell: Option<(u32, usize)>,
}

/// What a slot's `<tr>` shows now, so the next frame writes only what changed. The cells
/// (`<td>` with one text node each) are made here, not by the view: their number follows the
/// row (a ragged row keeps all its cells).
#[derive(Default)]
struct Shown {
    /// (position in the view, file row) written to the row's attributes.
    at: Option<(usize, u32)>,
    /// The row's cells as written; `None`: a row not read yet.
    cells: Option<Arc<Vec<String>>>,
    row_class: &'static str,
    tds: Vec<ShownCell>,
}

struct ShownCell {
    td: web_sys::Element,
    text: web_sys::Node,
    class: &'static str,
    /// Whether its text has been written once (a new cell is written whatever its text).
    written: bool,
}

/// The text of cell `i`: a row not read yet shows "…" in its first cell.
fn cell_text(cells: Option<&[String]>, i: usize) -> &str {
    match cells {
        Some(cells) => cells.get(i).map_or("", String::as_str),
        None if i == 0 => "…",
        None => "",
    }
}

fn row_class(loaded: bool, picked: bool) -> &'static str {
    match (loaded, picked) {
        (true, false) => "",
        (true, true) => "picked",
        (false, false) => "loading",
        (false, true) => "loading picked",
    }
}

fn cell_class(column_picked: bool, cell_picked: bool) -> &'static str {
    match (column_picked, cell_picked) {
        (false, false) => "",
        (true, false) => "picked",
        (false, true) => "picked-cell",
        (true, true) => "picked picked-cell",
    }
}

impl Shown {
    fn sync(&mut self, tr: &web_sys::Element, row: Option<&WindowRow>, columns: usize, look: &Look) {
        let Some(row) = row else { return };
        if self.at != Some((row.pos, row.file_row)) {
            self.at = Some((row.pos, row.file_row));
            let _ = tr.set_attribute("aria-rowindex", &(row.pos + 2).to_string());
            let _ = tr.set_attribute("data-row", &row.file_row.to_string());
        }
        let class = row_class(row.cells.is_some(), look.row_picked);
        if self.row_class != class || self.tds.is_empty() {
            self.row_class = class;
            tr.set_class_name(class);
        }
        let cells = row.cells.as_deref().map(Vec::as_slice);
        let width = cells.map_or(0, <[String]>::len).max(columns).max(1);
        self.fit(tr, width);
        let before = self.cells.as_deref().map(Vec::as_slice);
        for (i, cell) in self.tds.iter_mut().enumerate() {
            let text = cell_text(cells, i);
            // Rows side by side often agree in a column (a card type, a line): no write then.
            if !cell.written || text != cell_text(before, i) {
                cell.text.set_node_value(Some(text));
                cell.written = true;
            }
            let class = cell_class(look.columns.contains(&i), look.cell == Some((row.file_row, i)));
            if cell.class != class {
                cell.class = class;
                cell.td.set_class_name(class);
            }
        }
        self.cells = row.cells.clone();
    }

    /// Adds or removes `<td>`s so the row has `width` cells.
    fn fit(&mut self, tr: &web_sys::Element, width: usize) {
        while self.tds.len() > width {
            if let Some(cell) = self.tds.pop() {
                cell.td.remove();
            }
        }
        while self.tds.len() < width {
            let Some(cell) = ShownCell::new() else { return };
            let _ = tr.append_child(&cell.td);
            self.tds.push(cell);
        }
    }
}

impl ShownCell {
    fn new() -> Option<ShownCell> {
        let td = document().create_element("td").ok()?;
        td.append_with_str_1("").ok()?;
        let text = td.first_child()?;
        Some(ShownCell { td, text, class: "", written: false })
    }
}

/// The tooltip of a cell: its whole text (cut off by the column width), set when the pointer
/// arrives (one listener on the body of the table; a title kept current on every scrolled
/// frame doubled the cells' DOM writes).
fn show_title(ev: &web_sys::Event) {
    if let Some(td) = event_cell(ev) {
        let text = td.text_content().unwrap_or_default();
        if td.title() != text {
            td.set_title(&text);
        }
    }
}

/// While picking, a click on a cell of a read row picks it for an error report (keyboard
/// users pick one row and one column instead).
fn pick_cell(ev: &web_sys::Event, pick: Pick) {
    if !pick.on.get_untracked() {
        return;
    }
    let Some(td) = event_cell(ev) else { return };
    let Some(file_row) = td.parent_element().as_ref().and_then(read_row) else { return };
    // The cell's column: the `<td>`s before it (the row number is a `<th>`).
    let mut col = 0;
    let mut before = td.previous_element_sibling();
    while let Some(el) = before {
        if el.tag_name().eq_ignore_ascii_case("td") {
            col += 1;
        }
        before = el.previous_element_sibling();
    }
    pick.cell.set(Some((file_row, col)));
}

/// Unless picking, a tap on a read row opens it as a card.
fn open_card(ev: &web_sys::Event, pick: Pick, card: RwSignal<Option<u32>>) {
    if pick.on.get_untracked() {
        return;
    }
    if let Some(row) = event_cell(ev).and_then(|td| td.parent_element()).as_ref().and_then(read_row) {
        show_card(row, card);
    }
}

/// The file row a slot's `<tr>` shows, unless it is still a placeholder (not read yet).
fn read_row(tr: &web_sys::Element) -> Option<u32> {
    if tr.class_list().contains("loading") {
        return None;
    }
    tr.get_attribute("data-row")?.parse().ok()
}

/// Opens a read row as its card and moves focus to the card's title.
fn show_card(row: u32, card: RwSignal<Option<u32>>) {
    card.set(Some(row));
    request_animation_frame(|| {
        let el =
            crate::browser::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("row-card-title"));
        if let Some(el) = el.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = el.focus();
        }
    });
}

/// One row as a card: every field's name and value.
#[component]
fn RowCard(card: RwSignal<Option<u32>>, columns: Signal<Vec<String>>) -> impl IntoView {
    let data = use_preview().expect("RowCard is used inside Preview");
    let t = use_i18n();
    move || {
        let row = card.get()?;
        let cells = cells_of(data, row)?;
        let names = columns.get();
        let n = names.len().max(cells.len());
        Some(view! {
            <section class="row-card" aria-labelledby="row-card-title" data-testid="row-card" data-row=row.to_string()>
                <h3 id="row-card-title" tabindex="-1">{move || t.fmt("preview.card.title", &[("n", &(row as u64 + 1).to_string())])}</h3>
                <dl>
                    {(0..n).map(|i| view! {
                        <div>
                            <dt>{names.get(i).cloned().unwrap_or_else(|| format!("#{}", i + 1))}</dt>
                            <dd>{cell_text(Some(&cells), i).to_string()}</dd>
                        </div>
                    }).collect_view()}
                </dl>
                <button type="button" data-testid="row-card-close" on:click=move |_| card.set(None)>{t.tr("preview.card.close")}</button>
            </section>
        })
    }
}

/// The body cell an event happened in, if any.
fn event_cell(ev: &web_sys::Event) -> Option<web_sys::HtmlElement> {
    let target = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
    target.closest("tbody td").ok()??.dyn_into::<web_sys::HtmlElement>().ok()
}
