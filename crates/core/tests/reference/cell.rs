//! `table::cell` as it was before the fixed-format date and SWAR integer fast paths (tests
//! removed, otherwise verbatim): the reference for `tests/fast_paths.rs`.
#![allow(dead_code)]

//! (Original doc:) What one cell's text looks like: empty, a number, a date … The column profile and the header
//! sniffer both classify cells with these rules, and charts read numbers and dates with them.

use serde::{Deserialize, Serialize};

/// The kind of value one cell holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CellKind {
    Null,
    Integer,
    Number,
    Boolean,
    Date,
    DateTime,
    String,
}

/// Texts read as "no value". `—`/`-` are how Chinese statistical tables write "none".
pub const NULL_TOKENS: [&str; 9] = ["", "null", "NULL", "NA", "N/A", "n/a", "-", "—", "--"];

/// A cell's value as read for profiles and sorting: numbers parsed, dates packed into integers
/// (ordered like the dates; see [`format_temporal`]), text not copied.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    Null,
    Integer(i64),
    Number(f64),
    Boolean(bool),
    /// A packed date-time (see [`pack_datetime`]), time 00:00:00.
    Date(u64),
    DateTime(u64),
    String,
}

impl Value {
    pub fn kind(self) -> CellKind {
        match self {
            Value::Null => CellKind::Null,
            Value::Integer(_) => CellKind::Integer,
            Value::Number(_) => CellKind::Number,
            Value::Boolean(_) => CellKind::Boolean,
            Value::Date(_) => CellKind::Date,
            Value::DateTime(_) => CellKind::DateTime,
            Value::String => CellKind::String,
        }
    }
    pub fn as_f64(self) -> Option<f64> {
        match self {
            Value::Integer(i) => Some(i as f64),
            Value::Number(v) => Some(v),
            _ => None,
        }
    }
}

#[inline]
pub fn is_null(trimmed: &str) -> bool {
    // Same set as NULL_TOKENS, matched by length first: this runs for every cell.
    match trimmed.len() {
        0 => true,
        1 => trimmed == "-",
        2 => trimmed == "NA" || trimmed == "--",
        3 => trimmed == "N/A" || trimmed == "n/a" || trimmed == "—",
        4 => trimmed == "null" || trimmed == "NULL",
        _ => false,
    }
}

/// `str::trim`, with a shortcut for the usual cell that neither starts nor ends with
/// whitespace. Unicode whitespace beyond ASCII is one of a few 2- and 3-byte UTF-8 sequences
/// (U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000); the ends
/// are checked for exactly those, so Chinese text (whose last byte often looks like theirs)
/// takes the shortcut too.
#[inline]
pub fn trim(raw: &str) -> &str {
    let b = raw.as_bytes();
    let (Some(&f), Some(&l)) = (b.first(), b.last()) else { return raw };
    let lead_ok =
        if f < 0x80 { f > b' ' } else { !matches!(f, 0xC2 | 0xE1 | 0xE2 | 0xE3) || !starts_with_wide_space(b) };
    let tail_ok = if l < 0x80 { l > b' ' } else { !ends_with_wide_space(b) };
    if lead_ok && tail_ok {
        raw
    } else {
        raw.trim()
    }
}

/// Whether a 2- or 3-byte UTF-8 sequence is a whitespace character.
#[inline]
fn is_wide_space(seq: &[u8]) -> bool {
    matches!(
        seq,
        [0xC2, 0x85 | 0xA0]
            | [0xE1, 0x9A, 0x80]
            | [0xE2, 0x80, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF]
            | [0xE2, 0x81, 0x9F]
            | [0xE3, 0x80, 0x80]
    )
}

#[inline]
fn starts_with_wide_space(b: &[u8]) -> bool {
    let len = if b[0] == 0xC2 { 2 } else { 3 };
    b.get(..len).is_some_and(is_wide_space)
}

#[inline]
fn ends_with_wide_space(b: &[u8]) -> bool {
    let n = b.len();
    (n >= 2 && is_wide_space(&b[n - 2..])) || (n >= 3 && is_wide_space(&b[n - 3..]))
}

/// Reads one cell. This is the hot path of a whole-file profile, so it parses once and
/// allocates nothing.
pub fn parse_cell(raw: &str) -> Value {
    parse_trimmed(trim(raw))
}

/// [`parse_cell`] of a cell already trimmed.
pub fn parse_trimmed(s: &str) -> Value {
    if is_null(s) {
        return Value::Null;
    }
    let first = s.as_bytes()[0];
    if first.is_ascii_digit() || first == b'-' || first == b'+' || first == b'.' {
        if let Some(i) = parse_integer(s) {
            return Value::Integer(i);
        }
        if let Some(v) = parse_number(s) {
            return Value::Number(v);
        }
        if let Some(((y, m, d), rest)) = split_date(s) {
            if rest.is_empty() {
                return Value::Date(pack_datetime(y, m, d, 0, 0, 0));
            }
            if let Some((hh, mm, ss)) = parse_time(rest) {
                return Value::DateTime(pack_datetime(y, m, d, hh, mm, ss));
            }
        }
        return Value::String;
    }
    match parse_bool(s) {
        Some(b) => Value::Boolean(b),
        None => Value::String,
    }
}

pub fn classify(raw: &str) -> CellKind {
    parse_cell(raw).kind()
}

/// Packs a date-time into an integer that orders like the date-time.
pub fn pack_datetime(y: i32, m: u32, d: u32, hh: u32, mm: u32, ss: u32) -> u64 {
    (((((y.max(0) as u64 * 13 + m as u64) * 32 + d as u64) * 24 + hh as u64) * 60 + mm as u64) * 61) + ss as u64
}

/// The (year, month, day, hour, minute, second) that [`pack_datetime`] packed.
pub fn unpack_datetime(packed: u64) -> (u64, u64, u64, u64, u64, u64) {
    let ss = packed % 61;
    let rest = packed / 61;
    let mm = rest % 60;
    let rest = rest / 60;
    let hh = rest % 24;
    let rest = rest / 24;
    let d = rest % 32;
    let rest = rest / 32;
    (rest / 13, rest % 13, d, hh, mm, ss)
}

/// `YYYY-MM-DD` (when `date_only`) or `YYYY-MM-DDTHH:MM:SS` for a packed value.
pub fn format_temporal(packed: u64, date_only: bool) -> String {
    let (y, m, d, hh, mm, ss) = unpack_datetime(packed);
    if date_only {
        format!("{y:04}-{m:02}-{d:02}")
    } else {
        format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}")
    }
}

pub fn parse_integer(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let (neg, digits) = match b.first()? {
        b'-' => (true, &b[1..]),
        b'+' => (false, &b[1..]),
        _ => (false, b),
    };
    // 18 digits always fit an i64.
    if digits.is_empty() || digits.len() > 18 {
        return None;
    }
    let mut v: i64 = 0;
    for &c in digits {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + (c - b'0') as i64;
    }
    Some(if neg { -v } else { v })
}

/// A decimal number: digits with an optional sign, point and exponent. Rejects `inf`, `NaN`
/// and the like that `f64::from_str` would take.
pub fn parse_number(s: &str) -> Option<f64> {
    let s = trim(s);
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i = 1;
    }
    let mut digits = 0;
    // The digits as an integer and how many follow the point, for the fast path below.
    let mut mantissa: u64 = 0;
    let mut fraction_digits = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        mantissa = mantissa.wrapping_mul(10).wrapping_add((b[i] - b'0') as u64);
        i += 1;
        digits += 1;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            mantissa = mantissa.wrapping_mul(10).wrapping_add((b[i] - b'0') as u64);
            i += 1;
            digits += 1;
            fraction_digits += 1;
        }
    }
    if digits == 0 {
        return None;
    }
    if i == b.len() && digits <= 15 {
        // Clinger's fast path: at most 15 digits fit a f64 exactly, and so does 10^k for
        // k <= 22, so one IEEE division gives the correctly rounded value — the same f64 as
        // `str::parse`, without its general algorithm.
        let v = mantissa as f64 / POW10[fraction_digits];
        return Some(if b[0] == b'-' { -v } else { v });
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let exp_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == exp_start {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    s.parse().ok().filter(|v: &f64| v.is_finite())
}

const POW10: [f64; 16] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

pub fn parse_bool(s: &str) -> Option<bool> {
    match s.trim() {
        "true" | "TRUE" | "True" | "是" => Some(true),
        "false" | "FALSE" | "False" | "否" => Some(false),
        _ => None,
    }
}

/// A date as (year, month, day): `2026-10-01`, `2026/10/1`, `2026.10.01`, `2026年10月1日`.
pub fn parse_date(s: &str) -> Option<(i32, u32, u32)> {
    let s = s.trim();
    let (date, rest) = split_date(s)?;
    if !rest.is_empty() {
        return None;
    }
    Some(date)
}

/// A date and time: a date, then `T` or a space, then `HH:MM[:SS[.fff]]`, optionally `Z` or
/// an offset. Returns the ISO form `YYYY-MM-DDTHH:MM:SS` (offset dropped) for ordering.
pub fn parse_datetime(s: &str) -> Option<String> {
    let ((y, m, d), rest) = split_date(s.trim())?;
    let (hh, mm, ss) = parse_time(rest)?;
    Some(format_temporal(pack_datetime(y, m, d, hh, mm, ss), false))
}

/// The time part after a date: `T` or a space, `HH:MM[:SS[.fff]]`, optional `Z` or offset.
fn parse_time(rest: &str) -> Option<(u32, u32, u32)> {
    let rest = rest.strip_prefix('T').or_else(|| rest.strip_prefix(' '))?;
    let b = rest.as_bytes();
    let two = |i: usize| -> Option<u32> {
        let d = b.get(i..i + 2)?;
        d.iter().all(u8::is_ascii_digit).then(|| ((d[0] - b'0') * 10 + (d[1] - b'0')) as u32)
    };
    let hh = two(0)?;
    if b.get(2) != Some(&b':') {
        return None;
    }
    let mm = two(3)?;
    let mut i = 5;
    let mut ss = 0;
    if b.get(5) == Some(&b':') {
        ss = two(6)?;
        i = 8;
        if b.get(8) == Some(&b'.') {
            i = 9;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
        }
    }
    let tz = &rest[i..];
    let tz_ok = tz.is_empty()
        || tz == "Z"
        || (tz.len() == 6 && (tz.starts_with('+') || tz.starts_with('-')) && &tz[3..4] == ":");
    if hh > 23 || mm > 59 || ss > 60 || !tz_ok {
        return None;
    }
    Some((hh, mm, ss))
}

/// ISO `YYYY-MM-DD` for a date cell, for ordering and display.
pub fn iso_date(s: &str) -> Option<String> {
    parse_date(s).map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"))
}

fn split_date(s: &str) -> Option<((i32, u32, u32), &str)> {
    let b = s.as_bytes();
    if b.len() < 8 || !b[..4].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let y = b[..4].iter().fold(0i32, |y, d| y * 10 + (d - b'0') as i32);
    let rest = &s[4..];
    let (sep_m, sep_d, tail): (&str, &str, &str) = if rest.starts_with('年') {
        ("年", "月", "日")
    } else {
        let c = rest.get(..1)?;
        if c != "-" && c != "/" && c != "." {
            return None;
        }
        (c, c, "")
    };
    let rest = rest.strip_prefix(sep_m)?;
    let (m, rest) = leading_number(rest, 2)?;
    let rest = rest.strip_prefix(sep_d)?;
    let (d, rest) = leading_number(rest, 2)?;
    let rest = rest.strip_prefix(tail)?;
    if !(1..=12).contains(&m) || d == 0 || d > kaifang_core::catalog::days_in_month(y as u32, m) {
        return None;
    }
    Some(((y, m, d), rest))
}

fn leading_number(s: &str, max_digits: usize) -> Option<(u32, &str)> {
    let n = s.bytes().take(max_digits).take_while(u8::is_ascii_digit).count();
    if n == 0 {
        return None;
    }
    let v = s.as_bytes()[..n].iter().fold(0u32, |v, d| v * 10 + (d - b'0') as u32);
    Some((v, &s[n..]))
}
