//! Fuzz harnesses: each takes arbitrary bytes into one reader of untrusted input and must
//! return without panicking, whatever the bytes (MISSION X4). `fuzz/` runs them under
//! `cargo fuzz` (libFuzzer, nightly); `tests/fuzz_corpus.rs` replays the kept corpora on
//! stable in every `cargo test`, so a crash found once stays fixed.

use crate::table::scan::{ScanOptions, TableScan};

/// (name, harness): the names are the `fuzz/fuzz_targets/*.rs` files and corpus folders.
pub const TARGETS: &[(&str, fn(&[u8]))] = &[
    ("csv", csv),
    ("xlsx", xlsx),
    ("json_table", json_table),
    ("catalog_record", catalog_record),
    ("search_shard", search_shard),
    ("filing_body", filing_body),
    ("evidence", evidence),
];

/// Encoding, delimiter and header sniffing and the chunked parser with profiles, fed in
/// two chunks split where the first byte says (chunk borders are where parsers break).
pub fn csv(data: &[u8]) {
    let split = data.first().map_or(0, |b| *b as usize % (data.len() + 1));
    let mut scan = TableScan::new(ScanOptions { profile: true, keep_first_rows: 20, ..Default::default() });
    if scan.feed(&data[..split]).is_ok() && scan.feed(&data[split..]).is_ok() {
        let _ = scan.finish();
    }
}

/// A workbook, within small limits so a run spends its time on structure, not size.
pub fn xlsx(data: &[u8]) {
    use crate::table::xlsx::{parse_xlsx_table_within, XlsxLimits};
    let limits = XlsxLimits { rows: 1000, cells: 20_000, text_bytes: 1 << 20, columns: 64, part_bytes: 1 << 20 };
    if let Ok(t) = parse_xlsx_table_within(data, None, None, &limits) {
        let _ = t.report(data.len() as u64);
    }
}

pub fn json_table(data: &[u8]) {
    if let Ok((t, _)) = crate::table::json::parse_json_table(data) {
        let _ = t.profile();
    }
}

/// A dataset record as the app reads it, and as `catalog check` reads a description.
pub fn catalog_record(data: &[u8]) {
    let _ = serde_json::from_slice::<crate::catalog::Dataset>(data);
    if let Ok(raw) = serde_json::from_slice::<serde_json::Value>(data) {
        let _ = crate::check::check_dataset("fuzz.json", "fuzz", &raw, None);
    }
}

/// The search index's binary files, for a catalog of 1000 datasets: a term shard, an
/// external postings file, a facet or order chunk of the dataset table.
pub fn search_shard(data: &[u8]) {
    let _ = crate::search::codec::decode_shard(data, 1000);
    let _ = crate::search::codec::decode_external(data, 1000);
    // A chunk's order part is read onto its facet part: the two halves as one chunk.
    let (facets, order) = data.split_at(data.len() / 2);
    if let Ok(mut chunk) = crate::search::table::decode_chunk(facets) {
        let _ = chunk.add_order(order);
    }
}

/// A filing body as the intake receives it, validated under a rule set with deadlines.
pub fn filing_body(data: &[u8]) {
    if let Ok(filing) = serde_json::from_slice::<crate::filing::Filing>(data) {
        let rules = crate::rules::RuleSet::builtin("yunnan").expect("a built-in rule set");
        let _ = filing.validate(&rules);
    }
}

/// An evidence upload: name and declared type from the first line, the file after it.
pub fn evidence(data: &[u8]) {
    let (head, body) = match data.iter().position(|b| *b == b'\n') {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (&data[..0], data),
    };
    let head = String::from_utf8_lossy(head);
    let (name, declared) = head.split_once('|').unwrap_or((&head, ""));
    if let Ok(kind) = crate::filing::evidence::check(name, declared, body) {
        let _ = kind.media_type();
    }
}
