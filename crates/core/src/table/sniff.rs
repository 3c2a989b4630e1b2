//! Guessing the delimiter and whether the first row is a header, from a sample of the file.

use super::cell::{self, CellKind};
use super::parser::RecordParser;

/// Delimiters tried, in order of preference when they score the same.
pub const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];

/// How many records of the sample are looked at.
const SAMPLE_RECORDS: usize = 200;

/// Picks the delimiter that splits the sample's records into the most consistent number of
/// fields (more than one). Returns the delimiter and a confidence 0–1: the share of records
/// that have the most common field count. `complete` says the sample is the whole file.
pub fn sniff_delimiter(sample: &[u8], gb18030: bool, complete: bool) -> (u8, f32) {
    let mut best = (b',', 0.0f32, 0usize);
    for &d in &CANDIDATES {
        let counts = field_counts(sample, d, gb18030, complete);
        if counts.is_empty() {
            continue;
        }
        let mut freq: Vec<(usize, usize)> = Vec::new();
        for c in &counts {
            match freq.iter_mut().find(|(n, _)| n == c) {
                Some(e) => e.1 += 1,
                None => freq.push((*c, 1)),
            }
        }
        let (mode, hits) = freq.iter().copied().max_by_key(|&(n, h)| (h, n)).unwrap_or((1, 0));
        if mode < 2 {
            continue;
        }
        let consistency = hits as f32 / counts.len() as f32;
        // Prefer consistency; among equally consistent splits, more columns.
        if consistency > best.1 || (consistency == best.1 && mode > best.2) {
            best = (d, consistency, mode);
        }
    }
    (best.0, best.1)
}

fn field_counts(sample: &[u8], delimiter: u8, gb18030: bool, complete: bool) -> Vec<usize> {
    let mut counts = Vec::new();
    let mut parser = RecordParser::new(delimiter, gb18030, 0);
    let mut sink = |r: &super::parser::RawRecord<'_>| {
        if counts.len() < SAMPLE_RECORDS {
            counts.push(r.len());
        }
    };
    // A sample cut mid-record only counts its complete records.
    if parser.feed(sample, &mut sink).is_err() {
        return counts;
    }
    if complete {
        parser.finish(&mut sink);
    }
    counts
}

/// Decides whether the first record is a header, from the first records as text.
/// Returns the decision and a confidence 0–1.
///
/// A column votes "header" when its first cell is text while the cells below are numbers,
/// dates or booleans, and "data" when the first cell has the same non-text kind as the cells
/// below. Empty or repeated names in the first row vote "data". With no votes either way, a
/// first row of distinct non-empty names is taken as a header: that is what open-data CSVs
/// nearly always have.
pub fn sniff_header(records: &[Vec<String>]) -> (bool, f32) {
    let Some(first) = records.first() else {
        return (true, 0.5);
    };
    let rest = &records[1..];
    let mut header_votes = 0i32;
    let mut data_votes = 0i32;
    for (col, name) in first.iter().enumerate() {
        let first_kind = cell::classify(name);
        let below: Vec<CellKind> = rest
            .iter()
            .filter_map(|r| r.get(col))
            .map(|v| cell::classify(v))
            .filter(|k| *k != CellKind::Null)
            .collect();
        if below.is_empty() {
            continue;
        }
        let typed = below.iter().all(|k| *k != CellKind::String);
        if typed && first_kind == CellKind::String {
            header_votes += 1;
        } else if first_kind != CellKind::String
            && first_kind != CellKind::Null
            && below.iter().all(|k| same_family(*k, first_kind))
        {
            data_votes += 1;
        }
    }
    let empty = first.iter().any(|n| n.trim().is_empty());
    let mut names: Vec<&str> = first.iter().map(|s| s.trim()).collect();
    names.sort_unstable();
    let repeated = names.windows(2).any(|w| w[0] == w[1]);
    if empty || repeated {
        data_votes += 1;
    }
    let total = (header_votes + data_votes).max(1) as f32;
    if header_votes > data_votes {
        (true, 0.5 + 0.5 * header_votes as f32 / total)
    } else if data_votes > header_votes {
        (false, 0.5 + 0.5 * data_votes as f32 / total)
    } else {
        (true, 0.5)
    }
}

fn same_family(a: CellKind, b: CellKind) -> bool {
    use CellKind::*;
    let fam = |k| match k {
        Integer | Number => 0,
        Date | DateTime => 1,
        Boolean => 2,
        _ => 3,
    };
    fam(a) == fam(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::recs;

    #[test]
    fn delimiters() {
        assert_eq!(sniff_delimiter(b"a,b,c\n1,2,3\n", false, true).0, b',');
        assert_eq!(sniff_delimiter(b"a;b;c\n1,5;2;3\n4;5,5;6\n", false, true).0, b';');
        assert_eq!(sniff_delimiter(b"a\tb\n1\t2\n", false, true).0, b'\t');
        assert_eq!(sniff_delimiter(b"a|b|c\n1|2|3\n", false, true).0, b'|');
        // Commas inside quotes do not count.
        let (d, conf) = sniff_delimiter(b"a;b\n\"1,2,3\";4\n\"5,6\";7\n", false, true);
        assert_eq!((d, conf), (b';', 1.0));
    }

    #[test]
    fn headers() {
        assert!(sniff_header(&recs(&[&["id", "price"], &["1", "2.5"], &["2", "3"]])).0);
        assert!(!sniff_header(&recs(&[&["1", "2.5"], &["2", "3"]])).0);
        assert!(!sniff_header(&recs(&[&["a", "a"], &["x", "y"]])).0);
        // All text: a header is assumed.
        assert!(sniff_header(&recs(&[&["name", "city"], &["Li", "Kunming"]])).0);
    }
}
