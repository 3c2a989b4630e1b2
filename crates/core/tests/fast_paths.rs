//! The scan's fast paths against the code they replaced (kept in `tests/reference/`):
//! - the parser's zero-copy path for records without quotes gives the same records (fields,
//!   offsets, lines, unclosed quotes, size errors) as the old byte-by-byte parser, on random
//!   CSVs with quotes, CRLF/CR/LF, blank lines, Chinese in UTF-8 and GB18030 (trail byte `|`),
//!   invalid bytes, fed in random chunk sizes;
//! - cells (fixed-format dates, SWAR integers, trimming, the hash) read as before;
//! - column profiles summarise the same (min/max/mean bits, distinct, top values) as before;
//! - a whole scan gives the same report, rows and offsets in any chunking, and the rows the old
//!   parser's records decode to.

#[path = "reference/cell.rs"]
mod cell;
#[path = "reference/parser.rs"]
mod old_parser;
#[path = "reference/profile.rs"]
mod old_profile;

use kaifang_core::table::parser::{RawRecord, RecordParser};
use kaifang_core::table::scan::{ScanOptions, TableScan};
use kaifang_core::table::{ColumnProfile, ReaderOptions, TableError, TextEncoding};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// One record as the tests compare it: fields, start, end, line, unclosed quote.
type Rec = (Vec<Vec<u8>>, u64, u64, u64, bool);

fn chunked(bytes: &[u8], rng: &mut Rng) -> Vec<std::ops::Range<usize>> {
    let mode = rng.below(4);
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < bytes.len() {
        let n = match mode {
            0 => bytes.len(),
            1 => 1,
            2 => 1 + rng.below(7),
            _ => 1 + rng.below(300),
        }
        .min(bytes.len() - pos);
        out.push(pos..pos + n);
        pos += n;
    }
    out
}

fn new_records(
    bytes: &[u8],
    chunks: &[std::ops::Range<usize>],
    delim: u8,
    gb: bool,
    max: usize,
) -> (Vec<Rec>, Option<TableError>, u64) {
    let mut p = RecordParser::new(delim, gb, 3).with_max_record_bytes(max);
    let mut recs = Vec::new();
    let mut sink = |r: &RawRecord<'_>| {
        recs.push((
            (0..r.len()).map(|i| r.field(i).unwrap().to_vec()).collect(),
            r.start,
            r.end,
            r.line,
            r.unclosed_quote,
        ));
    };
    for c in chunks {
        if let Err(e) = p.feed(&bytes[c.clone()], &mut sink) {
            return (recs, Some(e), p.position());
        }
    }
    p.finish(&mut sink);
    (recs, None, p.position())
}

fn old_records(
    bytes: &[u8],
    chunks: &[std::ops::Range<usize>],
    delim: u8,
    gb: bool,
    max: usize,
) -> (Vec<Rec>, Option<TableError>, u64) {
    let mut p = old_parser::RecordParser::new(delim, gb, 3).with_max_record_bytes(max);
    let mut recs = Vec::new();
    let mut sink = |r: &old_parser::RawRecord<'_>| {
        recs.push((
            (0..r.len()).map(|i| r.field(i).unwrap().to_vec()).collect(),
            r.start,
            r.end,
            r.line,
            r.unclosed_quote,
        ));
    };
    for c in chunks {
        if let Err(e) = p.feed(&bytes[c.clone()], &mut sink) {
            return (recs, Some(e), p.position());
        }
    }
    p.finish(&mut sink);
    (recs, None, p.position())
}

/// Random CSV-ish bytes: mostly well-formed rows, with every awkward thing mixed in.
fn random_csv(rng: &mut Rng, delim: u8, gb: bool) -> Vec<u8> {
    let d = delim as char;
    let mut plain: Vec<Vec<u8>> =
        ["a", "12345", "2026-10-01 06:00:00", " x ", "", "5301****9237", "-3.5", "东城区", "云A01813", "😀"]
            .iter()
            .map(|s| s.as_bytes().to_vec())
            .collect();
    plain.push(b"\xFF\xFE".to_vec()); // invalid in UTF-8 and GB18030
    plain.push(b"\xE4\xB8".to_vec()); // a cut UTF-8 character
    plain.push(b"\xAD".to_vec());
    if gb {
        plain.push(b"\x81\x7C".to_vec()); // GB18030 pair whose trail byte is `|`
        plain.push(b"\xB6\xAB\xB3\xC7".to_vec()); // 东城 in GBK
        plain.push(b"\x81\x30\x81\x30".to_vec()); // a four-byte GB18030 character
        plain.push(b"\x81".to_vec()); // a lone lead byte
    }
    let quoted = [
        "\"q\"",
        "\"a\"\"b\"",
        "\"l1\nl2\"",
        "\"l1\r\nl2\"",
        "\"with,comma\"",
        "\"东\"x",
        "a\"b",
        "\"\"",
        "\"unclosed",
    ];
    let eols: [&[u8]; 4] = [b"\n", b"\r\n", b"\r", b"\n\n"];
    let mut out = Vec::new();
    if rng.below(8) == 0 {
        out.extend_from_slice(b"\n\r\n");
    }
    let rows = 1 + rng.below(40);
    let width = 1 + rng.below(6);
    for _ in 0..rows {
        let w = if rng.below(8) == 0 { 1 + rng.below(8) } else { width };
        for f in 0..w {
            if f > 0 {
                out.push(delim);
            }
            if rng.below(10) == 0 {
                out.extend_from_slice(rng.pick(&quoted).replace(',', &d.to_string()).as_bytes());
            } else {
                let k = 1 + rng.below(3);
                for _ in 0..k {
                    let p = rng.pick(&plain).clone();
                    out.extend_from_slice(&p);
                }
            }
        }
        let eol: &[u8] = eols[rng.below(eols.len())];
        out.extend_from_slice(eol);
    }
    // Sometimes no final newline, sometimes an unclosed quote at the very end.
    match rng.below(4) {
        0 => {
            out.pop();
        }
        1 => out.extend_from_slice(b"\"open"),
        _ => {}
    }
    out
}

#[test]
fn parser_matches_the_old_parser_in_any_chunking() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for round in 0..6000 {
        let delim = *rng.pick(&[b',', b',', b';', b'\t', b'|']);
        let gb = rng.below(3) == 0;
        let bytes = random_csv(&mut rng, delim, gb);
        let max = if rng.below(4) == 0 { 1 + rng.below(60) } else { 1 << 20 };
        let chunks = chunked(&bytes, &mut rng);
        let old = old_records(&bytes, &chunks, delim, gb, max);
        let new = new_records(&bytes, &chunks, delim, gb, max);
        assert_eq!(
            new,
            old,
            "round {round}: {:?} delim {:?} gb {gb} max {max} chunks {chunks:?}",
            String::from_utf8_lossy(&bytes),
            delim as char
        );
    }
}

/// Cell texts shaped like the usual columns, and near misses of each shape.
fn random_cell(rng: &mut Rng) -> String {
    let digits =
        |rng: &mut Rng, n: usize| -> String { (0..n).map(|_| char::from(b'0' + rng.below(10) as u8)).collect() };
    let mut s = match rng.below(8) {
        0 | 1 => {
            let y = 1990 + rng.below(80);
            let (m, d) = (rng.below(15), rng.below(33));
            let sep = *rng.pick(&["-", "-", "/", "."]);
            let date = format!("{y:04}{sep}{m:02}{sep}{d:02}");
            if rng.below(3) == 0 {
                date
            } else {
                let t = *rng.pick(&[" ", " ", "T", "  "]);
                format!("{date}{t}{:02}:{:02}:{:02}", rng.below(26), rng.below(62), rng.below(63))
            }
        }
        2 => {
            let n = 1 + rng.below(22);
            let sign = *rng.pick(&["", "", "-", "+"]);
            let d = digits(rng, n);
            format!("{sign}{d}")
        }
        3 => {
            let (a, b) = (1 + rng.below(4), rng.below(4));
            let (a, b) = (digits(rng, a), digits(rng, b));
            format!("{a}.{b}")
        }
        4 => rng
            .pick(&["", "NA", "null", "-", "—", "是", "否", "true", "东城区", "云A01813", "5301****9237"])
            .to_string(),
        5 => format!("2026年{}月{}日", 1 + rng.below(12), 1 + rng.below(31)),
        6 => format!(
            "{:04}-{:02}-{:02} {:02}:{:02}",
            2000 + rng.below(30),
            1 + rng.below(12),
            1 + rng.below(31),
            rng.below(24),
            rng.below(60)
        ),
        _ => {
            let n = 1 + rng.below(30);
            digits(rng, n)
        }
    };
    // A near miss: one character replaced, or something added at either end.
    if rng.below(4) == 0 && !s.is_empty() {
        let mut chars: Vec<char> = s.chars().collect();
        let i = rng.below(chars.len());
        chars[i] = *rng.pick(&['0', '9', '-', ':', ' ', 'T', '/', '.', 'Z', '+', 'x', '年', '\u{3000}', 'e']);
        s = chars.into_iter().collect();
    }
    match rng.below(10) {
        0 => format!(" {s}"),
        1 => format!("{s} "),
        2 => format!("{s}\u{3000}"),
        3 => format!("{s}Z"),
        4 => format!("{s}+08:00"),
        _ => s,
    }
}

#[test]
fn cells_read_as_before() {
    use kaifang_core::table::cell as new;
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    for _ in 0..300_000 {
        let s = random_cell(&mut rng);
        assert_eq!(format!("{:?}", new::parse_cell(&s)), format!("{:?}", cell::parse_cell(&s)), "{s:?}");
        assert_eq!(new::parse_integer(&s), cell::parse_integer(&s), "{s:?}");
        assert_eq!(new::trim(&s), s.trim(), "{s:?}");
        assert_eq!(kaifang_core::table::profile::hash64(&s), old_profile::hash64(&s), "{s:?}");
    }
    // Every length the hash reads in words, overlapping loads or single bytes.
    for n in 0..64 {
        let s: String = (0..n).map(|k| char::from(b'a' + (k * 7 % 26) as u8)).collect();
        assert_eq!(kaifang_core::table::profile::hash64(&s), old_profile::hash64(&s), "{s:?}");
    }
    // 18-digit IDs and the largest/smallest integers read.
    for s in [
        "202610010000000000",
        "999999999999999999",
        "-999999999999999999",
        "+000000000000000001",
        "1234567",
        "12345678",
        "123456789",
    ] {
        assert_eq!(new::parse_integer(s), cell::parse_integer(s), "{s:?}");
    }
}

fn summaries_equal(cells: &[String], cap: usize) {
    let mut new = ColumnProfile::with_distinct_cap("c", cap);
    let mut old = old_profile::ColumnProfile::with_distinct_cap("c", cap);
    for c in cells {
        new.observe(c);
        old.observe(c);
    }
    new.observe_missing();
    old.observe_missing();
    let (a, b) = (serde_json::to_value(new.summary()).unwrap(), serde_json::to_value(old.summary()).unwrap());
    assert_eq!(a, b, "cap {cap}");
    assert_eq!(new.summary().mean.map(f64::to_bits), old.summary().mean.map(f64::to_bits));
}

#[test]
fn profiles_summarise_as_before() {
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    for round in 0..300 {
        // A pool of values (few to many distinct), cells drawn from it with a skew.
        let pool: Vec<String> =
            (0..1 + rng.below(if round % 3 == 0 { 3000 } else { 40 })).map(|_| random_cell(&mut rng)).collect();
        // Or a single shape (a settled column: all datetimes, all IDs, all decimals).
        let shape = rng.below(4);
        let cells: Vec<String> = (0..1 + rng.below(6000))
            .map(|i| match shape {
                0 => {
                    format!("2026-{:02}-{:02} {:02}:{:02}:{:02}", 1 + i % 12, 1 + i % 28, i % 24, i % 60, (i * 7) % 60)
                }
                1 => format!("2026100100{:08}", i * 13 % 100_000_000),
                _ => {
                    let k = rng.below(pool.len());
                    pool[if rng.below(2) == 0 { k / 4 } else { k }].clone()
                }
            })
            .collect();
        for cap in [1, 7, 100, 10_000] {
            summaries_equal(&cells, cap);
        }
    }
}

fn scan(
    bytes: &[u8],
    chunks: &[std::ops::Range<usize>],
    opts: &ScanOptions,
) -> (kaifang_core::table::ScanReport, Vec<u64>, Vec<Vec<String>>) {
    let mut s = TableScan::new(opts.clone());
    for c in chunks {
        s.feed(&bytes[c.clone()]).unwrap();
    }
    let r = s.finish().unwrap();
    let offsets = r.offsets.as_ref().map(|o| (0..o.len()).map(|i| o.row(i).unwrap().0).collect()).unwrap_or_default();
    (r.report, offsets, r.first_rows)
}

/// Rows as the old parser's records decode, field by field, as the reader did.
fn old_rows(body: &[u8], start: u64, delim: u8, enc: TextEncoding, header: bool) -> (Vec<Vec<String>>, Vec<u64>) {
    let gb = enc == TextEncoding::Gb18030;
    let mut p = old_parser::RecordParser::new(delim, gb, start);
    let mut rows = Vec::new();
    let mut offsets = Vec::new();
    let mut first = true;
    let mut sink = |r: &old_parser::RawRecord<'_>| {
        if std::mem::take(&mut first) && header {
            return;
        }
        rows.push(
            (0..r.len())
                .map(|i| {
                    let f = r.field(i).unwrap();
                    match enc {
                        TextEncoding::Utf8 => String::from_utf8_lossy(f).into_owned(),
                        _ => match std::str::from_utf8(f) {
                            Ok(s) if s.is_ascii() => s.to_string(),
                            _ => encoding_rs::GB18030.decode_without_bom_handling(f).0.into_owned(),
                        },
                    }
                })
                .collect(),
        );
        offsets.push(r.start);
    };
    p.feed(body, &mut sink).unwrap();
    p.finish(&mut sink);
    (rows, offsets)
}

#[test]
fn scans_agree_in_any_chunking_and_with_the_old_parser() {
    let mut rng = Rng(0x6A09_E667_F3BC_C908);
    for round in 0..1500 {
        let delim = *rng.pick(&[b',', b',', b';', b'\t', b'|']);
        let gb = rng.below(4) == 0;
        let mut bytes = Vec::new();
        let bom = !gb && rng.below(5) == 0;
        if bom {
            bytes.extend_from_slice(b"\xEF\xBB\xBF");
        }
        // A plain header keeps the sniffers' guesses out of the way; the body is random.
        let width = 1 + rng.below(5);
        let names: Vec<String> = (0..width).map(|c| format!("h{c}")).collect();
        bytes.extend_from_slice(names.join(&(delim as char).to_string()).as_bytes());
        bytes.extend_from_slice(b"\r\n");
        bytes.extend_from_slice(&random_csv(&mut rng, delim, gb));
        let encoding = if gb { TextEncoding::Gb18030 } else { TextEncoding::Utf8 };
        let opts = ScanOptions {
            reader: ReaderOptions {
                // (At least the BOM: a forced encoding only drops a BOM the first chunks hold
                // whole, a quirk of the sniffer, not of the hot path.)
                sniff_bytes: 4 + rng.below(200),
                delimiter: Some(delim),
                has_header: Some(true),
                // Random rows, not a table with notes: every record is data, as for the old parser.
                find_notes: false,
                encoding: Some(encoding),
                max_record_bytes: 1 << 20,
                ..Default::default()
            },
            distinct_cap: *rng.pick(&[1, 5, 10_000]),
            keep_offsets: true,
            keep_first_rows: usize::MAX,
            ..Default::default()
        };
        let whole = scan(&bytes, &[0..bytes.len()], &opts);
        for _ in 0..3 {
            let chunks = chunked(&bytes, &mut rng);
            let mut got = scan(&bytes, &chunks, &opts);
            // The encoding guess is made on the first chunks (at least `sniff_bytes`), so its
            // reason and confidence depend on the chunking even when the encoding is forced.
            got.0.layout.encoding = whole.0.layout.encoding.clone();
            if got != whole {
                let (a, b) = (format!("{got:#?}"), format!("{whole:#?}"));
                let diff: Vec<String> = a
                    .lines()
                    .zip(b.lines())
                    .filter(|(x, y)| x != y)
                    .take(10)
                    .map(|(x, y)| format!("{x}  vs  {y}"))
                    .collect();
                panic!("round {round}: {:?} chunks {chunks:?}\n{}", String::from_utf8_lossy(&bytes), diff.join("\n"));
            }
        }
        let skip = if bom { 3 } else { 0 };
        let (rows, offsets) = old_rows(&bytes[skip..], skip as u64, delim, encoding, true);
        assert_eq!(whole.2, rows, "round {round}: {:?}", String::from_utf8_lossy(&bytes));
        assert_eq!(whole.1, offsets, "round {round}");
    }
}

/// A UTF-8 character cut by a delimiter (`\xE4\xB8,\xAD`): the old reader checked the
/// fields' bytes back to back (valid: 中) and then cut the text inside the character, which
/// panicked; now the record is decoded field by field and its bytes reported as invalid.
#[test]
fn character_cut_by_a_delimiter_is_reported_not_a_panic() {
    let mut bytes = b"a,b\n".to_vec();
    bytes.extend_from_slice(b"\xE4\xB8,\xAD\n\xE4\xB8,\"\xAD\"\n");
    let opts = ScanOptions {
        reader: ReaderOptions { encoding: Some(TextEncoding::Utf8), ..Default::default() },
        keep_first_rows: 10,
        ..Default::default()
    };
    let (report, _, rows) = scan(&bytes, &[0..bytes.len()], &opts);
    assert_eq!(rows, vec![vec!["\u{FFFD}".to_string(), "\u{FFFD}".to_string()]; 2]);
    assert_eq!(report.problems.total, 2);
}
