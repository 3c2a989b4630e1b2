//! Title, note and source lines the file carries around its table (`数据来源：…`), found by
//! the reader (`kaifang_core::table::shape`) and shown apart from the data: the source line
//! is what a user cites.

use super::use_preview;
use crate::i18n::{use_i18n, I18n};
use kaifang_core::table::xlsx::{Cap, LeftOut, XlsxLimits};
use leptos::prelude::*;

/// What the capped XLSX reader left out (issue 14: a sheet too large to hold is shown in
/// part, and the reader is told which part), in plain words.
#[component]
pub fn LeftOutNotice() -> impl IntoView {
    let data = use_preview().expect("inside Preview");
    let t = use_i18n();
    move || {
        data.left_out.get().map(|l| {
            view! { <p class="preview-left-out" role="status" data-testid="xlsx-left-out">{left_out_text(&t, &l, &XlsxLimits::default())}</p> }
        })
    }
}

fn left_out_text(t: &I18n, l: &LeftOut, limits: &XlsxLimits) -> String {
    let columns = || t.fmt("preview.left_out.columns", &[("n", &limits.columns.to_string())]);
    let Some(row) = l.first_row_left_out else { return columns() };
    let (key, n) = match l.cap {
        Cap::Rows => ("preview.left_out.rows", limits.rows.to_string()),
        Cap::Cells => ("preview.left_out.cells", limits.cells.to_string()),
        Cap::Text => ("preview.left_out.text", (limits.text_bytes >> 20).to_string()),
        Cap::Columns => return columns(),
    };
    let rows = t.fmt(key, &[("n", &n), ("row", &row.to_string())]);
    if l.columns_dropped {
        format!("{rows} {}", columns())
    } else {
        rows
    }
}

#[component]
pub fn Notes() -> impl IntoView {
    let data = use_preview().expect("inside Preview");
    let t = use_i18n();
    let list = move |key: &'static str, lines: Vec<String>| {
        (!lines.is_empty()).then(|| {
            view! {
                <div>
                    <dt>{t.tr(key)}</dt>
                    {lines.into_iter().map(|l| view! { <dd>{l}</dd> }).collect_view()}
                </div>
            }
        })
    };
    move || {
        let (above, below) = data
            .layout
            .with(|l| l.as_ref().map(|l| (l.notes_above.clone(), l.notes_below.clone())).unwrap_or_default());
        (!above.is_empty() || !below.is_empty()).then(|| {
            view! {
                <dl class="preview-notes" data-testid="file-notes" aria-label=t.get("preview.notes")>
                    {list("preview.notes.above", above)}
                    {list("preview.notes.below", below)}
                </dl>
            }
        })
    }
}
