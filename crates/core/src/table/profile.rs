//! Column profiles computed one cell at a time, so a whole-file scan never holds the file:
//! inferred type, nulls, min/max/mean, distinct count and the most frequent values.
//!
//! Distinct values are counted exactly up to a cap (10 000 by default); past it the count
//! becomes a HyperLogLog estimate (about 1.6 % standard error) and the summary says so. The top
//! values are exact while the count is; past the cap only values already seen keep counting,
//! and the summary marks them approximate.

use super::cell::{self, value_kinds, Value};
use super::wire::{Reader, WireError, Writer};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

value_kinds! {
    /// The type a whole column is read as.
    pub enum ColumnType {
        ..;
        /// No non-null values at all.
        Empty,
    }
}

impl ColumnType {
    pub fn is_numeric(self) -> bool {
        matches!(self, ColumnType::Integer | ColumnType::Number)
    }
    pub fn is_temporal(self) -> bool {
        matches!(self, ColumnType::Date | ColumnType::DateTime)
    }
}

pub const DEFAULT_DISTINCT_CAP: usize = 10_000;
const TOP_VALUES: usize = 5;

#[derive(Debug, Clone, Default)]
struct KindCounts {
    integer: u64,
    number: u64,
    boolean: u64,
    date: u64,
    datetime: u64,
    string: u64,
}

/// One column's running profile.
#[derive(Debug, Clone)]
pub struct ColumnProfile {
    name: String,
    values: u64,
    nulls: u64,
    kinds: KindCounts,
    num_min: f64,
    num_max: f64,
    // Kahan-compensated running sum, so the mean of millions of values stays exact enough.
    sum: f64,
    sum_err: f64,
    /// Packed date-times (see `cell::pack_datetime`).
    temporal_min: u64,
    temporal_max: u64,
    text_min: Option<String>,
    text_max: Option<String>,
    distinct: Distinct,
}

impl ColumnProfile {
    pub fn new(name: impl Into<String>) -> ColumnProfile {
        Self::with_distinct_cap(name, DEFAULT_DISTINCT_CAP)
    }

    pub fn with_distinct_cap(name: impl Into<String>, cap: usize) -> ColumnProfile {
        ColumnProfile {
            name: name.into(),
            values: 0,
            nulls: 0,
            kinds: KindCounts::default(),
            num_min: f64::INFINITY,
            num_max: f64::NEG_INFINITY,
            sum: 0.0,
            sum_err: 0.0,
            temporal_min: u64::MAX,
            temporal_max: 0,
            text_min: None,
            text_max: None,
            distinct: Distinct::new(cap),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Counts a row that has no cell for this column (a short, ragged row) as a null.
    pub fn observe_missing(&mut self) {
        self.values += 1;
        self.nulls += 1;
    }

    #[inline]
    pub fn observe(&mut self, raw: &str) {
        self.values += 1;
        let s = cell::trim(raw);
        if cell::is_null(s) {
            self.nulls += 1;
            return;
        }
        // A value seen before (most cells of most columns) was read then: take its reading
        // from the distinct map instead of parsing it again, and skip the text min/max, which
        // it has already been compared with. Only new values are parsed and compared.
        let hash = hash64(s);
        let value = match self.distinct.count_again(hash) {
            Some(v) => v,
            None => self.observe_new(s, hash),
        };
        self.count_value(value);
    }

    /// A value the distinct map does not hold (new, or past the cap): read and remember it.
    #[inline(never)]
    fn observe_new(&mut self, s: &str, hash: u64) -> Value {
        let v = cell::parse_trimmed(s);
        // Text min/max only matter for text columns; typed values have their own.
        if matches!(v, Value::String | Value::Boolean(_)) {
            self.add_text(s);
        }
        self.distinct.add_new(hash, s, v);
        v
    }

    #[inline]
    fn count_value(&mut self, value: Value) {
        match value {
            Value::Null => unreachable!("nulls return above"),
            Value::Integer(i) => {
                self.kinds.integer += 1;
                self.add_number(i as f64);
            }
            Value::Number(v) => {
                self.kinds.number += 1;
                self.add_number(v);
            }
            Value::Boolean(_) => self.kinds.boolean += 1,
            Value::Date(p) => {
                self.kinds.date += 1;
                self.add_temporal(p);
            }
            Value::DateTime(p) => {
                self.kinds.datetime += 1;
                self.add_temporal(p);
            }
            Value::String => self.kinds.string += 1,
        }
    }

    #[inline]
    fn add_number(&mut self, v: f64) {
        self.num_min = self.num_min.min(v);
        self.num_max = self.num_max.max(v);
        self.add_to_sum(v);
    }

    /// Kahan-compensated addition to the running sum.
    #[inline]
    fn add_to_sum(&mut self, v: f64) {
        let y = v - self.sum_err;
        let t = self.sum + y;
        self.sum_err = (t - self.sum) - y;
        self.sum = t;
    }

    /// Widens the text min/max to take in `s`.
    #[inline]
    fn add_text(&mut self, s: &str) {
        if self.text_min.as_deref().is_none_or(|m| s < m) {
            self.text_min = Some(s.to_string());
        }
        if self.text_max.as_deref().is_none_or(|m| s > m) {
            self.text_max = Some(s.to_string());
        }
    }

    #[inline]
    fn add_temporal(&mut self, p: u64) {
        self.temporal_min = self.temporal_min.min(p);
        self.temporal_max = self.temporal_max.max(p);
    }

    /// Adds what `later` saw to this profile, as if its cells had been observed here after
    /// this profile's own: the profile of a file scanned in parts (see `parts`). Counts,
    /// types, min/max and exact distinct counts come out as one pass gives them (the mean to
    /// rounding); past the distinct cap the estimate is the one a single pass gives (the
    /// HyperLogLog sees the same hashes), the top values approximate as they are in one pass.
    pub fn merge(&mut self, later: ColumnProfile) {
        self.values += later.values;
        self.nulls += later.nulls;
        let (k, o) = (&mut self.kinds, &later.kinds);
        k.integer += o.integer;
        k.number += o.number;
        k.boolean += o.boolean;
        k.date += o.date;
        k.datetime += o.datetime;
        k.string += o.string;
        self.num_min = self.num_min.min(later.num_min);
        self.num_max = self.num_max.max(later.num_max);
        // The other part's compensated sum, less its own error.
        self.add_to_sum(later.sum - later.sum_err);
        self.temporal_min = self.temporal_min.min(later.temporal_min);
        self.temporal_max = self.temporal_max.max(later.temporal_max);
        for text in [later.text_min, later.text_max].iter().flatten() {
            self.add_text(text);
        }
        self.distinct.merge(later.distinct);
    }

    /// The profile in the binary form a scan part hands back (see `wire`).
    pub fn write_to(&self, w: &mut Writer) {
        w.str(&self.name);
        w.u64(self.values);
        w.u64(self.nulls);
        let k = &self.kinds;
        for n in [k.integer, k.number, k.boolean, k.date, k.datetime, k.string] {
            w.u64(n);
        }
        for x in [self.num_min, self.num_max, self.sum, self.sum_err] {
            w.f64(x);
        }
        w.u64(self.temporal_min);
        w.u64(self.temporal_max);
        w.opt_str(self.text_min.as_deref());
        w.opt_str(self.text_max.as_deref());
        let d = &self.distinct;
        w.u64(d.cap as u64);
        w.u64(d.exact_at_cap);
        w.u64(d.texts.len() as u64);
        for t in &d.texts {
            w.str(t);
        }
        w.u64(d.slots.len() as u64);
        for (h, slot) in &d.slots {
            w.u64(*h);
            w.u64(slot.count);
            w.u32(slot.text);
            write_value(w, slot.value);
        }
        match &d.sketch {
            Some(hll) => {
                w.u8(1);
                w.bytes(&hll.registers);
            }
            None => w.u8(0),
        }
    }

    /// Reads what [`ColumnProfile::write_to`] wrote, checking that it hangs together.
    pub fn read_from(r: &mut Reader<'_>) -> Result<ColumnProfile, WireError> {
        let name = r.str()?.to_string();
        let (values, nulls) = (r.u64()?, r.u64()?);
        let kinds = KindCounts {
            integer: r.u64()?,
            number: r.u64()?,
            boolean: r.u64()?,
            date: r.u64()?,
            datetime: r.u64()?,
            string: r.u64()?,
        };
        let (num_min, num_max, sum, sum_err) = (r.f64()?, r.f64()?, r.f64()?, r.f64()?);
        let (temporal_min, temporal_max) = (r.u64()?, r.u64()?);
        let text_min = r.opt_str()?.map(str::to_string);
        let text_max = r.opt_str()?.map(str::to_string);
        let cap = r.u64()? as usize;
        let exact_at_cap = r.u64()?;
        let n = r.count(8)?;
        let texts = (0..n).map(|_| r.str().map(Box::from)).collect::<Result<Vec<Box<str>>, _>>()?;
        let n = r.count(29)?;
        let mut slots = HashMap::default();
        for _ in 0..n {
            let (h, count, text) = (r.u64()?, r.u64()?, r.u32()?);
            if text as usize >= texts.len() {
                return Err(WireError(format!("a distinct value points at text {text} of {}", texts.len())));
            }
            slots.insert(h, Slot { count, text, value: read_value(r)? });
        }
        let sketch = match r.u8()? {
            0 => None,
            _ => {
                let registers = r.bytes()?.to_vec();
                if registers.len() != 1 << HLL_BITS {
                    return Err(WireError(format!("{} sketch registers", registers.len())));
                }
                Some(HyperLogLog { registers })
            }
        };
        let distinct = Distinct { cap, slots, texts, sketch, exact_at_cap };
        Ok(ColumnProfile {
            name,
            values,
            nulls,
            kinds,
            num_min,
            num_max,
            sum,
            sum_err,
            temporal_min,
            temporal_max,
            text_min,
            text_max,
            distinct,
        })
    }

    /// The narrowest type every non-null value fits.
    pub fn inferred_type(&self) -> ColumnType {
        let k = &self.kinds;
        let non_null = self.values - self.nulls;
        if non_null == 0 {
            ColumnType::Empty
        } else if k.integer == non_null {
            ColumnType::Integer
        } else if k.integer + k.number == non_null {
            ColumnType::Number
        } else if k.boolean == non_null {
            ColumnType::Boolean
        } else if k.date == non_null {
            ColumnType::Date
        } else if k.date + k.datetime == non_null {
            ColumnType::DateTime
        } else {
            ColumnType::String
        }
    }

    pub fn summary(&self) -> ColumnSummary {
        let ty = self.inferred_type();
        let non_null = self.values - self.nulls;
        let (min, max, mean) = if ty.is_numeric() {
            (Some(format_number(self.num_min)), Some(format_number(self.num_max)), Some(self.sum / non_null as f64))
        } else if ty.is_temporal() {
            let date_only = ty == ColumnType::Date;
            (
                Some(cell::format_temporal(self.temporal_min, date_only)),
                Some(cell::format_temporal(self.temporal_max, date_only)),
                None,
            )
        } else if ty == ColumnType::String || ty == ColumnType::Boolean {
            (self.text_min.clone(), self.text_max.clone(), None)
        } else {
            (None, None, None)
        };
        let (distinct, distinct_exact) = self.distinct.count();
        ColumnSummary {
            name: self.name.clone(),
            inferred_type: ty,
            values: self.values,
            nulls: self.nulls,
            min,
            max,
            mean,
            distinct,
            distinct_exact,
            top_values: self.distinct.top(TOP_VALUES),
            top_values_exact: distinct_exact,
        }
    }
}

fn write_value(w: &mut Writer, v: Value) {
    let (tag, bits) = match v {
        Value::Null => (0, 0),
        Value::Integer(i) => (1, i as u64),
        Value::Number(x) => (2, x.to_bits()),
        Value::Boolean(b) => (3, b as u64),
        Value::Date(p) => (4, p),
        Value::DateTime(p) => (5, p),
        Value::String => (6, 0),
    };
    w.u8(tag);
    w.u64(bits);
}

fn read_value(r: &mut Reader<'_>) -> Result<Value, WireError> {
    let (tag, bits) = (r.u8()?, r.u64()?);
    Ok(match tag {
        0 => Value::Null,
        1 => Value::Integer(bits as i64),
        2 => Value::Number(f64::from_bits(bits)),
        3 => Value::Boolean(bits != 0),
        4 => Value::Date(bits),
        5 => Value::DateTime(bits),
        6 => Value::String,
        t => return Err(WireError(format!("value tag {t}"))),
    })
}

fn format_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// What the profile panel and `kaifang inspect` show for one column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnSummary {
    pub name: String,
    pub inferred_type: ColumnType,
    /// Rows seen (including nulls and rows too short to have this column).
    pub values: u64,
    pub nulls: u64,
    /// Numeric for numbers, ISO for dates, lexical for text.
    pub min: Option<String>,
    pub max: Option<String>,
    /// Only for numeric columns.
    pub mean: Option<f64>,
    pub distinct: u64,
    /// False when the distinct count is a HyperLogLog estimate.
    pub distinct_exact: bool,
    /// Most frequent non-null values with their counts, most frequent first.
    pub top_values: Vec<(String, u64)>,
    /// False when counting stopped tracking new values (past the distinct cap).
    pub top_values_exact: bool,
}

/// A fast non-cryptographic hasher (the FxHash mix) for the distinct-value map: hashing every
/// cell is the hot path of a whole-file scan.
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const FX_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(FX_SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let n = bytes.len();
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]));
        }
        let rest = n % 8;
        if rest != 0 {
            // The last 1–7 bytes as one little-endian word, read with overlapping loads
            // instead of byte by byte (the same word).
            let w = if n >= 8 {
                let c = &bytes[n - 8..];
                u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]) >> (8 * (8 - rest))
            } else {
                short_word(bytes)
            };
            self.add(w);
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }
    fn finish(&self) -> u64 {
        self.hash
    }
}

/// 1–7 bytes as a little-endian word (what shifting them in one by one gives).
#[inline(always)]
fn short_word(b: &[u8]) -> u64 {
    let n = b.len();
    if n >= 4 {
        let lo = u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as u64;
        let hi = u32::from_le_bytes([b[n - 4], b[n - 3], b[n - 2], b[n - 1]]) as u64;
        lo | (hi << (8 * (n - 4)))
    } else if n >= 2 {
        let lo = u16::from_le_bytes([b[0], b[1]]) as u64;
        let hi = u16::from_le_bytes([b[n - 2], b[n - 1]]) as u64;
        lo | (hi << (8 * (n - 2)))
    } else {
        b[0] as u64
    }
}

/// A well-mixed 64-bit hash of a string (FxHash then the murmur3 finaliser), for HyperLogLog.
#[inline]
pub fn hash64(s: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write(s.as_bytes());
    h.write_u8(0xff);
    let mut x = h.finish();
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51afd7ed558ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ceb9fe1a85ec53);
    x ^ (x >> 33)
}

/// Exact distinct counting keyed by a 64-bit hash (collisions among 10 000 values are
/// vanishingly unlikely), with the text kept once per distinct value for the top list and its
/// reading (`Value`) so a repeated value is not parsed again.
///
/// Past the cap, the big map is dropped: the count continues in a HyperLogLog and only the
/// [`TOP_TRACKED`] most frequent values so far keep counting (a small map that stays in cache —
/// probing the big one for every new value was the slowest part of a scan).
#[derive(Debug, Clone)]
struct Distinct {
    cap: usize,
    /// Everything a repeated value needs, in the map's own bucket: one memory access per
    /// cell (the texts live apart, touched only for new values and the summary).
    slots: HashMap<u64, Slot, BuildHasherDefault<IdentityHasher>>,
    texts: Vec<Box<str>>,
    /// Present once the exact map hit the cap.
    sketch: Option<HyperLogLog>,
    /// How many distinct values were known exactly when the cap was hit.
    exact_at_cap: u64,
}

#[derive(Debug, Clone, Copy)]
struct Slot {
    count: u64,
    value: Value,
    /// Index of the text in `texts`.
    text: u32,
}

const TOP_TRACKED: usize = 64;

impl Distinct {
    fn new(cap: usize) -> Distinct {
        Distinct { cap, slots: HashMap::default(), texts: Vec::new(), sketch: None, exact_at_cap: 0 }
    }

    /// Counts one more of a value already held, returning its reading; None when the value
    /// is not held (new, or past the cap and not among the tracked ones).
    #[inline]
    fn count_again(&mut self, h: u64) -> Option<Value> {
        let slot = self.slots.get_mut(&h)?;
        slot.count += 1;
        let value = slot.value;
        if let Some(hll) = &mut self.sketch {
            hll.add(h);
        }
        Some(value)
    }

    /// Counts a value that [`Distinct::count_again`] did not hold.
    #[inline]
    fn add_new(&mut self, h: u64, s: &str, value: Value) {
        match &mut self.sketch {
            Some(hll) => hll.add(h),
            None if self.texts.len() < self.cap => {
                self.slots.insert(h, Slot { count: 1, value, text: self.texts.len() as u32 });
                self.texts.push(s.into());
            }
            None => self.saturate(h),
        }
    }

    #[cold]
    fn saturate(&mut self, h: u64) {
        let mut hll = HyperLogLog::new();
        for k in self.slots.keys() {
            hll.add(*k);
        }
        hll.add(h);
        self.sketch = Some(hll);
        self.exact_at_cap = self.texts.len() as u64;
        // Keep only the most frequent values (and their hashes) for the top list.
        let mut order: Vec<(u64, Slot)> = self.slots.iter().map(|(h, s)| (*h, *s)).collect();
        order.sort_unstable_by(|a, b| b.1.count.cmp(&a.1.count));
        order.truncate(TOP_TRACKED);
        let old = std::mem::take(&mut self.texts);
        let mut slots = HashMap::default();
        for (h, slot) in order {
            slots.insert(h, Slot { text: self.texts.len() as u32, ..slot });
            self.texts.push(old[slot.text as usize].clone());
        }
        self.slots = slots;
    }

    /// Adds the values counted by `later` (see [`ColumnProfile::merge`]).
    fn merge(&mut self, later: Distinct) {
        let Distinct { slots, texts, sketch, .. } = later;
        if self.sketch.is_none() && sketch.is_none() {
            let new = slots.keys().filter(|h| !self.slots.contains_key(h)).count();
            if self.texts.len() + new <= self.cap {
                // Both exact and the union stays under the cap.
                for (h, slot) in slots {
                    if let Some(mine) = self.slots.get_mut(&h) {
                        mine.count += slot.count;
                    } else {
                        self.slots.insert(h, Slot { text: self.texts.len() as u32, ..slot });
                        self.texts.push(texts[slot.text as usize].clone());
                    }
                }
                return;
            }
        }
        // The union passes the cap: the sketch sees every hash either side saw, as the one
        // pass's sketch would, and the exact count stopped at the cap, as it would have.
        let mut hll = match self.sketch.take() {
            Some(hll) => hll,
            None => HyperLogLog::from_hashes(self.slots.keys().copied()),
        };
        match &sketch {
            Some(theirs) => hll.merge(theirs),
            None => slots.keys().for_each(|h| hll.add(*h)),
        }
        self.sketch = Some(hll);
        self.exact_at_cap = self.cap as u64;
        self.merge_tracked(slots, &texts);
    }

    /// Past the cap: adds the other side's counted values and keeps the most frequent.
    fn merge_tracked(&mut self, theirs: HashMap<u64, Slot, impl std::hash::BuildHasher>, texts: &[Box<str>]) {
        let mut all: HashMap<u64, (Slot, Box<str>)> = HashMap::new();
        for (h, s) in self.slots.drain() {
            all.insert(h, (s, self.texts[s.text as usize].clone()));
        }
        for (h, s) in theirs {
            all.entry(h)
                .and_modify(|(mine, _)| mine.count += s.count)
                .or_insert_with(|| (s, texts[s.text as usize].clone()));
        }
        let mut order: Vec<(u64, (Slot, Box<str>))> = all.into_iter().collect();
        order.sort_unstable_by(|a, b| b.1 .0.count.cmp(&a.1 .0.count).then_with(|| a.1 .1.cmp(&b.1 .1)));
        order.truncate(TOP_TRACKED);
        self.texts.clear();
        for (h, (slot, text)) in order {
            self.slots.insert(h, Slot { text: self.texts.len() as u32, ..slot });
            self.texts.push(text);
        }
    }

    fn count(&self) -> (u64, bool) {
        match &self.sketch {
            // Never report fewer than the values we knew about for sure.
            Some(hll) => (hll.estimate().max(self.exact_at_cap), false),
            None => (self.texts.len() as u64, true),
        }
    }

    fn top(&self, n: usize) -> Vec<(String, u64)> {
        let mut all: Vec<(&str, u64)> = self.slots.values().map(|s| (&*self.texts[s.text as usize], s.count)).collect();
        all.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        all.into_iter().take(n).map(|(t, c)| (t.to_string(), c)).collect()
    }
}

/// The keys are already well-mixed hashes.
#[derive(Default, Clone, Copy)]
struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn write(&mut self, _: &[u8]) {
        unreachable!("only u64 keys")
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// HyperLogLog with 2^12 registers.
#[derive(Debug, Clone)]
pub struct HyperLogLog {
    registers: Vec<u8>,
}

const HLL_BITS: u32 = 12;

impl Default for HyperLogLog {
    fn default() -> Self {
        Self::new()
    }
}

impl HyperLogLog {
    pub fn new() -> HyperLogLog {
        HyperLogLog { registers: vec![0; 1 << HLL_BITS] }
    }

    pub fn add(&mut self, hash: u64) {
        let idx = (hash >> (64 - HLL_BITS)) as usize;
        let rest = hash << HLL_BITS;
        let rank = (rest.leading_zeros() + 1).min(64 - HLL_BITS + 1) as u8;
        if rank > self.registers[idx] {
            self.registers[idx] = rank;
        }
    }

    pub fn from_hashes(hashes: impl Iterator<Item = u64>) -> HyperLogLog {
        let mut hll = HyperLogLog::new();
        hashes.for_each(|h| hll.add(h));
        hll
    }

    /// The sketch of both sets: the larger register of each pair.
    pub fn merge(&mut self, other: &HyperLogLog) {
        for (mine, theirs) in self.registers.iter_mut().zip(&other.registers) {
            *mine = (*mine).max(*theirs);
        }
    }

    pub fn estimate(&self) -> u64 {
        let m = self.registers.len() as f64;
        let alpha = 0.7213 / (1.0 + 1.079 / m);
        let sum: f64 = self.registers.iter().map(|r| 2f64.powi(-(*r as i32))).sum();
        let raw = alpha * m * m / sum;
        let zeros = self.registers.iter().filter(|r| **r == 0).count();
        let est = if raw <= 2.5 * m && zeros > 0 { m * (m / zeros as f64).ln() } else { raw };
        est.round() as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(name: &str, values: &[&str]) -> ColumnSummary {
        let mut p = ColumnProfile::new(name);
        for v in values {
            p.observe(v);
        }
        p.summary()
    }

    #[test]
    fn integer_column() {
        let s = profile("AQI", &["42", "67", "", "118", "67"]);
        assert_eq!(s.inferred_type, ColumnType::Integer);
        assert_eq!(s.nulls, 1);
        assert_eq!(s.values, 5);
        assert_eq!(s.min.as_deref(), Some("42"));
        assert_eq!(s.max.as_deref(), Some("118"));
        assert_eq!(s.mean, Some(73.5));
        assert_eq!(s.distinct, 3);
        assert!(s.distinct_exact);
        assert_eq!(s.top_values[0], ("67".to_string(), 2));
    }

    #[test]
    fn mixed_types_widen() {
        assert_eq!(profile("x", &["1", "2.5"]).inferred_type, ColumnType::Number);
        assert_eq!(profile("x", &["1", "abc"]).inferred_type, ColumnType::String);
        assert_eq!(profile("x", &["2026-01-01", "2026-01-02 10:00"]).inferred_type, ColumnType::DateTime);
        assert_eq!(profile("x", &["", "NA"]).inferred_type, ColumnType::Empty);
        let d = profile("d", &["2026/3/1", "2025-12-31", "2026年1月5日"]);
        assert_eq!(d.inferred_type, ColumnType::Date);
        assert_eq!(d.min.as_deref(), Some("2025-12-31"));
        assert_eq!(d.max.as_deref(), Some("2026-03-01"));
    }

    #[test]
    fn distinct_switches_to_estimate_past_cap() {
        let mut p = ColumnProfile::with_distinct_cap("id", 100);
        for i in 0..50_000 {
            p.observe(&format!("v{i}"));
        }
        let s = p.summary();
        assert!(!s.distinct_exact);
        assert!(!s.top_values_exact);
        let err = (s.distinct as f64 - 50_000.0).abs() / 50_000.0;
        assert!(err < 0.06, "estimate {} too far from 50000", s.distinct);
    }

    #[test]
    fn frequent_values_keep_counting_past_the_cap() {
        let mut p = ColumnProfile::with_distinct_cap("x", 100);
        for i in 0..20_000 {
            // Every third value is "常见"; the rest are all different.
            if i % 3 == 0 {
                p.observe("常见");
            } else {
                p.observe(&format!("v{i}"));
            }
        }
        let s = p.summary();
        assert_eq!(s.top_values[0], ("常见".to_string(), 6667));
        assert!(!s.top_values_exact);
    }

    /// Repeated values take their reading from the distinct map and skip the text min/max:
    /// the summary must be what reading every cell afresh gives.
    #[test]
    fn repeated_values_profile_like_fresh_ones() {
        let pool = [
            "东城区",
            " 东城区",
            "西城区 ",
            "12",
            "12.50",
            "-3",
            "2026-01-02",
            "2026-01-02 08:00",
            "是",
            "否",
            "",
            "NA",
            "abc",
            "Abc",
            "\u{3000}朝阳区",
        ];
        let mut x: u64 = 12345;
        for cap in [3usize, 8, 100] {
            let mut p = ColumnProfile::with_distinct_cap("x", cap);
            let (mut text_min, mut text_max): (Option<String>, Option<String>) = (None, None);
            let (mut nulls, mut strings, mut num_min, mut num_max) = (0u64, 0u64, f64::INFINITY, f64::NEG_INFINITY);
            for _ in 0..5_000 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let raw = pool[(x % pool.len() as u64) as usize];
                p.observe(raw);
                let v = cell::parse_cell(raw);
                let t = raw.trim().to_string();
                match v {
                    Value::Null => nulls += 1,
                    Value::String | Value::Boolean(_) => {
                        strings += 1;
                        if text_min.as_ref().is_none_or(|m| &t < m) {
                            text_min = Some(t.clone());
                        }
                        if text_max.as_ref().is_none_or(|m| &t > m) {
                            text_max = Some(t);
                        }
                    }
                    other => {
                        if let Some(f) = other.as_f64() {
                            num_min = num_min.min(f);
                            num_max = num_max.max(f);
                        }
                    }
                }
            }
            let s = p.summary();
            assert_eq!(s.nulls, nulls);
            assert_eq!(s.inferred_type, ColumnType::String);
            assert_eq!((s.min, s.max), (text_min, text_max), "cap {cap}");
            assert_eq!(p.kinds.string + p.kinds.boolean, strings);
            assert_eq!((p.num_min, p.num_max), (num_min, num_max));
        }
    }

    #[test]
    fn hll_small_counts_are_close() {
        let mut h = HyperLogLog::new();
        for i in 0..1000 {
            h.add(hash64(&i.to_string()));
        }
        let e = h.estimate() as i64;
        assert!((e - 1000).abs() < 50, "estimate {e}");
    }
}
