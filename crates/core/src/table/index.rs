//! Sorting, filtering and random access over a file that is never held in memory.
//!
//! A whole-file scan keeps, per row, only its byte offset ([`RowOffsets`], 8 bytes a row) and,
//! when sorting, one compact key per row ([`SortKey`]); a filter keeps only the numbers of the
//! matching rows. A screen of rows is then read back by byte range ([`read_rows_at`]): the app
//! fetches exactly those bytes with an HTTP Range request.

use super::cell::{self, Value};
use super::encoding::TextEncoding;
use super::parser::RecordParser;
use super::profile::ColumnType;
use super::reader::{Layout, Row};
use super::TableError;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// Where each data row starts in the file, plus where the last one ends.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowOffsets {
    starts: Vec<u64>,
    end: u64,
}

impl RowOffsets {
    pub fn new() -> RowOffsets {
        RowOffsets::default()
    }
    pub fn push(&mut self, start: u64, end: u64) {
        self.starts.push(start);
        self.end = end;
    }
    pub fn len(&self) -> usize {
        self.starts.len()
    }
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }
    /// Byte range `[start, end)` of the 0-based row `i`.
    pub fn row(&self, i: usize) -> Option<(u64, u64)> {
        let start = *self.starts.get(i)?;
        let end = self.starts.get(i + 1).copied().unwrap_or(self.end);
        Some((start, end))
    }
    /// Byte range covering the consecutive rows `first..first+count` (clamped to the rows known).
    pub fn span(&self, first: usize, count: usize) -> Option<(u64, u64)> {
        let last = first.checked_add(count)?.min(self.len()).checked_sub(1)?;
        if first > last {
            return None;
        }
        Some((self.row(first)?.0, self.row(last)?.1))
    }
    /// The rows' starts and the last row's end, as [`RowOffsets::from_parts`] takes them.
    pub fn parts(&self) -> (&[u64], u64) {
        (&self.starts, self.end)
    }
    pub fn from_parts(starts: Vec<u64>, end: u64) -> RowOffsets {
        RowOffsets { starts, end }
    }
    /// Adds the rows of the part of the file that follows.
    pub fn append(&mut self, later: &RowOffsets) {
        if !later.is_empty() {
            self.starts.extend_from_slice(&later.starts);
            self.end = later.end;
        }
    }
    /// Heap bytes held, for the memory note in the UI and benchmarks.
    pub fn heap_bytes(&self) -> usize {
        self.starts.capacity() * 8
    }
}

/// Parses rows out of a byte range that starts at a row boundary (from [`RowOffsets`]).
pub fn read_rows_at(bytes: &[u8], layout: &Layout) -> Result<Vec<Vec<String>>, TableError> {
    let enc = layout.encoding.encoding;
    let mut parser = RecordParser::new(layout.delimiter_byte(), enc == TextEncoding::Gb18030, 0);
    let mut rows = Vec::new();
    let mut sink = |raw: &super::parser::RawRecord<'_>| {
        rows.push(
            (0..raw.len())
                .map(|i| super::encoding::decode_field(raw.field(i).unwrap_or(b""), enc).0.into_owned())
                .collect(),
        );
    };
    parser.feed(bytes, &mut sink)?;
    parser.finish(&mut sink);
    Ok(rows)
}

/// One row's sort key. Empty cells sort last in either direction.
#[derive(Debug, Clone, PartialEq)]
pub enum SortKey {
    Number(f64),
    Text(Box<str>),
    Null,
}

impl SortKey {
    /// The key for a cell of a column of type `ty`: numbers by value, dates by their ISO form,
    /// the rest as text.
    pub fn of(raw: Option<&str>, ty: ColumnType) -> SortKey {
        let Some(raw) = raw else { return SortKey::Null };
        let value = cell::parse_cell(raw);
        match value {
            Value::Null => SortKey::Null,
            Value::Integer(_) | Value::Number(_) if ty.is_numeric() => SortKey::Number(value.as_f64().unwrap_or(0.0)),
            // Packed date-times order like the dates; f64 holds them exactly (< 2^53).
            Value::Date(p) | Value::DateTime(p) if ty.is_temporal() => SortKey::Number(p as f64),
            _ => SortKey::Text(raw.trim().into()),
        }
    }

    fn cmp_non_null(&self, other: &SortKey) -> Ordering {
        match (self, other) {
            (SortKey::Number(a), SortKey::Number(b)) => a.total_cmp(b),
            (SortKey::Number(_), SortKey::Text(_)) => Ordering::Less,
            (SortKey::Text(_), SortKey::Number(_)) => Ordering::Greater,
            (SortKey::Text(a), SortKey::Text(b)) => a.cmp(b),
            _ => Ordering::Equal,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Ascending,
    Descending,
}

/// Collects one key per row during a scan, then orders the rows.
#[derive(Debug, Clone)]
pub struct SortIndexBuilder {
    pub column: usize,
    ty: ColumnType,
    keys: Vec<(SortKey, u32)>,
}

impl SortIndexBuilder {
    /// `ty` is the column's type (from an earlier profile, or `String` when unknown).
    pub fn new(column: usize, ty: ColumnType) -> SortIndexBuilder {
        SortIndexBuilder { column, ty, keys: Vec::new() }
    }
    pub fn push(&mut self, row: &Row<'_>) {
        self.push_cell((row.number - 1) as u32, row.get(self.column));
    }
    /// Adds the 0-based row `index` whose cell in the sort column is `cell`.
    pub fn push_cell(&mut self, index: u32, cell: Option<&str>) {
        self.keys.push((SortKey::of(cell, self.ty), index));
    }
    /// 0-based row indices in sorted order; ties keep file order; empty cells last.
    pub fn finish(self, dir: Direction) -> Vec<u32> {
        self.finish_keyed(dir).into_iter().map(|(_, i)| i).collect()
    }

    /// The keys with their rows, in sorted order (for [`merge_sorted`]).
    pub fn finish_keyed(mut self, dir: Direction) -> Vec<(SortKey, u32)> {
        self.keys.sort_by(|a, b| view_order(a, b, dir));
        self.keys
    }
}

/// The order of a sorted view: by key (empty cells last in either direction), ties in file order.
fn view_order((a, ia): &(SortKey, u32), (b, ib): &(SortKey, u32), dir: Direction) -> Ordering {
    let ord = match (a, b) {
        (SortKey::Null, SortKey::Null) => Ordering::Equal,
        (SortKey::Null, _) => return Ordering::Greater,
        (_, SortKey::Null) => return Ordering::Less,
        _ => a.cmp_non_null(b),
    };
    let ord = if dir == Direction::Descending { ord.reverse() } else { ord };
    ord.then(ia.cmp(ib))
}

/// Merges runs sorted by [`SortIndexBuilder::finish_keyed`] (row numbers already of the whole
/// file) into the rows' order: the order one sort of all the keys gives.
pub fn merge_sorted(runs: Vec<Vec<(SortKey, u32)>>, dir: Direction) -> Vec<u32> {
    let total = runs.iter().map(Vec::len).sum();
    let mut out = Vec::with_capacity(total);
    let mut at = vec![0usize; runs.len()];
    // Few runs (one per part): a linear pick of the smallest head is cheaper than a heap.
    loop {
        let mut best: Option<usize> = None;
        for (i, run) in runs.iter().enumerate() {
            let Some(head) = run.get(at[i]) else { continue };
            if best.is_none_or(|b| view_order(head, &runs[b][at[b]], dir) == Ordering::Less) {
                best = Some(i);
            }
        }
        let Some(b) = best else { break };
        out.push(runs[b][at[b]].1);
        at[b] += 1;
    }
    out
}

/// A condition on one column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", content = "value", rename_all = "snake_case")]
pub enum FilterOp {
    /// The cell contains the text (ASCII letters compared case-insensitively).
    Contains(String),
    Equals(String),
    /// A number greater than or equal to.
    AtLeast(f64),
    /// A number less than or equal to.
    AtMost(f64),
    IsEmpty,
    NotEmpty,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Filter {
    pub column: usize,
    #[serde(flatten)]
    pub op: FilterOp,
}

impl Filter {
    pub fn matches(&self, row: &Row<'_>) -> bool {
        self.matches_cell(row.get(self.column))
    }

    pub fn matches_cell(&self, cell_text: Option<&str>) -> bool {
        let text = cell_text.unwrap_or("");
        let empty = cell::classify(text) == cell::CellKind::Null;
        match &self.op {
            FilterOp::Contains(needle) => contains_ignore_ascii_case(text, needle),
            FilterOp::Equals(v) => text.trim() == v.trim(),
            FilterOp::AtLeast(min) => cell::parse_number(text).is_some_and(|v| v >= *min),
            FilterOp::AtMost(max) => cell::parse_number(text).is_some_and(|v| v <= *max),
            FilterOp::IsEmpty => empty,
            FilterOp::NotEmpty => !empty,
        }
    }
}

fn contains_ignore_ascii_case(hay: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return true;
    }
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    if n.len() > h.len() {
        return false;
    }
    // Byte windows are safe: a match of a whole UTF-8 needle starts on a character boundary.
    h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_keys_order_numbers_and_put_nulls_last() {
        let vals = ["10", "", "9", "abc", "-1"];
        let mut keys: Vec<(SortKey, u32)> =
            vals.iter().enumerate().map(|(i, v)| (SortKey::of(Some(v), ColumnType::Number), i as u32)).collect();
        let b = SortIndexBuilder { column: 0, ty: ColumnType::Number, keys: std::mem::take(&mut keys) };
        assert_eq!(b.clone().finish(Direction::Ascending), vec![4, 2, 0, 3, 1]);
        assert_eq!(b.finish(Direction::Descending), vec![3, 0, 2, 4, 1]);
    }

    #[test]
    fn filters() {
        let f = |op| Filter { column: 0, op };
        assert!(f(FilterOp::Contains("pm".into())).matches_cell(Some("PM10")));
        assert!(f(FilterOp::Contains("东城".into())).matches_cell(Some("东城区监测站")));
        assert!(!f(FilterOp::Contains("西城".into())).matches_cell(Some("东城区监测站")));
        assert!(f(FilterOp::AtLeast(50.0)).matches_cell(Some("67")));
        assert!(!f(FilterOp::AtLeast(50.0)).matches_cell(Some("x")));
        assert!(f(FilterOp::IsEmpty).matches_cell(None));
        assert!(f(FilterOp::NotEmpty).matches_cell(Some("1")));
    }

    #[test]
    fn offsets_span() {
        let mut o = RowOffsets::new();
        o.push(10, 20);
        o.push(20, 35);
        o.push(35, 40);
        assert_eq!(o.row(1), Some((20, 35)));
        assert_eq!(o.span(1, 5), Some((20, 40)));
        assert_eq!(o.span(3, 1), None);
    }
}
