//! Tables from published files: CSV (any chunking, UTF-8/GB18030/UTF-16) and JSON arrays.
//!
//! The map:
//! - [`encoding`]: which encoding a file is in (BOM, UTF-8 check, GB18030), with a confidence.
//! - [`parser`]: the chunked CSV record parser over raw bytes, with byte offsets per record.
//! - [`sniff`]: delimiter and header guessing.
//! - [`reader`]: [`TableReader`], bytes in → decoded [`Row`]s out, problems reported.
//! - [`cell`]: what one cell's text is (number, date, …) — shared with charts.
//! - [`profile`]: incremental column profiles.
//! - [`scan`]: a whole-file pass: reader + profiles + row offsets + sort keys / filter matches.
//! - [`index`]: sort keys, filters and row offsets for sorting/filtering a file that is never
//!   held in memory.
//! - [`json`]: JSON arrays of objects as a [`Table`].
//! - [`Table`]: a small in-memory table (a screen of rows, a JSON file) with column accessors.

/// Declares constants of type `$ty` numbered 0, 1, 2 … in the order given: the byte classes
/// and automaton states of the per-byte loops. They index tables, so they are small dense
/// integers rather than an enum (which would need a cast at every lookup); numbering them here
/// keeps them dense and distinct without counting by hand.
macro_rules! numbered {
    ($ty:ty; $($(#[$m:meta])* $name:ident),+ $(,)?) => {
        numbered!(@ $ty, 0; $($(#[$m])* $name,)+);
    };
    (@ $ty:ty, $n:expr; $(#[$m:meta])* $name:ident, $($rest:tt)*) => {
        $(#[$m])*
        const $name: $ty = $n;
        numbered!(@ $ty, $n + 1; $($rest)*);
    };
    (@ $ty:ty, $n:expr;) => {};
}

pub mod cell;
pub mod encoding;
pub mod index;
pub mod jobs;
pub mod json;
pub mod parser;
pub mod parts;
pub mod profile;
pub mod reader;
pub mod scan;
pub mod shape;
pub mod sniff;
mod utf8;
pub mod wire;
pub mod xlsx;
mod zipdir;

pub use cell::CellKind;
pub use encoding::{EncodingGuess, TextEncoding};
pub use index::{Filter, FilterOp, RowOffsets, SortIndexBuilder, SortKey};
pub use profile::{ColumnProfile, ColumnSummary, ColumnType};
pub use reader::{Layout, ReaderOptions, Row, TableReader};
pub use scan::{ScanReport, TableScan};

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TableError {
    #[error("the record starting at line {line} is larger than {limit} bytes (an unclosed quote?)")]
    RecordTooLarge { line: u64, limit: usize },
    #[error("the file is larger than {limit} bytes, the most this reader takes for {format}")]
    TooLarge { format: &'static str, limit: usize },
    #[error("not a JSON array of objects: {0}")]
    NotJsonArray(String),
    #[error("not a readable XLSX workbook: {0}")]
    NotSpreadsheet(String),
    #[error("bytes were fed after the end of input")]
    FedAfterFinish,
    #[error("column {0} does not exist")]
    NoSuchColumn(usize),
}

/// Something wrong with the file, reported with where it is; the row is still shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// 1-based data row (None for the header).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<u64>,
    /// 1-based line of the file where the record starts.
    pub line: u64,
    #[serde(flatten)]
    pub kind: ProblemKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProblemKind {
    /// A ragged row: fewer fields than columns (the missing cells read as empty).
    TooFewFields {
        expected: usize,
        found: usize,
    },
    /// A ragged row: more fields than columns (the extra cells are kept).
    TooManyFields {
        expected: usize,
        found: usize,
    },
    /// The file ended inside a quoted field.
    UnclosedQuote,
    /// Bytes that are not valid in the file's encoding (shown as U+FFFD).
    InvalidBytes,
    EmptyColumnName {
        column: usize,
    },
    DuplicateColumnName {
        name: String,
    },
    /// A JSON file's local fault, repaired so the rest can be read (`lenient_json`).
    RepairedJson {
        column: u64,
        fault: crate::lenient_json::Fault,
    },
}

/// Problems found so far: the first `cap` with details, all counted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problems {
    pub list: Vec<Problem>,
    pub total: u64,
    #[serde(skip)]
    cap: usize,
}

impl Problems {
    pub const fn empty() -> Problems {
        Problems { list: Vec::new(), total: 0, cap: 0 }
    }
    pub fn new(cap: usize) -> Problems {
        Problems { list: Vec::new(), total: 0, cap }
    }
    pub fn push(&mut self, p: Problem) {
        self.total += 1;
        if self.list.len() < self.cap {
            self.list.push(p);
        }
    }
    /// More problems were found than are listed.
    pub fn truncated(&self) -> bool {
        self.total > self.list.len() as u64
    }
}

/// A table held in memory: a screen of rows, or a whole (small) JSON file.
/// Rows may be ragged; `cell` treats missing cells as absent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn cell(&self, row: usize, col: usize) -> Option<&str> {
        self.rows.get(row)?.get(col).map(String::as_str)
    }

    /// Index of the column with this name.
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    /// Every row's value in one column (`None` where a ragged row has no such cell).
    pub fn column_values(&self, col: usize) -> impl Iterator<Item = Option<&str>> + '_ {
        self.rows.iter().map(move |r| r.get(col).map(String::as_str))
    }

    /// The column's numeric values (cells that are not numbers are skipped), for charts.
    pub fn column_numbers(&self, col: usize) -> impl Iterator<Item = Option<f64>> + '_ {
        self.column_values(col).map(|v| v.and_then(cell::parse_number))
    }

    /// Profiles every column of the rows held.
    pub fn profile(&self) -> Vec<ColumnSummary> {
        let mut profiles: Vec<ColumnProfile> = self.columns.iter().map(ColumnProfile::new).collect();
        for row in &self.rows {
            for (i, p) in profiles.iter_mut().enumerate() {
                match row.get(i) {
                    Some(v) => p.observe(v),
                    None => p.observe_missing(),
                }
            }
        }
        profiles.iter().map(ColumnProfile::summary).collect()
    }

    /// The rows to show, as 0-based indices: those matching `filter`, ordered by `sort`
    /// (column, its type, direction) — the in-memory twin of a sorting/filtering scan.
    pub fn view_order(&self, sort: Option<(usize, ColumnType, index::Direction)>, filter: Option<&Filter>) -> Vec<u32> {
        let keep = |i: usize| filter.is_none_or(|f| f.matches_cell(self.cell(i, f.column)));
        match sort {
            None => (0..self.rows.len()).filter(|&i| keep(i)).map(|i| i as u32).collect(),
            Some((col, ty, dir)) => {
                let mut b = SortIndexBuilder::new(col, ty);
                for i in (0..self.rows.len()).filter(|&i| keep(i)) {
                    b.push_cell(i as u32, self.cell(i, col));
                }
                b.finish(dir)
            }
        }
    }

    /// Reads a whole CSV held in memory (tests, small files). Large files go through
    /// [`TableReader`] chunk by chunk instead.
    pub fn from_csv_bytes(bytes: &[u8], opts: ReaderOptions) -> Result<(Table, Layout, Problems), TableError> {
        let mut reader = TableReader::new(opts);
        let mut rows = Vec::new();
        reader.feed(bytes, &mut |r: &Row<'_>| rows.push(r.to_strings()))?;
        reader.finish(&mut |r: &Row<'_>| rows.push(r.to_strings()))?;
        let layout = reader.layout().cloned().expect("finish always sets a layout");
        let table = Table { columns: layout.columns.clone(), rows };
        Ok((table, layout, reader.problems().clone()))
    }
}
