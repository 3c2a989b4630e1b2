//! "Export filtered rows (CSV)": the rows of the current filter/sort, in view order, saved as a
//! spreadsheet-safe CSV (`kaifang_core::export`: formula-like cells neutralised, UTF-8 BOM) whose
//! first line is the attribution as a `# ` comment (see docs/preview.md).
//!
//! Rows held in memory (the first rows; the whole file when it is small) are taken as they are;
//! the others are read back by HTTP Range from the whole-file scan's row offsets. At most
//! [`EXPORT_MAX_ROWS`] rows are written, and the user is told when the cap cut the export.

use super::loader::read_rows;
use super::use_preview;
use crate::i18n::use_i18n;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::HashMap;

/// Rows written at most (keeps the browser's memory bounded on million-row files).
pub const EXPORT_MAX_ROWS: usize = 200_000;

#[derive(Clone, PartialEq)]
enum State {
    Idle,
    Working,
    Done { rows: usize, capped_from: Option<usize> },
    Failed(String),
}

/// The export button and its outcome; shown once a filter or sort is applied.
#[component]
pub fn ExportRows(#[prop(into)] attribution: Signal<String>) -> impl IntoView {
    let data = use_preview().expect("inside Preview");
    let t = use_i18n();
    let state = RwSignal::new(State::Idle);
    // A new view invalidates the last outcome.
    Effect::new(move |_| {
        data.order.track();
        state.set(State::Idle);
    });
    let export = move |_| {
        let Some(order) = data.order.get_untracked() else { return };
        let Some(layout) = data.layout.get_untracked() else { return };
        state.set(State::Working);
        let note = attribution.get_untracked();
        spawn_local(async move {
            let capped_from = (order.len() > EXPORT_MAX_ROWS).then_some(order.len());
            let wanted = &order[..order.len().min(EXPORT_MAX_ROWS)];
            match gather(data, &layout, wanted).await {
                Ok(rows) => {
                    let dist = data.distribution.get_value();
                    let name = format!("{}_filtered.csv", file_stem(&dist.path));
                    let text = kaifang_core::export::to_csv_with_note(&note, &layout.columns, &rows, true);
                    match crate::browser::save_bytes(&name, text.as_bytes(), "text/csv;charset=utf-8") {
                        Ok(()) => state.set(State::Done { rows: rows.len(), capped_from }),
                        Err(e) => state.set(State::Failed(e)),
                    }
                }
                Err(e) => state.set(State::Failed(e)),
            }
        });
    };
    let outcome = move || match state.get() {
        State::Idle => None,
        State::Working => Some(t.get("preview.export.working")),
        State::Done { rows, capped_from: None } => Some(t.fmt("preview.export.done", &[("n", &rows.to_string())])),
        State::Done { rows, capped_from: Some(total) } => {
            Some(t.fmt("preview.export.capped", &[("n", &rows.to_string()), ("total", &total.to_string())]))
        }
        State::Failed(e) => Some(format!("{} {e}", t.get("preview.export.failed"))),
    };
    move || {
        data.order.with(|o| o.is_some()).then(|| {
            view! {
                <p class="preview-export">
                    <button
                        type="button"
                        data-testid="export-rows"
                        disabled=move || state.get() == State::Working
                        on:click=export
                    >
                        {t.tr("preview.export.button")}
                    </button>
                    " "
                    <span data-testid="export-status" role="status">{outcome}</span>
                </p>
            }
        })
    }
}

/// The file name without directories and extension.
fn file_stem(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').map(|(s, _)| s).unwrap_or(name).to_string()
}

/// The wanted file rows, in the given order: from memory where held, else by range reads.
async fn gather(
    data: super::PreviewData,
    layout: &kaifang_core::table::Layout,
    wanted: &[u32],
) -> Result<Vec<Vec<String>>, String> {
    let held = data.first_rows.with_untracked(|t| t.rows.len()) as u32;
    let mut missing: Vec<u32> = wanted.iter().copied().filter(|r| *r >= held).collect();
    missing.sort_unstable();
    missing.dedup();
    let mut read: HashMap<u32, Vec<String>> = HashMap::new();
    if !missing.is_empty() {
        let offsets = data.offsets.get_untracked().ok_or_else(|| "no row offsets for this file".to_string())?;
        let url = data.url.get_value();
        let want: std::collections::HashSet<u32> = missing.iter().copied().collect();
        read_rows(&url, &offsets, layout, &missing, |first, rows| {
            for (k, row) in rows.into_iter().enumerate() {
                let r = first + k as u32;
                if want.contains(&r) {
                    read.insert(r, row);
                }
            }
        })
        .await?;
    }
    data.first_rows.with_untracked(|t| {
        wanted
            .iter()
            .map(|r| {
                if *r < held {
                    Ok(t.rows[*r as usize].clone())
                } else {
                    read.remove(r).ok_or_else(|| format!("row {} could not be read", r + 1))
                }
            })
            .collect()
    })
}
