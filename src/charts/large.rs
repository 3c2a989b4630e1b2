//! Charting files too big to fetch whole as text (the 144 MB bus-card records): the preview's
//! streaming whole-file scan (`kaifang_core::table::scan`) keeps only the numbers of the
//! numeric and temporal columns (`ScanOptions::collect_columns`), 8 bytes per cell; lines are
//! then downsampled by LTTB as for small files (`kaifang_core::chart::prepare_numeric`).
//!
//! Two passes over the stream: the first stops after [`SAMPLE_ROWS`] rows, enough to find the
//! layout and classify the columns; the second reads the whole file and collects the numbers.

use super::table::ChartTable;
use crate::net::ranges::ByteStream;
use crate::pace::{now_ms, yield_to_browser};
use kaifang_core::catalog::Distribution;
use kaifang_core::chart::ColumnKind;
use kaifang_core::table::scan::{ScanOptions, TableScan};
use kaifang_core::table::ReaderOptions;

/// Rows read to classify the columns.
const SAMPLE_ROWS: usize = 2000;
/// Time slice of the scan before the browser gets a turn.
const SLICE_MS: f64 = 40.0;

fn reader_options(d: &Distribution) -> ReaderOptions {
    d.reader_options()
}

/// Scans the file at `url`; `progress(bytes_read, total)` is called between slices.
pub async fn load(
    url: &str,
    dist: &Distribution,
    mut progress: impl FnMut(u64, Option<u64>),
) -> Result<ChartTable, String> {
    // Pass 1: the header and a sample of rows.
    let mut stream = ByteStream::open(url).await.map_err(|e| e.to_string())?;
    let mut scan = TableScan::new(ScanOptions {
        reader: reader_options(dist),
        keep_first_rows: SAMPLE_ROWS,
        profile: false,
        ..Default::default()
    });
    let mut ended = true;
    while let Some(chunk) = stream.next().await.map_err(|e| e.to_string())? {
        scan.feed(&chunk).map_err(|e| e.to_string())?;
        if scan.first_rows().len() >= SAMPLE_ROWS {
            ended = false;
            break;
        }
    }
    if !ended {
        stream.cancel();
    }
    let sample = scan.finish().map_err(|e| e.to_string())?;
    let headers = sample.report.layout.columns.clone();
    let mut columns: Vec<Vec<String>> = vec![Vec::new(); headers.len()];
    for row in &sample.first_rows {
        for (i, col) in columns.iter_mut().enumerate() {
            col.push(row.get(i).cloned().unwrap_or_default());
        }
    }
    let mut table = ChartTable::from_columns(headers, columns, 0);
    let collect: Vec<usize> = (0..table.kinds.len()).filter(|&i| table.kinds[i] != ColumnKind::Categorical).collect();

    // Pass 2: the whole file, keeping only those columns' numbers.
    let mut stream = ByteStream::open(url).await.map_err(|e| e.to_string())?;
    let total = stream.total.or(Some(dist.byte_size).filter(|b| *b > 0));
    let mut scan = TableScan::new(ScanOptions {
        reader: reader_options(dist),
        profile: false,
        collect_columns: collect.clone(),
        ..Default::default()
    });
    let mut slice_start = now_ms();
    while let Some(chunk) = stream.next().await.map_err(|e| e.to_string())? {
        scan.feed(&chunk).map_err(|e| e.to_string())?;
        if now_ms() - slice_start > SLICE_MS {
            progress(scan.bytes_read(), total);
            yield_to_browser().await;
            slice_start = now_ms();
        }
    }
    let result = scan.finish().map_err(|e| e.to_string())?;
    let mut numbers: Vec<Option<Vec<f64>>> = vec![None; table.headers.len()];
    for (values, col) in result.columns.into_iter().zip(collect) {
        numbers[col] = Some(values);
    }
    table.numbers = Some(numbers);
    Ok(table)
}
