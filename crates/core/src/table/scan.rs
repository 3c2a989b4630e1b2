//! One pass over a whole file, chunk by chunk: the layout, the column profiles, the problems,
//! and whatever sorting/filtering needs — row offsets, sort keys, matching rows — and nothing
//! else. The app runs it on the response stream with a progress bar; `kaifang inspect` runs it
//! on a file read in blocks.

use super::cell::{self, Value};
use super::index::{Direction, Filter, RowOffsets, SortIndexBuilder};
use super::parts::PartOutcome;
use super::profile::{ColumnProfile, ColumnSummary, ColumnType, DEFAULT_DISTINCT_CAP};
use super::reader::{Boundary, Layout, ReaderOptions, Row, TableReader};
use super::{Problems, TableError};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone)]
pub struct ScanOptions {
    pub reader: ReaderOptions,
    /// Compute column profiles.
    pub profile: bool,
    pub distinct_cap: usize,
    /// Keep every row's byte offset (8 bytes a row) for random access.
    pub keep_offsets: bool,
    /// Keep the first rows as text (for a preview before the scan ends).
    pub keep_first_rows: usize,
    /// Collect sort keys for this column, read as this type.
    pub sort: Option<(usize, ColumnType, Direction)>,
    /// Keep the numbers of the rows that match.
    pub filter: Option<Filter>,
    /// Keep these columns' values as numbers, one per row (for charts over the whole file):
    /// numbers as themselves, dates as packed date-times (`cell::pack_datetime`), anything
    /// else NaN. 8 bytes a row a column.
    pub collect_columns: Vec<usize>,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            reader: ReaderOptions::default(),
            profile: true,
            distinct_cap: DEFAULT_DISTINCT_CAP,
            keep_offsets: false,
            keep_first_rows: 0,
            sort: None,
            filter: None,
            collect_columns: Vec::new(),
        }
    }
}

/// What `kaifang inspect` prints and the profile panel shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanReport {
    pub format: String,
    pub bytes: u64,
    pub layout: Layout,
    pub rows: u64,
    pub column_count: usize,
    pub problems: Problems,
    pub profiles: Vec<ColumnSummary>,
}

impl ScanReport {
    /// The report of a CSV scan (one pass, or merged parts).
    pub fn csv(layout: Layout, bytes: u64, rows: u64, problems: Problems, profiles: Vec<ColumnSummary>) -> ScanReport {
        ScanReport { format: "csv".into(), bytes, column_count: layout.columns.len(), rows, problems, profiles, layout }
    }
}

/// Everything a finished scan produced.
#[derive(Debug, Clone)]
pub struct ScanResult {
    pub report: ScanReport,
    pub offsets: Option<RowOffsets>,
    /// 0-based row indices in sorted order.
    pub sorted: Option<Vec<u32>>,
    /// 0-based indices of the rows that match the filter, in file order.
    pub matches: Option<Vec<u32>>,
    /// One vector per `ScanOptions::collect_columns` entry, in that order.
    pub columns: Vec<Vec<f64>>,
    /// The first `ScanOptions::keep_first_rows` rows.
    pub first_rows: Vec<Vec<String>>,
}

pub struct TableScan {
    reader: TableReader,
    state: ScanState,
}

struct ScanState {
    opts: ScanOptions,
    profiles: Vec<ColumnProfile>,
    offsets: RowOffsets,
    first_rows: Vec<Vec<String>>,
    sort: Option<SortIndexBuilder>,
    matches: Vec<u32>,
    columns: Vec<Vec<f64>>,
}

impl TableScan {
    pub fn new(opts: ScanOptions) -> TableScan {
        let sort = opts.sort.map(|(col, ty, _)| SortIndexBuilder::new(col, ty));
        TableScan {
            reader: TableReader::new(opts.reader.clone()),
            state: ScanState {
                profiles: Vec::new(),
                offsets: RowOffsets::new(),
                first_rows: Vec::new(),
                sort,
                matches: Vec::new(),
                columns: vec![Vec::new(); opts.collect_columns.len()],
                opts,
            },
        }
    }

    /// A scan of one part of a file whose layout is known, from byte `from` (see
    /// `TableReader::resume` and `parts`).
    pub fn resume(opts: ScanOptions, layout: Layout, from: u64, seek: bool) -> TableScan {
        let mut scan = TableScan::new(opts);
        scan.reader = TableReader::resume(scan.state.opts.reader.clone(), layout, from, seek);
        scan
    }

    /// Where a part stopped (`ReaderOptions::stop_at`); feeding more is wasted.
    pub fn boundary(&self) -> Option<Boundary> {
        self.reader.boundary()
    }

    /// Stream offset just past the last byte fed.
    pub fn position(&self) -> u64 {
        self.reader.position()
    }

    /// Ends a part of a split scan: what it found, unsummarised, for `parts::Merge`.
    pub fn finish_part(mut self) -> Result<PartOutcome, TableError> {
        let layout = self.end_reading()?;
        let st = self.state;
        let profiles = st.profiles;
        let dir = st.opts.sort.map(|s| s.2).unwrap_or(Direction::Ascending);
        let first = self.reader.first_record();
        Ok(PartOutcome {
            first_record: first.map(|r| r.0),
            first_line: first.map_or(1, |r| r.1),
            boundary: self.reader.boundary(),
            end: self.reader.position(),
            rows: self.reader.rows_read(),
            problems: self.reader.problems().clone(),
            layout,
            profiles,
            offsets: st.offsets,
            sorted: st.sort.map(|s| s.finish_keyed(dir)),
            matches: st.opts.filter.is_some().then_some(st.matches),
            columns: st.columns,
        })
    }

    pub fn feed(&mut self, chunk: &[u8]) -> Result<(), TableError> {
        let TableScan { reader, state } = self;
        reader.feed(chunk, &mut |row: &Row<'_>| state.on_row(row))
    }

    pub fn bytes_read(&self) -> u64 {
        self.reader.bytes_read()
    }
    pub fn rows_read(&self) -> u64 {
        self.reader.rows_read()
    }
    pub fn layout(&self) -> Option<&Layout> {
        self.reader.layout()
    }
    pub fn first_rows(&self) -> &[Vec<String>] {
        &self.state.first_rows
    }

    pub fn finish(mut self) -> Result<ScanResult, TableError> {
        let layout = self.end_reading()?;
        let st = self.state;
        let profiles =
            if st.opts.profile { st.profiles.iter().map(ColumnProfile::summary).collect() } else { Vec::new() };
        let (rows, problems) = (self.reader.rows_read(), self.reader.problems().clone());
        let report = ScanReport::csv(layout, self.reader.bytes_read(), rows, problems, profiles);
        let dir = st.opts.sort.map(|s| s.2).unwrap_or(Direction::Ascending);
        Ok(ScanResult {
            report,
            offsets: st.opts.keep_offsets.then_some(st.offsets),
            sorted: st.sort.map(|s| s.finish(dir)),
            matches: st.opts.filter.is_some().then_some(st.matches),
            columns: st.columns,
            first_rows: st.first_rows,
        })
    }

    /// Ends the input and returns the layout; a file with a header and no rows still gets a
    /// (blank) profile for each of its columns.
    fn end_reading(&mut self) -> Result<Layout, TableError> {
        let TableScan { reader, state } = self;
        reader.finish(&mut |row: &Row<'_>| state.on_row(row))?;
        let layout = self.reader.layout().cloned().expect("finish sets the layout");
        let st = &mut self.state;
        if st.opts.profile && st.profiles.is_empty() {
            let cap = st.opts.distinct_cap;
            st.profiles = layout.columns.iter().map(|c| ColumnProfile::with_distinct_cap(c.clone(), cap)).collect();
        }
        Ok(layout)
    }
}

impl ScanState {
    fn on_row(&mut self, row: &Row<'_>) {
        if self.opts.profile {
            if row.number == 1 {
                // The columns are known once the first row arrives.
                let cap = self.opts.distinct_cap;
                self.profiles =
                    row.columns().iter().map(|c| ColumnProfile::with_distinct_cap(c.clone(), cap)).collect();
            }
            let mut fields = row.fields();
            for p in self.profiles.iter_mut() {
                match fields.next() {
                    Some(v) => p.observe(v),
                    None => p.observe_missing(),
                }
            }
        }
        if self.opts.keep_offsets {
            self.offsets.push(row.start, row.end);
        }
        if (row.number as usize) <= self.opts.keep_first_rows {
            self.first_rows.push(row.to_strings());
        }
        if let Some(s) = &mut self.sort {
            s.push(row);
        }
        for (k, &col) in self.opts.collect_columns.iter().enumerate() {
            let v = row.get(col).map(cell::parse_cell).unwrap_or(Value::Null);
            let x = match v {
                Value::Date(p) | Value::DateTime(p) => p as f64,
                other => other.as_f64().unwrap_or(f64::NAN),
            };
            self.columns[k].push(x);
        }
        if let Some(f) = &self.opts.filter {
            if f.matches(row) {
                self.matches.push((row.number - 1) as u32);
            }
        }
    }
}
