//! Picking rows, fields or a cell in the preview for a filing (O1 scope, E1 location).
//!
//! "Select rows and fields" turns on a checkbox per row (in the `#` column) and per column
//! (in its header), so a keyboard user ticks them with Tab and Space like any form; a mouse
//! user may also click a cell to pick it for an error report. The bar then links to the
//! objection form (scope prefilled) or the error-report form (row, field, value prefilled);
//! the selection travels in the URL (`kaifang_core::filing::pick`), so it survives a reload.

use super::grid::cells_of;
use super::use_preview;
use crate::i18n::use_i18n;
use kaifang_core::catalog::Field;
use kaifang_core::filing::pick::{column_field, Cell, Selection};
use kaifang_core::filing::rows::format_rows;
use leptos::prelude::*;
use leptos_router::components::A;
use std::collections::BTreeSet;

/// The picking state of one preview, shared by the grid and the bar.
#[derive(Clone, Copy)]
pub struct Pick {
    pub on: RwSignal<bool>,
    /// 0-based file rows.
    pub rows: RwSignal<BTreeSet<u32>>,
    /// Column indexes of the file.
    pub columns: RwSignal<BTreeSet<usize>>,
    /// A cell clicked: (0-based file row, column).
    pub cell: RwSignal<Option<(u32, usize)>>,
    dataset_id: StoredValue<String>,
    fields: StoredValue<Vec<Field>>,
}

impl Pick {
    pub fn new(dataset_id: String, fields: Vec<Field>) -> Pick {
        Pick {
            on: RwSignal::new(false),
            rows: RwSignal::new(BTreeSet::new()),
            columns: RwSignal::new(BTreeSet::new()),
            cell: RwSignal::new(None),
            dataset_id: StoredValue::new(dataset_id),
            fields: StoredValue::new(fields),
        }
    }

    pub fn toggle_row(&self, file_row: u32, on: bool) {
        self.rows.update(|r| {
            if on {
                r.insert(file_row);
            } else {
                r.remove(&file_row);
            }
        });
    }

    pub fn toggle_column(&self, col: usize, on: bool) {
        self.columns.update(|c| {
            if on {
                c.insert(col);
            } else {
                c.remove(&col);
            }
        });
    }

    pub fn clear(&self) {
        self.rows.set(BTreeSet::new());
        self.columns.set(BTreeSet::new());
        self.cell.set(None);
    }
}

pub fn use_pick() -> Option<Pick> {
    use_context::<Pick>()
}

/// The bar above the table: the switch, what is picked, and the two filing links.
#[component]
pub fn PickBar() -> impl IntoView {
    let t = use_i18n();
    let data = use_preview().expect("PickBar is used inside Preview");
    let pick = use_pick().expect("PickBar is used inside Preview");
    let headers = move || data.layout.with(|l| l.as_ref().map(|l| l.columns.clone()).unwrap_or_default());
    let field_of = move |col: usize| headers().get(col).map(|h| pick.fields.with_value(|f| column_field(h, f)));
    let selection = Memo::new(move |_| {
        let rows = pick.rows.get().into_iter().map(|r| r as u64 + 1).collect::<Vec<_>>();
        let fields = pick.columns.get().into_iter().filter_map(field_of).collect::<Vec<_>>();
        Selection::new(rows, fields)
    });
    // The cell for an error report: the one clicked, else the one where a single picked row
    // meets a single picked column (how a keyboard user names a cell).
    let cell = Memo::new(move |_| {
        let (row, col) = pick.cell.get().or_else(|| {
            let (rows, cols) = (pick.rows.get(), pick.columns.get());
            (rows.len() == 1 && cols.len() == 1).then(|| (*rows.first().expect("one"), *cols.first().expect("one")))
        })?;
        data.cache_version.track();
        let value = cells_of(data, row).and_then(|c| c.get(col).cloned()).unwrap_or_default();
        Some(Cell::new(row as u64 + 1, field_of(col)?, &value))
    });
    let summary = move || {
        let s = selection.get();
        let rows = if s.rows.is_empty() { "—".to_string() } else { format_rows(&s.rows) };
        let fields = if s.fields.is_empty() { "—".to_string() } else { s.fields.join("、") };
        t.fmt(
            "preview.pick.summary",
            &[
                ("n", &s.rows.len().to_string()),
                ("rows", &rows),
                ("m", &s.fields.len().to_string()),
                ("fields", &fields),
            ],
        )
    };
    view! {
        <div class="pick-bar no-print" data-testid="pick-bar">
            <button type="button" class="pick-toggle" aria-pressed=move || pick.on.get().to_string() data-testid="pick-toggle"
                on:click=move |_| {
                    let on = !pick.on.get_untracked();
                    pick.on.set(on);
                    if !on {
                        pick.clear();
                    }
                }>
                {move || if pick.on.get() { t.get("preview.pick.stop") } else { t.get("preview.pick.start") }}
            </button>
            <Show when=move || pick.on.get()>
                <p class="hint">{t.tr("preview.pick.hint")}</p>
                <p class="pick-summary" aria-live="polite" data-testid="pick-summary">{summary}</p>
                <div class="pick-actions">
                    {move || {
                        let s = selection.get();
                        (!s.is_empty()).then(|| {
                            let href = s.objection_href(&pick.dataset_id.get_value());
                            view! { <A href=href attr:class="button" attr:data-testid="pick-object">{t.tr("preview.pick.object")}</A> }
                        })
                    }}
                    {move || cell.get().map(|c| {
                        let href = c.report_href(&pick.dataset_id.get_value());
                        let label = t.fmt("preview.pick.report", &[("row", &c.row.to_string()), ("field", &c.field)]);
                        view! { <A href=href attr:class="button" attr:data-testid="pick-report">{label}</A> }
                    })}
                    <button type="button" on:click=move |_| pick.clear()>{t.tr("preview.pick.clear")}</button>
                </div>
            </Show>
        </div>
    }
}
