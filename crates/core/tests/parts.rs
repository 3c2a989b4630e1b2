//! A scan split into parts (what the app's workers do) must give what one scan gives, on the
//! real files of the table tests and on random CSVs whose quoted line breaks, CRLF, blank
//! lines and ragged rows fall across every kind of split point.

use kaifang_core::table::index::Direction;
use kaifang_core::table::parts::{plan, scan_in_parts, PartOutcome, PartRange};
use kaifang_core::table::scan::{ScanOptions, ScanResult, TableScan};
use kaifang_core::table::{ColumnSummary, ColumnType, Filter, FilterOp, Layout, ReaderOptions};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");

fn sequential(bytes: &[u8], opts: &ScanOptions) -> ScanResult {
    let mut scan = TableScan::new(opts.clone());
    for c in bytes.chunks(4096) {
        scan.feed(c).unwrap();
    }
    scan.finish().unwrap()
}

/// Means are compared to rounding (the parts' sums are added in another order); past the
/// distinct cap the top values are approximate (and flagged so) either way.
fn without_means(mut p: Vec<ColumnSummary>) -> (Vec<ColumnSummary>, Vec<Option<f64>>) {
    for s in p.iter_mut().filter(|s| !s.top_values_exact) {
        s.top_values.clear();
    }
    let means = p.iter_mut().map(|s| s.mean.take()).collect();
    (p, means)
}

fn assert_same(one: &ScanResult, split: &ScanResult, what: &str) {
    let (a, b) = (&one.report, &split.report);
    assert_eq!(a.rows, b.rows, "{what}: rows");
    assert_eq!(a.bytes, b.bytes, "{what}: bytes");
    assert_eq!(a.layout, b.layout, "{what}: layout");
    assert_eq!(a.problems, b.problems, "{what}: problems");
    let (pa, ma) = without_means(a.profiles.clone());
    let (pb, mb) = without_means(b.profiles.clone());
    assert_eq!(pa, pb, "{what}: profiles");
    for (x, y) in ma.iter().zip(&mb) {
        match (x, y) {
            (Some(x), Some(y)) => assert!((x - y).abs() <= 1e-9 * x.abs().max(1.0), "{what}: mean {x} vs {y}"),
            _ => assert_eq!(x, y, "{what}: mean"),
        }
    }
    assert_eq!(one.offsets, split.offsets, "{what}: offsets");
    assert_eq!(one.sorted, split.sorted, "{what}: sort order");
    assert_eq!(one.matches, split.matches, "{what}: filter matches");
    assert_eq!(format!("{:?}", one.columns), format!("{:?}", split.columns), "{what}: columns");
}

fn options(sort_col: usize, ty: ColumnType) -> ScanOptions {
    ScanOptions {
        reader: ReaderOptions { sniff_bytes: 256, max_problems: 7, ..Default::default() },
        keep_offsets: true,
        sort: Some((sort_col, ty, Direction::Descending)),
        filter: Some(Filter { column: 0, op: FilterOp::NotEmpty }),
        collect_columns: vec![0],
        ..Default::default()
    }
}

/// Every number of parts from 2 to 9 and a few chunk sizes; the layout is the one a single
/// scan found (the app's first pass).
fn check_all_splits(bytes: &[u8], opts: &ScanOptions, what: &str) {
    let one = sequential(bytes, opts);
    let layout = one.report.layout.clone();
    for parts in 2..=9 {
        for chunk in [3, 64, 1 << 16] {
            let split = scan_in_parts(bytes, parts, opts, &layout, chunk).unwrap();
            assert_same(&one, &split, &format!("{what}, {parts} parts, chunks of {chunk}"));
        }
    }
}

#[test]
fn real_files_split_like_one_scan() {
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(DATA).unwrap().map(|e| e.unwrap().path()).collect();
    files.extend(std::fs::read_dir(format!("{DATA}/csv-spectrum/csvs")).unwrap().map(|e| e.unwrap().path()));
    let mut checked = 0;
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !(name.ends_with(".csv") || name.ends_with(".tsv")) {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let one = sequential(&bytes, &options(0, ColumnType::String));
        if !one.report.layout.offsets_are_file_bytes || one.report.column_count == 0 {
            // UTF-16 files and empty ones are scanned in one piece by the app.
            continue;
        }
        let last = one.report.column_count - 1;
        check_all_splits(&bytes, &options(last, one.report.profiles[last].inferred_type), &name);
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} files checked");
}

fn xorshift(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

/// Quoted fields with line breaks (some long enough to span a whole part), CRLF and lone CR,
/// blank lines, ragged rows, Chinese text, numbers and dates.
#[test]
fn random_csvs_split_like_one_scan() {
    let mut seed = 0x2545F4914F6CDD1Du64;
    let atoms = [
        "东城区",
        "12",
        "-3.5",
        "2026-01-02",
        "2026-01-02 08:00:00",
        "",
        "NA",
        "x,y",
        "\"q\"",
        "l1\nl2",
        "a\r\nb\r\nc",
        "很长的引号字段\n第二行\n第三行\n第四行\n第五行\n第六行",
        "是",
        "😀",
    ];
    for round in 0..120 {
        let cols = 1 + (xorshift(&mut seed) % 4) as usize;
        let rows = (xorshift(&mut seed) % 60) as usize;
        let eol = ["\n", "\r\n", "\r"][(xorshift(&mut seed) % 3) as usize];
        let mut text = (0..cols).map(|c| format!("列{c}")).collect::<Vec<_>>().join(",") + eol;
        for _ in 0..rows {
            let mut n = cols;
            match xorshift(&mut seed) % 12 {
                0 => n = cols + 1,
                1 if cols > 1 => n = cols - 1,
                2 => text.push_str(eol),
                _ => {}
            }
            let fields: Vec<String> = (0..n)
                .map(|_| {
                    let a = atoms[(xorshift(&mut seed) % atoms.len() as u64) as usize];
                    if a.contains([',', '"', '\n', '\r']) || xorshift(&mut seed) % 5 == 0 {
                        format!("\"{}\"", a.replace('"', "\"\""))
                    } else {
                        a.to_string()
                    }
                })
                .collect();
            text.push_str(&fields.join(","));
            text.push_str(eol);
        }
        if xorshift(&mut seed) % 4 == 0 {
            // No line end after the last record.
            text.truncate(text.trim_end_matches(['\r', '\n']).len());
        }
        let opts = ScanOptions {
            reader: ReaderOptions {
                delimiter: Some(b','),
                has_header: Some(true),
                max_problems: 200,
                ..Default::default()
            },
            distinct_cap: 1 + (xorshift(&mut seed) % 8) as usize,
            ..options((xorshift(&mut seed) as usize) % cols, ColumnType::String)
        };
        check_all_splits(text.as_bytes(), &opts, &format!("round {round}: {text:?}"));
    }
}

/// A GB18030 file whose multi-byte characters (one with a `|` trail byte) fall on split points.
#[test]
fn gb18030_splits() {
    let bytes = std::fs::read(format!("{DATA}/gbk-pipe.csv")).unwrap();
    let mut big = bytes.clone();
    let body_start = bytes.iter().position(|b| *b == b'\n').unwrap() + 1;
    for _ in 0..40 {
        big.extend_from_slice(&bytes[body_start..]);
    }
    check_all_splits(&big, &options(0, ColumnType::String), "gbk-pipe ×40");
}

/// The worker's binary form: what goes in comes out, and damage is an error.
#[test]
fn part_outcome_round_trip() {
    let bytes = std::fs::read(format!("{DATA}/air-quality-gbk.csv")).unwrap();
    let opts = options(2, ColumnType::Integer);
    let one = sequential(&bytes, &opts);
    let range = PartRange { start: 0, end: bytes.len() as u64 / 2 };
    let mut scan = kaifang_core::table::parts::start_part(&opts, range, &one.report.layout);
    scan.feed(&bytes).unwrap();
    let part = scan.finish_part().unwrap();
    let wire = part.encode();
    let back = PartOutcome::decode(&wire).unwrap();
    assert_eq!(back.rows, part.rows);
    assert_eq!(back.boundary, part.boundary);
    assert_eq!(back.offsets, part.offsets);
    assert_eq!(back.sorted, part.sorted);
    assert_eq!(back.matches, part.matches);
    let summaries = |p: &PartOutcome| p.profiles.iter().map(|c| c.summary()).collect::<Vec<_>>();
    assert_eq!(summaries(&back), summaries(&part));
    assert!(part.boundary.is_some() && part.rows > 0);
    for cut in [0, 1, wire.len() / 3, wire.len() - 1] {
        assert!(PartOutcome::decode(&wire[..cut]).is_err(), "cut at {cut}");
    }
    let mut bad = wire.clone();
    bad[0] = 99;
    assert!(PartOutcome::decode(&bad).is_err());
}

#[test]
fn plans_cover_the_file() {
    // The last part runs to the end of the file, whatever its size turns out to be.
    assert_eq!(
        plan(10, 3, 1),
        vec![PartRange { start: 0, end: 4 }, PartRange { start: 4, end: 8 }, PartRange { start: 8, end: u64::MAX }]
    );
    assert_eq!(plan(9, 4, 1).len(), 3);
    // Parts are never smaller than asked (a small file is one part).
    assert_eq!(plan(100, 4, 60), vec![PartRange { start: 0, end: u64::MAX }]);
    assert_eq!(plan(0, 4, 1).len(), 1);
    let p = plan(144_000_000, 2, 8 << 20);
    assert_eq!(p, vec![PartRange { start: 0, end: 72_000_000 }, PartRange { start: 72_000_000, end: u64::MAX }]);
}

/// A size from the catalog smaller than the file: the last part still reads every row.
#[test]
fn a_stale_size_loses_no_rows() {
    let bytes = std::fs::read(format!("{DATA}/air-quality-gbk.csv")).unwrap();
    let opts = options(0, ColumnType::String);
    let one = sequential(&bytes, &opts);
    let mut merge = kaifang_core::table::parts::Merge::new(&opts, plan(bytes.len() as u64 / 2, 2, 1));
    while let Some(range) = merge.next_range() {
        let job = kaifang_core::table::parts::PartJob {
            spec: kaifang_core::table::parts::ScanSpec {
                url: String::new(),
                sort: opts.sort,
                filter: opts.filter.clone(),
                declared_encoding: None,
                header_row: None,
                sniff_bytes: 256,
            },
            range,
            layout: one.report.layout.clone(),
            rerun_from: None,
        };
        let job: kaifang_core::table::parts::PartJob =
            serde_json::from_str(&serde_json::to_string(&job).unwrap()).unwrap();
        let mut scan = job.start();
        scan.feed(&bytes[job.read_from() as usize..]).unwrap();
        assert!(matches!(merge.offer(scan.finish_part()), Ok(kaifang_core::table::parts::Verdict::Taken)));
    }
    let split = merge.finish();
    assert_eq!(split.report.rows, one.report.rows);
    assert_eq!(split.report.bytes, bytes.len() as u64);
    assert_eq!(split.offsets, one.offsets);
}

/// A layout guessed wrong (another delimiter) is caught and the later parts are read again.
#[test]
fn a_wrong_layout_is_corrected() {
    let text = "a;b\n1;2\n3;4\n5;6\n7;8\n9;10\n";
    let opts = options(1, ColumnType::Integer);
    let one = sequential(text.as_bytes(), &opts);
    let mut wrong: Layout = one.report.layout.clone();
    wrong.delimiter = ",".into();
    wrong.columns = vec!["a;b".into()];
    let split = scan_in_parts(text.as_bytes(), 3, &opts, &wrong, 5).unwrap();
    assert_same(&one, &split, "wrong layout");
}
