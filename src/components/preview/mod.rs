//! The data preview (B6): a file of an open, unconditional dataset shown as a table.
//!
//! - the response stream and HTTP Range reads are `crate::net::ranges`.
//! - [`loader`]: the passes over the file (first rows, whole-file scan for profile/sort/filter)
//!   and the row cache filled by byte-range reads.
//! - [`parallel`]: the whole-file scan on Web Workers, a part of the file each, merged here.
//! - [`grid`]: the virtually scrolled table (a fixed-height window over millions of rows);
//!   [`window`] its arithmetic (which rows a scroll position shows, which to read ahead).
//! - [`panels`]: layout facts, problems, column profiles, sort/filter controls.
//! - [`export`]: "export filtered rows (CSV)" with the attribution line.
//! - [`pick`]: picking rows, fields or a cell for an objection or an error report.
//!
//! Memory: the first rows (up to [`loader::FIRST_ROWS`]) as text, then per row only its byte
//! offset (8 bytes); a screen of rows is read back by byte range when scrolled to.
//!
//! For other components (charts): [`PreviewData`] is provided as context by [`Preview`] —
//! the layout, the first rows as a `Table`, the column profiles (inferred types) after a
//! whole-file scan, the current sort/filter, and `selected_columns`.

pub mod export;
pub mod grid;
pub mod loader;
pub mod notes;
pub mod panels;
pub mod parallel;
pub mod pick;
pub mod window;

use crate::i18n::use_i18n;
use crate::mydata::use_my_data;
use crate::net;
use kaifang_core::attribution::Attribution;
use kaifang_core::catalog::{Dataset, Distribution, Field, OpenAttribute, Portal};
use kaifang_core::table::index::Direction;
use kaifang_core::table::{Filter, Layout, RowOffsets, ScanReport, Table};
use leptos::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

/// Progress of a pass over the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub task: Task,
    pub bytes: u64,
    pub total: Option<u64>,
    pub rows: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Task {
    FirstRows,
    Scan,
}

/// Everything the preview knows about the file, shared by context (see the module doc).
#[derive(Clone, Copy)]
pub struct PreviewData {
    /// The file's address (`/catalog/files/...`).
    pub url: StoredValue<String>,
    pub distribution: StoredValue<Distribution>,
    /// XLSX: the sheet asked for (None: the first) and the workbook's sheets once read.
    pub sheet: StoredValue<Option<String>>,
    pub sheets: RwSignal<Vec<String>>,
    /// XLSX: what the capped reader left out (None: the whole sheet is shown).
    pub left_out: RwSignal<Option<kaifang_core::table::xlsx::LeftOut>>,
    pub layout: RwSignal<Option<Layout>>,
    /// The first rows as text (the whole file when it is small): what charts can use at once.
    pub first_rows: RwSignal<Arc<Table>>,
    /// After a whole-file scan: row count, column profiles (inferred types), problems.
    pub report: RwSignal<Option<Arc<ScanReport>>>,
    /// After a whole-file scan: every row's byte offset (None for UTF-16 files).
    pub offsets: RwSignal<Option<Arc<RowOffsets>>>,
    /// The rows shown, in order, as 0-based file rows (None: all rows in file order).
    pub order: RwSignal<Option<Arc<Vec<u32>>>>,
    pub sort: RwSignal<Option<(usize, Direction)>>,
    pub filter: RwSignal<Option<Filter>>,
    /// Columns the user picked (for charts); the preview does not change it.
    pub selected_columns: RwSignal<Vec<usize>>,
    pub progress: RwSignal<Option<Progress>>,
    pub error: RwSignal<Option<String>>,
    /// Whether the first pass read the whole file.
    pub complete: RwSignal<bool>,
    /// Rows read back by range, by 0-based file row; bumped `cache_version` on change.
    pub cache: StoredValue<HashMap<u32, Arc<Vec<String>>>>,
    pub cache_version: RwSignal<u64>,
    /// When the first rows were shown, and the benchmark's other marks.
    pub timings: RwSignal<Timings>,
}

/// The marks `cargo xtask bench preview` reads off the page (`data-*-ms` on the preview's
/// facts), in milliseconds of `performance.now`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Timings {
    /// When the first pass asked for the file, and when its first bytes arrived.
    pub request_ms: Option<f64>,
    pub first_chunk_ms: Option<f64>,
    /// When the first rows were shown (also: the preview has something on screen).
    pub first_rows_ms: Option<f64>,
    /// How long the last whole-file scan took, and in how many parts (1: on the page).
    pub scan_ms: Option<f64>,
    pub scan_parts: Option<usize>,
}

impl PreviewData {
    fn new(url: String, distribution: Distribution, sheet: Option<String>) -> PreviewData {
        PreviewData {
            url: StoredValue::new(url),
            distribution: StoredValue::new(distribution),
            sheet: StoredValue::new(sheet),
            sheets: RwSignal::new(Vec::new()),
            left_out: RwSignal::new(None),
            layout: RwSignal::new(None),
            first_rows: RwSignal::new(Arc::new(Table::default())),
            report: RwSignal::new(None),
            offsets: RwSignal::new(None),
            order: RwSignal::new(None),
            sort: RwSignal::new(None),
            filter: RwSignal::new(None),
            selected_columns: RwSignal::new(Vec::new()),
            progress: RwSignal::new(None),
            error: RwSignal::new(None),
            complete: RwSignal::new(false),
            cache: StoredValue::new(HashMap::new()),
            cache_version: RwSignal::new(0),
            timings: RwSignal::new(Timings::default()),
        }
    }

    /// Rows in the current view: filtered count, else the scanned count, else the rows held.
    pub fn total_rows(&self) -> usize {
        if let Some(o) = self.order.get() {
            return o.len();
        }
        if let Some(r) = self.report.get() {
            return r.rows as usize;
        }
        self.first_rows.with(|t| t.rows.len())
    }
}

pub fn use_preview() -> Option<PreviewData> {
    use_context::<PreviewData>()
}

/// The preview section of a dataset page: shown only for datasets that serve data and are
/// open without conditions (B1, B3).
///
/// `first_screen` turns true once the first rows are shown, the preview has failed, or there
/// is nothing to preview: the page builds what lies below after that.
#[component]
pub fn PreviewSection(portal: Portal, dataset: Dataset, first_screen: RwSignal<bool>) -> impl IntoView {
    let t = use_i18n();
    let my = use_my_data();
    let serves = dataset.status.serves_data() && matches!(dataset.open, OpenAttribute::Unconditional);
    let files: Vec<Distribution> = dataset.distributions.iter().filter(|d| d.previewable()).cloned().collect();
    let others: Vec<Distribution> = dataset.distributions.iter().filter(|d| !d.previewable()).cloned().collect();
    // Over a built page the built rows stay on screen (crate::lazy): the first screen is there.
    if !serves || files.is_empty() || crate::lazy::adopts(crate::lazy::Part::Preview) {
        first_screen.set(true);
    }
    if !serves || (files.is_empty() && others.is_empty()) {
        return None;
    }
    let chosen = RwSignal::new(0usize);
    // The sheet of an XLSX file (None: its first); a new file starts at its first sheet.
    let sheet = RwSignal::new(None::<String>);
    // The attribution carried by exports (A1–A3): the recorded download day, else today.
    let attribution = {
        let (dataset, id) = (dataset.clone(), dataset.id.clone());
        Signal::derive(move || {
            Attribution::new(&portal, &dataset, my.acquired(&id).date().clone()).line_for(t.lang().code())
        })
    };
    let files_for_view = files.clone();
    let (pick_id, pick_fields) = (dataset.id.clone(), dataset.fields.clone());
    Some(view! {
        <section class="preview" aria-labelledby="preview-title">
            <h2 id="preview-title">{t.tr("preview.title")}</h2>
            {(files.len() > 1).then(|| {
                let files = files.clone();
                view! {
                    <label class="preview-file-pick">
                        {t.tr("preview.file")}" "
                        <select data-testid="file-pick" on:change=move |ev| { sheet.set(None); chosen.set(event_target_value(&ev).parse().unwrap_or(0)) }>
                            {files.iter().enumerate().map(|(i, f)| view! { <option value=i.to_string()>{f.title.clone()}</option> }).collect_view()}
                        </select>
                    </label>
                }
            })}
            {(!others.is_empty()).then(|| view! {
                <p class="hint">{t.tr("preview.unsupported")}" "{others.iter().map(|d| d.format.clone()).collect::<Vec<_>>().join(", ")}</p>
            })}
            {move || {
                // A new file or a new sheet: a new preview.
                sheet.track();
                files_for_view.get(chosen.get()).cloned().map(|d| {
                    crate::lazy::preview(
                        PreviewProps::builder()
                            .distribution(d)
                            .attribution(attribution)
                            .sheet(sheet)
                            .dataset_id(pick_id.clone())
                            .fields(pick_fields.clone())
                            .first_screen(first_screen)
                            .build(),
                    )
                })
            }}
        </section>
    })
}

/// The preview of one file. Its code is split off the dataset module and loaded on first
/// use: pages show it through `crate::lazy::preview`.
#[component]
pub fn Preview(
    distribution: Distribution,
    #[prop(into)] attribution: Signal<String>,
    /// The XLSX sheet shown; picking another re-creates the preview for it.
    sheet: RwSignal<Option<String>>,
    /// The dataset and its fields, for picking rows and fields for a filing.
    dataset_id: String,
    fields: Vec<Field>,
    /// Set once the first rows are shown or the preview has failed (see PreviewSection).
    first_screen: RwSignal<bool>,
) -> impl IntoView {
    let t = use_i18n();
    let data = PreviewData::new(net::catalog_url(&distribution.path), distribution.clone(), sheet.get_untracked());
    provide_context(data);
    provide_context(pick::Pick::new(dataset_id, fields));
    // At build time the first screen of rows comes with the page; in the browser it streams.
    match crate::prerender::built() {
        Some(b) => {
            if let Some(f) = b.first_rows.filter(|f| f.path == distribution.path) {
                data.layout.set(Some(f.layout));
                data.first_rows.set(Arc::new(f.table));
                data.complete.set(f.whole);
            }
        }
        None => loader::start(data),
    }
    Effect::new(move |_| {
        if data.timings.with(|t| t.first_rows_ms.is_some()) || data.error.get().is_some() || data.complete.get() {
            first_screen.set(true);
        }
    });
    let sheet_pick = move || {
        let sheets = data.sheets.get();
        let current = data.sheet.get_value().or_else(|| sheets.first().cloned()).unwrap_or_default();
        (sheets.len() > 1).then(|| {
            view! {
                <label class="preview-sheet-pick">
                    {t.tr("preview.sheet")}" "
                    <select data-testid="sheet-pick" on:change=move |ev| sheet.set(Some(event_target_value(&ev)))>
                        {sheets.into_iter().map(|s| {
                            let selected = s == current;
                            view! { <option value=s.clone() selected=selected>{s.clone()}</option> }
                        }).collect_view()}
                    </select>
                </label>
            }
        })
    };
    view! {
        <div class="preview-body" data-testid="preview">
            {sheet_pick}
            <panels::Status/>
            <notes::LeftOutNotice/>
            <notes::Notes/>
            <panels::Controls/>
            <export::ExportRows attribution=attribution/>
            <pick::PickBar/>
            <grid::Grid/>
            <panels::Problems/>
            <panels::Profiles/>
        </div>
    }
}
