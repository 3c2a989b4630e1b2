//! The passes over a file and the row cache.
//!
//! 1. First pass: stream from the start, show rows as soon as the first chunk is parsed, keep
//!    the first [`FIRST_ROWS`] rows. Files up to [`AUTO_SCAN_BYTES`] are read to the end in the
//!    same pass (profile, row offsets); bigger ones stop there and wait for the user.
//! 2. Scan: the whole file again, chunk by chunk, with progress: profile, row offsets, sort keys
//!    and filter matches — nothing else is kept.
//! 3. Rows beyond the first ones are read back by byte range when scrolled to.

use super::parallel;
use super::{PreviewData, Progress, Task};
use crate::net::ranges::{fetch_all, fetch_range, ByteStream};
use crate::net::NetError;
use crate::pace::{after_next_paint, now_ms, yield_to_browser};
use kaifang_core::catalog::Distribution;
use kaifang_core::table::index::{read_rows_at, Direction};
use kaifang_core::table::jobs::SheetJob;
use kaifang_core::table::json::{parse_json_table, MAX_JSON_BYTES};
use kaifang_core::table::parts::ScanSpec;
use kaifang_core::table::scan::{ScanOptions, ScanResult, TableScan};
use kaifang_core::table::xlsx::MAX_XLSX_BYTES;
use kaifang_core::table::{encoding, ColumnType, Layout, ReaderOptions, RowOffsets, ScanReport, Table};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::sync::Arc;

/// Rows kept as text from the start of the file.
pub const FIRST_ROWS: usize = 1000;
/// Bytes of an early-fetched head parsed before the first screen is shown: the sniffing
/// window (8 KB) and a screen of rows, not the whole 64 KB. The build reads as much for the
/// first screen it writes into a dataset page (crates/cli/src/render).
pub const FIRST_SCREEN_BYTES: usize = 16 * 1024;
/// Files up to this size are read whole in the first pass.
pub const AUTO_SCAN_BYTES: u64 = 32 * 1024 * 1024;
/// Rows kept in the range-read cache before it is emptied.
const CACHE_ROWS: usize = 20_000;
/// Rows closer than this in bytes are read with one range request.
const MERGE_GAP_BYTES: u64 = 64 * 1024;
/// Time slice of a scan before the browser gets a turn (keeps scrolling and input alive).
const SLICE_MS: f64 = 40.0;

/// Why a pass ended before the file did.
enum Stop {
    /// The page it was reading for has been left: its signals are gone, so it stops quietly
    /// (reading one after an await would panic).
    Left,
    /// What the person is told (under「无法预览」).
    Failed(String),
}

impl From<String> for Stop {
    fn from(why: String) -> Stop {
        Stop::Failed(why)
    }
}

impl From<NetError> for Stop {
    fn from(e: NetError) -> Stop {
        Stop::Failed(e.to_string())
    }
}

fn still_shown(data: PreviewData) -> Result<(), Stop> {
    if data.error.is_disposed() {
        Err(Stop::Left)
    } else {
        Ok(())
    }
}

/// Shows why a pass stopped, unless the page was left.
fn fail(data: PreviewData, stop: Stop) {
    if let Stop::Failed(why) = stop {
        if !data.error.is_disposed() {
            data.progress.set(None);
            data.error.set(Some(why));
        }
    }
}

fn is_json(d: &Distribution) -> bool {
    d.format.eq_ignore_ascii_case("JSON")
}

fn is_xlsx(d: &Distribution) -> bool {
    d.format.eq_ignore_ascii_case("XLSX")
}

/// How the preview reads `d` (and the build reads its first screen): the record's own
/// options (encoding, header row) with a small sniffing window.
pub fn reader_options(d: &Distribution) -> ReaderOptions {
    // A small sniffing window: the first screen should not wait for 32 KB.
    ReaderOptions { sniff_bytes: 8 * 1024, ..d.reader_options() }
}

/// Starts the first pass.
pub fn start(data: PreviewData) {
    spawn_local(async move {
        let dist = data.distribution.get_value();
        let result = if is_json(&dist) {
            load_json(data).await
        } else if is_xlsx(&dist) {
            load_xlsx(data).await
        } else {
            first_pass(data).await
        };
        if let Err(e) = result {
            fail(data, e);
        }
    });
}

fn publish_first_rows(data: PreviewData, layout: Option<&Layout>, rows: &[Vec<String>]) {
    if let Some(l) = layout {
        if data.layout.with_untracked(|x| x.is_none()) {
            data.layout.set(Some(l.clone()));
        }
        let table = Table { columns: l.columns.clone(), rows: rows.to_vec() };
        data.first_rows.set(Arc::new(table));
        if data.timings.with_untracked(|t| t.first_rows_ms.is_none()) && !rows.is_empty() {
            crate::timing::mark(crate::timing::FIRST_ROWS);
            data.timings.update(|t| t.first_rows_ms = Some(now_ms()));
        }
    }
}

async fn first_pass(data: PreviewData) -> Result<(), Stop> {
    let url = data.url.get_value();
    let dist = data.distribution.get_value();
    // On a deep link, index.html may already hold the file's first 64 KB (src/early.rs).
    let head = crate::early::take_head(&url).await;
    still_shown(data)?;
    crate::timing::mark(crate::timing::PREVIEW_START);
    let (mut stream, total) = match &head {
        Some(h) => {
            data.timings.update(|t| {
                t.request_ms = Some(h.requested_ms);
                t.first_chunk_ms = Some(h.arrived_ms);
            });
            (None, Some(h.total))
        }
        None => {
            data.timings.update(|t| t.request_ms = Some(now_ms()));
            let s = ByteStream::open(&url).await?;
            still_shown(data)?;
            let total = s.total;
            (Some(s), total)
        }
    };
    let total = total.or(Some(dist.byte_size).filter(|b| *b > 0));
    let whole = total.is_some_and(|t| t <= AUTO_SCAN_BYTES);
    let opts = ScanOptions {
        reader: reader_options(&dist),
        keep_offsets: true,
        keep_first_rows: FIRST_ROWS,
        profile: whole,
        ..Default::default()
    };
    let mut pass = FirstPass { data, scan: TableScan::new(opts), shown: 0, total, whole };
    if let Some(h) = head {
        // The first screen from the head's first bytes, shown before the rest is parsed.
        let (first_screen, rest) = h.bytes.split_at(h.bytes.len().min(FIRST_SCREEN_BYTES));
        if pass.feed(first_screen)? {
            return Ok(());
        }
        if !rest.is_empty() {
            if pass.shown > 0 {
                // Paint them first (a timer alone may run before the frame is drawn).
                after_next_paint(100).await;
                still_shown(data)?;
            }
            if pass.feed(rest)? {
                return Ok(());
            }
        }
        if !h.is_whole_file() {
            // Paint the first screen before asking for the rest.
            yield_to_browser().await;
            stream = Some(ByteStream::open_from(&url, h.bytes.len() as u64).await?);
            still_shown(data)?;
        }
    }
    let mut slice_start = now_ms();
    while let Some(s) = stream.as_mut() {
        let Some(chunk) = s.next().await? else { break };
        still_shown(data)?;
        if data.timings.with_untracked(|t| t.first_chunk_ms.is_none()) {
            data.timings.update(|t| t.first_chunk_ms = Some(now_ms()));
        }
        if pass.feed(&chunk)? {
            if let Some(s) = stream.take() {
                s.cancel();
            }
            return Ok(());
        }
        if now_ms() - slice_start > SLICE_MS {
            yield_to_browser().await;
            still_shown(data)?;
            slice_start = now_ms();
        }
    }
    let result = pass.scan.finish().map_err(|e| e.to_string())?;
    // Small files only produce rows at the end (the sniffing window holds them back).
    publish_first_rows(data, Some(&result.report.layout), &result.first_rows);
    finish_scan(data, result);
    data.complete.set(true);
    Ok(())
}

/// The first pass's state between chunks.
struct FirstPass {
    data: PreviewData,
    scan: TableScan,
    /// First rows already published.
    shown: usize,
    total: Option<u64>,
    /// Whether the whole file is read in this pass.
    whole: bool,
}

impl FirstPass {
    /// Parses one chunk and publishes rows; true when the pass has what it needs and stops.
    fn feed(&mut self, chunk: &[u8]) -> Result<bool, String> {
        let data = self.data;
        self.scan.feed(chunk).map_err(|e| e.to_string())?;
        let n = self.scan.first_rows().len();
        // The first screen as soon as it exists, then the rest of the first rows in batches.
        if n > self.shown && (self.shown == 0 || n >= self.shown + 250 || n == FIRST_ROWS) {
            publish_first_rows(data, self.scan.layout(), self.scan.first_rows());
            self.shown = n;
        }
        let progress = Progress {
            task: Task::FirstRows,
            bytes: self.scan.bytes_read(),
            total: self.total,
            rows: self.scan.rows_read(),
        };
        data.progress.set(Some(progress));
        if !self.whole && n >= FIRST_ROWS {
            // Enough to show; the rest waits for "scan the whole file", sorting or filtering.
            data.progress.set(None);
            return Ok(true);
        }
        Ok(false)
    }
}

fn finish_scan(data: PreviewData, result: ScanResult) {
    let ScanResult { report, offsets, sorted, matches, .. } = result;
    data.layout.set(Some(report.layout.clone()));
    if report.layout.offsets_are_file_bytes {
        data.offsets.set(offsets.map(Arc::new));
    }
    let order = match (sorted, matches) {
        (Some(s), Some(m)) => Some(s.into_iter().filter(|i| m.binary_search(i).is_ok()).collect()),
        (Some(s), None) => Some(s),
        (None, Some(m)) => Some(m),
        (None, None) => None,
    };
    data.order.set(order.map(Arc::new));
    data.report.set(Some(Arc::new(report)));
    data.progress.set(None);
}

async fn load_json(data: PreviewData) -> Result<(), Stop> {
    let dist = data.distribution.get_value();
    if dist.byte_size > MAX_JSON_BYTES as u64 {
        return Err(format!("JSON > {MAX_JSON_BYTES} bytes").into());
    }
    let bytes = fetch_all(&data.url.get_value()).await?;
    still_shown(data)?;
    let (table, problems) = parse_json_table(&bytes).map_err(|e| e.to_string())?;
    let layout = Layout::whole(encoding::detect(&bytes, dist.encoding.as_deref(), true), table.columns.clone());
    let report = ScanReport {
        format: "json".into(),
        bytes: bytes.len() as u64,
        layout: layout.clone(),
        rows: table.rows.len() as u64,
        column_count: table.columns.len(),
        problems,
        profiles: table.profile(),
    };
    data.layout.set(Some(layout));
    data.first_rows.set(Arc::new(table));
    data.timings.update(|t| t.first_rows_ms = Some(now_ms()));
    data.report.set(Some(Arc::new(report)));
    data.complete.set(true);
    Ok(())
}

/// An XLSX workbook is a ZIP: read whole (up to `MAX_XLSX_BYTES`) on the scan worker, which
/// holds the XLSX reader (`parallel::read_sheet`); one sheet shown, then sorted and filtered in
/// memory like a small CSV.
async fn load_xlsx(data: PreviewData) -> Result<(), Stop> {
    let dist = data.distribution.get_value();
    if dist.byte_size > MAX_XLSX_BYTES as u64 {
        return Err(format!("XLSX > {MAX_XLSX_BYTES} bytes").into());
    }
    data.timings.update(|t| t.request_ms = Some(now_ms()));
    let job = SheetJob { url: data.url.get_value(), sheet: data.sheet.get_value(), header_row: dist.header_row };
    let read = parallel::read_sheet(job).await?;
    still_shown(data)?;
    let report = read.report();
    let t = read.sheet;
    data.sheets.set(t.sheets);
    data.left_out.set(t.left_out);
    data.layout.set(Some(report.layout.clone()));
    data.first_rows.set(Arc::new(t.table));
    data.timings.update(|t| t.first_rows_ms = Some(now_ms()));
    data.report.set(Some(Arc::new(report)));
    data.complete.set(true);
    Ok(())
}

/// The type used for sort keys: from the whole-file profile, else from the first rows.
fn column_type(data: PreviewData, col: usize) -> ColumnType {
    if let Some(r) = data.report.get_untracked() {
        if let Some(p) = r.profiles.get(col) {
            return p.inferred_type;
        }
    }
    data.first_rows.with_untracked(|t| t.profile().get(col).map(|p| p.inferred_type).unwrap_or(ColumnType::String))
}

/// Applies the current sort and filter: in memory when the whole file is held, else by a
/// whole-file scan.
/// Whether every row is in memory (a small file read whole), so sorting and filtering need
/// no scan of the file.
fn held_in_memory(data: PreviewData) -> bool {
    let held_whole = data.complete.get_untracked() && data.offsets.with_untracked(|o| o.is_none());
    let small = data.complete.get_untracked()
        && data.report.with_untracked(|r| r.as_ref().is_some_and(|r| r.rows as usize <= FIRST_ROWS));
    held_whole || small
}

pub fn apply_view(data: PreviewData) {
    let sort = data.sort.get_untracked();
    let filter = data.filter.get_untracked();
    if sort.is_none() && filter.is_none() {
        data.order.set(None);
        return;
    }
    if held_in_memory(data) {
        let sort = sort.map(|(c, d)| (c, column_type(data, c), d));
        let order = data.first_rows.with_untracked(|t| t.view_order(sort, filter.as_ref()));
        data.order.set(Some(Arc::new(order)));
        return;
    }
    run_scan(data);
}

/// Scans the whole file (profile, offsets, and the current sort/filter) with progress.
/// The pointer or focus is on a control that scans the whole file (scan, filter): start its
/// workers now (`parallel::prestart`), unless the rows are in memory or a scan is running.
pub fn prestart_scan(data: PreviewData) {
    if scanning(data) || held_in_memory(data) {
        return;
    }
    let total = data.distribution.with_value(|d| d.byte_size);
    data.layout.with_untracked(|l| {
        if let Some(layout) = l {
            parallel::prestart(total, layout);
        }
    });
}

/// Whether a whole-file scan is running.
fn scanning(data: PreviewData) -> bool {
    data.progress.with_untracked(|p| p.as_ref().is_some_and(|p| p.task == Task::Scan))
}

pub fn run_scan(data: PreviewData) {
    if scanning(data) {
        return;
    }
    spawn_local(async move {
        if let Err(e) = scan_pass(data).await {
            fail(data, e);
        }
    });
}

async fn scan_pass(data: PreviewData) -> Result<(), Stop> {
    let dist = data.distribution.get_value();
    let started = now_ms();
    data.progress.set(Some(Progress { task: Task::Scan, bytes: 0, total: Some(dist.byte_size), rows: 0 }));
    let (result, parts) = scan_whole_file(data, &dist).await?;
    finish_scan(data, result);
    data.complete.set(true);
    data.timings.update(|t| {
        t.scan_parts = Some(parts);
        t.scan_ms = Some(now_ms() - started);
    });
    Ok(())
}

/// The whole-file scan and how many parts it ran in: on workers, one part of the file each,
/// when the file is large enough to split; else on the page.
async fn scan_whole_file(data: PreviewData, dist: &Distribution) -> Result<(ScanResult, usize), Stop> {
    let url = data.url.get_value();
    let sort = data.sort.get_untracked().map(|(c, d)| (c, column_type(data, c), d));
    let filter = data.filter.get_untracked();
    if let Some(layout) = data.layout.get_untracked().filter(|_| dist.byte_size > 0) {
        let request = parallel::Request {
            spec: ScanSpec {
                url: url.clone(),
                sort,
                filter: filter.clone(),
                declared_encoding: dist.encoding.clone(),
                header_row: dist.header_row,
                sniff_bytes: reader_options(dist).sniff_bytes,
            },
            total: dist.byte_size,
            layout,
        };
        let total = Some(dist.byte_size);
        let shown = |bytes| data.progress.set(Some(Progress { task: Task::Scan, bytes, total, rows: 0 }));
        if let Some(result) = parallel::scan(request, shown).await {
            still_shown(data)?;
            return result.map_err(Stop::from);
        }
    }
    let mut stream = ByteStream::open(&url).await?;
    still_shown(data)?;
    let total = stream.total.or(Some(dist.byte_size).filter(|b| *b > 0));
    let opts = ScanOptions { reader: reader_options(dist), keep_offsets: true, sort, filter, ..Default::default() };
    let mut scan = TableScan::new(opts);
    let mut slice_start = now_ms();
    while let Some(chunk) = stream.next().await? {
        still_shown(data)?;
        scan.feed(&chunk).map_err(|e| e.to_string())?;
        if now_ms() - slice_start > SLICE_MS {
            data.progress.set(Some(Progress {
                task: Task::Scan,
                bytes: scan.bytes_read(),
                total,
                rows: scan.rows_read(),
            }));
            yield_to_browser().await;
            still_shown(data)?;
            slice_start = now_ms();
        }
    }
    Ok((scan.finish().map_err(|e| e.to_string())?, 1))
}

/// Direction after a click on a column's sort button: ascending → descending → none.
pub fn next_sort(current: Option<(usize, Direction)>, col: usize) -> Option<(usize, Direction)> {
    match current {
        Some((c, Direction::Ascending)) if c == col => Some((col, Direction::Descending)),
        Some((c, Direction::Descending)) if c == col => None,
        _ => Some((col, Direction::Ascending)),
    }
}

/// Makes sure the given file rows are (or will be) in the cache, reading them by byte range.
pub fn ensure_rows(data: PreviewData, fetching: RwSignal<bool>, wanted: Vec<u32>) {
    if fetching.get_untracked() {
        return;
    }
    let held = data.first_rows.with_untracked(|t| t.rows.len()) as u32;
    let mut missing: Vec<u32> =
        data.cache.with_value(|c| wanted.into_iter().filter(|r| *r >= held && !c.contains_key(r)).collect());
    if missing.is_empty() {
        return;
    }
    let (Some(offsets), Some(layout)) = (data.offsets.get_untracked(), data.layout.get_untracked()) else {
        return;
    };
    missing.sort_unstable();
    missing.dedup();
    fetching.set(true);
    spawn_local(async move {
        let result = read_clusters(data, &offsets, &layout, &missing).await;
        fetching.set(false);
        match result {
            Ok(()) => data.cache_version.update(|v| *v += 1),
            Err(e) => fail(data, e),
        }
    });
}

/// Reads rows into the cache (see [`read_rows`]).
async fn read_clusters(data: PreviewData, offsets: &RowOffsets, layout: &Layout, rows: &[u32]) -> Result<(), Stop> {
    let url = data.url.get_value();
    read_rows(&url, offsets, layout, rows, |first, parsed| {
        // Nothing to fill once the page is left.
        data.cache.try_update_value(|c| {
            if c.len() > CACHE_ROWS {
                c.clear();
            }
            for (k, row) in parsed.into_iter().enumerate() {
                c.insert(first + k as u32, Arc::new(row));
            }
        });
    })
    .await
    .map_err(Stop::from)
}

/// Reads the given (sorted) file rows by byte range, grouping rows whose bytes are close into
/// one request each; `got(first_row, rows)` receives every parsed run (it may hold rows between
/// the wanted ones).
pub async fn read_rows(
    url: &str,
    offsets: &RowOffsets,
    layout: &Layout,
    rows: &[u32],
    mut got: impl FnMut(u32, Vec<Vec<String>>),
) -> Result<(), String> {
    let mut i = 0;
    while i < rows.len() {
        let first = rows[i] as usize;
        let mut last = first;
        let mut j = i + 1;
        while j < rows.len() {
            let next = rows[j] as usize;
            let (Some((_, last_end)), Some((next_start, _))) = (offsets.row(last), offsets.row(next)) else { break };
            if next_start.saturating_sub(last_end) > MERGE_GAP_BYTES {
                break;
            }
            last = next;
            j += 1;
        }
        let Some((start, end)) = offsets.span(first, last - first + 1) else { break };
        let bytes = fetch_range(url, start, end).await.map_err(|e| e.to_string())?;
        let parsed = read_rows_at(&bytes, layout).map_err(|e| e.to_string())?;
        got(first as u32, parsed);
        i = j;
    }
    Ok(())
}
