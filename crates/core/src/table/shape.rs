//! Where the table is in a file exported by office software or a statistics system.
//!
//! Such exports rarely start with the header: a title and notes come first
//! (`数据库：年度数据`, `时间：最近10年`), notes and the source come after the data
//! (`注：…`, `数据来源：国家统计局`), and a workbook's header may take two rows, the upper
//! one merged over several columns (`2022年` over `GDP` and `人口`). This module finds the
//! header row after the title lines ([`find_table`]), names the columns of a two-row header
//! ([`combine_header`]) and says which rows are notes rather than data ([`is_note_row`]).
//! CSV, TSV and XLSX share it; the reader holds trailing note-like rows back until a data
//! row follows or the file ends (see `reader.rs`).

use super::cell::{self, CellKind};
use super::sniff::sniff_header;

/// At most this many lines above the header are taken as title and notes.
const MAX_NOTE_LINES: usize = 20;

/// What [`find_table`] decided, in records of the sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TableStart {
    /// Records above the header (title and note lines).
    pub skip: usize,
    /// Header records: 0 (no header), 1, or 2 (a two-row header).
    pub header_rows: usize,
    /// Confidence 0–1 in the header decision.
    pub confidence: f32,
}

/// The non-empty cells of a record.
fn filled(record: &[String]) -> usize {
    record.iter().filter(|c| !c.trim().is_empty()).count()
}

/// A row that reads as a note: one text cell in the first column and nothing else, in a table
/// of two or more columns (`数据来源：国家统计局`, `注：…`, `数据库：年度数据,,,`).
pub fn is_note_row<'a>(mut cells: impl Iterator<Item = &'a str>, width: usize) -> bool {
    if width < 2 {
        return false;
    }
    // Cheapest test first: in a data row the second cell is seldom empty.
    let first = cells.next().map(str::trim).unwrap_or("");
    !first.is_empty() && cells.all(|c| c.trim().is_empty()) && cell::classify(first) == CellKind::String
}

/// Finds the header among the first records of a file: records with at most one filled cell
/// above the first record with two or more are title and note lines (only when the table has
/// two or more columns: a one-column file has no way to tell them apart). `forced` and
/// `forced_skip` are what the catalog or the caller stated instead.
pub fn find_table(records: &[Vec<String>], forced: Option<bool>, forced_skip: Option<usize>) -> TableStart {
    let skip = forced_skip.unwrap_or_else(|| sniff_skip(records)).min(records.len());
    let rest = &records[skip..];
    // A two-row header is checked first: its merged upper row has empty cells, which alone
    // would read as "no header".
    let (header_rows, confidence) = match forced {
        Some(false) => (0, 1.0),
        _ if is_second_header(rest) => (2, sniff_header(&rest[1..]).1),
        Some(true) => (1, 1.0),
        None => match sniff_header(rest) {
            (true, c) => (1, c),
            (false, c) => (0, c),
        },
    };
    TableStart { skip, header_rows, confidence }
}

/// Records with at most one filled cell above the first with two or more.
fn sniff_skip(records: &[Vec<String>]) -> usize {
    records.iter().take(MAX_NOTE_LINES + 1).position(|r| filled(r) >= 2).filter(|&p| p <= MAX_NOTE_LINES).unwrap_or(0)
}

/// The record below the header is a header too when the upper one leaves a column empty that
/// the lower one names (a merged upper cell), and the lower one reads as a header over the
/// data below it (text over numbers or dates).
fn is_second_header(records: &[Vec<String>]) -> bool {
    let [top, sub, data @ ..] = records else { return false };
    // A lone upper cell is a title over the table, not a group of columns.
    if data.is_empty() || filled(top) < 2 {
        return false;
    }
    let spans =
        sub.iter().enumerate().any(|(i, s)| !s.trim().is_empty() && top.get(i).is_none_or(|t| t.trim().is_empty()));
    let all_text = sub.iter().all(|s| s.trim().is_empty() || cell::classify(s) == CellKind::String);
    let (header, confidence) = sniff_header(&records[1..]);
    spans && all_text && header && confidence > 0.5
}

/// One name per column from a two-row header: an upper cell merged over several columns
/// (left filled, the rest empty) names each column below it, as `上 / 下`; where one row is
/// empty the other names the column alone.
pub fn combine_header(top: &[String], sub: &[String]) -> Vec<String> {
    let width = top.len().max(sub.len());
    let mut span = String::new();
    (0..width)
        .map(|i| {
            let t = top.get(i).map(|s| s.trim()).unwrap_or("");
            let s = sub.get(i).map(|s| s.trim()).unwrap_or("");
            if !t.is_empty() {
                span = t.to_string();
            }
            // An empty upper cell continues the merged one to its left only under a name.
            let t = if t.is_empty() && !s.is_empty() { span.as_str() } else { t };
            match (t.is_empty(), s.is_empty()) {
                (true, _) => s.to_string(),
                (false, true) => t.to_string(),
                (false, false) => format!("{t} / {s}"),
            }
        })
        .collect()
}

/// A note line as shown: its filled cells joined by a space.
pub fn note_text<'a>(cells: impl Iterator<Item = &'a str>) -> String {
    cells.map(str::trim).filter(|c| !c.is_empty()).collect::<Vec<_>>().join(" ")
}

/// A table held whole (a sheet of a workbook) split into its parts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Split {
    pub notes_above: Vec<String>,
    /// The header's names as they stand (two-row headers combined), before renaming empties.
    pub names: Vec<String>,
    /// 0-based index in the input of the header's last record (for problem lines).
    pub header_end: usize,
    pub rows: Vec<Vec<String>>,
    pub notes_below: Vec<String>,
}

/// Splits whole-table records as the streaming reader does: title lines, header (found, or
/// at record `header_at` when the catalog states it), data, and trailing note rows.
pub fn split_records(mut records: Vec<Vec<String>>, header_at: Option<usize>) -> Split {
    let sample = &records[..records.len().min(50)];
    let start = find_table(sample, header_at.map(|_| true), header_at);
    let mut rest = records.split_off(start.skip.min(records.len()));
    let notes_above = records.iter().map(|r| note_text(r.iter().map(String::as_str))).collect();
    let header: Vec<Vec<String>> = rest.drain(..start.header_rows.min(rest.len())).collect();
    let names = match header.as_slice() {
        [top, sub] => combine_header(top, sub),
        [one] => one.clone(),
        _ => (1..=rest.first().map_or(0, Vec::len)).map(|i| format!("column {i}")).collect(),
    };
    let width = names.len();
    let data_end = rest.iter().rposition(|r| !is_note_row(r.iter().map(String::as_str), width)).map_or(0, |i| i + 1);
    let notes_below = rest.split_off(data_end).iter().map(|r| note_text(r.iter().map(String::as_str))).collect();
    Split { notes_above, names, header_end: start.skip + start.header_rows.max(1) - 1, rows: rest, notes_below }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::recs;

    #[test]
    fn title_lines_above_the_header_are_skipped() {
        let r = recs(&[
            &["数据库：年度数据"],
            &["时间：最近10年", "", ""],
            &["指标", "2023年", "2022年"],
            &["国内生产总值(亿元)", "1260582.1", "1204724"],
            &["人均国内生产总值(元)", "89358", "85310"],
        ]);
        let start = find_table(&r, None, None);
        assert_eq!((start.skip, start.header_rows), (2, 1));
        // Without title lines nothing is skipped; a forced "no header" is kept.
        assert_eq!(find_table(&r[2..], None, None).skip, 0);
        assert_eq!(find_table(&r, Some(false), None).header_rows, 0);
        // A one-column file keeps its first line as the header.
        let single = recs(&[&["name"], &["Li"], &["Wang"]]);
        let start = find_table(&single, None, None);
        assert_eq!((start.skip, start.header_rows), (0, 1));
    }

    #[test]
    fn two_row_headers_are_found_and_named() {
        let r = recs(&[
            &["地区", "2022年", "", "2021年", ""],
            &["", "GDP(亿元)", "人口(万人)", "GDP(亿元)", "人口(万人)"],
            &["北京市", "41610.9", "2184", "40269.6", "2189"],
            &["天津市", "16311.3", "1363", "15695.1", "1373"],
        ]);
        assert_eq!(find_table(&r, None, None).header_rows, 2);
        assert_eq!(
            combine_header(&r[0], &r[1]),
            ["地区", "2022年 / GDP(亿元)", "2022年 / 人口(万人)", "2021年 / GDP(亿元)", "2021年 / 人口(万人)"]
        );
        // A full first header over data is one header row.
        let plain = recs(&[&["地区", "GDP"], &["单位", "亿元"], &["北京市", "41610.9"]]);
        assert_eq!(find_table(&plain, None, None).header_rows, 1);
    }

    #[test]
    fn note_rows() {
        assert!(is_note_row(["数据来源：国家统计局", "", " "].into_iter(), 3));
        assert!(is_note_row(["注：1. 本表按当年价格计算。"].into_iter(), 3));
        assert!(!is_note_row(["北京市", "41610.9"].into_iter(), 2));
        assert!(!is_note_row(["2024", ""].into_iter(), 2), "a number is data");
        assert!(!is_note_row(["数据来源：国家统计局"].into_iter(), 1), "one column: all rows look alike");
        assert_eq!(note_text(["数据来源：", "", "国家统计局"].into_iter()), "数据来源： 国家统计局");
    }

    #[test]
    fn whole_tables_split_like_streamed_ones() {
        let r = recs(&[
            &["表1 各地区生产总值", "", ""],
            &["地区", "2022年", "2021年"],
            &["北京市", "41610.9", "40269.6"],
            &["数据来源：国家统计局", "", ""],
        ]);
        let split = split_records(r.clone(), None);
        assert_eq!(split.notes_above, ["表1 各地区生产总值"]);
        assert_eq!(split.names, ["地区", "2022年", "2021年"]);
        assert_eq!(split.rows, recs(&[&["北京市", "41610.9", "40269.6"]]));
        assert_eq!(split.notes_below, ["数据来源：国家统计局"]);
        assert_eq!(split.header_end, 1);
        // Stated by the catalog (record 2 here): the same split without sniffing the start.
        let stated = split_records(r, Some(1));
        assert_eq!(stated.names, ["地区", "2022年", "2021年"]);
        assert_eq!((stated.notes_above.len(), stated.rows.len()), (1, 1));
    }
}
