//! Chart data (MISSION B7): what to draw for chosen columns, computed here so it is tested
//! natively and the app only draws. Holds the column classification that gives sensible
//! defaults, bar aggregation, histogram binning with "nice" bin widths, and the two
//! downsamplers that keep a million-point chart fast: LTTB for lines (keeps the visual
//! shape, peaks included) and a pixel-grid thinning for scatter plots (keeps every occupied
//! pixel, outliers included).
//!
//! Column values come in as plain `&[String]` slices (one per column) so the table module
//! can feed them without this module knowing how the file was parsed.

use crate::catalog::Date;

/// How a column can be charted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// Numbers (integers or decimals).
    Numeric,
    /// Dates or date-times: an ordered axis.
    Temporal,
    /// Anything else: categories.
    Categorical,
}

/// Share of non-empty cells that must parse for a column to count as numeric or temporal:
/// real files have the odd "—" or "暂无" in a numeric column.
const KIND_THRESHOLD: f64 = 0.9;

/// Classifies a column from (a sample of) its cells. Empty cells are ignored.
pub fn classify<'a>(cells: impl IntoIterator<Item = &'a str>) -> ColumnKind {
    let (mut filled, mut numbers, mut dates) = (0usize, 0usize, 0usize);
    for c in cells {
        let c = c.trim();
        if c.is_empty() {
            continue;
        }
        filled += 1;
        if parse_number(c).is_some() {
            numbers += 1;
        } else if parse_temporal(c).is_some() {
            dates += 1;
        }
    }
    if filled == 0 {
        return ColumnKind::Categorical;
    }
    let share = |n: usize| n as f64 / filled as f64;
    if share(numbers) >= KIND_THRESHOLD {
        ColumnKind::Numeric
    } else if share(dates) >= KIND_THRESHOLD {
        ColumnKind::Temporal
    } else {
        ColumnKind::Categorical
    }
}

/// Parses a number as it appears in published tables: surrounding spaces, a leading `+`,
/// and thousands separators in groups of three (`1,234,567.5`) are accepted; `NaN`, `inf`
/// and other words are not numbers.
pub fn parse_number(s: &str) -> Option<f64> {
    if let Some(v) = parse_plain_decimal(s.as_bytes()) {
        return Some(v);
    }
    let s = s.trim();
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    if body.is_empty() || !body.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return None;
    }
    let cleaned;
    let s = if body.contains(',') {
        let int_part = body.split(['.', 'e', 'E']).next().unwrap_or("");
        let groups: Vec<&str> = int_part.split(',').collect();
        let grouped = groups[0].len() <= 3
            && !groups[0].is_empty()
            && groups[1..].iter().all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()));
        if !grouped {
            return None;
        }
        cleaned = s.replace(',', "");
        cleaned.as_str()
    } else {
        s
    };
    let v: f64 = s.parse().ok()?;
    v.is_finite().then_some(v)
}

/// Fast path for the common cell `[-+]digits[.digits]` with at most 15 significant digits:
/// the digits fit an f64 mantissa exactly and 10^k (k ≤ 15) is exact, so one division gives
/// the correctly rounded value (Clinger's fast path), several times faster than the general
/// parser on a million cells. Anything else returns `None` and takes the general path.
fn parse_plain_decimal(b: &[u8]) -> Option<f64> {
    const POW10: [f64; 16] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
    let (neg, digits) = match b.first()? {
        b'-' => (true, &b[1..]),
        b'+' => (false, &b[1..]),
        _ => (false, b),
    };
    let (mut mantissa, mut count, mut frac, mut seen_dot) = (0u64, 0usize, 0usize, false);
    for &c in digits {
        match c {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + (c - b'0') as u64;
                count += 1;
                if seen_dot {
                    frac += 1;
                }
                if count > 15 {
                    return None;
                }
            }
            b'.' if !seen_dot => seen_dot = true,
            _ => return None,
        }
    }
    if count == 0 {
        return None;
    }
    let v = mantissa as f64 / POW10[frac];
    Some(if neg { -v } else { v })
}

/// Parses `YYYY-MM-DD`, `YYYY/MM/DD`, optionally followed by ` HH:MM[:SS]` or `THH:MM[:SS]`,
/// into days since 1970-01-01 (fractional for times), so dates sit on a numeric axis.
pub fn parse_temporal(s: &str) -> Option<f64> {
    let s = s.trim();
    if s.len() < 10 || !s.is_char_boundary(10) {
        return None;
    }
    let (date, rest) = s.split_at(10);
    let date = Date::parse(&date.replace('/', "-")).ok()?;
    let (y, m, d) = date.ymd();
    let mut days = days_from_civil(y, m, d) as f64;
    if !rest.is_empty() {
        let t = rest.strip_prefix([' ', 'T'])?;
        let t = t.strip_suffix('Z').unwrap_or(t);
        let parts: Vec<&str> = t.split(':').collect();
        if !(2..=3).contains(&parts.len()) {
            return None;
        }
        let h: u32 = parts[0].parse().ok()?;
        let mi: u32 = parts[1].parse().ok()?;
        let sec: f64 = parts.get(2).map_or(Some(0.0), |p| p.parse().ok())?;
        if h > 23 || mi > 59 || !(0.0..61.0).contains(&sec) {
            return None;
        }
        days += (h as f64 * 3600.0 + mi as f64 * 60.0 + sec) / 86400.0;
    }
    Some(days)
}

/// Days since 1970-01-01 (the calendar's day numbers, so chart axes and deadlines agree).
pub fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    crate::calendar::Day::from_ymd(y, m, d).0
}

/// (year, month, day) of a day number from [`days_from_civil`] (for axis labels).
pub fn civil_from_days(z: i64) -> (i32, u32, u32) {
    crate::calendar::Day(z).ymd()
}

pub fn format_day(days: f64) -> String {
    let (y, m, d) = civil_from_days(days.floor() as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The four chart kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    Bar,
    Line,
    Scatter,
    Histogram,
}

impl ChartKind {
    pub const ALL: [ChartKind; 4] = [ChartKind::Bar, ChartKind::Line, ChartKind::Scatter, ChartKind::Histogram];
    pub fn key(self) -> &'static str {
        match self {
            ChartKind::Bar => "bar",
            ChartKind::Line => "line",
            ChartKind::Scatter => "scatter",
            ChartKind::Histogram => "histogram",
        }
    }
    pub fn parse(s: &str) -> Option<ChartKind> {
        ChartKind::ALL.into_iter().find(|k| k.key() == s)
    }
}

/// How a bar chart turns many rows per category into one bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregate {
    Count,
    Sum,
    Mean,
}

impl Aggregate {
    pub const ALL: [Aggregate; 3] = [Aggregate::Count, Aggregate::Sum, Aggregate::Mean];
    pub fn key(self) -> &'static str {
        match self {
            Aggregate::Count => "count",
            Aggregate::Sum => "sum",
            Aggregate::Mean => "mean",
        }
    }
    pub fn parse(s: &str) -> Option<Aggregate> {
        Aggregate::ALL.into_iter().find(|k| k.key() == s)
    }
}

/// What to draw: a kind and the columns it uses (indexes into the table's columns).
/// `y: None` means "row count" for bars and "the x column itself" for histograms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChartSpec {
    pub kind: ChartKind,
    pub x: usize,
    pub y: Option<usize>,
    pub aggregate: Aggregate,
}

/// What a chart's axes are named, one answer for the drawing and every export: a histogram
/// bins its value column along x and counts along y; a bar chart of row counts (no value
/// column, or the count aggregate) counts along y; otherwise each axis names its column.
/// `count` is the reader's word for "count"; an index past `headers` names nothing.
pub fn axis_names<'a>(spec: &ChartSpec, headers: &'a [String], count: &'a str) -> (&'a str, &'a str) {
    let name = |i: usize| headers.get(i).map_or("", String::as_str);
    let x = match spec.kind {
        ChartKind::Histogram => name(spec.y.unwrap_or(spec.x)),
        _ => name(spec.x),
    };
    let y = match (spec.kind, spec.y) {
        (ChartKind::Histogram, _) | (ChartKind::Bar, None) => count,
        (ChartKind::Bar, Some(_)) if spec.aggregate == Aggregate::Count => count,
        (_, Some(y)) => name(y),
        (_, None) => "",
    };
    (x, y)
}

/// Picks a sensible first chart from the column kinds: a date column and a number → line;
/// a category and a number → bar (mean per category); two numbers → scatter; one number →
/// histogram; only categories → bar of row counts. `None` when there are no columns.
pub fn suggest(kinds: &[ColumnKind]) -> Option<ChartSpec> {
    let first = |k: ColumnKind| kinds.iter().position(|&c| c == k);
    let numeric: Vec<usize> = (0..kinds.len()).filter(|&i| kinds[i] == ColumnKind::Numeric).collect();
    let spec = |kind, x, y, aggregate| Some(ChartSpec { kind, x, y, aggregate });
    if let (Some(t), Some(&n)) = (first(ColumnKind::Temporal), numeric.first()) {
        // Mean, so that several rows per day (stations, districts) show a typical value.
        return spec(ChartKind::Line, t, Some(n), Aggregate::Mean);
    }
    if let (Some(c), Some(&n)) = (first(ColumnKind::Categorical), numeric.last()) {
        return spec(ChartKind::Bar, c, Some(n), Aggregate::Mean);
    }
    match numeric.as_slice() {
        [a, b, ..] => spec(ChartKind::Scatter, *a, Some(*b), Aggregate::Sum),
        [a] => spec(ChartKind::Histogram, *a, None, Aggregate::Count),
        [] if !kinds.is_empty() => spec(ChartKind::Bar, 0, None, Aggregate::Count),
        [] => None,
    }
}

/// Bars: categories in descending order of value, at most `max_bars`; the rest are summed
/// into `others` (for counts and sums) so nothing is silently dropped.
#[derive(Debug, Clone, PartialEq)]
pub struct Bars {
    pub labels: Vec<String>,
    pub values: Vec<f64>,
    /// Number of categories folded into "others", and their combined value (for Count/Sum;
    /// for Mean the combined value is the mean over their rows).
    pub others: Option<(usize, f64)>,
    /// Rows skipped because the value cell was empty or not a number.
    pub skipped: usize,
}

pub fn bars(categories: &[String], values: Option<&[String]>, agg: Aggregate, max_bars: usize) -> Bars {
    use std::collections::HashMap;
    // (sum, rows) per category, in order of first appearance for stable ties.
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut acc: Vec<(&str, f64, usize)> = Vec::new();
    let mut skipped = 0;
    for (row, cat) in categories.iter().enumerate() {
        let v = match (agg, values) {
            (Aggregate::Count, _) | (_, None) => 1.0,
            (_, Some(vals)) => match vals.get(row).and_then(|s| parse_number(s)) {
                Some(v) => v,
                None => {
                    skipped += 1;
                    continue;
                }
            },
        };
        let key = cat.trim();
        let i = *index.entry(key).or_insert_with(|| {
            acc.push((key, 0.0, 0));
            acc.len() - 1
        });
        acc[i].1 += v;
        acc[i].2 += 1;
    }
    let value_of = |sum: f64, n: usize| if agg == Aggregate::Mean && values.is_some() { sum / n as f64 } else { sum };
    let mut all: Vec<(String, f64, f64, usize)> =
        acc.into_iter().map(|(k, s, n)| (k.to_string(), value_of(s, n), s, n)).collect();
    all.sort_by(|a, b| b.1.total_cmp(&a.1));
    let max_bars = max_bars.max(1);
    let others = if all.len() > max_bars {
        let rest = all.split_off(max_bars - 1);
        let (s, n) = rest.iter().fold((0.0, 0), |(s, n), r| (s + r.2, n + r.3));
        Some((rest.len(), value_of(s, n)))
    } else {
        None
    };
    Bars {
        labels: all.iter().map(|r| if r.0.is_empty() { "∅".to_string() } else { r.0.clone() }).collect(),
        values: all.iter().map(|r| r.1).collect(),
        others,
        skipped,
    }
}

/// Pairs of numbers from two columns (or the row number as x when `x` is `None`), skipping
/// rows where either cell is empty or not a number/date. Returns the points and the count
/// of skipped rows.
pub fn points(x: Option<(&[String], ColumnKind)>, y: &[String]) -> (Vec<(f64, f64)>, usize) {
    let mut out = Vec::with_capacity(y.len());
    let mut skipped = 0;
    for (row, ys) in y.iter().enumerate() {
        let xv = match x {
            None => Some(row as f64),
            Some((xs, ColumnKind::Temporal)) => xs.get(row).and_then(|s| parse_temporal(s)),
            Some((xs, _)) => xs.get(row).and_then(|s| parse_number(s)),
        };
        match (xv, parse_number(ys)) {
            (Some(a), Some(b)) => out.push((a, b)),
            _ => skipped += 1,
        }
    }
    (out, skipped)
}

/// Sorts points by x unless they already are (the common case for time series), so the
/// check costs one pass and the sort only happens when needed.
pub fn sort_by_x(points: &mut [(f64, f64)]) {
    if points.windows(2).any(|w| w[0].0 > w[1].0) {
        points.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    }
}

/// Combines runs of equal x in sorted points into one point: the sum, mean or count of
/// their y values. One pass; leaves data without repeated x untouched.
pub fn collapse_equal_x(points: &mut Vec<(f64, f64)>, agg: Aggregate) {
    if !points.windows(2).any(|w| w[0].0 == w[1].0) && agg != Aggregate::Count {
        return;
    }
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(points.len());
    let mut i = 0;
    while i < points.len() {
        let x = points[i].0;
        let (mut sum, mut n) = (0.0, 0usize);
        while i < points.len() && points[i].0 == x {
            sum += points[i].1;
            n += 1;
            i += 1;
        }
        out.push((
            x,
            match agg {
                Aggregate::Sum => sum,
                Aggregate::Mean => sum / n as f64,
                Aggregate::Count => n as f64,
            },
        ));
    }
    *points = out;
}

/// Largest-Triangle-Three-Buckets (Steinarsson 2013): picks `threshold` of the points,
/// always the first and last, and from each bucket the point that forms the largest
/// triangle with the previously chosen point and the next bucket's average. Points must be
/// sorted by x. Returns the input unchanged when it is already small enough.
pub fn lttb(data: &[(f64, f64)], threshold: usize) -> Vec<(f64, f64)> {
    let n = data.len();
    if threshold >= n || threshold < 3 {
        return data.to_vec();
    }
    let mut out = Vec::with_capacity(threshold);
    let every = (n - 2) as f64 / (threshold - 2) as f64;
    let mut a = 0usize;
    out.push(data[0]);
    for i in 0..threshold - 2 {
        // The next bucket's average point.
        let next_start = ((i + 1) as f64 * every) as usize + 1;
        let next_end = (((i + 2) as f64 * every) as usize + 1).min(n);
        let (mut ax, mut ay) = (0.0, 0.0);
        let next_len = (next_end - next_start).max(1);
        for p in &data[next_start..next_end.max(next_start + 1).min(n)] {
            ax += p.0;
            ay += p.1;
        }
        ax /= next_len as f64;
        ay /= next_len as f64;
        // This bucket.
        let start = (i as f64 * every) as usize + 1;
        let end = (((i + 1) as f64 * every) as usize + 1).min(n - 1);
        let (px, py) = data[a];
        let mut best = start;
        let mut best_area = -1.0;
        for (j, p) in data[start..end].iter().enumerate() {
            let area = ((px - ax) * (p.1 - py) - (px - p.0) * (ay - py)).abs();
            if area > best_area {
                best_area = area;
                best = start + j;
            }
        }
        out.push(data[best]);
        a = best;
    }
    out.push(data[n - 1]);
    out
}

/// Keeps at most one point per cell of a `cols` × `rows` grid over the data's extent (the
/// first one met), so a scatter plot of a million points draws only what can be seen.
/// Every occupied cell keeps a point, so clusters and outliers both survive.
pub fn thin_scatter(data: &[(f64, f64)], cols: usize, rows: usize) -> Vec<(f64, f64)> {
    if data.len() <= cols * rows {
        return data.to_vec();
    }
    let Some(((x0, x1), (y0, y1))) = extent(data) else { return Vec::new() };
    let sx = if x1 > x0 { (cols as f64 - 1.0) / (x1 - x0) } else { 0.0 };
    let sy = if y1 > y0 { (rows as f64 - 1.0) / (y1 - y0) } else { 0.0 };
    let mut seen = vec![false; cols * rows];
    let mut out = Vec::new();
    for &(x, y) in data {
        let cx = ((x - x0) * sx) as usize;
        let cy = ((y - y0) * sy) as usize;
        let cell = cy.min(rows - 1) * cols + cx.min(cols - 1);
        if !seen[cell] {
            seen[cell] = true;
            out.push((x, y));
        }
    }
    out
}

/// ((min x, max x), (min y, max y)) of finite points.
pub fn extent(data: &[(f64, f64)]) -> Option<((f64, f64), (f64, f64))> {
    let mut it = data.iter().filter(|p| p.0.is_finite() && p.1.is_finite());
    let &(x, y) = it.next()?;
    Some(it.fold(((x, x), (y, y)), |((a, b), (c, d)), &(x, y)| ((a.min(x), b.max(x)), (c.min(y), d.max(y)))))
}

/// One histogram bin, `[lo, hi)` (the last bin also holds its upper edge).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bin {
    pub lo: f64,
    pub hi: f64,
    pub count: usize,
}

/// A "nice" step near `raw`: 1, 2, 2.5 or 5 times a power of ten.
pub fn nice_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let p = 10f64.powf(raw.log10().floor());
    let f = raw / p;
    let m = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 2.5 {
        2.5
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    m * p
}

/// Bins values into about `target` bins of a nice width whose edges are multiples of the
/// width. `target` 0 picks one from the count (√n, between 5 and 40). Non-finite values
/// are ignored. A column with a single distinct value gives one bin of width 1 around it.
pub fn histogram(values: &[f64], target: usize) -> Vec<Bin> {
    let finite = || values.iter().copied().filter(|v| v.is_finite());
    let n = finite().count();
    if n == 0 {
        return Vec::new();
    }
    let (lo, hi) = finite().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    if lo == hi {
        return vec![Bin { lo: lo - 0.5, hi: hi + 0.5, count: n }];
    }
    let target = if target == 0 { ((n as f64).sqrt().ceil() as usize).clamp(5, 40) } else { target };
    let width = nice_step((hi - lo) / target as f64);
    let start = (lo / width).floor() * width;
    let mut bins_n = ((hi - start) / width).floor() as usize + 1;
    // `hi` exactly on an edge belongs to the last bin rather than a new empty one.
    if start + (bins_n - 1) as f64 * width >= hi && bins_n > 1 {
        bins_n -= 1;
    }
    let mut counts = vec![0usize; bins_n];
    for v in finite() {
        let i = (((v - start) / width).floor() as usize).min(bins_n - 1);
        counts[i] += 1;
    }
    counts
        .into_iter()
        .enumerate()
        .map(|(i, count)| Bin { lo: start + i as f64 * width, hi: start + (i + 1) as f64 * width, count })
        .collect()
}

/// How many points a line chart keeps: two per horizontal pixel is visually lossless for
/// LTTB and bounds drawing time whatever the row count.
pub fn line_budget(width_px: u32) -> usize {
    (width_px as usize * 2).max(16)
}

/// Ready-to-draw chart data: what the app hands to plotters.
#[derive(Debug, Clone, PartialEq)]
pub enum Prepared {
    Bars(Bars),
    /// A line (sorted by x, downsampled with LTTB) or a scatter (grid-thinned).
    Xy {
        kind: ChartKind,
        points: Vec<(f64, f64)>,
        /// Usable rows before downsampling.
        total: usize,
        /// Rows skipped because a cell was empty or not a number/date.
        skipped: usize,
        x_temporal: bool,
    },
    Histogram {
        bins: Vec<Bin>,
        skipped: usize,
    },
}

/// Turns a spec and the columns' cells into drawable data. `columns[i]` are the cells of
/// column `i`; `kinds[i]` its kind. `downsample: false` skips LTTB/thinning (used by the
/// benchmark as the peer). Errors name what is wrong with the choice of columns.
pub fn prepare(
    spec: &ChartSpec,
    columns: &[&[String]],
    kinds: &[ColumnKind],
    width_px: u32,
    downsample: bool,
) -> Result<Prepared, ChartError> {
    let col = |i: usize| columns.get(i).copied().ok_or(ChartError::NoSuchColumn(i));
    let kind = |i: usize| kinds.get(i).copied().unwrap_or(ColumnKind::Categorical);
    match spec.kind {
        ChartKind::Bar => {
            let values = match (spec.aggregate, spec.y) {
                (Aggregate::Count, _) | (_, None) => None,
                (_, Some(y)) => {
                    if kind(y) != ColumnKind::Numeric {
                        return Err(ChartError::NotNumeric(y));
                    }
                    Some(col(y)?)
                }
            };
            Ok(Prepared::Bars(bars(col(spec.x)?, values, spec.aggregate, 30)))
        }
        ChartKind::Histogram => {
            let c = spec.y.unwrap_or(spec.x);
            if kind(c) != ColumnKind::Numeric {
                return Err(ChartError::NotNumeric(c));
            }
            let cells = col(c)?;
            let values: Vec<f64> = cells.iter().filter_map(|s| parse_number(s)).collect();
            let skipped = cells.len() - values.len();
            Ok(Prepared::Histogram { bins: histogram(&values, 0), skipped })
        }
        ChartKind::Line | ChartKind::Scatter => {
            let y = spec.y.ok_or(ChartError::NeedsY)?;
            if kind(y) != ColumnKind::Numeric {
                return Err(ChartError::NotNumeric(y));
            }
            let xk = kind(spec.x);
            if xk == ColumnKind::Categorical {
                return Err(ChartError::NotNumeric(spec.x));
            }
            let (points, skipped) = points(Some((col(spec.x)?, xk)), col(y)?);
            Ok(finish_xy(spec, points, skipped, xk, width_px, downsample))
        }
    }
}

/// Sorts, collapses and downsamples the points of a line; thins those of a scatter.
fn finish_xy(
    spec: &ChartSpec,
    mut points: Vec<(f64, f64)>,
    skipped: usize,
    xk: ColumnKind,
    width_px: u32,
    downsample: bool,
) -> Prepared {
    let total = points.len();
    {
        {
            if spec.kind == ChartKind::Line {
                sort_by_x(&mut points);
                // Several rows on one x (e.g. one row per station per day) would draw a
                // vertical zigzag; a line shows one value per x, combined by the aggregate.
                collapse_equal_x(&mut points, spec.aggregate);
                if downsample {
                    points = lttb(&points, line_budget(width_px));
                }
            } else if downsample {
                points = thin_scatter(&points, width_px.max(16) as usize, (width_px as usize * 5 / 8).max(16));
            }
            Prepared::Xy { kind: spec.kind, points, total, skipped, x_temporal: xk == ColumnKind::Temporal }
        }
    }
}

/// A temporal axis value (days since 1970-01-01, fractional) from a packed date-time of the
/// table scan (`table::cell::pack_datetime`, what `ScanResult::columns` holds for dates).
pub fn days_from_packed(packed: f64) -> f64 {
    if !packed.is_finite() || packed < 0.0 {
        return f64::NAN;
    }
    let (y, m, d, hh, mi, ss) = crate::table::cell::unpack_datetime(packed as u64);
    days_from_civil(y as i32, m as u32, d as u32) as f64 + (hh * 3600 + mi * 60 + ss) as f64 / 86400.0
}

/// [`prepare`] for numbers already parsed by a whole-file scan (`ScanOptions::collect_columns`),
/// so a file too big to hold as text can be charted: `x` and `y` hold one value per row (NaN
/// where the cell was empty or not a number); temporal `x` values are packed date-times (see
/// [`days_from_packed`]). Lines, scatters and histograms only: bars need the category text.
pub fn prepare_numeric(
    spec: &ChartSpec,
    x: Option<(&[f64], ColumnKind)>,
    y: &[f64],
    width_px: u32,
    downsample: bool,
) -> Result<Prepared, ChartError> {
    match spec.kind {
        ChartKind::Bar => Err(ChartError::NotNumeric(spec.x)),
        ChartKind::Histogram => {
            let values: Vec<f64> = y.iter().copied().filter(|v| v.is_finite()).collect();
            let skipped = y.len() - values.len();
            Ok(Prepared::Histogram { bins: histogram(&values, 0), skipped })
        }
        ChartKind::Line | ChartKind::Scatter => {
            let (xs, xk) = x.ok_or(ChartError::NoSuchColumn(spec.x))?;
            if xk == ColumnKind::Categorical {
                return Err(ChartError::NotNumeric(spec.x));
            }
            let mut points = Vec::with_capacity(y.len());
            let mut skipped = 0;
            for (row, &yv) in y.iter().enumerate() {
                let xv = xs.get(row).copied().map(|v| if xk == ColumnKind::Temporal { days_from_packed(v) } else { v });
                match xv {
                    Some(a) if a.is_finite() && yv.is_finite() => points.push((a, yv)),
                    _ => skipped += 1,
                }
            }
            Ok(finish_xy(spec, points, skipped, xk, width_px, downsample))
        }
    }
}

/// Why a chart cannot be drawn from the chosen columns.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChartError {
    #[error("column {0} does not exist")]
    NoSuchColumn(usize),
    #[error("column {0} does not hold numbers")]
    NotNumeric(usize),
    #[error("this chart needs a value column")]
    NeedsY,
}

#[cfg(test)]
mod tests {

    #[test]
    fn axis_names_say_what_each_axis_shows() {
        let headers = ["线路".to_string(), "站点数".to_string(), "日期".to_string()];
        let spec = |kind, x, y, aggregate| ChartSpec { kind, x, y, aggregate };
        // The SVG export once named a histogram's x axis after column x and its y after the
        // value column: the drawing and the export now share this one answer.
        assert_eq!(
            axis_names(&spec(ChartKind::Histogram, 0, Some(1), Aggregate::Mean), &headers, "计数"),
            ("站点数", "计数")
        );
        assert_eq!(axis_names(&spec(ChartKind::Bar, 0, Some(1), Aggregate::Count), &headers, "计数"), ("线路", "计数"));
        assert_eq!(axis_names(&spec(ChartKind::Bar, 0, None, Aggregate::Mean), &headers, "计数"), ("线路", "计数"));
        assert_eq!(axis_names(&spec(ChartKind::Bar, 0, Some(1), Aggregate::Sum), &headers, "计数"), ("线路", "站点数"));
        assert_eq!(
            axis_names(&spec(ChartKind::Line, 2, Some(1), Aggregate::Mean), &headers, "计数"),
            ("日期", "站点数")
        );
        assert_eq!(axis_names(&spec(ChartKind::Scatter, 9, None, Aggregate::Mean), &headers, "计数"), ("", ""));
    }
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn numbers_as_published() {
        assert_eq!(parse_number(" 12.5 "), Some(12.5));
        assert_eq!(parse_number("-3"), Some(-3.0));
        assert_eq!(parse_number("+3"), Some(3.0));
        assert_eq!(parse_number("1,234,567.5"), Some(1234567.5));
        assert_eq!(parse_number("1,23"), None, "not a thousands grouping");
        assert_eq!(parse_number("NaN"), None);
        assert_eq!(parse_number("inf"), None);
        assert_eq!(parse_number("1e3"), Some(1000.0));
        assert_eq!(parse_number("暂无"), None);
        assert_eq!(parse_number(""), None);
    }

    #[test]
    fn fast_path_agrees_with_the_standard_parser() {
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        for i in 0..200_000u64 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let digits = 1 + (i % 15) as usize;
            let body = format!("{:0width$}", seed % 10u64.pow(digits as u32), width = digits);
            let dot = (seed >> 40) as usize % (digits + 1);
            let cell = match i % 3 {
                0 => format!("{}.{}", &body[..dot], &body[dot..]),
                1 => format!("-{}.{}", &body[..dot], &body[dot..]),
                _ => body.clone(),
            };
            let expected: Option<f64> = cell.parse().ok();
            assert_eq!(parse_number(&cell), expected, "{cell}");
        }
        assert_eq!(parse_plain_decimal(b"1234567890123456"), None, "16 digits take the general path");
        assert_eq!(parse_number("1234567890123456"), Some(1234567890123456.0));
        assert_eq!(parse_number("."), None);
        assert_eq!(parse_number("-"), None);
        assert_eq!(parse_number("1.2.3"), None);
        assert_eq!(parse_number("0.1"), Some(0.1));
    }

    #[test]
    fn dates_and_times_on_a_day_axis() {
        assert_eq!(parse_temporal("1970-01-01"), Some(0.0));
        assert_eq!(parse_temporal("2026/11/23"), Some(days_from_civil(2026, 11, 23) as f64));
        assert_eq!(parse_temporal("1970-01-02 12:00"), Some(1.5));
        assert_eq!(parse_temporal("1970-01-01T06:00:00Z"), Some(0.25));
        assert_eq!(parse_temporal("2023-02-29"), None);
        assert_eq!(parse_temporal("2026-11-23 25:00"), None);
        assert_eq!(format_day(days_from_civil(2024, 2, 29) as f64), "2024-02-29");
        for z in [-800_000i64, -1, 0, 1, 19_000, 20_415, 2_000_000] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
    }

    #[test]
    fn classification_tolerates_a_few_bad_cells() {
        let mut col: Vec<&str> = vec!["1"; 19];
        col.push("—");
        col.push("");
        assert_eq!(classify(col.iter().copied()), ColumnKind::Numeric);
        assert_eq!(classify(["2026-01-01", "2026-01-02"]), ColumnKind::Temporal);
        assert_eq!(classify(["火车站", "1", "2"]), ColumnKind::Categorical);
        assert_eq!(classify(["", " "]), ColumnKind::Categorical);
    }

    #[test]
    fn suggestions_follow_column_kinds() {
        use ColumnKind::*;
        let s = suggest(&[Categorical, Temporal, Numeric]).unwrap();
        assert_eq!((s.kind, s.x, s.y, s.aggregate), (ChartKind::Line, 1, Some(2), Aggregate::Mean));
        let s = suggest(&[Categorical, Numeric, Numeric]).unwrap();
        assert_eq!((s.kind, s.x, s.y, s.aggregate), (ChartKind::Bar, 0, Some(2), Aggregate::Mean));
        let s = suggest(&[Numeric, Numeric]).unwrap();
        assert_eq!((s.kind, s.x, s.y), (ChartKind::Scatter, 0, Some(1)));
        let s = suggest(&[Numeric]).unwrap();
        assert_eq!((s.kind, s.x, s.y), (ChartKind::Histogram, 0, None));
        let s = suggest(&[Categorical]).unwrap();
        assert_eq!((s.kind, s.aggregate), (ChartKind::Bar, Aggregate::Count));
        assert_eq!(suggest(&[]), None);
    }

    #[test]
    fn bars_aggregate_sort_and_fold_the_tail() {
        let cats = strings(&["甲", "乙", "甲", "丙", "丁", "乙", "甲"]);
        let vals = strings(&["1", "2", "3", "x", "4", "6", "5"]);
        let b = bars(&cats, Some(&vals), Aggregate::Sum, 10);
        assert_eq!(b.labels, strings(&["甲", "乙", "丁"]));
        assert_eq!(b.values, vec![9.0, 8.0, 4.0]);
        assert_eq!(b.skipped, 1);
        assert_eq!(b.others, None);
        let m = bars(&cats, Some(&vals), Aggregate::Mean, 10);
        assert_eq!(m.values, vec![4.0, 4.0, 3.0]);
        let c = bars(&cats, None, Aggregate::Count, 2);
        assert_eq!(c.labels, strings(&["甲"]));
        assert_eq!(c.values, vec![3.0]);
        // 乙 (2), 丙 (1), 丁 (1): three categories, four rows, folded.
        assert_eq!(c.others, Some((3, 4.0)));
    }

    #[test]
    fn points_skip_unusable_rows() {
        let x = strings(&["2026-01-01", "bad", "2026-01-03"]);
        let y = strings(&["1", "2", ""]);
        let (p, skipped) = points(Some((&x, ColumnKind::Temporal)), &y);
        assert_eq!(p, vec![(days_from_civil(2026, 1, 1) as f64, 1.0)]);
        assert_eq!(skipped, 2);
        let (p, _) = points(None, &strings(&["5", "6"]));
        assert_eq!(p, vec![(0.0, 5.0), (1.0, 6.0)]);
    }

    #[test]
    fn lttb_keeps_ends_size_and_peaks() {
        let mut data: Vec<(f64, f64)> = (0..10_000).map(|i| (i as f64, (i as f64 / 50.0).sin())).collect();
        data[4321].1 = 100.0; // a spike LTTB must keep
        data[7000].1 = -80.0;
        let out = lttb(&data, 500);
        assert_eq!(out.len(), 500);
        assert_eq!(out[0], data[0]);
        assert_eq!(out[499], data[9999]);
        assert!(out.contains(&(4321.0, 100.0)));
        assert!(out.contains(&(7000.0, -80.0)));
        assert!(out.windows(2).all(|w| w[0].0 < w[1].0), "order kept, no duplicates");
        assert_eq!(lttb(&data[..10], 500), data[..10].to_vec());
    }

    #[test]
    fn lttb_matches_a_hand_worked_case() {
        // 5 points to 3: the middle bucket is points 1..4 = x 1,2,3; the next bucket
        // average is point 4 itself (4, 0). Triangle areas with (0,0) and (4,0) are
        // proportional to |y|, so (2, 9) wins.
        let data = [(0.0, 0.0), (1.0, 1.0), (2.0, 9.0), (3.0, -2.0), (4.0, 0.0)];
        assert_eq!(lttb(&data, 3), vec![(0.0, 0.0), (2.0, 9.0), (4.0, 0.0)]);
    }

    #[test]
    fn scatter_thinning_keeps_outliers_and_bounds_size() {
        let mut data: Vec<(f64, f64)> = (0..100_000).map(|i| ((i % 100) as f64, (i / 1000) as f64)).collect();
        data.push((1000.0, 1000.0));
        let out = thin_scatter(&data, 50, 50);
        assert!(out.len() <= 2500);
        assert!(out.contains(&(1000.0, 1000.0)));
        assert!(out.contains(&(0.0, 0.0)));
    }

    #[test]
    fn histogram_nice_edges_and_all_values_counted() {
        let values: Vec<f64> = (0..100).map(|i| i as f64 * 0.97 + 3.0).collect(); // 3 .. 99.03
        let bins = histogram(&values, 10);
        assert_eq!(bins.iter().map(|b| b.count).sum::<usize>(), 100);
        let w = bins[0].hi - bins[0].lo;
        assert_eq!(w, 10.0);
        assert_eq!(bins[0].lo, 0.0);
        assert_eq!(bins.last().unwrap().hi, 100.0);
        // Upper edge exactly on a boundary goes into the last bin, not a new one.
        let b = histogram(&[0.0, 5.0, 10.0], 2);
        assert_eq!(b.len(), 2);
        assert_eq!(b.iter().map(|b| b.count).collect::<Vec<_>>(), vec![1, 2]);
        assert_eq!(histogram(&[7.0, 7.0], 0), vec![Bin { lo: 6.5, hi: 7.5, count: 2 }]);
        assert!(histogram(&[f64::NAN], 0).is_empty());
    }

    #[test]
    fn nice_steps() {
        assert_eq!(nice_step(0.7), 1.0);
        assert_eq!(nice_step(1.3), 2.0);
        assert_eq!(nice_step(23.0), 25.0);
        assert_eq!(nice_step(4.1), 5.0);
        assert_eq!(nice_step(0.06), 0.1);
    }

    #[test]
    fn prepare_line_downsamples_a_million_rows() {
        let n = 1_000_000;
        let x: Vec<String> = (0..n).map(|i| i.to_string()).collect();
        let y: Vec<String> = (0..n).map(|i| ((i % 1000) as f64 / 10.0).to_string()).collect();
        let spec = ChartSpec { kind: ChartKind::Line, x: 0, y: Some(1), aggregate: Aggregate::Sum };
        let kinds = [ColumnKind::Numeric, ColumnKind::Numeric];
        let Prepared::Xy { points, total, skipped, .. } = prepare(&spec, &[&x, &y], &kinds, 800, true).unwrap() else {
            panic!("not xy")
        };
        assert_eq!((points.len(), total, skipped), (1600, n, 0));
        let Prepared::Xy { points, .. } = prepare(&spec, &[&x, &y], &kinds, 800, false).unwrap() else { panic!() };
        assert_eq!(points.len(), n);
    }

    #[test]
    fn line_values_on_the_same_x_are_combined() {
        let mut p = vec![(1.0, 2.0), (1.0, 4.0), (2.0, 5.0), (3.0, 1.0), (3.0, 1.0), (3.0, 4.0)];
        let orig = p.clone();
        collapse_equal_x(&mut p, Aggregate::Mean);
        assert_eq!(p, vec![(1.0, 3.0), (2.0, 5.0), (3.0, 2.0)]);
        let mut q = orig.clone();
        collapse_equal_x(&mut q, Aggregate::Sum);
        assert_eq!(q, vec![(1.0, 6.0), (2.0, 5.0), (3.0, 6.0)]);
        let mut c = orig;
        collapse_equal_x(&mut c, Aggregate::Count);
        assert_eq!(c, vec![(1.0, 2.0), (2.0, 1.0), (3.0, 3.0)]);
        let mut unique = vec![(1.0, 7.0), (2.0, 8.0)];
        collapse_equal_x(&mut unique, Aggregate::Sum);
        assert_eq!(unique, vec![(1.0, 7.0), (2.0, 8.0)]);
    }

    #[test]
    fn prepare_refuses_text_as_values() {
        let a = strings(&["甲", "乙"]);
        let spec = ChartSpec { kind: ChartKind::Histogram, x: 0, y: None, aggregate: Aggregate::Count };
        assert_eq!(prepare(&spec, &[&a], &[ColumnKind::Categorical], 800, true), Err(ChartError::NotNumeric(0)));
        let spec = ChartSpec { kind: ChartKind::Line, x: 0, y: Some(3), aggregate: Aggregate::Sum };
        assert_eq!(prepare(&spec, &[&a], &[ColumnKind::Numeric], 800, true), Err(ChartError::NotNumeric(3)));
    }

    #[test]
    fn prepare_bars_from_the_sample_air_quality_file() {
        // The sample portal's UTF-8 bus-stop file, read with the csv crate (parsing is `table`'s job).
        let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/bus-stops.csv")).unwrap();
        let mut r = csv::Reader::from_reader(bytes.as_slice());
        let rows: Vec<csv::StringRecord> = r.records().map(|r| r.unwrap()).collect();
        let cols: Vec<Vec<String>> =
            (0..8).map(|c| rows.iter().map(|r| r.get(c).unwrap_or("").to_string()).collect()).collect();
        let kinds: Vec<ColumnKind> = cols.iter().map(|c| classify(c.iter().map(String::as_str))).collect();
        assert_eq!(kinds[1], ColumnKind::Categorical); // 线路名称
        assert_eq!(kinds[4], ColumnKind::Numeric); // 经度
        let spec = suggest(&kinds).unwrap();
        assert_eq!((spec.kind, spec.x), (ChartKind::Bar, 1));
        let refs: Vec<&[String]> = cols.iter().map(|c| c.as_slice()).collect();
        let Prepared::Bars(b) = prepare(&spec, &refs, &kinds, 800, true).unwrap() else { panic!() };
        assert!(b.labels.contains(&"1路".to_string()));
        assert_eq!(b.skipped, 0);
    }

    #[test]
    fn prepare_numeric_matches_prepare_on_text() {
        use crate::table::cell::pack_datetime;
        // A day series with two rows per day and a gap, as text and as scanned numbers.
        let mut dates = Vec::new();
        let mut vals = Vec::new();
        for i in 0..400u32 {
            let (m, d) = (1 + (i / 28) % 12, 1 + i % 28);
            dates.push(format!("2024-{m:02}-{d:02}"));
            vals.push(if i % 37 == 0 { String::new() } else { format!("{}", (i * 7 % 50) as f64 + 0.5) });
        }
        let packed: Vec<f64> = dates
            .iter()
            .map(|s| {
                let (y, m, d) = (s[0..4].parse().unwrap(), s[5..7].parse().unwrap(), s[8..10].parse().unwrap());
                pack_datetime(y, m, d, 0, 0, 0) as f64
            })
            .collect();
        let ys: Vec<f64> = vals.iter().map(|s| s.parse().unwrap_or(f64::NAN)).collect();
        let kinds = [ColumnKind::Temporal, ColumnKind::Numeric];
        for kind in [ChartKind::Line, ChartKind::Scatter, ChartKind::Histogram] {
            let spec = ChartSpec { kind, x: 0, y: Some(1), aggregate: Aggregate::Mean };
            let text = prepare(&spec, &[&dates, &vals], &kinds, 200, true).unwrap();
            let numeric = prepare_numeric(&spec, Some((&packed, ColumnKind::Temporal)), &ys, 200, true).unwrap();
            assert_eq!(text, numeric, "{kind:?}");
        }
        assert_eq!(days_from_packed(pack_datetime(1970, 1, 2, 12, 0, 0) as f64), 1.5);
        let bar = ChartSpec { kind: ChartKind::Bar, x: 0, y: None, aggregate: Aggregate::Count };
        assert!(prepare_numeric(&bar, None, &ys, 200, true).is_err());
    }
}
