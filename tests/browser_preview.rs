//! The table reader compiled to wasm32 and run in the browser: the same GBK decoding, split
//! chunks and sort-button cycle the preview relies on (`cargo xtask test` runs these).
#![cfg(target_arch = "wasm32")]

use kaifang_core::table::index::Direction;
use kaifang_core::table::{ReaderOptions, Row, Table, TableReader, TextEncoding};
use kaifang_web::components::preview::loader::next_sort;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const GBK: &[u8] = include_bytes!("../examples/portal/files/air-quality-gbk.csv");

#[wasm_bindgen_test]
fn gbk_file_decodes_in_wasm_at_every_split() {
    let (whole, layout, _) = Table::from_csv_bytes(GBK, ReaderOptions::default()).unwrap();
    assert_eq!(layout.encoding.encoding, TextEncoding::Gb18030);
    assert_eq!(whole.rows[0][0], "东城区监测站");
    for split in 1..GBK.len() {
        let opts = ReaderOptions {
            sniff_bytes: 1,
            encoding: Some(TextEncoding::Gb18030),
            delimiter: Some(b','),
            has_header: Some(true),
            ..Default::default()
        };
        let mut reader = TableReader::new(opts);
        let mut rows = Vec::new();
        for part in [&GBK[..split], &GBK[split..]] {
            reader.feed(part, &mut |r: &Row<'_>| rows.push(r.to_strings())).unwrap();
        }
        reader.finish(&mut |r: &Row<'_>| rows.push(r.to_strings())).unwrap();
        assert_eq!(rows, whole.rows, "split {split}");
    }
}

#[wasm_bindgen_test]
fn sort_button_cycles() {
    assert_eq!(next_sort(None, 2), Some((2, Direction::Ascending)));
    assert_eq!(next_sort(Some((2, Direction::Ascending)), 2), Some((2, Direction::Descending)));
    assert_eq!(next_sort(Some((2, Direction::Descending)), 2), None);
    assert_eq!(next_sort(Some((1, Direction::Descending)), 2), Some((2, Direction::Ascending)));
}
