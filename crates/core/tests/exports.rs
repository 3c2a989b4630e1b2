//! Files as statistics systems and office software export them: title lines above the
//! header, notes and the source below the data, two-row headers (`tests/data/nbs/SOURCE.md`).

use kaifang_core::table::parts::scan_in_parts;
use kaifang_core::table::scan::{ScanOptions, TableScan};
use kaifang_core::table::xlsx::parse_xlsx_table;
use kaifang_core::table::{ColumnType, ReaderOptions, Row, Table, TableReader, TextEncoding};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");

fn data(name: &str) -> Vec<u8> {
    std::fs::read(format!("{DATA}/{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn nbs_export_header_found_after_title_lines_and_notes_kept_apart() {
    let bytes = data("nbs/nbs-annual-gbk.csv");
    let (t, layout, problems) = Table::from_csv_bytes(&bytes, ReaderOptions::default()).unwrap();
    assert_eq!(layout.encoding.encoding, TextEncoding::Gb18030);
    assert_eq!(layout.notes_above, ["数据库：年度数据", "时间：最近10年"]);
    assert_eq!(t.columns.len(), 11);
    assert_eq!((t.columns[0].as_str(), t.columns[1].as_str(), t.columns[10].as_str()), ("指标", "2023年", "2014年"));
    assert_eq!(t.rows.len(), 15, "fifteen indicators, no note among them");
    assert_eq!(t.rows[1][0], "国内生产总值(亿元)");
    assert_eq!(problems.total, 0, "{problems:?}");
    assert_eq!(layout.notes_below.len(), 2);
    assert!(layout.notes_below[0].starts_with("注：1.1980年以后"));
    assert_eq!(layout.notes_below[1], "数据来源：国家统计局");
    // The year columns are numbers, so charts and sorting work on them.
    for p in &t.profile()[1..] {
        assert!(matches!(p.inferred_type, ColumnType::Integer | ColumnType::Number), "{p:?}");
    }
}

#[test]
fn nbs_export_reads_the_same_in_any_chunking_and_split_into_parts() {
    let bytes = data("nbs/nbs-annual-gbk.csv");
    let (whole, layout, _) = Table::from_csv_bytes(&bytes, ReaderOptions::default()).unwrap();
    for size in [1, 7, 64, 500] {
        let opts = ReaderOptions { sniff_bytes: 64, ..Default::default() };
        let mut reader = TableReader::new(opts);
        let mut rows = Vec::new();
        for chunk in bytes.chunks(size) {
            reader.feed(chunk, &mut |r: &Row<'_>| rows.push(r.to_strings())).unwrap();
        }
        reader.finish(&mut |r: &Row<'_>| rows.push(r.to_strings())).unwrap();
        assert_eq!(rows, whole.rows, "chunks of {size}");
        // (The delimiter's confidence depends on the sample, which the chunking sets.)
        let got = reader.layout().unwrap();
        assert_eq!(
            (&got.columns, &got.notes_above, &got.notes_below),
            (&layout.columns, &layout.notes_above, &layout.notes_below),
            "chunks of {size}"
        );
    }
    let opts = ScanOptions::default();
    let mut scan = TableScan::new(opts.clone());
    scan.feed(&bytes).unwrap();
    let one = scan.finish().unwrap();
    assert_eq!(one.report.rows, 15);
    for parts in 2..=5 {
        let split = scan_in_parts(&bytes, parts, &opts, &one.report.layout, 50).unwrap();
        assert_eq!(split.report.rows, 15, "{parts} parts");
        assert_eq!(split.report.layout, one.report.layout, "{parts} parts");
    }
}

#[test]
fn header_row_stated_by_the_catalog_wins_over_the_guess() {
    let bytes = data("nbs/nbs-annual-gbk.csv");
    // Line 2 as the header (a wrong statement, but the catalog's): line 1 becomes a note.
    let opts = ReaderOptions { header_row: Some(2), ..Default::default() };
    let (t, layout, _) = Table::from_csv_bytes(&bytes, opts).unwrap();
    assert_eq!(layout.notes_above, ["数据库：年度数据"]);
    assert_eq!(t.columns[0], "时间：最近10年");
    // No header at all: every line after the title lines is data.
    let opts = ReaderOptions { has_header: Some(false), ..Default::default() };
    let (t, layout, _) = Table::from_csv_bytes(&bytes, opts).unwrap();
    assert!(!layout.has_header);
    assert_eq!(t.rows[0][0], "指标");
    assert_eq!(t.columns[0], "column 1");
}

#[test]
fn plain_files_are_read_as_before() {
    let (t, layout, problems) = Table::from_csv_bytes(&data("bus-stops.csv"), ReaderOptions::default()).unwrap();
    assert!(layout.notes_above.is_empty() && layout.notes_below.is_empty());
    assert!(!t.rows.is_empty());
    assert_eq!(problems.total, 0);
    // A last row with only its first cell filled but a number in it is data.
    let (t, layout, _) = Table::from_csv_bytes(b"a,b\nx,1\n2024,\n", ReaderOptions::default()).unwrap();
    assert_eq!((t.rows.len(), layout.notes_below.len()), (2, 0));
    // Text-only rows in the middle of the data stay data.
    let (t, layout, _) =
        Table::from_csv_bytes("地区,值\n东部,\n北京,1\n".as_bytes(), ReaderOptions::default()).unwrap();
    assert_eq!((t.rows.len(), layout.notes_below.len()), (2, 0));
}

#[test]
fn yearbook_sheet_two_row_header_gets_one_name_per_column() {
    let bytes = data("xlsx/yearbook-two-row-header.xlsx");
    let t = parse_xlsx_table(&bytes, None, None).unwrap();
    assert_eq!(t.notes_above, ["表2-1 各地区生产总值和常住人口"]);
    assert_eq!(
        t.table.columns,
        [
            "地区",
            "2022年 / 地区生产总值(亿元)",
            "2022年 / 常住人口(万人)",
            "2021年 / 地区生产总值(亿元)",
            "2021年 / 常住人口(万人)"
        ]
    );
    assert_eq!(t.table.rows.len(), 3);
    assert_eq!(t.table.rows[0], ["北京市", "41610.9", "2184", "40269.6", "2189"]);
    assert_eq!(t.notes_below, ["资料来源：国家统计局《中国统计年鉴2023》"]);
    assert_eq!(t.problems.total, 0);
    let report = t.report(bytes.len() as u64);
    assert_eq!(report.layout.notes_below, t.notes_below);
    // Stated: the header is sheet row 3 (the lower header row); rows 1–2 become notes.
    let stated = parse_xlsx_table(&bytes, None, Some(3)).unwrap();
    assert_eq!(stated.table.columns[1], "地区生产总值(亿元)");
    assert_eq!(stated.notes_above.len(), 2);
}
