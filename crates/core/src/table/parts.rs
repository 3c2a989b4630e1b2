//! A whole-file scan split over byte ranges that run at the same time (in the app, one Web
//! Worker each, every worker reading its range by HTTP Range) and merge into exactly what one
//! scan of the file gives: the same rows, offsets, problems (rows and lines numbered over the
//! whole file), sort order and filter matches, and the same profiles (the mean to rounding;
//! past the distinct cap the estimate the single pass gives, the top values approximate in
//! both).
//!
//! Part k owns the records that start in `[start_k, start_k+1)`. Part 0 reads from the start
//! of the file and sniffs the layout as a single scan does. Every later part is handed a layout
//! (the first pass over the file already found it) and guesses where its first record starts:
//! just after the first line end at or after `start_k - 1`. A quoted field with a line break
//! in it can make that guess wrong, so it is checked: part k−1 reads until the first record
//! that starts at or after `start_k` (its [`Boundary`]), which is the true start; when the two
//! disagree, part k is read again from the true start ([`Verdict::Rerun`]). Nothing is
//! trusted that was not checked against the part before it.
//!
//! [`Merge`] takes the parts in order; [`scan_in_parts`] drives the same steps in one thread
//! (tests, `kaifang inspect --parts`).

use super::index::{merge_sorted, Direction, RowOffsets, SortKey};
use super::profile::ColumnProfile;
use super::reader::{Boundary, Layout};
use super::scan::{ScanOptions, ScanReport, ScanResult, TableScan};
use super::wire::{Reader, WireError, Writer};
use super::{ColumnType, Filter, Problem, Problems, ReaderOptions, TableError};
use serde::{Deserialize, Serialize};

/// What a whole-file scan reads and collects: the same for every part of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanSpec {
    /// The file's address, read by HTTP Range.
    pub url: String,
    #[serde(default)]
    pub sort: Option<(usize, ColumnType, Direction)>,
    #[serde(default)]
    pub filter: Option<Filter>,
    #[serde(default)]
    pub declared_encoding: Option<String>,
    /// The header's line where the catalog states it (`ReaderOptions::header_row`).
    #[serde(default)]
    pub header_row: Option<u64>,
    pub sniff_bytes: usize,
}

impl ScanSpec {
    /// The scan's options (row offsets always: the grid reads rows back by them).
    pub fn options(&self) -> ScanOptions {
        ScanOptions {
            reader: ReaderOptions {
                declared_encoding: self.declared_encoding.clone(),
                header_row: self.header_row,
                sniff_bytes: self.sniff_bytes,
                ..Default::default()
            },
            keep_offsets: true,
            sort: self.sort,
            filter: self.filter.clone(),
            ..Default::default()
        }
    }
}

/// One part's work as the page hands it to a worker: the scan, the part, the layout of the
/// file, and — for a rerun — the record start known to be right.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartJob {
    #[serde(flatten)]
    pub spec: ScanSpec,
    pub range: PartRange,
    pub layout: Layout,
    #[serde(default)]
    pub rerun_from: Option<u64>,
}

impl PartJob {
    pub fn options(&self) -> ScanOptions {
        self.spec.options()
    }

    /// The byte the part's reading starts at.
    pub fn read_from(&self) -> u64 {
        match self.rerun_from {
            Some(from) => from,
            None if self.range.start == 0 => 0,
            None => self.range.read_from(),
        }
    }

    pub fn start(&self) -> TableScan {
        match self.rerun_from {
            Some(from) => rerun_part(&self.options(), self.range, &self.layout, from),
            None => start_part(&self.options(), self.range, &self.layout),
        }
    }
}

/// The bytes part `k` owns: records that start at or after `start` and before `end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartRange {
    pub start: u64,
    pub end: u64,
}

impl PartRange {
    /// Where a part's reading begins: one byte early, so that a record starting exactly at
    /// `start` is recognised by the line end before it.
    pub fn read_from(&self) -> u64 {
        self.start.saturating_sub(1)
    }
}

/// Splits a file of `total` bytes into at most `parts` ranges of about equal size, none
/// smaller than `min_bytes` (a part costs a request and a worker's start-up). The last range
/// runs to the end of the file whatever its size turns out to be (`end` is `u64::MAX`): a
/// size from the catalog that is out of date must not cut rows off.
pub fn plan(total: u64, parts: usize, min_bytes: u64) -> Vec<PartRange> {
    let n = (parts.max(1) as u64).min((total / min_bytes.max(1)).max(1));
    let size = total.div_ceil(n).max(1);
    // Equal sizes rounded up may need fewer parts (10 bytes in 4: 3 + 3 + 3 + 1, or 9 in 4: 3 × 3).
    let n = total.div_ceil(size).max(1);
    (0..n).map(|k| PartRange { start: k * size, end: if k + 1 == n { u64::MAX } else { (k + 1) * size } }).collect()
}

/// Starts the scan of a part: part 0 from the file's start (sniffing the layout), a later part
/// from just before its range with the given layout, seeking its first record.
pub fn start_part(opts: &ScanOptions, range: PartRange, layout: &Layout) -> TableScan {
    let opts = part_options(opts, range);
    if range.start == 0 {
        TableScan::new(opts)
    } else {
        TableScan::resume(opts, layout.clone(), range.read_from(), true)
    }
}

/// Reads a part again from a record start known to be right (see [`Verdict::Rerun`]).
pub fn rerun_part(opts: &ScanOptions, range: PartRange, layout: &Layout, from: u64) -> TableScan {
    TableScan::resume(part_options(opts, range), layout.clone(), from, false)
}

fn part_options(opts: &ScanOptions, range: PartRange) -> ScanOptions {
    let mut o = opts.clone();
    o.reader.stop_at = (range.end < u64::MAX).then_some(range.end);
    // First rows come from the first pass; a part keeps none.
    o.keep_first_rows = 0;
    o
}

/// What one part found, before it is merged: rows and lines numbered from the part's first
/// record, offsets already the file's.
#[derive(Debug, Clone)]
pub struct PartOutcome {
    /// Start of the first record read (part 0: the header's).
    pub first_record: Option<u64>,
    /// Its line, counted from where the part started reading.
    pub first_line: u64,
    /// The first record at or past the range's end, not read; None when the part read to the
    /// end of the file.
    pub boundary: Option<Boundary>,
    /// Stream offset just past the last byte read.
    pub end: u64,
    pub rows: u64,
    pub layout: Layout,
    pub problems: Problems,
    pub profiles: Vec<ColumnProfile>,
    pub offsets: RowOffsets,
    /// Sort keys with their (part) row numbers, sorted.
    pub sorted: Option<Vec<(SortKey, u32)>>,
    pub matches: Option<Vec<u32>>,
    pub columns: Vec<Vec<f64>>,
}

const WIRE_VERSION: u8 = 1;

impl PartOutcome {
    /// The binary form a worker posts back (see `wire`).
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::new();
        w.u8(WIRE_VERSION);
        let opt = |w: &mut Writer, v: Option<u64>| match v {
            Some(x) => {
                w.u8(1);
                w.u64(x);
            }
            None => w.u8(0),
        };
        opt(&mut w, self.first_record);
        w.u64(self.first_line);
        opt(&mut w, self.boundary.map(|b| b.start));
        opt(&mut w, self.boundary.map(|b| b.line));
        w.u64(self.end);
        w.u64(self.rows);
        w.str(&serde_json::to_string(&self.layout).expect("a layout serialises"));
        w.str(&serde_json::to_string(&self.problems).expect("problems serialise"));
        w.u64(self.profiles.len() as u64);
        for p in &self.profiles {
            p.write_to(&mut w);
        }
        let (starts, end) = self.offsets.parts();
        w.u64s(starts);
        w.u64(end);
        match &self.sorted {
            None => w.u8(0),
            Some(keys) => {
                w.u8(1);
                w.u64(keys.len() as u64);
                for (key, row) in keys {
                    w.u32(*row);
                    match key {
                        SortKey::Null => w.u8(0),
                        SortKey::Number(x) => {
                            w.u8(1);
                            w.f64(*x);
                        }
                        SortKey::Text(t) => {
                            w.u8(2);
                            w.str(t);
                        }
                    }
                }
            }
        }
        match &self.matches {
            None => w.u8(0),
            Some(m) => {
                w.u8(1);
                w.u32s(m);
            }
        }
        w.u64(self.columns.len() as u64);
        for c in &self.columns {
            w.f64s(c);
        }
        w.into_bytes()
    }

    pub fn decode(bytes: &[u8]) -> Result<PartOutcome, WireError> {
        let mut r = Reader::new(bytes);
        let version = r.u8()?;
        if version != WIRE_VERSION {
            return Err(WireError(format!("version {version}, expected {WIRE_VERSION}")));
        }
        let opt = |r: &mut Reader<'_>| -> Result<Option<u64>, WireError> {
            match r.u8()? {
                0 => Ok(None),
                1 => r.u64().map(Some),
                t => Err(WireError(format!("option tag {t}"))),
            }
        };
        let first_record = opt(&mut r)?;
        let first_line = r.u64()?;
        let boundary = match (opt(&mut r)?, opt(&mut r)?) {
            (Some(start), Some(line)) => Some(Boundary { start, line }),
            (None, None) => None,
            _ => return Err(WireError("half a boundary".into())),
        };
        let (end, rows) = (r.u64()?, r.u64()?);
        let json = |s: &str| WireError(format!("{s} is not readable"));
        let layout: Layout = serde_json::from_str(r.str()?).map_err(|_| json("the layout"))?;
        let problems: Problems = serde_json::from_str(r.str()?).map_err(|_| json("the problem list"))?;
        let n = r.count(8)?;
        let profiles = (0..n).map(|_| ColumnProfile::read_from(&mut r)).collect::<Result<Vec<_>, _>>()?;
        let starts = r.u64s()?;
        let offsets_end = r.u64()?;
        if starts.windows(2).any(|w| w[0] > w[1]) || starts.last().is_some_and(|s| *s > offsets_end) {
            return Err(WireError("row offsets out of order".into()));
        }
        let offsets = RowOffsets::from_parts(starts, offsets_end);
        let sorted = match r.u8()? {
            0 => None,
            _ => {
                let n = r.count(5)?;
                let mut keys = Vec::with_capacity(n);
                for _ in 0..n {
                    let row = r.u32()?;
                    let key = match r.u8()? {
                        0 => SortKey::Null,
                        1 => SortKey::Number(r.f64()?),
                        2 => SortKey::Text(r.str()?.into()),
                        t => return Err(WireError(format!("sort key tag {t}"))),
                    };
                    keys.push((key, row));
                }
                Some(keys)
            }
        };
        let matches = match r.u8()? {
            0 => None,
            _ => Some(r.u32s()?),
        };
        let n = r.count(8)?;
        let columns = (0..n).map(|_| r.f64s()).collect::<Result<Vec<_>, _>>()?;
        if !r.at_end() {
            return Err(WireError("bytes left over".into()));
        }
        Ok(PartOutcome {
            first_record,
            first_line,
            boundary,
            end,
            rows,
            layout,
            problems,
            profiles,
            offsets,
            sorted,
            matches,
            columns,
        })
    }
}

/// What [`Merge::offer`] made of a part.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Merged; offer the next part.
    Taken,
    /// The part holds no record of its own (one record spans its whole range, or the file
    /// ended before it); offer the next part.
    Skipped,
    /// The part guessed its first record or its layout wrong: read it again with
    /// [`rerun_part`] from `from` with this layout, and offer that.
    Rerun { from: u64, layout: Layout },
}

/// Merges the parts of a split scan, in order.
pub struct Merge {
    opts: ScanOptions,
    ranges: Vec<PartRange>,
    /// The part offered next.
    next: usize,
    /// The part offered next is a rerun from a known start.
    rerun: bool,
    /// Where the next record starts (None: the end of the file was reached).
    expected: Option<u64>,
    layout: Option<Layout>,
    rows: u64,
    /// The line (of the file) where the record expected next starts.
    expected_line: u64,
    problems: Problems,
    profiles: Vec<ColumnProfile>,
    offsets: RowOffsets,
    sorted: Vec<Vec<(SortKey, u32)>>,
    matches: Vec<u32>,
    columns: Vec<Vec<f64>>,
    /// The furthest byte read: the file's size once the last part is in.
    bytes: u64,
}

impl Merge {
    pub fn new(opts: &ScanOptions, ranges: Vec<PartRange>) -> Merge {
        Merge {
            problems: Problems::new(opts.reader.max_problems),
            columns: vec![Vec::new(); opts.collect_columns.len()],
            opts: opts.clone(),
            ranges,
            next: 0,
            rerun: false,
            expected: None,
            layout: None,
            rows: 0,
            expected_line: 1,
            profiles: Vec::new(),
            offsets: RowOffsets::new(),
            sorted: Vec::new(),
            matches: Vec::new(),
            bytes: 0,
        }
    }

    /// The range of the part to offer next; None once every part is in.
    pub fn next_range(&self) -> Option<PartRange> {
        self.ranges.get(self.next).copied()
    }

    /// Offers the next part's outcome (or the error it ended with). Part 0's error is the
    /// scan's; a later part's error may come from a wrong guess and asks for a rerun, unless
    /// it already was one.
    pub fn offer<E>(&mut self, outcome: Result<PartOutcome, E>) -> Result<Verdict, E> {
        let Some(range) = self.next_range() else { return Ok(Verdict::Skipped) };
        if self.next == 0 {
            let part = outcome?;
            self.layout = Some(part.layout.clone());
            self.take(part);
            return Ok(Verdict::Taken);
        }
        let layout = self.layout.clone().expect("part 0 sets the layout");
        let Some(expected) = self.expected.filter(|e| *e < range.end) else {
            // No record starts in this range.
            self.next += 1;
            self.rerun = false;
            return Ok(Verdict::Skipped);
        };
        let rerun = std::mem::take(&mut self.rerun);
        match outcome {
            Ok(part) if rerun || (part.first_record == Some(expected) && same_shape(&part.layout, &layout)) => {
                self.take(part);
                Ok(Verdict::Taken)
            }
            Err(e) if rerun => Err(e),
            _ => {
                self.rerun = true;
                Ok(Verdict::Rerun { from: expected, layout })
            }
        }
    }

    fn take(&mut self, part: PartOutcome) {
        // Notes below the table are found by the part that reads the file's end.
        if let Some(layout) = self.layout.as_mut() {
            layout.notes_below.clone_from(&part.layout.notes_below);
        }
        let row_base = self.rows;
        self.bytes = self.bytes.max(part.end);
        // Part 0 counts the file's lines; a later part counts from where it started reading.
        let line_base = if self.next == 0 { 0 } else { self.expected_line - part.first_line };
        self.rows += part.rows;
        for p in part.problems.list.iter() {
            let p = Problem { row: p.row.map(|r| r + row_base), line: p.line + line_base, kind: p.kind.clone() };
            self.problems.push(p);
        }
        // Problems the part counted but did not list.
        self.problems.total += part.problems.total - part.problems.list.len() as u64;
        if self.profiles.is_empty() {
            self.profiles = part.profiles;
        } else {
            for (mine, theirs) in self.profiles.iter_mut().zip(part.profiles) {
                mine.merge(theirs);
            }
        }
        self.offsets.append(&part.offsets);
        let base = row_base as u32;
        if let Some(keys) = part.sorted {
            self.sorted.push(keys.into_iter().map(|(k, i)| (k, i + base)).collect());
        }
        if let Some(m) = part.matches {
            self.matches.extend(m.into_iter().map(|i| i + base));
        }
        for (mine, theirs) in self.columns.iter_mut().zip(part.columns) {
            mine.extend(theirs);
        }
        if let Some(b) = part.boundary {
            self.expected_line = b.line + line_base;
        }
        self.expected = part.boundary.map(|b| b.start);
        self.next += 1;
    }

    /// The merged scan, once [`Merge::next_range`] is None.
    pub fn finish(self) -> ScanResult {
        let layout = self.layout.expect("part 0 sets the layout");
        let mut profiles: Vec<_> = self.profiles.iter().map(ColumnProfile::summary).collect();
        if !self.opts.profile {
            profiles.clear();
        }
        let dir = self.opts.sort.map(|s| s.2).unwrap_or(Direction::Ascending);
        let report = ScanReport::csv(layout, self.bytes, self.rows, self.problems, profiles);
        ScanResult {
            report,
            offsets: self.opts.keep_offsets.then_some(self.offsets),
            sorted: self.opts.sort.is_some().then(|| merge_sorted(self.sorted, dir)),
            matches: self.opts.filter.is_some().then_some(self.matches),
            columns: self.columns,
            first_rows: Vec::new(),
        }
    }
}

/// Whether two layouts read records into the same columns.
fn same_shape(a: &Layout, b: &Layout) -> bool {
    a.delimiter == b.delimiter && a.encoding.encoding == b.encoding.encoding && a.columns == b.columns
}

/// Scans `bytes` as `parts` parts, one after another in this thread, fed in `chunk`-byte
/// pieces, and merges them: the steps the app's workers take, for tests and the command line.
/// `layout` plays the first pass's (later parts start with it).
pub fn scan_in_parts(
    bytes: &[u8],
    parts: usize,
    opts: &ScanOptions,
    layout: &Layout,
    chunk: usize,
) -> Result<ScanResult, TableError> {
    let total = bytes.len() as u64;
    // Row offsets must be the file's bytes (UTF-16 is read in one piece).
    let parts = if layout.encoding.encoding.ascii_compatible() { parts } else { 1 };
    let mut merge = Merge::new(opts, plan(total, parts, 1));
    let run = |mut scan: TableScan, from: u64| -> Result<PartOutcome, TableError> {
        for piece in bytes[from as usize..].chunks(chunk.max(1)) {
            if scan.boundary().is_some() {
                break;
            }
            scan.feed(piece)?;
        }
        // Through the binary form, as from a worker.
        let part = scan.finish_part()?;
        Ok(PartOutcome::decode(&part.encode()).expect("a part's own encoding reads back"))
    };
    while let Some(range) = merge.next_range() {
        let from = if range.start == 0 { 0 } else { range.read_from() };
        let mut verdict = merge.offer(run(start_part(opts, range, layout), from))?;
        while let Verdict::Rerun { from, layout } = verdict {
            verdict = merge.offer(run(rerun_part(opts, range, &layout, from), from))?;
        }
    }
    Ok(merge.finish())
}
