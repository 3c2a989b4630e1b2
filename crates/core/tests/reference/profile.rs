//! `table::profile` as it was before the hot-path work (tests removed, `ColumnType` taken from
//! the crate, otherwise verbatim): the reference for `tests/fast_paths.rs`.
#![allow(dead_code)]

//! (Original doc:) Column profiles computed one cell at a time, so a whole-file scan never holds the file:
//! inferred type, nulls, min/max/mean, distinct count and the most frequent values.
//!
//! Distinct values are counted exactly up to a cap (10 000 by default); past it the count
//! becomes a HyperLogLog estimate (about 1.6 % standard error) and the summary says so. The top
//! values are exact while the count is; past the cap only values already seen keep counting,
//! and the summary marks them approximate.

use super::cell::{self, Value};
pub use kaifang_core::table::ColumnType;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

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
            None => {
                let v = cell::parse_trimmed(s);
                // Text min/max only matter for text columns; typed values have their own.
                if matches!(v, Value::String | Value::Boolean(_)) {
                    if self.text_min.as_deref().is_none_or(|m| s < m) {
                        self.text_min = Some(s.to_string());
                    }
                    if self.text_max.as_deref().is_none_or(|m| s > m) {
                        self.text_max = Some(s.to_string());
                    }
                }
                self.distinct.add_new(hash, s, v);
                v
            }
        };
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
        let y = v - self.sum_err;
        let t = self.sum + y;
        self.sum_err = (t - self.sum) - y;
        self.sum = t;
    }

    #[inline]
    fn add_temporal(&mut self, p: u64) {
        self.temporal_min = self.temporal_min.min(p);
        self.temporal_max = self.temporal_max.max(p);
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
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            // The last 1–7 bytes as one little-endian word (no memcpy call on this hot path).
            let mut w = 0u64;
            for (k, &b) in rest.iter().enumerate() {
                w |= (b as u64) << (8 * k);
            }
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

/// A well-mixed 64-bit hash of a string (FxHash then the murmur3 finaliser), for HyperLogLog.
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
