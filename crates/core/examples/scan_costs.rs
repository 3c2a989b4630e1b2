//! Where a whole-file scan's time goes, natively: parse only, parse + profile, and the
//! profile of each column alone. `cargo run --release -p kaifang-core --example scan_costs -- FILE`
//! (the browser benchmark is `cargo xtask bench preview`).

use kaifang_core::table::profile::ColumnProfile;
use kaifang_core::table::scan::{ScanOptions, TableScan};
use kaifang_core::table::{ReaderOptions, TableReader};
use std::time::Instant;

const CHUNK: usize = 256 * 1024;

fn main() {
    let path = std::env::args().nth(1).expect("usage: scan_costs FILE.csv [--profile-only]");
    let bytes = std::fs::read(&path).expect("reading the file");
    let mb = bytes.len() as f64 / 1e6;
    let rate = |s: f64| format!("{:7.1} MB/s ({:6.0} ms)", mb / s, s * 1000.0);
    if std::env::args().nth(2).as_deref() == Some("--profile-only") {
        // One scan with profiles and nothing else, e.g. for `perf stat` (instruction counts do
        // not depend on how busy the machine is).
        let t = Instant::now();
        let mut scan = TableScan::new(ScanOptions::default());
        for c in bytes.chunks(CHUNK) {
            scan.feed(c).unwrap();
        }
        let report = scan.finish().unwrap().report;
        println!("scan + profile {} ({} rows)", rate(t.elapsed().as_secs_f64()), report.rows);
        return;
    }

    let t = Instant::now();
    let mut reader = TableReader::new(ReaderOptions::default());
    let mut rows = 0u64;
    for c in bytes.chunks(CHUNK) {
        reader.feed(c, &mut |_| rows += 1).unwrap();
    }
    reader.finish(&mut |_| rows += 1).unwrap();
    println!("parse only (rows decoded, not looked at)  {}", rate(t.elapsed().as_secs_f64()));
    let columns = reader.layout().unwrap().columns.clone();

    for (name, profile) in [("scan, no profile", false), ("scan + profile", true)] {
        let t = Instant::now();
        let mut scan = TableScan::new(ScanOptions { profile, ..Default::default() });
        for c in bytes.chunks(CHUNK) {
            scan.feed(c).unwrap();
        }
        scan.finish().unwrap();
        println!("{name:<41} {}", rate(t.elapsed().as_secs_f64()));
    }

    for (i, col) in columns.iter().enumerate() {
        let t = Instant::now();
        let mut reader = TableReader::new(ReaderOptions::default());
        let mut p = ColumnProfile::new(col.clone());
        let mut sink = |row: &kaifang_core::table::Row<'_>| match row.get(i) {
            Some(v) => p.observe(v),
            None => p.observe_missing(),
        };
        for c in bytes.chunks(CHUNK) {
            reader.feed(c, &mut sink).unwrap();
        }
        reader.finish(&mut sink).unwrap();
        let s = p.summary();
        println!(
            "parse + profile of column {i} {:<14} {} {:?}, distinct {}{}",
            col,
            rate(t.elapsed().as_secs_f64()),
            s.inferred_type,
            s.distinct,
            if s.distinct_exact { "" } else { " (est.)" }
        );
    }
}
