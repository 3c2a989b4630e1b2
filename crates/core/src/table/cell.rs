//! What one cell's text looks like: empty, a number, a date … The column profile and the header
//! sniffer both classify cells with these rules, and charts read numbers and dates with them.

/// Declares an enum of the kinds of value a cell or a whole column holds: the six kinds both
/// have, listed here once, between the enum's own (before `..;` and after it). A column is of
/// the narrowest kind all its non-null cells fit, so the names mean the same on both.
macro_rules! value_kinds {
    (
        $(#[$attr:meta])*
        pub enum $name:ident { $($(#[$f:meta])* $first:ident,)* ..; $($(#[$l:meta])* $last:ident,)* }
    ) => {
        $(#[$attr])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$f])* $first,)*
            /// A whole number (a column: every non-null value is one).
            Integer,
            /// Any other number (a column: numbers, whole or not).
            Number,
            Boolean,
            Date,
            /// A date with a time of day (a column: such, or mixed with dates).
            DateTime,
            String,
            $($(#[$l])* $last,)*
        }
    };
}
pub(super) use value_kinds;

value_kinds! {
    /// The kind of value one cell holds.
    pub enum CellKind { Null, ..; }
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

#[inline(always)]
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
#[inline(always)]
pub fn trim(raw: &str) -> &str {
    let b = raw.as_bytes();
    let (Some(&f), Some(&l)) = (b.first(), b.last()) else { return raw };
    let lead_ok =
        if f < 0x80 { f > b' ' } else { !matches!(f, 0xC2 | 0xE1 | 0xE2 | 0xE3) || !starts_with_wide_space(b) };
    // A wide space ends in one of a few continuation bytes; others need no closer look.
    let tail_ok = if l < 0x80 { l > b' ' } else { (WIDE_SPACE_LAST >> (l & 63)) & 1 == 0 || !ends_with_wide_space(b) };
    if lead_ok && tail_ok {
        raw
    } else {
        trim_slow(raw)
    }
}

/// Bit `x & 63` is set for the last bytes (0x80..=0xBF) of the wide spaces `is_wide_space`
/// lists: 0x80..=0x8A, 0x9F, 0xA0, 0xA8, 0xA9, 0xAF.
const WIDE_SPACE_LAST: u64 = 0x7FF | (1 << 0x1F) | (1 << 0x20) | (1 << 0x28) | (1 << 0x29) | (1 << 0x2F);

#[cold]
#[inline(never)]
fn trim_slow(raw: &str) -> &str {
    raw.trim()
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
        // `YYYY-MM-DD[ HH:MM:SS]` (most date columns) without the general steps below.
        if let Some(v) = fixed_temporal(s.as_bytes()) {
            return v;
        }
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
    let (neg, mut digits) = match b.first()? {
        b'-' => (true, &b[1..]),
        b'+' => (false, &b[1..]),
        _ => (false, b),
    };
    // 18 digits always fit an i64.
    if digits.is_empty() || digits.len() > 18 {
        return None;
    }
    let mut v: u64 = 0;
    // Eight digits at a time (long IDs), then one at a time.
    while let Some((eight, rest)) = digits.split_first_chunk::<8>() {
        v = v * 100_000_000 + eight_digits(u64::from_le_bytes(*eight))?;
        digits = rest;
    }
    for &c in digits {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + (c - b'0') as u64;
    }
    let v = v as i64;
    Some(if neg { -v } else { v })
}

/// The value of eight ASCII digits read as a little-endian word (the first digit in the low
/// byte), or None if any byte is not a digit. SWAR: no byte carries into the next.
#[inline]
fn eight_digits(w: u64) -> Option<u64> {
    const HIGH_NIBBLES: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    const THREES: u64 = 0x3030_3030_3030_3030;
    // Every high nibble is 3, and adding 6 keeps it 3 (the low nibble is at most 9).
    if w & HIGH_NIBBLES != THREES || w.wrapping_add(0x0606_0606_0606_0606) & HIGH_NIBBLES != THREES {
        return None;
    }
    let v = w - THREES;
    // Pairs of digits, then fours, then all eight (Lemire's method).
    let v = v.wrapping_mul(10).wrapping_add(v >> 8);
    const MASK: u64 = 0x0000_00FF_0000_00FF;
    const MUL1: u64 = 100 + (1_000_000 << 32);
    const MUL2: u64 = 1 + (10_000 << 32);
    let v = (v & MASK).wrapping_mul(MUL1).wrapping_add(((v >> 16) & MASK).wrapping_mul(MUL2)) >> 32;
    Some(v)
}

/// `YYYY-MM-DD` and `YYYY-MM-DD HH:MM:SS` (or with `T`), the usual shapes of date columns,
/// read directly: the same `Value` the general steps of [`parse_trimmed`] give for them
/// (`Value::String` for an impossible date or time). None for any other shape.
#[inline]
fn fixed_temporal(b: &[u8]) -> Option<Value> {
    let n = b.len();
    if (n != 10 && n != 19) || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    /// The two digits at `b[i..i + 2]` as a number.
    #[inline(always)]
    fn two_digits(b: &[u8], i: usize) -> Option<u32> {
        let (t, u) = (b[i].wrapping_sub(b'0'), b[i + 1].wrapping_sub(b'0'));
        (t <= 9 && u <= 9).then_some(t as u32 * 10 + u as u32)
    }
    let two = |i: usize| two_digits(b, i);
    let y = two(0)? * 100 + two(2)?;
    let (m, d) = (two(5)?, two(8)?);
    if n == 19 && ((b[10] != b' ' && b[10] != b'T') || b[13] != b':' || b[16] != b':') {
        // Some other shape after a date: the general steps decide.
        return None;
    }
    if !(1..=12).contains(&m) || d == 0 || d > crate::catalog::days_in_month(y, m) {
        return Some(Value::String);
    }
    if n == 10 {
        return Some(Value::Date(pack_datetime(y as i32, m, d, 0, 0, 0)));
    }
    let (hh, mm, ss) = (two(11)?, two(14)?, two(17)?);
    if hh > 23 || mm > 59 || ss > 60 {
        return Some(Value::String);
    }
    Some(Value::DateTime(pack_datetime(y as i32, m, d, hh, mm, ss)))
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
    if !(1..=12).contains(&m) || d == 0 || d > crate::catalog::days_in_month(y as u32, m) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        assert_eq!(classify("42"), CellKind::Integer);
        assert_eq!(classify("-7"), CellKind::Integer);
        assert_eq!(classify("3.14"), CellKind::Number);
        assert_eq!(classify("1e5"), CellKind::Number);
        assert_eq!(classify("inf"), CellKind::String);
        assert_eq!(classify("NaN"), CellKind::String);
        assert_eq!(classify("08123"), CellKind::Integer);
        assert_eq!(classify("2026-10-01"), CellKind::Date);
        assert_eq!(classify("2026年10月1日"), CellKind::Date);
        assert_eq!(classify("2026-02-30"), CellKind::String);
        assert_eq!(classify("2026-10-01 08:30"), CellKind::DateTime);
        assert_eq!(classify("2026-10-01T08:30:15Z"), CellKind::DateTime);
        assert_eq!(classify("2026-10-01T25:30"), CellKind::String);
        assert_eq!(classify("是"), CellKind::Boolean);
        assert_eq!(classify("true"), CellKind::Boolean);
        assert_eq!(classify(" "), CellKind::Null);
        assert_eq!(classify("—"), CellKind::Null);
        assert_eq!(classify("东城区"), CellKind::String);
        assert_eq!(classify("1.2.3"), CellKind::String);
        assert_eq!(classify("-"), CellKind::Null);
        assert_eq!(classify("+"), CellKind::String);
        for t in NULL_TOKENS {
            assert!(is_null(t), "{t:?}");
        }
        assert!(!is_null("nul") && !is_null("NaN") && !is_null("0"));
        assert_eq!(trim(" a "), "a");
        assert_eq!(trim("\u{3000}东城\u{3000}"), "东城");
        // Every Unicode whitespace character is trimmed at either end.
        for ws in (0..=0x10FFFFu32).filter_map(char::from_u32).filter(|c| c.is_whitespace()) {
            let s = format!("{ws}东{ws}");
            assert_eq!(trim(&s), "东", "U+{:04X}", ws as u32);
            let s = format!("{ws}a");
            assert_eq!(trim(&s), "a", "U+{:04X}", ws as u32);
            let s = format!("路{ws}");
            assert_eq!(trim(&s), "路", "U+{:04X}", ws as u32);
        }
        // Text that only looks like whitespace at a byte level is left whole.
        for s in ["68路", "路\u{2030}", "\u{2030}路", "\u{00A9}", "é", "\u{1681}x"] {
            assert_eq!(trim(s), s);
        }
    }

    #[test]
    fn number_fast_path_matches_std() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let digits = (x % 16) as usize + 1;
            let text: String = (0..digits).map(|k| char::from(b'0' + ((x >> (k * 4)) % 10) as u8)).collect();
            let point = (x >> 60) as usize % (digits + 1);
            let sign = if x & 1 == 1 { "-" } else { "" };
            let s = format!("{sign}{}.{}", &text[..point], &text[point..]);
            assert_eq!(parse_number(&s).map(f64::to_bits), s.parse::<f64>().ok().map(f64::to_bits), "{s}");
        }
        assert_eq!(parse_number("2.00"), Some(2.0));
        assert_eq!(parse_number("-0.0").map(f64::to_bits), Some((-0.0f64).to_bits()));
        assert_eq!(parse_number("0.1"), Some(0.1));
        assert_eq!(parse_number("123456789012345.6"), "123456789012345.6".parse().ok());
    }

    #[test]
    fn datetime_normalises() {
        assert_eq!(parse_datetime("2026/1/2 3:04").as_deref(), None, "hour needs two digits");
        assert_eq!(parse_datetime("2026/1/2 03:04").as_deref(), Some("2026-01-02T03:04:00"));
        assert_eq!(iso_date("2026年1月2日").as_deref(), Some("2026-01-02"));
    }
}
